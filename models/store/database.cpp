#include "models/store/database.h"

#include "models/store/cachenotifier.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlQuery>

#include <QThread>
#include <QThreadStorage>
#include <sqlite3.h>

#include <atomic>

namespace opsdeck {

namespace {

// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Database)
};

struct State
{
    QMutex mutex;
    QString path;
    Database::Mode mode = Database::Mode::ReadWrite;
    bool open = false;
    std::atomic<int> generation{0};
};

State &state()
{
    static State s;
    return s;
}

// Owns one thread's connection; destroyed (and the connection removed) when the thread ends.
struct ThreadConnection
{
    QString name;
    int generation = -1;
    ~ThreadConnection()
    {
        if (!name.isEmpty() && QSqlDatabase::contains(name)) {
            QSqlDatabase::database(name, false).close();
            QSqlDatabase::removeDatabase(name);
        }
    }
};

QThreadStorage<ThreadConnection *> &threadConnections()
{
    static QThreadStorage<ThreadConnection *> storage;
    return storage;
}

std::atomic<quint64> connectionCounter{0};

QString &migrationsDirectory()
{
    static QString directory = QStringLiteral(":/sql");
    return directory;
}

QStringList migrationFiles()
{
    QDir dir(migrationsDirectory());
    QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    return files;
}

Result<void> exec(QSqlDatabase &db, const QString &sql, const QString &what)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return Database::describe(query.lastError(), what);
    return {};
}

} // namespace

void Database::setMigrationsDirectory(const QString &directory)
{
    migrationsDirectory() = directory;
}

int Database::latestSchemaVersion()
{
    return int(migrationFiles().size());
}

Error Database::describe(const QSqlError &error, const QString &what)
{
    const int code = error.nativeErrorCode().toInt() & 0xff;
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    switch (code) {
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return makeError("db.corrupt",
                         Tr::tr("The cache database is damaged (%1 failed: %2).").arg(what, detail));
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return makeError("db.locked",
                         Tr::tr("The cache database is locked by another program (%1 failed: %2). "
                                "Is another Opsdeck running on the same data directory?")
                             .arg(what, detail));
    case 8: // SQLITE_READONLY
        return makeError("db.read-only",
                         Tr::tr("The cache database cannot be written (%1 failed: %2).").arg(what, detail));
    case 13: // SQLITE_FULL
        return makeError("db.full", Tr::tr("The disk is full (%1 failed).").arg(what));
    case 14: // SQLITE_CANTOPEN
        return makeError("db.open",
                         Tr::tr("The cache database cannot be opened (%1 failed: %2).").arg(what, detail));
    default:
        return makeError("db.error", Tr::tr("%1 failed: %2").arg(what, detail));
    }
}

QStringList Database::splitStatements(const QString &script)
{
    QStringList statements;
    QString current;
    int depth = 0;
    bool inString = false;
    QChar quote;
    QString word;
    auto flushWord = [&] {
        const QString upper = word.toUpper();
        if (upper == QLatin1String("BEGIN") || upper == QLatin1String("CASE"))
            ++depth;
        else if (upper == QLatin1String("END") && depth > 0)
            --depth;
        word.clear();
    };
    for (qsizetype i = 0; i < script.size(); ++i) {
        const QChar c = script.at(i);
        if (inString) {
            current += c;
            if (c == quote)
                inString = false;
            continue;
        }
        if (c == QLatin1Char('-') && i + 1 < script.size() && script.at(i + 1) == QLatin1Char('-')) {
            flushWord();
            while (i < script.size() && script.at(i) != QLatin1Char('\n'))
                ++i;
            current += QLatin1Char('\n');
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            flushWord();
            inString = true;
            quote = c;
            current += c;
            continue;
        }
        if (c.isLetter() || c == QLatin1Char('_')) {
            word += c;
        } else {
            flushWord();
        }
        if (c == QLatin1Char(';') && depth == 0) {
            if (!current.trimmed().isEmpty())
                statements << current.trimmed();
            current.clear();
            continue;
        }
        current += c;
    }
    flushWord();
    if (!current.trimmed().isEmpty())
        statements << current.trimmed();
    return statements;
}

Result<int> Database::schemaVersionOf(const QString &path)
{
    if (!QFileInfo::exists(path))
        return 0;
    const QString name = QStringLiteral("opsdeck-probe-%1").arg(++connectionCounter);
    Result<int> result = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
        if (!db.open()) {
            result = describe(db.lastError(), Tr::tr("Opening %1").arg(path));
        } else {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
                result = describe(query.lastError(), Tr::tr("Reading the schema version"));
            else
                result = query.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

Result<void> Database::open(const QString &path, Mode mode)
{
    close();
    const QFileInfo info(path);
    if (mode == Mode::ReadWrite) {
        if (!QDir().mkpath(info.absolutePath()))
            return makeError("db.open",
                             Tr::tr("Cannot create the data directory %1.").arg(info.absolutePath()));
        if (info.exists() && !info.isWritable())
            return makeError("db.read-only",
                             Tr::tr("The cache database %1 is read-only for this user.").arg(path));
        if (!QFileInfo(info.absolutePath()).isWritable())
            return makeError("db.read-only",
                             Tr::tr("The data directory %1 is not writable.").arg(info.absolutePath()));
    } else if (!info.exists()) {
        return makeError("db.open", Tr::tr("There is no cache database at %1 to open read-only.").arg(path));
    }

    auto version = schemaVersionOf(path);
    if (!version)
        return version.error();
    const int latest = latestSchemaVersion();
    if (*version > latest)
        return makeError(
            "db.newer-schema",
            Tr::tr(
                "The cache database %1 has schema version %2, but this Opsdeck knows only up to version %3. "
                "It was written by a newer Opsdeck; it has not been changed. Use the newer version, or "
                "start with another data directory.")
                .arg(path)
                .arg(*version)
                .arg(latest));
    if (mode == Mode::ReadOnly && *version < latest)
        return makeError(
            "db.migration",
            Tr::tr(
                "The cache database %1 needs an upgrade (schema %2 to %3), which a read-only open cannot do.")
                .arg(path)
                .arg(*version)
                .arg(latest));

    {
        QMutexLocker lock(&state().mutex);
        state().path = info.absoluteFilePath();
        state().mode = mode;
        state().open = true;
        ++state().generation;
    }

    QSqlDatabase db = connection();
    if (!db.isOpen()) {
        Error error = describe(db.lastError(), Tr::tr("Opening %1").arg(path));
        close();
        return error;
    }
    if (mode == Mode::ReadOnly)
        return {};

    if (auto r = exec(db, QStringLiteral("PRAGMA journal_mode=WAL"), Tr::tr("Switching to WAL mode")); !r) {
        close();
        return r;
    }
    if (*version == latest)
        return {};

    // All pending migrations in one transaction: either the whole upgrade lands or none of it.
    if (auto r = exec(db, QStringLiteral("BEGIN IMMEDIATE"), Tr::tr("Starting the schema upgrade")); !r) {
        close();
        return r;
    }
    const QStringList files = migrationFiles();
    for (int v = *version + 1; v <= latest; ++v) {
        QFile file(migrationsDirectory() + QLatin1Char('/') + files.at(v - 1));
        if (!file.open(QIODevice::ReadOnly)) {
            (void)exec(db, QStringLiteral("ROLLBACK"), {});
            close();
            return makeError("db.migration",
                             Tr::tr("Migration %1 is missing from the application.").arg(files.at(v - 1)));
        }
        const QString script = QString::fromUtf8(file.readAll());
        for (const QString &statement : splitStatements(script)) {
            if (auto r = exec(db, statement, Tr::tr("Migration %1").arg(files.at(v - 1))); !r) {
                (void)exec(db, QStringLiteral("ROLLBACK"), {});
                close();
                return makeError("db.migration", r.message());
            }
        }
    }
    if (auto r = exec(db, QStringLiteral("PRAGMA user_version = %1").arg(latest),
                      Tr::tr("Recording the schema version"));
        !r) {
        (void)exec(db, QStringLiteral("ROLLBACK"), {});
        close();
        return r;
    }
    if (auto r = exec(db, QStringLiteral("COMMIT"), Tr::tr("Committing the schema upgrade")); !r) {
        (void)exec(db, QStringLiteral("ROLLBACK"), {});
        close();
        return r;
    }
    return {};
}

void Database::close()
{
    {
        QMutexLocker lock(&state().mutex);
        state().open = false;
        ++state().generation;
    }
    if (threadConnections().hasLocalData())
        threadConnections().setLocalData(nullptr); // deletes this thread's holder and its connection
}

bool Database::isOpen()
{
    QMutexLocker lock(&state().mutex);
    return state().open;
}

QString Database::path()
{
    QMutexLocker lock(&state().mutex);
    return state().path;
}

bool Database::isReadOnly()
{
    QMutexLocker lock(&state().mutex);
    return state().mode == Mode::ReadOnly;
}

QSqlDatabase Database::connection()
{
    QString path;
    Mode mode;
    int generation;
    {
        QMutexLocker lock(&state().mutex);
        if (!state().open)
            return {};
        path = state().path;
        mode = state().mode;
        generation = state().generation;
    }
    auto &storage = threadConnections();
    ThreadConnection *holder = storage.hasLocalData() ? storage.localData() : nullptr;
    if (holder && holder->generation == generation && QSqlDatabase::contains(holder->name))
        return QSqlDatabase::database(holder->name, false);

    holder = new ThreadConnection;
    holder->name = QStringLiteral("opsdeck-%1").arg(++connectionCounter);
    holder->generation = generation;
    storage.setLocalData(holder); // deletes an older holder of this thread

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), holder->name);
    db.setDatabaseName(path);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000");
    if (mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    db.setConnectOptions(options);
    if (db.open()) {
        QSqlQuery query(db);
        query.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        query.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    }
    return db;
}

Result<QString> Database::moveAside(const QString &path)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString target = path + QStringLiteral(".broken-") + stamp;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (!QFile::exists(path + suffix))
            continue;
        if (!QFile::rename(path + suffix, target + suffix))
            return makeError("db.move",
                             Tr::tr("Cannot move %1 aside to %2.").arg(path + suffix, target + suffix));
    }
    return target;
}

CacheTransaction::CacheTransaction() : m_db(Database::connection()) {}

CacheTransaction::~CacheTransaction()
{
    if (m_active)
        rollback();
}

Result<void> CacheTransaction::begin()
{
    if (!m_db.isOpen())
        return makeError("db.closed", Tr::tr("The cache database is not open."));
    QSqlQuery query(m_db);
    // IMMEDIATE takes the write lock now, so a busy database waits here (busy timeout), not at commit.
    if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return Database::describe(query.lastError(), Tr::tr("Starting a cache transaction"));
    m_active = true;
    m_touched.clear();
    return {};
}

void CacheTransaction::touch(const QString &table, qint64 connectionId)
{
    const QPair<QString, qint64> entry{table, connectionId};
    if (!m_touched.contains(entry))
        m_touched << entry;
}

Result<void> CacheTransaction::commit()
{
    if (!m_active)
        return makeError("db.transaction", Tr::tr("No cache transaction is active."));
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("COMMIT"))) {
        Error error = Database::describe(query.lastError(), Tr::tr("Committing to the cache"));
        rollback();
        return error;
    }
    m_active = false;
    // Group by connection so that each announcement carries one connection id.
    QHash<qint64, QStringList> byConnection;
    QList<qint64> order;
    for (const auto &[table, id] : std::as_const(m_touched)) {
        if (!byConnection.contains(id))
            order << id;
        byConnection[id] << table;
    }
    for (qint64 id : order)
        CacheNotifier::instance()->announce(byConnection.value(id), id);
    m_touched.clear();
    return {};
}

void CacheTransaction::rollback()
{
    if (!m_active)
        return;
    QSqlQuery query(m_db);
    query.exec(QStringLiteral("ROLLBACK"));
    m_active = false;
    m_touched.clear();
}

namespace {
int cancelled(void *flag)
{
    return static_cast<std::atomic<bool> *>(flag)->load(std::memory_order_relaxed) ? 1 : 0;
}
} // namespace

ReadCancelScope::ReadCancelScope(const QSqlDatabase &db, CancelFlag flag) : m_flag(std::move(flag))
{
    const QVariant v = db.driver() ? db.driver()->handle() : QVariant();
    if (!m_flag || !v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return;
    auto *handle = *static_cast<sqlite3 *const *>(v.constData());
    if (!handle)
        return;
    m_handle = handle;
    sqlite3_progress_handler(handle, 1000, cancelled, m_flag.get()); // every 1,000 VM steps
}

ReadCancelScope::~ReadCancelScope()
{
    if (m_handle)
        sqlite3_progress_handler(static_cast<sqlite3 *>(m_handle), 0, nullptr, nullptr);
}

} // namespace opsdeck
