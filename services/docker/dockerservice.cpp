#include "services/docker/dockerservice.h"
#include "services/docker/dockerservice_p.h"

#include "models/connections/connectionstore.h"
#include "models/docker/container.h"
#include "models/docker/hostimage.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/store/auditlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QUrlQuery>

#include <algorithm>

Q_LOGGING_CATEGORY(lcDockerService, "opsdeck.docker.service", QtInfoMsg)

namespace opsdeck {

namespace {
const QString containersScope = QStringLiteral("containers");

QString actionId(ContainerAction a)
{
    switch (a) {
    case ContainerAction::Start:
        return AuditAction::containerStart;
    case ContainerAction::Stop:
        return AuditAction::containerStop;
    case ContainerAction::Restart:
        return AuditAction::containerRestart;
    case ContainerAction::Remove:
        return AuditAction::containerRemove;
    }
    return {};
}
} // namespace

DockerService::DockerService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::Outcome>();
    qRegisterMetaType<opsdeck::ContainerAction>();
    qRegisterMetaType<opsdeck::LogOptions>();
    qRegisterMetaType<opsdeck::LogLine>();
    qRegisterMetaType<QList<opsdeck::LogLine>>();
}

void DockerService::initialize()
{
    if (!m_autoWatch || m_demo)
        return;
    // Every Docker connection is watched; connections added later are picked up every 30 s.
    const auto ensure = [this] {
        auto all = ConnectionStore::all(Database::connection());
        if (!all)
            return;
        QSet<qint64> present;
        for (const Connection &c : all.value()) {
            if (c.kind != ConnectionKind::Docker)
                continue;
            present.insert(c.id);
            if (!m_watches.contains(c.id)) {
                watch(c.id);
                refresh(c.id);
            }
        }
        for (qint64 id : m_watches.keys())
            if (!present.contains(id))
                unwatch(id);
    };
    auto *timer = new QTimer(this);
    timer->setInterval(30 * 1000);
    connect(timer, &QTimer::timeout, this, ensure);
    timer->start();
    QTimer::singleShot(500, this, ensure);
}

void DockerService::shutdown()
{
    for (auto it = m_logs.begin(); it != m_logs.end(); ++it)
        delete it.value();
    m_logs.clear();
    for (DockerClient *client : std::as_const(m_clients))
        client->cancelAll();
}

DockerClient *DockerService::clientFor(const Connection &c, Error *error)
{
    DockerClient *client = m_clients.value(c.id);
    if (!client) {
        client = new DockerClient(this);
        m_clients.insert(c.id, client);
    }
    if (auto r = client->configure(c); !r) {
        *error = r.error();
        return nullptr;
    }
    return client;
}

void DockerService::request(const Connection &c, const DockerRequest &r,
                            std::function<void(const HttpResponse &)> done)
{
    Error error;
    DockerClient *client = clientFor(c, &error);
    if (!client) {
        HttpResponse failed;
        failed.error = error;
        return done(failed);
    }
    client->request(r, this, std::move(done));
}

void DockerService::refresh(qint64 connectionId)
{
    if (m_refreshing.contains(connectionId)) {
        scheduleRefresh(connectionId, 300); // once more after this one: an event may be newer
        return;
    }
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found || found->kind != ConnectionKind::Docker)
        return;
    const Connection c = found.value();
    emit syncStarted(connectionId);
    if (m_demo)
        return emit syncFinished(connectionId, Outcome::success(tr("Demo data")));
    m_refreshing.insert(connectionId);
    const auto finish = [this, c](const Outcome &outcome) {
        m_refreshing.remove(c.id);
        CacheTransaction tx;
        if (tx.begin()) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            bool written = outcome.ok
                               ? ConnectionStore::recordSuccess(tx.db(), c.id, containersScope, now).ok()
                               : ConnectionStore::recordFailure(tx.db(), c.id, containersScope, now,
                                                                Error{outcome.code, outcome.message})
                                     .ok();
            if (!outcome.ok) {
                // The list keeps its last good containers; the failed refresh is audited like a
                // failed sync of any other system.
                AuditEvent e;
                e.action = AuditAction::syncFailed;
                e.system = kindId(c.kind);
                e.connectionId = c.id;
                e.connectionName = c.name;
                e.targetKind = containersScope;
                e.targetName = tr("all containers");
                e.outcome = AuditOutcome::Failure;
                e.details = {{QStringLiteral("error"), outcome.message},
                             {QStringLiteral("error_code"), outcome.code}};
                written = written && AuditLog::append(tx.db(), e).ok();
                tx.touch(AuditLog::table, c.id);
            }
            tx.touch(Tables::syncState, c.id);
            if (!written || !tx.commit())
                qCWarning(lcDockerService).noquote() << "cannot record the refresh of" << c.name;
        }
        if (!outcome.ok)
            qCWarning(lcDockerService).noquote() << "refresh of" << c.name << "failed:" << outcome.message;
        emit syncFinished(c.id, outcome);
    };
    DockerRequest list;
    list.path = "/containers/json?all=1";
    list.what = tr("Listing the containers of %1").arg(c.name);
    request(c, list, [this, c, finish](const HttpResponse &listed) {
        if (!listed.ok())
            return finish(Outcome::failure(*listed.error));
        auto containers = parseContainerList(listed.body);
        if (!containers)
            return finish(Outcome::failure(containers.error()));
        // The list was the first request after the negotiation, which read GET /version.
        DockerClient *client = m_clients.value(c.id);
        const auto negotiated = client ? client->negotiated() : std::nullopt;
        const QJsonObject versionJson = negotiated ? negotiated->answer : QJsonObject();
        const QString api = client ? QString::fromLatin1(client->apiVersion()) : QString();
        DockerRequest df;
        df.path = "/system/df";
        df.timeoutMs = 60000; // sizes take the engine a while on big hosts
        df.what = tr("Reading the disk usage of %1").arg(c.name);
        request(
            c, df,
            [this, c, finish, containers = containers.value(), versionJson, api](const HttpResponse &usage) {
                DockerRequest images;
                images.path = "/images/json";
                images.what = tr("Listing the images of %1").arg(c.name);
                request(c, images,
                        [c, finish, containers, versionJson, api, usage](const HttpResponse &listedImages) {
                            // Version, disk usage and images are extras: the containers are written even when
                            // they fail (the images then keep their last good list).
                            const auto kinds = usage.ok() ? parseDiskUsage(usage.body)
                                                          : Result<QList<DiskUsageKind>>(*usage.error);
                            const auto hostImages = listedImages.ok()
                                                        ? parseImageList(listedImages.body)
                                                        : Result<QList<HostImage>>(*listedImages.error);
                            CacheTransaction tx;
                            if (auto r = tx.begin(); !r)
                                return finish(Outcome::failure(r.error()));
                            const QDateTime now = QDateTime::currentDateTimeUtc();
                            const auto changed = storeContainers(tx.db(), c.id, containers, now);
                            if (!changed)
                                return finish(Outcome::failure(changed.error()));
                            if (auto r = storeHostFacts(
                                    tx.db(), c.id, versionJson, api,
                                    kinds ? diskUsageToJson(kinds.value())
                                          : QJsonObject{{QStringLiteral("error"), kinds.error().message}},
                                    now);
                                !r)
                                return finish(Outcome::failure(r.error()));
                            if (hostImages) {
                                if (auto r = storeHostImages(tx.db(), c.id, hostImages.value(), now); !r)
                                    return finish(Outcome::failure(r.error()));
                                tx.touch(Tables::hostImages, c.id);
                            } else {
                                qCWarning(lcDockerService).noquote()
                                    << "images of" << c.name << ":" << hostImages.message();
                            }
                            if (changed.value() > 0)
                                tx.touch(Tables::containers, c.id);
                            tx.touch(Tables::dockerHosts, c.id);
                            if (auto r = tx.commit(); !r)
                                return finish(Outcome::failure(r.error()));
                            finish(Outcome::success(tr("%n container(s)", nullptr, int(containers.size()))));
                        });
            });
    });
}

void DockerService::scheduleRefresh(qint64 connectionId, int delayMs)
{
    QTimer *&timer = m_refreshTimers[connectionId];
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, connectionId] { refresh(connectionId); });
    }
    if (!timer->isActive())
        timer->start(delayMs);
}

void DockerService::watch(qint64 connectionId)
{
    if (m_demo || (m_watches.contains(connectionId) && m_watches[connectionId].callId))
        return;
    Watch &w = m_watches[connectionId];
    if (!w.retry) {
        w.retry = new QTimer(this);
        w.retry->setSingleShot(true);
        connect(w.retry, &QTimer::timeout, this, [this, connectionId] { startWatch(connectionId); });
    }
    startWatch(connectionId);
}

void DockerService::startWatch(qint64 connectionId)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found || !m_watches.contains(connectionId))
        return;
    const Connection c = found.value();
    Error error;
    DockerClient *client = clientFor(c, &error);
    Watch &w = m_watches[connectionId];
    const auto retryLater = [this, connectionId](const QString &why) {
        if (!m_watches.contains(connectionId))
            return;
        Watch &again = m_watches[connectionId];
        again.callId = 0;
        again.lines = JsonLineStream(); // a partial line of the old stream is not continued
        const int delay = qMin(30000, 1000 << qMin(again.failures, 5)); // 1, 2, 4 … 30 s
        ++again.failures;
        if (again.connected || again.failures == 1)
            emit eventsStateChanged(
                connectionId, false,
                tr("Live updates lost (%1); reconnecting in %2 s.").arg(why).arg(delay / 1000));
        again.connected = false;
        again.retry->start(delay);
    };
    if (!client)
        return retryLater(error.message);
    DockerRequest r;
    // Container events only; the filter is JSON as the API description says.
    r.path = "/events?filters=" + enc(QStringLiteral(R"({"type":["container"]})"));
    r.timeoutMs = 0; // a stream that may be silent for hours
    r.what = tr("Following the events of %1").arg(c.name);
    w.callId = client->request(
        r, this,
        [retryLater](const HttpResponse &ended) {
            retryLater(ended.error ? ended.error->message : tr("the engine closed the stream"));
        },
        [this, connectionId](const QByteArray &data) {
            if (!m_watches.contains(connectionId))
                return;
            Watch &live = m_watches[connectionId];
            if (!live.connected) {
                live.connected = true;
                live.failures = 0;
                emit eventsStateChanged(connectionId, true, tr("Live"));
                scheduleRefresh(connectionId, 50); // whatever happened while the stream was down
            }
            // One JSON object per line; anything about a container leads to a refresh.
            bool relevant = false;
            for (const QJsonObject &event : live.lines.feed(data))
                if (event.value(QLatin1String("Type")).toString() == QLatin1String("container") ||
                    event.value(QLatin1String("status")).isString())
                    relevant = true;
            if (relevant)
                scheduleRefresh(connectionId, 200); // a burst of events, one refresh
        });
    // The engine sends nothing until the first event: a successful ping says the stream is up.
    DockerRequest ping;
    ping.path = "/_ping";
    ping.what = tr("Pinging %1").arg(c.name);
    client->request(ping, this, [this, connectionId](const HttpResponse &pong) {
        if (!pong.ok() || !m_watches.contains(connectionId))
            return;
        Watch &live = m_watches[connectionId];
        if (live.callId && !live.connected) {
            live.connected = true;
            live.failures = 0;
            emit eventsStateChanged(connectionId, true, tr("Live"));
        }
    });
}

void DockerService::unwatch(qint64 connectionId)
{
    if (!m_watches.contains(connectionId))
        return;
    Watch w = m_watches.take(connectionId);
    if (w.retry)
        w.retry->deleteLater();
    if (DockerClient *client = m_clients.value(connectionId); client && w.callId)
        client->cancel(w.callId);
}

void DockerService::audit(const Connection &c, const QString &action, const QString &containerId,
                          const QString &name, const Outcome &outcome, const QJsonObject &details)
{
    AuditEvent e;
    e.action = action;
    e.system = kindId(c.kind);
    e.connectionId = c.id;
    e.connectionName = c.name;
    // Containers by their short ID; an image by its (sha256:) ID's short form; a prune is the host's.
    const bool image = action == AuditAction::imageRemove;
    e.targetKind = image                                      ? QStringLiteral("image")
                   : action.endsWith(QLatin1String(".prune")) ? QStringLiteral("host")
                                                              : QStringLiteral("container");
    e.targetId = image ? containerId.mid(7, 12) : containerId.left(12);
    e.targetName = name;
    e.outcome = outcome.ok ? AuditOutcome::Success : AuditOutcome::Failure;
    QJsonObject d = details;
    if (!outcome.ok)
        d.insert(QStringLiteral("error"), outcome.message);
    e.details = d;
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcDockerService).noquote() << "cannot write the audit log:" << r.message();
}

void DockerService::act(quint64 requestId, qint64 connectionId, const QString &containerId,
                        ContainerAction action, int stopTimeoutSec, bool removeVolumes, bool force)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit actionFinished(requestId, containerId, Outcome::failure(found.error()));
    const Connection c = found.value();
    // The name from the cache; a container not listed yet is shown as the admin named it.
    QString name = QRegularExpression(QStringLiteral("\\A[0-9a-f]{64}\\z")).match(containerId).hasMatch()
                       ? containerId.left(12)
                       : containerId;
    QString project;
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral(
            "SELECT name, project FROM containers WHERE connection_id = ? AND container_id = ?"));
        q.addBindValue(connectionId);
        q.addBindValue(containerId);
        if (q.exec() && q.next()) {
            name = q.value(0).toString();
            project = q.value(1).toString();
        }
    }
    // Whether this person may, before the engine hears of it; a refusal is audited.
    const QString scope =
        connectionFacet(c.name) + (project.isEmpty() ? QString() : QStringLiteral(" project:") + project);
    if (auto allowed = checkActing(Database::connection(), actionId(action), scope); !allowed) {
        audit(c, actionId(action), containerId, name, Outcome::failure(allowed.error()), {});
        return emit actionFinished(requestId, containerId, Outcome::failure(allowed.error()));
    }
    QJsonObject details;
    DockerRequest r;
    r.method = "POST";
    const QByteArray id = enc(containerId);
    switch (action) {
    case ContainerAction::Start:
        r.path = "/containers/" + id + "/start";
        r.what = tr("Starting %1").arg(name);
        break;
    case ContainerAction::Stop:
        r.path = "/containers/" + id + "/stop?t=" + QByteArray::number(qBound(0, stopTimeoutSec, 3600));
        r.timeoutMs = (qBound(0, stopTimeoutSec, 3600) + 30) * 1000; // the engine waits t seconds first
        r.what = tr("Stopping %1").arg(name);
        details.insert(QStringLiteral("timeout_s"), stopTimeoutSec);
        break;
    case ContainerAction::Restart:
        r.path = "/containers/" + id + "/restart?t=" + QByteArray::number(qBound(0, stopTimeoutSec, 3600));
        r.timeoutMs = (qBound(0, stopTimeoutSec, 3600) + 30) * 1000;
        r.what = tr("Restarting %1").arg(name);
        details.insert(QStringLiteral("timeout_s"), stopTimeoutSec);
        break;
    case ContainerAction::Remove:
        r.method = "DELETE";
        r.path = "/containers/" + id + "?v=" + (removeVolumes ? "true" : "false") +
                 "&force=" + (force ? "true" : "false");
        r.what = tr("Removing %1").arg(name);
        details.insert(QStringLiteral("volumes"), removeVolumes);
        details.insert(QStringLiteral("force"), force);
        break;
    }
    r.body.clear();
    if (m_demo) {
        const Outcome refused = Outcome::failure(demoError());
        return emit actionFinished(requestId, containerId, refused);
    }
    request(c, r, [this, c, requestId, containerId, name, action, details](const HttpResponse &response) {
        Outcome outcome = response.ok() ? Outcome::success() : Outcome::failure(*response.error);
        // 304: already started / already stopped. Not an error for the admin.
        if (response.status == 304)
            outcome =
                Outcome::success(action == ContainerAction::Start ? tr("%1 was already running").arg(name)
                                                                  : tr("%1 was already stopped").arg(name));
        audit(c, actionId(action), containerId, name, outcome, details);
        emit actionFinished(requestId, containerId, outcome);
        scheduleRefresh(c.id, 100); // the events stream will say so too; this covers an engine without it
    });
}

void DockerService::actProject(quint64 requestId, qint64 connectionId, const QString &project,
                               ContainerAction action)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found || project.isEmpty())
        return emit projectFinished(requestId, project, 0, 0,
                                    found ? tr("Choose a project.") : found.message());
    if (m_demo)
        return emit projectFinished(requestId, project, 0, 0, demoError().message);
    const Connection c = found.value();
    if (auto allowed = checkActing(Database::connection(), actionId(action),
                                   connectionFacet(c.name) + QStringLiteral(" project:") + project);
        !allowed) {
        audit(c, actionId(action), QString(), project, Outcome::failure(allowed.error()), {});
        return emit projectFinished(requestId, project, 0, 0, allowed.message());
    }
    DockerRequest list;
    list.path = "/containers/json?all=1";
    list.what = tr("Listing the containers of project %1").arg(project);
    request(c, list, [this, c, requestId, project, action](const HttpResponse &listed) {
        auto containers =
            listed.ok() ? parseContainerList(listed.body) : Result<QList<Container>>(*listed.error);
        if (!containers)
            return emit projectFinished(requestId, project, 0, 0, containers.message());
        auto remaining = std::make_shared<QList<Container>>();
        for (const Container &k : containers.value())
            if (k.project == project)
                *remaining << k;
        if (remaining->isEmpty())
            return emit projectFinished(requestId, project, 0, 0,
                                        tr("No container belongs to project %1.").arg(project));
        auto done = std::make_shared<int>(0);
        auto failures = std::make_shared<QStringList>();
        auto step = std::make_shared<std::function<void()>>();
        std::weak_ptr<std::function<void()>> weak = step;
        *step = [this, c, requestId, project, action, remaining, done, failures, weak] {
            if (remaining->isEmpty()) {
                scheduleRefresh(c.id, 100);
                return emit projectFinished(requestId, project, *done, int(failures->size()),
                                            failures->join(QLatin1Char('\n')));
            }
            const Container k = remaining->takeFirst();
            DockerRequest r;
            r.method = "POST";
            QJsonObject details{{QStringLiteral("project"), project}};
            switch (action) {
            case ContainerAction::Start:
                r.path = "/containers/" + enc(k.id) + "/start";
                break;
            case ContainerAction::Stop:
                r.path = "/containers/" + enc(k.id) + "/stop?t=10";
                r.timeoutMs = 40000;
                break;
            case ContainerAction::Restart:
                r.path = "/containers/" + enc(k.id) + "/restart?t=10";
                r.timeoutMs = 40000;
                break;
            case ContainerAction::Remove:
                r.method = "DELETE";
                r.path = "/containers/" + enc(k.id) + "?v=false&force=true";
                details.insert(QStringLiteral("force"), true);
                break;
            }
            r.what = tr("%1 of project %2").arg(k.name, project);
            request(c, r,
                    [this, c, k, action, details, done, failures,
                     self = weak.lock()](const HttpResponse &response) {
                        Outcome outcome = response.ok() || response.status == 304
                                              ? Outcome::success()
                                              : Outcome::failure(*response.error);
                        audit(c, actionId(action), k.id, k.name, outcome, details);
                        if (outcome.ok)
                            ++*done;
                        else
                            *failures << k.name + QStringLiteral(": ") + outcome.message;
                        (*self)();
                    });
        };
        (*step)();
    });
}

void DockerService::openLogs(quint64 streamId, qint64 connectionId, const QStringList &containerIds,
                             const LogOptions &options)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit logEnded(streamId, Outcome::failure(found.error()));
    if (m_demo)
        return emit logEnded(
            streamId,
            Outcome::failure(makeError("demo", tr("This is the demo workspace: there are no live logs."))));
    if (containerIds.isEmpty())
        return emit logEnded(streamId,
                             Outcome::failure(makeError("docker.logs", tr("Choose a container first."))));
    const Connection c = found.value();
    Error error;
    DockerClient *client = clientFor(c, &error);
    if (!client)
        return emit logEnded(streamId, Outcome::failure(error));
    closeLogs(streamId);
    auto *stream = new LogStream;
    stream->connectionId = connectionId;
    stream->follow = options.follow;
    stream->merged = containerIds.size() > 1;
    stream->keepTime = options.timestamps;
    stream->tails.resize(containerIds.size());
    stream->tailsPending = int(containerIds.size());
    stream->flush = new QTimer(this);
    stream->flush->setInterval(logBatchMs);
    connect(stream->flush, &QTimer::timeout, this, [this, streamId] { flushLogs(streamId); });
    m_logs.insert(streamId, stream);
    // Merged logs and the overlap between history and live lines need the engine's timestamps.
    const QByteArray timestamps = "&timestamps=true";
    const QDateTime since = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < containerIds.size(); ++i) {
        const QString id = containerIds.at(i);
        // TTY containers send raw bytes, the others the multiplexed stream: the inspect says which.
        DockerRequest inspect;
        inspect.path = "/containers/" + enc(id) + "/json";
        inspect.what = tr("Inspecting container %1").arg(id.left(12));
        stream->calls << client->request(inspect, this, [=, this](const HttpResponse &r) {
            LogStream *s = m_logs.value(streamId);
            if (!s)
                return;
            if (!r.ok())
                return failLogStream(streamId, *r.error);
            const auto info = parseContainerLogInfo(r.body);
            if (!info)
                return failLogStream(streamId, info.error());
            const QString name = info->name;
            const bool tty = info->tty;
            const QString source = s->merged ? name : QString();
            auto decoder = std::make_shared<DockerLogDecoder>(!tty, true, source);
            auto lines = std::make_shared<QList<LogLine>>();
            // 1. The history (tail) of each container; shown merged by time once all are in.
            DockerRequest tail;
            tail.path = "/containers/" + enc(id) + "/logs?stdout=true&stderr=true" + timestamps +
                        "&tail=" + QByteArray::number(qMax(0, options.tail));
            tail.timeoutMs = 60000;
            tail.what = tr("Reading the logs of %1").arg(name);
            s->calls << client->request(
                tail, this,
                [=, this](const HttpResponse &done) {
                    LogStream *ls = m_logs.value(streamId);
                    if (!ls)
                        return;
                    if (!done.ok())
                        return failLogStream(streamId, *done.error);
                    decoder->finish(*lines);
                    ls->tails[i] = *lines;
                    if (options.follow)
                        followLogs(streamId, client, id, name, source, tty, since, *lines);
                    if (--ls->tailsPending == 0)
                        finishHistory(streamId);
                },
                [=, this](const QByteArray &data) {
                    if (auto fed = decoder->feed(data, *lines); !fed)
                        failLogStream(streamId, fed.error());
                });
        });
    }
}

void DockerService::followLogs(quint64 streamId, DockerClient *client, const QString &id, const QString &name,
                               const QString &source, bool tty, const QDateTime &since,
                               const QList<LogLine> &history)
{
    LogStream *s = m_logs.value(streamId);
    if (!s)
        return;
    // 2. Live lines from the moment the history was asked for; lines in both are dropped once.
    auto live = std::make_shared<DockerLogDecoder>(!tty, true, source);
    // Engines round `since` down (podman to the second), so the live stream may repeat history:
    // live lines older than the last history line are dropped, and those at its time once each.
    const QDateTime lastShown = history.isEmpty() ? QDateTime() : history.last().time;
    auto overlap = std::make_shared<QList<LogLine>>();
    for (const LogLine &l : history)
        if (l.time.isValid() && l.time == lastShown)
            *overlap << l;
    DockerRequest follow;
    follow.path = "/containers/" + enc(id) +
                  "/logs?stdout=true&stderr=true&follow=true&timestamps=true&since=" +
                  QByteArray::number(double(since.toMSecsSinceEpoch() - 1) / 1000.0, 'f', 3);
    follow.timeoutMs = 0;
    follow.what = tr("Following the logs of %1").arg(name);
    ++s->liveOpen;
    s->calls << client->request(
        follow, this,
        [this, streamId, live](const HttpResponse &ended) {
            LogStream *f = m_logs.value(streamId);
            if (!f)
                return;
            if (!ended.ok())
                return failLogStream(streamId, *ended.error);
            QList<LogLine> rest;
            live->finish(rest);
            f->pending += rest;
            // The engine ends a followed log when its container stops.
            if (--f->liveOpen == 0 && f->tailsPending == 0)
                endLogStream(streamId);
        },
        [this, streamId, live, overlap, lastShown](const QByteArray &data) {
            LogStream *f = m_logs.value(streamId);
            if (!f)
                return;
            QList<LogLine> fresh;
            if (auto r = live->feed(data, fresh); !r)
                return failLogStream(streamId, r.error());
            for (const LogLine &l : std::as_const(fresh)) {
                if (lastShown.isValid() && l.time.isValid() && l.time < lastShown)
                    continue;
                const auto dup = std::find_if(overlap->cbegin(), overlap->cend(), [&](const LogLine &seen) {
                    return seen.time == l.time && seen.text == l.text && seen.stream == l.stream;
                });
                if (dup != overlap->cend()) {
                    overlap->erase(dup);
                    continue;
                }
                f->pending << l;
            }
            // Bounded: a viewer that cannot keep up loses the oldest lines, never memory.
            if (f->pending.size() > maxPendingLines)
                f->pending.remove(0, f->pending.size() - maxPendingLines);
            if (!f->flush->isActive() && f->tailsPending == 0)
                f->flush->start();
        });
}

void DockerService::finishHistory(quint64 streamId)
{
    LogStream *s = m_logs.value(streamId);
    if (!s)
        return;
    QList<LogLine> history;
    for (const QList<LogLine> &t : std::as_const(s->tails))
        history += t;
    s->tails.clear();
    if (s->merged)
        std::stable_sort(history.begin(), history.end(),
                         [](const LogLine &a, const LogLine &b) { return a.time < b.time; });
    s->pending = history + s->pending;
    flushLogs(streamId);
    if (!s->follow || s->liveOpen == 0)
        endLogStream(streamId);
    else
        s->flush->start();
}

void DockerService::flushLogs(quint64 streamId)
{
    LogStream *s = m_logs.value(streamId);
    if (!s || s->tailsPending > 0)
        return;
    if (s->pending.isEmpty()) {
        s->flush->stop();
        return;
    }
    QList<LogLine> batch = std::exchange(s->pending, {});
    if (s->merged)
        std::stable_sort(batch.begin(), batch.end(),
                         [](const LogLine &a, const LogLine &b) { return a.time < b.time; });
    if (!s->keepTime)
        for (LogLine &l : batch)
            l.time = QDateTime(); // asked for without timestamps: the time was only for merging
    emit logLines(streamId, batch);
}

void DockerService::failLogStream(quint64 streamId, const Error &error)
{
    if (LogStream *s = m_logs.value(streamId)) {
        s->error = error;
        s->tailsPending = 0;
        endLogStream(streamId);
    }
}

void DockerService::endLogStream(quint64 streamId)
{
    flushLogs(streamId);
    LogStream *s = m_logs.take(streamId);
    if (!s)
        return;
    const Outcome outcome = s->error ? Outcome::failure(*s->error) : Outcome::success();
    if (DockerClient *client = m_clients.value(s->connectionId))
        for (quint64 call : std::as_const(s->calls))
            client->cancel(call);
    s->flush->deleteLater();
    delete s;
    emit logEnded(streamId, outcome);
}

void DockerService::closeLogs(quint64 streamId)
{
    LogStream *s = m_logs.take(streamId);
    if (!s)
        return;
    if (DockerClient *client = m_clients.value(s->connectionId))
        for (quint64 call : std::as_const(s->calls))
            client->cancel(call);
    s->flush->deleteLater();
    delete s;
}

} // namespace opsdeck
