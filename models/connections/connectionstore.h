// Reads and writes connections and their sync state in the cache, on the calling thread's
// connection. Writers wrap calls in a CacheTransaction.
#pragma once

#include "models/connections/connection.h"
#include "models/core/result.h"

#include <QDateTime>
#include <QSqlDatabase>

namespace opsdeck {

namespace Tables {
inline const QString connections = QStringLiteral("connections");
inline const QString syncState = QStringLiteral("sync_state");
} // namespace Tables

struct SyncStatus
{
    QDateTime lastAttempt;
    QDateTime lastSuccess;
    QString lastError;
    QString lastErrorCode; // an Error code; "net.*" means the server could not be reached
    QDateTime lastErrorAt;
};

namespace ConnectionStore {
Result<QList<Connection>> all(QSqlDatabase db);
Result<Connection> byId(QSqlDatabase db, qint64 id);
// Inserts (id == 0) or updates; fills in id, uid and timestamps.
Result<Connection> save(QSqlDatabase db, Connection connection);
Result<void> remove(QSqlDatabase db, qint64 id);

Result<void> recordAttempt(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &when);
Result<void> recordSuccess(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &when);
Result<void> recordFailure(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &when,
                           const Error &error);
// The newest success and the newest error over all scopes of a connection.
Result<SyncStatus> syncStatus(QSqlDatabase db, qint64 connectionId);
// Whether the connection's sync of scope is due: never tried, or its interval has passed since the
// last attempt.
bool isSyncDue(QSqlDatabase db, const Connection &connection, const QString &scope, const QDateTime &now);
} // namespace ConnectionStore

// What the status bar says about a connection.
struct ConnectionHealth
{
    enum State { Unknown, Connected, Syncing, Offline, Failed };
    State state = Unknown;
    QString text;    // short, for the status bar
    QString tooltip; // longer, with the error or times
};

// Pure: derives the state from the stored sync status, whether a sync runs now, and the clock.
// A connection whose last attempt failed with a network error (code net.*) is "offline" and shows
// the age of its data; another failure is "error" with the message.
ConnectionHealth describeHealth(const QString &name, const SyncStatus &status, bool syncing,
                                const QDateTime &now);
QString describeAge(qint64 seconds);

// Timestamps are stored as ISO 8601 UTC with milliseconds.
QString toStoredTime(const QDateTime &time);
QDateTime fromStoredTime(const QString &text);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::SyncStatus)
