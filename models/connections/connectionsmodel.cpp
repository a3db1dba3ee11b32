#include "models/connections/connectionsmodel.h"

namespace opsdeck {

namespace {
// Hidden values after the visible columns.
enum Hidden { ConnectionValue = ConnectionsModel::ColumnCount, SyncValue };
} // namespace

ConnectionsModel::ConnectionsModel(QObject *parent) : CacheTableModel(parent) {}

QStringList ConnectionsModel::headers() const
{
    return {tr("Name"), tr("Kind"), tr("URL or socket"), tr("Authentication"), tr("Status")};
}

QStringList ConnectionsModel::watchedTables() const
{
    return {Tables::connections, Tables::syncState};
}

CacheLoader ConnectionsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        auto connections = ConnectionStore::all(db);
        if (!connections)
            return connections.error();
        CacheRows rows;
        rows.reserve(connections->size());
        for (const Connection &c : connections.value()) {
            auto sync = ConnectionStore::syncStatus(db, c.id);
            if (!sync)
                return sync.error();
            const SyncStatus &s = sync.value();
            CacheRow row;
            row.key = c.id;
            row.values = {
                c.name,
                kindId(c.kind),
                c.endpoint,
                authId(c.auth),
                s.lastSuccess,
                QVariant::fromValue(c),
                QVariantList{s.lastAttempt, s.lastSuccess, s.lastError, s.lastErrorAt, s.lastErrorCode}};
            rows << row;
        }
        return rows;
    };
}

Connection ConnectionsModel::connectionAt(int row) const
{
    return rowAt(row).values.value(ConnectionValue).value<Connection>();
}

SyncStatus ConnectionsModel::syncStatusAt(int row) const
{
    const QVariantList v = rowAt(row).values.value(SyncValue).toList();
    SyncStatus s;
    if (v.size() == 5) {
        s.lastAttempt = v.at(0).toDateTime();
        s.lastSuccess = v.at(1).toDateTime();
        s.lastError = v.at(2).toString();
        s.lastErrorAt = v.at(3).toDateTime();
        s.lastErrorCode = v.at(4).toString();
    }
    return s;
}

ConnectionHealth ConnectionsModel::healthAt(int row, const QDateTime &now) const
{
    const Connection c = connectionAt(row);
    return describeHealth(c.name, syncStatusAt(row), isSyncing(c.id), now);
}

void ConnectionsModel::setSyncing(qint64 connectionId, bool syncing, int progress)
{
    if (syncing)
        m_syncing.insert(connectionId, progress);
    else
        m_syncing.remove(connectionId);
    const int row = rowOfKey(connectionId);
    if (row >= 0)
        emit dataChanged(index(row, Health), index(row, Health));
}

QVariant ConnectionsModel::cellData(const CacheRow &row, int column, int role) const
{
    const Connection c = row.values.value(ConnectionValue).value<Connection>();
    if (role == ConnectionRole)
        return QVariant::fromValue(c);
    if (role == KindRole)
        return int(c.kind);
    const int r = rowOfKey(row.key);
    if (role == HealthStateRole)
        return int(healthAt(r).state);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (column) {
        case Name:
            return c.name;
        case Kind:
            return kindDisplayName(c.kind);
        case Endpoint:
            return c.endpoint;
        case Auth:
            return authDisplayName(c.auth);
        case Health: {
            const ConnectionHealth h = healthAt(r);
            return role == Qt::ToolTipRole ? h.tooltip : h.text.section(QStringLiteral(": "), 1);
        }
        }
    }
    return {};
}

} // namespace opsdeck
