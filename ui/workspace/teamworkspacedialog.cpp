#include "ui/workspace/teamworkspacedialog.h"
#include "ui/common/tones.h"

#include "models/core/appsettings.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/workspacestatus.h"
#include "services/connections/secretstore.h"
#include "services/store/auditlog.h"
#include "services/workspace/workspaceservice.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcWorkspaceUi, "opsdeck.workspace.ui", QtInfoMsg)

namespace opsdeck {

namespace {
QString localLogin()
{
    return WorkspaceStore::loginFor(AuditLog::currentOsUser());
}
} // namespace

void TeamWorkspaceDialog::signIn(WorkspaceService *service, AppSettings *settings, QObject *context)
{
    const QString text = settings->workspaceUrl();
    const QString localPath = settings->localWorkspacePath();
    if (text.isEmpty()) {
        QMetaObject::invokeMethod(service,
                                  [service, localPath] { service->openLocal(localPath, localLogin()); });
        return;
    }
    const auto url = parseWorkspaceUrl(text);
    if (!url) {
        // A settings file edited by hand: say so, and keep working on the local store.
        qCWarning(lcWorkspaceUi).noquote()
            << "the joined workspace in settings is not usable:" << url.message();
        QMetaObject::invokeMethod(service,
                                  [service, localPath] { service->openLocal(localPath, localLogin()); });
        return;
    }
    const QString desktop = settings->desktopId();
    const WorkspaceUrl where = url.value();
    SecretStore::instance()->read(
        AppSettings::workspaceSecretKey(where.display()), context,
        [service, where, desktop](const Result<QString> &password) {
            if (!password && password.error().code != QLatin1String("keychain.missing"))
                qCWarning(lcWorkspaceUi).noquote() << "the team workspace's password:" << password.message();
            const QString secret = password ? password.value() : QString();
            QMetaObject::invokeMethod(
                service, [service, where, secret, desktop] { service->joinTeam(where, secret, desktop); });
        });
}

TeamWorkspaceDialog::TeamWorkspaceDialog(WorkspaceService *service, AppSettings *settings, QWidget *parent)
    : QDialog(parent), m_service(service), m_settings(settings)
{
    setWindowTitle(tr("Team Workspace"));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    m_state = new QLabel(this);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_state);

    auto *joinBox = new QGroupBox(tr("Join a team workspace"), this);
    auto *form = new QFormLayout(joinBox);
    m_address = new QLineEdit(joinBox);
    m_address->setPlaceholderText(tr("postgresql://LOGIN@HOST:5432/DATABASE?sslmode=verify-full"));
    m_address->setClearButtonEnabled(true);
    m_address->setText(settings->workspaceUrl());
    form->addRow(tr("&Address:"), m_address);
    m_password = new QLineEdit(joinBox);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("empty: PGPASSWORD, ~/.pgpass, or the client certificate below"));
    form->addRow(tr("&Password:"), m_password);
    // A client certificate instead of (or with) a password: its file and its key's, read at Join.
    const auto fileRow = [this, joinBox](QLineEdit *&edit, const QString &placeholder, const QString &title,
                                         const QString &filter) {
        edit = new QLineEdit(joinBox);
        edit->setPlaceholderText(placeholder);
        edit->setClearButtonEnabled(true);
        auto *browse = new QPushButton(tr("Browse…"), joinBox);
        connect(browse, &QPushButton::clicked, this, [this, edit, title, filter] {
            const QString file = QFileDialog::getOpenFileName(this, title, edit->text(), filter);
            if (!file.isEmpty())
                edit->setText(file);
        });
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(browse);
        return row;
    };
    form->addRow(tr("Client &certificate:"),
                 fileRow(m_certificate, tr("optional: PEM file (e.g. alice.crt)"), tr("Client Certificate"),
                         tr("Certificates (*.crt *.pem *.cer);;All files (*)")));
    form->addRow(tr("Certificate &key:"),
                 fileRow(m_key, tr("its private key, PEM (e.g. alice.key)"), tr("Client Certificate Key"),
                         tr("Keys (*.key *.pem);;All files (*)")));
    auto *hint =
        new QLabel(tr("The workspace's database owner gives you the address and your login. The "
                      "password, or the client certificate and its key, are kept in the keychain, "
                      "never in settings; the files can go once you have joined. Joining replaces this "
                      "desktop's own workspace in the Users pane; your local audit log is sent to "
                      "the team's trail."),
                   joinBox);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(hint);
    layout->addWidget(joinBox);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->hide();
    layout->addWidget(m_busy);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_join = m_buttons->addButton(tr("&Join"), QDialogButtonBox::AcceptRole);
    m_join->setDefault(true);
    m_leave = m_buttons->addButton(tr("&Leave Team Workspace…"), QDialogButtonBox::DestructiveRole);
    layout->addWidget(m_buttons);
    disconnect(m_buttons, nullptr, this, nullptr);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_join, &QPushButton::clicked, this, &TeamWorkspaceDialog::join);
    connect(m_leave, &QPushButton::clicked, this, &TeamWorkspaceDialog::leave);
    connect(m_address, &QLineEdit::textChanged, this, [this] { updateState(); });
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(QStringLiteral("workspace_state")) || tables.contains(AuditLog::table))
                    updateState();
            });
    updateState();
}

QString TeamWorkspaceDialog::stateText() const
{
    return m_state->text();
}

QString TeamWorkspaceDialog::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void TeamWorkspaceDialog::updateState()
{
    const WorkspaceStatus status = readWorkspaceStatus(Database::connection());
    m_state->setText(status.describe());
    const bool busy = !m_busy->isHidden();
    m_join->setEnabled(!busy && !m_address->text().trimmed().isEmpty() && !Database::isReadOnly());
    m_leave->setEnabled(!busy && !m_settings->workspaceUrl().isEmpty());
    m_leave->setToolTip(m_leave->isEnabled() ? QString()
                                             : tr("This desktop has not joined a team workspace."));
}

void TeamWorkspaceDialog::setBusy(bool busy, const QString &message)
{
    m_busy->setVisible(busy);
    m_address->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_certificate->setEnabled(!busy);
    m_key->setEnabled(!busy);
    if (!message.isEmpty())
        showMessage(message, false);
    updateState();
}

void TeamWorkspaceDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText, error ? toneColour(Tone::Bad) : palette.color(QPalette::Text));
    m_message->setPalette(palette);
    m_message->setVisible(!text.isEmpty());
}

void TeamWorkspaceDialog::join()
{
    const QString text = m_address->text().trimmed();
    const auto url = parseWorkspaceUrl(text);
    if (!url) {
        showMessage(url.message(), true);
        m_address->setFocus();
        emit finishedJoining(false);
        return;
    }
    if (url->user.isEmpty()) {
        showMessage(tr("Put your login in the address: postgresql://LOGIN@%1:%2/%3.")
                        .arg(url->host)
                        .arg(url->port)
                        .arg(url->database),
                    true);
        m_address->setFocus();
        emit finishedJoining(false);
        return;
    }
    const WorkspaceUrl where = url.value();
    WorkspaceCredential credential = WorkspaceCredential::fromPassword(m_password->text());
    if (!m_certificate->text().trimmed().isEmpty() || !m_key->text().trimmed().isEmpty()) {
        const auto files =
            WorkspaceCredential::fromFiles(m_certificate->text().trimmed(), m_key->text().trimmed());
        if (!files) {
            showMessage(files.message(), true);
            (m_certificate->text().trimmed().isEmpty() ? m_certificate : m_key)->setFocus();
            emit finishedJoining(false);
            return;
        }
        credential.certificate = files->certificate;
        credential.key = files->key;
    }
    // Nothing to keep: libpq's PGPASSWORD or ~/.pgpass.
    const QString secret =
        credential.password.isEmpty() && !credential.hasCertificate() ? QString() : credential.toSecret();
    const QString desktop = m_settings->desktopId();
    setBusy(true, tr("Signing in to %1…").arg(where.display()));
    // The service answers once; this dialog may be gone by then (context: this).
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(
        m_service, &WorkspaceService::joinFinished, this,
        [this, connection, text, where, secret](bool ok, const QString &message) {
            disconnect(*connection);
            setBusy(false);
            if (!ok) {
                showMessage(message, true);
                emit finishedJoining(false);
                return;
            }
            m_settings->setWorkspaceUrl(text);
            m_password->clear();
            m_certificate->clear();
            m_key->clear();
            updateState();
            if (secret.isEmpty()) {
                showMessage(message, false);
                emit finishedJoining(true);
                return;
            }
            SecretStore::instance()->write(
                AppSettings::workspaceSecretKey(where.display()), secret, this,
                [this, message, where, secret](const Result<void> &written) {
                    if (written) {
                        showMessage(message, false);
                    } else {
                        SecretStore::keepInMemory(AppSettings::workspaceSecretKey(where.display()), secret);
                        showMessage(tr("%1 The password or certificate could not be kept in the keychain "
                                       "(%2): it is kept in memory until Opsdeck quits.")
                                        .arg(message, written.message()),
                                    true);
                    }
                    emit finishedJoining(true);
                });
        });
    QMetaObject::invokeMethod(m_service, [service = m_service, where, secret, desktop] {
        service->joinTeam(where, secret, desktop, true);
    });
}

void TeamWorkspaceDialog::leave()
{
    const WorkspaceStatus status = readWorkspaceStatus(Database::connection());
    QString text = tr("Leave the team workspace %1?\n\nThis desktop forgets its copy of the team's people "
                      "and grants and goes back to its own local workspace. The team store keeps "
                      "everything, your audit events included.")
                       .arg(status.address);
    if (status.pendingAudit > 0)
        text += QLatin1Char('\n') +
                tr("%n audit event(s) of this desktop have not reached the team store yet; they are "
                   "sent if you join again.",
                   nullptr, int(qMin<qint64>(status.pendingAudit, INT_MAX)));
    QMessageBox ask(QMessageBox::Warning, tr("Leave Team Workspace"), text, QMessageBox::Cancel, this);
    QPushButton *confirm = ask.addButton(tr("&Leave"), QMessageBox::DestructiveRole);
    ask.setDefaultButton(QMessageBox::Cancel);
    ask.exec();
    if (ask.clickedButton() != confirm)
        return;
    const auto url = parseWorkspaceUrl(m_settings->workspaceUrl());
    m_settings->setWorkspaceUrl({});
    if (url) {
        const QString key = AppSettings::workspaceSecretKey(url->display());
        SecretStore::forgetInMemory(key);
        SecretStore::instance()->remove(key, this, [](const Result<void> &removed) {
            if (!removed && removed.error().code != QLatin1String("keychain.missing"))
                qCWarning(lcWorkspaceUi).noquote()
                    << "the team workspace's password stays in the keychain:" << removed.message();
        });
    }
    const QString localPath = m_settings->localWorkspacePath();
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, localPath] { service->leave(localPath, localLogin()); });
    showMessage(tr("Left the team workspace; this desktop uses its own workspace again."), false);
    updateState();
}

} // namespace opsdeck
