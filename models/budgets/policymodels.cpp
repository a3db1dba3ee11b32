#include "models/budgets/policymodels.h"

#include "models/budgets/budgettree.h"
#include "models/connections/connectionstore.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::PolicyModels)
};

QString localTime(const QString &stored)
{
    QDateTime t = fromStoredTime(stored);
    if (!t.isValid())
        t = QDateTime::fromString(stored, Qt::ISODateWithMs);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QVariant rightAligned()
{
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
}

const QStringList policyTables = {QStringLiteral("workspace_budget_policies"),
                                  QStringLiteral("workspace_budget_groups"),
                                  QStringLiteral("litellm_teams"),
                                  QStringLiteral("litellm_keys"),
                                  QStringLiteral("litellm_users"),
                                  QStringLiteral("litellm_team_members"),
                                  QStringLiteral("litellm_applied_guardrails"),
                                  QStringLiteral("connections")};
} // namespace

// ---- PolicyRecordsModel

CacheLoader PolicyRecordsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral(
                "SELECT id, connection, scope_kind, scope_id, item, value, comment, updated_by, "
                "updated_at FROM workspace_budget_policies ORDER BY connection, scope_kind, "
                "scope_id, item")))
            return Database::describe(q.lastError(), Tr::tr("Reading the budget policies"));
        CacheRows rows;
        while (q.next()) {
            const auto scope = policyScopeFromKey(q.value(2).toString());
            const auto item = policyItemFromKey(q.value(4).toString());
            if (!scope || !item)
                continue; // a newer Opsdeck's record
            // Sorted broadest scope first, then by id and item.
            rows.append({q.value(0),
                         {q.value(1), int(*scope), q.value(3), int(*item), q.value(5), q.value(6), q.value(7),
                          q.value(8)}});
        }
        return rows;
    };
}

QStringList PolicyRecordsModel::watchedTables() const
{
    return {QStringLiteral("workspace_budget_policies")};
}

QStringList PolicyRecordsModel::headers() const
{
    return {Tr::tr("Connection"), Tr::tr("Scope"),   Tr::tr("For"),        Tr::tr("Item"),
            Tr::tr("Value"),      Tr::tr("Comment"), Tr::tr("Changed by"), Tr::tr("Changed")};
}

PolicyRecord PolicyRecordsModel::recordAt(int row) const
{
    const CacheRow &r = rowAt(row);
    PolicyRecord p;
    p.id = r.key.toLongLong();
    p.connection = r.values.at(Connection).toString();
    p.scope = PolicyScope(r.values.at(Scope).toInt());
    p.scopeId = r.values.at(For).toString();
    p.item = PolicyItem(r.values.at(Item).toInt());
    (void)readPolicyValue(p, r.values.at(Value).toString());
    p.comment = r.values.at(Comment).toString();
    p.updatedBy = r.values.at(ChangedBy).toString();
    p.updatedAt = r.values.at(ChangedAt).toString();
    return p;
}

QVariant PolicyRecordsModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Scope:
        return policyScopeText(PolicyScope(row.values.at(Scope).toInt()));
    case Item:
        return policyItemText(PolicyItem(row.values.at(Item).toInt()));
    case Value: {
        PolicyRecord p;
        p.item = PolicyItem(row.values.at(Item).toInt());
        if (!readPolicyValue(p, row.values.at(Value).toString()))
            return Tr::tr("(unreadable: %1)").arg(row.values.at(Value).toString().left(60));
        return p.valueText();
    }
    case ChangedAt:
        return localTime(row.values.at(ChangedAt).toString());
    default:
        return CacheTableModel::cellData(row, column, Qt::DisplayRole);
    }
}

// ---- PolicySubjectsModel

CacheLoader PolicySubjectsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        if (!q.exec(
                QStringLiteral("SELECT c.name, u.user_id, CASE WHEN u.alias <> '' THEN u.alias ELSE u.email "
                               "END FROM litellm_users u "
                               "JOIN connections c ON c.id = u.connection_id ORDER BY c.name, u.user_id")))
            return Database::describe(q.lastError(), Tr::tr("Reading the proxy's users"));
        CacheRows rows;
        while (q.next()) {
            const QString who =
                q.value(2).toString().isEmpty()
                    ? q.value(1).toString()
                    : QStringLiteral("%1 (%2)").arg(q.value(1).toString(), q.value(2).toString());
            rows.append({q.value(0).toString() + QLatin1Char('\t') + q.value(1).toString(),
                         {QStringLiteral("%1 — %2").arg(q.value(0).toString(), who)}});
        }
        return rows;
    };
}

QStringList PolicySubjectsModel::watchedTables() const
{
    return {QStringLiteral("litellm_users"), QStringLiteral("connections")};
}

QStringList PolicySubjectsModel::headers() const
{
    return {Tr::tr("Person")};
}

QString PolicySubjectsModel::connectionAt(int row) const
{
    return rowAt(row).key.toString().section(QLatin1Char('\t'), 0, 0);
}

QString PolicySubjectsModel::userAt(int row) const
{
    return rowAt(row).key.toString().section(QLatin1Char('\t'), 1);
}

// ---- EffectivePolicyModel

void EffectivePolicyModel::setSubject(const QString &connection, const QString &user)
{
    if (connection == m_connection && user == m_user)
        return;
    m_connection = connection;
    m_user = user;
    reload();
}

CacheLoader EffectivePolicyModel::loader() const
{
    return [connection = m_connection, user = m_user](QSqlDatabase db) -> Result<CacheRows> {
        CacheRows rows;
        if (connection.isEmpty() || user.isEmpty())
            return rows;
        const auto views = loadPolicyViews(db);
        if (!views)
            return views.error();
        for (const PolicyView &v : views.value()) {
            if (v.connection != connection)
                continue;
            for (const PolicyContext &context : v.contextsOf(user)) {
                const QString where = context.team.isEmpty() ? Tr::tr("Own keys (no team)")
                                                             : Tr::tr("In team %1").arg(context.team);
                for (const EffectiveItem &e : effectivePolicy(v.records, v.connection, context))
                    rows.append({QStringLiteral("%1/%2").arg(context.team, policyItemKey(e.item)),
                                 {where, policyItemText(e.item), e.valueText(), e.decidedText(),
                                  e.overridden.join(QStringLiteral(", "))}});
            }
        }
        return rows;
    };
}

QStringList EffectivePolicyModel::watchedTables() const
{
    return policyTables;
}

QStringList EffectivePolicyModel::headers() const
{
    return {Tr::tr("Where"), Tr::tr("Item"), Tr::tr("Effective"), Tr::tr("Decided by"), Tr::tr("Overrides")};
}

// ---- PolicyDriftModel

CacheLoader PolicyDriftModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const auto views = loadPolicyViews(db);
        if (!views)
            return views.error();
        CacheRows rows;
        for (const PolicyView &v : views.value()) {
            for (const PolicyDrift &d : v.drift()) {
                if (!d.models.set && !d.guardrails.set)
                    continue; // no policy reaches it
                rows.append({QStringLiteral("%1/%2/%3").arg(v.connection, d.target.kind, d.target.id),
                             {v.connection, d.target.kind, d.target.name, d.drifted() ? 1 : 0,
                              d.target.models.join(QStringLiteral(", ")),
                              d.models.set ? QStringLiteral("%1 (%2)").arg(d.models.valueText(),
                                                                           d.models.decidedText())
                                           : QString(),
                              d.guardrails.set ? QStringLiteral("%1 (%2)").arg(d.guardrails.valueText(),
                                                                               d.guardrails.decidedText())
                                               : QString(),
                              QVariant::fromValue(d), v.connectionId}});
            }
        }
        return rows;
    };
}

QStringList PolicyDriftModel::watchedTables() const
{
    return policyTables;
}

QStringList PolicyDriftModel::headers() const
{
    return {Tr::tr("Connection"),
            Tr::tr("Kind"),
            Tr::tr("Name"),
            Tr::tr("State"),
            Tr::tr("Models on the proxy"),
            Tr::tr("Policy: models"),
            Tr::tr("Policy: guardrails")};
}

QVariant PolicyDriftModel::cellData(const CacheRow &row, int column, int role) const
{
    const PolicyDrift d = row.values.at(ColumnCount).value<PolicyDrift>();
    if (role == Qt::ToolTipRole && column == State)
        return d.text();
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Kind:
        return d.target.kind == QLatin1String("team") ? Tr::tr("Team") : Tr::tr("Key");
    case OnProxy:
        if (!d.target.models.isEmpty())
            return d.target.models.join(QStringLiteral(", "));
        // A team's key with no models of its own is held to the team's on the proxy.
        return d.target.kind == QLatin1String("key") && !d.target.team.isEmpty() ? Tr::tr("the team's models")
                                                                                 : Tr::tr("every model");
    case State:
        return d.drifted() ? Tr::tr("Drifted: %1").arg(d.text()) : Tr::tr("As the policy says");
    default:
        return CacheTableModel::cellData(row, column, role);
    }
}

qint64 PolicyDriftModel::connectionIdAt(int row) const
{
    return rowAt(row).values.at(ColumnCount + 1).toLongLong();
}

PolicyDrift PolicyDriftModel::driftAt(int row) const
{
    return rowAt(row).values.at(ColumnCount).value<PolicyDrift>();
}

int PolicyDriftModel::driftedCount() const
{
    int n = 0;
    for (int row = 0; row < rowCount(); ++row)
        n += rowAt(row).values.at(State).toInt();
    return n;
}

// ---- CreditsModel

CacheLoader CreditsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral(
                "SELECT c.name, o.organization_id, CASE WHEN o.alias <> '' THEN o.alias ELSE "
                "o.organization_id END, "
                "o.spend, o.max_budget, b.factor, coalesce(b.comment, ''), coalesce(b.updated_by, '') "
                "FROM litellm_organizations o JOIN connections c ON c.id = o.connection_id "
                "LEFT JOIN workspace_budget_credits b ON b.connection = c.name AND b.organization_id = "
                "o.organization_id ORDER BY c.name, 3")))
            return Database::describe(q.lastError(), Tr::tr("Reading the accounts' credits factors"));
        CacheRows rows;
        while (q.next()) {
            const QVariant factor = q.value(5);
            const double spend = q.value(3).toDouble();
            rows.append({q.value(0).toString() + QLatin1Char('\t') + q.value(1).toString(),
                         {q.value(0), q.value(2), spend, q.value(4).isNull() ? QVariant(-1.0) : q.value(4),
                          factor.isNull() ? QVariant(-1.0) : factor,
                          factor.isNull() ? QVariant(-1.0) : QVariant(spend * factor.toDouble()), q.value(6),
                          q.value(7)}});
        }
        return rows;
    };
}

QStringList CreditsModel::watchedTables() const
{
    return {QStringLiteral("workspace_budget_credits"), QStringLiteral("litellm_organizations"),
            QStringLiteral("connections")};
}

QStringList CreditsModel::headers() const
{
    return {Tr::tr("Connection"), Tr::tr("Account"), Tr::tr("Spend"),   Tr::tr("Max budget"),
            Tr::tr("Factor"),     Tr::tr("Credits"), Tr::tr("Comment"), Tr::tr("Changed by")};
}

QVariant CreditsModel::cellData(const CacheRow &row, int column, int role) const
{
    const double value = row.values.at(column).toDouble();
    switch (column) {
    case Spend:
    case MaxBudget:
    case Factor:
    case Credits:
        if (role == Qt::TextAlignmentRole)
            return rightAligned();
        if (role == Qt::ToolTipRole && column == Credits && value >= 0)
            return Tr::tr("%1 × %2 = %3")
                .arg(usdText(row.values.at(Spend).toDouble()),
                     QLocale().toString(row.values.at(Factor).toDouble(), 'g', 6), creditsText(value));
        if (role != Qt::DisplayRole)
            return {};
        if (value < 0)
            return column == Factor ? Tr::tr("none") : QString();
        if (column == Factor)
            return QLocale().toString(value, 'g', 6);
        if (column == Credits)
            return QLocale().toString(value, 'f', 2);
        return usdText(value);
    default:
        return CacheTableModel::cellData(row, column, role);
    }
}

QString CreditsModel::connectionAt(int row) const
{
    return rowAt(row).key.toString().section(QLatin1Char('\t'), 0, 0);
}

QString CreditsModel::organizationAt(int row) const
{
    return rowAt(row).key.toString().section(QLatin1Char('\t'), 1);
}

std::optional<double> CreditsModel::factorAt(int row) const
{
    const double f = rowAt(row).values.at(Factor).toDouble();
    return f < 0 ? std::nullopt : std::optional<double>(f);
}

// ---- OverflowModel

CacheLoader OverflowModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const auto entries = loadOverflow(db);
        if (!entries)
            return entries.error();
        QHash<QString, QString> names; // "connection\torganization" → alias
        QSqlQuery q(db);
        if (!q.exec(
                QStringLiteral("SELECT c.name, o.organization_id, o.alias FROM litellm_organizations o JOIN "
                               "connections c ON c.id = o.connection_id WHERE o.alias <> ''")))
            return Database::describe(q.lastError(), Tr::tr("Reading the accounts"));
        while (q.next())
            names.insert(q.value(0).toString() + QLatin1Char('\t') + q.value(1).toString(),
                         q.value(2).toString());
        CacheRows rows;
        for (const OverflowEntry &e : entries.value()) {
            const QString name =
                names.value(e.connection + QLatin1Char('\t') + e.organization, e.organization);
            rows.append({e.id,
                         {e.connection, name, e.periodEnd, e.budget, e.spend, e.overflow, e.settledAmount,
                          e.open(), e.settled() ? 1 : 0, e.reference, e.settledBy, QVariant::fromValue(e)}});
        }
        return rows;
    };
}

QStringList OverflowModel::watchedTables() const
{
    return {QStringLiteral("workspace_budget_overflow"), QStringLiteral("litellm_organizations")};
}

QStringList OverflowModel::headers() const
{
    return {Tr::tr("Connection"), Tr::tr("Account"),   Tr::tr("Period"),    Tr::tr("Budget"),
            Tr::tr("Spend"),      Tr::tr("Overflow"),  Tr::tr("Settled"),   Tr::tr("Open"),
            Tr::tr("State"),      Tr::tr("Reference"), Tr::tr("Settled by")};
}

QVariant OverflowModel::cellData(const CacheRow &row, int column, int role) const
{
    const OverflowEntry e = row.values.at(ColumnCount).value<OverflowEntry>();
    switch (column) {
    case Budget:
    case Spend:
    case Overflow:
    case Settled:
    case Open:
        if (role == Qt::TextAlignmentRole)
            return rightAligned();
        if (role == Qt::DisplayRole)
            return usdText(row.values.at(column).toDouble());
        return {};
    case Period:
        if (role == Qt::DisplayRole) {
            // The period ends as the reset begins: its last day is the one before.
            const QString end =
                QLocale().toString(e.periodEnd.addMSecs(-1).toLocalTime().date(), QLocale::ShortFormat);
            return e.periodStart.isValid()
                       ? Tr::tr("%1 – %2").arg(
                             QLocale().toString(e.periodStart.toLocalTime().date(), QLocale::ShortFormat),
                             end)
                       : Tr::tr("until %1").arg(end);
        }
        if (role == Qt::ToolTipRole)
            return Tr::tr("The budget period that ends %1 (UTC)").arg(e.periodEnd.toString(Qt::ISODate));
        return {};
    case State:
        if (role == Qt::DisplayRole)
            return e.stateText();
        if (role == Qt::ToolTipRole && e.settledAt.isValid())
            return Tr::tr("Settled %1 by %2: %3")
                .arg(QLocale().toString(e.settledAt.toLocalTime(), QLocale::ShortFormat), e.settledBy,
                     e.comment.isEmpty() ? e.reference : e.comment);
        return {};
    default:
        return CacheTableModel::cellData(row, column, role);
    }
}

OverflowEntry OverflowModel::entryAt(int row) const
{
    return rowAt(row).values.at(ColumnCount).value<OverflowEntry>();
}

double OverflowModel::openTotal() const
{
    double total = 0;
    for (int row = 0; row < rowCount(); ++row)
        total += rowAt(row).values.at(Open).toDouble();
    return total;
}

double OverflowModel::settledTotal() const
{
    double total = 0;
    for (int row = 0; row < rowCount(); ++row)
        total += rowAt(row).values.at(Settled).toDouble();
    return total;
}

} // namespace opsdeck
