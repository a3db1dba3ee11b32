#include "models/docker/hostimage.h"

#include "models/connections/connectionstore.h"
#include "models/core/jsonanswer.h"
#include "models/docker/container.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::HostImage)
};

Error schema(const QString &what)
{
    return makeError("docker.schema",
                     Tr::tr("The Docker engine's answer does not have the documented shape: %1.").arg(what));
}

bool isImageId(const QString &id)
{
    if (!id.startsWith(QLatin1String("sha256:")) || id.size() != 71)
        return false;
    for (const QChar ch : QStringView(id).mid(7))
        if (!ch.isDigit() && (ch < QLatin1Char('a') || ch > QLatin1Char('f')))
            return false;
    return true;
}
} // namespace

QString HostImage::display() const
{
    return tags.isEmpty() ? QStringLiteral("<none> (%1)").arg(id.mid(7, 12)) : tags.first();
}

Result<QList<HostImage>> parseImageList(const QByteArray &body)
{
    const auto array = jsonArrayAnswer(body, Tr::tr("The Docker engine's image list"), "docker.schema");
    if (!array)
        return array.error();
    QList<HostImage> images;
    for (const QJsonValue &v : array.value()) {
        const QJsonObject o = v.toObject();
        HostImage image;
        image.id = o.value(QLatin1String("Id")).toString();
        if (!isImageId(image.id))
            return schema(Tr::tr("an image has no \"Id\" of the form sha256:…"));
        for (const QJsonValue &t : o.value(QLatin1String("RepoTags")).toArray())
            if (t.isString() && t.toString() != QLatin1String("<none>:<none>") && t.toString().size() <= 512)
                image.tags << t.toString();
        for (const QJsonValue &d : o.value(QLatin1String("RepoDigests")).toArray())
            if (d.isString() && d.toString() != QLatin1String("<none>@<none>") && d.toString().size() <= 512)
                image.digests << d.toString();
        const double size = o.value(QLatin1String("Size")).toDouble(-1);
        if (size < 0 || size > 9.0e15)
            return schema(Tr::tr("the image %1 has no valid \"Size\"").arg(image.id.mid(7, 12)));
        image.size = qint64(size);
        const double created = o.value(QLatin1String("Created")).toDouble(0);
        if (created > 0 && created < 1.0e11)
            image.created = QDateTime::fromSecsSinceEpoch(qint64(created), Qt::UTC);
        images << image;
    }
    return images;
}

Result<void> storeHostImages(QSqlDatabase db, qint64 connectionId, const QList<HostImage> &images,
                             const QDateTime &now)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM host_images WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the host's images"));
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO host_images (connection_id, image_id, tags, digests, size, "
                       "created_at, synced_at) VALUES (?,?,?,?,?,?,?)"));
    const auto json = [](const QStringList &list) {
        return QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
    };
    for (const HostImage &image : images) {
        q.addBindValue(connectionId);
        q.addBindValue(image.id);
        q.addBindValue(json(image.tags));
        q.addBindValue(json(image.digests));
        q.addBindValue(image.size);
        q.addBindValue(image.created.isValid() ? toStoredTime(image.created) : QStringLiteral(""));
        q.addBindValue(toStoredTime(now));
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the host's images"));
    }
    return {};
}

Result<PruneAnswer> parsePruneAnswer(const QString &kind, const QByteArray &body)
{
    const auto o = jsonObjectAnswer(body, Tr::tr("The Docker engine's answer to the prune"), "docker.schema");
    if (!o)
        return o.error();
    PruneAnswer answer;
    const QString list = kind == QLatin1String("images")       ? QStringLiteral("ImagesDeleted")
                         : kind == QLatin1String("containers") ? QStringLiteral("ContainersDeleted")
                         : kind == QLatin1String("volumes")    ? QStringLiteral("VolumesDeleted")
                                                               : QStringLiteral("CachesDeleted");
    const QJsonValue items = o->value(list);
    if (!items.isArray() && !items.isNull() && !items.isUndefined())
        return schema(Tr::tr("\"%1\" is not a list").arg(list));
    for (const QJsonValue &item : items.toArray()) {
        if (item.isString())
            answer.removed << item.toString().left(200);
        else if (item.isObject()) {
            const QJsonObject i = item.toObject();
            const QString deleted = i.value(QLatin1String("Deleted")).toString();
            const QString untagged = i.value(QLatin1String("Untagged")).toString();
            answer.removed << (deleted.isEmpty() ? untagged : deleted).left(200);
        }
    }
    const double reclaimed = o->value(QLatin1String("SpaceReclaimed")).toDouble(0);
    answer.reclaimed = reclaimed > 0 && reclaimed < 9.0e15 ? qint64(reclaimed) : 0;
    return answer;
}

Result<PruneAnswer> parseImageDeleteAnswer(const QByteArray &body)
{
    const auto array =
        jsonArrayAnswer(body, Tr::tr("The Docker engine's answer to the removal"), "docker.schema");
    if (!array)
        return array.error();
    PruneAnswer answer;
    for (const QJsonValue &item : array.value()) {
        const QJsonObject i = item.toObject();
        const QString deleted = i.value(QLatin1String("Deleted")).toString();
        const QString untagged = i.value(QLatin1String("Untagged")).toString();
        if (!deleted.isEmpty() || !untagged.isEmpty())
            answer.removed << (deleted.isEmpty() ? untagged : deleted).left(200);
    }
    return answer;
}

QString pruneKindText(PruneKind kind)
{
    switch (kind) {
    case PruneKind::DanglingImages:
        return Tr::tr("dangling images");
    case PruneKind::UnusedImages:
        return Tr::tr("unused images");
    case PruneKind::StoppedContainers:
        return Tr::tr("stopped containers");
    case PruneKind::UnusedVolumes:
        return Tr::tr("unused volumes");
    case PruneKind::BuildCache:
        return Tr::tr("build cache");
    }
    return {};
}

QByteArray prunePath(PruneKind kind)
{
    switch (kind) {
    case PruneKind::DanglingImages:
        return "/images/prune?filters=" +
               QUrl::toPercentEncoding(QStringLiteral("{\"dangling\":[\"true\"]}"));
    case PruneKind::UnusedImages:
        return "/images/prune?filters=" +
               QUrl::toPercentEncoding(QStringLiteral("{\"dangling\":[\"false\"]}"));
    case PruneKind::StoppedContainers:
        return "/containers/prune";
    case PruneKind::UnusedVolumes:
        return "/volumes/prune";
    case PruneKind::BuildCache:
        return "/build/prune";
    }
    return {};
}

QString pruneAuditAction(PruneKind kind)
{
    switch (kind) {
    case PruneKind::DanglingImages:
    case PruneKind::UnusedImages:
        return QStringLiteral("image.prune");
    case PruneKind::StoppedContainers:
        return QStringLiteral("container.prune");
    case PruneKind::UnusedVolumes:
        return QStringLiteral("volume.prune");
    case PruneKind::BuildCache:
        return QStringLiteral("buildcache.prune");
    }
    return {};
}

Result<QList<PruneItem>> planPrune(QSqlDatabase cache, qint64 connectionId, const QList<PruneKind> &kinds)
{
    QList<PruneItem> items;
    QSqlQuery q(cache);
    for (const PruneKind kind : kinds) {
        switch (kind) {
        case PruneKind::DanglingImages:
        case PruneKind::UnusedImages: {
            q.prepare(QStringLiteral("SELECT i.image_id, i.tags, i.size FROM host_images i WHERE "
                                     "i.connection_id = ? AND NOT EXISTS "
                                     "(SELECT 1 FROM containers c WHERE c.connection_id = i.connection_id "
                                     "AND c.image_id = i.image_id) "
                                     "ORDER BY i.size DESC"));
            q.addBindValue(connectionId);
            if (!q.exec())
                return Database::describe(q.lastError(), Tr::tr("Reading the host's images"));
            while (q.next()) {
                const QJsonArray tags = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).array();
                if (kind == PruneKind::DanglingImages && !tags.isEmpty())
                    continue;
                items << PruneItem{kind,
                                   tags.isEmpty()
                                       ? QStringLiteral("<none> (%1)").arg(q.value(0).toString().mid(7, 12))
                                       : tags.first().toString(),
                                   q.value(2).toLongLong()};
            }
            break;
        }
        case PruneKind::StoppedContainers:
            q.prepare(QStringLiteral("SELECT name FROM containers WHERE connection_id = ? AND state IN "
                                     "('created', 'exited', 'dead') ORDER BY name"));
            q.addBindValue(connectionId);
            if (!q.exec())
                return Database::describe(q.lastError(), Tr::tr("Reading the host's containers"));
            while (q.next())
                items << PruneItem{kind, q.value(0).toString(), -1};
            break;
        case PruneKind::UnusedVolumes:
        case PruneKind::BuildCache: {
            q.prepare(QStringLiteral("SELECT disk_usage FROM docker_hosts WHERE connection_id = ?"));
            q.addBindValue(connectionId);
            if (!q.exec())
                return Database::describe(q.lastError(), Tr::tr("Reading the host's disk usage"));
            const QString wanted =
                kind == PruneKind::UnusedVolumes ? QStringLiteral("volumes") : QStringLiteral("build cache");
            if (q.next())
                for (const DiskUsageKind &k :
                     diskUsageFromJson(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object()))
                    if (k.kind == wanted && (k.count - k.active > 0 || k.reclaimable > 0))
                        items << PruneItem{
                            kind,
                            kind == PruneKind::UnusedVolumes
                                ? Tr::tr("%n volume(s) no container mounts", nullptr, k.count - k.active)
                                : Tr::tr("%n build cache record(s)", nullptr, k.count),
                            k.reclaimable};
            break;
        }
        }
    }
    return items;
}

} // namespace opsdeck
