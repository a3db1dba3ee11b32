// What the parts of DeployService (deployservice.cpp, deployquick.cpp, deployrepo.cpp) share and
// nobody else uses: the state of a running job.
#pragma once

#include "models/core/jsonlines.h"
#include "models/deploy/job.h"
#include "models/docker/imagereference.h"
#include "services/deploy/deployservice.h"

#include <QLoggingCategory>
#include <QProcess>
#include <QTimer>

#include <atomic>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcDeploy)

namespace opsdeck {

struct DeployService::Running
{
    Job job;
    RepoDeploySpec repo;
    Connection github;
    QString token;
    QString directory; // where compose runs
    QString composeFile;
    QString branch;        // the repository's default branch, once GitHub names it
    int routeHostPort = 0; // the fixed host port the route points to, once chosen
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

} // namespace opsdeck
