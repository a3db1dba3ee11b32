#include "models/deploy/jobsmodel.h"

#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
enum Hidden { JobId = JobsModel::ColumnCount };
}

JobsModel::JobsModel(QObject *parent) : CacheTableModel(parent) {}

QStringList JobsModel::headers() const
{
    return {tr("Job"),      tr("State"),   tr("Step"),      tr("Started"),
            tr("Duration"), tr("Outcome"), tr("Connection")};
}

QStringList JobsModel::watchedTables() const
{
    return {Tables::jobs, Tables::connections};
}

CacheLoader JobsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT j.id, j.title, j.state, j.steps, j.created_at, j.started_at, "
                                   "j.finished_at, j.message, COALESCE(c.name, '') FROM jobs j LEFT JOIN "
                                   "connections c ON c.id = j.connection_id ORDER BY j.id DESC LIMIT 2000")))
            return Database::describe(q.lastError(), QObject::tr("Reading jobs"));
        CacheRows rows;
        while (q.next()) {
            const QJsonArray steps = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).array();
            int done = 0;
            QString current;
            for (const QJsonValue &v : steps) {
                const QString state = v.toObject().value(QLatin1String("state")).toString();
                if (state == QLatin1String("done") || state == QLatin1String("skipped"))
                    ++done;
                else if (current.isEmpty() && state != QLatin1String("pending"))
                    current = v.toObject().value(QLatin1String("title")).toString();
            }
            const QDateTime started = fromStoredTime(q.value(5).toString());
            const QDateTime finished = fromStoredTime(q.value(6).toString());
            CacheRow row;
            row.key = q.value(0).toLongLong();
            row.values = {QStringLiteral("#%1 %2").arg(q.value(0).toLongLong()).arg(q.value(1).toString()),
                          q.value(2).toString(),
                          current.isEmpty()
                              ? QStringLiteral("%1/%2").arg(done).arg(steps.size())
                              : QStringLiteral("%1/%2 %3").arg(done).arg(steps.size()).arg(current),
                          started.isValid() ? started : fromStoredTime(q.value(4).toString()),
                          started.isValid() && finished.isValid() ? started.msecsTo(finished) : QVariant(),
                          q.value(7).toString(),
                          q.value(8).toString(),
                          q.value(0).toLongLong()};
            rows << row;
        }
        return rows;
    };
}

QVariant JobsModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role == JobIdRole)
        return row.values.value(JobId);
    if (role != Qt::DisplayRole)
        return role == Qt::ToolTipRole && column == Message ? row.values.value(Message) : QVariant();
    switch (column) {
    case Started:
        return QLocale().toString(row.values.value(Started).toDateTime().toLocalTime(), QLocale::ShortFormat);
    case Duration: {
        if (row.values.value(Duration).isNull())
            return row.values.value(State).toString() == QLatin1String("running") ? tr("running…")
                                                                                  : QString();
        const qint64 ms = row.values.value(Duration).toLongLong();
        return ms < 60000 ? tr("%1 s").arg(ms / 1000.0, 0, 'f', 1)
                          : tr("%1 min %2 s").arg(ms / 60000).arg((ms / 1000) % 60);
    }
    default:
        return row.values.value(column);
    }
}

} // namespace opsdeck
