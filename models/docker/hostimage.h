// The images on a Docker host, pure: the Engine's image list (GET /images/json), its answers to a
// removal (DELETE /images/{name}) and to the prune operations (POST /images/prune,
// /containers/prune, /volumes/prune, /build/prune), and what a prune would take away, planned from
// the cache before anything is asked so that the confirmation can list it.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace opsdeck {

struct HostImage
{
    QString id; // "sha256:…"
    QStringList tags;
    QStringList digests;
    qint64 size = 0;
    QDateTime created;
    bool dangling() const { return tags.isEmpty(); }
    QString display() const; // its first tag, or the short ID of a dangling image
};
// GET /images/json: "<none>:<none>" and "<none>@<none>" left out of tags and digests.
Result<QList<HostImage>> parseImageList(const QByteArray &body);

namespace Tables {
inline const QString hostImages = QStringLiteral("host_images");
} // namespace Tables

// Replaces the host's image list in the cache (inside the caller's transaction).
Result<void> storeHostImages(QSqlDatabase db, qint64 connectionId, const QList<HostImage> &images,
                             const QDateTime &now);

// What an Engine prune or removal answered: the items it names and the bytes it freed.
struct PruneAnswer
{
    QStringList removed;
    qint64 reclaimed = 0;
};
// kind: "images" (ImagesDeleted: Untagged/Deleted), "containers" (ContainersDeleted), "volumes"
// (VolumesDeleted), "build cache" (CachesDeleted).
Result<PruneAnswer> parsePruneAnswer(const QString &kind, const QByteArray &body);
// DELETE /images/{name}: [{"Untagged": …}, {"Deleted": …}].
Result<PruneAnswer> parseImageDeleteAnswer(const QByteArray &body);

// The prune kinds and how each is asked of the Engine (path with its query).
enum class PruneKind { DanglingImages, UnusedImages, StoppedContainers, UnusedVolumes, BuildCache };
QString pruneKindText(PruneKind kind);
QByteArray prunePath(PruneKind kind);
QString pruneAuditAction(PruneKind kind); // image.prune, container.prune, volume.prune, buildcache.prune

// One line of a prune's confirmation: what goes, and the bytes it frees where the cache knows them
// (-1: the engine will say).
struct PruneItem
{
    PruneKind kind;
    QString name;
    qint64 size = -1;
};

// What pruning kinds on a host would take away, from the cache: images and stopped containers by
// name with their sizes, volumes and build cache as the engine's last disk-usage count.
// "cache.read" when the cache cannot be read.
Result<QList<PruneItem>> planPrune(QSqlDatabase cache, qint64 connectionId, const QList<PruneKind> &kinds);

} // namespace opsdeck
