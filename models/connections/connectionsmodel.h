// The connections in the cache with their sync health, for the Connections dialog, the status
// bar and the quick switcher.
#pragma once

#include "models/connections/connection.h"
#include "models/connections/connectionstore.h"
#include "models/store/cachetablemodel.h"

namespace opsdeck {

class ConnectionsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Kind, Endpoint, Auth, Health, ColumnCount };
    enum ExtraRoles { ConnectionRole = RawRole + 1, HealthStateRole, KindRole };

    explicit ConnectionsModel(QObject *parent = nullptr);

    Connection connectionAt(int row) const;
    SyncStatus syncStatusAt(int row) const;
    // Connections currently syncing, with the sync progress (0..100, -1 when unknown).
    void setSyncing(qint64 connectionId, bool syncing, int progress = -1);
    bool isSyncing(qint64 connectionId) const { return m_syncing.contains(connectionId); }
    int syncProgress(qint64 connectionId) const { return m_syncing.value(connectionId, -1); }
    ConnectionHealth healthAt(int row, const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    QHash<qint64, int> m_syncing;
};

} // namespace opsdeck
