// Deploy jobs: a kind, steps with states, a live log, a state and a duration, persisted in the
// cache so the Jobs list keeps its history across restarts.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>

namespace opsdeck {

enum class JobState { Queued, Running, Succeeded, Failed, Cancelled, Interrupted };
QString jobStateId(JobState state);
std::optional<JobState> jobStateFromId(const QString &id);
bool isFinished(JobState state);

enum class StepState { Pending, Running, Done, Failed, Skipped, Cancelled };
QString stepStateId(StepState state);

struct JobStep
{
    QString id; // validate, pull, generate, clone, compose, create, start, route, done
    QString title;
    StepState state = StepState::Pending;
    QString detail;
};

struct Job
{
    qint64 id = 0;
    qint64 connectionId = 0;
    QString kind;
    QString title;
    JobState state = JobState::Queued;
    QList<JobStep> steps;
    QJsonObject spec;
    QJsonObject result;
    QString message;
    QString requestedBy;
    QDateTime createdAt, startedAt, finishedAt;
};

namespace Tables {
inline const QString jobs = QStringLiteral("jobs");
inline const QString jobLog = QStringLiteral("job_log");
} // namespace Tables

namespace JobStore {
Result<qint64> create(QSqlDatabase db, const Job &job);
// State, steps, result, message and times.
Result<void> update(QSqlDatabase db, const Job &job);
Result<Job> byId(QSqlDatabase db, qint64 id);
struct LogEntry
{
    QDateTime time;
    QString stream; // info, stdout, stderr, error
    QString text;
};
// Appends lines after the job's last one.
Result<void> appendLog(QSqlDatabase db, qint64 jobId, const QList<LogEntry> &lines);
Result<QList<LogEntry>> log(QSqlDatabase db, qint64 jobId, int fromSeq = 0);
// Jobs left queued or running by a previous run: interrupted, with a line in their log.
Result<int> markInterrupted(QSqlDatabase db, const QDateTime &now);
} // namespace JobStore

} // namespace opsdeck
