#include "ui/panes/deployments/deploydialog.h"

#include "models/connections/connectionsmodel.h"
#include "services/deploy/gitclone.h"

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
#include <QSpinBox>
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
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_directory, 1);
    dirRow->addWidget(browse);
    m_hostname = new QLineEdit(this);
    m_hostname->setPlaceholderText(tr("app.example.com"));
    m_routePort = new QSpinBox(this);
    m_routePort->setRange(0, 65535);
    m_routePort->setSpecialValueText(tr("the first published port"));
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
    form->addRow(tr("Docker &host:"), m_docker);
    form->addRow(tr("T&unnel:"), m_tunnel);
    form->addRow(tr("Host&name:"), m_hostname);
    form->addRow(tr("Route &port:"), m_routePort);
    setSubmitWidgets(form, m_deploy, m_problems);
    resize(600, 560);

    for (QLineEdit *e : {m_template, m_owner, m_name, m_directory, m_hostname})
        connect(e, &QLineEdit::textChanged, this, &DeployDialog::check);
    for (QRadioButton *r : {m_fromTemplate, m_fromDirectory})
        connect(r, &QRadioButton::toggled, this, &DeployDialog::check);
    for (QComboBox *c : {m_github, m_docker, m_tunnel})
        connect(c, &QComboBox::currentIndexChanged, this, &DeployDialog::check);
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
    s.routePort = m_routePort->value();
    if (s.source == RepoDeploySpec::Source::Template && s.name.isEmpty())
        return makeError("github.repository", tr("Enter a name for the new repository."));
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
    m_routePort->setEnabled(routed);
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

void DeployDialog::submit()
{
    const auto s = spec();
    if (!s)
        return m_problems->setText(s.message());
    submitJob([spec = s.value()](DeployService *service, quint64 id) { service->repoDeploy(id, spec); });
}

} // namespace opsdeck
