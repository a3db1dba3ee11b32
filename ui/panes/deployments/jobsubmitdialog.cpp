#include "ui/panes/deployments/jobsubmitdialog.h"

#include "services/deploy/deployservice.h"
#include "ui/common/requestid.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
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
    });
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
