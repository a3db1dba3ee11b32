#include "services/store/auditretention.h"

#include "models/audit/auditevent.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::AuditRetention {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AuditRetention)
};

// One number from a query with its values bound in order; the reading's error else.
Result<qint64> number(QSqlDatabase db, const QString &sql, const QVariantList &values)
{
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return Database::describe(q.lastError(), Tr::tr("Planning the audit retention"));
    return q.value(0).toLongLong();
}
} // namespace

Result<AuditPrunePlan> plan(QSqlDatabase db, int keepDays, const QDateTime &now, bool teamJoined)
{
    if (keepDays < 1 || keepDays > maxKeepDays)
        return makeError("audit.invalid", Tr::tr("The audit retention keeps events for 1 to %1 days, not %2.")
                                              .arg(maxKeepDays)
                                              .arg(keepDays));
    AuditPrunePlan p;
    p.keepDays = keepDays;
    p.olderThan = now.toUTC().addDays(-keepDays);
    const QString cut = toStoredTime(p.olderThan);
    const auto anchor = AuditLog::anchor(db);
    if (!anchor)
        return anchor.error();
    const qint64 after = *anchor ? (*anchor)->throughId : 0;

    // The old prefix of the chain: up to the first event at or after the cut-off, whatever follows.
    auto first = number(db,
                        QStringLiteral("SELECT COALESCE(MIN(id), 0) FROM audit_events WHERE source = 'local' "
                                       "AND id > ? AND ts >= ?"),
                        {after, cut});
    if (!first)
        return first.error();
    qint64 end = *first - 1;
    if (*first == 0) {
        auto last = number(
            db, QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM audit_events WHERE source = 'local'"), {});
        if (!last)
            return last.error();
        end = *last;
    }
    // On a desktop in a team workspace (joined in the settings, or the copy in the cache is a team's),
    // only what the team holds already; nothing before the first exchange. -1: no team's copy.
    auto pushed = number(
        db, QStringLiteral("SELECT COALESCE(MAX(audit_pushed), -1) FROM workspace_state WHERE kind = 'team'"),
        {});
    if (!pushed)
        return pushed.error();
    if (teamJoined || *pushed >= 0) {
        const qint64 bound = qMax<qint64>(*pushed, 0);
        if (end > bound) {
            auto held = number(db,
                               QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local' "
                                              "AND id > ? AND id <= ?"),
                               {qMax(after, bound), end});
            if (!held)
                return held.error();
            p.heldForTeam = *held;
            end = bound;
        }
    }
    if (end > after) {
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("SELECT id, hash, (SELECT COUNT(*) FROM audit_events WHERE source = 'local' "
                           "AND id > ? AND id <= ?) FROM audit_events WHERE source = 'local' AND id <= ? "
                           "AND id > ? ORDER BY id DESC LIMIT 1"));
        q.addBindValue(after);
        q.addBindValue(end);
        q.addBindValue(end);
        q.addBindValue(after);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Planning the audit retention"));
        if (q.next()) {
            p.throughId = q.value(0).toLongLong();
            p.throughHash = q.value(1).toString();
            p.localEvents = q.value(2).toLongLong();
        }
    }
    auto imported = number(
        db, QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source <> 'local' AND ts < ?"), {cut});
    if (!imported)
        return imported.error();
    p.importedEvents = *imported;
    if (p.throughId == 0 && *anchor) {
        // Only imported events go: the chain keeps its anchor.
        p.throughId = (*anchor)->throughId;
        p.throughHash = (*anchor)->throughHash;
    }
    return p;
}

Result<AuditPrunePlan> apply(int keepDays, const QDateTime &now, bool teamJoined, const QString &trigger)
{
    // Most runs find nothing old enough: they end here, without reading the whole log.
    if (auto first = plan(Database::connection(), keepDays, now, teamJoined);
        !first || first->removesNothing())
        return first;
    // The chain is verified before anything goes, outside the write transaction (it reads every
    // event); the transaction then removes nothing beyond what was verified.
    const auto verified = AuditLog::verify(Database::connection());
    if (!verified)
        return verified.error();
    if (!verified->ok)
        return makeError(
            "audit.broken",
            Tr::tr("The audit chain does not verify, so no event was removed: %1").arg(verified->message));
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlDatabase db = tx.db();
    auto p = plan(db, keepDays, now, teamJoined);
    if (!p)
        return p;
    if (p->removesNothing())
        return p; // the transaction rolls back: it wrote nothing
    if (p->throughId > verified->lastEventId)
        return makeError("audit.broken", Tr::tr("The audit log changed while it was verified; no event was "
                                                "removed. The next prune tries again."));
    const QString cut = toStoredTime(p->olderThan);
    {
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("INSERT INTO audit_prunes (through_id, through_hash, older_than, local_removed, "
                           "imported_removed, pruned_at, os_user) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(p->throughId);
        q.addBindValue(p->throughHash.isEmpty() ? AuditLog::genesisHash() : p->throughHash);
        q.addBindValue(cut);
        q.addBindValue(p->localEvents);
        q.addBindValue(p->importedEvents);
        q.addBindValue(toStoredTime(QDateTime::currentDateTimeUtc()));
        q.addBindValue(AuditLog::currentOsUser());
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Recording the audit prune"));
    }
    const auto remove = [&](const QString &sql, const QVariantList &values, qint64 expected) -> Result<void> {
        QSqlQuery q(db);
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Removing old audit events"));
        if (q.numRowsAffected() != expected)
            return makeError("audit.broken",
                             Tr::tr("The audit prune would have removed %1 events, not the %2 it "
                                    "planned; nothing was removed.")
                                 .arg(q.numRowsAffected())
                                 .arg(expected));
        return {};
    };
    const qint64 after = verified->prunedThroughId;
    if (auto r =
            remove(QStringLiteral("DELETE FROM audit_events WHERE source = 'local' AND id > ? AND id <= ?"),
                   {after, p->throughId}, p->localEvents);
        !r)
        return r.error();
    if (auto r = remove(QStringLiteral("DELETE FROM audit_events WHERE source <> 'local' AND ts < ?"), {cut},
                        p->importedEvents);
        !r)
        return r.error();

    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = AuditAction::auditPrune;
    e.targetKind = QStringLiteral("audit");
    e.targetName = Tr::tr("events older than %n day(s)", nullptr, keepDays);
    e.comment = summaryText(*p, true);
    e.details = QJsonObject{{QStringLiteral("through_event"), p->throughId},
                            {QStringLiteral("through_hash"), p->throughHash},
                            {QStringLiteral("older_than"), cut},
                            {QStringLiteral("keep_days"), keepDays},
                            {QStringLiteral("local_removed"), p->localEvents},
                            {QStringLiteral("imported_removed"), p->importedEvents},
                            {QStringLiteral("held_for_team"), p->heldForTeam},
                            {QStringLiteral("trigger"), trigger}};
    if (auto r = AuditLog::append(db, e); !r)
        return r.error();
    tx.touch(AuditLog::table);
    if (auto r = tx.commit(); !r)
        return r.error();
    return p;
}

AuditEvent failureEvent(int keepDays, const Error &error, const QString &trigger)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = AuditAction::auditPrune;
    e.targetKind = QStringLiteral("audit");
    e.outcome = AuditOutcome::Failure;
    e.comment = error.message;
    e.details = QJsonObject{{QStringLiteral("keep_days"), keepDays},
                            {QStringLiteral("error"), error.code},
                            {QStringLiteral("trigger"), trigger}};
    return e;
}

QString summaryText(const AuditPrunePlan &p, bool done)
{
    const QLocale locale;
    QString text;
    const qint64 total = p.localEvents + p.importedEvents;
    if (total == 0)
        text = Tr::tr("No audit event is older than %n day(s).", nullptr, p.keepDays);
    else if (done)
        text =
            Tr::tr("Audit events older than %n day(s) removed: %1 (%2 of this desktop's chain, %3 imported). "
                   "The chain is verified from event %4 on.",
                   nullptr, p.keepDays)
                .arg(locale.toString(total), locale.toString(p.localEvents),
                     locale.toString(p.importedEvents))
                .arg(p.throughId + 1);
    else
        text =
            Tr::tr(
                "Audit events older than %n day(s) to remove: %1 (%2 of this desktop's chain, %3 imported).",
                nullptr, p.keepDays)
                .arg(locale.toString(total), locale.toString(p.localEvents),
                     locale.toString(p.importedEvents));
    if (p.heldForTeam > 0)
        text += QLatin1Char(' ') + Tr::tr("Older events kept until the team workspace has them: %1.")
                                       .arg(locale.toString(p.heldForTeam));
    return text;
}

} // namespace opsdeck::AuditRetention
