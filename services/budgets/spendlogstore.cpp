#include "services/budgets/spendlogstore.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::SpendLogStore {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::SpendLogStore)
};

QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}
} // namespace

Result<int> store(QSqlDatabase cache, qint64 connectionId, const QList<SpendLogRow> &rows)
{
    QSqlQuery q(cache);
    if (!q.prepare(QStringLiteral(
            "INSERT OR IGNORE INTO litellm_spend_logs (connection_id, request_id, api_key, model, call_type, "
            "spend, "
            "total_tokens, prompt_tokens, completion_tokens, start_time, end_time, user_id) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?,?)")))
        return makeError("cache.write", Tr::tr("Cannot keep the spend logs: %1").arg(q.lastError().text()));
    int added = 0;
    for (const SpendLogRow &r : rows) {
        q.bindValue(0, connectionId);
        q.bindValue(1, r.requestId);
        q.bindValue(2, text(r.apiKey));
        q.bindValue(3, text(r.model));
        q.bindValue(4, text(r.callType));
        q.bindValue(5, r.spend);
        q.bindValue(6, r.totalTokens);
        q.bindValue(7, r.promptTokens);
        q.bindValue(8, r.completionTokens);
        q.bindValue(9, toStoredTime(r.startTime));
        q.bindValue(10, r.endTime.isValid() ? toStoredTime(r.endTime) : QStringLiteral(""));
        q.bindValue(11, text(r.user));
        if (!q.exec())
            return makeError("cache.write",
                             Tr::tr("Cannot keep the spend logs: %1").arg(q.lastError().text()));
        added += q.numRowsAffected() > 0 ? 1 : 0;
    }
    return added;
}

Result<QDateTime> latest(QSqlDatabase cache, qint64 connectionId)
{
    QSqlQuery q(cache);
    q.prepare(QStringLiteral("SELECT MAX(start_time) FROM litellm_spend_logs WHERE connection_id = ?"));
    q.addBindValue(connectionId);
    if (!q.exec() || !q.next())
        return makeError("cache.read", Tr::tr("Cannot read the spend logs: %1").arg(q.lastError().text()));
    return q.value(0).isNull() ? QDateTime() : fromStoredTime(q.value(0).toString());
}

QDateTime nextStart(const QDateTime &latestRow)
{
    return latestRow.isValid() ? latestRow.addSecs(-overlapSeconds) : QDateTime();
}

} // namespace opsdeck::SpendLogStore
