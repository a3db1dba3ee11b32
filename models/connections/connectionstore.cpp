#include "models/connections/connectionstore.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ConnectionStore)
};

const char *const selectColumns =
    "SELECT id, uid, kind, name, endpoint, auth_kind, username, ca_file, client_cert_file, client_key_file, "
    "sync_interval_s, options_json, created_at, updated_at FROM connections ";

Connection fromQuery(const QSqlQuery &q)
{
    Connection c;
    c.id = q.value(0).toLongLong();
    c.uid = q.value(1).toString();
    c.kind = kindFromId(q.value(2).toString()).value_or(ConnectionKind::GitHub);
    c.name = q.value(3).toString();
    c.endpoint = q.value(4).toString();
    c.auth = authFromId(q.value(5).toString()).value_or(AuthKind::None);
    c.username = q.value(6).toString();
    c.caFile = q.value(7).toString();
    c.clientCertFile = q.value(8).toString();
    c.clientKeyFile = q.value(9).toString();
    c.syncIntervalSec = q.value(10).toInt();
    c.options = QJsonDocument::fromJson(q.value(11).toString().toUtf8()).object();
    c.createdAt = fromStoredTime(q.value(12).toString());
    c.updatedAt = fromStoredTime(q.value(13).toString());
    return c;
}
} // namespace

QString toStoredTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromStoredTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.toUTC();
}

namespace ConnectionStore {

Result<QList<Connection>> all(QSqlDatabase db)
{
    QSqlQuery q(db);
    if (!q.exec(QString::fromLatin1(selectColumns) + QStringLiteral("ORDER BY name COLLATE NOCASE")))
        return Database::describe(q.lastError(), Tr::tr("Reading connections"));
    QList<Connection> list;
    while (q.next())
        list << fromQuery(q);
    return list;
}

Result<Connection> byId(QSqlDatabase db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QString::fromLatin1(selectColumns) + QStringLiteral("WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading a connection"));
    if (!q.next())
        return makeError("connection.missing", Tr::tr("The connection no longer exists."));
    return fromQuery(q);
}

Result<Connection> save(QSqlDatabase db, Connection c)
{
    if (auto valid = validateConnection(c); !valid)
        return valid.error();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (c.uid.isEmpty())
        c.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!c.createdAt.isValid())
        c.createdAt = now;
    c.updatedAt = now;

    QSqlQuery q(db);
    if (c.id == 0) {
        q.prepare(QStringLiteral(
            "INSERT INTO connections (uid, kind, name, endpoint, auth_kind, username, ca_file, "
            "client_cert_file, "
            "client_key_file, sync_interval_s, options_json, created_at, updated_at) "
            "VALUES (?,?,?,?,?,COALESCE(?,''),COALESCE(?,''),COALESCE(?,''),COALESCE(?,''),?,?,?,?)"));
    } else {
        q.prepare(QStringLiteral(
            "UPDATE connections SET uid=?, kind=?, name=?, endpoint=?, auth_kind=?, username=COALESCE(?,''), "
            "ca_file=COALESCE(?,''), client_cert_file=COALESCE(?,''), client_key_file=COALESCE(?,''), "
            "sync_interval_s=?, options_json=?, created_at=?, updated_at=? "
            "WHERE id=?"));
    }
    q.addBindValue(c.uid);
    q.addBindValue(kindId(c.kind));
    q.addBindValue(c.name.trimmed());
    q.addBindValue(c.endpoint.trimmed());
    q.addBindValue(authId(c.auth));
    q.addBindValue(c.username.trimmed());
    q.addBindValue(c.caFile);
    q.addBindValue(c.clientCertFile);
    q.addBindValue(c.clientKeyFile);
    q.addBindValue(c.syncIntervalSec);
    q.addBindValue(QString::fromUtf8(QJsonDocument(c.options).toJson(QJsonDocument::Compact)));
    q.addBindValue(toStoredTime(c.createdAt));
    q.addBindValue(toStoredTime(c.updatedAt));
    if (c.id != 0)
        q.addBindValue(c.id);
    if (!q.exec()) {
        if (q.lastError().nativeErrorCode().toInt() == 2067 ||
            q.lastError().databaseText().contains(QLatin1String("UNIQUE")))
            return makeError("connection.duplicate",
                             Tr::tr("A connection named \"%1\" exists already.").arg(c.name.trimmed()));
        return Database::describe(q.lastError(), Tr::tr("Saving the connection"));
    }
    if (c.id == 0)
        c.id = q.lastInsertId().toLongLong();
    else if (q.numRowsAffected() == 0)
        return makeError("connection.missing", Tr::tr("The connection no longer exists."));
    c.name = c.name.trimmed();
    c.endpoint = c.endpoint.trimmed();
    c.username = c.username.trimmed();
    return c;
}

Result<void> remove(QSqlDatabase db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM connections WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Removing the connection"));
    return {};
}

namespace {
Result<void> upsertSync(QSqlDatabase db, qint64 id, const QString &scope, const QString &set,
                        const QVariantList &values)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO sync_state (connection_id, scope) VALUES (?, ?) "
                             "ON CONFLICT (connection_id, scope) DO NOTHING"));
    q.addBindValue(id);
    q.addBindValue(scope);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording the sync state"));
    q.prepare(QStringLiteral("UPDATE sync_state SET %1 WHERE connection_id = ? AND scope = ?").arg(set));
    for (const QVariant &v : values)
        q.addBindValue(v);
    q.addBindValue(id);
    q.addBindValue(scope);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording the sync state"));
    return {};
}
} // namespace

Result<void> recordAttempt(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &when)
{
    return upsertSync(db, connectionId, scope, QStringLiteral("last_attempt_at = ?"), {toStoredTime(when)});
}

Result<void> recordSuccess(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &when)
{
    return upsertSync(db, connectionId, scope,
                      QStringLiteral("last_attempt_at = ?, last_success_at = ?, last_error = ''"),
                      {toStoredTime(when), toStoredTime(when)});
}

Result<void> recordFailure(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &when,
                           const Error &error)
{
    return upsertSync(
        db, connectionId, scope,
        QStringLiteral("last_attempt_at = ?, last_error = ?, last_error_code = ?, last_error_at = ?"),
        {toStoredTime(when), error.message, error.code, toStoredTime(when)});
}

bool isSyncDue(QSqlDatabase db, const Connection &connection, const QString &scope, const QDateTime &now)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT last_attempt_at FROM sync_state WHERE connection_id = ? AND scope = ?"));
    q.addBindValue(connection.id);
    q.addBindValue(scope);
    const QDateTime last = q.exec() && q.next() ? fromStoredTime(q.value(0).toString()) : QDateTime();
    return !last.isValid() || last.secsTo(now) >= connection.syncIntervalSec;
}

Result<SyncStatus> syncStatus(QSqlDatabase db, qint64 connectionId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT last_attempt_at, last_success_at, last_error, last_error_at, last_error_code FROM sync_state "
        "WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the sync state"));
    SyncStatus status;
    while (q.next()) {
        const QDateTime attempt = fromStoredTime(q.value(0).toString());
        const QDateTime success = fromStoredTime(q.value(1).toString());
        const QDateTime errorAt = fromStoredTime(q.value(3).toString());
        if (attempt.isValid() && (!status.lastAttempt.isValid() || attempt > status.lastAttempt))
            status.lastAttempt = attempt;
        if (success.isValid() && (!status.lastSuccess.isValid() || success > status.lastSuccess))
            status.lastSuccess = success;
        if (!q.value(2).toString().isEmpty() &&
            (!status.lastErrorAt.isValid() || errorAt > status.lastErrorAt)) {
            status.lastError = q.value(2).toString();
            status.lastErrorAt = errorAt;
            status.lastErrorCode = q.value(4).toString();
        }
    }
    return status;
}

} // namespace ConnectionStore

QString describeAge(qint64 seconds)
{
    if (seconds < 60)
        return Tr::tr("less than a minute");
    if (seconds < 3600)
        return Tr::tr("%n min", nullptr, int(seconds / 60));
    if (seconds < 48 * 3600)
        return Tr::tr("%n h", nullptr, int(seconds / 3600));
    return Tr::tr("%n days", nullptr, int(seconds / 86400));
}

ConnectionHealth describeHealth(const QString &name, const SyncStatus &s, bool syncing, const QDateTime &now)
{
    ConnectionHealth h;
    const bool networkError = s.lastErrorCode.startsWith(QLatin1String("net."));
    const bool failedLast =
        !s.lastError.isEmpty() && (!s.lastSuccess.isValid() || s.lastErrorAt >= s.lastSuccess);
    const QString age = s.lastSuccess.isValid() ? describeAge(s.lastSuccess.secsTo(now)) : QString();
    if (syncing) {
        h.state = ConnectionHealth::Syncing;
        h.text = Tr::tr("%1: syncing").arg(name);
        h.tooltip =
            s.lastSuccess.isValid() ? Tr::tr("Last successful sync %1 ago").arg(age) : Tr::tr("First sync");
    } else if (failedLast && networkError) {
        h.state = ConnectionHealth::Offline;
        h.text = s.lastSuccess.isValid() ? Tr::tr("%1: offline, data from %2 ago").arg(name, age)
                                         : Tr::tr("%1: offline, no data yet").arg(name);
        h.tooltip = s.lastError;
    } else if (failedLast) {
        h.state = ConnectionHealth::Failed;
        h.text = Tr::tr("%1: error").arg(name);
        h.tooltip = s.lastError;
    } else if (s.lastSuccess.isValid()) {
        h.state = ConnectionHealth::Connected;
        h.text = Tr::tr("%1: connected").arg(name);
        h.tooltip = Tr::tr("Last successful sync %1 ago").arg(age);
    } else {
        h.state = ConnectionHealth::Unknown;
        h.text = Tr::tr("%1: not synced yet").arg(name);
        h.tooltip = Tr::tr("Press F5 to sync, or test the connection in the Connections dialog.");
    }
    return h;
}

} // namespace opsdeck
