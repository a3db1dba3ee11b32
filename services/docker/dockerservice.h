// The Docker backend: containers, host facts, actions and logs of each Docker connection through
// the Engine API (DockerClient: unix socket or TCP/TLS). Lives on its own worker thread. The
// container list follows the engine's /events stream (reconnected with backoff when it drops),
// not a polling loop; every action is audited.
#pragma once

#include "models/connections/connection.h"
#include "models/core/jsonlines.h"
#include "services/connections/connectionservice.h"
#include "services/docker/dockerclient.h"
#include "services/docker/dockerlogs.h"
#include "services/servicehost.h"

#include <QHash>
#include <QTimer>

namespace opsdeck {

enum class ContainerAction { Start, Stop, Restart, Remove };

struct LogOptions
{
    bool follow = true;
    int tail = 1000; // lines of history per container before following
    bool timestamps = true;
};

class DockerService : public Service
{
    Q_OBJECT
public:
    explicit DockerService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }
    // Watch every Docker connection's events (the application turns it on; tests drive it).
    void setAutoWatch(bool on) { m_autoWatch = on; }
    // The longest a log batch waits before it goes to the GUI, and the most lines it holds.
    static constexpr int logBatchMs = 50;

public slots:
    void initialize() override;
    void shutdown() override;
    // Lists the containers, the version and disk usage, and writes them in one transaction.
    void refresh(qint64 connectionId);
    // Follows /events for the connection; each container event leads to a refresh.
    void watch(qint64 connectionId);
    void unwatch(qint64 connectionId);
    // Start, stop (with a timeout in seconds), restart or remove (optionally with the container's
    // anonymous volumes, and force for a running one). One audit event per action.
    void act(quint64 requestId, qint64 connectionId, const QString &containerId,
             opsdeck::ContainerAction action, int stopTimeoutSec, bool removeVolumes, bool force);
    // Starts, stops or removes every container of a project (compose project or opsdeck.project
    // label) as a unit, one audited action each; the result names any that failed.
    void actProject(quint64 requestId, qint64 connectionId, const QString &project,
                    opsdeck::ContainerAction action);
    // Removes every stopped container of the connection (the Engine API operations in specs have
    // no prune call), one audited removal each.
    void removeStopped(quint64 requestId, qint64 connectionId);
    // Removes images by ID, one after another (DELETE /images/{id}, without force: an image a
    // container uses stays, and says so): image.remove on the host, one audit event per image.
    void removeImages(quint64 requestId, qint64 connectionId, const QStringList &imageIds);
    // Prunes each kind asked for, one after another (host.prune on the host): one audit event per
    // kind (image.prune, container.prune, volume.prune, buildcache.prune) with what the engine
    // removed and the space it freed.
    void prune(quint64 requestId, qint64 connectionId, const QList<int> &kinds);
    // Logs of one or more containers, merged by time: history first, then followed live. Lines
    // arrive in batches (logLines) until closeLogs or the streams end (logEnded).
    void openLogs(quint64 streamId, qint64 connectionId, const QStringList &containerIds,
                  const opsdeck::LogOptions &options);
    void closeLogs(quint64 streamId);

signals:
    void syncStarted(qint64 connectionId);
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void eventsStateChanged(qint64 connectionId, bool connected, const QString &message);
    void actionFinished(quint64 requestId, const QString &containerId, const opsdeck::Outcome &outcome);
    void removeStoppedProgress(quint64 requestId, int done, int total);
    void projectFinished(quint64 requestId, const QString &project, int done, int failed,
                         const QString &failures);
    void removeStoppedFinished(quint64 requestId, int removed, int failed, const QString &failures);
    // Image removals and prunes: done items, freed bytes, and what failed (one line each).
    void hostCleanupFinished(quint64 requestId, int done, qint64 reclaimed, const QStringList &failures);
    void logLines(quint64 streamId, const QList<opsdeck::LogLine> &lines);
    void logEnded(quint64 streamId, const opsdeck::Outcome &outcome);

private:
    DockerClient *clientFor(const Connection &c, Error *error);
    void scheduleRefresh(qint64 connectionId, int delayMs);
    void request(const Connection &c, const DockerRequest &r, std::function<void(const HttpResponse &)> done);
    void audit(const Connection &c, const QString &action, const QString &containerId, const QString &name,
               const Outcome &outcome, const QJsonObject &details);

    struct Watch
    {
        quint64 callId = 0;
        JsonLineStream lines;
        int failures = 0;
        bool connected = false;
        QTimer *retry = nullptr;
    };
    struct LogStream
    {
        qint64 connectionId = 0;
        bool follow = true;
        bool merged = false;  // several containers: lines sorted by time, named by container
        bool keepTime = true; // show the engine's timestamps
        QList<quint64> calls; // to cancel
        QList<QList<LogLine>> tails;
        int tailsPending = 0; // containers whose history has not arrived yet
        int liveOpen = 0;     // followed streams still running
        QList<LogLine> pending;
        QTimer *flush = nullptr;
        std::optional<Error> error;
    };
    static constexpr qsizetype maxPendingLines = 200000;
    void startWatch(qint64 connectionId);
    void followLogs(quint64 streamId, DockerClient *client, const QString &id, const QString &name,
                    const QString &source, bool tty, const QDateTime &since, const QList<LogLine> &history);
    void finishHistory(quint64 streamId);
    void flushLogs(quint64 streamId);
    void failLogStream(quint64 streamId, const Error &error);
    void endLogStream(quint64 streamId);

    QHash<qint64, DockerClient *> m_clients;
    QHash<qint64, Watch> m_watches;
    QHash<qint64, QTimer *> m_refreshTimers;
    QSet<qint64> m_refreshing;
    QHash<quint64, LogStream *> m_logs;
    bool m_demo = false;
    bool m_autoWatch = false;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::ContainerAction)
Q_DECLARE_METATYPE(opsdeck::LogOptions)
