// Deploy jobs on their own worker thread: each deploy is a job with steps, a state, a live log
// and a duration, persisted in the cache (models/job.h). Quick services: validate (image grammar,
// image policy, name, ports, environment names), pull with progress from /images/create, create,
// start. Cancel works at every step; what a cancelled or failed job had already made is removed
// or named in its log. Audited at start (deploy.start) and end (deploy.finish).
#pragma once

#include "models/connections/connection.h"
#include "models/deploy/job.h"
#include "models/images/imagepolicy.h"
#include "services/connections/connectionservice.h"
#include "services/deploy/compose.h"
#include "services/docker/dockerclient.h"
#include "services/servicehost.h"

#include <QHash>
#include <QTimer>

namespace opsdeck {

struct QuickServiceSpec
{
    qint64 connectionId = 0;
    QString image;
    QString name;          // empty: inferred from the image, made unique with -2, -3, …
    int containerPort = 0; // 0: publish nothing
    int hostPort = 0;      // 0: chosen automatically (free on the host, not published by a container)
    QString command;       // optional, split into arguments (no shell)
    QList<std::pair<QString, QString>> env;
    QString restart = QStringLiteral("unless-stopped"); // no, always, unless-stopped, on-failure
    QList<std::pair<QString, QString>> labels;
    qint64 tunnelConnectionId = 0; // optional: route hostname -> the host port through this tunnel
    QString hostname;
    QString imageProject;    // the workspace project whose allowlist entries apply (empty: global ones)
    QString overrideComment; // non-empty: deploy even if the image policy refuses (image.override)

    // For the job record and Redeploy: environment values stay out (they may be secrets).
    QJsonObject toJson() const;
    static QuickServiceSpec fromJson(const QJsonObject &json);
};

// A deploy with compose: from a GitHub template (generate, wait, clone into the workspace), from
// a local repository or directory, or from a compose file; then compose up, then optionally a
// tunnel route to the published port.
struct RepoDeploySpec
{
    enum class Source { Template, LocalDirectory };
    Source source = Source::Template;
    qint64 dockerConnectionId = 0;
    qint64 githubConnectionId = 0;
    QString templateRepository; // owner/name
    QString owner;              // of the new repository
    QString name;               // the new repository (sanitised to lower-case and hyphens)
    bool isPrivate = true;
    QString directory; // LocalDirectory: a directory with a compose file
    QString project;   // compose project name; empty: the repository's or directory's name
    qint64 tunnelConnectionId = 0;
    QString hostname;        // the route's hostname, with a tunnel connection
    int routePort = 0;       // jobs before route choices: a host port given directly
    QString composeFile;     // relative to the repository or directory; empty: compose.yaml & co.
    QString routeService;    // the service and container port the route points to; empty: the
    int routeTarget = 0;     // service and port that serve HTTP (chooseRoute), refused when unclear
    QString imageProject;    // the workspace project whose allowlist entries apply (empty: global ones)
    QString overrideComment; // non-empty: deploy even if the image policy refuses (image.override)

    QJsonObject toJson() const;
    static RepoDeploySpec fromJson(const QJsonObject &json);
};
Result<void> validateRepoDeploy(const RepoDeploySpec &spec);

// What the deploy dialog shows of a directory's compose project.
struct ComposeInspection
{
    QString directory;
    QStringList files;                // compose files to choose from
    QString file;                     // the one read (relative)
    QString error;                    // why it could not be read, for people
    QList<RouteCandidate> candidates; // best first
    QString proposal;                 // "service:port" of chooseRoute's proposal, if any
    QString proposalProblem;          // why there is none
    QStringList v2Only;
};

// Validates everything a quick service needs before anything runs; names each rule it applies.
Result<void> validateQuickService(const QuickServiceSpec &spec);

// The image policy before a deploy runs (models/images/imagepolicy.h), read from this thread's cache:
// refused ("image.policy", naming each image and its rule) unless every image is allowed, or an
// override comment is given and the person acting holds image.override (then audited as such).
// what: the deploy, for messages and the audit event.
Result<PolicyCheck> enforceImagePolicy(const QList<PolicyImage> &images, const QString &project,
                                       const QString &overrideComment, const Connection &host,
                                       const QString &what);
// The first port from preferred up that no container publishes and, when checkLocal, that can be
// bound on this machine (the engine is local).
int choosePort(int preferred, const QSet<int> &published, bool checkLocal);
bool portFreeHere(int port);

class DeployService : public Service
{
    Q_OBJECT
public:
    explicit DeployService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }
    // Where template repositories are cloned (under Opsdeck's data directory); nothing is written
    // outside it.
    void setWorkspace(const QString &directory) { m_workspace = directory; }

public slots:
    void initialize() override;
    void shutdown() override;
    void quickService(quint64 requestId, const opsdeck::QuickServiceSpec &spec);
    void repoDeploy(quint64 requestId, const opsdeck::RepoDeploySpec &spec);
    void cancel(qint64 jobId);
    // Runs the job's spec again as a new job (quick services: with the environment values of this
    // session; after a restart, enter them again).
    void redeploy(quint64 requestId, qint64 jobId);
    // Reads the compose project of a directory for the deploy dialog: the files it offers, and the
    // route candidates of `file` (empty: the standard names). Answers with composeInspected.
    void inspectCompose(quint64 requestId, const QString &directory, const QString &file);

signals:
    void jobStarted(quint64 requestId, qint64 jobId);
    void jobProgress(qint64 jobId, int percent, const QString &text);
    void jobFinished(qint64 jobId, opsdeck::JobState state, const QString &message,
                     const QJsonObject &result);
    void refused(quint64 requestId, const opsdeck::Outcome &outcome);
    void composeInspected(quint64 requestId, const opsdeck::ComposeInspection &inspection);

private:
    struct Running;
    // Whether the person acting on this desktop may deploy to c; a refusal is audited (deploy.start,
    // failure) and sent to the window as refused(requestId). Asked before any job or remote call.
    bool refusedByPermissions(quint64 requestId, const Connection &c, const QString &what);
    // The job recorded as running; null with the reason in error when the cache refuses it.
    Running *startJob(const QString &kind, const QString &title, qint64 connectionId, const QJsonObject &spec,
                      const QList<JobStep> &steps, Error *error);
    void step(Running *job, const QString &stepId, StepState state, const QString &detail = {});
    void log(Running *job, const QString &text, const QString &stream = QStringLiteral("info"));
    void flushLog(Running *job);
    void finish(Running *job, JobState state, const QString &message);
    bool cancelled(Running *job) const;
    void runQuick(Running *job, const Connection &c, QuickServiceSpec spec);
    void quickChecked(Running *job, const HttpResponse &listed);
    void pullProgress(Running *job, const QByteArray &data);
    void quickPulled(Running *job, const HttpResponse &pulled);
    void quickCreated(Running *job, const HttpResponse &created);
    void removeCreated(Running *job, JobState state, const QString &why);
    void checkRepositoryFree(Running *job, const QString &token);
    void repoComposeCheck(Running *job, const ComposeTool &tool, const QProcessEnvironment &env);
    void repoComposeUp(Running *job, const ComposeTool &tool, const QProcessEnvironment &env);
    void repoGenerate(Running *job);
    void repoWait(Running *job, int attempt);
    void repoClone(Running *job);
    void repoCompose(Running *job);
    void repoRoute(Running *job);
    void routeThroughTunnel(Running *job, qint64 tunnelId, const QString &hostname, int port,
                            const QString &what);
    Result<QString> secretFor(const Connection &c);

    QHash<qint64, Running *> m_jobs;
    QHash<qint64, QList<std::pair<QString, QString>>> m_env; // job -> environment, this session only
    bool m_demo = false;
    QString m_workspace;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::QuickServiceSpec)
Q_DECLARE_METATYPE(opsdeck::RepoDeploySpec)
Q_DECLARE_METATYPE(opsdeck::ComposeInspection)
Q_DECLARE_METATYPE(opsdeck::JobState)
