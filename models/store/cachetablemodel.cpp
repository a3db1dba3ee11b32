#include "models/store/cachetablemodel.h"

#include "models/store/cachenotifier.h"
#include "models/store/database.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QHash>
#include <QSet>

namespace opsdeck {

CacheTableModel::CacheTableModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(30); // coalesce bursts of commits into one reload
    connect(&m_debounce, &QTimer::timeout, this, &CacheTableModel::reload);
    connect(&m_watcher, &QFutureWatcher<Result<CacheRows>>::finished, this, &CacheTableModel::onLoaded);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            &CacheTableModel::onTablesChanged);
}

CacheTableModel::~CacheTableModel()
{
    m_watcher.disconnect(this);
    m_cancel->store(true); // a load under way stops at its next step instead of reading on
    m_watcher.waitForFinished();
}

int CacheTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CacheTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(headers().size());
}

QVariant CacheTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CacheRow &row = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return row.key;
    case SortRole:
    case RawRole:
        return index.column() < row.values.size() ? row.values.at(index.column()) : QVariant();
    default:
        return cellData(row, index.column(), role);
    }
}

QVariant CacheTableModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role == Qt::DisplayRole && column < row.values.size())
        return row.values.at(column);
    return {};
}

QVariant CacheTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
        section < headers().size())
        return headers().at(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

int CacheTableModel::rowOfKey(const QVariant &key) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).key == key)
            return i;
    return -1;
}

void CacheTableModel::onTablesChanged(const QStringList &tables, qint64)
{
    const QStringList watched = watchedTables();
    for (const QString &table : tables) {
        if (watched.contains(table)) {
            m_debounce.start();
            return;
        }
    }
}

void CacheTableModel::reload()
{
    if (m_watcher.isRunning()) {
        m_reloadQueued = true;
        return;
    }
    CacheLoader load = loader();
    m_watcher.setFuture(QtConcurrent::run([load, cancel = m_cancel]() -> Result<CacheRows> {
        QSqlDatabase db = Database::connection();
        if (!db.isOpen())
            return makeError("db.closed", QObject::tr("The cache database is not open."));
        ReadCancelScope scope(db, cancel);
        return load(db);
    }));
}

void CacheTableModel::onLoaded()
{
    const Result<CacheRows> result = m_watcher.result();
    if (result.ok()) {
        m_lastError.clear();
        merge(result.value());
        emit loaded();
    } else {
        m_lastError = result.message();
        emit loadFailed(m_lastError); // keep showing the last good rows
    }
    if (m_reloadQueued) {
        m_reloadQueued = false;
        reload();
    }
}

namespace {
constexpr qsizetype largeArrival = 2000;
}

void CacheTableModel::merge(const CacheRows &incoming)
{
    const auto keyOf = [](const CacheRow &row) {
        return row.key.toString();
    };
    QSet<QString> incomingKeys;
    incomingKeys.reserve(incoming.size());
    for (const CacheRow &row : incoming)
        incomingKeys.insert(keyOf(row));

    // A large arrival (the first load, or more new rows than a sorting proxy can take one batch at
    // a time: it inserts each row into its sorted mapping, quadratic in the row count) replaces
    // the rows in one reset, which views and proxies handle in one pass.
    qsizetype known = 0;
    for (const CacheRow &row : std::as_const(m_rows))
        known += incomingKeys.contains(keyOf(row)) ? 1 : 0;
    const qsizetype arriving = incoming.size() - known;
    if (!incoming.isEmpty() &&
        (m_rows.isEmpty() || (arriving > largeArrival && arriving > m_rows.size() / 2))) {
        beginResetModel();
        m_rows = incoming;
        endResetModel();
        return;
    }

    // 1. Remove rows that are gone, in contiguous ranges from the bottom up.
    for (int i = int(m_rows.size()) - 1; i >= 0;) {
        if (incomingKeys.contains(keyOf(m_rows.at(i)))) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !incomingKeys.contains(keyOf(m_rows.at(first - 1))))
            --first;
        beginRemoveRows({}, first, i);
        m_rows.remove(first, i - first + 1);
        endRemoveRows();
        i = first - 1;
    }

    // 2. Walk the new order: keep, move, or insert (consecutive new rows in one insert).
    QSet<QString> present; // keys of rows the model had before this merge
    for (const CacheRow &row : std::as_const(m_rows))
        present.insert(keyOf(row));
    const int columns = columnCount();
    for (int i = 0; i < incoming.size();) {
        const CacheRow &want = incoming.at(i);
        if (i < m_rows.size() && m_rows.at(i).key == want.key) {
            if (!(m_rows.at(i) == want)) {
                m_rows[i] = want;
                emit dataChanged(index(i, 0), index(i, qMax(0, columns - 1)));
            }
            ++i;
            continue;
        }
        if (!present.contains(keyOf(want))) {
            int last = i;
            while (last + 1 < incoming.size() && !present.contains(keyOf(incoming.at(last + 1))))
                ++last;
            beginInsertRows({}, i, last);
            for (int k = i; k <= last; ++k)
                m_rows.insert(k, incoming.at(k));
            endInsertRows();
            i = last + 1;
            continue;
        }
        // Present further down: move it up to i.
        int from = -1;
        for (int k = i + 1; k < m_rows.size(); ++k) {
            if (m_rows.at(k).key == want.key) {
                from = k;
                break;
            }
        }
        Q_ASSERT(from > i);
        beginMoveRows({}, from, from, {}, i);
        m_rows.move(from, i);
        endMoveRows();
        // do not advance: the next pass compares values and emits dataChanged if needed
    }
    // Anything left beyond the incoming size would be a duplicate key; drop it.
    if (m_rows.size() > incoming.size()) {
        beginRemoveRows({}, int(incoming.size()), int(m_rows.size()) - 1);
        m_rows.resize(incoming.size());
        endRemoveRows();
    }
}

} // namespace opsdeck
