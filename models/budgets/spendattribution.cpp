#include "models/budgets/spendattribution.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QMap>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::SpendAttribution)
};

// The group of a spend log row s (with its key k and the key's team t).
QString groupExpression(SpendDimension d)
{
    switch (d) {
    case SpendDimension::Organization:
        return QStringLiteral("COALESCE(NULLIF(k.organization_id, ''), t.organization_id, '')");
    case SpendDimension::Team:
        return QStringLiteral("COALESCE(k.team_id, '')");
    case SpendDimension::User:
        return QStringLiteral("COALESCE(NULLIF(s.user_id, ''), k.user_id, '')");
    case SpendDimension::Key:
        return QStringLiteral("s.api_key");
    case SpendDimension::Model:
        return QStringLiteral("s.model");
    }
    return {};
}

QString joins(SpendDimension d)
{
    QString out;
    if (d != SpendDimension::Model && d != SpendDimension::Key)
        out += QStringLiteral(
            " LEFT JOIN litellm_keys k ON k.connection_id = s.connection_id AND k.token = s.api_key");
    if (d == SpendDimension::Organization)
        out += QStringLiteral(
            " LEFT JOIN litellm_teams t ON t.connection_id = k.connection_id AND t.team_id = k.team_id");
    return out;
}

QString unattributed(SpendDimension d)
{
    switch (d) {
    case SpendDimension::Organization:
        return Tr::tr("(no organization)");
    case SpendDimension::Team:
        return Tr::tr("(no team)");
    case SpendDimension::User:
        return Tr::tr("(no user)");
    case SpendDimension::Key:
        return Tr::tr("(no key)");
    case SpendDimension::Model:
        return Tr::tr("(no model)");
    }
    return {};
}

// id → name for the dimension's groups, from the synced records.
Result<QHash<QString, QString>> names(QSqlDatabase db, qint64 connectionId, SpendDimension d)
{
    QString sql;
    switch (d) {
    case SpendDimension::Organization:
        sql = QStringLiteral(
            "SELECT organization_id, alias FROM litellm_organizations WHERE connection_id = ?");
        break;
    case SpendDimension::Team:
        sql = QStringLiteral("SELECT team_id, alias FROM litellm_teams WHERE connection_id = ?");
        break;
    case SpendDimension::User:
        sql = QStringLiteral(
            "SELECT user_id, CASE WHEN alias <> '' THEN alias ELSE email END FROM litellm_users "
            "WHERE connection_id = ?");
        break;
    case SpendDimension::Key:
        sql = QStringLiteral(
            "SELECT token, CASE WHEN alias <> '' THEN alias ELSE key_name END FROM litellm_keys "
            "WHERE connection_id = ?");
        break;
    case SpendDimension::Model:
        return QHash<QString, QString>();
    }
    QSqlQuery q(db);
    q.prepare(sql);
    q.addBindValue(connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the names of the spend's groups"));
    QHash<QString, QString> out;
    while (q.next())
        if (!q.value(1).toString().isEmpty())
            out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
        !s.contains(QLatin1Char('\r')))
        return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString amount(double v)
{
    return QString::number(v, 'f', 6);
}

QString usd(double v)
{
    return QStringLiteral("$") + QLocale().toString(v, 'f', 2);
}
} // namespace

QString spendDimensionText(SpendDimension d)
{
    switch (d) {
    case SpendDimension::Organization:
        return Tr::tr("Organization");
    case SpendDimension::Team:
        return Tr::tr("Team");
    case SpendDimension::User:
        return Tr::tr("User");
    case SpendDimension::Key:
        return Tr::tr("Key");
    case SpendDimension::Model:
        return Tr::tr("Model");
    }
    return {};
}

QString spendBucketText(SpendBucket b)
{
    switch (b) {
    case SpendBucket::Day:
        return Tr::tr("Day");
    case SpendBucket::Week:
        return Tr::tr("Week");
    case SpendBucket::Month:
        return Tr::tr("Month");
    }
    return {};
}

QDate bucketStart(SpendBucket bucket, const QDate &day)
{
    switch (bucket) {
    case SpendBucket::Day:
        return day;
    case SpendBucket::Week:
        return day.addDays(1 - day.dayOfWeek());
    case SpendBucket::Month:
        return QDate(day.year(), day.month(), 1);
    }
    return day;
}

QString Attribution::bucketLabel(int i) const
{
    const QDate d = buckets.value(i);
    switch (query.bucket) {
    case SpendBucket::Day:
        return QLocale().toString(d, QStringLiteral("d MMM"));
    case SpendBucket::Week:
        return Tr::tr("w/c %1").arg(QLocale().toString(d, QStringLiteral("d MMM")));
    case SpendBucket::Month:
        return QLocale().toString(d, QStringLiteral("MMM yyyy"));
    }
    return {};
}

QString Attribution::toCsv() const
{
    QStringList header{spendDimensionText(query.dimension), QStringLiteral("id"), QStringLiteral("requests"),
                       QStringLiteral("total_usd")};
    for (const QDate &d : buckets)
        header << d.toString(Qt::ISODate);
    QString out = header.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    for (const AttributionGroup &g : groups) {
        QStringList row{csvField(g.name), csvField(g.id), QString::number(g.requests), amount(g.total)};
        for (double v : g.perBucket)
            row << amount(v);
        out += row.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out;
}

QString attributionSql(SpendDimension dimension)
{
    return QStringLiteral("SELECT substr(s.start_time, 1, 10) AS day, %1 AS grp, SUM(s.spend), COUNT(*) "
                          "FROM litellm_spend_logs s%2 WHERE s.connection_id = ? AND s.start_time >= ? AND "
                          "s.start_time < ? GROUP BY day, grp")
        .arg(groupExpression(dimension), joins(dimension));
}

Result<Attribution> attributeSpend(QSqlDatabase db, const AttributionQuery &query)
{
    Attribution out;
    out.query = query;
    if (!query.from.isValid() || !query.to.isValid() || query.from > query.to)
        return makeError("budgets.range", Tr::tr("The range of days is empty."));
    // The days before the range that anomaly detection looks back on.
    const QDate readFrom = query.from.addDays(-anomalyWindowDays);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(attributionSql(query.dimension));
    q.addBindValue(query.connectionId);
    q.addBindValue(readFrom.toString(Qt::ISODate));
    q.addBindValue(query.to.addDays(1).toString(Qt::ISODate));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Attributing the spend"));
    QHash<QString, QMap<QDate, double>> daily;
    QHash<QString, qint64> requests;
    while (q.next()) {
        const QDate day = QDate::fromString(q.value(0).toString(), Qt::ISODate);
        const QString group = q.value(1).toString();
        daily[group][day] += q.value(2).toDouble();
        if (day >= query.from)
            requests[group] += q.value(3).toLongLong();
    }
    for (QDate d = bucketStart(query.bucket, query.from); d <= query.to;) {
        out.buckets << d;
        d = query.bucket == SpendBucket::Day    ? d.addDays(1)
            : query.bucket == SpendBucket::Week ? d.addDays(7)
                                                : d.addMonths(1);
    }
    const auto known = names(db, query.connectionId, query.dimension);
    if (!known)
        return known.error();
    for (auto it = daily.cbegin(); it != daily.cend(); ++it) {
        AttributionGroup g;
        g.id = it.key();
        g.name = g.id.isEmpty() ? unattributed(query.dimension) : known->value(g.id, g.id);
        g.perBucket = QList<double>(out.buckets.size(), 0.0);
        g.requests = requests.value(g.id);
        for (auto day = it.value().cbegin(); day != it.value().cend(); ++day) {
            if (day.key() < query.from)
                continue;
            const qsizetype bucket = out.buckets.indexOf(bucketStart(query.bucket, day.key()));
            if (bucket >= 0)
                g.perBucket[bucket] += day.value();
            g.total += day.value();
        }
        if (query.anomalyK > 0)
            for (const SpendAnomaly &a : findAnomalies(it.value(), query.anomalyK))
                if (a.day >= query.from)
                    g.anomalies << a;
        if (g.total == 0 && g.anomalies.isEmpty() && g.requests == 0)
            continue; // spent only before the range
        out.total += g.total;
        out.requests += g.requests;
        out.groups << g;
    }
    std::sort(out.groups.begin(), out.groups.end(), [](const AttributionGroup &a, const AttributionGroup &b) {
        return a.total != b.total ? a.total > b.total : a.name < b.name;
    });

    // Against the proxy's own daily totals for the same days.
    Reconciliation &r = out.reconciliation;
    q.prepare(
        QStringLiteral("SELECT daily_activity, daily_note FROM litellm_proxy_state WHERE connection_id = ?"));
    q.addBindValue(query.connectionId);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the proxy's daily totals"));
    if (!q.next())
        return out; // not synced since the proxy's totals were read
    if (q.value(0).toInt() == 0) {
        r.state = Reconciliation::State::NotOffered;
        r.note = q.value(1).toString();
        return out;
    }
    QMap<QDate, double> logs;
    for (auto it = daily.cbegin(); it != daily.cend(); ++it)
        for (auto day = it.value().cbegin(); day != it.value().cend(); ++day)
            if (day.key() >= query.from)
                logs[day.key()] += day.value();
    QMap<QDate, double> proxy;
    q.prepare(
        QStringLiteral("SELECT day, spend FROM litellm_daily_spend WHERE connection_id = ? AND day >= ? AND "
                       "day <= ?"));
    q.addBindValue(query.connectionId);
    q.addBindValue(query.from.toString(Qt::ISODate));
    q.addBindValue(query.to.toString(Qt::ISODate));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the proxy's daily totals"));
    while (q.next())
        proxy[QDate::fromString(q.value(0).toString(), Qt::ISODate)] = q.value(1).toDouble();
    QSet<QDate> days;
    for (auto it = logs.cbegin(); it != logs.cend(); ++it)
        days.insert(it.key());
    for (auto it = proxy.cbegin(); it != proxy.cend(); ++it) {
        days.insert(it.key());
        r.proxyTotal += it.value();
    }
    for (const QDate &day : std::as_const(days))
        if (std::abs(logs.value(day) - proxy.value(day)) >= 0.005)
            r.differing << Reconciliation::Day{day, logs.value(day), proxy.value(day)};
    std::sort(r.differing.begin(), r.differing.end(),
              [](const Reconciliation::Day &a, const Reconciliation::Day &b) {
                  return std::abs(a.logs - a.proxy) > std::abs(b.logs - b.proxy);
              });
    r.state = r.differing.isEmpty() ? Reconciliation::State::Matches : Reconciliation::State::Differs;
    return out;
}

QString Reconciliation::text(double attributed) const
{
    switch (state) {
    case State::NotSynced:
        return Tr::tr("Not reconciled yet: the proxy's daily totals come with the next sync.");
    case State::NotOffered:
        return Tr::tr("Not reconciled: this proxy does not report daily totals (%1).").arg(note);
    case State::Matches:
        return Tr::tr("Reconciled: the proxy's own daily totals for these days come to the same %1.")
            .arg(usd(proxyTotal));
    case State::Differs: {
        const Day &worst = differing.first();
        return Tr::tr(
                   "Does not reconcile: the proxy's daily totals come to %1, %2 %3 than the spend logs; %4 "
                   "days differ, most %5 (logs %6, proxy %7).")
            .arg(usd(proxyTotal), usd(std::abs(proxyTotal - attributed)),
                 proxyTotal > attributed ? Tr::tr("more") : Tr::tr("less"))
            .arg(differing.size())
            .arg(QLocale().toString(worst.day, QLocale::ShortFormat), usd(worst.logs), usd(worst.proxy));
    }
    }
    return {};
}

Result<QList<SpendLogRow>> spendRequests(QSqlDatabase db, qint64 connectionId, SpendDimension dimension,
                                         const QString &groupId, const QDate &day, int limit)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral(
            "SELECT s.request_id, s.api_key, s.model, s.call_type, s.spend, s.total_tokens, "
            "s.prompt_tokens, s.completion_tokens, s.start_time, s.end_time, s.user_id FROM "
            "litellm_spend_logs s%1 WHERE s.connection_id = ? AND s.start_time >= ? AND s.start_time < ? "
            "AND %2 = ? ORDER BY s.spend DESC LIMIT ?")
            .arg(joins(dimension), groupExpression(dimension)));
    q.addBindValue(connectionId);
    q.addBindValue(day.toString(Qt::ISODate));
    q.addBindValue(day.addDays(1).toString(Qt::ISODate));
    q.addBindValue(groupId.isNull() ? QStringLiteral("") : groupId); // the unattributed: '', not NULL
    q.addBindValue(limit);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the requests of the day"));
    QList<SpendLogRow> out;
    while (q.next())
        out << SpendLogRow{q.value(0).toString(),
                           q.value(1).toString(),
                           q.value(2).toString(),
                           q.value(3).toString(),
                           q.value(4).toDouble(),
                           q.value(5).toLongLong(),
                           q.value(6).toLongLong(),
                           q.value(7).toLongLong(),
                           fromStoredTime(q.value(8).toString()),
                           fromStoredTime(q.value(9).toString()),
                           q.value(10).toString()};
    return out;
}

} // namespace opsdeck
