// The containers of every Docker connection, from the cache, for the Deployments pane.
#pragma once

#include "models/store/cachetablemodel.h"

namespace opsdeck {

class ContainersModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, State, Health, Image, Ports, Project, Created, Status, Connection, ColumnCount };
    enum ExtraRoles { ConnectionIdRole = RawRole + 1, ContainerIdRole, VolumesRole, PublishedPortsRole };

    explicit ContainersModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck
