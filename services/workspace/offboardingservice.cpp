#include "services/workspace/offboardingservice.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/store/auditlog.h"
#include "services/workspace/offboardingremote.h"
#include "services/workspace/workspaceservice.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcOffboarding, "opsdeck.offboarding", QtInfoMsg)

namespace opsdeck {

OffboardingService::OffboardingService(WorkspaceService *workspace, GitHubService *github,
                                       DockerService *docker, QObject *parent)
    : Service(parent), m_workspace(workspace), m_github(github), m_docker(docker)
{
    qRegisterMetaType<QList<opsdeck::OffboardingStep>>();
    // The other services answer on their threads; the answers are queued to this one.
    if (m_workspace)
        connect(m_workspace, &WorkspaceService::peopleChanged, this,
                [this](const QString &request, int applied, const QStringList &problems) {
                    if (auto f = m_waitingPeople.take(request))
                        f(applied, problems);
                });
    if (m_github) {
        connect(m_github, &GitHubService::memberRemoved, this,
                [this](quint64 request, const Outcome &outcome) {
                    if (auto f = m_waiting.take(request))
                        f(outcome);
                });
        connect(m_github, &GitHubService::runnerRemoved, this,
                [this](quint64 request, qint64, const Outcome &outcome) {
                    if (auto f = m_waiting.take(request))
                        f(outcome);
                });
    }
    if (m_docker)
        connect(m_docker, &DockerService::projectFinished, this,
                [this](quint64 request, const QString &, int done, int failed, const QString &failures) {
                    if (auto f = m_waitingProjects.take(request))
                        f(failed > 0 ? -failed : done, failures);
                });
}

Result<void> OffboardingService::permitted(const QString &login)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral("SELECT role FROM workspace_people WHERE login = ?"));
    q.addBindValue(login);
    const QString role = q.exec() && q.next() ? q.value(0).toString() : QStringLiteral("user");
    if (actingLogin(Database::connection()) == login)
        return makeError("permission.denied", tr("Nobody offboards themselves."));
    return checkActing(Database::connection(), QStringLiteral("user.manage"), QStringLiteral("role:") + role);
}

void OffboardingService::start(const QString &login, const QString &comment, quint64 requestId)
{
    const auto refuse = [this, requestId](const QString &why) {
        emit started(requestId, 0, why);
    };
    if (comment.trimmed().isEmpty())
        return refuse(
            tr("Say why %1 is offboarded: the comment goes into every step's audit event.").arg(login));
    if (auto allowed = permitted(login); !allowed)
        return refuse(allowed.message());
    const auto open = OffboardingStore::unfinished(Database::connection(), login);
    if (!open)
        return refuse(open.message());
    if (open->has_value())
        return refuse(tr("An offboarding of %1 is not finished yet: resume it instead.").arg(login));
    const auto plan = planOffboarding(Database::connection(), login);
    if (!plan)
        return refuse(plan.message());
    const auto id =
        OffboardingStore::start(login, comment.trimmed(), actingLogin(Database::connection()), plan.value());
    if (!id)
        return refuse(id.message());
    emit started(requestId, id.value(), {});
    // The steps planned as skipped are recorded (audited) now, like every other step.
    const auto o = OffboardingStore::load(Database::connection(), id.value());
    if (o)
        for (const OffboardingStep &s : o->steps)
            if (s.state == OffboardingState::skipped)
                recordStep(o.value(), s, s.state, s.detail);
    m_tried.remove(id.value());
    m_running.insert(id.value());
    runNext(id.value());
}

void OffboardingService::preview(const QString &login, quint64 requestId)
{
    const auto plan = planOffboarding(Database::connection(), login);
    emit previewed(requestId, plan ? plan.value() : QList<OffboardingStep>(),
                   plan ? QString() : plan.message());
}

void OffboardingService::resume(qint64 id, quint64 requestId)
{
    const auto o = OffboardingStore::load(Database::connection(), id);
    if (!o)
        return emit started(requestId, 0, o.message());
    if (m_running.contains(id))
        return emit started(requestId, 0, tr("The offboarding of %1 is running already.").arg(o->login));
    if (auto allowed = permitted(o->login); !allowed)
        return emit started(requestId, 0, allowed.message());
    emit started(requestId, id, {});
    m_tried.remove(id);
    m_running.insert(id);
    runNext(id);
}

void OffboardingService::runNext(qint64 id)
{
    const auto o = OffboardingStore::load(Database::connection(), id);
    if (!o) {
        qCWarning(lcOffboarding).noquote() << o.message();
        m_running.remove(id);
        return;
    }
    QSet<int> &tried = m_tried[id];
    for (const OffboardingStep &s : o->steps) {
        if (s.finished() || tried.contains(s.seq))
            continue;
        tried.insert(s.seq);
        if (auto r = OffboardingStore::setStep(id, s.seq, OffboardingState::running, {}); !r) {
            qCWarning(lcOffboarding).noquote() << r.message();
            break;
        }
        emit stepChanged(id, s.seq, OffboardingState::running, {});
        const Offboarding record = o.value();
        return runStep(record, s, [this, record, s](const QString &state, const QString &detail) {
            if (auto r = OffboardingStore::setStep(record.id, s.seq, state, detail); !r)
                qCWarning(lcOffboarding).noquote() << r.message();
            recordStep(record, s, state, detail);
            emit stepChanged(record.id, s.seq, state, detail);
            runNext(record.id);
        });
    }
    m_running.remove(id);
    m_tried.remove(id);
    const auto state = OffboardingStore::finish(id);
    emit finished(id, state ? state.value() : QStringLiteral("incomplete"));
}

void OffboardingService::recordStep(const Offboarding &o, const OffboardingStep &s, const QString &state,
                                    const QString &detail)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = AuditAction::userOffboard;
    e.backendIdentity = actingLogin(Database::connection());
    e.targetKind = QStringLiteral("person");
    e.targetId = o.login;
    e.targetName = o.login;
    e.comment = o.comment;
    e.connectionId = s.connectionId ? std::optional<qint64>(s.connectionId) : std::nullopt;
    e.outcome = state == OffboardingState::failed ? AuditOutcome::Failure : AuditOutcome::Success;
    e.details = QJsonObject{{QStringLiteral("offboarding"), o.id}, {QStringLiteral("step"), s.seq},
                            {QStringLiteral("kind"), s.kind},      {QStringLiteral("title"), s.title},
                            {QStringLiteral("target"), s.target},  {QStringLiteral("state"), state},
                            {QStringLiteral("detail"), detail}};
    if (auto r = AuditLog::record(e); !r)
        qCWarning(lcOffboarding).noquote() << "cannot write the audit log:" << r.message();
}

void OffboardingService::runStep(const Offboarding &o, const OffboardingStep &s, Done done)
{
    // What the copy knows of the person now.
    QString github;
    bool active = false;
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT github_login, active FROM workspace_people WHERE login = ?"));
        q.addBindValue(o.login);
        if (q.exec() && q.next()) {
            github = q.value(0).toString();
            active = q.value(1).toBool();
        }
    }
    const auto outcomeDone = [done](const QString &doneText) {
        return [done, doneText](const Outcome &outcome) {
            if (!outcome.ok)
                return done(OffboardingState::failed, outcome.message);
            done(OffboardingState::done, outcome.message.isEmpty() ? doneText : outcome.message);
        };
    };
    if (s.kind == OffboardingKind::workspace) {
        if (!active)
            return done(OffboardingState::done, tr("%1 is deactivated.").arg(o.login));
        if (!m_workspace)
            return done(OffboardingState::failed, tr("The workspace service is not running."));
        const QString request = QStringLiteral("offboarding-%1-%2").arg(o.id).arg(m_nextRequest++);
        m_waitingPeople.insert(request, [done, login = o.login](int applied, const QStringList &problems) {
            if (applied == 1)
                return done(OffboardingState::done,
                            tr("%1 is deactivated and can no longer sign in.").arg(login));
            done(OffboardingState::failed, problems.value(0));
        });
        PersonChange c;
        c.kind = PersonChange::Kind::Deactivate;
        c.login = o.login;
        c.comment = o.comment;
        QMetaObject::invokeMethod(m_workspace, "changePeople", Qt::QueuedConnection,
                                  Q_ARG(QList<opsdeck::PersonChange>, {c}), Q_ARG(QString, request));
        return;
    }
    if (s.kind == OffboardingKind::githubMember) {
        if (github.isEmpty())
            return done(OffboardingState::skipped,
                        tr("No GitHub login is linked to %1 in the workspace.").arg(o.login));
        if (!m_github)
            return done(OffboardingState::failed, tr("The GitHub service is not running."));
        const quint64 request = m_nextRequest++;
        m_waiting.insert(request, outcomeDone(tr("%1 is out of %2.").arg(github, s.target)));
        QMetaObject::invokeMethod(m_github, "removeMember", Qt::QueuedConnection, Q_ARG(quint64, request),
                                  Q_ARG(qint64, s.connectionId), Q_ARG(QString, s.target),
                                  Q_ARG(QString, github), Q_ARG(QString, o.comment));
        return;
    }
    if (s.kind == OffboardingKind::runnerDelete || s.kind == OffboardingKind::runnerBusy) {
        bool gone = true;
        bool busy = false;
        {
            QSqlQuery q(Database::connection());
            q.prepare(
                QStringLiteral("SELECT removed_at IS NOT NULL, busy FROM runners WHERE connection_id = ? AND "
                               "runner_id = ? ORDER BY removed_at IS NULL DESC LIMIT 1"));
            q.addBindValue(s.connectionId);
            q.addBindValue(s.target.toLongLong());
            if (q.exec() && q.next()) {
                gone = q.value(0).toBool();
                busy = q.value(1).toBool();
            }
        }
        if (gone)
            return done(OffboardingState::done, tr("Runner %1 is gone.").arg(s.target));
        if (busy) // recorded, and left to finish its job
            return done(
                OffboardingState::skipped,
                tr("Runner %1 is busy with a job: left to finish it, and recorded here. Remove it from the "
                   "Runners pane once it is idle.")
                    .arg(s.target));
        if (!m_github)
            return done(OffboardingState::failed, tr("The GitHub service is not running."));
        const quint64 request = m_nextRequest++;
        m_waiting.insert(request, outcomeDone(tr("Runner %1 is deleted.").arg(s.target)));
        QMetaObject::invokeMethod(m_github, "removeRunners", Qt::QueuedConnection, Q_ARG(quint64, request),
                                  Q_ARG(qint64, s.connectionId),
                                  Q_ARG(QList<qint64>, {s.target.toLongLong()}), Q_ARG(QString, o.comment));
        return;
    }
    if (s.kind == OffboardingKind::deploymentStop) {
        if (!m_docker)
            return done(OffboardingState::failed, tr("The Docker service is not running."));
        const quint64 request = m_nextRequest++;
        m_waitingProjects.insert(request, [done, project = s.target](int result, const QString &failures) {
            if (result < 0)
                return done(OffboardingState::failed, failures);
            done(OffboardingState::done, tr("%1: %n container(s) stopped.", nullptr, result).arg(project));
        });
        QMetaObject::invokeMethod(m_docker, "actProject", Qt::QueuedConnection, Q_ARG(quint64, request),
                                  Q_ARG(qint64, s.connectionId), Q_ARG(QString, s.target),
                                  Q_ARG(opsdeck::ContainerAction, ContainerAction::Stop));
        return;
    }
    // Harbor and LiteLLM: through the identity the workspace links to the person.
    if ((s.kind == OffboardingKind::harborMember || s.kind == OffboardingKind::litellmBlock) &&
        !s.target.isEmpty() && s.connectionId) {
        const auto c = ConnectionStore::byId(Database::connection(), s.connectionId);
        if (!c)
            return done(OffboardingState::failed, c.message());
        if (m_demo)
            return done(OffboardingState::failed, demoError().message);
        if (!m_remote)
            m_remote = new OffboardingRemote(this);
        const auto finish = [done](const Outcome &outcome) {
            done(outcome.ok ? OffboardingState::done : OffboardingState::failed, outcome.message);
        };
        if (s.kind == OffboardingKind::harborMember)
            m_remote->removeHarborMember(c.value(), s.target, finish);
        else
            m_remote->blockLiteLlmUser(c.value(), s.target, finish);
        return;
    }
    done(OffboardingState::skipped, s.detail.isEmpty() ? tr("Nothing of theirs to act on.") : s.detail);
}

} // namespace opsdeck
