#include "ui/panes/deployments/quickservicedialog.h"

#include "models/connections/connectionsmodel.h"
#include "models/docker/imagereference.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// "NAME=value" per line; empty lines and "# comments" are skipped.
Result<QList<std::pair<QString, QString>>> parsePairs(const QString &text, const QString &what)
{
    QList<std::pair<QString, QString>> out;
    int lineNo = 0;
    for (const QString &raw : text.split(QLatin1Char('\n'))) {
        ++lineNo;
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError("pairs",
                             QuickServiceDialog::tr("%1, line %2: write NAME=value.").arg(what).arg(lineNo));
        out.append({line.left(eq).trimmed(), raw.mid(raw.indexOf(QLatin1Char('=')) + 1)});
    }
    return out;
}
} // namespace

QuickServiceDialog::QuickServiceDialog(ConnectionsModel *connections, DeployService *deploy,
                                       qint64 connectionId, QWidget *parent)
    : JobSubmitDialog(deploy, parent)
{
    setWindowTitle(tr("Quick service"));
    m_host = new QComboBox(this);
    for (int row = 0; connections && row < connections->rowCount(); ++row) {
        const Connection c = connections->connectionAt(row);
        if (c.kind == ConnectionKind::Docker)
            m_host->addItem(c.name, c.id);
    }
    m_host->setCurrentIndex(qMax(0, m_host->findData(connectionId)));
    m_tunnel = new QComboBox(this);
    m_tunnel->addItem(tr("No tunnel route"), 0);
    for (int row = 0; connections && row < connections->rowCount(); ++row) {
        const Connection c = connections->connectionAt(row);
        if (c.kind == ConnectionKind::Cloudflare)
            m_tunnel->addItem(c.name, c.id);
    }
    m_hostname = new QLineEdit(this);
    m_hostname->setPlaceholderText(tr("app.example.com"));
    m_hostname->setEnabled(false);
    m_image = new QLineEdit(this);
    m_image->setPlaceholderText(tr("excalidraw/excalidraw:latest"));
    m_image->setObjectName(QStringLiteral("image"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("name"));
    m_containerPort = new QSpinBox(this);
    m_containerPort->setAccessibleName(tr("Container port"));
    m_containerPort->setRange(0, 65535);
    m_containerPort->setSpecialValueText(tr("none"));
    m_containerPort->setValue(80);
    m_autoPort = new QCheckBox(tr("&Choose a free host port"), this);
    m_autoPort->setChecked(true);
    m_hostPort = new QSpinBox(this);
    m_hostPort->setAccessibleName(tr("Host port"));
    m_hostPort->setRange(1, 65535);
    m_hostPort->setValue(8080);
    m_hostPort->setEnabled(false);
    auto *ports = new QHBoxLayout;
    ports->addWidget(m_containerPort);
    ports->addWidget(m_autoPort);
    ports->addWidget(m_hostPort);
    m_command = new QLineEdit(this);
    m_command->setPlaceholderText(tr("optional, e.g. --port 3000 (no shell)"));
    m_env = new QPlainTextEdit(this);
    m_env->setPlaceholderText(tr("NAME=value, one per line"));
    m_env->setToolTip(tr("Values are not stored with the job: Redeploy after a restart asks for them again"));
    m_env->setMaximumHeight(90);
    m_labels = new QPlainTextEdit(this);
    m_labels->setPlaceholderText(tr("key=value, one per line"));
    m_labels->setMaximumHeight(60);
    m_restart = new QComboBox(this);
    m_restart->addItem(tr("Unless stopped"), QStringLiteral("unless-stopped"));
    m_restart->addItem(tr("Always"), QStringLiteral("always"));
    m_restart->addItem(tr("On failure"), QStringLiteral("on-failure"));
    m_restart->addItem(tr("Never"), QStringLiteral("no"));
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_deploy = new QPushButton(tr("&Deploy"), this);
    m_deploy->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Docker &host:"), m_host);
    form->addRow(tr("&Image:"), m_image);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("Container &port:"), ports);
    form->addRow(tr("Co&mmand:"), m_command);
    form->addRow(tr("&Environment:"), m_env);
    form->addRow(tr("&Labels:"), m_labels);
    form->addRow(tr("&Restart:"), m_restart);
    form->addRow(tr("&Tunnel:"), m_tunnel);
    form->addRow(tr("Host&name:"), m_hostname);
    addImagePolicyRows(form);
    setSubmitWidgets(form, m_deploy, m_problems);
    resize(620, 520);

    connect(m_tunnel, &QComboBox::currentIndexChanged, this, [this] {
        m_hostname->setEnabled(m_tunnel->currentData().toLongLong() != 0);
        check();
    });
    for (QLineEdit *edit : {m_image, m_name, m_command, m_hostname})
        connect(edit, &QLineEdit::textChanged, this, &QuickServiceDialog::check);
    for (QPlainTextEdit *edit : {m_env, m_labels})
        connect(edit, &QPlainTextEdit::textChanged, this, &QuickServiceDialog::check);
    for (QSpinBox *spin : {m_containerPort, m_hostPort})
        connect(spin, &QSpinBox::valueChanged, this, &QuickServiceDialog::check);
    connect(m_autoPort, &QCheckBox::toggled, this, [this](bool automatic) {
        m_hostPort->setEnabled(!automatic);
        check();
    });
    connect(m_deploy, &QPushButton::clicked, this, &QuickServiceDialog::submit);
    check();
}

Result<QuickServiceSpec> QuickServiceDialog::spec() const
{
    QuickServiceSpec s;
    s.connectionId = m_host->currentData().toLongLong();
    if (!s.connectionId)
        return makeError("deploy.connection", tr("Add a Docker connection first."));
    s.image = m_image->text().trimmed();
    s.name = m_name->text().trimmed();
    s.containerPort = m_containerPort->value();
    s.hostPort = m_autoPort->isChecked() || !s.containerPort ? 0 : m_hostPort->value();
    s.command = m_command->text().trimmed();
    s.restart = m_restart->currentData().toString();
    s.tunnelConnectionId = m_tunnel->currentData().toLongLong();
    s.hostname = s.tunnelConnectionId ? m_hostname->text().trimmed() : QString();
    auto env = parsePairs(m_env->toPlainText(), tr("Environment"));
    if (!env)
        return env.error();
    s.env = env.value();
    auto labels = parsePairs(m_labels->toPlainText(), tr("Labels"));
    if (!labels)
        return labels.error();
    s.labels = labels.value();
    s.imageProject = imageProject();
    s.overrideComment = overrideComment();
    if (auto valid = validateQuickService(s); !valid)
        return valid.error();
    return s;
}

QString QuickServiceDialog::problems() const
{
    return m_problems->text();
}

void QuickServiceDialog::check()
{
    // The inferred name as a hint while the name is left empty.
    if (const auto ref = parseImageReference(m_image->text()))
        m_name->setPlaceholderText(
            tr("%1 (from the image; -2, -3… if taken)").arg(containerNameFor(ref.value())));
    else
        m_name->setPlaceholderText(tr("from the image"));
    const auto s = m_image->text().trimmed().isEmpty() ? Result<QuickServiceSpec>(Error{}) : spec();
    m_problems->setText(s ? QString() : s.message());
    m_deploy->setEnabled(s.ok() && !waiting());
}

void QuickServiceDialog::setSpec(const QuickServiceSpec &s)
{
    m_host->setCurrentIndex(qMax(0, m_host->findData(s.connectionId)));
    m_image->setText(s.image);
    m_name->setText(s.name);
    m_containerPort->setValue(s.containerPort);
    m_autoPort->setChecked(s.hostPort == 0);
    if (s.hostPort)
        m_hostPort->setValue(s.hostPort);
    m_command->setText(s.command);
    QStringList env, labels;
    for (const auto &[k, v] : s.env)
        env << k + QLatin1Char('=') + v;
    for (const auto &[k, v] : s.labels)
        labels << k + QLatin1Char('=') + v;
    m_env->setPlainText(env.join(QLatin1Char('\n')));
    m_labels->setPlainText(labels.join(QLatin1Char('\n')));
    m_restart->setCurrentIndex(qMax(0, m_restart->findData(s.restart)));
    m_tunnel->setCurrentIndex(qMax(0, m_tunnel->findData(s.tunnelConnectionId)));
    if (imageProjectCombo())
        imageProjectCombo()->setCurrentIndex(qMax(0, imageProjectCombo()->findData(s.imageProject)));
    m_hostname->setText(s.hostname);
}

void QuickServiceDialog::submit()
{
    const auto s = spec();
    if (!s)
        return m_problems->setText(s.message());
    submitJob([spec = s.value()](DeployService *service, quint64 id) { service->quickService(id, spec); });
}

} // namespace opsdeck
