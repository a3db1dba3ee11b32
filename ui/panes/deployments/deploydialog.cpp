#include "ui/panes/deployments/deploydialog.h"

#include "models/connections/connectionsmodel.h"
#include "services/deploy/gitclone.h"
#include "ui/common/requestid.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace opsdeck {

DeployDialog::DeployDialog(ConnectionsModel *connections, DeployService *deploy, QWidget *parent)
    : JobSubmitDialog(deploy, parent)
{
    setWindowTitle(tr("Deploy with compose"));
    m_fromTemplate = new QRadioButton(tr("From a GitHub &template repository"), this);
    m_fromDirectory = new QRadioButton(tr("From a &local directory with a compose file"), this);
    m_fromTemplate->setChecked(true);
    m_github = new QComboBox(this);
    m_docker = new QComboBox(this);
    m_tunnel = new QComboBox(this);
    m_tunnel->addItem(tr("No tunnel route"), 0);
    QString org;
    for (int row = 0; connections && row < connections->rowCount(); ++row) {
        const Connection c = connections->connectionAt(row);
        if (c.kind == ConnectionKind::GitHub) {
            m_github->addItem(c.name, c.id);
            if (org.isEmpty())
                org = c.option(QStringLiteral("org"));
        } else if (c.kind == ConnectionKind::Docker) {
            m_docker->addItem(c.name, c.id);
        } else if (c.kind == ConnectionKind::Cloudflare) {
            m_tunnel->addItem(c.name, c.id);
        }
    }
    m_template = new QLineEdit(this);
    m_template->setPlaceholderText(tr("owner/template-repository"));
    m_owner = new QLineEdit(org, this);
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("My new service"));
    m_finalName = new QLabel(this);
    m_private = new QCheckBox(tr("&Private repository"), this);
    m_private->setChecked(true);
    m_directory = new QLineEdit(this);
    m_directory->setAccessibleName(tr("Directory"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_directory, 1);
    dirRow->addWidget(browse);
    m_hostname = new QLineEdit(this);
    m_hostname->setPlaceholderText(tr("app.example.com"));
    m_composeFile = new QComboBox(this);
    m_composeFile->setEditable(true);
    m_composeFile->lineEdit()->setPlaceholderText(tr("compose.yaml, compose.yml, docker-compose.yaml or "
                                                     "docker-compose.yml"));
    m_composeFile->setToolTip(tr("Any file of the repository or directory, relative to it (passed to compose "
                                 "with -f). Empty: the first of the standard names."));
    m_route = new QComboBox(this);
    m_route->setEditable(true);
    m_route->setToolTip(tr("The service and container port the route points to (service:port). The port must "
                           "be published on a fixed host port."));
    m_route->addItem(tr("Proposed: the service and port that serve HTTP"), QString());
    m_composeInfo = new QLabel(this);
    m_composeInfo->setWordWrap(true);
    m_composeInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_inspectLater = new QTimer(this);
    m_inspectLater->setSingleShot(true);
    m_inspectLater->setInterval(250); // typing a path does not read every prefix of it
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_deploy = new QPushButton(tr("&Deploy"), this);
    m_deploy->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(m_fromTemplate);
    form->addRow(tr("&GitHub connection:"), m_github);
    form->addRow(tr("Te&mplate:"), m_template);
    form->addRow(tr("&Owner:"), m_owner);
    form->addRow(tr("New &repository:"), m_name);
    form->addRow(QString(), m_finalName);
    form->addRow(QString(), m_private);
    form->addRow(m_fromDirectory);
    form->addRow(tr("D&irectory:"), dirRow);
    form->addRow(tr("Compose &file:"), m_composeFile);
    form->addRow(QString(), m_composeInfo);
    form->addRow(tr("Docker &host:"), m_docker);
    form->addRow(tr("T&unnel:"), m_tunnel);
    form->addRow(tr("Host&name:"), m_hostname);
    form->addRow(tr("Route &to:"), m_route);
    addImagePolicyRows(form);
    setSubmitWidgets(form, m_deploy, m_problems);
    resize(600, 560);

    for (QLineEdit *e : {m_template, m_owner, m_name, m_directory, m_hostname})
        connect(e, &QLineEdit::textChanged, this, &DeployDialog::check);
    for (QRadioButton *r : {m_fromTemplate, m_fromDirectory})
        connect(r, &QRadioButton::toggled, this, &DeployDialog::check);
    for (QComboBox *c : {m_github, m_docker, m_tunnel, m_route})
        connect(c, &QComboBox::currentIndexChanged, this, &DeployDialog::check);
    connect(m_route, &QComboBox::editTextChanged, this, &DeployDialog::check);
    connect(m_composeFile, &QComboBox::editTextChanged, this, [this] {
        check();
        m_inspectLater->start();
    });
    connect(m_directory, &QLineEdit::textChanged, m_inspectLater, qOverload<>(&QTimer::start));
    connect(m_fromDirectory, &QRadioButton::toggled, m_inspectLater, qOverload<>(&QTimer::start));
    connect(m_fromTemplate, &QRadioButton::toggled, this, [this](bool on) {
        if (!on)
            return;
        // A template's file is read after the clone: what was read of a directory does not apply.
        m_inspection.reset();
        m_inspectRequest = 0;
        m_composeInfo->clear();
        m_route->clear();
        m_route->addItem(tr("Proposed: the service and port that serve HTTP"), QString());
    });
    connect(m_inspectLater, &QTimer::timeout, this, &DeployDialog::inspect);
    if (m_service)
        connect(m_service, &DeployService::composeInspected, this, &DeployDialog::inspected);
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Directory with a compose file"));
        if (!dir.isEmpty())
            m_directory->setText(dir);
    });
    connect(m_deploy, &QPushButton::clicked, this, &DeployDialog::submit);
    check();
}

Result<RepoDeploySpec> DeployDialog::spec() const
{
    RepoDeploySpec s;
    s.source = m_fromTemplate->isChecked() ? RepoDeploySpec::Source::Template
                                           : RepoDeploySpec::Source::LocalDirectory;
    s.dockerConnectionId = m_docker->currentData().toLongLong();
    s.githubConnectionId = m_github->currentData().toLongLong();
    s.templateRepository = m_template->text().trimmed();
    s.owner = m_owner->text().trimmed();
    s.name = sanitizeRepositoryName(m_name->text());
    s.isPrivate = m_private->isChecked();
    s.directory = m_directory->text().trimmed();
    s.tunnelConnectionId = m_tunnel->currentData().toLongLong();
    s.hostname = m_hostname->text().trimmed();
    s.composeFile = m_composeFile->currentText().trimmed();
    if (s.tunnelConnectionId) {
        // The proposal (no data), a listed candidate, or service:port typed.
        const QString route = m_route->currentIndex() >= 0 &&
                                      m_route->itemText(m_route->currentIndex()) == m_route->currentText()
                                  ? m_route->currentData().toString()
                                  : m_route->currentText().trimmed();
        if (!route.isEmpty()) {
            static const QRegularExpression servicePort(QStringLiteral("\\A([^:\\s]+):([0-9]{1,5})\\z"));
            const auto m = servicePort.match(route);
            if (!m.hasMatch())
                return makeError(
                    "compose.route-service",
                    tr("Route to \"%1\": write service:port, e.g. web:8080, or leave the proposal.")
                        .arg(route));
            s.routeService = m.captured(1);
            s.routeTarget = m.captured(2).toInt();
        }
        // For a directory the project was read: a route it cannot take is refused here.
        if (s.source == RepoDeploySpec::Source::LocalDirectory && m_inspection &&
            m_inspection->directory == s.directory && m_inspection->error.isEmpty()) {
            if (s.routeService.isEmpty() && m_inspection->proposal.isEmpty())
                return makeError("compose.route-port", m_inspection->proposalProblem);
            for (const RouteCandidate &c : m_inspection->candidates)
                if (c.service == s.routeService && c.target == s.routeTarget && !c.fixed)
                    return makeError(
                        "compose.route-port",
                        tr("%1 publishes container port %2 without a fixed host port: publish it as "
                           "\"127.0.0.1:HOSTPORT:%2\" in %3, then choose it.")
                            .arg(c.service)
                            .arg(c.target)
                            .arg(m_inspection->file));
        }
    }
    if (s.source == RepoDeploySpec::Source::Template && s.name.isEmpty())
        return makeError("github.repository", tr("Enter a name for the new repository."));
    s.imageProject = imageProject();
    s.overrideComment = overrideComment();
    if (auto valid = validateRepoDeploy(s); !valid)
        return valid.error();
    return s;
}

QString DeployDialog::problems() const
{
    return m_problems->text();
}

void DeployDialog::check()
{
    const bool fromTemplate = m_fromTemplate->isChecked();
    for (QWidget *w :
         {static_cast<QWidget *>(m_github), static_cast<QWidget *>(m_template),
          static_cast<QWidget *>(m_owner), static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_private)})
        w->setEnabled(fromTemplate);
    m_directory->setEnabled(!fromTemplate);
    const bool routed = m_tunnel->currentData().toLongLong() != 0;
    m_hostname->setEnabled(routed);
    m_route->setEnabled(routed);
    const QString sanitised = sanitizeRepositoryName(m_name->text());
    m_finalName->setText(
        m_name->text().isEmpty() ? QString()
        : sanitised == m_name->text()
            ? tr("The repository will be %1/%2.").arg(m_owner->text(), sanitised)
            : tr("The repository will be %1/%2 (lower case and hyphens).").arg(m_owner->text(), sanitised));
    const bool touched = fromTemplate ? !m_template->text().isEmpty() : !m_directory->text().isEmpty();
    const auto s = spec();
    m_problems->setText(s || !touched ? QString() : s.message());
    m_deploy->setEnabled(s.ok() && !waiting());
}

void DeployDialog::inspect()
{
    if (!m_service || m_fromTemplate->isChecked() || m_directory->text().trimmed().isEmpty())
        return;
    m_inspectRequest = nextRequestId();
    m_composeInfo->setText(tr("Reading the compose project…"));
    QMetaObject::invokeMethod(
        m_service,
        [service = m_service, id = m_inspectRequest, dir = m_directory->text().trimmed(),
         file = m_composeFile->currentText().trimmed()] { service->inspectCompose(id, dir, file); });
}

void DeployDialog::inspected(quint64 requestId, const ComposeInspection &inspection)
{
    if (requestId != m_inspectRequest)
        return; // an answer for a path typed before
    m_inspection = inspection;
    // The files the directory offers, keeping what the admin typed.
    const QString typed = m_composeFile->currentText();
    m_composeFile->blockSignals(true);
    m_composeFile->clear();
    m_composeFile->addItems(inspection.files);
    m_composeFile->setCurrentText(typed.isEmpty() ? inspection.file : typed);
    m_composeFile->blockSignals(false);
    // The route candidates: the proposal first, then every port, best first.
    const QString chosen = m_route->currentData().toString();
    m_route->blockSignals(true);
    m_route->clear();
    QString proposed = inspection.proposal;
    for (const RouteCandidate &c : inspection.candidates)
        if (QStringLiteral("%1:%2").arg(c.service).arg(c.target) == inspection.proposal && !c.why.isEmpty())
            proposed += QStringLiteral(" (%1)").arg(c.why);
    m_route->addItem(inspection.proposal.isEmpty() ? tr("No proposal: choose below")
                                                   : tr("Proposed: %1").arg(proposed),
                     QString());
    for (const RouteCandidate &c : inspection.candidates) {
        const QString key = QStringLiteral("%1:%2").arg(c.service).arg(c.target);
        const QString text = c.fixed
                                 ? tr("%1: container port %2, host %3%4")
                                       .arg(c.service)
                                       .arg(c.target)
                                       .arg(c.port.describe(),
                                            c.why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(c.why))
                                 : tr("%1: container port %2, no fixed host port (cannot be routed)")
                                       .arg(c.service)
                                       .arg(c.target);
        m_route->addItem(text, key);
    }
    const int again = m_route->findData(chosen);
    m_route->setCurrentIndex(again > 0 ? again : 0);
    m_route->blockSignals(false);
    if (!inspection.error.isEmpty())
        m_composeInfo->setText(inspection.error);
    else
        m_composeInfo->setText(
            tr("%1: %n route candidate(s).", nullptr, int(inspection.candidates.size()))
                .arg(inspection.file) +
            (inspection.v2Only.isEmpty()
                 ? QString()
                 : QLatin1Char(' ') +
                       tr("Needs Compose v2 for: %1.").arg(inspection.v2Only.join(QStringLiteral(", ")))));
    check();
}

void DeployDialog::submit()
{
    const auto s = spec();
    if (!s)
        return m_problems->setText(s.message());
    submitJob([spec = s.value()](DeployService *service, quint64 id) { service->repoDeploy(id, spec); });
}

} // namespace opsdeck
