// The local SQLite cache: one file, WAL mode, foreign keys on, versioned migrations from
// resources/sql applied in one transaction. Each thread gets its own QSqlDatabase connection.
#pragma once

#include "models/core/result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace opsdeck {

class Database
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    // The schema this build knows; migrations 001..latestSchemaVersion() live in resources/sql.
    static int latestSchemaVersion();
    // Where migrations are read from (default ":/sql"); tests point it at their own scripts.
    static void setMigrationsDirectory(const QString &directory);

    // Opens (creating if needed) the cache at path and migrates it. Refuses a newer schema,
    // a corrupt, locked or unwritable file with an Error whose code is one of
    // db.newer-schema, db.corrupt, db.locked, db.read-only, db.open, db.migration.
    static Result<void> open(const QString &path, Mode mode = Mode::ReadWrite);
    static void close();
    static bool isOpen();
    static QString path();
    static bool isReadOnly();

    // This thread's connection to the open cache (created on first use, closed when the thread ends).
    static QSqlDatabase connection();

    // Schema version stored in a file, without migrating it (0 for a new file).
    static Result<int> schemaVersionOf(const QString &path);

    // Moves the file and its -wal/-shm companions aside; returns the new name of the main file.
    static Result<QString> moveAside(const QString &path);

    // Turns a SQLite error into a message for people, with a stable code.
    static Error describe(const QSqlError &error, const QString &what);

    // Splits a migration script into statements (keeps CREATE TRIGGER ... BEGIN ... END; whole).
    static QStringList splitStatements(const QString &script);
};

// Lets a model stop its worker-thread reads when it goes away (at quit, a pane's model may be in
// the middle of reading 100,000 rows): while a ReadCancelScope is alive, SQLite on that connection
// gives up with SQLITE_INTERRUPT as soon as the flag is set, so the query ends at once.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;
inline CancelFlag makeCancelFlag()
{
    return std::make_shared<std::atomic<bool>>(false);
}
class ReadCancelScope
{
public:
    ReadCancelScope(const QSqlDatabase &db, CancelFlag flag);
    ~ReadCancelScope();
    ReadCancelScope(const ReadCancelScope &) = delete;
    ReadCancelScope &operator=(const ReadCancelScope &) = delete;

private:
    void *m_handle = nullptr;
    CancelFlag m_flag;
};

// A write transaction on this thread's connection that announces the tables it touched after
// a successful commit. Rolls back when destroyed uncommitted.
class CacheTransaction
{
public:
    CacheTransaction();
    ~CacheTransaction();
    CacheTransaction(const CacheTransaction &) = delete;
    CacheTransaction &operator=(const CacheTransaction &) = delete;

    Result<void> begin();
    void touch(const QString &table, qint64 connectionId = 0);
    Result<void> commit();
    void rollback();
    QSqlDatabase db() const { return m_db; }

private:
    QSqlDatabase m_db;
    bool m_active = false;
    QList<QPair<QString, qint64>> m_touched;
};

} // namespace opsdeck
