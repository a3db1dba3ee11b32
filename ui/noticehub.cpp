#include "ui/noticehub.h"

#include "models/connections/connectionsmodel.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/budgets/litellmservice.h"
#include "services/connections/connectionservice.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/images/registryservice.h"
#include "services/testruns/testrunsservice.h"
#include "ui/desktopnotifier.h"
#include "ui/panes/panes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace opsdeck {

NoticeHub::NoticeHub(DesktopNotifier *notifier, ConnectionsModel *connections,
                     ConnectionService *connectionService, const PaneContext &services, QObject *parent)
    : QObject(parent), m_notifier(notifier), m_connections(connections)
{
    if (DeployService *deploy = services.deploy)
        connect(deploy, &DeployService::jobFinished, this,
                [this](qint64 jobId, JobState state, const QString &message) {
                    if (state != JobState::Succeeded && state != JobState::Failed)
                        return; // stopped by the admin, or by Opsdeck closing
                    QSqlQuery q(Database::connection());
                    q.prepare(QStringLiteral("SELECT title FROM jobs WHERE id = ?"));
                    q.addBindValue(jobId);
                    const QString title =
                        q.exec() && q.next() ? q.value(0).toString() : tr("job %1").arg(jobId);
                    if (auto n = deployNotice(jobId, title, state == JobState::Succeeded, message))
                        send({*n});
                });
    // The connections that failed before this run are failing already: no notice until they work.
    connect(connections, &ConnectionsModel::loaded, this, &NoticeHub::seedFailing);
    seedFailing();
    if (connectionService)
        connect(connectionService, &ConnectionService::syncFinished, this, &NoticeHub::syncFinished);
    if (services.github)
        connect(services.github, &GitHubService::syncFinished, this, &NoticeHub::syncFinished);
    if (services.docker)
        connect(services.docker, &DockerService::syncFinished, this, &NoticeHub::syncFinished);
    if (services.registry)
        connect(services.registry, &RegistryService::syncFinished, this, &NoticeHub::syncFinished);
    if (LiteLLMService *budgets = services.budgets) {
        connect(budgets, &LiteLLMService::syncFinished, this, &NoticeHub::syncFinished);
        connect(budgets, &LiteLLMService::alertsRaised, this,
                [this](qint64 connectionId, const QStringList &texts, const QList<qint64> &ids) {
                    QList<std::pair<QString, QString>> alerts;
                    for (qsizetype i = 0; i < texts.size(); ++i)
                        alerts.append({QStringLiteral("alert:%1").arg(ids.value(i)), texts.at(i)});
                    const int row = m_connections->rowOfKey(connectionId);
                    send(budgetNotices(alerts, row >= 0 ? m_connections->connectionAt(row).name : QString()));
                });
    }
    if (TestRunsService *testruns = services.testruns)
        connect(testruns, &TestRunsService::newFailures, this,
                [this](qint64 runId, const QString &source, const QString &run, const QStringList &cases) {
                    if (auto n = testRunNotice(runId, source, run, cases))
                        send({*n});
                });
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(QLatin1String("workspace_image_requests")) ||
                    tables.contains(QLatin1String("workspace_state")))
                    readRequests();
            });
    readRequests(); // what the copy holds at start is no news
}

void NoticeHub::seedFailing()
{
    if (m_seeded || m_connections->rowCount() == 0)
        return;
    m_seeded = true;
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const ConnectionHealth::State state = m_connections->healthAt(row).state;
        if (state == ConnectionHealth::Offline || state == ConnectionHealth::Failed)
            (void)m_syncs.see(m_connections->connectionAt(row).id, QString(), false, QString());
    }
}

void NoticeHub::syncFinished(qint64 connectionId, const Outcome &outcome)
{
    const int row = m_connections->rowOfKey(connectionId);
    const QString name = row >= 0 ? m_connections->connectionAt(row).name : tr("A connection");
    if (auto n = m_syncs.see(connectionId, name, outcome.ok, outcome.message))
        send({*n});
}

void NoticeHub::readRequests()
{
    QSqlDatabase db = Database::connection();
    const QString me = actingLogin(db);
    QList<RequestSnapshot> now;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id, reference, project, requested_by, state, decided_by, answer "
                               "FROM workspace_image_requests")))
        return; // read again at the next announcement
    while (q.next())
        now.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                    q.value(6).toString()});
    // Who decides a request: a manager of its project, or image.approve on it (everywhere for a
    // global one), as the store decides (resources/workspace/postgres/007_images.sql).
    QHash<QString, QStringList> managers;
    if (q.exec(QStringLiteral("SELECT name, managers FROM workspace_projects")))
        while (q.next())
            managers.insert(
                q.value(0).toString(),
                QVariant(QJsonDocument::fromJson(q.value(1).toByteArray()).array().toVariantList())
                    .toStringList());
    const auto mayDecide = [&](const QString &project) {
        if (!project.isEmpty() && managers.value(project).contains(me))
            return true;
        const auto decided =
            decideActing(db, QStringLiteral("image.approve"),
                         project.isEmpty() ? QString() : QStringLiteral("project:") + project);
        return decided && decided->decision.allowed;
    };
    const QList<DesktopNotice> notices = m_requests.see(now, me, mayDecide);
    send(collapseNotices(notices, tr("%n image request(s) for you", nullptr, int(notices.size()))));
}

void NoticeHub::send(const QList<DesktopNotice> &notices)
{
    for (const DesktopNotice &n : notices)
        m_notifier->notify(n);
}

} // namespace opsdeck
