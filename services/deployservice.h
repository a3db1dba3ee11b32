// Deploy jobs on their own worker thread: each deploy is a job with steps, a state, a live log
// and a duration, persisted in the cache (models/job.h). Quick services: validate (image grammar,
// image policy, name, ports, environment names), pull with progress from /images/create, create,
// start. Cancel works at every step; what a cancelled or failed job had already made is removed
// or named in its log. Audited at start (deploy.start) and end (deploy.finish).
#pragma once

#include "connection.h"
#include "connectionservice.h"
#include "dockerclient.h"
#include "job.h"
#include "servicehost.h"

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

    // For the job record and Redeploy: environment values stay out (they may be secrets).
    QJsonObject toJson() const;
    static QuickServiceSpec fromJson(const QJsonObject &json);
};

// Validates everything a quick service needs before anything runs; names each rule it applies.
Result<void> validateQuickService(const QuickServiceSpec &spec);
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

public slots:
    void initialize() override;
    void shutdown() override;
    void quickService(quint64 requestId, const opsdeck::QuickServiceSpec &spec);
    void cancel(qint64 jobId);
    // Runs the job's spec again as a new job (quick services: with the environment values of this
    // session; after a restart, enter them again).
    void redeploy(quint64 requestId, qint64 jobId);

signals:
    void jobStarted(quint64 requestId, qint64 jobId);
    void jobProgress(qint64 jobId, int percent, const QString &text);
    void jobFinished(qint64 jobId, opsdeck::JobState state, const QString &message,
                     const QJsonObject &result);
    void refused(quint64 requestId, const opsdeck::Outcome &outcome);

private:
    struct Running;
    Running *startJob(const QString &kind, const QString &title, qint64 connectionId, const QJsonObject &spec,
                      const QList<JobStep> &steps);
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

    QHash<qint64, Running *> m_jobs;
    QHash<qint64, QList<std::pair<QString, QString>>> m_env; // job -> environment, this session only
    bool m_demo = false;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::QuickServiceSpec)
Q_DECLARE_METATYPE(opsdeck::JobState)
