// The team workspace on its own thread: signs in to the store as the person, LISTENs for the
// store's change announcements (opsdeck_workspace) and copies people and grants into the local
// cache in one transaction, so the window reads them like any other cached data, offline too.
// When the store stops answering, the copy stays, marked with its age, and the service keeps
// trying to sign in again with backoff.
#pragma once

#include "services/servicehost.h"
#include "services/workspace/workspacestore.h"

#include <QDateTime>

#include <memory>

class QTimer;

namespace opsdeck {

namespace Tables {
inline const QString workspacePeople = QStringLiteral("workspace_people");
inline const QString workspaceGrants = QStringLiteral("workspace_grants");
inline const QString workspaceState = QStringLiteral("workspace_state");
} // namespace Tables

class WorkspaceService : public Service
{
    Q_OBJECT
public:
    explicit WorkspaceService(QObject *parent = nullptr);
    ~WorkspaceService() override;
    // How often a silent store is asked whether it still answers (default 5 s).
    void setHealthInterval(int ms) { m_healthMs = ms; }

public slots:
    void shutdown() override;
    // Joins the team store at url as its login, with password (empty: libpq's PGPASSWORD / .pgpass).
    void joinTeam(const opsdeck::WorkspaceUrl &url, const QString &password);
    void leave();
    // Reads the store again now.
    void sync();

signals:
    // online: the store answers; message says what is wrong when it does not; syncedAt: the copy's age.
    void stateChanged(bool online, const QString &message, const QDateTime &syncedAt);
    void synced(int people, int grants);

private:
    void connectNow();
    void wentOffline(const QString &why);
    Result<void> copyToCache();
    void writeState(bool online, const QString &problem);

    WorkspaceUrl m_url;
    QString m_password;
    bool m_joined = false;
    bool m_online = false;
    std::unique_ptr<WorkspaceStore> m_store;
    QTimer *m_health = nullptr;
    QTimer *m_retry = nullptr;
    QTimer *m_coalesce = nullptr;
    int m_failures = 0;
    int m_healthMs = 5000;
    int m_generation = 0; // names each connection uniquely
    QDateTime m_syncedAt;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::WorkspaceUrl)
