// The runners in the cache (all GitHub connections), for the Runners pane.
#pragma once

#include "models/store/cachetablemodel.h"

namespace opsdeck {

class RunnersModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Status, Busy, Labels, Drift, Provisioned, Os, Scope, Connection, Id, ColumnCount };
    enum ExtraRoles { StateRole = RawRole + 1, CustomLabelsRole, SystemLabelsRole, ProvisionedByRole };

    explicit RunnersModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck
