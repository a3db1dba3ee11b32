#include "services/store/auditlog.h"

#include "models/connections/connectionstore.h"
#include "models/core/jsonwrite.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"

#include <openssl/evp.h>
#include <pwd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AuditLog)
};

QString stored(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}
} // namespace

namespace AuditLog {

QString currentOsUser()
{
    for (const char *name : {"USER", "LOGNAME", "USERNAME"}) {
        const QString v = qEnvironmentVariable(name);
        if (!v.isEmpty())
            return v;
    }
    // Started without a login environment (a service manager, a container): ask the system.
    if (const passwd *entry = getpwuid(geteuid()); entry && entry->pw_name && *entry->pw_name)
        return QString::fromLocal8Bit(entry->pw_name);
    return QStringLiteral("unknown");
}

QString genesisHash()
{
    return QString(64, QLatin1Char('0'));
}

namespace detail {
// The canonical form, written directly: a compact JSON array in a fixed order (no key-order or
// whitespace ambiguity), byte for byte what QJsonDocument writes for
//   [id, ts, os_user, backend_identity, connection_id|null, connection_name, system, action,
//    target_kind, target_id, target_name, outcome, comment, "<details as compact JSON>"]
// (tst_audit compares the two). The id is part of it, so moving an event changes its hash.
QByteArray canonicalWith(const AuditEvent &e, const QString &ts, const QByteArray &details)
{
    QByteArray out;
    out.reserve(256 + details.size());
    out.append('[');
    out.append(QByteArray::number(e.id));
    for (const QString *s : {&ts, &e.osUser, &e.backendIdentity}) {
        out.append(',');
        JsonWrite::appendString(out, *s);
    }
    out.append(',');
    out.append(e.connectionId ? QByteArray::number(*e.connectionId) : QByteArray("null"));
    const QString outcome = outcomeId(e.outcome);
    for (const QString *s : {&e.connectionName, &e.system, &e.action, &e.targetKind, &e.targetId,
                             &e.targetName, &outcome, &e.comment}) {
        out.append(',');
        JsonWrite::appendString(out, *s);
    }
    out.append(',');
    JsonWrite::appendUtf8String(out, details);
    out.append(']');
    return out;
}
} // namespace detail

QByteArray canonical(const AuditEvent &e)
{
    return detail::canonicalWith(e, stored(e.timestamp),
                                 QJsonDocument(e.details).toJson(QJsonDocument::Compact));
}

Result<AuditEvent> fromCanonical(const QByteArray &bytes)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    const QJsonArray a = doc.array();
    const auto refuse = [](const QString &why) {
        return makeError("audit.invalid",
                         Tr::tr("An audit event in the team store is not readable: %1").arg(why));
    };
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return refuse(error.errorString().isEmpty() ? Tr::tr("not a JSON array") : error.errorString());
    if (a.size() != 14 || !a.at(0).isDouble() || !(a.at(4).isDouble() || a.at(4).isNull()))
        return refuse(Tr::tr("it has %1 fields, not the 14 of an Opsdeck event").arg(a.size()));
    for (int i : {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13})
        if (!a.at(i).isString())
            return refuse(Tr::tr("field %1 is not text").arg(i + 1));
    AuditEvent e;
    e.id = qint64(a.at(0).toDouble());
    e.timestamp = QDateTime::fromString(a.at(1).toString(), Qt::ISODateWithMs);
    if (!e.timestamp.isValid())
        return refuse(Tr::tr("its time \"%1\" is not an ISO 8601 time").arg(a.at(1).toString()));
    e.osUser = a.at(2).toString();
    e.backendIdentity = a.at(3).toString();
    if (a.at(4).isDouble())
        e.connectionId = qint64(a.at(4).toDouble());
    e.connectionName = a.at(5).toString();
    e.system = a.at(6).toString();
    e.action = a.at(7).toString();
    e.targetKind = a.at(8).toString();
    e.targetId = a.at(9).toString();
    e.targetName = a.at(10).toString();
    const auto outcome = outcomeFromId(a.at(11).toString());
    if (!outcome)
        return refuse(
            Tr::tr("its outcome \"%1\" is not success, failure or partial").arg(a.at(11).toString()));
    e.outcome = *outcome;
    e.comment = a.at(12).toString();
    const QJsonDocument details = QJsonDocument::fromJson(a.at(13).toString().toUtf8());
    if (!details.isObject())
        return refuse(Tr::tr("its details are not a JSON object"));
    e.details = details.object();
    return e;
}

QString chainHash(const QString &prevHash, const QByteArray &canonicalBytes)
{
    // One digest context per thread, reused: creating one per event costs more than the hashing.
    struct Context
    {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        ~Context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Context context;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const QByteArray prev = prevHash.toLatin1();
    EVP_DigestInit_ex(context.ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(context.ctx, prev.constData(), size_t(prev.size()));
    EVP_DigestUpdate(context.ctx, "\n", 1);
    EVP_DigestUpdate(context.ctx, canonicalBytes.constData(), size_t(canonicalBytes.size()));
    EVP_DigestFinal_ex(context.ctx, digest, &length);
    return QString::fromLatin1(
        QByteArray::fromRawData(reinterpret_cast<const char *>(digest), int(length)).toHex());
}

namespace detail {
// Every audit event, chained or imported, is written through the cache's batch writer.
BatchWriter eventWriter(QSqlDatabase db, int rowsPerStatement)
{
    return BatchWriter(
        std::move(db),
        QStringLiteral("INSERT INTO audit_events (id, source, ts, os_user, backend_identity, "
                       "connection_id, connection_name, system, action, target_kind, target_id, "
                       "target_name, outcome, comment, details, prev_hash, hash) VALUES"),
        17, QString(), Tr::tr("Writing the audit log"), rowsPerStatement);
}

// One event's values in the column order above; an id of 0 and empty hashes are NULL (the
// database picks the id; imported events are outside the chain).
Result<void> addEvent(BatchWriter &w, const AuditEvent &e, const QString &ts, QByteArray details)
{
    if (e.id > 0)
        w.add(e.id);
    else
        w.addNull();
    w.add(e.source);
    w.add(ts);
    w.add(e.osUser);
    w.add(e.backendIdentity);
    w.add(e.connectionId);
    w.add(e.connectionName);
    w.add(e.system);
    w.add(e.action);
    w.add(e.targetKind);
    w.add(e.targetId);
    w.add(e.targetName);
    w.add(outcomeId(e.outcome));
    w.add(e.comment);
    w.add(std::move(details));
    for (const QString *hash : {&e.prevHash, &e.hash}) {
        if (hash->isEmpty())
            w.addNull();
        else
            w.add(*hash);
    }
    return w.endRow();
}

void normalise(AuditEvent &e)
{
    if (!e.timestamp.isValid())
        e.timestamp = QDateTime::currentDateTimeUtc();
    e.timestamp = e.timestamp.toUTC();
    // milliseconds only, so the stored text and the hashed text are the same
    e.timestamp = QDateTime::fromMSecsSinceEpoch(e.timestamp.toMSecsSinceEpoch(), Qt::UTC);
    if (e.osUser.isEmpty())
        e.osUser = currentOsUser();
}
} // namespace detail
using detail::normalise;

Result<AuditEvent> append(QSqlDatabase db, AuditEvent e)
{
    AuditAppender appender(db);
    if (auto r = appender.start(); !r)
        return r.error();
    auto appended = appender.append(std::move(e));
    if (!appended)
        return appended;
    if (auto r = appender.finish(); !r)
        return r.error();
    return appended;
}

Result<AuditEvent> record(AuditEvent event)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    auto appended = append(tx.db(), std::move(event));
    if (!appended)
        return appended;
    tx.touch(table, appended->connectionId.value_or(0));
    if (auto r = tx.commit(); !r)
        return r.error();
    return appended;
}

Result<AuditEvent> import(QSqlDatabase db, AuditEvent e)
{
    if (e.source.isEmpty() || e.source == QLatin1String("local"))
        return makeError("audit.invalid",
                         Tr::tr("An imported audit event needs a source other than \"local\"."));
    normalise(e);
    e.prevHash.clear();
    e.hash.clear();
    e.id = 0;
    BatchWriter w = detail::eventWriter(db, 1); // one row: written by addEvent
    if (auto r = detail::addEvent(w, e, stored(e.timestamp),
                                  QJsonDocument(e.details).toJson(QJsonDocument::Compact));
        !r)
        return r.error();
    e.id = w.lastInsertId();
    return e;
}

Result<std::optional<AuditAnchor>> anchor(QSqlDatabase db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral(
            "SELECT through_id, through_hash, pruned_at FROM audit_prunes ORDER BY through_id DESC, id DESC "
            "LIMIT 1")))
        return Database::describe(q.lastError(), Tr::tr("Reading where the audit log was pruned"));
    if (!q.next() || q.value(0).toLongLong() <= 0)
        return std::optional<AuditAnchor>();
    return std::optional<AuditAnchor>(
        AuditAnchor{q.value(0).toLongLong(), q.value(1).toString(), fromStoredTime(q.value(2).toString())});
}

Result<AuditVerification> verify(QSqlDatabase db, qint64 fromEventId,
                                 const std::function<bool(qint64, qint64)> &progress)
{
    AuditVerification v;
    QString expectedPrev = genesisHash();
    QString beforePrev; // the hash before expectedPrev, to recognise an inserted event
    qint64 prevId = 0;
    const auto pruned = anchor(db);
    if (!pruned)
        return pruned.error();
    bool pruneRecorded = true; // a prune's own event, once seen (or not looked for)
    if (*pruned) {
        expectedPrev = (*pruned)->throughHash;
        prevId = v.startedAfterId = v.prunedThroughId = (*pruned)->throughId;
        v.prunedAt = (*pruned)->prunedAt;
        pruneRecorded = false;
    }

    QHash<qint64, QString> checkpoints;
    {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT event_id, hash FROM audit_checkpoints ORDER BY event_id")))
            return Database::describe(q.lastError(), Tr::tr("Reading the audit checkpoints"));
        while (q.next())
            checkpoints.insert(q.value(0).toLongLong(), q.value(1).toString());
    }
    if (fromEventId > 0) {
        qint64 start = 0;
        for (auto it = checkpoints.cbegin(); it != checkpoints.cend(); ++it)
            if (it.key() <= fromEventId && it.key() > start)
                start = it.key();
        if (start > v.startedAfterId) {
            expectedPrev = checkpoints.value(start);
            v.startedAfterId = start;
            prevId = start;
            pruneRecorded = true; // its event may lie before the checkpoint
        }
    }
    qint64 total = 0;
    {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local' AND id > ?"));
        q.addBindValue(v.startedAfterId);
        if (!q.exec() || !q.next())
            return Database::describe(q.lastError(), Tr::tr("Counting the audit events"));
        total = q.value(0).toLongLong();
    }

    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM audit_events WHERE source = 'local' AND id > ? ORDER BY id")
                  .arg(auditSelectColumns()));
    q.addBindValue(v.startedAfterId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the audit log"));
    const auto fail = [&](qint64 id, const char *problem, const QString &message) {
        v.ok = false;
        v.firstBadId = id;
        v.problem = QString::fromLatin1(problem);
        v.message = message;
    };
    while (q.next()) {
        const AuditEvent e = auditEventFromRecord(q.record());
        const QString recomputed = chainHash(e.prevHash, canonical(e));
        if (recomputed != e.hash) {
            // Is it an intact event that sits at another id (rows swapped or moved)?
            bool moved = false;
            for (qint64 other : {e.id - 1, e.id + 1}) {
                AuditEvent shifted = e;
                shifted.id = other;
                if (chainHash(e.prevHash, canonical(shifted)) == e.hash)
                    moved = true;
            }
            if (moved)
                fail(e.id, "reordered",
                     Tr::tr("Audit event %1 was moved: it belongs at another place in the chain "
                            "(events were reordered).")
                         .arg(e.id));
            else
                fail(e.id, "edited",
                     Tr::tr("Audit event %1 was edited: its content no longer matches its hash.").arg(e.id));
            break;
        }
        if (e.prevHash != expectedPrev) {
            if (!beforePrev.isEmpty() && e.prevHash == beforePrev)
                fail(prevId, "inserted",
                     Tr::tr("Audit event %1 was inserted: it is not part of the chain (event %2 "
                            "follows the event before it).")
                         .arg(prevId)
                         .arg(e.id));
            else
                fail(e.id, "deleted",
                     Tr::tr("Events before audit event %1 were deleted: the event it follows is "
                            "missing (last intact event: %2).")
                         .arg(e.id)
                         .arg(prevId));
            break;
        }
        const auto cp = checkpoints.constFind(e.id);
        if (cp != checkpoints.constEnd()) {
            ++v.checkpointsChecked;
            if (*cp != e.hash) {
                fail(e.id, "checkpoint",
                     Tr::tr("The checkpoint at audit event %1 does not match the event.").arg(e.id));
                break;
            }
        }
        if (!pruneRecorded && e.action == AuditAction::auditPrune &&
            e.details.value(QStringLiteral("through_event")).toInteger() == v.prunedThroughId &&
            e.details.value(QStringLiteral("through_hash")).toString() == (*pruned)->throughHash)
            pruneRecorded = true;
        beforePrev = expectedPrev;
        expectedPrev = e.hash;
        prevId = e.id;
        ++v.eventsChecked;
        if (progress && v.eventsChecked % 5000 == 0 && !progress(v.eventsChecked, total))
            return makeError("audit.cancelled", Tr::tr("Verification was cancelled."));
    }
    if (v.ok) {
        // A checkpoint beyond the last event means events at the end were deleted.
        for (auto it = checkpoints.cbegin(); it != checkpoints.cend(); ++it) {
            if (it.key() > prevId && it.key() > v.startedAfterId) {
                fail(it.key(), "deleted",
                     Tr::tr("Audit events up to %1 were deleted from the end of the log "
                            "(a checkpoint names event %1).")
                         .arg(it.key()));
                break;
            }
        }
    }
    if (v.ok && !pruneRecorded)
        fail(v.prunedThroughId, "deleted",
             Tr::tr("Audit events up to %1 were removed, but no audit.prune event in the chain records "
                    "a retention prune that removed them.")
                 .arg(v.prunedThroughId));
    v.lastEventId = prevId;
    if (v.ok) {
        v.message = Tr::tr("The audit chain is intact: %n event(s) verified.", nullptr,
                           int(qMin<qint64>(v.eventsChecked, INT_MAX)));
        if (v.prunedThroughId > 0)
            v.message += QLatin1Char(' ') +
                         Tr::tr("Events up to %1 were removed by the audit retention on %2; the chain is "
                                "verified from there.")
                             .arg(v.prunedThroughId)
                             .arg(QLocale().toString(v.prunedAt.toLocalTime().date(), QLocale::ShortFormat));
    }
    if (progress)
        progress(v.eventsChecked, total);
    return v;
}

} // namespace AuditLog

Result<void> AuditAppender::start()
{
    // The chain head and the next id, read inside the caller's write transaction.
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral(
            "SELECT id, hash FROM audit_events WHERE source = 'local' ORDER BY id DESC LIMIT 1")))
        return Database::describe(q.lastError(), Tr::tr("Reading the audit log"));
    m_head = AuditLog::genesisHash();
    m_headId = 0;
    if (q.next()) {
        m_headId = q.value(0).toLongLong();
        m_head = q.value(1).toString();
    } else if (const auto pruned = AuditLog::anchor(m_db); !pruned) {
        return pruned.error();
    } else if (*pruned) {
        // The retention removed every event: the chain goes on from its anchor.
        m_headId = (*pruned)->throughId;
        m_head = (*pruned)->throughHash;
    }
    // Ids are never used twice, not even those of events a prune removed.
    if (!q.exec(QStringLiteral("SELECT MAX(COALESCE((SELECT MAX(id) FROM audit_events), 0), "
                               "COALESCE((SELECT MAX(through_id) FROM audit_prunes), 0)) + 1")) ||
        !q.next())
        return Database::describe(q.lastError(), Tr::tr("Reading the audit log"));
    m_nextId = q.value(0).toLongLong();
    m_writer.emplace(AuditLog::detail::eventWriter(m_db, 512));
    m_checkpoints.clear();
    return {};
}

Result<AuditEvent> AuditAppender::append(AuditEvent e)
{
    if (!m_writer)
        return makeError("audit.invalid", Tr::tr("The audit appender was not started."));
    if (e.action.isEmpty())
        return makeError("audit.invalid", Tr::tr("An audit event needs an action."));
    AuditLog::detail::normalise(e);
    e.source = QStringLiteral("local");
    e.id = m_nextId;
    e.prevHash = m_head;
    QByteArray details = QJsonDocument(e.details).toJson(QJsonDocument::Compact);
    QString ts = stored(e.timestamp);
    e.hash = AuditLog::chainHash(e.prevHash, AuditLog::detail::canonicalWith(e, ts, details));
    if (e.id / AuditLog::checkpointEvery > m_headId / AuditLog::checkpointEvery)
        m_checkpoints.append({e.id, e.hash});
    if (auto r = AuditLog::detail::addEvent(*m_writer, e, ts, std::move(details)); !r)
        return r.error();
    m_head = e.hash;
    m_headId = e.id;
    m_nextId = e.id + 1;
    return e;
}

Result<void> AuditAppender::finish()
{
    if (!m_writer)
        return {};
    if (auto r = m_writer->finish(); !r)
        return r;
    for (const auto &[id, hash] : std::as_const(m_checkpoints)) {
        QSqlQuery cp(m_db);
        cp.prepare(
            QStringLiteral("INSERT INTO audit_checkpoints (event_id, hash, created_at) VALUES (?, ?, ?)"));
        cp.addBindValue(id);
        cp.addBindValue(hash);
        cp.addBindValue(stored(QDateTime::currentDateTimeUtc()));
        if (!cp.exec())
            return Database::describe(cp.lastError(), Tr::tr("Writing an audit checkpoint"));
    }
    m_checkpoints.clear();
    return {};
}

} // namespace opsdeck
