// Docker containers as the cache keeps them, the mapping from the Engine API's JSON
// (GET /containers/json, ContainerSummary) and the cache writes of a refresh.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>

namespace opsdeck {

struct PortBinding
{
    QString ip;
    int privatePort = 0;
    int publicPort = 0; // 0: not published
    QString type;       // tcp, udp, sctp
    bool operator==(const PortBinding &) const = default;
};

struct Container
{
    QString id;
    QString name; // without the leading '/'
    QString image;
    QString imageId; // the image's ID ("sha256:…"), which the image list names it by
    QString state;   // created, running, paused, restarting, removing, exited, dead
    QString status;  // "Up 3 hours (healthy)"
    QString health;  // healthy, unhealthy, starting, or empty
    QString project;
    QList<PortBinding> ports;
    QJsonObject labels;
    QStringList volumes; // named volumes it mounts
    QDateTime created;
    bool operator==(const Container &) const = default;
};

namespace Tables {
inline const QString containers = QStringLiteral("containers");
inline const QString dockerHosts = QStringLiteral("docker_hosts");
} // namespace Tables

// The compose project (com.docker.compose.project) or Opsdeck's own opsdeck.project label.
QString projectOf(const QJsonObject &labels);
// "Up 3 hours (healthy)" -> "healthy"; "(health: starting)" -> "starting".
QString healthFromStatus(const QString &status);
// The state an engine before API 1.23 (no "State" field) means by its status text: "Up 2 hours"
// -> running, "Up 2 hours (Paused)" -> paused, "Exited (0) 3 days ago" -> exited, …; "unknown"
// for a text no engine writes, empty for an empty one.
QString stateFromStatus(const QString &status);
// "127.0.0.1:8080->80/tcp, 443/tcp"
QString describePorts(const QList<PortBinding> &ports);

// One ContainerSummary object; names the first missing or mistyped required field.
Result<Container> containerFromJson(const QJsonObject &object);
Result<QList<Container>> parseContainerList(const QByteArray &body);

// POST /containers/create: {"Id": "…", "Warnings": […]}. The id goes into later request paths,
// so only a hexadecimal id (12 to 128 digits) is accepted.
Result<QString> parseCreatedContainer(const QByteArray &body);
// GET /containers/{id}/json, as the log view needs it: whether the container has a TTY (its logs
// are then one plain stream, not multiplexed) and its name without the leading "/".
struct ContainerLogInfo
{
    bool tty = false;
    QString name;
};
Result<ContainerLogInfo> parseContainerLogInfo(const QByteArray &body);

// Replaces one connection's containers inside the caller's transaction: new ones added, known ones
// updated, those no longer listed deleted (the engine removed them). Returns how many changed.
Result<int> storeContainers(QSqlDatabase db, qint64 connectionId, const QList<Container> &containers,
                            const QDateTime &now);
// Host facts for the pane: the version answer and a disk usage summary.
// apiVersion: what Opsdeck's requests are pinned to (EngineApi::negotiate).
Result<void> storeHostFacts(QSqlDatabase db, qint64 connectionId, const QJsonObject &version,
                            const QString &apiVersion, const QJsonObject &diskUsage, const QDateTime &now);

// GET /system/df (API 1.47 shape) summarised per kind: count, size, reclaimable bytes. The images'
// size is the engine's LayersSize, what `docker system df` shows: layers shared by several images
// count once, and layers no listed image names (an empty list, say) count too (podman, which
// answers LayersSize 0, gets the sum of its images). Their reclaimable
// part is what no container uses, computed as the Docker CLI does. An answer in the API 1.48+
// shape (ImageUsage, ContainerUsage, …) is refused: requests are pinned to 1.47, so it means a
// proxy or engine ignored the pinned version, and reading it as 1.47 would show zeros.
struct DiskUsageKind
{
    QString kind; // images, containers, volumes, build cache
    int count = 0;
    int active = 0;
    qint64 size = 0;
    qint64 reclaimable = 0;
};
Result<QList<DiskUsageKind>> parseDiskUsage(const QByteArray &body);
QJsonObject diskUsageToJson(const QList<DiskUsageKind> &kinds);
QList<DiskUsageKind> diskUsageFromJson(const QJsonObject &json);

} // namespace opsdeck
