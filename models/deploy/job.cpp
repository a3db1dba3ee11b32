#include "models/deploy/job.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Job)
};

const QStringList jobStates{QStringLiteral("queued"),    QStringLiteral("running"),
                            QStringLiteral("succeeded"), QStringLiteral("failed"),
                            QStringLiteral("cancelled"), QStringLiteral("interrupted")};
const QStringList stepStates{QStringLiteral("pending"), QStringLiteral("running"),
                             QStringLiteral("done"),    QStringLiteral("failed"),
                             QStringLiteral("skipped"), QStringLiteral("cancelled")};

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString stepsJson(const QList<JobStep> &steps)
{
    QJsonArray out;
    for (const JobStep &s : steps)
        out << QJsonObject{{QStringLiteral("id"), s.id},
                           {QStringLiteral("title"), s.title},
                           {QStringLiteral("state"), stepStateId(s.state)},
                           {QStringLiteral("detail"), s.detail}};
    return QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Compact));
}

QList<JobStep> stepsFrom(const QString &text)
{
    QList<JobStep> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array()) {
        const QJsonObject o = v.toObject();
        JobStep s;
        s.id = o.value(QLatin1String("id")).toString();
        s.title = o.value(QLatin1String("title")).toString();
        s.state =
            StepState(qMax<qsizetype>(0, stepStates.indexOf(o.value(QLatin1String("state")).toString())));
        s.detail = o.value(QLatin1String("detail")).toString();
        out << s;
    }
    return out;
}

QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}
} // namespace

QString jobStateId(JobState state)
{
    return jobStates.at(int(state));
}

std::optional<JobState> jobStateFromId(const QString &id)
{
    const qsizetype i = jobStates.indexOf(id);
    return i < 0 ? std::nullopt : std::optional<JobState>(JobState(i));
}

bool isFinished(JobState state)
{
    return state != JobState::Queued && state != JobState::Running;
}

QString stepStateId(StepState state)
{
    return stepStates.at(int(state));
}

namespace JobStore {

Result<qint64> create(QSqlDatabase db, const Job &job)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("INSERT INTO jobs (connection_id, kind, title, state, steps, spec, result, message, "
                       "requested_by, created_at, started_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    q.addBindValue(job.connectionId ? QVariant(job.connectionId) : QVariant());
    q.addBindValue(job.kind);
    q.addBindValue(job.title);
    q.addBindValue(jobStateId(job.state));
    q.addBindValue(stepsJson(job.steps));
    q.addBindValue(json(job.spec));
    q.addBindValue(json(job.result));
    q.addBindValue(text(job.message));
    q.addBindValue(job.requestedBy);
    q.addBindValue(toStoredTime(job.createdAt));
    q.addBindValue(job.startedAt.isValid() ? QVariant(toStoredTime(job.startedAt)) : QVariant());
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording the job"));
    return q.lastInsertId().toLongLong();
}

Result<void> update(QSqlDatabase db, const Job &job)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE jobs SET state = ?, steps = ?, result = ?, message = ?, started_at = ?, "
                             "finished_at = ? WHERE id = ?"));
    q.addBindValue(jobStateId(job.state));
    q.addBindValue(stepsJson(job.steps));
    q.addBindValue(json(job.result));
    q.addBindValue(text(job.message));
    q.addBindValue(job.startedAt.isValid() ? QVariant(toStoredTime(job.startedAt)) : QVariant());
    q.addBindValue(job.finishedAt.isValid() ? QVariant(toStoredTime(job.finishedAt)) : QVariant());
    q.addBindValue(job.id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Updating the job"));
    return {};
}

Result<Job> byId(QSqlDatabase db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, connection_id, kind, title, state, steps, spec, result, message, "
                             "requested_by, created_at, started_at, finished_at FROM jobs WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the job"));
    if (!q.next())
        return makeError("job.unknown", Tr::tr("There is no job %1.").arg(id));
    Job j;
    j.id = q.value(0).toLongLong();
    j.connectionId = q.value(1).toLongLong();
    j.kind = q.value(2).toString();
    j.title = q.value(3).toString();
    j.state = jobStateFromId(q.value(4).toString()).value_or(JobState::Failed);
    j.steps = stepsFrom(q.value(5).toString());
    j.spec = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
    j.result = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).object();
    j.message = q.value(8).toString();
    j.requestedBy = q.value(9).toString();
    j.createdAt = fromStoredTime(q.value(10).toString());
    j.startedAt = fromStoredTime(q.value(11).toString());
    j.finishedAt = fromStoredTime(q.value(12).toString());
    return j;
}

Result<void> appendLog(QSqlDatabase db, qint64 jobId, const QList<LogEntry> &lines)
{
    if (lines.isEmpty())
        return {};
    QSqlQuery last(db);
    last.prepare(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM job_log WHERE job_id = ?"));
    last.addBindValue(jobId);
    if (!last.exec() || !last.next())
        return Database::describe(last.lastError(), Tr::tr("Reading the job log"));
    qint64 seq = last.value(0).toLongLong();
    last.finish();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO job_log (job_id, seq, ts, stream, text) VALUES (?,?,?,?,?)"));
    for (const LogEntry &l : lines) {
        q.addBindValue(jobId);
        q.addBindValue(++seq);
        q.addBindValue(toStoredTime(l.time));
        q.addBindValue(l.stream);
        q.addBindValue(text(l.text));
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the job log"));
    }
    return {};
}

Result<QList<LogEntry>> log(QSqlDatabase db, qint64 jobId, int fromSeq)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT ts, stream, text FROM job_log WHERE job_id = ? AND seq > ? ORDER BY seq"));
    q.addBindValue(jobId);
    q.addBindValue(fromSeq);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the job log"));
    QList<LogEntry> out;
    while (q.next())
        out << LogEntry{fromStoredTime(q.value(0).toString()), q.value(1).toString(), q.value(2).toString()};
    return out;
}

Result<int> markInterrupted(QSqlDatabase db, const QDateTime &now)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id FROM jobs WHERE state IN ('queued', 'running')")))
        return Database::describe(q.lastError(), Tr::tr("Reading jobs"));
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    q.finish();
    for (qint64 id : std::as_const(ids)) {
        auto job = byId(db, id);
        if (!job)
            return job.error();
        Job j = job.value();
        j.state = JobState::Interrupted;
        j.finishedAt = now;
        for (JobStep &s : j.steps)
            if (s.state == StepState::Running)
                s.state = StepState::Failed;
        j.message =
            Tr::tr("Interrupted: Opsdeck stopped while this job ran. Check what its log says was already "
                   "done before you redeploy.");
        if (auto r = update(db, j); !r)
            return r.error();
        if (auto r = appendLog(db, id, {{now, QStringLiteral("error"), j.message}}); !r)
            return r.error();
    }
    return int(ids.size());
}

} // namespace JobStore

} // namespace opsdeck
