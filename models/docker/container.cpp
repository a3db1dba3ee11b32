#include "models/docker/container.h"

#include "models/connections/connectionstore.h"
#include "models/core/jsonanswer.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <limits>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Container)
};

QString compact(const QJsonValue &v)
{
    return QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                         : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

QJsonArray portsToJson(const QList<PortBinding> &ports)
{
    QJsonArray out;
    for (const PortBinding &p : ports)
        out << QJsonObject{{QStringLiteral("ip"), p.ip},
                           {QStringLiteral("private"), p.privatePort},
                           {QStringLiteral("public"), p.publicPort},
                           {QStringLiteral("type"), p.type}};
    return out;
}
} // namespace

QString projectOf(const QJsonObject &labels)
{
    const QString compose = labels.value(QLatin1String("com.docker.compose.project")).toString();
    return compose.isEmpty() ? labels.value(QLatin1String("opsdeck.project")).toString() : compose;
}

QString healthFromStatus(const QString &status)
{
    static const QRegularExpression re(QStringLiteral("\\((?:health: )?(healthy|unhealthy|starting)\\)"));
    const auto m = re.match(status);
    return m.hasMatch() ? m.captured(1) : QString();
}

QString stateFromStatus(const QString &status)
{
    // The words of the engine's own status text (daemon/container state String()).
    static const QList<std::pair<QLatin1String, QLatin1String>> words{
        {QLatin1String("Up "), QLatin1String("running")},
        {QLatin1String("Restarting"), QLatin1String("restarting")},
        {QLatin1String("Removal In Progress"), QLatin1String("removing")},
        {QLatin1String("Dead"), QLatin1String("dead")},
        {QLatin1String("Created"), QLatin1String("created")},
        {QLatin1String("Exited"), QLatin1String("exited")},
        {QLatin1String("Paused"), QLatin1String("paused")}};
    if (status.startsWith(QLatin1String("Up ")) && status.contains(QLatin1String("(Paused)")))
        return QStringLiteral("paused");
    for (const auto &[prefix, state] : words)
        if (status.startsWith(prefix))
            return state;
    return status.isEmpty() ? QString() : QStringLiteral("unknown");
}

QString describePorts(const QList<PortBinding> &ports)
{
    QStringList parts;
    for (const PortBinding &p : ports) {
        const QString inside = QStringLiteral("%1/%2").arg(p.privatePort).arg(p.type);
        parts << (p.publicPort ? QStringLiteral("%1:%2->%3")
                                     .arg(p.ip.isEmpty() ? QStringLiteral("0.0.0.0") : p.ip)
                                     .arg(p.publicPort)
                                     .arg(inside)
                               : inside);
    }
    parts.removeDuplicates();
    return parts.join(QStringLiteral(", "));
}

Result<Container> containerFromJson(const QJsonObject &o)
{
    const auto missing = [](const char *field, const char *type) {
        return makeError("docker.schema",
                         Tr::tr("The Docker engine sent a container without a valid \"%1\" (%2 expected).")
                             .arg(QLatin1String(field), QLatin1String(type)));
    };
    if (!o.value(QLatin1String("Id")).isString() || o.value(QLatin1String("Id")).toString().isEmpty())
        return missing("Id", "string");
    if (!o.value(QLatin1String("Names")).isArray())
        return missing("Names", "array");
    // Engines before API 1.23 send no "State"; their "Status" says the same in words.
    const QString state = o.value(QLatin1String("State")).isString()
                              ? o.value(QLatin1String("State")).toString()
                              : stateFromStatus(o.value(QLatin1String("Status")).toString());
    if (state.isEmpty())
        return missing("State", "string");
    Container c;
    c.id = o.value(QLatin1String("Id")).toString();
    const QJsonArray names = o.value(QLatin1String("Names")).toArray();
    c.name = names.isEmpty() ? c.id.left(12) : names.first().toString();
    if (c.name.startsWith(QLatin1Char('/')))
        c.name.remove(0, 1);
    c.image = o.value(QLatin1String("Image")).toString();
    c.imageId = o.value(QLatin1String("ImageID")).toString().left(200);
    c.state = state;
    c.status = o.value(QLatin1String("Status")).toString();
    c.health = healthFromStatus(c.status);
    c.labels = o.value(QLatin1String("Labels")).toObject();
    c.project = projectOf(c.labels);
    c.created = QDateTime::fromSecsSinceEpoch(o.value(QLatin1String("Created")).toInteger(), Qt::UTC);
    for (const QJsonValue &v : o.value(QLatin1String("Ports")).toArray()) {
        const QJsonObject p = v.toObject();
        if (!p.value(QLatin1String("PrivatePort")).isDouble())
            return missing("Ports[].PrivatePort", "integer");
        c.ports << PortBinding{
            p.value(QLatin1String("IP")).toString(), p.value(QLatin1String("PrivatePort")).toInt(),
            p.value(QLatin1String("PublicPort")).toInt(), p.value(QLatin1String("Type")).toString()};
    }
    for (const QJsonValue &v : o.value(QLatin1String("Mounts")).toArray()) {
        const QJsonObject m = v.toObject();
        if (m.value(QLatin1String("Type")).toString() == QLatin1String("volume") &&
            !m.value(QLatin1String("Name")).toString().isEmpty())
            c.volumes << m.value(QLatin1String("Name")).toString();
    }
    return c;
}

namespace {
Result<QJsonObject> engineObject(const QByteArray &body, const QString &what)
{
    return jsonObjectAnswer(body, Tr::tr("The Docker engine's answer to %1").arg(what), "docker.schema");
}
} // namespace

Result<QString> parseCreatedContainer(const QByteArray &body)
{
    const auto o = engineObject(body, Tr::tr("the container creation"));
    if (!o)
        return o.error();
    const QString id = o->value(QLatin1String("Id")).toString();
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{12,128}$"));
    if (!hex.match(id).hasMatch())
        return makeError(
            "docker.schema",
            Tr::tr("The Docker engine's answer has no valid container id (\"%1\").").arg(id.left(80)));
    return id;
}

Result<ContainerLogInfo> parseContainerLogInfo(const QByteArray &body)
{
    const auto o = engineObject(body, Tr::tr("the container inspection"));
    if (!o)
        return o.error();
    ContainerLogInfo info;
    const QJsonValue tty = o->value(QLatin1String("Config")).toObject().value(QLatin1String("Tty"));
    if (!tty.isUndefined() && !tty.isBool())
        return makeError("docker.schema",
                         Tr::tr("The Docker engine's container details have no valid Config.Tty."));
    info.tty = tty.toBool();
    info.name = o->value(QLatin1String("Name")).toString();
    if (info.name.startsWith(QLatin1Char('/')))
        info.name.remove(0, 1);
    return info;
}

Result<QList<Container>> parseContainerList(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(
            "json.malformed",
            Tr::tr("The Docker engine's container list is not valid JSON: %1").arg(error.errorString()));
    if (!doc.isArray())
        return makeError("docker.schema", Tr::tr("The Docker engine's container list is not a JSON array."));
    QList<Container> out;
    for (const QJsonValue &v : doc.array()) {
        auto c = containerFromJson(v.toObject());
        if (!c)
            return c.error();
        out << c.value();
    }
    return out;
}

Result<int> storeContainers(QSqlDatabase db, qint64 connectionId, const QList<Container> &containers,
                            const QDateTime &now)
{
    QHash<QString, QString> known; // id -> a fingerprint of the stored row
    {
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("SELECT container_id, name || image || state || status || ports || labels || "
                           "volumes || image_id FROM containers WHERE connection_id = ?"));
        q.addBindValue(connectionId);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Reading containers"));
        while (q.next())
            known.insert(q.value(0).toString(), q.value(1).toString());
    }
    int changed = 0;
    QSqlQuery upsert(db);
    upsert.prepare(QStringLiteral(
        "INSERT INTO containers (connection_id, container_id, name, image, state, status, "
        "health, project, ports, "
        "labels, volumes, created_at, updated_at, image_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (connection_id, container_id) DO UPDATE SET name = excluded.name, image "
        "= excluded.image, image_id = excluded.image_id, "
        "state = excluded.state, status = excluded.status, health = excluded.health, project "
        "= excluded.project, "
        "ports = excluded.ports, labels = excluded.labels, volumes = excluded.volumes, "
        "updated_at = excluded.updated_at"));
    for (const Container &c : containers) {
        const QString ports = compact(portsToJson(c.ports));
        const QString labels = compact(c.labels);
        const QString volumes = compact(QJsonArray::fromStringList(c.volumes));
        const auto it = known.constFind(c.id);
        const bool same = it != known.constEnd() &&
                          *it == c.name + c.image + c.state + c.status + ports + labels + volumes + c.imageId;
        known.remove(c.id);
        if (same)
            continue;
        ++changed;
        upsert.addBindValue(connectionId);
        upsert.addBindValue(c.id);
        upsert.addBindValue(c.name);
        upsert.addBindValue(c.image.isNull() ? QStringLiteral("") : c.image);
        upsert.addBindValue(c.state);
        // A null QString binds as SQL NULL: empty texts go in as ''.
        upsert.addBindValue(c.status.isNull() ? QStringLiteral("") : c.status);
        upsert.addBindValue(c.health.isNull() ? QStringLiteral("") : c.health);
        upsert.addBindValue(c.project.isNull() ? QStringLiteral("") : c.project);
        upsert.addBindValue(ports);
        upsert.addBindValue(labels);
        upsert.addBindValue(volumes);
        upsert.addBindValue(toStoredTime(c.created));
        upsert.addBindValue(toStoredTime(now));
        upsert.addBindValue(c.imageId.isNull() ? QStringLiteral("") : c.imageId);
        if (!upsert.exec())
            return Database::describe(upsert.lastError(), Tr::tr("Writing containers"));
    }
    // Whatever is left was removed from the engine.
    QSqlQuery remove(db);
    remove.prepare(QStringLiteral("DELETE FROM containers WHERE connection_id = ? AND container_id = ?"));
    for (auto it = known.constBegin(); it != known.constEnd(); ++it) {
        remove.addBindValue(connectionId);
        remove.addBindValue(it.key());
        if (!remove.exec())
            return Database::describe(remove.lastError(), Tr::tr("Removing containers"));
        ++changed;
    }
    return changed;
}

Result<void> storeHostFacts(QSqlDatabase db, qint64 connectionId, const QJsonObject &version,
                            const QString &apiVersion, const QJsonObject &diskUsage, const QDateTime &now)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO docker_hosts (connection_id, version, api_version, disk_usage, checked_at) VALUES "
        "(?,?,?,?,?) ON CONFLICT (connection_id) DO UPDATE SET version = excluded.version, "
        "api_version = excluded.api_version, disk_usage = excluded.disk_usage, checked_at = "
        "excluded.checked_at"));
    q.addBindValue(connectionId);
    q.addBindValue(compact(version));
    q.addBindValue(apiVersion);
    q.addBindValue(compact(diskUsage));
    q.addBindValue(toStoredTime(now));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the Docker host's facts"));
    return {};
}

namespace {
// Sizes as the engine sends them, bounded: -1 means "not computed", and no sum may overflow.
qint64 sizeOf(const QJsonValue &v)
{
    const double d = v.toDouble();
    return d > 0 && d < 9.0e15 ? qint64(d) : 0;
}
void add(qint64 &total, qint64 n)
{
    if (__builtin_add_overflow(total, n, &total))
        total = std::numeric_limits<qint64>::max();
}
} // namespace

Result<QList<DiskUsageKind>> parseDiskUsage(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError("docker.schema",
                         Tr::tr("The Docker engine's disk usage answer is not a JSON object."));
    const QJsonObject o = doc.object();
    if (!o.contains(QLatin1String("LayersSize")) &&
        (o.contains(QLatin1String("ImageUsage")) || o.contains(QLatin1String("ContainerUsage"))))
        return makeError(
            "docker.api-version",
            Tr::tr("The Docker engine answered the disk usage in the shape of API 1.48 or newer, "
                   "although Opsdeck asked for an older version; the sizes are not shown rather "
                   "than shown wrong. Is a proxy in front of the engine rewriting the request path?"));
    DiskUsageKind images{QStringLiteral("images")}, containers{QStringLiteral("containers")},
        volumes{QStringLiteral("volumes")}, cache{QStringLiteral("build cache")};
    qint64 listed = 0, used = 0;
    for (const QJsonValue &v : o.value(QLatin1String("Images")).toArray()) {
        const QJsonObject i = v.toObject();
        const qint64 size = sizeOf(i.value(QLatin1String("Size")));
        const QJsonValue shared = i.value(QLatin1String("SharedSize")); // -1: not computed
        ++images.count;
        add(listed, size);
        if (i.value(QLatin1String("Containers")).toInt() > 0) {
            ++images.active;
            // What only this image holds is in use; shared layers are counted once, below.
            if (shared.toDouble(-1) >= 0)
                add(used, qMax<qint64>(0, size - sizeOf(shared)));
        }
    }
    const QJsonValue layers = o.value(QLatin1String("LayersSize"));
    // podman (4.x) answers LayersSize 0 beside images with sizes: its images' sum is then the best figure.
    images.size = sizeOf(layers) > 0 ? sizeOf(layers) : listed;
    images.reclaimable = qBound<qint64>(0, images.size - used, images.size);
    for (const QJsonValue &v : o.value(QLatin1String("Containers")).toArray()) {
        const QJsonObject c = v.toObject();
        const qint64 size = sizeOf(c.value(QLatin1String("SizeRw")));
        ++containers.count;
        add(containers.size, size);
        if (c.value(QLatin1String("State")).toString() == QLatin1String("running"))
            ++containers.active;
        else
            add(containers.reclaimable, size);
    }
    for (const QJsonValue &v : o.value(QLatin1String("Volumes")).toArray()) {
        const QJsonObject usage = v.toObject().value(QLatin1String("UsageData")).toObject();
        const qint64 size = sizeOf(usage.value(QLatin1String("Size")));
        ++volumes.count;
        add(volumes.size, size);
        if (usage.value(QLatin1String("RefCount")).toInt() > 0)
            ++volumes.active;
        else
            add(volumes.reclaimable, size);
    }
    for (const QJsonValue &v : o.value(QLatin1String("BuildCache")).toArray()) {
        const QJsonObject b = v.toObject();
        const qint64 size = sizeOf(b.value(QLatin1String("Size")));
        ++cache.count;
        add(cache.size, size);
        if (b.value(QLatin1String("InUse")).toBool())
            ++cache.active;
        else
            add(cache.reclaimable, size);
    }
    return QList<DiskUsageKind>{images, containers, volumes, cache};
}

QJsonObject diskUsageToJson(const QList<DiskUsageKind> &kinds)
{
    QJsonArray out;
    for (const DiskUsageKind &k : kinds)
        out << QJsonObject{{QStringLiteral("kind"), k.kind},
                           {QStringLiteral("count"), k.count},
                           {QStringLiteral("active"), k.active},
                           {QStringLiteral("size"), double(k.size)},
                           {QStringLiteral("reclaimable"), double(k.reclaimable)}};
    return {{QStringLiteral("kinds"), out}};
}

QList<DiskUsageKind> diskUsageFromJson(const QJsonObject &json)
{
    QList<DiskUsageKind> out;
    for (const QJsonValue &v : json.value(QLatin1String("kinds")).toArray()) {
        const QJsonObject k = v.toObject();
        out << DiskUsageKind{
            k.value(QLatin1String("kind")).toString(), k.value(QLatin1String("count")).toInt(),
            k.value(QLatin1String("active")).toInt(), k.value(QLatin1String("size")).toInteger(),
            k.value(QLatin1String("reclaimable")).toInteger()};
    }
    return out;
}

} // namespace opsdeck
