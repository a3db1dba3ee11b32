// DeployService: deploy jobs (a job with steps, a live log, cancel, the end state and its audit
// event), redeploy and the tunnel route a deploy ends with. The quick-service path is in
// deployquick.cpp, the repository path (template or local compose project) in deployrepo.cpp.
#include "services/deploy/deployservice.h"
#include "services/deploy/deployservice_p.h"

#include "models/connections/connectionstore.h"
#include "models/core/jsonlines.h"
#include "models/core/validation.h"
#include "models/docker/container.h"
#include "models/docker/imagereference.h"
#include "models/github/githubrepository.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/connections/probes.h"
#include "services/connections/secretstore.h"
#include "services/deploy/compose.h"
#include "services/deploy/gitclone.h"
#include "services/github/githubapptoken.h"
#include "services/net/asyncprocess.h"
#include "services/store/auditlog.h"
#include "services/tunnel/tunnelroutes.h"
#include "services/tunnel/tunnelservice.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcess>
#include <QTcpServer>
#include <QtConcurrent/QtConcurrentRun>

Q_LOGGING_CATEGORY(lcDeploy, "opsdeck.deploy", QtInfoMsg)

namespace opsdeck {

DeployService::DeployService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::QuickServiceSpec>();
    qRegisterMetaType<opsdeck::ComposeInspection>();
    qRegisterMetaType<opsdeck::JobState>();
    qRegisterMetaType<opsdeck::Outcome>();
}

void DeployService::initialize()
{
    if (m_demo)
        return;
    const auto interrupted =
        JobStore::markInterrupted(Database::connection(), QDateTime::currentDateTimeUtc());
    if (!interrupted)
        qCWarning(lcDeploy).noquote() << "cannot mark interrupted jobs:" << interrupted.message();
    else if (interrupted.value() > 0) {
        qCWarning(lcDeploy).noquote() << interrupted.value() << "job(s) were interrupted by the last stop";
        CacheNotifier::instance()->announce({Tables::jobs, Tables::jobLog}, 0);
    }
}

void DeployService::shutdown()
{
    for (Running *r : std::as_const(m_jobs)) {
        if (r->client)
            r->client->cancelAll();
        flushLog(r);
    }
}

DeployService::Running *DeployService::startJob(const QString &kind, const QString &title,
                                                qint64 connectionId, const QJsonObject &spec,
                                                const QList<JobStep> &steps, Error *error)
{
    auto r = std::make_unique<Running>();
    r->job.kind = kind;
    r->job.title = title;
    r->job.connectionId = connectionId;
    r->job.spec = spec;
    r->job.steps = steps;
    r->job.state = JobState::Running;
    // The person, as the workspace knows them (what offboarding looks for); else the OS user.
    r->job.requestedBy = actingLogin(Database::connection());
    if (r->job.requestedBy.isEmpty())
        r->job.requestedBy = AuditLog::currentOsUser();
    r->job.createdAt = r->job.startedAt = QDateTime::currentDateTimeUtc();
    CacheTransaction tx;
    if (auto b = tx.begin(); !b) {
        *error = b.error();
        return nullptr;
    }
    auto id = JobStore::create(tx.db(), r->job);
    if (!id) {
        *error = id.error();
        return nullptr;
    }
    r->job.id = id.value();
    tx.touch(Tables::jobs, connectionId);
    if (auto committed = tx.commit(); !committed) {
        *error = committed.error();
        return nullptr;
    }
    r->flush = new QTimer(this);
    r->flush->setInterval(200);
    connect(r->flush, &QTimer::timeout, this, [this, id = r->job.id] {
        if (Running *job = m_jobs.value(id))
            flushLog(job);
    });
    r->flush->start();
    m_jobs.insert(r->job.id, r.get());
    return r.release();
}

void DeployService::log(Running *job, const QString &text, const QString &stream)
{
    job->pending << JobStore::LogEntry{QDateTime::currentDateTimeUtc(), stream, text};
}

void DeployService::flushLog(Running *job)
{
    if (job->pending.isEmpty())
        return;
    CacheTransaction tx;
    if (!tx.begin())
        return;
    if (auto r = JobStore::appendLog(tx.db(), job->job.id, job->pending); !r) {
        qCWarning(lcDeploy).noquote() << "cannot write the job log:" << r.message();
        return;
    }
    tx.touch(Tables::jobLog, job->job.connectionId);
    if (tx.commit())
        job->pending.clear();
}

void DeployService::step(Running *job, const QString &stepId, StepState state, const QString &detail)
{
    for (JobStep &s : job->job.steps) {
        if (s.id != stepId)
            continue;
        s.state = state;
        if (!detail.isEmpty())
            s.detail = detail;
        if (state == StepState::Running)
            log(job, tr("Step: %1").arg(s.title));
    }
    CacheTransaction tx;
    if (tx.begin() && JobStore::update(tx.db(), job->job).ok()) {
        tx.touch(Tables::jobs, job->job.connectionId);
        (void)tx.commit();
    }
}

bool DeployService::cancelled(Running *job) const
{
    return job->cancel;
}

void DeployService::finish(Running *job, JobState state, const QString &message)
{
    job->job.state = state;
    job->job.message = message;
    job->job.finishedAt = QDateTime::currentDateTimeUtc();
    for (JobStep &s : job->job.steps)
        if (s.state == StepState::Running || s.state == StepState::Pending)
            s.state = state == JobState::Succeeded ? StepState::Skipped
                      : s.state == StepState::Running
                          ? (state == JobState::Cancelled ? StepState::Cancelled : StepState::Failed)
                          : StepState::Skipped;
    log(job, message, state == JobState::Succeeded ? QStringLiteral("info") : QStringLiteral("error"));
    flushLog(job);
    CacheTransaction tx;
    if (tx.begin()) {
        (void)JobStore::update(tx.db(), job->job);
        AuditEvent e;
        e.action = AuditAction::deployFinish;
        if (auto c = ConnectionStore::byId(tx.db(), job->job.connectionId)) {
            e.system = kindId(c->kind);
            e.connectionId = c->id;
            e.connectionName = c->name;
        }
        e.targetKind = QStringLiteral("job");
        e.targetId = QString::number(job->job.id);
        e.targetName = job->job.title;
        e.outcome = state == JobState::Succeeded ? AuditOutcome::Success : AuditOutcome::Failure;
        e.comment = message;
        e.details =
            QJsonObject{{QStringLiteral("kind"), job->job.kind},
                        {QStringLiteral("state"), jobStateId(state)},
                        {QStringLiteral("result"), job->job.result},
                        {QStringLiteral("duration_ms"), job->job.startedAt.msecsTo(job->job.finishedAt)}};
        if (AuditLog::append(tx.db(), e).ok()) {
            tx.touch(Tables::jobs, job->job.connectionId);
            tx.touch(AuditLog::table, job->job.connectionId);
            if (!tx.commit())
                qCWarning(lcDeploy).noquote() << "cannot record the end of job" << job->job.id;
        }
    }
    qCInfo(lcDeploy).noquote() << "job" << job->job.id << jobStateId(state) << message;
    emit jobFinished(job->job.id, state, message, job->job.result);
    m_jobs.remove(job->job.id);
    job->flush->deleteLater();
    if (job->client)
        job->client->deleteLater();
    delete job;
}

void DeployService::cancel(qint64 jobId)
{
    Running *job = m_jobs.value(jobId);
    if (!job || job->cancel)
        return;
    job->cancel = true;
    job->stop->store(true); // a clone in progress stops at its next progress report
    if (job->process)
        job->process->kill(); // compose: the finished handler cleans up with "down"
    if (job->http)
        job->http->cancelAll();
    log(job, tr("Cancel requested by %1.").arg(AuditLog::currentOsUser()), QStringLiteral("error"));
    if (job->client && job->call && job->abortable)
        job->client->cancel(job->call); // the step's callback sees the cancel and cleans up
}

void DeployService::redeploy(quint64 requestId, qint64 jobId)
{
    auto old = JobStore::byId(Database::connection(), jobId);
    if (!old)
        return emit refused(requestId, Outcome::failure(old.error()));
    if (old->kind == QLatin1String("template") || old->kind == QLatin1String("directory")) {
        // The same project again: a template's repository exists now, so its clone is deployed.
        RepoDeploySpec spec = RepoDeploySpec::fromJson(old->spec);
        // The route goes where it went last time, chosen or proposed.
        if (spec.routeService.isEmpty() && old->result.contains(QLatin1String("route_service"))) {
            spec.routeService = old->result.value(QLatin1String("route_service")).toString();
            spec.routeTarget = old->result.value(QLatin1String("route_target")).toInt();
        }
        if (old->kind == QLatin1String("template")) {
            const QString directory = old->result.value(QLatin1String("directory")).toString();
            if (directory.isEmpty() || !QFileInfo(directory).isDir())
                return emit refused(requestId,
                                    Outcome::failure(makeError(
                                        "job.redeploy", tr("Job %1 left no clone to deploy again: deploy the "
                                                           "template anew with another repository name.")
                                                            .arg(jobId))));
            spec.source = RepoDeploySpec::Source::LocalDirectory;
            spec.directory = directory;
            if (spec.project.isEmpty())
                spec.project = old->result.value(QLatin1String("project")).toString(spec.name);
        }
        return repoDeploy(requestId, spec);
    }
    QuickServiceSpec spec = QuickServiceSpec::fromJson(old->spec);
    if (m_env.contains(jobId))
        spec.env = m_env.value(jobId);
    else
        for (const auto &[name, value] : spec.env)
            if (value.isEmpty())
                return emit refused(
                    requestId,
                    Outcome::failure(makeError(
                        "job.env", tr("The environment values of job %1 are not kept across restarts "
                                      "(they may be secrets): open Quick service and enter them again.")
                                       .arg(jobId))));
    quickService(requestId, spec);
}

void DeployService::routeThroughTunnel(Running *job, qint64 tunnelId, const QString &hostname, int port,
                                       const QString &what)
{
    const qint64 id = job->job.id;
    auto tunnel = ConnectionStore::byId(Database::connection(), tunnelId);
    if (!tunnel) {
        step(job, QStringLiteral("route"), StepState::Failed);
        return finish(job, JobState::Failed,
                      tr("The tunnel connection is gone; %1 is up without a route.").arg(what));
    }
    auto *routes = new TunnelRoutes(this);
    const auto logLine = [this, id](const QString &line, bool error) {
        if (Running *j = m_jobs.value(id))
            log(j, line, error ? QStringLiteral("error") : QStringLiteral("info"));
    };
    const auto finished = [this, id, routes, port, hostname, what](const Result<void> &done) {
        routes->deleteLater();
        Running *j = m_jobs.value(id);
        if (!j)
            return;
        if (!done) {
            step(j, QStringLiteral("route"), StepState::Failed, done.message());
            return finish(j, JobState::Failed,
                          tr("%1 is up, but the route failed: %2").arg(what, done.message()));
        }
        j->job.result.insert(QStringLiteral("hostname"), hostname);
        j->job.result.insert(QStringLiteral("route_port"), port);
        step(j, QStringLiteral("route"), StepState::Done, QStringLiteral("%1 → %2").arg(hostname).arg(port));
        step(j, QStringLiteral("done"), StepState::Done);
        finish(j, JobState::Succeeded,
               tr("%1 is up and routed: https://%2 → port %3.").arg(what, hostname).arg(port));
    };
    const auto applyWith = [this, id, routes, port, hostname, logLine, finished,
                            tunnel = tunnel.value()](const QString &secret) {
        if (!m_jobs.contains(id))
            return routes->deleteLater();
        // A route for the hostname that exists already (a redeploy) is pointed at the new port.
        routes->apply(
            tunnel, secret, RouteOp::Add, hostname, port, QString(), logLine,
            [routes, tunnel, secret, hostname, port, logLine, finished](const Result<void> &added) {
                if (added || added.error().code != QLatin1String("ingress.duplicate"))
                    return finished(added);
                logLine(tr("%1 has a route already: pointing it at port %2.").arg(hostname).arg(port), false);
                routes->apply(tunnel, secret, RouteOp::Update, hostname, port, QString(), logLine, finished);
            });
    };
    TunnelService::readToken(tunnel.value(), this, [applyWith](const Result<QString> &secret) {
        applyWith(secret ? secret.value() : QString());
    });
}
bool DeployService::refusedByPermissions(quint64 requestId, const Connection &c, const QString &what)
{
    const auto allowed =
        checkActing(Database::connection(), AuditAction::deployStart, connectionFacet(c.name));
    if (allowed)
        return false;
    AuditEvent e;
    e.action = AuditAction::deployStart;
    e.system = kindId(c.kind);
    e.connectionId = c.id;
    e.connectionName = c.name;
    e.targetKind = QStringLiteral("job");
    e.targetName = what;
    e.outcome = AuditOutcome::Failure;
    e.details.insert(QStringLiteral("error"), allowed.message());
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcDeploy).noquote() << "cannot write the audit log:" << r.message();
    emit refused(requestId, Outcome::failure(allowed.error()));
    return true;
}

Result<PolicyCheck> enforceImagePolicy(const QList<PolicyImage> &images, const QString &project,
                                       const QString &overrideComment, const Connection &host,
                                       const QString &what)
{
    const auto policy = readImagePolicy(Database::connection());
    if (!policy)
        return policy.error();
    const PolicyCheck check = checkImages(policy.value(), images, project, QDateTime::currentDateTimeUtc());
    if (check.allowed())
        return check;
    const QStringList refusals = check.refusals();
    const QString refusal =
        DeployService::tr("The image policy refuses %1:\n%2").arg(what, refusals.join(QLatin1Char('\n')));
    if (overrideComment.trimmed().isEmpty())
        return makeError("image.policy", refusal);
    // Deploying anyway: only with image.override on the host, and always on the record.
    const auto allowed =
        checkActing(Database::connection(), AuditAction::imageOverride, connectionFacet(host.name));
    AuditEvent e;
    e.action = AuditAction::imageOverride;
    e.system = kindId(host.kind);
    e.connectionId = host.id;
    e.connectionName = host.name;
    e.targetKind = QStringLiteral("deploy");
    e.targetName = what;
    e.comment = overrideComment.trimmed();
    e.outcome = allowed ? AuditOutcome::Success : AuditOutcome::Failure;
    e.details =
        QJsonObject{{QStringLiteral("refused"), QJsonArray::fromStringList(refusals)},
                    {QStringLiteral("project"), project.isEmpty() ? QStringLiteral("global") : project}};
    if (!allowed)
        e.details.insert(QStringLiteral("error"), allowed.message());
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcDeploy).noquote() << "cannot write the audit log:" << r.message();
    if (!allowed)
        return makeError("image.policy", refusal + QStringLiteral("\n") + allowed.message());
    return check;
}

} // namespace opsdeck
