// Compose deploys, from the compose file on: the checks before anything runs (the file as
// Opsdeck reads it, the tool's age, the route's service and port, the tool's own config check),
// compose up, and the route to the chosen port. Also the inspection the deploy dialog shows.
#include "services/deploy/deployservice.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/deploy/deployservice_p.h"

#include "models/docker/container.h"
#include "services/deploy/compose.h"
#include "services/net/asyncprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

namespace opsdeck {

void DeployService::inspectCompose(quint64 requestId, const QString &directory, const QString &file)
{
    ComposeInspection inspection;
    inspection.directory = directory;
    if (!QFileInfo(directory).isDir()) {
        inspection.error = tr("%1 is not a directory.").arg(directory);
        return emit composeInspected(requestId, inspection);
    }
    inspection.files = composeFilesIn(directory);
    const auto resolved = resolveComposeFile(directory, file);
    if (!resolved) {
        inspection.error = resolved.message();
        return emit composeInspected(requestId, inspection);
    }
    inspection.file = QDir(directory).relativeFilePath(resolved.value());
    const auto project = readComposeIn(directory, resolved.value(), QProcessEnvironment::systemEnvironment());
    if (!project) {
        inspection.error = project.message();
        return emit composeInspected(requestId, inspection);
    }
    inspection.candidates = routeCandidates(project.value());
    inspection.v2Only = project->v2Only;
    const auto proposal = chooseRoute(project.value(), QString(), 0);
    if (proposal)
        inspection.proposal = QStringLiteral("%1:%2").arg(proposal->service).arg(proposal->target);
    else
        inspection.proposalProblem = proposal.message();
    emit composeInspected(requestId, inspection);
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
        repoComposeCheck(running, tool.value(), env);
    });
}

void DeployService::repoComposeCheck(Running *job, const ComposeTool &tool, const QProcessEnvironment &env)
{
    // Everything that can be known before compose runs is checked first: the file as Opsdeck reads
    // it, whether the tool found can read it, and where the route will point.
    const auto failEarly = [this, job](const QString &why) {
        step(job, QStringLiteral("compose"), StepState::Failed, why);
        const QString where =
            job->repo.source == RepoDeploySpec::Source::Template
                ? tr(" The clone stays in %1; the repository stays on GitHub.").arg(job->directory)
                : QString();
        finish(job, JobState::Failed, tr("%1 Nothing was started.%2").arg(why, where));
    };
    const auto project = readComposeIn(job->directory, job->composeFile, env);
    if (!project)
        return failEarly(project.message());
    for (const QString &warning : project->warnings)
        log(job, warning, QStringLiteral("error"));
    if (auto usable = checkComposeTool(tool, project.value()); !usable)
        return failEarly(usable.message());
    // The image policy: every active service's image as compose resolves it; built ones are local.
    {
        QList<PolicyImage> images;
        for (const ComposeService &service : project->services)
            if (service.active)
                images << PolicyImage{service.name, service.image, service.build && service.image.isEmpty()};
        const auto found = ConnectionStore::byId(Database::connection(), job->job.connectionId);
        if (!found)
            return failEarly(found.message());
        const auto policy =
            enforceImagePolicy(images, job->repo.imageProject, job->repo.overrideComment, found.value(),
                               tr("the compose project %1").arg(job->repo.project));
        if (!policy)
            return failEarly(policy.message());
        // Kept with the job: the vulnerability gate's preview judges recent deploys by them.
        QJsonArray deployed;
        for (const PolicyImage &image : images)
            if (!image.builtLocally && !image.reference.isEmpty())
                deployed << image.reference;
        job->job.result.insert(QStringLiteral("images"), deployed);
        job->job.result.insert(QStringLiteral("image_project"), job->repo.imageProject);
        if (!policy->enforced)
            log(job, tr("The workspace keeps no image allowlist: the images are not checked."));
        else
            for (const PolicyVerdict &v : policy->verdicts)
                log(job, v.line(), v.allowed ? QStringLiteral("info") : QStringLiteral("error"));
    }
    if (job->repo.tunnelConnectionId && !(job->repo.routePort && job->repo.routeService.isEmpty())) {
        const auto route = chooseRoute(project.value(), job->repo.routeService, job->repo.routeTarget);
        if (!route) {
            QString fix = route.message();
            if (job->repo.routeService.isEmpty() && job->repo.source == RepoDeploySpec::Source::Template)
                fix += tr(
                    " To choose, deploy the clone again from Deploy with compose › From a local directory.");
            return failEarly(fix);
        }
        job->routeHostPort = route->port.publishedPort();
        // Remembered: a redeploy routes to the same service and port, even if the file changes.
        job->repo.routeService = route->service;
        job->repo.routeTarget = route->target;
        job->job.result.insert(QStringLiteral("route_service"), route->service);
        job->job.result.insert(QStringLiteral("route_target"), route->target);
        log(job, tr("The route will point to %1, container port %2, host port %3%4.")
                     .arg(route->service)
                     .arg(route->target)
                     .arg(job->routeHostPort)
                     .arg(route->why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(route->why)));
    }
    // The tool's own verdict on the file, before anything runs.
    ProcessSpec config;
    config.program = tool.program;
    config.arguments =
        tool.prefix + QStringList{QStringLiteral("-p"), job->repo.project,        QStringLiteral("-f"),
                                  job->composeFile,     QStringLiteral("config"), QStringLiteral("-q")};
    config.environment = env;
    config.workingDirectory = job->directory;
    config.timeoutMs = 60000;
    const qint64 id = job->job.id;
    runProcess(config, this, [this, id, tool, env, failEarly](const ProcessResult &checked) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        if (cancelled(running))
            return finish(running, JobState::Cancelled, tr("Cancelled before compose ran."));
        if (!checked.ok()) {
            const QString said = QString::fromUtf8(checked.output).trimmed().left(1200);
            return failEarly(tr("%1 (%2) refused %3: %4")
                                 .arg(tool.display(), tool.version,
                                      QDir(running->directory).relativeFilePath(running->composeFile),
                                      said.isEmpty()
                                          ? (checked.timedOut ? tr("no answer within 60 s") : checked.error)
                                          : said));
        }
        repoComposeUp(running, tool, env);
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
    if (job->routeHostPort)
        return routeThroughTunnel(job, job->repo.tunnelConnectionId, job->repo.hostname, job->routeHostPort,
                                  tr("Project %1").arg(job->repo.project));
    // A job from before route choices: its host port, else the first the project publishes.
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

} // namespace opsdeck
