#include "services/budgets/budgetalerts.h"

#include "models/budgets/budgettree.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetAlerts)
};
} // namespace

QString BudgetAlert::text() const
{
    const int used = maxBudget > 0 ? int(100.0 * spend / maxBudget) : 0;
    return Tr::tr("%1 %2 has spent %3, %4 % of its %5 budget (past %6 %)")
        .arg(targetKind, targetName, usdText(spend))
        .arg(used)
        .arg(usdText(maxBudget))
        .arg(percent);
}

namespace BudgetAlerts {

Result<QList<int>> parseThresholds(const QString &text)
{
    if (text.trimmed().isEmpty())
        return defaultThresholds;
    QList<int> out;
    for (QString part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        if (part.endsWith(QLatin1Char('%')))
            part.chop(1);
        bool ok = false;
        const int p = part.trimmed().toInt(&ok);
        if (!ok || p < 1 || p > 1000)
            return makeError(
                "budgets.thresholds",
                Tr::tr("\"%1\" is not a percentage from 1 to 1000: write thresholds like 50, 80, 100.")
                    .arg(part.left(20)));
        if (!out.contains(p))
            out << p;
    }
    if (out.size() > 20)
        return makeError("budgets.thresholds", Tr::tr("At most 20 thresholds."));
    std::sort(out.begin(), out.end());
    return out;
}

QString thresholdsText(const QList<int> &thresholds)
{
    QStringList parts;
    for (int p : thresholds)
        parts << QString::number(p);
    return parts.join(QStringLiteral(", "));
}

Result<QList<int>> thresholdsFor(QSqlDatabase db, qint64 connectionId, const QString &targetKind,
                                 const QString &targetId)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT percents FROM budget_thresholds WHERE connection_id = ? AND ((target_kind = ? "
                       "AND target_id = ?) OR target_kind = '*') ORDER BY target_kind = '*' LIMIT 1"));
    q.addBindValue(connectionId);
    q.addBindValue(targetKind);
    q.addBindValue(targetId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the alert thresholds"));
    return q.next() ? parseThresholds(q.value(0).toString()) : Result<QList<int>>(defaultThresholds);
}

Result<void> setThresholds(QSqlDatabase db, qint64 connectionId, const QString &targetKind,
                           const QString &targetId, const QList<int> &thresholds, const QDateTime &now)
{
    QSqlQuery q(db);
    if (thresholds.isEmpty()) {
        q.prepare(QStringLiteral(
            "DELETE FROM budget_thresholds WHERE connection_id = ? AND target_kind = ? AND target_id = ?"));
        q.addBindValue(connectionId);
        q.addBindValue(targetKind);
        q.addBindValue(targetId.isNull() ? QStringLiteral("") : targetId);
    } else {
        q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO budget_thresholds (connection_id, target_kind, target_id, "
                           "percents, updated_at) VALUES (?, ?, ?, ?, ?)"));
        q.addBindValue(connectionId);
        q.addBindValue(targetKind);
        q.addBindValue(targetId.isNull() ? QStringLiteral("") : targetId);
        QStringList parts;
        for (int p : thresholds)
            parts << QString::number(p);
        q.addBindValue(parts.join(QLatin1Char(',')));
        q.addBindValue(toStoredTime(now));
    }
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Keeping the alert thresholds"));
    return {};
}

Result<QList<BudgetAlert>> raise(QSqlDatabase db, qint64 connectionId, const QDateTime &now)
{
    // Every budget: its own thresholds, else the proxy's for every budget, else the defaults.
    QHash<QString, QList<int>> own;
    QList<int> every = defaultThresholds;
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT target_kind, target_id, percents FROM budget_thresholds WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the alert thresholds"));
    while (q.next()) {
        const auto parsed = parseThresholds(q.value(2).toString());
        if (!parsed)
            continue;
        if (q.value(0).toString() == QLatin1String("*"))
            every = parsed.value();
        else
            own.insert(q.value(0).toString() + QLatin1Char('/') + q.value(1).toString(), parsed.value());
    }
    struct Source
    {
        const char *kind, *table, *id, *name;
    };
    const Source sources[] = {
        {"organization", "litellm_organizations", "organization_id", "alias"},
        {"team", "litellm_teams", "team_id", "alias"},
        {"user", "litellm_users", "user_id",
         "CASE WHEN alias <> '' THEN alias WHEN email <> '' THEN email ELSE user_id END"},
        {"key", "litellm_keys", "token", "CASE WHEN alias <> '' THEN alias ELSE key_name END"},
    };
    QList<BudgetAlert> raised;
    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT OR IGNORE INTO budget_alerts (connection_id, target_kind, target_id, "
                       "target_name, percent, period, spend, max_budget, raised_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?)"));
    for (const Source &s : sources) {
        q.prepare(QStringLiteral(
                      "SELECT %1, %2, spend, max_budget, budget_reset_at FROM %3 WHERE connection_id = ? "
                      "AND max_budget IS NOT NULL AND max_budget > 0")
                      .arg(QLatin1String(s.id), QLatin1String(s.name), QLatin1String(s.table)));
        q.addBindValue(connectionId);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Reading the budgets for alerts"));
        while (q.next()) {
            const QString id = q.value(0).toString();
            const double spend = q.value(2).toDouble();
            const double max = q.value(3).toDouble();
            const QList<int> thresholds = own.value(QLatin1String(s.kind) + QLatin1Char('/') + id, every);
            for (int p : thresholds) {
                if (spend < max * p / 100.0)
                    break;
                BudgetAlert a;
                a.connectionId = connectionId;
                a.targetKind = QLatin1String(s.kind);
                a.targetId = id;
                a.targetName = q.value(1).toString().isEmpty() ? id : q.value(1).toString();
                a.percent = p;
                a.spend = spend;
                a.maxBudget = max;
                a.raisedAt = now;
                const QVariantList values{
                    connectionId,          a.targetKind, a.targetId, a.targetName,     p,
                    q.value(4).toString(), spend,        max,        toStoredTime(now)};
                for (int i = 0; i < values.size(); ++i)
                    insert.bindValue(i, values.at(i));
                if (!insert.exec())
                    return Database::describe(insert.lastError(), Tr::tr("Raising the budget alerts"));
                if (insert.numRowsAffected() > 0) {
                    a.id = insert.lastInsertId().toLongLong();
                    raised << a;
                }
            }
        }
    }
    return raised;
}

Result<QList<BudgetAlert>> list(QSqlDatabase db, bool openOnly, int limit)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
                  "SELECT id, connection_id, target_kind, target_id, target_name, percent, spend, "
                  "max_budget, raised_at, acknowledged_at FROM budget_alerts %1 ORDER BY raised_at DESC, "
                  "id DESC LIMIT ?")
                  .arg(openOnly ? QStringLiteral("WHERE acknowledged_at = ''") : QString()));
    q.addBindValue(limit);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the budget alerts"));
    QList<BudgetAlert> out;
    while (q.next())
        out << BudgetAlert{q.value(0).toLongLong(),
                           q.value(1).toLongLong(),
                           q.value(2).toString(),
                           q.value(3).toString(),
                           q.value(4).toString(),
                           q.value(5).toInt(),
                           q.value(6).toDouble(),
                           q.value(7).toDouble(),
                           fromStoredTime(q.value(8).toString()),
                           fromStoredTime(q.value(9).toString())};
    return out;
}

Result<void> acknowledge(QSqlDatabase db, const QList<qint64> &ids, const QDateTime &now)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("UPDATE budget_alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at = ''"));
    for (qint64 id : ids) {
        q.bindValue(0, toStoredTime(now));
        q.bindValue(1, id);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Acknowledging the budget alerts"));
    }
    return {};
}

} // namespace BudgetAlerts
} // namespace opsdeck
