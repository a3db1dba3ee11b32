#include "models/workspace/offboardingmodel.h"

#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
CacheRow rowOf(const OffboardingStep &s)
{
    return CacheRow{s.seq, {s.title, s.state, s.detail}};
}
} // namespace

OffboardingModel::OffboardingModel(QObject *parent) : CacheTableModel(parent) {}

void OffboardingModel::setOffboarding(qint64 id)
{
    m_id = id;
    reload();
}

void OffboardingModel::setPreview(const QList<OffboardingStep> &steps)
{
    m_id = 0;
    m_preview.clear();
    for (const OffboardingStep &s : steps)
        m_preview << rowOf(s);
    merge(m_preview);
}

int OffboardingModel::finishedSteps() const
{
    int n = 0;
    for (int row = 0; row < rowCount(); ++row) {
        const QString state = rowAt(row).values.value(State).toString();
        n += state == OffboardingState::done || state == OffboardingState::skipped;
    }
    return n;
}

QStringList OffboardingModel::headers() const
{
    return {tr("Step"), tr("State"), tr("Detail")};
}

QStringList OffboardingModel::watchedTables() const
{
    return {QStringLiteral("offboarding_steps")};
}

CacheLoader OffboardingModel::loader() const
{
    const qint64 id = m_id;
    return [id, preview = m_preview](QSqlDatabase db) -> Result<CacheRows> {
        if (id == 0)
            return preview; // a plan: nothing recorded to re-read
        CacheRows rows;
        const auto o = OffboardingStore::load(db, id);
        if (!o)
            return o.error();
        for (const OffboardingStep &s : o->steps)
            rows << rowOf(s);
        return rows;
    };
}

QVariant OffboardingModel::cellData(const CacheRow &row, int column, int role) const
{
    const QString state = row.values.value(State).toString();
    if (role == StateRole)
        return state;
    if (role == Qt::DisplayRole && column == State) {
        return state == OffboardingState::done      ? tr("done")
               : state == OffboardingState::failed  ? tr("failed")
               : state == OffboardingState::skipped ? tr("skipped")
               : state == OffboardingState::running ? tr("running…")
                                                    : tr("to do");
    }
    if (role == Qt::ToolTipRole && column == Detail)
        return row.values.value(Detail);
    return CacheTableModel::cellData(row, column, role);
}

} // namespace opsdeck
