// An audit event as stored in the cache, the action taxonomy, and filters over the log.
// The hash chain itself (OpenSSL) lives in services/auditlog.
#pragma once

#include "models/connections/connection.h"
#include "models/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

class QSqlRecord;

namespace opsdeck {

enum class AuditOutcome { Success, Failure, Partial };
QString outcomeId(AuditOutcome outcome);
std::optional<AuditOutcome> outcomeFromId(const QString &id);

// The fixed action taxonomy ("system.verb"); README lists it with a sentence each.
namespace AuditAction {
inline const QString connectionCreate = QStringLiteral("connection.create");
inline const QString connectionUpdate = QStringLiteral("connection.update");
inline const QString connectionDelete = QStringLiteral("connection.delete");
inline const QString connectionTest = QStringLiteral("connection.test");
inline const QString syncComplete = QStringLiteral("sync.complete");
inline const QString syncFailed = QStringLiteral("sync.failed");
inline const QString runnerCreate = QStringLiteral("runner.create");
inline const QString runnerDelete = QStringLiteral("runner.delete");
inline const QString runnerDrift = QStringLiteral("runner.drift");
inline const QString runnerLabels = QStringLiteral("runner.labels");
inline const QString policyUpdate = QStringLiteral("policy.update");
inline const QString userCreate = QStringLiteral("user.create");
inline const QString userUpdate = QStringLiteral("user.update");
inline const QString userRole = QStringLiteral("user.role");
inline const QString userDisable = QStringLiteral("user.disable");
inline const QString userEnable = QStringLiteral("user.enable");
inline const QString userOffboard = QStringLiteral("user.offboard");
inline const QString userReview = QStringLiteral("user.review");
inline const QString memberRemove = QStringLiteral("member.remove");
inline const QString grantAdd = QStringLiteral("grant.add");
inline const QString grantRevoke = QStringLiteral("grant.revoke");
inline const QString containerStart = QStringLiteral("container.start");
inline const QString containerStop = QStringLiteral("container.stop");
inline const QString containerRestart = QStringLiteral("container.restart");
inline const QString containerRemove = QStringLiteral("container.remove");
inline const QString deployStart = QStringLiteral("deploy.start");
inline const QString deployFinish = QStringLiteral("deploy.finish");
inline const QString tunnelRoute = QStringLiteral("tunnel.route");
inline const QString imageRequest = QStringLiteral("image.request");
inline const QString imageApprove = QStringLiteral("image.approve");
inline const QString imageAllow = QStringLiteral("image.allow");
inline const QString imageScan = QStringLiteral("image.scan");
inline const QString imageRevoke = QStringLiteral("image.revoke");
inline const QString imageDeny = QStringLiteral("image.deny");
inline const QString imageRemove = QStringLiteral("image.remove");
inline const QString imageOverride = QStringLiteral("image.override");
inline const QString imageGate = QStringLiteral("image.gate");
inline const QString imageExceptionGrant = QStringLiteral("image.exception.grant");
inline const QString imageExceptionRevoke = QStringLiteral("image.exception.revoke");
inline const QString hostPrune =
    QStringLiteral("host.prune"); // the permission; each kind audits its own action
inline const QString budgetUpdate = QStringLiteral("budget.update");
inline const QString budgetBlock = QStringLiteral("budget.block");
inline const QString budgetUnblock = QStringLiteral("budget.unblock");
inline const QString budgetDelete = QStringLiteral("budget.delete");
inline const QString budgetPolicySet = QStringLiteral("budget.policy.set");
inline const QString budgetPolicyApply = QStringLiteral("budget.policy.apply");
inline const QString budgetGroupSet = QStringLiteral("budget.group.set");
inline const QString budgetCreditsSet = QStringLiteral("budget.credits.set");
inline const QString budgetOverflowSettle = QStringLiteral("budget.overflow.settle");
inline const QString testrunImport = QStringLiteral("testrun.import");
inline const QString testrunNotify = QStringLiteral("testrun.notify");
inline const QString testrunNotifySet = QStringLiteral("testrun.notify.set");
inline const QString testrunTelemetry = QStringLiteral("testrun.telemetry");
inline const QString testrunSourceSet = QStringLiteral("testrun.source.set");
inline const QString testrunSourceRemove = QStringLiteral("testrun.source.remove");
inline const QString testrunSync = QStringLiteral("testrun.sync");
inline const QString testrunMockSet = QStringLiteral("testrun.mock.set");
inline const QString testrunMockRemove = QStringLiteral("testrun.mock.remove");
inline const QString testrunRetention = QStringLiteral("testrun.retention");
inline const QString testrunKeep = QStringLiteral("testrun.keep");
inline const QString testrunPublish = QStringLiteral("testrun.publish");
inline const QString testrunKeySet = QStringLiteral("testrun.key.set");
inline const QString auditExport = QStringLiteral("audit.export");
inline const QString auditPrune = QStringLiteral("audit.prune");
inline const QString workspaceJoin = QStringLiteral("workspace.join");
inline const QString workspaceLeave = QStringLiteral("workspace.leave");
} // namespace AuditAction
QStringList auditActions();

struct AuditEvent
{
    qint64 id = 0;
    QString source = QStringLiteral("local");
    QDateTime timestamp; // UTC, milliseconds
    QString osUser;
    QString backendIdentity;
    std::optional<qint64> connectionId;
    QString connectionName;
    QString system;
    QString action;
    QString targetKind;
    QString targetId;
    QString targetName;
    AuditOutcome outcome = AuditOutcome::Success;
    QString comment;
    QJsonObject details;
    QString prevHash;
    QString hash;
};

// An event about something of a connection: its system, id and name filled in.
AuditEvent connectionEvent(const Connection &c, const QString &action, const QString &targetKind,
                           const QString &targetId = {}, const QString &targetName = {});

// Columns in the order eventFromRecord() reads them.
QString auditSelectColumns();
AuditEvent auditEventFromRecord(const QSqlRecord &record);

// What the Audit log pane, the exports and the command line filter on. Empty members match all.
struct AuditFilter
{
    QString text;    // full-text search (FTS5) over action, target, actor, comment, details
    QDateTime since; // inclusive
    QDateTime until; // exclusive
    QStringList systems;
    QList<qint64> connectionIds;
    QString actor; // substring of OS user or backend identity
    QStringList actions;
    QStringList outcomes;
    QString source; // "local", an import source, or empty for all
    bool newestFirst = true;

    bool operator==(const AuditFilter &) const = default;
};

// The SQL condition (without WHERE) and its bind values for a filter; "1" when it matches all.
QString auditWhere(const AuditFilter &filter, QVariantList &binds);
// Turns what a person types into a safe FTS5 query: every word must match as a prefix.
QString ftsQuery(const QString &text);
// One line that says what the filter selects, for report headers.
QString describeFilter(const AuditFilter &filter);

// How many events a filter selects, and a forward-only query over them in time order (newest
// first if the filter says so; limit < 0: all). On the calling thread's connection db.
Result<qint64> countAuditEvents(QSqlDatabase db, const AuditFilter &filter);
Result<QSqlQuery> selectAuditEvents(QSqlDatabase db, const AuditFilter &filter, int limit = -1);

} // namespace opsdeck
