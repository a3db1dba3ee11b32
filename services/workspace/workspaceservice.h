// The workspace on its own thread. By default the local store (SQLite in the data directory, one
// admin who is its superuser); once the desktop joins a team, the team store on PostgreSQL, signed
// in as the person, LISTENing for the store's change announcements (opsdeck_workspace).
//
// People and grants are copied into the local cache in one transaction, so the window reads them
// like any other cached data, offline too. When the team store stops answering, the copy stays,
// marked with its age, and the service keeps trying to sign in again with backoff.
//
// The audit outbox: this desktop's own hash chain (the cache's local audit events) is appended to
// the team store in order, in batches of one transaction each, starting after the newest event
// the store holds from this desktop, so that every event arrives exactly once, also after the
// store or the desktop stopped mid-way. The other desktops' events are pulled into the cache as
// imported events (source "team:DESKTOP", the person as the actor), for offline review
// (services/workspace/teamaudit.h).
#pragma once

#include "models/budgets/budgetrecordchange.h"
#include "models/budgets/overflow.h"
#include "models/images/imagechange.h"
#include "models/testruns/teamrecords.h"
#include "models/workspace/accessreview.h"
#include "models/workspace/grantchange.h"
#include "models/workspace/personchange.h"
#include "services/servicehost.h"
#include "services/workspace/workspacestore.h"

#include <QDateTime>
#include <QSet>

#include <memory>

class QTimer;

namespace opsdeck {

namespace Tables {
inline const QString workspacePeople = QStringLiteral("workspace_people");
inline const QString workspaceGrants = QStringLiteral("workspace_grants");
inline const QString workspaceState = QStringLiteral("workspace_state");
inline const QString workspaceRunnerOwners = QStringLiteral("workspace_runner_owners");
} // namespace Tables

class WorkspaceService : public Service
{
    Q_OBJECT
public:
    explicit WorkspaceService(QObject *parent = nullptr);
    ~WorkspaceService() override;
    // How often a silent store is asked whether it still answers (default 5 s).
    void setHealthInterval(int ms) { m_healthMs = ms; }
    // Events per transaction when the outbox is sent (default 500).
    void setAuditBatch(int events) { m_auditBatch = qMax(1, events); }

public slots:
    void shutdown() override;
    // The local store at path, with login as its one superuser (created on first use).
    void openLocal(const QString &path, const QString &login);
    // Joins the team store at url as its login, with secret: a password, or the keychain's secret of
    // a credential (WorkspaceCredential::toSecret: a password or a client certificate); empty:
    // libpq's PGPASSWORD / .pgpass. desktopId names this desktop's hash chain in the store. A first join
    // (test) that cannot sign in is given up, and says why in joinFinished; a rejoin at start-up keeps
    // trying.
    void joinTeam(const opsdeck::WorkspaceUrl &url, const QString &secret, const QString &desktopId,
                  bool test = false);
    // Leaves the team workspace: forgets its copy, and goes back to the local store at localPath.
    void leave(const QString &localPath, const QString &login);
    // Reads the store again now.
    void sync();
    // Changes people, one after the other, as the person acting on this desktop. Each change is
    // checked against the copy's grants first (user.manage on the roles it is about), then made in
    // the store, which has the last word, and audited on its own, refused or not: a batch of
    // deactivations is one audit event per person. With the store offline, every change is refused.
    void changePeople(const QList<opsdeck::PersonChange> &changes, const QString &requestId);
    // Adds and revokes grants, one after the other, as the person acting on this desktop: each
    // checked against the copy first (models/workspace/grantchange.h, mayChangeGrant), then made in
    // the store, which has the last word, and audited on its own (grant.add, grant.revoke), refused
    // or not. A revocation needs only the grant's id; the copy supplies the rest. Progress and the
    // outcome come as peopleProgress and peopleChanged.
    void changeGrants(const QList<opsdeck::GrantChange> &changes, const QString &requestId);
    // Changes the image records (models/images/imagechange.h), one after the other, as the person
    // acting here: each checked first, then made in the store, which decides who may (project
    // managers, image.allow, image.approve), and audited on its own, refused or not. The copy
    // follows; imagesChanged ends it.
    void changeImages(const QList<opsdeck::ImageChange> &changes, const QString &requestId);
    // A bulk import (models/images/allowimport.h) for project: planned again against the store's
    // entries and this cache's synced registries, then every new entry in one transaction or none;
    // each entry audited as image.allow with its source. imagesChanged ends it.
    void importImages(const QString &content, const QString &project, const QString &defaultReason,
                      const QDateTime &expires, const QString &source, const QString &requestId);
    // Records that the person acting here has (or has not) finished the first-run introduction,
    // in the store (each person only their own); introductionRecorded says how it went.
    void setIntroductionDone(bool done);
    // The demo: a local store in the demo's data directory, seeded once from the demo team that the
    // cache holds, shown under that team's address; alice acts (services/store/demoworkspace.cpp).
    void openDemo(const QString &path);
    // Signs an access review off (models/workspace/accessreview.h): a superuser only, refused
    // before the store is asked otherwise; one user.review audit event per decision and one for the
    // sign-off. reviewFinished ends it.
    void signOffReview(const QString &comment, const QList<opsdeck::ReviewDecision> &decisions,
                       const QString &requestId);
    // Changes the budget records (models/budgets/budgetrecordchange.h), one after the other, as the
    // person acting here: each checked first, then made in the store, which decides who may
    // (budget.policy, budget.settle on the connection), and audited on its own with the value before
    // and after, refused or not. The copy follows; budgetRecordsChanged ends it.
    void changeBudgetRecords(const QList<opsdeck::BudgetRecordChange> &changes, const QString &requestId);
    // What a LiteLLM sync saw past an account's budget, accrued in the overflow ledger (the figures
    // only grow within a period). Refusals are logged, not shown: the next sync tries again.
    void recordOverflow(const QList<opsdeck::OverflowObservation> &seen);
    // Changes the shared test-run records (models/testruns/teamrecords.h): a source's settings and
    // notifications, a mock. Each checked first, then made in the store, which decides who may
    // (testrun.source on source:NAME, testrun.mock on mock:NAME), and audited with the value before
    // and after, refused or not. The copy follows; testRunRecordsChanged ends it.
    void changeTestRunRecords(const QList<opsdeck::TestRunRecordChange> &changes, const QString &requestId);
    // Publishes the signed records of runs imported on this desktop (testrun.record on the source),
    // in one testrun.publish audit event. With the store offline they wait until it answers again.
    // testRunsPublished ends each attempt.
    void publishTestRuns(const QList<opsdeck::TeamRunRecord> &records);

signals:
    // online: the store answers; message says what is wrong when it does not; syncedAt: the copy's age.
    void stateChanged(bool online, const QString &message, const QDateTime &syncedAt);
    void joinFinished(bool ok, const QString &message);
    // The copy was brought up to date: how many people and grants were copied (a read after an
    // announcement copies only the tables it names, and counts 0 for the others).
    void synced(int people, int grants);
    // Local audit events not yet in the team store.
    void outboxChanged(qint64 pending);
    void peopleProgress(const QString &requestId, int done, int total);
    // applied: how many changes were made; problems: what was refused, one line a change.
    void peopleChanged(const QString &requestId, int applied, const QStringList &problems);
    void reviewFinished(const QString &requestId, bool ok, const QString &message);
    void introductionRecorded(bool ok, const QString &message);
    // applied: how many changes were made; problems: what was refused, one line a change.
    void imagesChanged(const QString &requestId, int applied, const QStringList &problems);
    void budgetRecordsChanged(const QString &requestId, int applied, const QStringList &problems);
    void testRunRecordsChanged(const QString &requestId, int applied, const QStringList &problems);
    // published: new in the store; already: the same record was there; waiting: kept for when the
    // store answers again; problems: what was refused, one line a run.
    void testRunsPublished(int published, int already, int waiting, const QStringList &problems);
    // Runs other desktops published that the copy did not hold before (TestRunsService adopts them).
    void teamRunsArrived(const QList<opsdeck::TeamRunRecord> &records);
    // The copy of the team's test-run sources or mocks changed (TestRunsService applies them).
    void teamTestSettingsChanged();

private:
    void ensureTimers();
    void connectNow();
    void wentOffline(const QString &why);
    // Empty while the store answers a small question; otherwise why it does not.
    QString storeSilence() const;
    // Copies the store's records into the cache: all of them, or those of the named store tables.
    Result<void> copyToCache(const QSet<QString> &tables = {});
    void syncTables(const QSet<QString> &tables);
    void writeState(bool online, const QString &problem);
    void forgetCopy();
    void recordMembership(const QString &action);
    // Sends the outbox and pulls the other desktops' events (services/workspace/teamaudit.h).
    void exchangeAudit();
    void recordPushed(qint64 through);
    Result<void> changePerson(const PersonChange &change);
    Result<qint64> changeGrant(GrantChange change);
    Result<qint64> changeImage(const ImageChange &change);
    Result<qint64> changeBudgetRecord(BudgetRecordChange change);
    Result<void> changeTestRunRecord(TestRunRecordChange change);
    // Publishes what waits; problems: what was refused before the store was asked, said with the rest.
    void flushPublished(QStringList problems = {});
    Result<void> seedDemoStore();
    Result<void> seedDemoImages(QSqlDatabase store);
    // Runners this person provisioned from this desktop that the store does not name them the owner
    // of yet are recorded there; true when any were.
    bool recordOwnedRunners();
    // Label policies saved on this desktop and not yet in the store are sent there, each as the
    // person (the store checks policy.update on the connection); true when any was. One the store
    // refuses is audited as refused and given up, so that the workspace's policy applies again;
    // with the store offline they wait.
    bool sendPendingPolicies();

    WorkspaceUrl m_url;
    QString m_secret;
    QString m_desktopId;
    QString m_login;   // the person acting on this desktop
    QString m_address; // what workspace_state shows
    bool m_joined = false;
    bool m_online = false;
    bool m_testing = false;
    std::unique_ptr<WorkspaceStore> m_store;
    QTimer *m_health = nullptr;
    QTimer *m_retry = nullptr;
    QTimer *m_coalesce = nullptr;
    QTimer *m_auditSoon = nullptr;
    QTimer *m_ownersSoon = nullptr;
    int m_failures = 0;
    int m_healthMs = 5000;
    int m_auditBatch = 500;
    int m_generation = 0; // names each connection uniquely
    QDateTime m_syncedAt;
    QSet<QString> m_changed;            // store tables announced since the last read
    QString m_shownKind;                // the demo shows its local store as the team it stands for
    QString m_demoAddress;              // and under that team's address
    QList<TeamRunRecord> m_unpublished; // waiting for the store to answer
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::WorkspaceUrl)
