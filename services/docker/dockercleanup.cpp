// The Docker service's clean-ups of a host (services/docker/dockerservice.h): images removed,
// prunes of each kind, stopped containers removed, each audited on its own.
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
#include <QSqlQuery>

namespace opsdeck {

void DockerService::removeImages(quint64 requestId, qint64 connectionId, const QStringList &imageIds)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit hostCleanupFinished(requestId, 0, 0, {found.message()});
    const Connection c = found.value();
    if (m_demo)
        return emit hostCleanupFinished(requestId, 0, 0, {demoError().message});
    if (auto allowed = checkActing(Database::connection(), AuditAction::imageRemove, connectionFacet(c.name));
        !allowed) {
        audit(c, AuditAction::imageRemove, QString(), tr("%n image(s)", nullptr, int(imageIds.size())),
              Outcome::failure(allowed.error()), {});
        return emit hostCleanupFinished(requestId, 0, 0, {allowed.message()});
    }
    // What the cache knows of each image: its name and size, for the audit and the freed bytes.
    QHash<QString, std::pair<QString, qint64>> known;
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT image_id, tags, size FROM host_images WHERE connection_id = ?"));
        q.addBindValue(c.id);
        if (q.exec())
            while (q.next()) {
                const QJsonArray tags = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).array();
                known.insert(q.value(0).toString(),
                             {tags.isEmpty() ? q.value(0).toString().mid(7, 12) : tags.first().toString(),
                              q.value(2).toLongLong()});
            }
    }
    auto remaining = std::make_shared<QStringList>(imageIds);
    auto done = std::make_shared<int>(0);
    auto freed = std::make_shared<qint64>(0);
    auto failures = std::make_shared<QStringList>();
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weak = step;
    *step = [this, c, requestId, remaining, done, freed, failures, known, weak] {
        if (remaining->isEmpty()) {
            scheduleRefresh(c.id, 100);
            return emit hostCleanupFinished(requestId, *done, *freed, *failures);
        }
        const QString id = remaining->takeFirst();
        const auto info = known.value(id, {id.mid(7, 12), 0});
        if (!id.startsWith(QLatin1String("sha256:")) || id.size() != 71) {
            *failures << tr("%1 is not an image ID.").arg(id.left(80));
            return (*weak.lock())();
        }
        DockerRequest r;
        r.method = "DELETE";
        r.path = "/images/" + enc(id) + "?force=false&noprune=false";
        r.what = tr("Removing the image %1").arg(info.first);
        request(c, r,
                [this, c, id, info, done, freed, failures, self = weak.lock()](const HttpResponse &response) {
                    const auto answer = response.ok() ? parseImageDeleteAnswer(response.body)
                                                      : Result<PruneAnswer>(*response.error);
                    const Outcome outcome = answer ? Outcome::success() : Outcome::failure(answer.error());
                    QJsonObject details{{QStringLiteral("size"), info.second}};
                    if (answer)
                        details.insert(QStringLiteral("removed"),
                                       QJsonArray::fromStringList(answer->removed));
                    audit(c, AuditAction::imageRemove, id, info.first, outcome, details);
                    if (answer) {
                        ++*done;
                        *freed += info.second;
                    } else {
                        *failures << info.first + QStringLiteral(": ") + outcome.message;
                    }
                    (*self)();
                });
    };
    (*step)();
}

void DockerService::prune(quint64 requestId, qint64 connectionId, const QList<int> &kinds)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit hostCleanupFinished(requestId, 0, 0, {found.message()});
    const Connection c = found.value();
    if (m_demo)
        return emit hostCleanupFinished(requestId, 0, 0, {demoError().message});
    if (auto allowed = checkActing(Database::connection(), AuditAction::hostPrune, connectionFacet(c.name));
        !allowed) {
        for (int k : kinds)
            audit(c, pruneAuditAction(PruneKind(k)), QString(), pruneKindText(PruneKind(k)),
                  Outcome::failure(allowed.error()), {});
        return emit hostCleanupFinished(requestId, 0, 0, {allowed.message()});
    }
    auto remaining = std::make_shared<QList<int>>(kinds);
    auto done = std::make_shared<int>(0);
    auto freed = std::make_shared<qint64>(0);
    auto failures = std::make_shared<QStringList>();
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weak = step;
    *step = [this, c, requestId, remaining, done, freed, failures, weak] {
        if (remaining->isEmpty()) {
            scheduleRefresh(c.id, 100);
            return emit hostCleanupFinished(requestId, *done, *freed, *failures);
        }
        const auto kind = PruneKind(remaining->takeFirst());
        if (int(kind) < int(PruneKind::DanglingImages) || int(kind) > int(PruneKind::BuildCache)) {
            *failures << tr("Unknown prune kind %1.").arg(int(kind));
            return (*weak.lock())();
        }
        DockerRequest r;
        r.method = "POST";
        r.path = prunePath(kind);
        r.timeoutMs = 300000; // a prune of a big host takes its time
        r.what = tr("Pruning the %1 of %2").arg(pruneKindText(kind), c.name);
        request(
            c, r, [this, c, kind, done, freed, failures, self = weak.lock()](const HttpResponse &response) {
                const QString answerKind = kind == PruneKind::StoppedContainers ? QStringLiteral("containers")
                                           : kind == PruneKind::UnusedVolumes   ? QStringLiteral("volumes")
                                           : kind == PruneKind::BuildCache ? QStringLiteral("build cache")
                                                                           : QStringLiteral("images");
                auto answer = response.ok() ? parsePruneAnswer(answerKind, response.body)
                                            : Result<PruneAnswer>(*response.error);
                if (!response.ok() && response.status == 404 && kind == PruneKind::BuildCache)
                    answer = makeError(
                        "docker.unsupported",
                        tr("%1 does not offer build-cache pruning (it answered 404 to POST /build/prune; "
                           "podman keeps no build cache there).")
                            .arg(c.name));
                const Outcome outcome = answer ? Outcome::success() : Outcome::failure(answer.error());
                QJsonObject details;
                if (answer) {
                    details.insert(QStringLiteral("removed"), QJsonArray::fromStringList(answer->removed));
                    details.insert(QStringLiteral("reclaimed"), answer->reclaimed);
                }
                audit(c, pruneAuditAction(kind), QString(), pruneKindText(kind), outcome, details);
                if (answer) {
                    ++*done;
                    *freed += answer->reclaimed;
                } else {
                    *failures << pruneKindText(kind) + QStringLiteral(": ") + outcome.message;
                }
                (*self)();
            });
    };
    (*step)();
}

void DockerService::removeStopped(quint64 requestId, qint64 connectionId)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit removeStoppedFinished(requestId, 0, 0, found.message());
    const Connection c = found.value();
    if (m_demo)
        return emit removeStoppedFinished(requestId, 0, 0, demoError().message);
    if (auto allowed =
            checkActing(Database::connection(), AuditAction::containerRemove, connectionFacet(c.name));
        !allowed) {
        audit(c, AuditAction::containerRemove, QString(), tr("stopped containers"),
              Outcome::failure(allowed.error()), {});
        return emit removeStoppedFinished(requestId, 0, 0, allowed.message());
    }
    DockerRequest list;
    // Filtered here, not with the engine's status filter: engines disagree on the states they know.
    list.path = "/containers/json?all=1";
    list.what = tr("Listing the stopped containers of %1").arg(c.name);
    request(c, list, [this, c, requestId](const HttpResponse &listed) {
        auto containers =
            listed.ok() ? parseContainerList(listed.body) : Result<QList<Container>>(*listed.error);
        if (!containers)
            return emit removeStoppedFinished(requestId, 0, 0, containers.message());
        QList<Container> stopped;
        for (const Container &one : containers.value())
            if (one.state == QLatin1String("created") || one.state == QLatin1String("exited") ||
                one.state == QLatin1String("dead"))
                stopped << one;
        auto remaining = std::make_shared<QList<Container>>(stopped);
        auto removed = std::make_shared<int>(0);
        auto failures = std::make_shared<QStringList>();
        const int total = int(remaining->size());
        auto step = std::make_shared<std::function<void()>>();
        std::weak_ptr<std::function<void()>> weak = step;
        *step = [this, c, requestId, remaining, removed, failures, total, weak] {
            if (remaining->isEmpty()) {
                scheduleRefresh(c.id, 100);
                return emit removeStoppedFinished(requestId, *removed, int(failures->size()),
                                                  failures->join(QLatin1Char('\n')));
            }
            const Container victim = remaining->takeFirst();
            DockerRequest r;
            r.method = "DELETE";
            r.path = "/containers/" + enc(victim.id) + "?v=false&force=false";
            r.what = tr("Removing %1").arg(victim.name);
            request(c, r,
                    [this, c, requestId, victim, removed, failures, remaining, total,
                     self = weak.lock()](const HttpResponse &response) {
                        const Outcome outcome =
                            response.ok() ? Outcome::success() : Outcome::failure(*response.error);
                        audit(c, AuditAction::containerRemove, victim.id, victim.name, outcome,
                              {{QStringLiteral("reason"), QStringLiteral("remove stopped containers")}});
                        if (outcome.ok)
                            ++*removed;
                        else
                            *failures << victim.name + QStringLiteral(": ") + outcome.message;
                        emit removeStoppedProgress(requestId, total - int(remaining->size()), total);
                        (*self)();
                    });
        };
        (*step)();
    });
}

} // namespace opsdeck
