// Soft-limit alerts on LiteLLM budgets (cache schema 20): thresholds as percentages of a budget,
// per organization, team, user or key or for every budget of a proxy (50, 80 and 100 % unless set);
// after each sync, an alert for every threshold a budget's spend has passed, once per budget
// period (the period is the budget's reset time, so a reset lets the thresholds alert again).
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace opsdeck {

struct BudgetAlert
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString targetKind; // organization, team, user, key
    QString targetId;
    QString targetName;
    int percent = 0;
    double spend = 0;
    double maxBudget = 0;
    QDateTime raisedAt;
    QDateTime acknowledgedAt; // invalid: open
    QString text() const; // "team ml-platform has spent $1,624.98, 93 % of its $1,750.00 budget (past 80 %)"
};

namespace BudgetAlerts {
inline const QList<int> defaultThresholds = {50, 80, 100};

// "50, 80, 100" → {50, 80, 100}: whole percentages from 1 to 1000, each once, in order;
// "budgets.thresholds" otherwise. Empty text: the defaults.
Result<QList<int>> parseThresholds(const QString &text);
QString thresholdsText(const QList<int> &thresholds);

// The thresholds that hold for a target: its own, else the proxy's for every budget, else the defaults.
Result<QList<int>> thresholdsFor(QSqlDatabase db, qint64 connectionId, const QString &targetKind,
                                 const QString &targetId);
// Sets (or with an empty list, removes) a target's own thresholds ('*', "": every budget).
Result<void> setThresholds(QSqlDatabase db, qint64 connectionId, const QString &targetKind,
                           const QString &targetId, const QList<int> &thresholds, const QDateTime &now);

// Every budget of the proxy against its thresholds: the alerts newly raised (in db's transaction).
Result<QList<BudgetAlert>> raise(QSqlDatabase db, qint64 connectionId, const QDateTime &now);

Result<QList<BudgetAlert>> list(QSqlDatabase db, bool openOnly, int limit = 1000);
Result<void> acknowledge(QSqlDatabase db, const QList<qint64> &ids, const QDateTime &now);
} // namespace BudgetAlerts

} // namespace opsdeck
