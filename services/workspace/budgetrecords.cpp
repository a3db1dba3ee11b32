#include "services/workspace/budgetrecords.h"

#include "models/store/database.h"
#include "services/workspace/records_p.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::BudgetRecords {

using namespace WorkspaceRecords;

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetRecords)
};

QString timeText(const QVariant &v)
{
    return stamp(timeOf(v));
}

QString json(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
}

Result<QString> me(const WorkspaceStore &store)
{
    return store.actingLogin();
}

Result<QList<OverflowEntry>> readOverflow(const WorkspaceStore &store, const QString &where,
                                          const QVariantList &values)
{
    QSqlQuery q(store.db());
    q.prepare(
        QStringLiteral("SELECT id, connection, organization_id, period_start, period_end, budget, spend, "
                       "overflow, settled_amount, reference, comment, settled_by, settled_at, recorded_at "
                       "FROM budget_overflow %1 ORDER BY period_end DESC, connection, organization_id")
            .arg(where));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the overflow ledger"));
    QList<OverflowEntry> out;
    while (q.next()) {
        OverflowEntry e;
        e.id = q.value(0).toLongLong();
        e.connection = q.value(1).toString();
        e.organization = q.value(2).toString();
        e.periodStart = timeOf(q.value(3));
        e.periodEnd = timeOf(q.value(4));
        e.budget = q.value(5).toDouble();
        e.spend = q.value(6).toDouble();
        e.overflow = q.value(7).toDouble();
        e.settledAmount = q.value(8).toDouble();
        e.reference = q.value(9).toString();
        e.comment = q.value(10).toString();
        e.settledBy = q.value(11).toString();
        e.settledAt = timeOf(q.value(12));
        e.recordedAt = timeOf(q.value(13));
        out << e;
    }
    return out;
}
} // namespace

Result<qint64> setPolicy(const WorkspaceStore &store, const PolicyRecord &record, bool remove)
{
    const auto checked = checkPolicy(record);
    if (!checked)
        return checked.error();
    const PolicyRecord &r = checked.value();
    const QString what =
        Tr::tr("Setting %1 for %2 %3")
            .arg(policyItemText(r.item).toLower(), policyScopeText(r.scope).toLower(), r.scopeId);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_budget_policy_set(?, ?, ?, ?, ?::jsonb, ?)"));
        q.addBindValue(r.connection);
        q.addBindValue(policyScopeKey(r.scope));
        q.addBindValue(r.scopeId);
        q.addBindValue(policyItemKey(r.item));
        q.addBindValue(remove ? QVariant(QMetaType(QMetaType::QString)) : QVariant(json(r.value())));
        q.addBindValue(text(r.comment));
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toLongLong();
    }
    const auto login = me(store);
    if (!login)
        return login.error();
    if (remove) {
        q.prepare(QStringLiteral("DELETE FROM budget_policies WHERE connection = ? AND scope_kind = ? AND "
                                 "scope_id = ? AND item = ?"));
        for (const QString &s : {r.connection, policyScopeKey(r.scope), r.scopeId, policyItemKey(r.item)})
            q.addBindValue(s);
        if (!q.exec())
            return refused(q.lastError(), what);
        return qint64(0);
    }
    q.prepare(QStringLiteral(
        "INSERT INTO budget_policies (connection, scope_kind, scope_id, item, value, comment, updated_by, "
        "updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (connection, scope_kind, scope_id, item) DO UPDATE "
        "SET value = excluded.value, comment = excluded.comment, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at RETURNING id"));
    for (const QString &s : {r.connection, policyScopeKey(r.scope), r.scopeId, policyItemKey(r.item),
                             json(r.value()), text(r.comment), login.value(), now()})
        q.addBindValue(s);
    if (!q.exec() || !q.next())
        return refused(q.lastError(), what);
    return q.value(0).toLongLong();
}

Result<void> setGroup(const WorkspaceStore &store, const BudgetGroup &group)
{
    QString name = group.group.trimmed();
    if (!name.isEmpty()) {
        const auto checked = checkGroupName(name);
        if (!checked)
            return checked.error();
        name = checked.value();
    }
    if (group.connection.trimmed().isEmpty() || group.teamId.trimmed().isEmpty())
        return makeError("budgets.policy", Tr::tr("Which team, on which connection?"));
    const QString what = name.isEmpty() ? Tr::tr("Taking team %1 out of its group").arg(group.teamId)
                                        : Tr::tr("Putting team %1 in group %2").arg(group.teamId, name);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_budget_group_set(?, ?, ?)"));
        for (const QString &s : {group.connection, group.teamId, name})
            q.addBindValue(text(s));
        if (!q.exec())
            return refused(q.lastError(), what);
        return {};
    }
    const auto login = me(store);
    if (!login)
        return login.error();
    if (name.isEmpty()) {
        q.prepare(QStringLiteral("DELETE FROM budget_groups WHERE connection = ? AND team_id = ?"));
        q.addBindValue(group.connection);
        q.addBindValue(group.teamId);
    } else {
        q.prepare(QStringLiteral(
            "INSERT INTO budget_groups (connection, team_id, group_name, updated_by, updated_at) VALUES "
            "(?,?,?,?,?) ON CONFLICT (connection, team_id) DO UPDATE SET group_name = excluded.group_name, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at"));
        for (const QString &s : {group.connection, group.teamId, name, login.value(), now()})
            q.addBindValue(s);
    }
    if (!q.exec())
        return refused(q.lastError(), what);
    return {};
}

Result<void> setCredits(const WorkspaceStore &store, const QString &connection, const QString &organization,
                        const std::optional<double> &factor, const QString &comment)
{
    if (factor)
        if (auto valid = checkCreditsFactor(*factor); !valid)
            return valid.error();
    if (connection.trimmed().isEmpty() || organization.trimmed().isEmpty())
        return makeError("budgets.credits", Tr::tr("Which account, on which connection?"));
    if (comment.size() > 2000)
        return makeError("budgets.credits", Tr::tr("The comment is longer than 2,000 characters."));
    const QString what = Tr::tr("Setting the credits factor of %1").arg(organization);
    QSqlQuery q(store.db());
    const QVariant value = factor ? QVariant(*factor) : QVariant(QMetaType(QMetaType::Double));
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_budget_credits_set(?, ?, ?::numeric, ?)"));
        q.addBindValue(connection);
        q.addBindValue(organization);
        q.addBindValue(value);
        q.addBindValue(text(comment));
        if (!q.exec())
            return refused(q.lastError(), what);
        return {};
    }
    const auto login = me(store);
    if (!login)
        return login.error();
    if (!factor) {
        q.prepare(QStringLiteral("DELETE FROM budget_credits WHERE connection = ? AND organization_id = ?"));
        q.addBindValue(connection);
        q.addBindValue(organization);
    } else {
        q.prepare(QStringLiteral(
            "INSERT INTO budget_credits (connection, organization_id, factor, comment, updated_by, "
            "updated_at) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT (connection, organization_id) DO UPDATE SET factor = "
            "excluded.factor, comment = excluded.comment, updated_by = excluded.updated_by, updated_at = "
            "excluded.updated_at"));
        q.addBindValue(connection);
        q.addBindValue(organization);
        q.addBindValue(value);
        q.addBindValue(text(comment));
        q.addBindValue(login.value());
        q.addBindValue(now());
    }
    if (!q.exec())
        return refused(q.lastError(), what);
    return {};
}

Result<qint64> recordOverflow(const WorkspaceStore &store, const OverflowObservation &seen)
{
    if (seen.overflow() < 0.005)
        return makeError("budgets.overflow",
                         Tr::tr("%1 is within its budget: no overflow.").arg(seen.organization));
    const QString what = Tr::tr("Recording the overflow of %1").arg(seen.organization);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(
            QStringLiteral("SELECT opsdeck_budget_overflow_record(?, ?, ?, ?, ?::numeric, ?::numeric)"));
        q.addBindValue(seen.connection);
        q.addBindValue(seen.organization);
        q.addBindValue(store.timeValue(seen.periodStart));
        q.addBindValue(store.timeValue(seen.periodEnd));
        q.addBindValue(seen.budget);
        q.addBindValue(seen.spend);
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toLongLong();
    }
    // The local store: the same rule as the team store's function, in one transaction.
    QSqlDatabase db = store.db();
    if (!db.transaction())
        return Database::describe(db.lastError(), what);
    const auto held = readOverflow(store,
                                   QStringLiteral("WHERE connection = ? AND organization_id = ? AND "
                                                  "period_end = ?"),
                                   {seen.connection, seen.organization, store.timeValue(seen.periodEnd)});
    if (!held) {
        db.rollback();
        return held.error();
    }
    const std::optional<OverflowEntry> before =
        held->isEmpty() ? std::nullopt : std::optional<OverflowEntry>(held->first());
    const auto next = accrue(before, seen);
    if (!next) {
        db.commit();
        return before ? before->id : qint64(0);
    }
    if (before) {
        q.prepare(
            QStringLiteral("UPDATE budget_overflow SET spend = ?, budget = ?, overflow = ? WHERE id = ?"));
        q.addBindValue(next->spend);
        q.addBindValue(next->budget);
        q.addBindValue(next->overflow);
        q.addBindValue(before->id);
    } else {
        q.prepare(QStringLiteral("INSERT INTO budget_overflow (connection, organization_id, period_start, "
                                 "period_end, budget, spend, overflow, recorded_at) VALUES (?,?,?,?,?,?,?,?) "
                                 "RETURNING id"));
        q.addBindValue(seen.connection);
        q.addBindValue(seen.organization);
        q.addBindValue(store.timeValue(seen.periodStart));
        q.addBindValue(store.timeValue(seen.periodEnd));
        q.addBindValue(next->budget);
        q.addBindValue(next->spend);
        q.addBindValue(next->overflow);
        q.addBindValue(now());
    }
    if (!q.exec() || (!before && !q.next())) {
        const Error e = refused(q.lastError(), what);
        db.rollback();
        return e;
    }
    const qint64 id = before ? before->id : q.value(0).toLongLong();
    q.finish(); // SQLite commits only once no statement is in progress
    if (!db.commit())
        return Database::describe(db.lastError(), what);
    return id;
}

Result<double> settleOverflow(const WorkspaceStore &store, qint64 id, const QString &reference,
                              const QString &comment)
{
    const auto held = readOverflow(store, QStringLiteral("WHERE id = ?"), {id});
    if (!held)
        return held.error();
    if (held->isEmpty())
        return makeError("workspace.no-record",
                         Tr::tr("There is no overflow entry %1 in this workspace.").arg(id));
    const OverflowEntry entry = held->first();
    if (auto valid = checkSettlement(entry, reference, comment); !valid)
        return valid.error();
    const QString what = Tr::tr("Settling the overflow of %1").arg(entry.organization);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_budget_overflow_settle(?, ?, ?)"));
        q.addBindValue(id);
        q.addBindValue(reference.trimmed());
        q.addBindValue(text(comment));
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toDouble();
    }
    const auto login = me(store);
    if (!login)
        return login.error();
    q.prepare(
        QStringLiteral("UPDATE budget_overflow SET settled_amount = overflow, reference = ?, comment = ?, "
                       "settled_by = ?, settled_at = ? WHERE id = ? AND settled_amount < overflow"));
    q.addBindValue(reference.trimmed());
    q.addBindValue(text(comment));
    q.addBindValue(login.value());
    q.addBindValue(now());
    q.addBindValue(id);
    if (!q.exec())
        return refused(q.lastError(), what);
    if (q.numRowsAffected() != 1)
        return makeError("budgets.settle", Tr::tr("Overflow entry %1 is settled already.").arg(id));
    return entry.open();
}

Result<QList<PolicyRecord>> policies(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT id, connection, scope_kind, scope_id, item, value, comment, updated_by, "
                           "updated_at FROM budget_policies ORDER BY id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the budget policies"));
    QList<PolicyRecord> out;
    while (q.next()) {
        const auto scope = policyScopeFromKey(q.value(2).toString());
        const auto item = policyItemFromKey(q.value(4).toString());
        if (!scope || !item)
            continue;
        PolicyRecord r;
        r.id = q.value(0).toLongLong();
        r.connection = q.value(1).toString();
        r.scope = *scope;
        r.scopeId = q.value(3).toString();
        r.item = *item;
        if (auto read = readPolicyValue(r, q.value(5).toString()); !read)
            return read.error();
        r.comment = q.value(6).toString();
        r.updatedBy = q.value(7).toString();
        r.updatedAt = timeText(q.value(8));
        out << r;
    }
    return out;
}

Result<QList<BudgetGroup>> groups(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT connection, team_id, group_name FROM budget_groups "
                               "ORDER BY connection, group_name, team_id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the budget groups"));
    QList<BudgetGroup> out;
    while (q.next())
        out << BudgetGroup{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
    return out;
}

Result<QList<CreditsFactor>> credits(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT connection, organization_id, factor, comment, updated_by, updated_at "
                               "FROM budget_credits ORDER BY connection, organization_id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the credits factors"));
    QList<CreditsFactor> out;
    while (q.next())
        out << CreditsFactor{q.value(0).toString(), q.value(1).toString(), q.value(2).toDouble(),
                             q.value(3).toString(), q.value(4).toString(), timeText(q.value(5))};
    return out;
}

Result<QList<OverflowEntry>> overflow(const WorkspaceStore &store)
{
    return readOverflow(store, QString(), {});
}

Result<Copy> read(const WorkspaceStore &store, bool withPolicies, bool withGroups, bool withCredits,
                  bool withOverflow)
{
    Copy c;
    if (withPolicies) {
        auto r = policies(store);
        if (!r)
            return r.error();
        c.policies = r.value();
    }
    if (withGroups) {
        auto r = groups(store);
        if (!r)
            return r.error();
        c.groups = r.value();
    }
    if (withCredits) {
        auto r = credits(store);
        if (!r)
            return r.error();
        c.credits = r.value();
    }
    if (withOverflow) {
        auto r = overflow(store);
        if (!r)
            return r.error();
        c.overflow = r.value();
    }
    return c;
}

Result<void> writeCopy(QSqlDatabase cache, const Copy &copy)
{
    QSqlQuery q(cache);
    const auto fail = [&q] {
        return Database::describe(q.lastError(), Tr::tr("Copying the budget records"));
    };
    if (copy.policies) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_budget_policies")))
            return fail();
        q.prepare(
            QStringLiteral("INSERT INTO workspace_budget_policies (id, connection, scope_kind, scope_id, "
                           "item, value, comment, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"));
        for (const PolicyRecord &r : *copy.policies) {
            q.addBindValue(r.id);
            for (const QString &s : {r.connection, policyScopeKey(r.scope), r.scopeId, policyItemKey(r.item),
                                     json(r.value()), r.comment, r.updatedBy, r.updatedAt})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.groups) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_budget_groups")))
            return fail();
        q.prepare(QStringLiteral(
            "INSERT INTO workspace_budget_groups (connection, team_id, group_name) VALUES (?,?,?)"));
        for (const BudgetGroup &g : *copy.groups) {
            for (const QString &s : {g.connection, g.teamId, g.group})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.credits) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_budget_credits")))
            return fail();
        q.prepare(QStringLiteral("INSERT INTO workspace_budget_credits (connection, organization_id, factor, "
                                 "comment, updated_by, updated_at) VALUES (?,?,?,?,?,?)"));
        for (const CreditsFactor &f : *copy.credits) {
            q.addBindValue(text(f.connection));
            q.addBindValue(text(f.organization));
            q.addBindValue(f.factor);
            for (const QString &s : {f.comment, f.updatedBy, f.updatedAt})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.overflow) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_budget_overflow")))
            return fail();
        q.prepare(QStringLiteral("INSERT INTO workspace_budget_overflow (id, connection, organization_id, "
                                 "period_start, period_end, "
                                 "budget, spend, overflow, settled_amount, reference, comment, settled_by, "
                                 "settled_at, recorded_at) "
                                 "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        for (const OverflowEntry &e : *copy.overflow) {
            q.addBindValue(e.id);
            for (const QString &s : {e.connection, e.organization, stamp(e.periodStart), stamp(e.periodEnd)})
                q.addBindValue(text(s));
            for (double d : {e.budget, e.spend, e.overflow, e.settledAmount})
                q.addBindValue(d);
            for (const QString &s :
                 {e.reference, e.comment, e.settledBy, stamp(e.settledAt), stamp(e.recordedAt)})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    return {};
}

} // namespace opsdeck::BudgetRecords
