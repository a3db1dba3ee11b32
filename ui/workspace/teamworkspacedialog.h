// File › Team workspace…: which workspace this desktop uses and how it stands (online, the copy's
// age, the audit events still waiting to be sent); join a team's (address and password; the join
// is tried before anything is kept, then the address goes to settings and the password to the
// keychain), or leave it and go back to the desktop's own local workspace.
//
// signIn() is what the application runs at start: the joined team with the keychain's password,
// or the local store.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace opsdeck {

class AppSettings;
class WorkspaceService;

class TeamWorkspaceDialog : public QDialog
{
    Q_OBJECT
public:
    TeamWorkspaceDialog(WorkspaceService *service, AppSettings *settings, QWidget *parent = nullptr);

    // Opens the workspace this data directory uses: the joined team (password from the keychain,
    // or libpq's PGPASSWORD / ~/.pgpass), or else the local store.
    static void signIn(WorkspaceService *service, AppSettings *settings, QObject *context);

    QLineEdit *addressEdit() const { return m_address; }
    QLineEdit *passwordEdit() const { return m_password; }
    // A client certificate and its key, as PEM files: read at Join and kept in the keychain.
    QLineEdit *certificateEdit() const { return m_certificate; }
    QLineEdit *keyEdit() const { return m_key; }
    QPushButton *joinButton() const { return m_join; }
    QPushButton *leaveButton() const { return m_leave; }
    QString stateText() const;
    QString messageText() const;

signals:
    void finishedJoining(bool ok);

private:
    void join();
    void leave();
    void updateState();
    void setBusy(bool busy, const QString &message = {});
    void showMessage(const QString &text, bool error);

    WorkspaceService *m_service;
    AppSettings *m_settings;
    QLabel *m_state;
    QLineEdit *m_address;
    QLineEdit *m_password;
    QLineEdit *m_certificate;
    QLineEdit *m_key;
    QLabel *m_message;
    QProgressBar *m_busy;
    QPushButton *m_join;
    QPushButton *m_leave;
    QDialogButtonBox *m_buttons;
};

} // namespace opsdeck
