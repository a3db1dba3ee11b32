#include "models/testruns/mocks.h"

#include "models/core/timetext.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Mocks)
};

QString percentText(const Uptime &u)
{
    if (!u.known || u.coveredSeconds == 0)
        return Tr::tr("not known");
    return QLocale().toString(u.percent, 'f', u.percent >= 99.995 ? 0 : 2) + QStringLiteral(" %");
}
} // namespace

QUrl MockServer::healthUrl() const
{
    QString base = url.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base +
                (healthPath.startsWith(QLatin1Char('/')) ? healthPath : QLatin1Char('/') + healthPath));
}

Result<void> MockServer::check() const
{
    if (name.trimmed().isEmpty() || name.size() > 200)
        return makeError("validation.name", Tr::tr("A mock needs a name of 1 to 200 characters."));
    const QUrl u(url.trimmed(), QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty() ||
        (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
        !u.userInfo().isEmpty())
        return makeError(
            "validation.url",
            Tr::tr("The mock's URL must be http or https with a host and no credentials (got \"%1\").")
                .arg(url));
    if (!healthPath.startsWith(QLatin1Char('/')) || healthPath.contains(QLatin1Char(' ')))
        return makeError(
            "validation.path",
            Tr::tr("The health check's path starts with / and has no spaces (got \"%1\").").arg(healthPath));
    if (intervalSec < 5 || intervalSec > 86400)
        return makeError("validation.range",
                         Tr::tr("Check every 5 seconds to once a day (got %1 s).").arg(intervalSec));
    if (!container.isEmpty() && dockerConnectionId <= 0)
        return makeError("validation.container",
                         Tr::tr("Choose the Docker connection that runs the container %1.").arg(container));
    return {};
}

QString mockColumns()
{
    return QStringLiteral("id, name, url, health_path, interval_s, COALESCE(connection_id, 0), container");
}

MockServer mockFromQuery(const QSqlQuery &q)
{
    MockServer m;
    m.id = q.value(0).toLongLong();
    m.name = q.value(1).toString();
    m.url = q.value(2).toString();
    m.healthPath = q.value(3).toString();
    m.intervalSec = q.value(4).toInt();
    m.dockerConnectionId = q.value(5).toLongLong();
    m.container = q.value(6).toString();
    return m;
}

MocksModel::MocksModel(QObject *parent) : CacheTableModel(parent) {}

QStringList MocksModel::headers() const
{
    return {tr("Mock"),        tr("URL"),           tr("State"),
            tr("Uptime 24 h"), tr("Uptime 7 days"), tr("Outages (7 days)"),
            tr("Last check"),  tr("Container")};
}

QStringList MocksModel::watchedTables() const
{
    return {QStringLiteral("test_mocks"), QStringLiteral("test_mock_health")};
}

CacheLoader MocksModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString weekAgo = now.addDays(-7).toString(Qt::ISODateWithMs);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(
                QStringLiteral("SELECT id, name, url, health_path, interval_s, COALESCE(connection_id, 0), "
                               "container FROM test_mocks ORDER BY name")))
            return Database::describe(q.lastError(), tr("Reading the mocks"));
        CacheRows rows;
        QSqlQuery h(db);
        h.setForwardOnly(true);
        while (q.next()) {
            const MockServer m = mockFromQuery(q);
            // The week's checks, and the last one before it (the state the week began in).
            h.prepare(QStringLiteral("SELECT checked_at, up, status, detail FROM test_mock_health WHERE "
                                     "mock_id = ? AND checked_at >= "
                                     "(SELECT COALESCE(MAX(checked_at), '') FROM test_mock_health WHERE "
                                     "mock_id = ? AND checked_at < ?) "
                                     "ORDER BY checked_at"));
            h.addBindValue(m.id);
            h.addBindValue(m.id);
            h.addBindValue(weekAgo);
            if (!h.exec())
                return Database::describe(h.lastError(), tr("Reading the health of mock %1").arg(m.name));
            QList<HealthSample> samples;
            QString last, lastDetail;
            while (h.next()) {
                samples << HealthSample{QDateTime::fromString(h.value(0).toString(), Qt::ISODateWithMs),
                                        h.value(1).toBool()};
                last = h.value(0).toString();
                lastDetail = h.value(3).toString();
            }
            const Uptime day = uptimeOf(samples, now.addDays(-1), now);
            const Uptime week = uptimeOf(samples, now.addDays(-7), now);
            QStringList outages;
            for (const Outage &o : week.outages)
                outages << tr("%1 – %2").arg(
                    QLocale().toString(o.from.toLocalTime(), QLocale::ShortFormat),
                    o.to.isValid() ? QLocale().toString(o.to.toLocalTime(), QLocale::ShortFormat)
                                   : tr("now"));
            CacheRow row;
            row.key = m.id;
            row.values = {m.name,
                          m.healthUrl().toString(),
                          !week.known ? QVariant() : QVariant(week.upNow),
                          day.known ? day.percent : -1.0,
                          week.known ? week.percent : -1.0,
                          int(week.outages.size()),
                          last,
                          m.container,
                          QVariant::fromValue(m),
                          percentText(day),
                          percentText(week),
                          outages,
                          lastDetail};
            rows << row;
        }
        return rows;
    };
}

MockServer MocksModel::mockAt(int row) const
{
    return rowAt(row).values.value(ColumnCount).value<MockServer>();
}

QVariant MocksModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    switch (role) {
    case MockRole:
        return row.values.value(ColumnCount);
    case UpRole:
        return row.values.value(State);
    case Qt::DisplayRole:
        switch (column) {
        case State:
            return raw.isNull() ? tr("not checked yet") : raw.toBool() ? tr("up") : tr("down");
        case Uptime24h:
            return row.values.value(ColumnCount + 1);
        case Uptime7d:
            return row.values.value(ColumnCount + 2);
        case LastCheck:
            return localTime(raw.toString(), tr("never"));
        default:
            return raw;
        }
    case Qt::ToolTipRole:
        if (column == Outages)
            return row.values.value(ColumnCount + 3).toStringList().join(QLatin1Char('\n'));
        if (column == State || column == LastCheck)
            return row.values.value(ColumnCount + 4);
        return {};
    default:
        return CacheTableModel::cellData(row, column, role);
    }
}

} // namespace opsdeck
