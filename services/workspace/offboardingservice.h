// Runs offboardings (models/workspace/offboarding.h) on its own thread: each step through the
// service that owns the system (the workspace service deactivates, the GitHub service removes
// memberships and runners, the Docker service stops projects; each checks permissions and audits
// its own action), one step at a time, recorded in the cache as it goes, with one user.offboard
// audit event per step: done, failed or skipped. A failed step does not stop the others; resume()
// runs again what is not done, after a failure or a restart, and never repeats a done step.
#pragma once

#include "models/workspace/offboarding.h"
#include "services/connections/connectionservice.h"
#include "services/servicehost.h"

#include <QHash>
#include <QSet>

#include <functional>

namespace opsdeck {

class DockerService;
class OffboardingRemote;
class GitHubService;
class WorkspaceService;

class OffboardingService : public Service
{
    Q_OBJECT
public:
    OffboardingService(WorkspaceService *workspace, GitHubService *github, DockerService *docker,
                       QObject *parent = nullptr);

public slots:
    // Plans the offboarding of login from the cache, records it and runs it. Refused (started with
    // id 0 and the reason) without user.manage over the person, without a comment, or while one of
    // theirs is unfinished (resume that one).
    void start(const QString &login, const QString &comment, quint64 requestId);
    // The plan for login, from this thread's cache connection (it reads their runners and
    // deployments): previewed answers, with the steps or why there are none.
    void preview(const QString &login, quint64 requestId);
    // Runs again every step of offboarding id that is not done or skipped.
    void resume(qint64 id, quint64 requestId);
    // The demo: steps on Harbor and LiteLLM are refused like every other service's calls there.
    void setDemoMode(bool demo) { m_demo = demo; }

signals:
    void previewed(quint64 requestId, const QList<opsdeck::OffboardingStep> &steps, const QString &problem);
    void started(quint64 requestId, qint64 offboardingId, const QString &problem);
    void stepChanged(qint64 offboardingId, int seq, const QString &state, const QString &detail);
    // state: done or incomplete.
    void finished(qint64 offboardingId, const QString &state);

private:
    using Done = std::function<void(const QString &state, const QString &detail)>;
    void runNext(qint64 id);
    void runStep(const Offboarding &o, const OffboardingStep &step, Done done);
    void recordStep(const Offboarding &o, const OffboardingStep &step, const QString &state,
                    const QString &detail);
    Result<void> permitted(const QString &login);

    WorkspaceService *m_workspace;
    GitHubService *m_github;
    DockerService *m_docker;
    OffboardingRemote *m_remote = nullptr; // Harbor and LiteLLM, on this thread
    QHash<qint64, QSet<int>> m_tried;      // steps run in the current pass, by offboarding
    QSet<qint64> m_running;
    quint64 m_nextRequest = 1;
    bool m_demo = false;
    // Answers of the other services, by the request id this service gave them.
    QHash<quint64, std::function<void(const Outcome &)>> m_waiting;
    QHash<QString, std::function<void(int, const QStringList &)>> m_waitingPeople;
    QHash<quint64, std::function<void(int, const QString &)>> m_waitingProjects;
};

} // namespace opsdeck
