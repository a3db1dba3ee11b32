#include "models/docker/containersmodel.h"

#include "models/connections/connectionstore.h"
#include "models/docker/container.h"
#include "models/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
enum Hidden { ConnectionId = ContainersModel::ColumnCount, ContainerId, Volumes, Published };
}

ContainersModel::ContainersModel(QObject *parent) : CacheTableModel(parent) {}

QStringList ContainersModel::headers() const
{
    return {tr("Name"),    tr("State"),   tr("Health"), tr("Image"),     tr("Ports"),
            tr("Project"), tr("Created"), tr("Status"), tr("Connection")};
}

QStringList ContainersModel::watchedTables() const
{
    return {Tables::containers, Tables::connections};
}

CacheLoader ContainersModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT k.connection_id, k.container_id, k.name, k.state, k.health, k.image, k.ports, "
                "k.project, "
                "k.created_at, k.status, c.name, k.volumes FROM containers k JOIN connections c ON "
                "c.id = k.connection_id ORDER BY k.name COLLATE NOCASE, k.connection_id")))
            return Database::describe(q.lastError(), QObject::tr("Reading containers"));
        CacheRows rows;
        while (q.next()) {
            QList<PortBinding> ports;
            QVariantList published;
            for (const QJsonValue &v : QJsonDocument::fromJson(q.value(6).toString().toUtf8()).array()) {
                const QJsonObject p = v.toObject();
                ports << PortBinding{
                    p.value(QLatin1String("ip")).toString(), p.value(QLatin1String("private")).toInt(),
                    p.value(QLatin1String("public")).toInt(), p.value(QLatin1String("type")).toString()};
                if (ports.last().publicPort)
                    published << ports.last().publicPort;
            }
            QStringList volumes;
            for (const QJsonValue &v : QJsonDocument::fromJson(q.value(11).toString().toUtf8()).array())
                volumes << v.toString();
            CacheRow row;
            row.key = QStringLiteral("%1/%2").arg(q.value(0).toLongLong()).arg(q.value(1).toString());
            row.values = {q.value(2).toString(),
                          q.value(3).toString(),
                          q.value(4).toString(),
                          q.value(5).toString(),
                          describePorts(ports),
                          q.value(7).toString(),
                          fromStoredTime(q.value(8).toString()),
                          q.value(9).toString(),
                          q.value(10).toString(),
                          q.value(0).toLongLong(),
                          q.value(1).toString(),
                          volumes,
                          published};
            rows << row;
        }
        return rows;
    };
}

QVariant ContainersModel::cellData(const CacheRow &row, int column, int role) const
{
    switch (role) {
    case ConnectionIdRole:
        return row.values.value(ConnectionId);
    case ContainerIdRole:
        return row.values.value(ContainerId);
    case VolumesRole:
        return row.values.value(Volumes);
    case PublishedPortsRole:
        return row.values.value(Published);
    case Qt::DisplayRole:
        if (column == Created)
            return QLocale().toString(row.values.value(Created).toDateTime().toLocalTime(),
                                      QLocale::ShortFormat);
        return row.values.value(column);
    case Qt::ToolTipRole:
        if (column == Name)
            return tr("ID %1").arg(row.values.value(ContainerId).toString().left(12));
        return {};
    default:
        return {};
    }
}

} // namespace opsdeck
