// Credits and overflow for LiteLLM accounts (organizations), pure. A credits factor per account,
// kept in the workspace: spend × factor = credits charged. An account whose spend passes its max
// budget in a budget period accrues the difference as overflow, one ledger entry per account and
// period (the period that ends at the proxy's budget_reset_at); each entry is settled with a
// reference and a comment. Within a period an entry only grows; what was settled stays settled, and
// spend after a settlement opens the entry again for the rest.
#pragma once

#include "models/budgets/budgettree.h"
#include "models/core/result.h"

#include <QDateTime>
#include <QHash>
#include <QMetaType>
#include <QSqlDatabase>

#include <optional>

namespace opsdeck {

// "budgets.credits" for a factor that is negative, not a number, or above 1,000.
Result<double> checkCreditsFactor(double factor);
// The credits for spend: nullopt without a factor.
std::optional<double> creditsFor(double spend, const std::optional<double> &factor);
QString creditsText(double credits); // "1,234.50 credits"

struct CreditsFactor
{
    QString connection;
    QString organization;
    double factor = 1;
    QString comment;
    QString updatedBy;
    QString updatedAt;
};

// What a sync saw: an account past its budget in the period [periodStart, periodEnd).
struct OverflowObservation
{
    QString connection;
    QString organization;
    QString organizationName;
    QDateTime periodStart; // invalid when the cadence is unknown
    QDateTime periodEnd;
    double budget = 0;
    double spend = 0;
    double overflow() const { return spend - budget; }
    bool operator==(const OverflowObservation &) const = default;
};
// Every organization node with a max budget, a next reset and spend above the budget.
// connectionNames: connection id → name.
QList<OverflowObservation> observeOverflow(const QList<BudgetNode> &nodes,
                                           const QHash<qint64, QString> &connectionNames);
// The start of the period that ends at end, for a budget_duration; invalid when it cannot be read.
QDateTime periodStartFor(const QDateTime &end, const QString &duration);

struct OverflowEntry
{
    qint64 id = 0;
    QString connection;
    QString organization;
    QDateTime periodStart;
    QDateTime periodEnd;
    double budget = 0;
    double spend = 0;
    double overflow = 0;
    double settledAmount = 0;
    QString reference;
    QString comment;
    QString settledBy;
    QDateTime settledAt;
    QDateTime recordedAt;
    double open() const { return overflow - settledAmount > 0.005 ? overflow - settledAmount : 0; }
    bool settled() const { return open() == 0; }
    QString stateText() const; // "open", "settled", "partly settled"
    bool operator==(const OverflowEntry &) const = default;
};
// The entry an observation makes of what is held: the figures only grow; nullopt when it changes
// nothing.
std::optional<OverflowEntry> accrue(const std::optional<OverflowEntry> &held,
                                    const OverflowObservation &seen);
// "budgets.settle" when the entry has nothing open or the reference is empty or too long.
Result<void> checkSettlement(const OverflowEntry &entry, const QString &reference, const QString &comment);

// The cache's copy of the ledger and the factors (schema 21).
Result<QList<OverflowEntry>> loadOverflow(QSqlDatabase cache);
Result<QList<CreditsFactor>> loadCreditsFactors(QSqlDatabase cache);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::OverflowObservation)
