// Deploy jobs from the cache, newest first, for the Deployments pane's Jobs list.
#pragma once

#include "models/store/cachetablemodel.h"

namespace opsdeck {

class JobsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Title, State, Progress, Started, Duration, Message, Connection, ColumnCount };
    enum ExtraRoles { JobIdRole = RawRole + 1 };

    explicit JobsModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck
