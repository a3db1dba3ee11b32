// The steps of one offboarding, from the cache (offboarding_steps, re-read as they change), or of a
// plan not started yet (a preview); for the offboarding dialog.
#pragma once

#include "models/store/cachetablemodel.h"
#include "models/workspace/offboarding.h"

namespace opsdeck {

class OffboardingModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Step, State, Detail, ColumnCount };
    enum ExtraRoles { StateRole = RawRole + 1 }; // pending, running, done, failed, skipped

    explicit OffboardingModel(QObject *parent = nullptr);
    // The recorded offboarding id, followed as it runs.
    void setOffboarding(qint64 id);
    qint64 offboarding() const { return m_id; }
    // A plan not started yet.
    void setPreview(const QList<OffboardingStep> &steps);
    // How many steps are done or skipped.
    int finishedSteps() const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    qint64 m_id = 0;
    CacheRows m_preview;
};

} // namespace opsdeck
