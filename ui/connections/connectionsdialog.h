// Add, edit, test and remove backend connections. Secrets go to the OS keychain through the
// connection service; the dialog never stores them anywhere.
#pragma once

#include "models/connections/connection.h"
#include "services/connections/probes.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace opsdeck {

class ConnectionService;
class ConnectionsModel;
struct Outcome;

class ConnectionsDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectionsDialog(ConnectionsModel *model, ConnectionService *service, QWidget *parent = nullptr);

    // Opens with a new connection of this kind in the form.
    void startNew(ConnectionKind kind);
    // How often a new connection syncs until its form says otherwise (Settings › Defaults).
    void setDefaultSyncIntervalMin(int minutes) { m_defaultSyncMin = minutes; }
    void selectConnection(qint64 id);
    // The connection as the form describes it now (for tests).
    Connection formConnection() const;
    QString message() const;

    // Test hooks: fill fields the way a person would.
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *endpointEdit() const { return m_endpoint; }
    QLineEdit *secretEdit() const { return m_secret; }
    QLineEdit *orgEdit() const { return m_org; }
    QLineEdit *reposEdit() const { return m_repos; }
    QLineEdit *oauthClientEdit() const { return m_oauthClient; }
    QLineEdit *installationEdit() const { return m_installation; }
    QToolButton *findInstallationsButton() const { return m_findInstallations; }
    QComboBox *kindCombo() const { return m_kind; }
    QComboBox *authCombo() const { return m_auth; }
    QLineEdit *userEdit() const { return m_user; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *testButton() const { return m_test; }

signals:
    void busyChanged(bool busy);

private:
    void loadConnection(const Connection &c);
    void onKindChanged();
    void onAuthChanged();
    void updateRows();
    void save(bool memoryOnly);
    void test();
    void removeCurrent();
    void setBusy(bool busy, const QString &what = {});
    void showMessage(const QString &text, bool error);
    void onSaved(quint64 requestId, const opsdeck::Connection &c, const opsdeck::Outcome &outcome);
    void onTested(quint64 requestId, const opsdeck::Outcome &outcome);
    void onRemoved(quint64 requestId, qint64 id, const opsdeck::Outcome &outcome);
    void browseFile(QLineEdit *target, const QString &title, const QString &filter);
    void loadPrivateKey();
    void findInstallations();
    void onInstallationsListed(quint64 requestId, const opsdeck::Outcome &outcome,
                               const QList<opsdeck::GitHubInstallation> &installations);

    ConnectionsModel *m_model;
    ConnectionService *m_service;
    Connection m_current;
    quint64 m_pending = 0;
    quint64 m_installationsRequest = 0;
    QString m_pendingSecret;
    bool m_pendingSecretChanged = false;

    QListView *m_list;
    QPushButton *m_add;
    QPushButton *m_remove;
    QFormLayout *m_form;
    QComboBox *m_kind;
    QLineEdit *m_name;
    QLineEdit *m_endpoint;
    QComboBox *m_auth;
    QLineEdit *m_user;
    QLineEdit *m_secret;
    QPushButton *m_keyFile;
    QLineEdit *m_org;
    QLineEdit *m_repos;
    QLineEdit *m_oauthClient;
    QLineEdit *m_tunnelId;
    QLineEdit *m_zoneId;
    QLineEdit *m_tunnelConfig;
    QLineEdit *m_restart;
    QToolButton *m_findInstallations;
    QLineEdit *m_installation;
    QLineEdit *m_account;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QSpinBox *m_interval;
    QLabel *m_message;
    QProgressBar *m_busy;
    QPushButton *m_test;
    QPushButton *m_save;
    int m_defaultSyncMin = 5;
};

} // namespace opsdeck
