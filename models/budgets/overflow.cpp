#include "models/budgets/overflow.h"

#include "models/budgets/budgetreset.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Overflow)
};

QDateTime storedTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.toUTC();
}
} // namespace

Result<double> checkCreditsFactor(double factor)
{
    if (!std::isfinite(factor) || factor < 0 || factor > 1000)
        return makeError(
            "budgets.credits",
            Tr::tr("A credits factor is a number from 0 to 1,000 (credits per dollar of spend)."));
    return factor;
}

std::optional<double> creditsFor(double spend, const std::optional<double> &factor)
{
    if (!factor)
        return std::nullopt;
    return spend * *factor;
}

QString creditsText(double credits)
{
    return Tr::tr("%1 credits").arg(QLocale(QLocale::English).toString(credits, 'f', 2));
}

QDateTime periodStartFor(const QDateTime &end, const QString &duration)
{
    const auto cadence = parseBudgetDuration(duration);
    if (!end.isValid() || !cadence)
        return {};
    const int n = cadence->value;
    switch (cadence->unit) {
    case BudgetCadence::Unit::Seconds:
        return end.addSecs(-n);
    case BudgetCadence::Unit::Minutes:
        return end.addSecs(-60LL * n);
    case BudgetCadence::Unit::Hours:
        return end.addSecs(-3600LL * n);
    case BudgetCadence::Unit::Days:
        // "30d" resets on the first of the month, as "1mo" does.
        return n == 30 ? end.addMonths(-1) : end.addDays(-n);
    case BudgetCadence::Unit::Weeks:
        return end.addDays(-7LL * n);
    case BudgetCadence::Unit::Months:
        return end.addMonths(-n);
    }
    return {};
}

QList<OverflowObservation> observeOverflow(const QList<BudgetNode> &nodes,
                                           const QHash<qint64, QString> &connectionNames)
{
    QList<OverflowObservation> out;
    for (const BudgetNode &n : nodes) {
        if (n.kind != BudgetNode::Kind::Organization || !n.maxBudget || !n.nextReset.isValid() ||
            n.spend - *n.maxBudget < 0.005 || !connectionNames.contains(n.connectionId))
            continue;
        OverflowObservation o;
        o.connection = connectionNames.value(n.connectionId);
        o.organization = n.id;
        o.organizationName = n.name;
        o.periodEnd = n.nextReset.toUTC();
        o.periodStart = periodStartFor(o.periodEnd, n.duration);
        o.budget = *n.maxBudget;
        o.spend = n.spend;
        out << o;
    }
    return out;
}

QString OverflowEntry::stateText() const
{
    if (settled())
        return Tr::tr("settled");
    return settledAmount > 0 ? Tr::tr("partly settled") : Tr::tr("open");
}

std::optional<OverflowEntry> accrue(const std::optional<OverflowEntry> &held, const OverflowObservation &seen)
{
    if (seen.overflow() < 0.005)
        return std::nullopt;
    OverflowEntry e = held.value_or(OverflowEntry{});
    if (!held) {
        e.connection = seen.connection;
        e.organization = seen.organization;
        e.periodStart = seen.periodStart;
        e.periodEnd = seen.periodEnd;
    }
    const OverflowEntry before = e;
    e.spend = std::max(e.spend, seen.spend);
    e.budget = seen.budget;
    e.overflow = std::max({e.overflow, seen.overflow(), e.settledAmount});
    if (held && e.spend == before.spend && e.budget == before.budget && e.overflow == before.overflow)
        return std::nullopt;
    return e;
}

Result<void> checkSettlement(const OverflowEntry &entry, const QString &reference, const QString &comment)
{
    if (entry.settled())
        return makeError("budgets.settle",
                         Tr::tr("The overflow of %1 for the period ending %2 is settled already.")
                             .arg(entry.organization, entry.periodEnd.toString(Qt::ISODate)));
    if (reference.trimmed().isEmpty())
        return makeError(
            "budgets.settle",
            Tr::tr("A settlement needs a reference: the invoice, credit note or ticket that settles it."));
    if (reference.trimmed().size() > 200)
        return makeError("budgets.settle", Tr::tr("The reference is longer than 200 characters."));
    if (comment.size() > 2000)
        return makeError("budgets.settle", Tr::tr("The comment is longer than 2,000 characters."));
    return {};
}

Result<QList<OverflowEntry>> loadOverflow(QSqlDatabase cache)
{
    QSqlQuery q(cache);
    if (!q.exec(QStringLiteral(
            "SELECT id, connection, organization_id, period_start, period_end, budget, spend, overflow, "
            "settled_amount, reference, comment, settled_by, settled_at, recorded_at "
            "FROM workspace_budget_overflow ORDER BY period_end DESC, connection, organization_id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the overflow ledger"));
    QList<OverflowEntry> out;
    while (q.next()) {
        OverflowEntry e;
        e.id = q.value(0).toLongLong();
        e.connection = q.value(1).toString();
        e.organization = q.value(2).toString();
        e.periodStart = storedTime(q.value(3).toString());
        e.periodEnd = storedTime(q.value(4).toString());
        e.budget = q.value(5).toDouble();
        e.spend = q.value(6).toDouble();
        e.overflow = q.value(7).toDouble();
        e.settledAmount = q.value(8).toDouble();
        e.reference = q.value(9).toString();
        e.comment = q.value(10).toString();
        e.settledBy = q.value(11).toString();
        e.settledAt = storedTime(q.value(12).toString());
        e.recordedAt = storedTime(q.value(13).toString());
        out << e;
    }
    return out;
}

Result<QList<CreditsFactor>> loadCreditsFactors(QSqlDatabase cache)
{
    QSqlQuery q(cache);
    if (!q.exec(QStringLiteral("SELECT connection, organization_id, factor, comment, updated_by, updated_at "
                               "FROM workspace_budget_credits ORDER BY connection, organization_id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the credits factors"));
    QList<CreditsFactor> out;
    while (q.next())
        out << CreditsFactor{q.value(0).toString(), q.value(1).toString(), q.value(2).toDouble(),
                             q.value(3).toString(), q.value(4).toString(), q.value(5).toString()};
    return out;
}

} // namespace opsdeck
