#include "services/workspace/teamaudit.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/workspace/workspacestore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace opsdeck::TeamAudit {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TeamAudit)
};
} // namespace

QString source(const QString &desktopId)
{
    return QStringLiteral("team:") + desktopId;
}

Result<qint64> push(const WorkspaceStore &store, const QString &desktopId, int batch)
{
    QSqlDatabase team = store.db();
    QSqlQuery head(team);
    head.prepare(QStringLiteral("SELECT coalesce(max(seq), 0) FROM team_audit WHERE desktop_id = ?"));
    head.addBindValue(desktopId);
    if (!head.exec() || !head.next())
        return Database::describe(head.lastError(),
                                  Tr::tr("Reading how far this desktop's audit log reached"));
    qint64 after = head.value(0).toLongLong();
    QSqlDatabase cache = Database::connection();
    for (;;) {
        QList<AuditEvent> events;
        {
            QSqlQuery local(cache);
            local.setForwardOnly(true);
            local.prepare(QStringLiteral("SELECT %1 FROM audit_events WHERE source = 'local' AND id > ? "
                                         "ORDER BY id LIMIT ?")
                              .arg(auditSelectColumns()));
            local.addBindValue(after);
            local.addBindValue(batch);
            if (!local.exec())
                return Database::describe(local.lastError(), Tr::tr("Reading the audit outbox"));
            while (local.next())
                events << auditEventFromRecord(local.record());
        }
        if (events.isEmpty())
            return after;
        if (!team.transaction())
            return Database::describe(team.lastError(), Tr::tr("Sending audit events"));
        QSqlQuery insert(team);
        insert.prepare(
            QStringLiteral("INSERT INTO team_audit (desktop_id, seq, occurred_at, canonical, hash, "
                           "prev_hash) VALUES (?, ?, ?, ?, ?, ?)"));
        for (const AuditEvent &e : std::as_const(events)) {
            insert.bindValue(0, desktopId);
            insert.bindValue(1, e.id);
            insert.bindValue(2, e.timestamp.toUTC());
            insert.bindValue(3, QString::fromUtf8(AuditLog::canonical(e)));
            insert.bindValue(4, e.hash);
            insert.bindValue(5, e.prevHash);
            if (!insert.exec()) {
                const Error error = Database::describe(
                    insert.lastError(), Tr::tr("Sending audit event %1 to the team workspace").arg(e.id));
                team.rollback();
                return error;
            }
        }
        if (!team.commit()) {
            const Error error = Database::describe(team.lastError(), Tr::tr("Sending audit events"));
            team.rollback();
            return error;
        }
        after = events.last().id;
    }
}

qint64 pending(qint64 pushedThrough)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local' AND id > ?"));
    q.addBindValue(pushedThrough);
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

Result<qint64> pull(const WorkspaceStore &store, const QString &ownDesktopId, int batch)
{
    QSqlDatabase team = store.db();
    QSqlQuery heads(team);
    heads.prepare(QStringLiteral(
        "SELECT desktop_id, max(seq) FROM team_audit WHERE desktop_id <> ? GROUP BY desktop_id"));
    heads.addBindValue(ownDesktopId);
    if (!heads.exec())
        return Database::describe(heads.lastError(), Tr::tr("Reading the team's audit trail"));
    QList<std::pair<QString, qint64>> desktops;
    while (heads.next())
        desktops.append({heads.value(0).toString(), heads.value(1).toLongLong()});

    qint64 arrived = 0;
    QSqlDatabase cache = Database::connection();
    for (const auto &[desktop, newest] : std::as_const(desktops)) {
        qint64 after = 0;
        {
            QSqlQuery pulled(cache);
            pulled.prepare(QStringLiteral("SELECT seq FROM team_audit_pulled WHERE desktop_id = ?"));
            pulled.addBindValue(desktop);
            if (!pulled.exec())
                return Database::describe(pulled.lastError(), Tr::tr("Reading the team's audit trail"));
            if (pulled.next())
                after = pulled.value(0).toLongLong();
        }
        while (after < newest) {
            QSqlQuery rows(team);
            rows.setForwardOnly(true);
            rows.prepare(QStringLiteral("SELECT seq, actor_login, canonical, hash FROM team_audit WHERE "
                                        "desktop_id = ? AND seq > ? ORDER BY seq LIMIT ?"));
            rows.addBindValue(desktop);
            rows.addBindValue(after);
            rows.addBindValue(batch);
            if (!rows.exec())
                return Database::describe(rows.lastError(), Tr::tr("Reading the team's audit trail"));
            CacheTransaction tx;
            if (auto r = tx.begin(); !r)
                return r.error();
            qint64 inBatch = 0;
            while (rows.next()) {
                const qint64 seq = rows.value(0).toLongLong();
                auto event = AuditLog::fromCanonical(rows.value(2).toString().toUtf8());
                AuditEvent e;
                if (event) {
                    e = event.value();
                } else {
                    // Kept, and said: a reviewer sees that this desktop's event could not be read.
                    e.timestamp = QDateTime::currentDateTimeUtc();
                    e.system = QStringLiteral("opsdeck");
                    e.action = QStringLiteral("audit.unreadable");
                    e.outcome = AuditOutcome::Failure;
                    e.comment = event.message();
                }
                QJsonObject origin{{QStringLiteral("desktop"), desktop},
                                   {QStringLiteral("seq"), seq},
                                   {QStringLiteral("hash"), rows.value(3).toString()},
                                   {QStringLiteral("os_user"), e.osUser}};
                e.details.insert(QStringLiteral("team"), origin);
                e.osUser = rows.value(1).toString(); // the person who acted, as the store knows them
                e.source = source(desktop);
                if (auto r = AuditLog::import(tx.db(), e); !r)
                    return r.error();
                after = seq;
                ++inBatch;
            }
            if (inBatch == 0)
                break;
            QSqlQuery mark(tx.db());
            mark.prepare(QStringLiteral("INSERT INTO team_audit_pulled (desktop_id, seq) VALUES (?, ?) "
                                        "ON CONFLICT (desktop_id) DO UPDATE SET seq = excluded.seq"));
            mark.addBindValue(desktop);
            mark.addBindValue(after);
            if (!mark.exec())
                return Database::describe(mark.lastError(), Tr::tr("Recording the team's audit trail"));
            tx.touch(AuditLog::table);
            if (auto r = tx.commit(); !r)
                return r.error();
            arrived += inBatch;
        }
    }
    return arrived;
}

Result<QList<ChainReport>> verify(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT desktop_id, seq, actor_login, canonical, hash, prev_hash FROM team_audit "
                           "ORDER BY desktop_id, seq")))
        return Database::describe(q.lastError(), Tr::tr("Reading the team's audit trail"));
    QList<ChainReport> reports;
    QString expectedPrev;
    QSet<QString> people;
    // A chain that starts after an anchor: its first event and the hash it follows, until the
    // audit.prune event naming them is seen.
    qint64 anchoredAt = 0;
    QString anchorHash;
    const auto finish = [&] {
        if (reports.isEmpty())
            return;
        ChainReport &r = reports.last();
        if (r.ok && anchoredAt > 0) {
            r.ok = false;
            r.firstBadSeq = anchoredAt;
            r.problem = Tr::tr("the events before event %1 are missing, and no audit.prune event in the "
                               "chain records a retention prune that removed them")
                            .arg(anchoredAt);
        }
        anchoredAt = 0;
        QStringList names(people.begin(), people.end());
        names.sort();
        r.people = names;
        people.clear();
    };
    while (q.next()) {
        const QString desktop = q.value(0).toString();
        if (reports.isEmpty() || reports.last().desktopId != desktop) {
            finish();
            ChainReport fresh;
            fresh.desktopId = desktop;
            reports.append(fresh);
            expectedPrev = AuditLog::genesisHash();
            if (const QString first = q.value(5).toString(); first != expectedPrev) {
                expectedPrev = anchorHash = first;
                anchoredAt = q.value(1).toLongLong();
            }
        }
        ChainReport &r = reports.last();
        ++r.events;
        people.insert(q.value(2).toString());
        if (!r.ok)
            continue;
        const qint64 seq = q.value(1).toLongLong();
        const QByteArray canonical = q.value(3).toString().toUtf8();
        const QString hash = q.value(4).toString();
        const QString prev = q.value(5).toString();
        const auto bad = [&](const QString &problem) {
            r.ok = false;
            r.firstBadSeq = seq;
            r.problem = problem;
        };
        const auto event = AuditLog::fromCanonical(canonical);
        if (!event)
            bad(event.message());
        else if (event->id != seq)
            bad(Tr::tr("event %1 carries the id %2: it was moved").arg(seq).arg(event->id));
        else if (prev != expectedPrev)
            bad(Tr::tr("event %1 does not follow the one before it: an event before it was removed or "
                       "inserted")
                    .arg(seq));
        else if (AuditLog::chainHash(prev, canonical) != hash)
            bad(Tr::tr("event %1 was changed after it was recorded: its hash does not match").arg(seq));
        else if (anchoredAt > 0 && event->action == AuditAction::auditPrune &&
                 event->details.value(QStringLiteral("through_hash")).toString() == anchorHash) {
            const qint64 through = event->details.value(QStringLiteral("through_event")).toInteger();
            if (through > 0 && through < anchoredAt) {
                r.prunedThroughSeq = through;
                anchoredAt = 0;
            }
        }
        expectedPrev = hash;
    }
    finish();
    return reports;
}

} // namespace opsdeck::TeamAudit
