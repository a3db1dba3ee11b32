#include "models/audit/auditmodel.h"

#include "models/store/cachenotifier.h"
#include "models/store/database.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace opsdeck {

namespace {
const QString auditTable = QStringLiteral("audit_events");
} // namespace

AuditModel::AuditModel(QObject *parent) : QAbstractTableModel(parent)
{
    connect(&m_idWatcher, &QFutureWatcher<IdLoad>::finished, this, &AuditModel::onIdsLoaded);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150); // new events arrive in bursts; merge them in once
    connect(&m_debounce, &QTimer::timeout, this, &AuditModel::reload);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(auditTable))
                    m_debounce.start();
            });
}

AuditModel::~AuditModel()
{
    m_cancel->store(true); // loads under way stop at their next step
    m_idWatcher.disconnect(this);
    m_idWatcher.waitForFinished();
    for (auto *watcher : findChildren<QFutureWatcher<EventLoad> *>()) {
        watcher->disconnect(this);
        watcher->waitForFinished();
    }
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case Actor:
        return tr("Actor");
    case System:
        return tr("System");
    case Connection:
        return tr("Connection");
    case Action:
        return tr("Action");
    case Target:
        return tr("Target");
    case Outcome:
        return tr("Outcome");
    case Comment:
        return tr("Comment");
    }
    return {};
}

std::optional<AuditEvent> AuditModel::eventAt(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return std::nullopt;
    const auto it = m_cache.constFind(m_ids.at(row));
    if (it == m_cache.constEnd())
        return std::nullopt;
    return *it;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 id = m_ids.at(index.row());
    if (role == EventIdRole)
        return id;
    const auto it = m_cache.constFind(id);
    if (it == m_cache.constEnd()) {
        if (role == Qt::DisplayRole) {
            requestAround(index.row());
            return index.column() == Time ? tr("loading…") : QVariant();
        }
        return {};
    }
    const AuditEvent &e = *it;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time:
            return e.timestamp.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        case Actor:
            return e.backendIdentity.isEmpty() ? e.osUser
                                               : QStringLiteral("%1 (%2)").arg(e.osUser, e.backendIdentity);
        case System:
            return e.source == QLatin1String("local") ? e.system
                                                      : QStringLiteral("%1 ⇣%2").arg(e.system, e.source);
        case Connection:
            return e.connectionName;
        case Action:
            return e.action;
        case Target: {
            const QString name = e.targetName.isEmpty() ? e.targetId : e.targetName;
            return e.targetKind.isEmpty() ? name : QStringLiteral("%1 %2").arg(e.targetKind, name);
        }
        case Outcome:
            return outcomeId(e.outcome);
        case Comment:
            return e.comment;
        }
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Time:
            return e.timestamp;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == OutcomeRole)
        return outcomeId(e.outcome);
    return {};
}

QString AuditModel::orderBy() const
{
    static const char *const columns[] = {"ts",     "os_user",     "system",  "connection_name",
                                          "action", "target_name", "outcome", "comment"};
    const QString dir = m_sortOrder == Qt::DescendingOrder ? QStringLiteral("DESC") : QStringLiteral("ASC");
    return QStringLiteral("%1 %2, id %2")
        .arg(QLatin1String(columns[qBound(0, m_sortColumn, int(ColumnCount) - 1)]), dir);
}

void AuditModel::sort(int column, Qt::SortOrder order)
{
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    m_filterChanged = true;
    reload();
}

void AuditModel::setFilter(const AuditFilter &filter)
{
    m_filter = filter;
    m_filterChanged = true;
    reload();
}

void AuditModel::reload()
{
    if (m_idWatcher.isRunning()) {
        m_reloadQueued = true;
        return;
    }
    const int generation = ++m_generation;
    QVariantList binds;
    const QString sql = QStringLiteral("SELECT id FROM audit_events WHERE %1 ORDER BY %2")
                            .arg(auditWhere(m_filter, binds), orderBy());
    m_idWatcher.setFuture(QtConcurrent::run([generation, sql, binds, cancel = m_cancel]() {
        IdLoad load;
        load.generation = generation;
        QSqlDatabase db = Database::connection();
        ReadCancelScope scope(db, cancel);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(sql);
        for (const QVariant &b : binds)
            q.addBindValue(b);
        if (!q.exec()) {
            load.error = Database::describe(q.lastError(), QObject::tr("Searching the audit log")).message;
            return load;
        }
        while (q.next())
            load.ids.append(q.value(0).toLongLong());
        return load;
    }));
}

void AuditModel::onIdsLoaded()
{
    IdLoad load = m_idWatcher.result();
    if (!load.error.isEmpty()) {
        emit loadFailed(load.error);
    } else if (load.generation == m_generation) {
        const qsizetype added = load.ids.size() - m_ids.size();
        // New events with the newest first: the old rows are the tail of the new list.
        const bool prepended = !m_filterChanged && added > 0 &&
                               std::equal(m_ids.cbegin(), m_ids.cend(), load.ids.cbegin() + added);
        const bool appended =
            !m_filterChanged && added > 0 && std::equal(m_ids.cbegin(), m_ids.cend(), load.ids.cbegin());
        if (!m_filterChanged && added == 0 && load.ids == m_ids) {
            // nothing changed
        } else if (prepended) {
            beginInsertRows({}, 0, int(added) - 1);
            m_ids = std::move(load.ids);
            endInsertRows();
        } else if (appended) {
            beginInsertRows({}, int(m_ids.size()), int(load.ids.size()) - 1);
            m_ids = std::move(load.ids);
            endInsertRows();
        } else {
            // A new filter or sort order: a new result set.
            beginResetModel();
            m_ids = std::move(load.ids);
            m_cache.clear();
            m_batches.clear();
            m_pending.clear();
            endResetModel();
        }
        m_filterChanged = false;
        emit loaded(int(m_ids.size()));
    }
    if (m_reloadQueued) {
        m_reloadQueued = false;
        reload();
    }
}

void AuditModel::requestAround(int row) const
{
    const qint64 id = m_ids.at(row);
    if (m_pending.contains(id))
        return;
    // One batch centred on the row the view asked for, skipping what is loaded or on its way.
    const int first = qMax(0, row - batchSize / 4);
    const int last = qMin(int(m_ids.size()) - 1, first + batchSize - 1);
    QVector<qint64> wanted;
    for (int r = first; r <= last; ++r) {
        const qint64 want = m_ids.at(r);
        if (!m_cache.contains(want) && !m_pending.contains(want)) {
            wanted << want;
            m_pending.insert(want);
        }
    }
    if (wanted.isEmpty())
        return;
    auto *self = const_cast<AuditModel *>(this);
    auto *watcher = new QFutureWatcher<EventLoad>(self);
    connect(watcher, &QFutureWatcher<EventLoad>::finished, self,
            [self, watcher] { self->onEventsLoaded(watcher); });
    const int generation = m_generation;
    watcher->setFuture(QtConcurrent::run([wanted, generation, cancel = m_cancel]() {
        EventLoad load;
        load.generation = generation;
        ReadCancelScope scope(Database::connection(), cancel);
        QStringList marks;
        for (qint64 i : wanted)
            marks << QString::number(i); // integers from our own query: safe to inline
        QSqlQuery q(Database::connection());
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT %1 FROM audit_events WHERE id IN (%2)")
                        .arg(auditSelectColumns(), marks.join(QLatin1Char(','))))) {
            load.error = q.lastError().text();
            return load;
        }
        while (q.next())
            load.events.append(auditEventFromRecord(q.record()));
        return load;
    }));
}

void AuditModel::onEventsLoaded(QFutureWatcher<EventLoad> *watcher)
{
    watcher->deleteLater();
    const EventLoad load = watcher->result();
    if (!load.error.isEmpty()) {
        emit loadFailed(load.error);
        return;
    }
    QVector<qint64> batch;
    for (const AuditEvent &e : load.events) {
        m_pending.remove(e.id);
        m_cache.insert(e.id, e);
        batch << e.id;
    }
    m_batches << batch;
    // Bounded memory: forget the oldest batches.
    while (m_cache.size() > maxCachedEvents && m_batches.size() > 1) {
        for (qint64 id : m_batches.takeFirst())
            m_cache.remove(id);
    }
    if (!batch.isEmpty() && !m_ids.isEmpty()) {
        // Tell the view about the rows of this batch (they are contiguous in the current order,
        // or were when asked for; a wider range is harmless).
        int first = int(m_ids.size()), last = -1;
        const QSet<qint64> ids(batch.cbegin(), batch.cend());
        for (int r = 0; r < m_ids.size() && ids.size() > 0; ++r) {
            if (ids.contains(m_ids.at(r))) {
                first = qMin(first, r);
                last = qMax(last, r);
                if (last - first + 1 >= batch.size())
                    break;
            }
        }
        if (last >= first)
            emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    emit eventsFetched();
}

} // namespace opsdeck
