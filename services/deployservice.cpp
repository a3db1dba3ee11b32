#include "deployservice.h"

#include "asyncprocess.h"
#include "auditlog.h"
#include "cachenotifier.h"
#include "compose.h"
#include "connectionstore.h"
#include "container.h"
#include "database.h"
#include "gitclone.h"
#include "githubapptoken.h"
#include "githubrepository.h"
#include "imagereference.h"
#include "jsonlines.h"
#include "probes.h"
#include "secretstore.h"
#include "tunnelroutes.h"
#include "validation.h"

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

namespace {
QByteArray enc(const QString &s)
{
    return QUrl::toPercentEncoding(s);
}

QJsonArray pairs(const QList<std::pair<QString, QString>> &list, bool withValues)
{
    QJsonArray out;
    for (const auto &[k, v] : list)
        out << (withValues ? QJsonValue(QJsonArray{k, v}) : QJsonValue(k));
    return out;
}

const QStringList restartPolicies{QStringLiteral("no"), QStringLiteral("always"),
                                  QStringLiteral("unless-stopped"), QStringLiteral("on-failure")};
} // namespace

QJsonObject QuickServiceSpec::toJson() const
{
    return {{QStringLiteral("connection_id"), connectionId},
            {QStringLiteral("image"), image},
            {QStringLiteral("name"), name},
            {QStringLiteral("container_port"), containerPort},
            {QStringLiteral("host_port"), hostPort},
            {QStringLiteral("command"), command},
            {QStringLiteral("env_names"), pairs(env, false)},
            {QStringLiteral("restart"), restart},
            {QStringLiteral("labels"), pairs(labels, true)},
            {QStringLiteral("tunnel_connection_id"), tunnelConnectionId},
            {QStringLiteral("hostname"), hostname}};
}

QuickServiceSpec QuickServiceSpec::fromJson(const QJsonObject &o)
{
    QuickServiceSpec s;
    s.connectionId = o.value(QLatin1String("connection_id")).toInteger();
    s.image = o.value(QLatin1String("image")).toString();
    s.name = o.value(QLatin1String("name")).toString();
    s.containerPort = o.value(QLatin1String("container_port")).toInt();
    s.hostPort = o.value(QLatin1String("host_port")).toInt();
    s.command = o.value(QLatin1String("command")).toString();
    for (const QJsonValue &v : o.value(QLatin1String("env_names")).toArray())
        s.env.append({v.toString(), QString()});
    s.restart = o.value(QLatin1String("restart")).toString(QStringLiteral("unless-stopped"));
    for (const QJsonValue &v : o.value(QLatin1String("labels")).toArray())
        s.labels.append({v.toArray().at(0).toString(), v.toArray().at(1).toString()});
    s.tunnelConnectionId = o.value(QLatin1String("tunnel_connection_id")).toInteger();
    s.hostname = o.value(QLatin1String("hostname")).toString();
    return s;
}

Result<void> validateQuickService(const QuickServiceSpec &spec)
{
    const auto ref = parseImageReference(spec.image);
    if (!ref)
        return ref.error();
    if (const ImagePolicyDecision d = checkImagePolicy(ref.value()); !d.allowed)
        return makeError("image.policy",
                         QObject::tr("The image policy refuses %1: %2").arg(spec.image, d.reason));
    if (!spec.name.isEmpty())
        if (auto r = validateContainerName(spec.name); !r)
            return r;
    if (spec.containerPort != 0)
        if (auto r = parsePort(QString::number(spec.containerPort), QObject::tr("container port")); !r)
            return r.error();
    if (spec.hostPort != 0) {
        if (auto r = parsePort(QString::number(spec.hostPort), QObject::tr("host port")); !r)
            return r.error();
        if (spec.containerPort == 0)
            return makeError("port.container",
                             QObject::tr("A host port needs the container port it leads to."));
    }
    for (const auto &[name, value] : spec.env)
        if (auto r = validateEnvName(name); !r)
            return r;
    for (const auto &[key, value] : spec.labels)
        if (key.trimmed().isEmpty() || key.startsWith(QLatin1String("opsdeck.")))
            return makeError("label.key",
                             QObject::tr("The label \"%1\" is not allowed: label keys must not be empty "
                                         "and \"opsdeck.\" is Opsdeck's own prefix.")
                                 .arg(key));
    if (!restartPolicies.contains(spec.restart))
        return makeError("restart.policy",
                         QObject::tr("\"%1\" is not a restart policy: use %2.")
                             .arg(spec.restart, restartPolicies.join(QStringLiteral(", "))));
    if (spec.tunnelConnectionId) {
        if (auto r = validateHostname(spec.hostname); !r)
            return r;
        if (spec.containerPort == 0)
            return makeError("port.container",
                             QObject::tr("A tunnel route needs the container port it leads to."));
    }
    if (!spec.command.isEmpty() && QProcess::splitCommand(spec.command).isEmpty())
        return makeError("command",
                         QObject::tr("The command \"%1\" has unbalanced quotes.").arg(spec.command));
    return {};
}

bool portFreeHere(int port)
{
    for (const QHostAddress &address :
         {QHostAddress(QHostAddress::AnyIPv4), QHostAddress(QHostAddress::LocalHost)}) {
        QTcpServer probe;
        if (!probe.listen(address, quint16(port)))
            return false;
    }
    return true;
}

int choosePort(int preferred, const QSet<int> &published, bool checkLocal)
{
    const int start = preferred >= 1024 ? preferred : 8000;
    for (int port = start; port <= 65535; ++port)
        if (!published.contains(port) && (!checkLocal || portFreeHere(port)))
            return port;
    for (int port = 1024; port < start; ++port)
        if (!published.contains(port) && (!checkLocal || portFreeHere(port)))
            return port;
    return 0;
}

struct DeployService::Running
{
    Job job;
    RepoDeploySpec repo;
    Connection github;
    QString token;
    QString directory; // where compose runs
    QString composeFile;
    HttpClient *http = nullptr;
    QProcess *process = nullptr;
    std::shared_ptr<std::atomic_bool> stop = std::make_shared<std::atomic_bool>(false);
    QByteArray processBuffer;
    Connection connection;
    QuickServiceSpec quick;
    ImageReference ref;
    JsonLineStream pull; // pull progress lines
    QHash<QString, std::pair<qint64, qint64>> layers;
    QString pullError;
    QString lastStatus;
    DockerClient *client = nullptr;
    quint64 call = 0; // the request in flight, for cancel
    bool cancel = false;
    QList<JobStore::LogEntry> pending;
    QTimer *flush = nullptr;
    QString createdContainer; // made by this job: removed if it does not finish
    // Whether the request in flight may be aborted on cancel: a list or a pull may; a create may
    // not (the engine could make the container and the aborted answer would not say its id).
    bool abortable = true;
};

DeployService::DeployService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::QuickServiceSpec>();
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

void DeployService::quickService(quint64 requestId, const QuickServiceSpec &spec)
{
    if (m_demo)
        return emit refused(requestId, Outcome::failure(demoError()));
    auto found = ConnectionStore::byId(Database::connection(), spec.connectionId);
    if (!found || found->kind != ConnectionKind::Docker)
        return emit refused(
            requestId, Outcome::failure(found ? makeError("deploy.connection", tr("Choose a Docker host."))
                                              : found.error()));
    const Connection c = found.value();
    QList<JobStep> steps;
    for (const auto &[stepId, title] :
         {std::pair{QStringLiteral("validate"), tr("Validate")},
          std::pair{QStringLiteral("pull"), tr("Pull the image")},
          std::pair{QStringLiteral("create"), tr("Create the container")},
          std::pair{QStringLiteral("start"), tr("Start it")}, std::pair{QStringLiteral("done"), tr("Done")}})
        steps << JobStep{stepId, title, StepState::Pending, QString()};
    Error error;
    Running *job = startJob(QStringLiteral("quick-service"), tr("Quick service %1").arg(spec.image), c.id,
                            spec.toJson(), steps, &error);
    if (!job)
        return emit refused(
            requestId, Outcome::failure(makeError(
                           "job.record", tr("Cannot record the job in the cache: %1").arg(error.message))));
    m_env.insert(job->job.id, spec.env);
    AuditEvent e;
    e.action = AuditAction::deployStart;
    e.system = kindId(c.kind);
    e.connectionId = c.id;
    e.connectionName = c.name;
    e.targetKind = QStringLiteral("job");
    e.targetId = QString::number(job->job.id);
    e.targetName = job->job.title;
    e.details = spec.toJson();
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcDeploy).noquote() << "cannot write the audit log:" << r.message();
    emit jobStarted(requestId, job->job.id);
    runQuick(job, c, spec);
}

void DeployService::redeploy(quint64 requestId, qint64 jobId)
{
    auto old = JobStore::byId(Database::connection(), jobId);
    if (!old)
        return emit refused(requestId, Outcome::failure(old.error()));
    if (old->kind == QLatin1String("template") || old->kind == QLatin1String("directory")) {
        // The same project again: a template's repository exists now, so its clone is deployed.
        RepoDeploySpec spec = RepoDeploySpec::fromJson(old->spec);
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

void DeployService::runQuick(Running *job, const Connection &c, QuickServiceSpec spec)
{
    // 1. Validate: grammar, policy, name, ports, environment, before anything runs.
    step(job, QStringLiteral("validate"), StepState::Running);
    if (auto valid = validateQuickService(spec); !valid) {
        step(job, QStringLiteral("validate"), StepState::Failed, valid.message());
        return finish(job, JobState::Failed, tr("Refused before anything ran: %1").arg(valid.message()));
    }
    job->quick = spec;
    job->ref = parseImageReference(spec.image).value();
    job->connection = c;
    job->client = new DockerClient(this);
    if (auto r = job->client->configure(c); !r) {
        step(job, QStringLiteral("validate"), StepState::Failed, r.message());
        return finish(job, JobState::Failed, r.message());
    }
    DockerRequest list;
    list.path = "/containers/json?all=1";
    list.what = tr("Listing the containers of %1").arg(c.name);
    const qint64 id = job->job.id;
    job->call = job->client->request(list, this, [this, id](const HttpResponse &listed) {
        if (Running *running = m_jobs.value(id))
            quickChecked(running, listed);
    });
}

void DeployService::quickChecked(Running *job, const HttpResponse &listed)
{
    if (cancelled(job))
        return finish(job, JobState::Cancelled, tr("Cancelled before anything was made."));
    QuickServiceSpec &spec = job->quick;
    const Connection &c = job->connection;
    const auto fail = [this, job](const QString &why) {
        step(job, QStringLiteral("validate"), StepState::Failed, why);
        finish(job, JobState::Failed, tr("Refused before anything ran: %1").arg(why));
    };
    auto containers = listed.ok() ? parseContainerList(listed.body) : Result<QList<Container>>(*listed.error);
    if (!containers)
        return fail(containers.message());
    QSet<QString> names;
    QHash<int, QString> published;
    for (const Container &k : containers.value()) {
        names.insert(k.name);
        for (const PortBinding &p : k.ports)
            if (p.publicPort)
                published.insert(p.publicPort, k.name);
    }
    if (spec.name.isEmpty())
        spec.name = uniqueName(containerNameFor(job->ref), names);
    else if (names.contains(spec.name))
        return fail(
            tr("a container named %1 exists on %2 already: choose another name.").arg(spec.name, c.name));
    const bool local = c.endpoint.startsWith(QLatin1String("unix://")) ||
                       c.endpoint.startsWith(QLatin1Char('/')) ||
                       c.endpoint.contains(QLatin1String("//127.0.0.1")) ||
                       c.endpoint.contains(QLatin1String("//localhost"));
    if (spec.containerPort) {
        if (spec.hostPort) {
            if (published.contains(spec.hostPort))
                return fail(tr("host port %1 is published by the container %2 already.")
                                .arg(spec.hostPort)
                                .arg(published.value(spec.hostPort)));
            if (local && !portFreeHere(spec.hostPort))
                return fail(tr("host port %1 is in use on this machine.").arg(spec.hostPort));
        } else {
            QSet<int> taken;
            for (auto it = published.cbegin(); it != published.cend(); ++it)
                taken.insert(it.key());
            spec.hostPort = choosePort(spec.containerPort, taken, local);
            if (!spec.hostPort)
                return fail(tr("no free host port was found."));
            log(job, tr("Host port %1 chosen (free%2, not published by any container).")
                         .arg(spec.hostPort)
                         .arg(local ? tr(" on this machine") : QString()));
        }
    }
    job->job.result.insert(QStringLiteral("name"), spec.name);
    if (spec.hostPort)
        job->job.result.insert(QStringLiteral("host_port"), spec.hostPort);
    step(job, QStringLiteral("validate"), StepState::Done,
         tr("%1 as %2%3")
             .arg(job->ref.toString(), spec.name,
                  spec.hostPort ? tr(", port %1 → %2").arg(spec.hostPort).arg(spec.containerPort)
                                : QString()));

    // 2. Pull, with progress from the engine's JSON lines (errors arrive as lines too).
    step(job, QStringLiteral("pull"), StepState::Running);
    DockerRequest pull;
    pull.method = "POST";
    pull.path = "/images/create?fromImage=" + enc(job->ref.fromImage()) +
                "&tag=" + enc(job->ref.digest.isEmpty() ? job->ref.tagOrLatest() : job->ref.digest);
    pull.timeoutMs = 120000; // between progress lines
    pull.what = tr("Pulling %1").arg(job->ref.toString());
    const qint64 id = job->job.id;
    job->call = job->client->request(
        pull, this,
        [this, id](const HttpResponse &pulled) {
            if (Running *running = m_jobs.value(id))
                quickPulled(running, pulled);
        },
        [this, id](const QByteArray &data) {
            if (Running *running = m_jobs.value(id))
                pullProgress(running, data);
        });
}

void DeployService::pullProgress(Running *job, const QByteArray &data)
{
    for (const QJsonObject &line : job->pull.feed(data)) {
        const PullUpdate u = parsePullUpdate(line);
        if (!u.error.isEmpty()) {
            job->pullError = u.error;
            log(job, job->pullError, QStringLiteral("stderr"));
            continue;
        }
        if (u.hasProgress)
            job->layers.insert(u.layer, {u.current, u.total});
        if (!u.status.isEmpty() && u.status != job->lastStatus &&
            !u.status.startsWith(QLatin1String("Downloading")) &&
            !u.status.startsWith(QLatin1String("Extracting")))
            log(job, u.layer.isEmpty() ? u.status : u.layer + QStringLiteral(": ") + u.status,
                QStringLiteral("stdout"));
        job->lastStatus = u.status;
    }
    if (const int percent = pullPercent(job->layers); percent >= 0)
        emit jobProgress(job->job.id, percent, tr("Pulling…"));
}

void DeployService::quickPulled(Running *job, const HttpResponse &pulled)
{
    if (cancelled(job))
        return finish(job, JobState::Cancelled, tr("Cancelled while pulling: nothing was created."));
    const QString error = !pulled.ok() ? pulled.error->message : job->pullError;
    if (!error.isEmpty()) {
        step(job, QStringLiteral("pull"), StepState::Failed, error);
        return finish(job, JobState::Failed,
                      tr("Pulling %1 failed: %2 (nothing was created).").arg(job->ref.toString(), error));
    }
    step(job, QStringLiteral("pull"), StepState::Done);
    emit jobProgress(job->job.id, 100, tr("Pulled %1").arg(job->ref.toString()));

    // 3. Create.
    const QuickServiceSpec &spec = job->quick;
    step(job, QStringLiteral("create"), StepState::Running);
    QJsonObject body{{QStringLiteral("Image"), job->ref.toString()}};
    if (!spec.command.isEmpty())
        body.insert(QStringLiteral("Cmd"), QJsonArray::fromStringList(QProcess::splitCommand(spec.command)));
    QJsonArray env;
    for (const auto &[k, v] : m_env.value(job->job.id))
        env << k + QLatin1Char('=') + v;
    if (!env.isEmpty())
        body.insert(QStringLiteral("Env"), env);
    QJsonObject labels;
    for (const auto &[k, v] : spec.labels)
        labels.insert(k, v);
    labels.insert(QStringLiteral("opsdeck.project"), spec.name);
    labels.insert(QStringLiteral("opsdeck.job"), QString::number(job->job.id));
    body.insert(QStringLiteral("Labels"), labels);
    QJsonObject host{{QStringLiteral("RestartPolicy"), QJsonObject{{QStringLiteral("Name"), spec.restart}}}};
    if (spec.containerPort) {
        const QString port = QStringLiteral("%1/tcp").arg(spec.containerPort);
        body.insert(QStringLiteral("ExposedPorts"), QJsonObject{{port, QJsonObject()}});
        host.insert(QStringLiteral("PortBindings"),
                    QJsonObject{{port, QJsonArray{QJsonObject{
                                           {QStringLiteral("HostIp"), QString()},
                                           {QStringLiteral("HostPort"), QString::number(spec.hostPort)}}}}});
    }
    body.insert(QStringLiteral("HostConfig"), host);
    job->abortable = false; // from here on a cancel waits for the engine's answer, then cleans up
    DockerRequest create;
    create.method = "POST";
    create.path = "/containers/create?name=" + enc(spec.name);
    create.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    create.what = tr("Creating %1").arg(spec.name);
    const qint64 id = job->job.id;
    job->call = job->client->request(create, this, [this, id](const HttpResponse &created) {
        if (Running *running = m_jobs.value(id))
            quickCreated(running, created);
    });
}

void DeployService::quickCreated(Running *job, const HttpResponse &created)
{
    const QuickServiceSpec &spec = job->quick;
    const auto parsed = created.ok() ? parseCreatedContainer(created.body) : Result<QString>(*created.error);
    const QString containerId = parsed ? parsed.value() : QString();
    if (!containerId.isEmpty()) {
        job->createdContainer = containerId;
        job->job.result.insert(QStringLiteral("container_id"), containerId);
        log(job, tr("Created container %1 (%2).").arg(spec.name, containerId.left(12)));
    }
    if (cancelled(job)) {
        step(job, QStringLiteral("create"), StepState::Cancelled);
        return removeCreated(job, JobState::Cancelled, tr("Cancelled after the container was created."));
    }
    if (!parsed) {
        const QString why = parsed.message();
        step(job, QStringLiteral("create"), StepState::Failed, why);
        return finish(job, JobState::Failed,
                      tr("Creating %1 failed: %2 (the image was pulled).").arg(spec.name, why));
    }
    step(job, QStringLiteral("create"), StepState::Done, containerId.left(12));

    // 4. Start.
    step(job, QStringLiteral("start"), StepState::Running);
    DockerRequest start;
    start.method = "POST";
    start.path = "/containers/" + enc(containerId) + "/start";
    start.what = tr("Starting %1").arg(spec.name);
    const qint64 id = job->job.id;
    job->call = job->client->request(start, this, [this, id](const HttpResponse &started) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        const QuickServiceSpec &s = running->quick;
        if (cancelled(running)) {
            step(running, QStringLiteral("start"), StepState::Cancelled);
            return removeCreated(running, JobState::Cancelled, tr("Cancelled while starting."));
        }
        if (!started.ok()) {
            step(running, QStringLiteral("start"), StepState::Failed, started.error->message);
            return removeCreated(running, JobState::Failed,
                                 tr("Starting %1 failed: %2").arg(s.name, started.error->message));
        }
        step(running, QStringLiteral("start"), StepState::Done);
        if (s.tunnelConnectionId) {
            if (!s.hostPort) {
                step(running, QStringLiteral("route"), StepState::Failed);
                return finish(running, JobState::Failed,
                              tr("%1 runs but publishes no port to route.").arg(s.name));
            }
            step(running, QStringLiteral("route"), StepState::Running);
            return routeThroughTunnel(running, s.tunnelConnectionId, s.hostname, s.hostPort, s.name);
        }
        step(running, QStringLiteral("route"), StepState::Skipped, tr("no tunnel chosen"));
        step(running, QStringLiteral("done"), StepState::Done);
        finish(running, JobState::Succeeded,
               s.hostPort ? tr("%1 runs, published on port %2.").arg(s.name).arg(s.hostPort)
                          : tr("%1 runs.").arg(s.name));
    });
}

void DeployService::removeCreated(Running *job, JobState state, const QString &why)
{
    if (job->createdContainer.isEmpty())
        return finish(job, state, why);
    // Nothing half-made: the container this job created goes again, and the log says so.
    DockerRequest remove;
    remove.method = "DELETE";
    remove.path = "/containers/" + enc(job->createdContainer) + "?v=true&force=true";
    remove.what = tr("Removing the container this job created");
    const qint64 id = job->job.id;
    job->client->request(remove, this, [this, id, state, why](const HttpResponse &removed) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        const QString made = running->createdContainer.left(12);
        if (removed.ok()) {
            log(running, tr("Removed the container %1 that this job had created.").arg(made));
            running->job.result.remove(QStringLiteral("container_id"));
            return finish(running, state, why);
        }
        log(running,
            tr("Could not remove the container %1 that this job created: %2")
                .arg(made, removed.error->message),
            QStringLiteral("error"));
        finish(running, state,
               why + QLatin1Char(' ') + tr("The container %1 it created is still there.").arg(made));
    });
}

QJsonObject RepoDeploySpec::toJson() const
{
    return {{QStringLiteral("source"),
             source == Source::Template ? QStringLiteral("template") : QStringLiteral("directory")},
            {QStringLiteral("docker_connection_id"), dockerConnectionId},
            {QStringLiteral("github_connection_id"), githubConnectionId},
            {QStringLiteral("template"), templateRepository},
            {QStringLiteral("owner"), owner},
            {QStringLiteral("name"), name},
            {QStringLiteral("private"), isPrivate},
            {QStringLiteral("directory"), directory},
            {QStringLiteral("project"), project},
            {QStringLiteral("tunnel_connection_id"), tunnelConnectionId},
            {QStringLiteral("hostname"), hostname},
            {QStringLiteral("route_port"), routePort}};
}

RepoDeploySpec RepoDeploySpec::fromJson(const QJsonObject &o)
{
    RepoDeploySpec s;
    s.source = o.value(QLatin1String("source")).toString() == QLatin1String("directory")
                   ? Source::LocalDirectory
                   : Source::Template;
    s.dockerConnectionId = o.value(QLatin1String("docker_connection_id")).toInteger();
    s.githubConnectionId = o.value(QLatin1String("github_connection_id")).toInteger();
    s.templateRepository = o.value(QLatin1String("template")).toString();
    s.owner = o.value(QLatin1String("owner")).toString();
    s.name = o.value(QLatin1String("name")).toString();
    s.isPrivate = o.value(QLatin1String("private")).toBool(true);
    s.directory = o.value(QLatin1String("directory")).toString();
    s.project = o.value(QLatin1String("project")).toString();
    s.tunnelConnectionId = o.value(QLatin1String("tunnel_connection_id")).toInteger();
    s.hostname = o.value(QLatin1String("hostname")).toString();
    s.routePort = o.value(QLatin1String("route_port")).toInt();
    return s;
}

Result<void> validateRepoDeploy(const RepoDeploySpec &spec)
{
    if (spec.source == RepoDeploySpec::Source::Template) {
        if (auto r = parseRepositoryId(spec.templateRepository); !r)
            return r.error();
        if (auto r = validateGitHubOwner(spec.owner); !r)
            return r;
        if (spec.name != sanitizeRepositoryName(spec.name) || spec.name.isEmpty())
            return makeError(
                "github.repository",
                QObject::tr("\"%1\" is not a new repository name: use lower-case letters, digits and single "
                            "hyphens (\"%2\").")
                    .arg(spec.name, sanitizeRepositoryName(spec.name)));
        if (!spec.githubConnectionId)
            return makeError("deploy.connection",
                             QObject::tr("Choose the GitHub connection that creates the repository."));
    } else {
        const QFileInfo dir(spec.directory);
        if (!dir.isDir())
            return makeError("path.missing", QObject::tr("%1 is not a directory.").arg(spec.directory));
        if (findComposeFile(spec.directory).isEmpty())
            return makeError("compose.file", QObject::tr("%1 has no compose file (compose.yaml, compose.yml, "
                                                         "docker-compose.yaml or docker-compose.yml).")
                                                 .arg(spec.directory));
    }
    if (!spec.project.isEmpty() && sanitizeRepositoryName(spec.project) != spec.project)
        return makeError(
            "compose.project",
            QObject::tr("\"%1\" is not a compose project name: lower-case letters, digits and hyphens.")
                .arg(spec.project));
    if (spec.tunnelConnectionId) {
        if (auto r = validateHostname(spec.hostname); !r)
            return r;
        if (spec.routePort != 0)
            if (auto r = parsePort(QString::number(spec.routePort), QObject::tr("route port")); !r)
                return r.error();
    }
    if (!spec.dockerConnectionId)
        return makeError("deploy.connection", QObject::tr("Choose the Docker host to deploy to."));
    return {};
}

void DeployService::repoDeploy(quint64 requestId, const RepoDeploySpec &spec)
{
    if (m_demo)
        return emit refused(requestId, Outcome::failure(demoError()));
    auto docker = ConnectionStore::byId(Database::connection(), spec.dockerConnectionId);
    if (!docker || docker->kind != ConnectionKind::Docker)
        return emit refused(requestId,
                            Outcome::failure(makeError("deploy.connection", tr("Choose a Docker host."))));
    const bool fromTemplate = spec.source == RepoDeploySpec::Source::Template;
    QList<JobStep> steps;
    const auto add = [&steps](const QString &id, const QString &title) {
        steps << JobStep{id, title, StepState::Pending, QString()};
    };
    add(QStringLiteral("validate"), tr("Validate"));
    if (fromTemplate) {
        add(QStringLiteral("generate"), tr("Create the repository from the template"));
        add(QStringLiteral("wait"), tr("Wait for the repository"));
        add(QStringLiteral("clone"), tr("Clone"));
    }
    add(QStringLiteral("compose"), tr("Compose up"));
    add(QStringLiteral("route"), tr("Route through the tunnel"));
    add(QStringLiteral("done"), tr("Done"));
    const QString title = fromTemplate
                              ? tr("Deploy %1/%2 from %3").arg(spec.owner, spec.name, spec.templateRepository)
                              : tr("Deploy %1").arg(spec.directory);
    Error error;
    Running *job = startJob(fromTemplate ? QStringLiteral("template") : QStringLiteral("directory"), title,
                            docker->id, spec.toJson(), steps, &error);
    if (!job)
        return emit refused(
            requestId, Outcome::failure(makeError(
                           "job.record", tr("Cannot record the job in the cache: %1").arg(error.message))));
    job->repo = spec;
    job->connection = docker.value();
    AuditEvent e;
    e.action = AuditAction::deployStart;
    e.system = kindId(ConnectionKind::Docker);
    e.connectionId = docker->id;
    e.connectionName = docker->name;
    e.targetKind = QStringLiteral("job");
    e.targetId = QString::number(job->job.id);
    e.targetName = title;
    e.details = spec.toJson();
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcDeploy).noquote() << "cannot write the audit log:" << r.message();
    emit jobStarted(requestId, job->job.id);

    step(job, QStringLiteral("validate"), StepState::Running);
    if (auto valid = validateRepoDeploy(spec); !valid) {
        step(job, QStringLiteral("validate"), StepState::Failed, valid.message());
        return finish(job, JobState::Failed, tr("Refused before anything ran: %1").arg(valid.message()));
    }
    if (!fromTemplate) {
        job->directory = QDir(spec.directory).absolutePath();
        job->composeFile = findComposeFile(job->directory);
        if (job->repo.project.isEmpty())
            job->repo.project = sanitizeRepositoryName(QDir(job->directory).dirName());
        step(job, QStringLiteral("validate"), StepState::Done, job->composeFile);
        return repoCompose(job);
    }
    // The clone goes under the workspace, never elsewhere.
    if (m_workspace.isEmpty() || !QDir().mkpath(m_workspace)) {
        step(job, QStringLiteral("validate"), StepState::Failed);
        return finish(job, JobState::Failed,
                      tr("The workspace directory %1 cannot be created.").arg(m_workspace));
    }
    const auto target = pathInside(m_workspace, spec.owner + QLatin1Char('/') + spec.name);
    if (!target) {
        step(job, QStringLiteral("validate"), StepState::Failed, target.message());
        return finish(job, JobState::Failed, target.message());
    }
    if (QDir(target.value()).exists() && !QDir(target.value()).isEmpty()) {
        step(job, QStringLiteral("validate"), StepState::Failed);
        return finish(
            job, JobState::Failed,
            tr("%1 exists in the workspace already: choose another repository name.").arg(target.value()));
    }
    job->directory = target.value();
    if (job->repo.project.isEmpty())
        job->repo.project = spec.name;
    auto github = ConnectionStore::byId(Database::connection(), spec.githubConnectionId);
    if (!github || github->kind != ConnectionKind::GitHub) {
        step(job, QStringLiteral("validate"), StepState::Failed);
        return finish(job, JobState::Failed, tr("The GitHub connection of this deploy is gone."));
    }
    if (github->auth != AuthKind::Token && github->auth != AuthKind::GitHubApp) {
        step(job, QStringLiteral("validate"), StepState::Failed);
        return finish(job, JobState::Failed,
                      tr("Template deploys need a GitHub connection with a token or a GitHub App (%1 has "
                         "neither).")
                          .arg(github->name));
    }
    job->github = github.value();
    const qint64 id = job->job.id;
    SecretStore::instance()->read(github->secretKey(), this, [this, id](const Result<QString> &secret) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        if (!secret) {
            step(running, QStringLiteral("validate"), StepState::Failed, secret.message());
            return finish(running, JobState::Failed, secret.message());
        }
        if (running->github.auth != AuthKind::GitHubApp)
            return checkRepositoryFree(running, secret.value());
        // A GitHub App works through its installation token, for the API and for the clone alike.
        GitHubAppToken::request(
            running->github, secret.value(), this, [this, id](const Result<InstallationToken> &token) {
                Running *withToken = m_jobs.value(id);
                if (!withToken)
                    return;
                if (!token) {
                    step(withToken, QStringLiteral("validate"), StepState::Failed, token.message());
                    return finish(withToken, JobState::Failed, token.message());
                }
                withToken->github.auth = AuthKind::Token;
                checkRepositoryFree(withToken, token->token);
            });
    });
}

void DeployService::checkRepositoryFree(Running *running, const QString &token)
{
    const qint64 id = running->job.id;
    running->token = token;
    running->http = new HttpClient(this);
    if (auto r = running->http->setCaFile(running->github.caFile); !r) {
        step(running, QStringLiteral("validate"), StepState::Failed, r.message());
        return finish(running, JobState::Failed, r.message());
    }
    running->http->setDefaultHeaders(authHeaders(running->github, running->token));
    // The new name must be free.
    HttpRequest check;
    check.url = apiUrl(running->github.endpoint,
                       QStringLiteral("/repos/%1/%2").arg(running->repo.owner, running->repo.name));
    check.what = tr("Checking that %1/%2 does not exist").arg(running->repo.owner, running->repo.name);
    check.maxRetries = 1;
    running->http->send(check, this, [this, id](const HttpResponse &r) {
        Running *checked = m_jobs.value(id);
        if (!checked)
            return;
        if (cancelled(checked))
            return finish(checked, JobState::Cancelled, tr("Cancelled before anything was made."));
        if (r.status == 200) {
            step(checked, QStringLiteral("validate"), StepState::Failed);
            return finish(checked, JobState::Failed,
                          tr("The repository %1/%2 exists already: choose another name, e.g. %2-2.")
                              .arg(checked->repo.owner, checked->repo.name));
        }
        if (r.status != 404) {
            step(checked, QStringLiteral("validate"), StepState::Failed);
            return finish(checked, JobState::Failed,
                          r.error ? r.error->message : tr("GitHub answered %1.").arg(r.status));
        }
        step(checked, QStringLiteral("validate"), StepState::Done,
             tr("%1/%2 into %3").arg(checked->repo.owner, checked->repo.name, checked->directory));
        repoGenerate(checked);
    });
}

void DeployService::repoGenerate(Running *job)
{
    step(job, QStringLiteral("generate"), StepState::Running);
    const auto tpl = parseRepositoryId(job->repo.templateRepository).value();
    HttpRequest r;
    r.method = "POST";
    r.url = apiUrl(job->github.endpoint, QStringLiteral("/repos/%1/%2/generate").arg(tpl.owner, tpl.name));
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("owner"), job->repo.owner},
                                       {QStringLiteral("name"), job->repo.name},
                                       {QStringLiteral("private"), job->repo.isPrivate},
                                       {QStringLiteral("include_all_branches"), false}})
                 .toJson(QJsonDocument::Compact);
    r.headers.emplaceBack("Content-Type", "application/json");
    r.what = tr("Creating %1/%2 from %3").arg(job->repo.owner, job->repo.name, job->repo.templateRepository);
    const qint64 id = job->job.id;
    job->http->send(r, this, [this, id](const HttpResponse &response) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        if (cancelled(running))
            return finish(
                running, JobState::Cancelled,
                tr("Cancelled while the repository was being created: check whether %1/%2 exists on GitHub.")
                    .arg(running->repo.owner, running->repo.name));
        if (!response.ok()) {
            step(running, QStringLiteral("generate"), StepState::Failed, response.error->message);
            return finish(running, JobState::Failed,
                          tr("Creating the repository failed: %1").arg(response.error->message));
        }
        const auto repo = parseRepository(response.body);
        const auto usable =
            repo ? checkCloneUrl(repo->cloneUrl, running->github.endpoint) : Result<void>(repo.error());
        if (!usable) {
            step(running, QStringLiteral("generate"), StepState::Failed, usable.message());
            return finish(running, JobState::Failed,
                          tr("GitHub answered the repository creation with something Opsdeck cannot use: %1 "
                             "Check whether %2/%3 exists on GitHub.")
                              .arg(usable.message(), running->repo.owner, running->repo.name));
        }
        running->job.result.insert(QStringLiteral("repository"), repo->fullName);
        running->job.result.insert(QStringLiteral("clone_url"), repo->cloneUrl);
        running->job.result.insert(QStringLiteral("html_url"), repo->htmlUrl);
        log(running, tr("Created %1 (%2).").arg(repo->fullName, repo->htmlUrl));
        step(running, QStringLiteral("generate"), StepState::Done, repo->fullName);
        repoWait(running, 0);
    });
}

void DeployService::repoWait(Running *job, int attempt)
{
    // GitHub creates the contents in the background: ask until the repository answers with its
    // default branch, with backoff (1, 2, 4, 8 s …, about a minute in all).
    if (attempt == 0)
        step(job, QStringLiteral("wait"), StepState::Running);
    HttpRequest r;
    r.url = apiUrl(job->github.endpoint, QStringLiteral("/repos/%1/%2").arg(job->repo.owner, job->repo.name));
    r.what = tr("Waiting for %1/%2").arg(job->repo.owner, job->repo.name);
    r.maxRetries = 0;
    const qint64 id = job->job.id;
    job->http->send(r, this, [this, id, attempt](const HttpResponse &response) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        if (cancelled(running))
            return finish(
                running, JobState::Cancelled,
                tr("Cancelled while waiting: the repository %1/%2 was created on GitHub and is left there.")
                    .arg(running->repo.owner, running->repo.name));
        const auto repo =
            response.ok() ? parseRepository(response.body) : Result<GitHubRepository>(*response.error);
        if (repo && repo->ready()) {
            if (running->job.result.value(QLatin1String("clone_url")).toString().isEmpty()) {
                if (const auto usable = checkCloneUrl(repo->cloneUrl, running->github.endpoint); !usable) {
                    step(running, QStringLiteral("wait"), StepState::Failed, usable.message());
                    return finish(running, JobState::Failed, usable.message());
                }
                running->job.result.insert(QStringLiteral("clone_url"), repo->cloneUrl);
            }
            step(running, QStringLiteral("wait"), StepState::Done);
            return repoClone(running);
        }
        if (attempt >= 6) {
            step(running, QStringLiteral("wait"), StepState::Failed);
            return finish(
                running, JobState::Failed,
                tr("%1/%2 was created on GitHub but did not become ready within a minute: it is left there.")
                    .arg(running->repo.owner, running->repo.name));
        }
        const int delay = 1000 << attempt;
        log(running, tr("Not ready yet (%1); asking again in %2 s.")
                         .arg(repo ? tr("no content yet") : repo.message())
                         .arg(delay / 1000));
        QTimer::singleShot(delay, this, [this, id, attempt] {
            if (Running *again = m_jobs.value(id))
                repoWait(again, attempt + 1);
        });
    });
}

void DeployService::repoClone(Running *job)
{
    step(job, QStringLiteral("clone"), StepState::Running);
    CloneOptions options;
    options.url = job->job.result.value(QLatin1String("clone_url")).toString();
    options.directory = job->directory;
    options.token = job->token;
    options.cancel = job->stop.get();
    const qint64 id = job->job.id;
    options.progress = [this, id](int percent, const QString &text) {
        QMetaObject::invokeMethod(this, [this, id, percent, text] { emit jobProgress(id, percent, text); });
    };
    log(job, tr("Cloning %1 into %2").arg(options.url, options.directory));
    // libgit2 blocks: the clone runs on a pool thread; the job keeps its cancel flag alive.
    auto watcher = new QFutureWatcher<Result<QString>>(this);
    connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, id, watcher] {
        watcher->deleteLater();
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        const Result<QString> head = watcher->result();
        if (cancelled(running))
            return finish(running, JobState::Cancelled,
                          tr("Cancelled while cloning: the partial clone was removed; the repository %1/%2 "
                             "stays on GitHub.")
                              .arg(running->repo.owner, running->repo.name));
        if (!head) {
            step(running, QStringLiteral("clone"), StepState::Failed, head.message());
            return finish(running, JobState::Failed,
                          tr("%1 The repository %2/%3 was created on GitHub and is left there.")
                              .arg(head.message(), running->repo.owner, running->repo.name));
        }
        running->job.result.insert(QStringLiteral("directory"), running->directory);
        running->job.result.insert(QStringLiteral("commit"), head.value());
        step(running, QStringLiteral("clone"), StepState::Done, head.value().left(12));
        running->composeFile = findComposeFile(running->directory);
        if (running->composeFile.isEmpty()) {
            step(running, QStringLiteral("compose"), StepState::Failed);
            return finish(running, JobState::Failed,
                          tr("The repository has no compose file: it was cloned to %1; nothing was started.")
                              .arg(running->directory));
        }
        repoCompose(running);
    });
    watcher->setFuture(QtConcurrent::run([options] { return cloneRepository(options); }));
}

void DeployService::repoCompose(Running *job)
{
    step(job, QStringLiteral("compose"), StepState::Running);
    const auto env = composeEnvironment(
        job->connection,
        QDir(m_workspace).filePath(QStringLiteral(".docker-tls/%1").arg(job->connection.id)));
    if (!env) {
        step(job, QStringLiteral("compose"), StepState::Failed, env.message());
        return finish(job, JobState::Failed, env.message());
    }
    const qint64 jobId = job->job.id;
    findComposeTool(env.value(), this, [this, jobId, env = env.value()](const Result<ComposeTool> &tool) {
        Running *running = m_jobs.value(jobId);
        if (!running)
            return;
        if (cancelled(running))
            return finish(running, JobState::Cancelled, tr("Cancelled before compose ran."));
        if (!tool) {
            step(running, QStringLiteral("compose"), StepState::Failed, tool.message());
            return finish(running, JobState::Failed, tool.message());
        }
        repoComposeUp(running, tool.value(), env);
    });
}

void DeployService::repoComposeUp(Running *job, const ComposeTool &tool, const QProcessEnvironment &env)
{
    log(job, tr("Using %1 (%2) with DOCKER_HOST=%3")
                 .arg(tool.display(), tool.version, env.value(QStringLiteral("DOCKER_HOST"))));
    job->job.result.insert(QStringLiteral("project"), job->repo.project);
    job->job.result.insert(QStringLiteral("directory"), job->directory);
    const QStringList args =
        tool.prefix + QStringList{QStringLiteral("-p"), job->repo.project,    QStringLiteral("-f"),
                                  job->composeFile,     QStringLiteral("up"), QStringLiteral("-d")};
    auto *p = new QProcess(this);
    job->process = p;
    p->setProcessEnvironment(env);
    p->setWorkingDirectory(job->directory);
    p->setProcessChannelMode(QProcess::MergedChannels);
    const qint64 id = job->job.id;
    connect(p, &QProcess::readyRead, this, [this, id, p] {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        running->processBuffer += p->readAll();
        qsizetype nl;
        while ((nl = running->processBuffer.indexOf('\n')) >= 0) {
            log(running, QString::fromUtf8(running->processBuffer.left(nl)).trimmed(),
                QStringLiteral("stdout"));
            running->processBuffer.remove(0, nl + 1);
        }
    });
    connect(p, &QProcess::finished, this, [this, id, p, tool, env](int code, QProcess::ExitStatus status) {
        p->deleteLater();
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        running->process = nullptr;
        if (!running->processBuffer.trimmed().isEmpty())
            log(running, QString::fromUtf8(running->processBuffer).trimmed(), QStringLiteral("stdout"));
        running->processBuffer.clear();
        if (cancelled(running) || status != QProcess::NormalExit || code != 0) {
            const bool wasCancelled = cancelled(running);
            step(running, QStringLiteral("compose"), wasCancelled ? StepState::Cancelled : StepState::Failed);
            // Whatever compose had started goes down again, and the log says so.
            ProcessSpec down;
            down.program = tool.program;
            down.arguments =
                tool.prefix + QStringList{QStringLiteral("-p"), running->repo.project, QStringLiteral("-f"),
                                          running->composeFile, QStringLiteral("down")};
            down.environment = env;
            down.workingDirectory = running->directory;
            down.timeoutMs = 120000;
            log(running,
                tr("Taking down what compose had started for project %1…").arg(running->repo.project));
            return runProcess(down, this, [this, id, wasCancelled, code](const ProcessResult &result) {
                Running *downed = m_jobs.value(id);
                if (!downed)
                    return;
                for (const QByteArray &line : result.output.trimmed().split('\n'))
                    if (!line.trimmed().isEmpty())
                        log(downed, QString::fromUtf8(line).trimmed(), QStringLiteral("stdout"));
                log(downed,
                    result.ok()
                        ? tr("Took down what compose had started for project %1.").arg(downed->repo.project)
                        : tr("Taking project %1 down again failed (%2): check its containers.")
                              .arg(downed->repo.project, result.timedOut ? tr("no answer within 120 s")
                                                         : result.started
                                                             ? tr("exit code %1").arg(result.exitCode)
                                                             : result.error),
                    result.ok() ? QStringLiteral("info") : QStringLiteral("error"));
                const QString where =
                    downed->repo.source == RepoDeploySpec::Source::Template
                        ? tr(" The clone stays in %1; the repository stays on GitHub.").arg(downed->directory)
                        : QString();
                finish(downed, wasCancelled ? JobState::Cancelled : JobState::Failed,
                       (wasCancelled ? tr("Cancelled during compose up.")
                                     : tr("compose up failed (exit code %1).").arg(code)) +
                           where);
            });
        }
        step(running, QStringLiteral("compose"), StepState::Done, running->repo.project);
        repoRoute(running);
    });
    p->start(tool.program, args);
}

void DeployService::repoRoute(Running *job)
{
    if (!job->repo.tunnelConnectionId) {
        step(job, QStringLiteral("route"), StepState::Skipped, tr("no tunnel chosen"));
        step(job, QStringLiteral("done"), StepState::Done);
        return finish(job, JobState::Succeeded, tr("Project %1 is up.").arg(job->repo.project));
    }
    step(job, QStringLiteral("route"), StepState::Running);
    // The port: the one asked for, else the first the project publishes.
    DockerRequest list;
    list.path = "/containers/json?all=1";
    list.what = tr("Listing the containers of project %1").arg(job->repo.project);
    if (!job->client) {
        job->client = new DockerClient(this);
        (void)job->client->configure(job->connection);
    }
    const qint64 id = job->job.id;
    job->client->request(list, this, [this, id](const HttpResponse &listed) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        int port = running->repo.routePort;
        if (!port && listed.ok())
            if (const auto containers = parseContainerList(listed.body))
                for (const Container &c : containers.value())
                    if (c.project == running->repo.project)
                        for (const PortBinding &p : c.ports)
                            if (p.publicPort && !port)
                                port = p.publicPort;
        if (!port) {
            step(running, QStringLiteral("route"), StepState::Failed);
            return finish(running, JobState::Failed,
                          tr("Project %1 is up but publishes no port to route: set the route's port.")
                              .arg(running->repo.project));
        }
        routeThroughTunnel(running, running->repo.tunnelConnectionId, running->repo.hostname, port,
                           tr("Project %1").arg(running->repo.project));
    });
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
    if (!tunnel->option(QStringLiteral("config_file")).isEmpty() || !tunnel->needsSecret())
        return applyWith(QString());
    SecretStore::instance()->read(tunnel->secretKey(), this, [applyWith](const Result<QString> &secret) {
        applyWith(secret ? secret.value() : QString());
    });
}

} // namespace opsdeck
