// Where desktop notices come from: the services' signals and the workspace's copy, turned into
// notices (models/core/desktopnotice.h) for the DesktopNotifier. Deploy jobs that end, a
// connection's first failed sync, image requests waiting for this person or answered, budget
// alerts, and imported test runs with new failures.
#pragma once

#include "models/core/desktopnotice.h"

#include <QObject>

namespace opsdeck {

class ConnectionsModel;
class DesktopNotifier;
struct Outcome;
struct PaneContext;
class ConnectionService;

class NoticeHub : public QObject
{
    Q_OBJECT
public:
    NoticeHub(DesktopNotifier *notifier, ConnectionsModel *connections, ConnectionService *connectionService,
              const PaneContext &services, QObject *parent = nullptr);

    // Reads the image requests of the workspace's copy again (on its change announcements).
    void readRequests();

private:
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void send(const QList<DesktopNotice> &notices);
    void seedFailing();

    DesktopNotifier *m_notifier;
    ConnectionsModel *m_connections;
    SyncFailureWatch m_syncs;
    RequestWatch m_requests;
    bool m_seeded = false;
};

} // namespace opsdeck
