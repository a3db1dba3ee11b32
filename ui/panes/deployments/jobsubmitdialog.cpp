#include "ui/panes/deployments/jobsubmitdialog.h"

#include "models/store/database.h"
#include "services/deploy/deployservice.h"
#include "ui/common/requestid.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QVBoxLayout>

namespace opsdeck {

JobSubmitDialog::JobSubmitDialog(DeployService *service, QWidget *parent)
    : QDialog(parent), m_service(service)
{
    if (!m_service)
        return;
    connect(m_service, &DeployService::jobStarted, this, [this](quint64 requestId, qint64 jobId) {
        if (requestId != m_request || !m_request)
            return;
        m_request = 0;
        emit jobStarted(jobId);
        accept();
    });
    connect(m_service, &DeployService::refused, this, [this](quint64 requestId, const Outcome &outcome) {
        if (requestId != m_request || !m_request)
            return;
        m_request = 0;
        if (m_submit)
            m_submit->setEnabled(true);
        if (m_problemsLabel)
            m_problemsLabel->setText(outcome.message);
        // Refused by the image policy: the way to deploy anyway, with a reason on the record.
        if (outcome.code == QLatin1String("image.policy") && m_override && !m_override->isVisible()) {
            m_overrideLabel->show();
            m_override->show();
            m_override->setFocus();
        }
    });
}

void JobSubmitDialog::addImagePolicyRows(QFormLayout *form)
{
    m_imageProject = new QComboBox(this);
    m_imageProject->setObjectName(QStringLiteral("imageProject"));
    m_imageProject->addItem(tr("Global entries only"), QString());
    // The workspace's projects: a handful of rows of the cache's copy.
    QSqlQuery q(Database::connection());
    if (q.exec(QStringLiteral("SELECT name FROM workspace_projects ORDER BY name")))
        while (q.next())
            m_imageProject->addItem(tr("Project %1").arg(q.value(0).toString()), q.value(0).toString());
    m_imageProject->setToolTip(
        tr("Whose image allowlist entries apply to this deploy, besides the global ones"));
    form->addRow(tr("Image &allowlist:"), m_imageProject);
    m_override = new QLineEdit(this);
    m_override->setObjectName(QStringLiteral("imageOverride"));
    m_override->setPlaceholderText(
        tr("Why it must run anyway: kept in the audit log (needs image.override)"));
    m_overrideLabel = new QLabel(tr("Deploy &anyway:"), this);
    m_overrideLabel->setBuddy(m_override);
    form->addRow(m_overrideLabel, m_override);
    m_overrideLabel->hide();
    m_override->hide();
}

QString JobSubmitDialog::imageProject() const
{
    return m_imageProject ? m_imageProject->currentData().toString() : QString();
}

QString JobSubmitDialog::overrideComment() const
{
    return m_override && !m_override->isHidden() ? m_override->text().trimmed() : QString();
}

void JobSubmitDialog::setSubmitWidgets(QFormLayout *form, QPushButton *submit, QLabel *problems)
{
    m_submit = submit;
    m_problemsLabel = problems;
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(submit, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(problems);
    layout->addWidget(buttons);
}

void JobSubmitDialog::submitJob(std::function<void(DeployService *, quint64)> send)
{
    if (!m_service || m_request)
        return;
    m_request = nextRequestId();
    if (m_submit)
        m_submit->setEnabled(false);
    if (m_problemsLabel)
        m_problemsLabel->setText(tr("Starting the job…"));
    QMetaObject::invokeMethod(
        m_service, [service = m_service, id = m_request, send = std::move(send)] { send(service, id); });
}

} // namespace opsdeck
