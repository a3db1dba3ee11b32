// Base for item models over cache tables. Rows are loaded on a worker thread (with that thread's
// own database connection) whenever a watched table changes, then merged into the model row by
// row: removals, moves, inserts and dataChanged, so selection and scroll position survive a sync.
// Only a first fill or an arrival of thousands of new rows is one reset (a sorting proxy takes
// inserted rows one at a time).
#pragma once

#include "models/core/result.h"
#include "models/store/database.h"

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QSqlDatabase>
#include <QTimer>

#include <functional>

namespace opsdeck {

struct CacheRow
{
    QVariant key;        // unique and stable per row (usually the primary key)
    QVariantList values; // raw values, one per column (and extra hidden ones a subclass may use)
    bool operator==(const CacheRow &) const = default;
};
using CacheRows = QList<CacheRow>;
using CacheLoader = std::function<Result<CacheRows>(QSqlDatabase)>;

class CacheTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles { SortRole = Qt::UserRole, KeyRole, RawRole };

    explicit CacheTableModel(QObject *parent = nullptr);
    ~CacheTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const CacheRow &rowAt(int row) const { return m_rows.at(row); }
    int rowOfKey(const QVariant &key) const;
    bool isLoading() const { return m_watcher.isRunning(); }
    QString lastError() const { return m_lastError; }

    // Starts a reload now (coalesced: one load at a time, one more queued if asked while loading).
    void reload();
    // Applies rows as if they had been loaded: the merge step, public for tests and demos.
    void merge(const CacheRows &rows);

signals:
    void loaded();
    void loadFailed(const QString &message);

protected:
    // Called on a worker thread: must only use what it captures by value.
    virtual CacheLoader loader() const = 0;
    virtual QStringList watchedTables() const = 0;
    virtual QStringList headers() const = 0;
    // Display and other roles for a cell; the default shows the raw value.
    virtual QVariant cellData(const CacheRow &row, int column, int role) const;

private:
    void onTablesChanged(const QStringList &tables, qint64 connectionId);
    void onLoaded();

    CacheRows m_rows;
    QFutureWatcher<Result<CacheRows>> m_watcher;
    QTimer m_debounce;
    bool m_reloadQueued = false;
    QString m_lastError;
    CancelFlag m_cancel = makeCancelFlag();
};

} // namespace opsdeck
