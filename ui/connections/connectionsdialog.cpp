#include "ui/connections/connectionsdialog.h"
#include "ui/common/tones.h"

#include "models/connections/connectionsmodel.h"
#include "models/core/validation.h"
#include "services/connections/connectionservice.h"
#include "ui/common/requestid.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QWidget *withBrowse(QLineEdit *edit, QWidget *parent, std::function<void()> browse)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    auto *button = new QToolButton(row);
    button->setText(QObject::tr("Browse…"));
    QObject::connect(button, &QToolButton::clicked, row, browse);
    layout->addWidget(button);
    return row;
}
} // namespace

ConnectionsDialog::ConnectionsDialog(ConnectionsModel *model, ConnectionService *service, QWidget *parent)
    : QDialog(parent), m_model(model), m_service(service)
{
    setWindowTitle(tr("Connections"));
    setObjectName(QStringLiteral("connectionsDialog"));
    resize(900, 560);

    m_list = new QListView(this);
    m_list->setModel(m_model);
    m_list->setModelColumn(ConnectionsModel::Name);
    m_list->setAccessibleName(tr("Connections"));
    m_add = new QPushButton(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Add"), this);
    m_remove = new QPushButton(QIcon::fromTheme(QStringLiteral("list-remove")), tr("&Remove…"), this);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    left->addLayout(listButtons);

    m_kind = new QComboBox(this);
    for (ConnectionKind kind : allKinds())
        m_kind->addItem(kindDisplayName(kind), int(kind));
    m_name = new QLineEdit(this);
    m_endpoint = new QLineEdit(this);
    m_auth = new QComboBox(this);
    m_user = new QLineEdit(this);
    m_secret = new QLineEdit(this);
    m_secret->setEchoMode(QLineEdit::Password);
    m_keyFile = new QPushButton(tr("Load private key file…"), this);
    m_org = new QLineEdit(this);
    m_repos = new QLineEdit(this);
    m_repos->setPlaceholderText(tr("owner/repo, owner/other-repo"));
    m_repos->setToolTip(tr("Repositories whose own runners Opsdeck manages, besides the organization's"));
    m_oauthClient = new QLineEdit(this);
    m_oauthClient->setPlaceholderText(tr("optional: an OAuth app with the device flow enabled"));
    m_oauthClient->setToolTip(
        tr("Lets each person link their GitHub login to the workspace (Users pane › Link "
           "GitHub…). A client ID is not a secret."));
    m_installation = new QLineEdit(this);
    m_installation->setPlaceholderText(tr("found automatically"));
    m_installation->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{0,20}")), m_installation));
    m_account = new QLineEdit(this);
    m_tunnelId = new QLineEdit(this);
    m_tunnelId->setPlaceholderText(tr("for a remotely managed tunnel"));
    m_zoneId = new QLineEdit(this);
    m_zoneId->setPlaceholderText(tr("the zone of the route hostnames (DNS records)"));
    m_tunnelConfig = new QLineEdit(this);
    m_tunnelConfig->setPlaceholderText(tr("/etc/cloudflared/config.yml (a locally managed tunnel)"));
    m_restart = new QLineEdit(this);
    m_restart->setPlaceholderText(tr("optional, e.g. systemctl restart cloudflared (no shell)"));
    m_ca = new QLineEdit(this);
    m_cert = new QLineEdit(this);
    m_key = new QLineEdit(this);
    m_interval = new QSpinBox(this);
    m_interval->setRange(1, 24 * 60);
    m_interval->setSuffix(tr(" min"));
    m_interval->setValue(5);

    m_form = new QFormLayout;
    m_form->addRow(tr("&Kind:"), m_kind);
    m_form->addRow(tr("&Name:"), m_name);
    m_form->addRow(tr("&URL:"), m_endpoint);
    m_form->addRow(tr("&Organization:"), m_org);
    m_form->addRow(tr("Re&positories:"), m_repos);
    m_form->addRow(tr("OAuth &client ID:"), m_oauthClient);
    m_form->addRow(tr("Account &ID:"), m_account);
    m_form->addRow(tr("Tunnel I&D:"), m_tunnelId);
    m_form->addRow(tr("&Zone ID:"), m_zoneId);
    m_form->addRow(tr("Tunnel &config file:"), withBrowse(m_tunnelConfig, this, [this] {
                       browseFile(m_tunnelConfig, tr("cloudflared configuration"),
                                  tr("YAML files (*.yml *.yaml);;All files (*)"));
                   }));
    m_form->addRow(tr("Restart co&mmand:"), m_restart);
    m_form->addRow(tr("Au&thentication:"), m_auth);
    m_form->addRow(tr("&User name:"), m_user);
    auto *installationRow = new QWidget(this);
    auto *installationLayout = new QHBoxLayout(installationRow);
    installationLayout->setContentsMargins(0, 0, 0, 0);
    installationLayout->addWidget(m_installation, 1);
    m_findInstallations = new QToolButton(installationRow);
    m_findInstallations->setText(tr("Find…"));
    m_findInstallations->setToolTip(tr("List the GitHub App's installations and choose one"));
    installationLayout->addWidget(m_findInstallations);
    connect(m_findInstallations, &QToolButton::clicked, this, &ConnectionsDialog::findInstallations);
    m_form->addRow(tr("I&nstallation ID:"), installationRow);
    auto *secretRow = new QWidget(this);
    auto *secretLayout = new QHBoxLayout(secretRow);
    secretLayout->setContentsMargins(0, 0, 0, 0);
    secretLayout->addWidget(m_secret, 1);
    secretLayout->addWidget(m_keyFile);
    m_form->addRow(tr("&Secret:"), secretRow);
    m_form->addRow(tr("&CA file:"), withBrowse(m_ca, this, [this] {
                       browseFile(m_ca, tr("CA certificates"), tr("PEM files (*.pem *.crt);;All files (*)"));
                   }));
    m_form->addRow(tr("Client c&ertificate:"), withBrowse(m_cert, this, [this] {
                       browseFile(m_cert, tr("Client certificate"),
                                  tr("PEM files (*.pem *.crt);;All files (*)"));
                   }));
    m_form->addRow(tr("Client &key:"), withBrowse(m_key, this, [this] {
                       browseFile(m_key, tr("Client key"), tr("PEM files (*.pem *.key);;All files (*)"));
                   }));
    m_form->addRow(tr("S&ync every:"), m_interval);
    // The fields that share their row with a button have no label of their own for a screen reader.
    for (const auto &[field, name] :
         {std::pair{m_tunnelConfig, tr("Tunnel config file")},
          std::pair{m_installation, tr("Installation ID")}, std::pair{m_secret, tr("Secret")},
          std::pair{m_ca, tr("CA file")}, std::pair{m_cert, tr("Client certificate")},
          std::pair{m_key, tr("Client key")}})
        field->setAccessibleName(name);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName(QStringLiteral("connectionMessage"));
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumHeight(10);
    m_busy->setTextVisible(false);
    m_busy->hide();

    m_test = new QPushButton(tr("&Test connection"), this);
    m_save = new QPushButton(tr("Sa&ve"), this);
    m_save->setDefault(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_test, QDialogButtonBox::ActionRole);
    buttons->addButton(m_save, QDialogButtonBox::ApplyRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *right = new QVBoxLayout;
    right->addLayout(m_form);
    right->addStretch();
    right->addWidget(m_message);
    right->addWidget(m_busy);
    right->addWidget(buttons);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 2);
    layout->addLayout(right, 5);

    connect(m_kind, &QComboBox::currentIndexChanged, this, &ConnectionsDialog::onKindChanged);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &ConnectionsDialog::onAuthChanged);
    connect(m_endpoint, &QLineEdit::textChanged, this, &ConnectionsDialog::updateRows);
    connect(m_cert, &QLineEdit::textChanged, this, &ConnectionsDialog::updateRows);
    connect(m_add, &QPushButton::clicked, this,
            [this] { startNew(ConnectionKind(m_kind->currentData().toInt())); });
    connect(m_remove, &QPushButton::clicked, this, &ConnectionsDialog::removeCurrent);
    connect(m_test, &QPushButton::clicked, this, &ConnectionsDialog::test);
    connect(m_save, &QPushButton::clicked, this, [this] { save(false); });
    connect(m_keyFile, &QPushButton::clicked, this, &ConnectionsDialog::loadPrivateKey);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) {
                if (index.isValid())
                    loadConnection(m_model->connectionAt(index.row()));
            });
    connect(m_service, &ConnectionService::saved, this, &ConnectionsDialog::onSaved);
    connect(m_service, &ConnectionService::tested, this, &ConnectionsDialog::onTested);
    connect(m_service, &ConnectionService::removed, this, &ConnectionsDialog::onRemoved);
    connect(m_service, &ConnectionService::installationsListed, this,
            &ConnectionsDialog::onInstallationsListed);

    if (m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(0, ConnectionsModel::Name));
    else
        startNew(ConnectionKind::GitHub);
}

void ConnectionsDialog::startNew(ConnectionKind kind)
{
    Connection c;
    c.kind = kind;
    c.endpoint = defaultBaseUrl(kind);
    c.auth = authKindsFor(kind).first();
    c.syncIntervalSec = m_defaultSyncMin * 60;
    m_list->clearSelection();
    m_list->setCurrentIndex({});
    loadConnection(c);
    m_name->setFocus();
    showMessage(tr("A new %1 connection. Fill in the fields, test it, then save.").arg(kindDisplayName(kind)),
                false);
}

void ConnectionsDialog::findInstallations()
{
    const Connection c = formConnection();
    if (c.auth != AuthKind::GitHubApp)
        return;
    if (c.username.trimmed().isEmpty())
        return showMessage(tr("Enter the App ID first."), true);
    const QString key = m_secret->text();
    if (key.isEmpty() && c.id == 0)
        return showMessage(tr("Load the App's private key first."), true);
    m_installationsRequest = nextRequestId();
    setBusy(true, tr("Listing the GitHub App's installations…"));
    QMetaObject::invokeMethod(m_service, [service = m_service, id = m_installationsRequest, c, key] {
        service->listInstallations(id, c, key, true);
    });
}

void ConnectionsDialog::onInstallationsListed(quint64 requestId, const Outcome &outcome,
                                              const QList<GitHubInstallation> &installations)
{
    if (requestId != m_installationsRequest)
        return;
    m_installationsRequest = 0;
    setBusy(false);
    if (!outcome.ok)
        return showMessage(outcome.message, true);
    QStringList items;
    for (const GitHubInstallation &i : installations)
        items << i.describe();
    bool ok = installations.size() == 1;
    int chosen = 0;
    if (!ok) {
        const QString item = QInputDialog::getItem(this, tr("GitHub App installation"),
                                                   tr("The App is installed on several accounts. Choose the "
                                                      "one whose runners this connection manages:"),
                                                   items, 0, false, &ok);
        chosen = int(items.indexOf(item));
    }
    if (!ok || chosen < 0)
        return showMessage(tr("No installation chosen."), false);
    m_installation->setText(QString::number(installations.at(chosen).id));
    showMessage(tr("Installation %1 chosen: save to keep it.").arg(items.at(chosen)), false);
}

void ConnectionsDialog::selectConnection(qint64 id)
{
    const int row = m_model->rowOfKey(id);
    if (row >= 0)
        m_list->setCurrentIndex(m_model->index(row, ConnectionsModel::Name));
}

void ConnectionsDialog::loadConnection(const Connection &c)
{
    m_current = c;
    const QSignalBlocker block(m_kind);
    m_kind->setCurrentIndex(m_kind->findData(int(c.kind)));
    m_kind->setEnabled(c.id == 0); // a saved connection keeps its kind
    onKindChanged();
    m_name->setText(c.name);
    m_endpoint->setText(c.endpoint);
    m_auth->setCurrentIndex(qMax(0, m_auth->findData(int(c.auth))));
    m_user->setText(c.username);
    m_secret->clear();
    m_org->setText(c.option(QStringLiteral("org")));
    m_installation->setText(c.option(QStringLiteral("installation_id")));
    m_repos->setText(c.option(QStringLiteral("repos")));
    m_oauthClient->setText(c.option(QStringLiteral("oauth_client_id")));
    m_account->setText(c.option(QStringLiteral("account_id")));
    m_tunnelId->setText(c.option(QStringLiteral("tunnel_id")));
    m_zoneId->setText(c.option(QStringLiteral("zone_id")));
    m_tunnelConfig->setText(c.option(QStringLiteral("config_file")));
    m_restart->setText(c.option(QStringLiteral("restart_command")));
    m_ca->setText(c.caFile);
    m_cert->setText(c.clientCertFile);
    m_key->setText(c.clientKeyFile);
    m_interval->setValue(qMax(1, c.syncIntervalSec / 60));
    m_remove->setEnabled(c.id != 0);
    onAuthChanged();
    showMessage(c.id != 0 ? m_model->healthAt(m_model->rowOfKey(c.id)).tooltip : QString(), false);
}

void ConnectionsDialog::onKindChanged()
{
    const auto kind = ConnectionKind(m_kind->currentData().toInt());
    const QSignalBlocker block(m_auth);
    const QVariant previous = m_auth->currentData();
    m_auth->clear();
    for (AuthKind auth : authKindsFor(kind))
        m_auth->addItem(authDisplayName(auth), int(auth));
    const int keep = m_auth->findData(previous);
    m_auth->setCurrentIndex(keep >= 0 ? keep : 0);
    m_endpoint->setPlaceholderText(defaultBaseUrl(kind));
    if (m_current.id == 0 && (m_endpoint->text().isEmpty() || allKinds().contains(kind))) {
        // A new connection: suggest the kind's usual endpoint unless the admin typed one.
        bool typed = !m_endpoint->text().isEmpty();
        for (ConnectionKind k : allKinds())
            if (m_endpoint->text() == defaultBaseUrl(k))
                typed = false;
        if (!typed)
            m_endpoint->setText(defaultBaseUrl(kind));
    }
    onAuthChanged();
}

void ConnectionsDialog::onAuthChanged()
{
    const auto auth = AuthKind(m_auth->currentData().toInt());
    m_form->setRowVisible(m_user, auth == AuthKind::Basic || auth == AuthKind::GitHubApp);
    m_form->setRowVisible(m_installation->parentWidget(), auth == AuthKind::GitHubApp);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_user)))
        label->setText(auth == AuthKind::GitHubApp ? tr("App &ID:") : tr("&User name:"));
    const bool secret = auth != AuthKind::None;
    m_form->setRowVisible(m_secret->parentWidget(), secret);
    m_keyFile->setVisible(auth == AuthKind::GitHubApp);
    m_secret->setReadOnly(auth == AuthKind::GitHubApp);
    const QString stored =
        m_current.id != 0 ? tr(" (stored in the keychain; leave empty to keep)") : QString();
    m_secret->setPlaceholderText(auth == AuthKind::Basic       ? tr("Password") + stored
                                 : auth == AuthKind::GitHubApp ? tr("Private key (PEM)") + stored
                                                               : tr("Token") + stored);
    updateRows();
}

void ConnectionsDialog::updateRows()
{
    const auto kind = ConnectionKind(m_kind->currentData().toInt());
    const bool docker = kind == ConnectionKind::Docker;
    const bool dockerTcp = docker && m_endpoint->text().trimmed().startsWith(QLatin1String("tcp://"));
    m_form->setRowVisible(m_org, kind == ConnectionKind::GitHub);
    m_form->setRowVisible(m_repos, kind == ConnectionKind::GitHub);
    m_form->setRowVisible(m_oauthClient, kind == ConnectionKind::GitHub);
    m_form->setRowVisible(m_account, kind == ConnectionKind::Cloudflare);
    for (QWidget *w : {static_cast<QWidget *>(m_tunnelId), static_cast<QWidget *>(m_zoneId),
                       m_tunnelConfig->parentWidget(), static_cast<QWidget *>(m_restart)})
        m_form->setRowVisible(w, kind == ConnectionKind::Cloudflare);
    m_form->setRowVisible(m_auth, authKindsFor(kind).size() > 1);
    m_form->setRowVisible(m_cert->parentWidget(), dockerTcp);
    m_form->setRowVisible(m_key->parentWidget(), dockerTcp);
    m_form->setRowVisible(m_ca->parentWidget(), !docker || dockerTcp);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_endpoint)))
        label->setText(docker ? tr("&Docker host:") : tr("&URL:"));
}

Connection ConnectionsDialog::formConnection() const
{
    Connection c = m_current;
    c.kind = ConnectionKind(m_kind->currentData().toInt());
    c.name = m_name->text().trimmed();
    c.endpoint = m_endpoint->text().trimmed();
    c.auth = AuthKind(m_auth->currentData().toInt());
    c.username = m_user->text().trimmed();
    c.caFile = m_ca->text().trimmed();
    const bool dockerTcp = c.kind == ConnectionKind::Docker && c.endpoint.startsWith(QLatin1String("tcp://"));
    c.clientCertFile = dockerTcp ? m_cert->text().trimmed() : QString();
    c.clientKeyFile = dockerTcp ? m_key->text().trimmed() : QString();
    c.syncIntervalSec = m_interval->value() * 60;
    QJsonObject options = c.options;
    options.remove(QStringLiteral("org"));
    options.remove(QStringLiteral("account_id"));
    options.remove(QStringLiteral("installation_id"));
    options.remove(QStringLiteral("repos"));
    options.remove(QStringLiteral("oauth_client_id"));
    if (c.kind == ConnectionKind::GitHub) {
        options.insert(QStringLiteral("org"), m_org->text().trimmed());
        if (!m_oauthClient->text().trimmed().isEmpty())
            options.insert(QStringLiteral("oauth_client_id"), m_oauthClient->text().trimmed());
        if (const auto repos = parseRepositoryList(m_repos->text()); repos && !repos->isEmpty()) {
            QStringList names;
            for (const RepositoryId &r : repos.value())
                names << r.fullName();
            options.insert(QStringLiteral("repos"), names.join(QStringLiteral(", ")));
        } else if (!m_repos->text().trimmed().isEmpty()) {
            options.insert(QStringLiteral("repos"), m_repos->text().trimmed()); // validation names the fault
        }
    }
    if (c.auth == AuthKind::GitHubApp && !m_installation->text().trimmed().isEmpty())
        options.insert(QStringLiteral("installation_id"), m_installation->text().trimmed());
    for (const char *key : {"tunnel_id", "zone_id", "config_file", "restart_command"})
        options.remove(QLatin1String(key));
    if (c.kind == ConnectionKind::Cloudflare) {
        options.insert(QStringLiteral("account_id"), m_account->text().trimmed());
        const std::pair<const char *, QLineEdit *> fields[] = {{"tunnel_id", m_tunnelId},
                                                               {"zone_id", m_zoneId},
                                                               {"config_file", m_tunnelConfig},
                                                               {"restart_command", m_restart}};
        for (const auto &[key, edit] : fields)
            if (!edit->text().trimmed().isEmpty())
                options.insert(QLatin1String(key), edit->text().trimmed());
    }
    c.options = options;
    return c;
}

QString ConnectionsDialog::message() const
{
    return m_message->text();
}

void ConnectionsDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, toneColour(Tone::Bad));
    m_message->setPalette(p);
    m_message->setAccessibleDescription(text);
}

void ConnectionsDialog::setBusy(bool busy, const QString &what)
{
    m_busy->setVisible(busy);
    m_test->setEnabled(!busy);
    m_save->setEnabled(!busy);
    m_remove->setEnabled(!busy && m_current.id != 0);
    m_add->setEnabled(!busy);
    if (busy)
        showMessage(what, false);
    emit busyChanged(busy);
}

void ConnectionsDialog::save(bool memoryOnly)
{
    const Connection c = formConnection();
    if (auto valid = validateConnection(c); !valid)
        return showMessage(valid.message(), true);
    const QString secret = m_secret->text();
    const bool secretChanged = !secret.isEmpty();
    if (c.id == 0 && c.needsSecret() && !secretChanged)
        return showMessage(tr("Enter the secret for this connection; it is kept in the OS keychain."), true);
    m_pending = nextRequestId();
    m_pendingSecret = secret;
    m_pendingSecretChanged = secretChanged;
    setBusy(true, tr("Saving…"));
    const quint64 id = m_pending;
    QMetaObject::invokeMethod(m_service, [service = m_service, id, c, secret, secretChanged, memoryOnly] {
        service->save(id, c, secret, secretChanged, memoryOnly);
    });
}

void ConnectionsDialog::onSaved(quint64 requestId, const Connection &c, const Outcome &outcome)
{
    if (requestId != m_pending)
        return;
    m_pending = 0;
    setBusy(false);
    if (!outcome.ok && outcome.code == QLatin1String("keychain.unavailable")) {
        const auto answer =
            QMessageBox::question(this, tr("No keychain"),
                                  tr("%1\n\nOpsdeck never writes secrets to a file. Keep this secret in "
                                     "memory for this session only? "
                                     "You will have to enter it again after Opsdeck restarts.")
                                      .arg(outcome.message),
                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer == QMessageBox::Yes) {
            m_secret->setText(m_pendingSecret);
            save(true);
        } else {
            showMessage(tr("Not saved: %1").arg(outcome.message), true);
        }
        m_pendingSecret.clear();
        return;
    }
    m_pendingSecret.clear();
    if (!outcome.ok)
        return showMessage(tr("Not saved: %1").arg(outcome.message), true);
    m_current = c;
    m_secret->clear();
    m_kind->setEnabled(false);
    onAuthChanged();
    showMessage(outcome.message.isEmpty() ? tr("Saved.") : tr("Saved. %1").arg(outcome.message), false);
    // The model reloads after the commit; select the saved row when it arrives.
    auto select = [this, id = c.id] {
        const int row = m_model->rowOfKey(id);
        if (row >= 0) {
            const QSignalBlocker block(m_list->selectionModel());
            m_list->setCurrentIndex(m_model->index(row, ConnectionsModel::Name));
        }
    };
    select();
    connect(m_model, &ConnectionsModel::loaded, this, select, Qt::SingleShotConnection);
}

void ConnectionsDialog::test()
{
    const Connection c = formConnection();
    if (auto valid = validateConnection(c); !valid)
        return showMessage(valid.message(), true);
    const QString secret = m_secret->text();
    if (c.id == 0 && c.needsSecret() && secret.isEmpty())
        return showMessage(tr("Enter the secret to test this connection."), true);
    m_pending = nextRequestId();
    setBusy(true, tr("Testing %1…").arg(c.endpoint));
    const quint64 id = m_pending;
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, id, c, secret] { service->test(id, c, secret, true); });
}

void ConnectionsDialog::onTested(quint64 requestId, const Outcome &outcome)
{
    if (requestId != m_pending)
        return;
    m_pending = 0;
    setBusy(false);
    showMessage(outcome.ok ? tr("✔ %1").arg(outcome.message) : tr("✘ %1").arg(outcome.message), !outcome.ok);
}

void ConnectionsDialog::removeCurrent()
{
    if (m_current.id == 0)
        return;
    const auto answer = QMessageBox::warning(
        this, tr("Remove connection"),
        tr("Remove the connection \"%1\"? Its cached data and its secret in the keychain are deleted too.")
            .arg(m_current.name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_pending = nextRequestId();
    setBusy(true, tr("Removing…"));
    const quint64 requestId = m_pending;
    const qint64 id = m_current.id;
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, requestId, id] { service->remove(requestId, id); });
}

void ConnectionsDialog::onRemoved(quint64 requestId, qint64, const Outcome &outcome)
{
    if (requestId != m_pending)
        return;
    m_pending = 0;
    setBusy(false);
    if (!outcome.ok)
        return showMessage(tr("Not removed: %1").arg(outcome.message), true);
    startNew(m_current.kind);
    showMessage(outcome.message.isEmpty() ? tr("Removed.") : outcome.message, !outcome.message.isEmpty());
}

void ConnectionsDialog::browseFile(QLineEdit *target, const QString &title, const QString &filter)
{
    const QString file = QFileDialog::getOpenFileName(this, title, target->text(), filter);
    if (!file.isEmpty())
        target->setText(file);
}

void ConnectionsDialog::loadPrivateKey()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("GitHub App private key"), {},
                                                      tr("PEM files (*.pem);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > 64 * 1024)
        return showMessage(tr("Cannot read the private key %1.").arg(path), true);
    const QByteArray pem = file.readAll();
    if (!pem.contains("PRIVATE KEY-----"))
        return showMessage(tr("%1 is not a PEM private key.").arg(path), true);
    m_secret->setText(QString::fromLatin1(pem));
    showMessage(tr("Private key loaded; it is stored in the keychain when you save."), false);
}

} // namespace opsdeck
