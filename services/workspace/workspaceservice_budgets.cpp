// The workspace service's budget records: policies, groups, credits factors and the overflow
// ledger of LiteLLM connections (services/workspace/budgetrecords.h).
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/workspace/budgetrecords.h"
#include "services/workspace/workspaceservice.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlQuery>

#include <cmath>

Q_DECLARE_LOGGING_CATEGORY(lcWorkspace)

namespace opsdeck {

namespace {
// What the copy holds now for the record a change is about (null: nothing), for its audit event.
QJsonValue heldBefore(const BudgetRecordChange &c)
{
    QSqlQuery q(Database::connection());
    switch (c.kind) {
    case BudgetRecordChange::Kind::SetPolicy:
    case BudgetRecordChange::Kind::RemovePolicy:
        q.prepare(QStringLiteral("SELECT value FROM workspace_budget_policies WHERE connection = ? AND "
                                 "scope_kind = ? AND scope_id = ? AND item = ?"));
        for (const QString &s : {c.policy.connection.trimmed(), policyScopeKey(c.policy.scope),
                                 c.policy.scopeId.trimmed(), policyItemKey(c.policy.item)})
            q.addBindValue(s);
        if (q.exec() && q.next()) {
            const QJsonDocument doc = QJsonDocument::fromJson("[" + q.value(0).toString().toUtf8() + "]");
            return doc.array().isEmpty() ? QJsonValue() : doc.array().at(0);
        }
        break;
    case BudgetRecordChange::Kind::SetGroup:
        q.prepare(QStringLiteral(
            "SELECT group_name FROM workspace_budget_groups WHERE connection = ? AND team_id = ?"));
        q.addBindValue(c.group.connection);
        q.addBindValue(c.group.teamId);
        if (q.exec() && q.next())
            return q.value(0).toString();
        break;
    case BudgetRecordChange::Kind::SetCredits:
    case BudgetRecordChange::Kind::RemoveCredits:
        q.prepare(QStringLiteral(
            "SELECT factor FROM workspace_budget_credits WHERE connection = ? AND organization_id = ?"));
        q.addBindValue(c.connection);
        q.addBindValue(c.organization);
        if (q.exec() && q.next())
            return q.value(0).toDouble();
        break;
    case BudgetRecordChange::Kind::Settle:
        break;
    }
    return {};
}
} // namespace

void WorkspaceService::changeBudgetRecords(const QList<BudgetRecordChange> &changes, const QString &requestId)
{
    QStringList problems;
    int applied = 0;
    for (const BudgetRecordChange &change : changes) {
        if (auto r = changeBudgetRecord(change); r)
            ++applied;
        else
            problems << r.message();
    }
    if (applied > 0)
        sync();
    emit budgetRecordsChanged(requestId, applied, problems);
}

Result<qint64> WorkspaceService::changeBudgetRecord(BudgetRecordChange change)
{
    Result<qint64> r = qint64(0);
    if (auto valid = validateBudgetRecordChange(change); !valid)
        r = valid.error();
    if (r && (!m_store || !m_online))
        r = makeError("workspace.offline",
                      tr("%1: the workspace does not answer, so the budget records cannot "
                         "change now. Try again once it is back online.")
                          .arg(change.describe()));
    change.before = heldBefore(change);
    if (r) {
        switch (change.kind) {
        case BudgetRecordChange::Kind::SetPolicy:
        case BudgetRecordChange::Kind::RemovePolicy: {
            PolicyRecord p = change.policy;
            p.comment = change.comment;
            r = BudgetRecords::setPolicy(*m_store, p, change.kind == BudgetRecordChange::Kind::RemovePolicy);
            break;
        }
        case BudgetRecordChange::Kind::SetGroup:
            if (auto set = BudgetRecords::setGroup(*m_store, change.group); !set)
                r = set.error();
            break;
        case BudgetRecordChange::Kind::SetCredits:
        case BudgetRecordChange::Kind::RemoveCredits: {
            const std::optional<double> factor = change.kind == BudgetRecordChange::Kind::SetCredits
                                                     ? std::optional(change.factor)
                                                     : std::nullopt;
            if (auto set = BudgetRecords::setCredits(*m_store, change.connection, change.organization, factor,
                                                     change.comment);
                !set)
                r = set.error();
            break;
        }
        case BudgetRecordChange::Kind::Settle: {
            const auto settled =
                BudgetRecords::settleOverflow(*m_store, change.id, change.reference, change.comment);
            if (settled)
                r = qint64(std::llround(settled.value() * 100.0)); // cents, for the audit event
            else
                r = settled.error();
            break;
        }
        }
    }
    if (auto audited = AuditLog::record(budgetRecordEvent(change, m_login, m_address, r)); !audited)
        qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    if (!r)
        qCWarning(lcWorkspace).noquote() << r.message();
    return r;
}

void WorkspaceService::recordOverflow(const QList<OverflowObservation> &seen)
{
    if (!m_store || !m_online || seen.isEmpty())
        return;
    int recorded = 0;
    QSqlQuery held(Database::connection());
    held.prepare(
        QStringLiteral("SELECT spend, budget FROM workspace_budget_overflow WHERE connection = ? AND "
                       "organization_id = ? AND period_end = ?"));
    for (const OverflowObservation &o : seen) {
        // What the copy holds already changes nothing (the store keeps the larger figures).
        held.addBindValue(o.connection);
        held.addBindValue(o.organization);
        held.addBindValue(o.periodEnd.toUTC().toString(Qt::ISODateWithMs));
        if (held.exec() && held.next() && held.value(0).toDouble() >= o.spend - 0.005 &&
            std::abs(held.value(1).toDouble() - o.budget) < 0.005)
            continue;
        if (auto r = BudgetRecords::recordOverflow(*m_store, o); r)
            ++recorded;
        else
            qCWarning(lcWorkspace).noquote()
                << "overflow of" << o.organization << "not recorded:" << r.message();
    }
    if (recorded > 0)
        sync();
}

} // namespace opsdeck
