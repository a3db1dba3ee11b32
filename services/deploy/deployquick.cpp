// DeployService, the quick-service path: one image pulled with progress, a container created and
// started on a free or given port, removed again when the job does not finish.
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
#include "services/connections/probes.h"
#include "services/connections/secretstore.h"
#include "services/deploy/compose.h"
#include "services/deploy/gitclone.h"
#include "services/github/githubapptoken.h"
#include "services/net/asyncprocess.h"
#include "services/store/auditlog.h"
#include "services/tunnel/tunnelroutes.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QProcess>
#include <QTcpServer>
#include <QtConcurrent/QtConcurrentRun>

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
            {QStringLiteral("hostname"), hostname},
            {QStringLiteral("image_project"), imageProject}};
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
    s.imageProject = o.value(QLatin1String("image_project")).toString();
    return s;
}

Result<void> validateQuickService(const QuickServiceSpec &spec)
{
    const auto ref = parseImageReference(spec.image);
    if (!ref)
        return ref.error();
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

void DeployService::quickService(quint64 requestId, const QuickServiceSpec &spec)
{
    if (m_demo) {
        // The demo judges the image as a deploy would (its allowlist and gate), then runs nothing.
        if (spec.overrideComment.trimmed().isEmpty())
            if (const auto policy =
                    enforceImagePolicy({PolicyImage{QString(), spec.image, false}}, spec.imageProject,
                                       QString(), Connection(), tr("the quick service %1").arg(spec.image));
                !policy)
                return emit refused(requestId, Outcome::failure(policy.error()));
        return emit refused(requestId, Outcome::failure(demoError()));
    }
    auto found = ConnectionStore::byId(Database::connection(), spec.connectionId);
    if (!found || found->kind != ConnectionKind::Docker)
        return emit refused(
            requestId, Outcome::failure(found ? makeError("deploy.connection", tr("Choose a Docker host."))
                                              : found.error()));
    const Connection c = found.value();
    if (refusedByPermissions(requestId, c, tr("Quick service %1").arg(spec.image)))
        return;
    // The image policy, before anything is recorded or run.
    const auto policy =
        enforceImagePolicy({PolicyImage{QString(), spec.image, false}}, spec.imageProject,
                           spec.overrideComment, c, tr("the quick service %1").arg(spec.image));
    if (!policy) {
        AuditEvent refusedEvent = connectionEvent(c, AuditAction::deployStart, QStringLiteral("job"),
                                                  QString(), tr("Quick service %1").arg(spec.image));
        refusedEvent.outcome = AuditOutcome::Failure;
        refusedEvent.details = QJsonObject{{QStringLiteral("error"), policy.message()}};
        if (auto r = AuditLog::record(refusedEvent); !r)
            qCWarning(lcDeploy).noquote() << "cannot write the audit log:" << r.message();
        return emit refused(requestId, Outcome::failure(policy.error()));
    }
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
    labels.insert(QStringLiteral("opsdeck.owner"), job->job.requestedBy);
    // Whose allowlist entries the image was checked against: the Exposure view checks it the same way.
    if (!spec.imageProject.isEmpty())
        labels.insert(QStringLiteral("opsdeck.image-project"), spec.imageProject);
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

} // namespace opsdeck
