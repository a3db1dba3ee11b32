#include "models/audit/auditevent.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlRecord>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AuditFilter)
};
} // namespace

QString outcomeId(AuditOutcome outcome)
{
    switch (outcome) {
    case AuditOutcome::Success:
        return QStringLiteral("success");
    case AuditOutcome::Failure:
        return QStringLiteral("failure");
    case AuditOutcome::Partial:
        return QStringLiteral("partial");
    }
    return {};
}

std::optional<AuditOutcome> outcomeFromId(const QString &id)
{
    for (AuditOutcome o : {AuditOutcome::Success, AuditOutcome::Failure, AuditOutcome::Partial})
        if (outcomeId(o) == id)
            return o;
    return std::nullopt;
}

QStringList auditActions()
{
    using namespace AuditAction;
    return {connectionCreate,     connectionUpdate,    connectionDelete,  connectionTest,   syncComplete,
            syncFailed,           runnerCreate,        runnerDelete,      runnerDrift,      runnerLabels,
            policyUpdate,         userCreate,          userUpdate,        userRole,         userDisable,
            userEnable,           userOffboard,        userReview,        memberRemove,     containerStart,
            containerStop,        containerRestart,    containerRemove,   deployStart,      deployFinish,
            imageRequest,         imageApprove,        budgetUpdate,      budgetBlock,      budgetUnblock,
            budgetDelete,         budgetPolicySet,     budgetPolicyApply, budgetGroupSet,   budgetCreditsSet,
            budgetOverflowSettle, testrunImport,       testrunNotify,     testrunNotifySet, testrunTelemetry,
            testrunSourceSet,     testrunSourceRemove, testrunSync,       testrunMockSet,   testrunMockRemove,
            testrunRetention,     testrunKeep,         testrunPublish,    testrunKeySet,    auditExport,
            auditPrune,           tunnelRoute,         workspaceJoin,     workspaceLeave};
}

QString auditSelectColumns()
{
    return QStringLiteral(
        "id, source, ts, os_user, backend_identity, connection_id, connection_name, system, action, "
        "target_kind, target_id, target_name, outcome, comment, details, prev_hash, hash");
}

AuditEvent auditEventFromRecord(const QSqlRecord &r)
{
    AuditEvent e;
    e.id = r.value(0).toLongLong();
    e.source = r.value(1).toString();
    e.timestamp = QDateTime::fromString(r.value(2).toString(), Qt::ISODateWithMs).toUTC();
    e.osUser = r.value(3).toString();
    e.backendIdentity = r.value(4).toString();
    if (!r.value(5).isNull())
        e.connectionId = r.value(5).toLongLong();
    e.connectionName = r.value(6).toString();
    e.system = r.value(7).toString();
    e.action = r.value(8).toString();
    e.targetKind = r.value(9).toString();
    e.targetId = r.value(10).toString();
    e.targetName = r.value(11).toString();
    e.outcome = outcomeFromId(r.value(12).toString()).value_or(AuditOutcome::Failure);
    e.comment = r.value(13).toString();
    e.details = QJsonDocument::fromJson(r.value(14).toString().toUtf8()).object();
    e.prevHash = r.value(15).toString();
    e.hash = r.value(16).toString();
    return e;
}

QString ftsQuery(const QString &text)
{
    QStringList terms;
    for (QString word : text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        word.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms << QLatin1Char('"') + word + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

QString auditWhere(const AuditFilter &f, QVariantList &binds)
{
    QStringList where;
    const auto inList = [&](const QString &column, const QVariantList &values) {
        QStringList marks;
        for (const QVariant &v : values) {
            marks << QStringLiteral("?");
            binds << v;
        }
        where << QStringLiteral("%1 IN (%2)").arg(column, marks.join(QLatin1Char(',')));
    };
    if (!f.text.trimmed().isEmpty()) {
        where << QStringLiteral("id IN (SELECT rowid FROM audit_fts WHERE audit_fts MATCH ?)");
        binds << ftsQuery(f.text);
    }
    if (f.since.isValid()) {
        where << QStringLiteral("ts >= ?");
        binds << f.since.toUTC().toString(Qt::ISODateWithMs);
    }
    if (f.until.isValid()) {
        where << QStringLiteral("ts < ?");
        binds << f.until.toUTC().toString(Qt::ISODateWithMs);
    }
    if (!f.systems.isEmpty()) {
        QVariantList v;
        for (const QString &s : f.systems)
            v << s;
        inList(QStringLiteral("system"), v);
    }
    if (!f.connectionIds.isEmpty()) {
        QVariantList v;
        for (qint64 id : f.connectionIds)
            v << id;
        inList(QStringLiteral("connection_id"), v);
    }
    if (!f.actor.trimmed().isEmpty()) {
        where << QStringLiteral(
            "(instr(lower(os_user), lower(?)) > 0 OR instr(lower(backend_identity), lower(?)) > 0)");
        binds << f.actor.trimmed() << f.actor.trimmed();
    }
    if (!f.actions.isEmpty()) {
        QVariantList v;
        for (const QString &s : f.actions)
            v << s;
        inList(QStringLiteral("action"), v);
    }
    if (!f.outcomes.isEmpty()) {
        QVariantList v;
        for (const QString &s : f.outcomes)
            v << s;
        inList(QStringLiteral("outcome"), v);
    }
    if (!f.source.isEmpty()) {
        where << QStringLiteral("source = ?");
        binds << f.source;
    }
    return where.isEmpty() ? QStringLiteral("1") : where.join(QStringLiteral(" AND "));
}

QString describeFilter(const AuditFilter &f)
{
    QStringList parts;
    if (!f.text.trimmed().isEmpty())
        parts << Tr::tr("text \"%1\"").arg(f.text.trimmed());
    if (f.since.isValid())
        parts << Tr::tr("from %1").arg(f.since.toUTC().toString(Qt::ISODate));
    if (f.until.isValid())
        parts << Tr::tr("until %1").arg(f.until.toUTC().toString(Qt::ISODate));
    if (!f.systems.isEmpty())
        parts << Tr::tr("system %1").arg(f.systems.join(QStringLiteral(", ")));
    if (!f.connectionIds.isEmpty()) {
        QStringList ids;
        for (qint64 id : f.connectionIds)
            ids << QString::number(id);
        parts << Tr::tr("connection %1").arg(ids.join(QStringLiteral(", ")));
    }
    if (!f.actor.trimmed().isEmpty())
        parts << Tr::tr("actor \"%1\"").arg(f.actor.trimmed());
    if (!f.actions.isEmpty())
        parts << Tr::tr("action %1").arg(f.actions.join(QStringLiteral(", ")));
    if (!f.outcomes.isEmpty())
        parts << Tr::tr("outcome %1").arg(f.outcomes.join(QStringLiteral(", ")));
    if (!f.source.isEmpty())
        parts << Tr::tr("source %1").arg(f.source);
    return parts.isEmpty() ? Tr::tr("All events")
                           : Tr::tr("Events with %1").arg(parts.join(QStringLiteral("; ")));
}

Result<qint64> countAuditEvents(QSqlDatabase db, const AuditFilter &filter)
{
    QVariantList binds;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE ") + auditWhere(filter, binds));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec() || !q.next())
        return Database::describe(q.lastError(), Tr::tr("Counting audit events"));
    return q.value(0).toLongLong();
}

Result<QSqlQuery> selectAuditEvents(QSqlDatabase db, const AuditFilter &filter, int limit)
{
    QVariantList binds;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    const QString order = filter.newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    q.prepare(QStringLiteral("SELECT %1 FROM audit_events WHERE %2 ORDER BY ts %3, id %3%4")
                  .arg(auditSelectColumns(), auditWhere(filter, binds), order,
                       limit >= 0 ? QStringLiteral(" LIMIT %1").arg(limit) : QString()));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading audit events"));
    return q;
}

AuditEvent connectionEvent(const Connection &c, const QString &action, const QString &targetKind,
                           const QString &targetId, const QString &targetName)
{
    AuditEvent e;
    e.action = action;
    e.system = kindId(c.kind);
    e.connectionId = c.id;
    e.connectionName = c.name;
    e.targetKind = targetKind;
    e.targetId = targetId;
    e.targetName = targetName;
    return e;
}

} // namespace opsdeck
