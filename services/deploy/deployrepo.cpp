// DeployService, the repository path: a GitHub template generated, waited for and cloned, or a
// local directory, then compose up with the connection's engine.
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
#include <QRegularExpression>
#include <QTcpServer>
#include <QtConcurrent/QtConcurrentRun>

namespace opsdeck {

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
            {QStringLiteral("route_port"), routePort},
            {QStringLiteral("compose_file"), composeFile},
            {QStringLiteral("route_service"), routeService},
            {QStringLiteral("route_target"), routeTarget},
            {QStringLiteral("image_project"), imageProject}};
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
    s.composeFile = o.value(QLatin1String("compose_file")).toString();
    s.routeService = o.value(QLatin1String("route_service")).toString();
    s.routeTarget = o.value(QLatin1String("route_target")).toInt();
    s.imageProject = o.value(QLatin1String("image_project")).toString();
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
        if (auto file = resolveComposeFile(spec.directory, spec.composeFile); !file)
            return file.error();
    }
    if (!spec.composeFile.isEmpty()) {
        // Inside the repository or directory, as -f gets it: relative, no "..".
        static const QRegularExpression relative(
            QStringLiteral("\\A(?!/)(?!.*(?:^|/)\\.\\.(?:/|$))[^\\x00]{1,255}\\z"));
        if (!relative.match(spec.composeFile).hasMatch())
            return makeError(
                "compose.file",
                QObject::tr("\"%1\" is not a file inside the repository: give its path relative to "
                            "the repository, without \"..\".")
                    .arg(spec.composeFile));
    }
    if (!spec.routeService.isEmpty()) {
        static const QRegularExpression name(QStringLiteral("\\A[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}\\z"));
        if (!name.match(spec.routeService).hasMatch())
            return makeError(
                "compose.route-service",
                QObject::tr("\"%1\" is not a compose service name: letters, digits, '_', '.' or '-'.")
                    .arg(spec.routeService));
        if (spec.routeTarget < 0 || spec.routeTarget > 65535)
            return makeError(
                "port.range",
                QObject::tr("The container port %1 is not a port: use 1 to 65535.").arg(spec.routeTarget));
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
    if (refusedByPermissions(requestId, docker.value(),
                             fromTemplate ? spec.owner + QLatin1Char('/') + spec.name : spec.directory))
        return;
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
        job->composeFile = resolveComposeFile(job->directory, spec.composeFile).value();
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
    // GitHub creates the repository, then copies the template's content into it, in the background.
    // Ready means what GitHub documents: the repository answers with its default branch, and that
    // branch has a commit (asked of git itself, as a clone would; "size" stays 0 for small
    // repositories). Asked again with backoff (1, 2, 4, 8 s …, about a minute in all).
    if (attempt == 0)
        step(job, QStringLiteral("wait"), StepState::Running);
    const qint64 id = job->job.id;
    const auto notReady = [this, id, attempt](const QString &why) {
        Running *running = m_jobs.value(id);
        if (!running)
            return;
        if (attempt >= 6) {
            step(running, QStringLiteral("wait"), StepState::Failed, why);
            return finish(running, JobState::Failed,
                          tr("%1/%2 was created on GitHub but was not ready within a minute (%3): it is left "
                             "there. Deploy it again once it shows its files on GitHub.")
                              .arg(running->repo.owner, running->repo.name, why));
        }
        const int delay = 1000 << attempt;
        log(running, tr("Not ready yet (%1); asking again in %2 s.").arg(why).arg(delay / 1000));
        QTimer::singleShot(delay, this, [this, id, attempt] {
            if (Running *again = m_jobs.value(id))
                repoWait(again, attempt + 1);
        });
    };
    HttpRequest r;
    r.url = apiUrl(job->github.endpoint, QStringLiteral("/repos/%1/%2").arg(job->repo.owner, job->repo.name));
    r.what = tr("Waiting for %1/%2").arg(job->repo.owner, job->repo.name);
    r.maxRetries = 0;
    job->http->send(r, this, [this, id, notReady](const HttpResponse &response) {
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
        if (!repo)
            return notReady(repo.message());
        if (!repo->hasDefaultBranch())
            return notReady(tr("no default branch yet"));
        if (running->job.result.value(QLatin1String("clone_url")).toString().isEmpty()) {
            if (const auto usable = checkCloneUrl(repo->cloneUrl, running->github.endpoint); !usable) {
                step(running, QStringLiteral("wait"), StepState::Failed, usable.message());
                return finish(running, JobState::Failed, usable.message());
            }
            running->job.result.insert(QStringLiteral("clone_url"), repo->cloneUrl);
        }
        running->branch = repo->defaultBranch;
        // libgit2 blocks: the question runs on a pool thread, like the clone.
        RemoteBranchOptions options;
        options.url = running->job.result.value(QLatin1String("clone_url")).toString();
        options.token = running->token;
        options.branch = repo->defaultBranch;
        options.cancel = running->stop.get();
        auto watcher = new QFutureWatcher<Result<QString>>(this);
        connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, id, watcher, notReady] {
            watcher->deleteLater();
            Running *again = m_jobs.value(id);
            if (!again)
                return;
            if (cancelled(again))
                return finish(again, JobState::Cancelled,
                              tr("Cancelled while waiting: the repository %1/%2 was created on GitHub and is "
                                 "left there.")
                                  .arg(again->repo.owner, again->repo.name));
            const Result<QString> commit = watcher->result();
            if (!commit)
                return notReady(commit.message());
            if (commit->isEmpty())
                return notReady(tr("its branch %1 has no commit yet").arg(again->branch));
            log(again, tr("%1 is at %2.").arg(again->branch, commit->left(12)));
            step(again, QStringLiteral("wait"), StepState::Done);
            repoClone(again);
        });
        watcher->setFuture(QtConcurrent::run([options] { return remoteBranchCommit(options); }));
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
    options.branch = job->branch;
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
        const auto file = resolveComposeFile(running->directory, running->repo.composeFile);
        if (!file) {
            step(running, QStringLiteral("compose"), StepState::Failed, file.message());
            return finish(running, JobState::Failed,
                          tr("%1 The repository was cloned to %2; nothing was started.")
                              .arg(file.message(), running->directory));
        }
        running->composeFile = file.value();
        repoCompose(running);
    });
    watcher->setFuture(QtConcurrent::run([options] { return cloneRepository(options); }));
}

} // namespace opsdeck
