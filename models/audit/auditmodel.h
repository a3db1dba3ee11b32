// The audit log as a windowed table model: it holds the ids of the events the filter selects
// (8 bytes each, loaded on a worker thread) and only a bounded window of whole events, fetched
// in batches around the rows the view asks for. New events merge in as inserted rows.
#pragma once

#include "models/audit/auditevent.h"

#include "models/store/database.h"

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QHash>
#include <QSet>
#include <QTimer>
#include <QVector>

namespace opsdeck {

class AuditModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Actor, System, Connection, Action, Target, Outcome, Comment, ColumnCount };
    enum Roles { EventIdRole = Qt::UserRole + 1, SortRole, OutcomeRole };
    static constexpr int batchSize = 256;
    static constexpr int maxCachedEvents = 16384;

    explicit AuditModel(QObject *parent = nullptr);
    ~AuditModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const { return m_filter; }
    int matchCount() const { return int(m_ids.size()); }
    bool isLoading() const { return m_idWatcher.isRunning(); }
    qint64 eventIdAt(int row) const { return row >= 0 && row < m_ids.size() ? m_ids.at(row) : 0; }
    // The event if its batch is loaded (the view's rows always are, soon after they are shown).
    std::optional<AuditEvent> eventAt(int row) const;
    int cachedEventCount() const { return int(m_cache.size()); }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    void reload();

signals:
    void loaded(int matchCount);
    void loadFailed(const QString &message);
    void eventsFetched();

private:
    struct IdLoad
    {
        int generation = 0;
        QVector<qint64> ids;
        QString error;
    };
    struct EventLoad
    {
        int generation = 0;
        QVector<AuditEvent> events;
        QString error;
    };
    void onIdsLoaded();
    void requestAround(int row) const;
    void onEventsLoaded(QFutureWatcher<EventLoad> *watcher);
    QString orderBy() const;

    AuditFilter m_filter;
    int m_sortColumn = Time;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    QVector<qint64> m_ids;
    int m_generation = 0;
    bool m_filterChanged = true;
    bool m_reloadQueued = false;
    QFutureWatcher<IdLoad> m_idWatcher;
    CancelFlag m_cancel = makeCancelFlag();
    mutable QHash<qint64, AuditEvent> m_cache;
    mutable QList<QVector<qint64>> m_batches; // in load order, for eviction
    mutable QSet<qint64> m_pending;
    QTimer m_debounce;
};

} // namespace opsdeck
