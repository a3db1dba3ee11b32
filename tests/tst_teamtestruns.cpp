// The test-run records a team shares through its workspace (workspace schema 10): the pure checks,
// what of a desktop's source is shared, both stores' rules (a source keeps its kind, a published
// record never changes), who may change what on the team store (PostgreSQL 15), and the workspace
// service's audited changes, publishing and the copy in the cache.
#include "models/store/database.h"
#include "models/testruns/goldensuite.h"
#include "models/testruns/runrecord.h"
#include "models/testruns/teamrecords.h"
#include "models/workspace/grantchange.h"
#include "models/workspace/personchange.h"
#include "postgrestestbed.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunsservice.h"
#include "services/testruns/testrunstore.h"
#include "services/workspace/grantchanges.h"
#include "services/workspace/peoplechanges.h"
#include "services/workspace/testrunrecords.h"
#include "services/workspace/workspaceservice.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace opsdeck;

class TestTeamTestRuns : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void checks_data();
    void checks();
    void sharedDetail();
    void recordsOnBothStores_data();
    void recordsOnBothStores();
    void whoMayChangeAndPublish();
    void serviceAuditsAndPublishes();
    void importedRunsArePublished();
    void publishedRunsAdopted();
    void teammatesShareRuns();
    void settingsAreTheTeams();
    void teamKeyTakenOver();
    void publishingOutlastsADroppedConnection();
    void earlierRunsArePublished();

private:
    QTemporaryDir m_dir;
    PostgresTestbed m_pg;
    bool m_pgStarted = false;
};

namespace {
const QByteArray key(32, 'k');

TeamRunRecord runRecord(const QString &source, const QString &run, CaseOutcome outcome = CaseOutcome::Passed,
                        const QByteArray &signingKey = key)
{
    RunRecord r;
    r.source = source;
    r.run = run;
    r.branch = QStringLiteral("main");
    r.startedAt = QDateTime(QDate(2026, 12, 1), QTime(3, 0), Qt::UTC);
    r.totals.tests = 1;
    r.totals.passed = outcome == CaseOutcome::Passed ? 1 : 0;
    r.totals.failed = outcome == CaseOutcome::Failed ? 1 : 0;
    r.cases = {
        {QStringLiteral("api"), QStringLiteral("Orders"), QStringLiteral("creates"), outcome, false, 12}};
    TeamRunRecord t;
    t.source = source;
    t.runKey = run;
    t.record = canonicalRunRecord(r);
    t.signature = signRunRecord(r, signingKey).value();
    t.keyId = runSigningKeyId(signingKey);
    t.desktop = QStringLiteral("desk-1");
    return t;
}

TeamTestSource source(const QString &name, const QString &kind = QStringLiteral("golden"))
{
    TeamTestSource s;
    s.name = name;
    s.kind = kind;
    s.detail = QJsonObject{{QStringLiteral("base_url"), QStringLiteral("http://payments-mock:8080")},
                           {QStringLiteral("mock"), QStringLiteral("payments")}};
    s.slack = NotifyWhen::NewFailures;
    return s;
}

TeamMock mock(const QString &name)
{
    TeamMock m;
    m.name = name;
    m.url = QStringLiteral("http://payments-mock:8080");
    m.healthPath = QStringLiteral("/health");
    m.intervalSec = 30;
    m.dockerConnection = QStringLiteral("local podman");
    m.container = QStringLiteral("pay-mock");
    return m;
}

PersonChange newUser(const QString &login)
{
    PersonChange add;
    add.kind = PersonChange::Kind::Add;
    add.login = login;
    add.role = QStringLiteral("user");
    return add;
}

QString queryText(const QString &sql)
{
    QSqlQuery q(Database::connection());
    return q.exec(sql) && q.next() ? q.value(0).toString() : QStringLiteral("<none>");
}
} // namespace

void TestTeamTestRuns::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestTeamTestRuns::cleanupTestCase()
{
    m_pg.stop();
    Database::close();
}

void TestTeamTestRuns::checks_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("error"); // "" : accepted
    QTest::addColumn<QString>("says");
    QTest::newRow("source") << "source"
                            << ""
                            << "";
    QTest::newRow("source unnamed") << "source-unnamed"
                                    << "testrun.team"
                                    << "needs a name";
    QTest::newRow("source padded") << "source-padded"
                                   << "testrun.team"
                                   << "without spaces around";
    QTest::newRow("source kind") << "source-kind"
                                 << "testrun.team"
                                 << "not a kind of test-run source";
    QTest::newRow("git credentials") << "source-secret"
                                     << "testrun.team"
                                     << "carries credentials";
    QTest::newRow("jira without site") << "source-jira"
                                       << "testrun.team"
                                       << "https address";
    QTest::newRow("jira project") << "source-project"
                                  << "testrun.team"
                                  << "project key";
    QTest::newRow("mock") << "mock"
                          << ""
                          << "";
    QTest::newRow("mock url") << "mock-url"
                              << "validation.url"
                              << "http or https";
    QTest::newRow("mock container") << "mock-container"
                                    << "validation.container"
                                    << "Docker connection";
    QTest::newRow("mock interval") << "mock-interval"
                                   << "validation.range"
                                   << "5 seconds";
    QTest::newRow("record") << "record"
                            << ""
                            << "";
    QTest::newRow("record of another run") << "record-other"
                                           << "testrun.team"
                                           << "not an opsdeck-run/1";
    QTest::newRow("record not json") << "record-garbage"
                                     << "testrun.team"
                                     << "not an opsdeck-run/1";
    QTest::newRow("record signature") << "record-signature"
                                      << "testrun.team"
                                      << "64 lowercase hex";
    QTest::newRow("record key id") << "record-keyid"
                                   << "testrun.team"
                                   << "without its key id";
    QTest::newRow("record size") << "record-size"
                                 << "testrun.team-size"
                                 << "stays on this desktop";
}

void TestTeamTestRuns::checks()
{
    QFETCH(QString, what);
    QFETCH(QString, error);
    QFETCH(QString, says);
    Result<void> r;
    TeamTestSource s = source(QStringLiteral("payments"));
    TeamMock m = mock(QStringLiteral("payments"));
    TeamRunRecord rec = runRecord(QStringLiteral("payments"), QStringLiteral("r1"));
    if (what == QLatin1String("source"))
        r = checkTeamSource(s);
    else if (what == QLatin1String("source-unnamed"))
        r = checkTeamSource(source(QString()));
    else if (what == QLatin1String("source-padded"))
        r = checkTeamSource(source(QStringLiteral(" payments")));
    else if (what == QLatin1String("source-kind"))
        r = checkTeamSource(source(QStringLiteral("p"), QStringLiteral("jenkins")));
    else if (what == QLatin1String("source-secret")) {
        s.detail.insert(QStringLiteral("git_url"),
                        QStringLiteral("https://bot:ghp_secret@git.example/suites.git"));
        r = checkTeamSource(s);
    } else if (what == QLatin1String("source-jira")) {
        s.jira = NotifyWhen::FailedRun;
        s.jiraProject = QStringLiteral("OPS");
        r = checkTeamSource(s);
    } else if (what == QLatin1String("source-project")) {
        s.jira = NotifyWhen::FailedRun;
        s.jiraSite = QStringLiteral("https://acme.atlassian.net");
        s.jiraProject = QStringLiteral("ops team");
        r = checkTeamSource(s);
    } else if (what == QLatin1String("mock"))
        r = checkTeamMock(m);
    else if (what == QLatin1String("mock-url")) {
        m.url = QStringLiteral("ftp://payments");
        r = checkTeamMock(m);
    } else if (what == QLatin1String("mock-container")) {
        m.dockerConnection.clear();
        r = checkTeamMock(m);
    } else if (what == QLatin1String("mock-interval")) {
        m.intervalSec = 2;
        r = checkTeamMock(m);
    } else if (what == QLatin1String("record"))
        r = checkTeamRunRecord(rec);
    else if (what == QLatin1String("record-other")) {
        rec.runKey = QStringLiteral("r2");
        r = checkTeamRunRecord(rec);
    } else if (what == QLatin1String("record-garbage")) {
        rec.record = "{\"format\":";
        r = checkTeamRunRecord(rec);
    } else if (what == QLatin1String("record-signature")) {
        rec.signature = "ABC";
        r = checkTeamRunRecord(rec);
    } else if (what == QLatin1String("record-keyid")) {
        rec.keyId.clear();
        r = checkTeamRunRecord(rec);
    } else if (what == QLatin1String("record-size")) {
        rec.record = QByteArray(teamRecordMaxBytes + 1, ' ');
        r = checkTeamRunRecord(rec);
    }
    if (error.isEmpty()) {
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
        return;
    }
    QVERIFY(!r);
    QCOMPARE(r.error().code, error);
    QVERIFY2(r.message().contains(says), qPrintable(r.message()));
}

void TestTeamTestRuns::sharedDetail()
{
    // A golden suite's git address loses its credentials, its mock goes by name; a GitHub source
    // keeps its repository and pattern; nothing else of the desktop's detail goes along.
    const QJsonObject golden{
        {QStringLiteral("folder"), QStringLiteral("cases")},
        {QStringLiteral("git_url"), QStringLiteral("https://bot:s3cret@git.example/suites.git")},
        {QStringLiteral("git_ref"), QStringLiteral("main")},
        {QStringLiteral("base_url"), QStringLiteral("http://127.0.0.1:8080/api")},
        {QStringLiteral("concurrency"), 4},
        {QStringLiteral("timeout_ms"), 5000},
        {QStringLiteral("mock_id"), 7},
        {QStringLiteral("token"), QStringLiteral("never")}};
    const QJsonObject shared =
        sharedSourceDetail(QStringLiteral("golden"), golden, {}, QStringLiteral("payments"));
    QCOMPARE(shared.value(QLatin1String("git_url")).toString(),
             QStringLiteral("https://git.example/suites.git"));
    QCOMPARE(shared.value(QLatin1String("mock")).toString(), QStringLiteral("payments"));
    QVERIFY(!shared.contains(QLatin1String("mock_id")));
    QVERIFY(!shared.contains(QLatin1String("token")));
    QCOMPARE(shared.value(QLatin1String("timeout_ms")).toInt(), 5000);
    QVERIFY(!QJsonDocument(shared).toJson().contains("s3cret"));
    TeamTestSource s = source(QStringLiteral("payments"));
    s.detail = shared;
    QVERIFY(checkTeamSource(s));

    const QJsonObject github{{QStringLiteral("repo"), QStringLiteral("acme/api")},
                             {QStringLiteral("artifacts"), QStringLiteral("junit-*")},
                             {QStringLiteral("cursor"), 99}};
    const QJsonObject sharedGithub =
        sharedSourceDetail(QStringLiteral("github"), github, QStringLiteral("gh-prod"), {});
    QCOMPARE(sharedGithub, (QJsonObject{{QStringLiteral("repo"), QStringLiteral("acme/api")},
                                        {QStringLiteral("artifacts"), QStringLiteral("junit-*")},
                                        {QStringLiteral("connection"), QStringLiteral("gh-prod")}}));
    QCOMPARE(sharedSourceDetail(QStringLiteral("files"), github, {}, {}), QJsonObject());

    // A key is named without being given away, and two keys are told apart.
    QCOMPARE(runSigningKeyId(key).size(), 16);
    QVERIFY(runSigningKeyId(key) != runSigningKeyId(QByteArray(32, 'j')));
    QVERIFY(!QByteArray(key).toHex().contains(runSigningKeyId(key).toLatin1()));
}

void TestTeamTestRuns::recordsOnBothStores_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestTeamTestRuns::recordsOnBothStores()
{
    QFETCH(QString, kind);
    if (kind == QLatin1String("team") && !m_pgStarted) {
        QString why;
        const auto started = m_pg.start(m_dir.path(), &why);
        if (started == PostgresTestbed::Start::Missing) {
            OPSDECK_REQUIRE_COMPONENT(false, QStringLiteral("PostgreSQL 15"));
        }
        QVERIFY2(started == PostgresTestbed::Start::Ok, qPrintable(why));
        m_pgStarted = true;
    }
    auto alice = m_pg.storeWithSuperuser(kind, QStringLiteral("testruns-") + kind, m_dir.path(),
                                         QStringLiteral("alice"));
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));

    // Sources: set, set again in place, a kind that cannot change, removed.
    QVERIFY(TestRunRecords::setSource(*alice, source(QStringLiteral("payments"))));
    TeamTestSource changed = source(QStringLiteral("payments"));
    changed.jira = NotifyWhen::FailedRun;
    changed.jiraSite = QStringLiteral("https://acme.atlassian.net");
    changed.jiraProject = QStringLiteral("OPS");
    const auto again = TestRunRecords::setSource(*alice, changed);
    QVERIFY2(again, again ? "" : qPrintable(again.message()));
    const auto otherKind =
        TestRunRecords::setSource(*alice, source(QStringLiteral("payments"), QStringLiteral("files")));
    QVERIFY(!otherKind);
    QVERIFY2(otherKind.message().contains(QLatin1String("is a golden source, not files")),
             qPrintable(otherKind.message()));
    QVERIFY(TestRunRecords::setSource(*alice, source(QStringLiteral("api tests"), QStringLiteral("files"))));
    QCOMPARE(TestRunRecords::removeSource(*alice, QStringLiteral("api tests")).value(), true);
    QCOMPARE(TestRunRecords::removeSource(*alice, QStringLiteral("api tests")).value(), false);
    const auto sources = TestRunRecords::sources(*alice);
    QVERIFY2(sources, sources ? "" : qPrintable(sources.message()));
    QCOMPARE(sources->size(), 1);
    QCOMPARE(sources->first().jira, NotifyWhen::FailedRun);
    QCOMPARE(sources->first().slack, NotifyWhen::NewFailures);
    QCOMPARE(sources->first().jiraProject, QStringLiteral("OPS"));
    QCOMPARE(sources->first().detail.value(QLatin1String("mock")).toString(), QStringLiteral("payments"));
    QCOMPARE(sources->first().updatedBy, QStringLiteral("alice"));
    QVERIFY(sources->first().updatedAt.isValid());

    // Mocks.
    QVERIFY(TestRunRecords::setMock(*alice, mock(QStringLiteral("payments"))));
    TeamMock moved = mock(QStringLiteral("payments"));
    moved.url = QStringLiteral("https://mocks.internal/payments");
    QVERIFY(TestRunRecords::setMock(*alice, moved));
    QVERIFY(TestRunRecords::setMock(*alice, mock(QStringLiteral("ledger"))));
    QCOMPARE(TestRunRecords::removeMock(*alice, QStringLiteral("ledger")).value(), true);
    const auto mocks = TestRunRecords::mocks(*alice);
    QVERIFY(mocks);
    QCOMPARE(mocks->size(), 1);
    QCOMPARE(mocks->first().url, QStringLiteral("https://mocks.internal/payments"));
    QCOMPARE(mocks->first().dockerConnection, QStringLiteral("local podman"));
    QCOMPARE(mocks->first().intervalSec, 30);

    // Run records: new, the same bytes again, other bytes under the same key refused.
    const TeamRunRecord r1 = runRecord(QStringLiteral("payments"), QStringLiteral("r1"));
    QCOMPARE(TestRunRecords::publish(*alice, r1).value(), true);
    QCOMPARE(TestRunRecords::publish(*alice, r1).value(), false);
    const auto rewritten = TestRunRecords::publish(
        *alice, runRecord(QStringLiteral("payments"), QStringLiteral("r1"), CaseOutcome::Failed));
    QVERIFY(!rewritten);
    QCOMPARE(rewritten.error().code, QStringLiteral("workspace.exists"));
    QVERIFY2(rewritten.message().contains(QLatin1String("never changes")), qPrintable(rewritten.message()));
    TeamRunRecord unsignedRun = runRecord(QStringLiteral("payments"), QStringLiteral("r2"));
    unsignedRun.signature.clear();
    unsignedRun.keyId.clear();
    QCOMPARE(TestRunRecords::publish(*alice, unsignedRun).value(), true);

    // The copy: everything the first time, then only the difference.
    Database::connection().exec(QStringLiteral("DELETE FROM workspace_testrun_records"));
    auto copy = TestRunRecords::read(*alice, true, true, true, {});
    QVERIFY2(copy, copy ? "" : qPrintable(copy.message()));
    QCOMPARE(copy->newRecords->size(), 2);
    {
        CacheTransaction tx;
        QVERIFY(tx.begin());
        QVERIFY(TestRunRecords::writeCopy(tx.db(), copy.value()));
        QVERIFY(tx.commit());
    }
    QCOMPARE(queryText(QStringLiteral("SELECT jira_project FROM workspace_testrun_sources")),
             QStringLiteral("OPS"));
    QCOMPARE(queryText(QStringLiteral("SELECT container FROM workspace_testrun_mocks")),
             QStringLiteral("pay-mock"));
    QCOMPARE(queryText(QStringLiteral("SELECT record FROM workspace_testrun_records WHERE run_key = 'r1'")),
             QString::fromUtf8(r1.record));
    QCOMPARE(queryText(QStringLiteral("SELECT key_id FROM workspace_testrun_records WHERE run_key = 'r1'")),
             runSigningKeyId(key));
    QCOMPARE(
        queryText(QStringLiteral("SELECT published_by FROM workspace_testrun_records WHERE run_key = 'r2'")),
        QStringLiteral("alice"));
    const auto held = TestRunRecords::readCopiedKeys(Database::connection());
    QVERIFY(held);
    QCOMPARE(held->size(), 2);
    QVERIFY(TestRunRecords::publish(*alice, runRecord(QStringLiteral("payments"), QStringLiteral("r3"))));
    QSet<TestRunRecords::RunKey> stale = held.value();
    stale.insert({QStringLiteral("payments"), QStringLiteral("gone")});
    copy = TestRunRecords::read(*alice, false, false, true, stale);
    QVERIFY(copy);
    QVERIFY(!copy->sources && !copy->mocks);
    QCOMPARE(copy->newRecords->size(), 1);
    QCOMPARE(copy->newRecords->first().runKey, QStringLiteral("r3"));
    QCOMPARE(copy->goneRecords,
             (QList<TestRunRecords::RunKey>{{QStringLiteral("payments"), QStringLiteral("gone")}}));

    // What was copied verifies with the key it was signed with, as it came.
    const QByteArray copied =
        queryText(QStringLiteral("SELECT record FROM workspace_testrun_records WHERE run_key = 'r1'"))
            .toUtf8();
    QCOMPARE(copied, r1.record);
}

void TestTeamTestRuns::whoMayChangeAndPublish()
{
    // On the team store the store decides: a user publishes runs by default but changes no source
    // or mock; a grant on another source does not reach this one; testrun.source on source:NAME does.
    if (!m_pgStarted)
        QSKIP("PostgreSQL did not start in recordsOnBothStores");
    QString database;
    auto alice = m_pg.storeWithSuperuser(QStringLiteral("team"), QStringLiteral("testruns-who"), m_dir.path(),
                                         QStringLiteral("alice"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(*alice, newUser(QStringLiteral("pam"))));
    auto pam = m_pg.as(QStringLiteral("pam"), database, QStringLiteral("testruns-who-pam"));
    QVERIFY(pam);

    const auto published =
        TestRunRecords::publish(*pam, runRecord(QStringLiteral("payments"), QStringLiteral("p1")));
    QVERIFY2(published, published ? "" : qPrintable(published.message()));
    QVERIFY(published.value());
    // A record that claims another run is refused by the store itself, whatever the desktop checked.
    QSqlQuery forged(pam->db());
    forged.prepare(QStringLiteral("SELECT opsdeck_testrun_record_publish(?, ?, ?, '', '', '')"));
    forged.addBindValue(QStringLiteral("payments"));
    forged.addBindValue(QStringLiteral("p9"));
    forged.addBindValue(
        QString::fromUtf8(runRecord(QStringLiteral("payments"), QStringLiteral("p1")).record));
    QVERIFY(!forged.exec());
    QVERIFY2(forged.lastError().databaseText().contains(QLatin1String("does not say it is run p9")),
             qPrintable(forged.lastError().databaseText()));
    // Nor can the table be written around the functions.
    QSqlQuery direct(pam->db());
    QVERIFY(!direct.exec(QStringLiteral("UPDATE testrun_records SET record = '{}'")));

    auto refused = TestRunRecords::setSource(*pam, source(QStringLiteral("payments")));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QStringLiteral("workspace.denied"));
    QVERIFY2(refused.message().contains(QLatin1String("pam may not change the test-run source payments")),
             qPrintable(refused.message()));
    QCOMPARE(TestRunRecords::setMock(*pam, mock(QStringLiteral("payments"))).error().code,
             QStringLiteral("workspace.denied"));

    const auto grant = [&](const QString &action, const QString &scope, bool allow = true) {
        GrantChange g;
        g.grant.subjectKind = QStringLiteral("person");
        g.grant.subject = QStringLiteral("pam");
        g.grant.action = action;
        g.grant.scope = scope;
        g.grant.allow = allow;
        QVERIFY(validateGrantChange(g));
        const auto r = GrantChanges::apply(*alice, g);
        QVERIFY2(r, r ? "" : qPrintable(r.message()));
    };
    grant(QStringLiteral("testrun.source"), QStringLiteral("source:ledger"));
    QCOMPARE(TestRunRecords::setSource(*pam, source(QStringLiteral("payments"))).error().code,
             QStringLiteral("workspace.denied"));
    grant(QStringLiteral("testrun.source"), QStringLiteral("source:payments"));
    const auto set = TestRunRecords::setSource(*pam, source(QStringLiteral("payments")));
    QVERIFY2(set, set ? "" : qPrintable(set.message()));
    QCOMPARE(TestRunRecords::sources(*alice)->first().updatedBy, QStringLiteral("pam"));
    // testrun.source does not reach mocks; testrun.mock on the mock does.
    QCOMPARE(TestRunRecords::setMock(*pam, mock(QStringLiteral("payments"))).error().code,
             QStringLiteral("workspace.denied"));
    grant(QStringLiteral("testrun.mock"), QStringLiteral("mock:payments"));
    QVERIFY(TestRunRecords::setMock(*pam, mock(QStringLiteral("payments"))));
    // A deny on a source stops publishing there.
    grant(QStringLiteral("testrun.record"), QStringLiteral("source:payments"), false);
    const auto denied =
        TestRunRecords::publish(*pam, runRecord(QStringLiteral("payments"), QStringLiteral("p2")));
    QVERIFY(!denied);
    QCOMPARE(denied.error().code, QStringLiteral("workspace.denied"));
    QVERIFY2(denied.message().contains(QLatin1String("pam may not publish runs of payments")),
             qPrintable(denied.message()));
}

void TestTeamTestRuns::serviceAuditsAndPublishes()
{
    // Through the workspace service on the local store: changes audited with before and after, a
    // refused one audited as refused; runs published before the store opens wait, then go, and the
    // copy follows; the same runs again are "already there"; a record the store would refuse is
    // said at once.
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    host.startAll();
    QSignalSpy publishedSpy(service, &WorkspaceService::testRunsPublished);
    const QList<TeamRunRecord> runs{
        runRecord(QStringLiteral("payments"), QStringLiteral("s1")),
        runRecord(QStringLiteral("payments"), QStringLiteral("s2"), CaseOutcome::Failed)};
    QMetaObject::invokeMethod(service, [service, runs] { service->publishTestRuns(runs); });
    QTRY_COMPARE_WITH_TIMEOUT(publishedSpy.size(), 1, 10000);
    QCOMPARE(publishedSpy.at(0).at(0).toInt(), 0);
    QCOMPARE(publishedSpy.at(0).at(2).toInt(), 2); // waiting for a store

    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("service-local.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(publishedSpy.size(), 2, 10000);
    QCOMPARE(publishedSpy.at(1).at(0).toInt(), 2);
    QCOMPARE(publishedSpy.at(1).at(2).toInt(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        queryText(
            QStringLiteral("SELECT COUNT(*) FROM workspace_testrun_records WHERE run_key IN ('s1', 's2')")),
        QStringLiteral("2"), 10000);
    QCOMPARE(queryText(QStringLiteral("SELECT desktop FROM workspace_testrun_records WHERE run_key = 's1'")),
             QStringLiteral("desk-1"));

    // Again: already there. A record of another run: refused at once, audited.
    TeamRunRecord forged = runRecord(QStringLiteral("payments"), QStringLiteral("s3"));
    forged.runKey = QStringLiteral("s4");
    QMetaObject::invokeMethod(service,
                              [service, runs, forged] { service->publishTestRuns(runs + QList{forged}); });
    QTRY_COMPARE_WITH_TIMEOUT(publishedSpy.size(), 3, 10000);
    QCOMPARE(publishedSpy.at(2).at(0).toInt(), 0);
    QCOMPARE(publishedSpy.at(2).at(1).toInt(), 2);
    QCOMPARE(publishedSpy.at(2).at(3).toStringList().size(), 1);
    QCOMPARE(
        queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.publish' AND "
                                 "outcome = 'success'")),
        QStringLiteral("1"));
    QCOMPARE(
        queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.publish' AND "
                                 "outcome = 'failure'")),
        QStringLiteral("1"));
    const QJsonObject firstPublish =
        QJsonDocument::fromJson(queryText(QStringLiteral("SELECT details FROM audit_events WHERE action = "
                                                         "'testrun.publish' ORDER BY id LIMIT 1"))
                                    .toUtf8())
            .object();
    QCOMPARE(firstPublish.value(QLatin1String("published")).toArray(),
             (QJsonArray{QStringLiteral("payments/s1"), QStringLiteral("payments/s2")}));

    // Changes: a source and a mock set, the source set again (the event has what was before), a
    // removal of what is not there refused.
    const auto change = [&](const QList<TestRunRecordChange> &changes) {
        QSignalSpy done(service, &WorkspaceService::testRunRecordsChanged);
        QMetaObject::invokeMethod(
            service, [service, changes] { service->changeTestRunRecords(changes, QStringLiteral("r")); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 15000);
        }();
        return done.isEmpty() ? QVariantList() : done.first();
    };
    TestRunRecordChange setSource;
    setSource.source = source(QStringLiteral("payments"));
    TestRunRecordChange setMock;
    setMock.kind = TestRunRecordChange::Kind::SetMock;
    setMock.mock = mock(QStringLiteral("payments"));
    TestRunRecordChange removeNothing;
    removeNothing.kind = TestRunRecordChange::Kind::RemoveMock;
    removeNothing.mock.name = QStringLiteral("ledger");
    TestRunRecordChange bad = setSource;
    bad.source.kind = QStringLiteral("jenkins");
    QVariantList done = change({setSource, setMock, removeNothing, bad});
    QCOMPARE(done.at(1).toInt(), 2);
    QCOMPARE(done.at(2).toStringList().size(), 2);
    QVERIFY2(done.at(2).toStringList().first().contains(QLatin1String("no shared mock ledger")),
             qPrintable(done.at(2).toStringList().first()));
    QTRY_COMPARE_WITH_TIMEOUT(queryText(QStringLiteral("SELECT slack_when FROM workspace_testrun_sources")),
                              QStringLiteral("new-failures"), 10000);
    QCOMPARE(queryText(QStringLiteral("SELECT url FROM workspace_testrun_mocks")),
             QStringLiteral("http://payments-mock:8080"));
    setSource.source.slack = NotifyWhen::Off;
    done = change({setSource});
    QCOMPARE(done.at(1).toInt(), 1);
    const QJsonObject details =
        QJsonDocument::fromJson(queryText(QStringLiteral("SELECT details FROM audit_events WHERE action = "
                                                         "'testrun.source.set' AND outcome = 'success' "
                                                         "ORDER BY id DESC"))
                                    .toUtf8())
            .object();
    QCOMPARE(details.value(QLatin1String("before")).toObject().value(QLatin1String("slack")).toString(),
             QStringLiteral("new-failures"));
    QCOMPARE(details.value(QLatin1String("after")).toObject().value(QLatin1String("slack")).toString(),
             QStringLiteral("off"));
    QCOMPARE(
        queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action IN ('testrun.source.set', "
                                 "'testrun.mock.remove') AND outcome = 'failure'")),
        QStringLiteral("2"));
    host.stopAll();
}

void TestTeamTestRuns::importedRunsArePublished()
{
    // Reports imported through the test-runs service reach the workspace's records in one batch, as
    // the cache holds them with the signature they were stored with; a run changed in the cache
    // afterwards goes out as it is now, under its old signature, so that it shows as tampered.
    SecretStore::keepInMemory(RunSigningKey::keychainKey, QString::fromLatin1(key.toBase64()));
    ServiceHost host;
    auto *workspace = host.add(new WorkspaceService, QStringLiteral("workspace"));
    auto *testRuns = host.add(new TestRunsService, QStringLiteral("testruns"));
    connect(testRuns, &TestRunsService::runsToPublish, workspace, &WorkspaceService::publishTestRuns);
    host.startAll();
    QSignalSpy state(workspace, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("publish-local.sqlite"));
    QMetaObject::invokeMethod(workspace,
                              [workspace, path] { workspace->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->setPublishing(true); });

    QTemporaryDir reports;
    for (int i = 0; i < 2; ++i) {
        QFile f(reports.filePath(QStringLiteral("r%1.xml").arg(i)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("<testsuite name=\"s\" timestamp=\"2026-12-0%1T10:00:00Z\"><testcase "
                               "classname=\"c\" name=\"n%1\" time=\"0.5\"/></testsuite>")
                    .arg(i + 1)
                    .toUtf8());
    }
    QSignalSpy published(workspace, &WorkspaceService::testRunsPublished);
    QSignalSpy finished(testRuns, &TestRunsService::importFinished);
    ImportJob job;
    job.paths = {reports.path()};
    job.source = QStringLiteral("nightly");
    QMetaObject::invokeMethod(testRuns, [testRuns, job] { testRuns->importReports(5, job); });
    QVERIFY(finished.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 1, 10000);
    QCOMPARE(published.first().at(0).toInt(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(
        queryText(QStringLiteral("SELECT COUNT(*) FROM workspace_testrun_records WHERE source = 'nightly'")),
        QStringLiteral("2"), 10000);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT w.record, w.signature, r.signature, r.run_key FROM workspace_testrun_records w "
        "JOIN test_runs r ON r.run_key = w.run_key WHERE w.source = 'nightly'")));
    while (q.next()) {
        const QJsonObject o = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
        QCOMPARE(o.value(QLatin1String("source")).toString(), QStringLiteral("nightly"));
        QCOMPARE(o.value(QLatin1String("run")).toString(), q.value(3).toString());
        QCOMPARE(o.value(QLatin1String("cases")).toArray().size(), 1);
        QCOMPARE(q.value(1).toString(), q.value(2).toString()); // the stored signature, not a new one
        // Signed with the key of this desktop, over exactly the bytes published.
        QCOMPARE(q.value(1).toString(),
                 QString::fromLatin1(QMessageAuthenticationCode::hash(q.value(0).toString().toUtf8(), key,
                                                                      QCryptographicHash::Sha256)
                                         .toHex()));
    }

    // Changed in the cache after it was signed: published as the cache has it, with the old signature.
    QVERIFY(Database::connection()
                .exec(QStringLiteral("UPDATE test_runs SET failed = 1, passed = 0 WHERE run_key = "
                                     "(SELECT MIN(run_key) FROM test_runs WHERE source_id = "
                                     "(SELECT id FROM test_sources WHERE name = 'nightly'))"))
                .lastError()
                .type() == QSqlError::NoError);
    const qint64 changed =
        queryText(QStringLiteral("SELECT id FROM test_runs WHERE failed = 1 AND source_id = "
                                 "(SELECT id FROM test_sources WHERE name = 'nightly')"))
            .toLongLong();
    const auto record = TestRunStore::publishableRecord(Database::connection(), changed, key);
    QVERIFY2(record, record ? "" : qPrintable(record.message()));
    QVERIFY(record->record.contains("\"failed\":1"));
    QCOMPARE(QString::fromLatin1(record->signature),
             queryText(QStringLiteral("SELECT signature FROM test_runs WHERE id = %1").arg(changed)));
    QCOMPARE(record->keyId, runSigningKeyId(key));
    QVERIFY(QMessageAuthenticationCode::hash(record->record, key, QCryptographicHash::Sha256).toHex() !=
            record->signature);
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
    host.stopAll();
}

void TestTeamTestRuns::publishedRunsAdopted()
{
    // A teammate's record becomes a run here with its signature and key id: checkable only with
    // their key ("another key" with this desktop's), tampered when its bytes were changed after
    // signing, once only, left out when older than the retention age; a record whose cases repeat a
    // name reads back as the same bytes.
    const QByteArray teamKey(32, 't');
    TeamRunRecord r =
        runRecord(QStringLiteral("shared-api"), QStringLiteral("t1"), CaseOutcome::Failed, teamKey);
    r.publishedBy = QStringLiteral("alice");
    r.desktop = QStringLiteral("desk-alice");
    const auto adopted = TestRunStore::adoptPublished(r, TestSourceKind::Files);
    QVERIFY2(adopted, adopted ? "" : qPrintable(adopted.message()));
    QVERIFY(!adopted->already);
    const qint64 id = adopted->runId;
    QCOMPARE(
        queryText(QStringLiteral("SELECT failed || '/' || tests || '/' || published_by || '/' || key_id FROM "
                                 "test_runs WHERE id = %1")
                      .arg(id)),
        QStringLiteral("1/1/alice/") + runSigningKeyId(teamKey));
    QCOMPARE(queryText(QStringLiteral("SELECT COUNT(*) FROM test_cases WHERE run_id = %1").arg(id)),
             QStringLiteral("1"));
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), id, key).value(), SignatureState::OtherKey);
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), id, teamKey).value(), SignatureState::Verified);
    QCOMPARE(queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.import' AND "
                                      "details LIKE '%desk-alice%'")),
             QStringLiteral("1"));
    // Once only; and a run adopted from the workspace is never published again from here.
    QVERIFY(TestRunStore::adoptPublished(r, TestSourceKind::Files)->already);
    QCOMPARE(TestRunStore::publishableRecord(Database::connection(), id, key).error().code,
             QStringLiteral("testrun.team"));

    // Changed after it was signed: adopted as it came, and shown as tampered with the right key.
    TeamRunRecord changed =
        runRecord(QStringLiteral("shared-api"), QStringLiteral("t2"), CaseOutcome::Passed, teamKey);
    changed.record =
        runRecord(QStringLiteral("shared-api"), QStringLiteral("t2"), CaseOutcome::Failed, teamKey).record;
    const auto tampered = TestRunStore::adoptPublished(changed, TestSourceKind::Files);
    QVERIFY(tampered);
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), tampered->runId, teamKey).value(),
             SignatureState::Tampered);

    // Older than the retention age: left out.
    const auto old = TestRunStore::adoptPublished(
        runRecord(QStringLiteral("shared-api"), QStringLiteral("t3")), TestSourceKind::Files,
        QDateTime(QDate(2026, 12, 2), QTime(0, 0), Qt::UTC));
    QVERIFY(old && old->skipped);
    QCOMPARE(queryText(QStringLiteral("SELECT COUNT(*) FROM test_runs WHERE run_key = 't3'")),
             QStringLiteral("0"));

    // Repeated names, several suites: the same bytes back.
    RunRecord many;
    many.source = QStringLiteral("shared-api");
    many.run = QStringLiteral("t4");
    many.startedAt = QDateTime(QDate(2026, 12, 3), QTime(1, 2, 3, 456), Qt::UTC);
    many.commit = QStringLiteral("abc123");
    for (int i = 0; i < 600; ++i)
        many.cases << RunCaseRecord{QStringLiteral("suite %1").arg(i % 3),
                                    QStringLiteral("Ünïcode"),
                                    QStringLiteral("case %1").arg(i % 250),
                                    CaseOutcome(i % 4),
                                    i % 7 == 0,
                                    i};
    many.totals.tests = 600;
    many.totals.passed = 150;
    many.totals.failed = 150;
    many.totals.errors = 150;
    many.totals.skipped = 150;
    many.totals.seconds = 1.5;
    TeamRunRecord manyRecord;
    manyRecord.source = many.source;
    manyRecord.runKey = many.run;
    manyRecord.record = canonicalRunRecord(many);
    manyRecord.signature = signRunRecord(many, teamKey).value();
    manyRecord.keyId = runSigningKeyId(teamKey);
    const auto manyAdopted = TestRunStore::adoptPublished(manyRecord, TestSourceKind::Files);
    QVERIFY2(manyAdopted, manyAdopted ? "" : qPrintable(manyAdopted.message()));
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), manyAdopted->runId, teamKey).value(),
             SignatureState::Verified);

    // What cannot be adopted: garbage, a record of another run, a source of another kind.
    TeamRunRecord garbage = r;
    garbage.runKey = QStringLiteral("t9");
    garbage.record = "{\"format\":\"opsdeck-run/1\"";
    QCOMPARE(TestRunStore::adoptPublished(garbage, TestSourceKind::Files).error().code,
             QStringLiteral("testrun.record"));
    garbage.record = r.record;
    QVERIFY2(TestRunStore::adoptPublished(garbage, TestSourceKind::Files)
                 .message()
                 .contains(QLatin1String("says it is run t1")),
             qPrintable(TestRunStore::adoptPublished(garbage, TestSourceKind::Files).message()));
    QCOMPARE(TestRunStore::adoptPublished(runRecord(QStringLiteral("shared-api"), QStringLiteral("t5")),
                                          TestSourceKind::Golden)
                 .error()
                 .code,
             QStringLiteral("testrun.source"));
    QCOMPARE(queryText(QStringLiteral("SELECT COUNT(*) FROM test_runs WHERE run_key IN ('t5', 't9')")),
             QStringLiteral("0"));
}

void TestTeamTestRuns::teammatesShareRuns()
{
    // Two people on the team store: what alice publishes from her desktop arrives on pam's desktop as
    // a run (her key is not pam's: "another key"); what pam imports reaches the store under her name.
    if (!m_pgStarted)
        QSKIP("PostgreSQL did not start in recordsOnBothStores");
    QString database;
    auto alice = m_pg.storeWithSuperuser(QStringLiteral("team"), QStringLiteral("testruns-share"),
                                         m_dir.path(), QStringLiteral("alice"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(*alice, newUser(QStringLiteral("pam"))));
    QVERIFY(TestRunRecords::setSource(*alice, source(QStringLiteral("payments"))));

    SecretStore::keepInMemory(RunSigningKey::keychainKey, QString::fromLatin1(key.toBase64()));
    ServiceHost host;
    auto *workspace = host.add(new WorkspaceService, QStringLiteral("workspace"));
    auto *testRuns = host.add(new TestRunsService, QStringLiteral("testruns"));
    connect(testRuns, &TestRunsService::runsToPublish, workspace, &WorkspaceService::publishTestRuns);
    connect(workspace, &WorkspaceService::teamRunsArrived, testRuns, &TestRunsService::adoptPublished);
    host.startAll();
    QMetaObject::invokeMethod(testRuns, [testRuns] {
        testRuns->setRetention({0, 0}, false);
        testRuns->setPublishing(true);
    });
    QSignalSpy joined(workspace, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("pam"), database);
    QMetaObject::invokeMethod(
        workspace, [workspace, url] { workspace->joinTeam(url, {}, QStringLiteral("desk-pam"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));

    QSignalSpy adopted(testRuns, &TestRunsService::teamRunsAdopted);
    TeamRunRecord fromAlice =
        runRecord(QStringLiteral("payments"), QStringLiteral("a1"), CaseOutcome::Failed, QByteArray(32, 'a'));
    fromAlice.desktop = QStringLiteral("desk-alice");
    QVERIFY(TestRunRecords::publish(*alice, fromAlice));
    QTRY_COMPARE_WITH_TIMEOUT(adopted.size(), 1, 15000);
    QCOMPARE(adopted.first().at(0).toInt(), 1);
    QCOMPARE(queryText(QStringLiteral(
                 "SELECT s.kind || '/' || r.published_by FROM test_runs r JOIN test_sources s ON "
                 "s.id = r.source_id WHERE r.run_key = 'a1'")),
             QStringLiteral("golden/alice"));
    const qint64 a1 = queryText(QStringLiteral("SELECT id FROM test_runs WHERE run_key = 'a1'")).toLongLong();
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), a1, key).value(), SignatureState::OtherKey);

    QTemporaryDir reports;
    QFile f(reports.filePath(QStringLiteral("pam.xml")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("<testsuite name=\"s\" timestamp=\"2026-12-04T10:00:00Z\"><testcase classname=\"c\" name=\"n\"/>"
            "</testsuite>");
    f.close();
    QSignalSpy published(workspace, &WorkspaceService::testRunsPublished);
    ImportJob job;
    job.paths = {f.fileName()};
    job.source = QStringLiteral("pam-local");
    QMetaObject::invokeMethod(testRuns, [testRuns, job] { testRuns->importReports(9, job); });
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 1, 15000);
    QCOMPARE(published.first().at(0).toInt(), 1);
    QSqlQuery q(alice->db());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT published_by, desktop, key_id FROM testrun_records WHERE source = 'pam-local'")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("pam"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("desk-pam"));
    QCOMPARE(q.value(2).toString(), runSigningKeyId(key));
    // pam's own run does not come back to her as a teammate's.
    QTest::qWait(300);
    QCOMPARE(adopted.size(), 1);
    host.stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
}

void TestTeamTestRuns::settingsAreTheTeams()
{
    // The team's mock and golden source (with its notifications) arrive on sam's desktop as his own;
    // sam, a user, may not change the source until granted testrun.source on it (refused before
    // anything is written, and audited); then his change reaches the team.
    if (!m_pgStarted)
        QSKIP("PostgreSQL did not start in recordsOnBothStores");
    QString database;
    auto alice = m_pg.storeWithSuperuser(QStringLiteral("team"), QStringLiteral("testruns-settings"),
                                         m_dir.path(), QStringLiteral("alice"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(*alice, newUser(QStringLiteral("sam"))));
    TeamMock teamMock = mock(QStringLiteral("ledger mock"));
    teamMock.dockerConnection = QStringLiteral("nowhere"); // not a connection of sam's desktop
    QVERIFY(TestRunRecords::setMock(*alice, teamMock));
    TeamTestSource suite = source(QStringLiteral("ledger"));
    suite.detail = QJsonObject{{QStringLiteral("folder"), QStringLiteral("/srv/suites/ledger")},
                               {QStringLiteral("base_url"), QStringLiteral("http://ledger-mock:8080")},
                               {QStringLiteral("concurrency"), 2},
                               {QStringLiteral("timeout_ms"), 3000},
                               {QStringLiteral("mock"), QStringLiteral("ledger mock")}};
    QVERIFY(TestRunRecords::setSource(*alice, suite));

    ServiceHost host;
    auto *workspace = host.add(new WorkspaceService, QStringLiteral("workspace"));
    auto *testRuns = host.add(new TestRunsService, QStringLiteral("testruns"));
    connect(workspace, &WorkspaceService::teamTestSettingsChanged, testRuns,
            &TestRunsService::adoptTeamSettings);
    connect(testRuns, &TestRunsService::testSettingsToShare, workspace,
            [workspace](const QList<TestRunRecordChange> &changes) {
                workspace->changeTestRunRecords(changes, QStringLiteral("share"));
            });
    host.startAll();
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->setPublishing(true); });
    QSignalSpy adopted(testRuns, &TestRunsService::teamSettingsAdopted);
    QSignalSpy joined(workspace, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("sam"), database);
    QMetaObject::invokeMethod(
        workspace, [workspace, url] { workspace->joinTeam(url, {}, QStringLiteral("desk-sam"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!adopted.isEmpty(), 15000);
    QCOMPARE(adopted.first().at(0).toInt(), 1);
    QCOMPARE(adopted.first().at(1).toInt(), 1);
    QCOMPARE(queryText(QStringLiteral(
                 "SELECT url || ' ' || health_path || ' ' || interval_s || ' [' || container || "
                 "']' FROM test_mocks WHERE name = 'ledger mock'")),
             QStringLiteral("http://payments-mock:8080 /health 30 []"));
    const QString mockId = queryText(QStringLiteral("SELECT id FROM test_mocks WHERE name = 'ledger mock'"));
    const QJsonObject detail =
        QJsonDocument::fromJson(
            queryText(QStringLiteral("SELECT detail FROM test_sources WHERE name = 'ledger' AND "
                                     "kind = 'golden'"))
                .toUtf8())
            .object();
    QCOMPARE(detail.value(QLatin1String("folder")).toString(), QStringLiteral("/srv/suites/ledger"));
    QCOMPARE(QString::number(detail.value(QLatin1String("mock_id")).toInteger()), mockId);
    QVERIFY(!detail.contains(QLatin1String("mock")));
    QCOMPARE(queryText(
                 QStringLiteral("SELECT n.slack_when FROM test_source_notify n JOIN test_sources s ON s.id = "
                                "n.source_id WHERE s.name = 'ledger'")),
             QStringLiteral("new-failures"));
    // Applied once: the same again changes nothing.
    const QString events = queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events"));
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->adoptTeamSettings(); });
    QTest::qWait(300);
    QCOMPARE(adopted.size(), 1);
    QCOMPARE(queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events")), events);

    // sam may not change the source: refused here, audited, nothing written.
    const qint64 sourceId =
        queryText(QStringLiteral("SELECT id FROM test_sources WHERE name = 'ledger'")).toLongLong();
    GoldenSuiteSettings settings = GoldenSuiteSettings::fromJson(detail);
    settings.concurrency = 8;
    QSignalSpy saved(testRuns, &TestRunsService::sourceSaved);
    QMetaObject::invokeMethod(testRuns, [testRuns, sourceId, settings] {
        testRuns->saveGoldenSource(1, sourceId, QStringLiteral("ledger"), settings);
    });
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 10000);
    QVERIFY(!saved.first().at(1).toBool());
    QVERIFY2(saved.first().at(2).toString().contains(QLatin1String("testrun.source")),
             qPrintable(saved.first().at(2).toString()));
    QCOMPARE(
        queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.source.set' AND "
                                 "outcome = 'failure' AND target_id = 'ledger'")),
        QStringLiteral("1"));
    QCOMPARE(
        QJsonDocument::fromJson(
            queryText(QStringLiteral("SELECT detail FROM test_sources WHERE id = %1").arg(sourceId)).toUtf8())
            .object()
            .value(QLatin1String("concurrency"))
            .toInt(),
        2);

    // Granted testrun.source on this source: saved here and shared, under sam's name.
    GrantChange g;
    g.grant.subjectKind = QStringLiteral("person");
    g.grant.subject = QStringLiteral("sam");
    g.grant.action = QStringLiteral("testrun.source");
    g.grant.scope = QStringLiteral("source:ledger");
    g.grant.allow = true;
    QVERIFY(GrantChanges::apply(*alice, g));
    QTRY_COMPARE_WITH_TIMEOUT(
        queryText(QStringLiteral("SELECT COUNT(*) FROM workspace_grants WHERE scope = 'source:ledger'")),
        QStringLiteral("1"), 15000);
    QSignalSpy shared(workspace, &WorkspaceService::testRunRecordsChanged);
    QMetaObject::invokeMethod(testRuns, [testRuns, sourceId, settings] {
        testRuns->saveGoldenSource(2, sourceId, QStringLiteral("ledger"), settings);
    });
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, 10000);
    QVERIFY2(saved.at(1).at(1).toBool(), qPrintable(saved.at(1).at(2).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(shared.size(), 1, 10000);
    QCOMPARE(shared.first().at(1).toInt(), 1);
    const auto teamSources = TestRunRecords::sources(*alice);
    QVERIFY(teamSources);
    QCOMPARE(teamSources->first().updatedBy, QStringLiteral("sam"));
    QCOMPARE(teamSources->first().detail.value(QLatin1String("concurrency")).toInt(), 8);
    QCOMPARE(teamSources->first().detail.value(QLatin1String("mock")).toString(),
             QStringLiteral("ledger mock"));
    host.stopAll();
}

void TestTeamTestRuns::teamKeyTakenOver()
{
    // A desktop takes the team's key: a teammate's run that showed "another key" is verified, its own
    // older runs stay verified through the previous key, new runs are signed with the team's key, and
    // the change is audited by the keys' ids, never the keys. A short key is refused.
    const QByteArray own(32, 'o');
    const QByteArray team(32, 'T');
    SecretStore::forgetInMemory(RunSigningKey::previousKeysKey);
    SecretStore::keepInMemory(RunSigningKey::keychainKey, QString::fromLatin1(own.toBase64()));
    ServiceHost host;
    auto *testRuns = host.add(new TestRunsService, QStringLiteral("testruns"));
    host.startAll();
    const auto import = [&](const QString &name) {
        QTemporaryDir dir;
        QFile f(dir.filePath(name + QStringLiteral(".xml")));
        [&] {
            QVERIFY(f.open(QIODevice::WriteOnly));
        }();
        f.write(QStringLiteral("<testsuite name=\"k\"><testcase classname=\"c\" name=\"%1\"/></testsuite>")
                    .arg(name)
                    .toUtf8());
        f.close();
        QSignalSpy finished(testRuns, &TestRunsService::importFinished);
        ImportJob job;
        job.paths = {f.fileName()};
        job.source = QStringLiteral("keys");
        QMetaObject::invokeMethod(testRuns, [testRuns, job] { testRuns->importReports(3, job); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        }();
        return queryText(
                   QStringLiteral("SELECT r.id FROM test_runs r JOIN test_cases c ON c.run_id = r.id JOIN "
                                  "test_case_keys k ON k.id = c.key_id WHERE k.name = '%1'")
                       .arg(name))
            .toLongLong();
    };
    const auto verified = [&](qint64 runId) {
        QSignalSpy spy(testRuns, &TestRunsService::runVerified);
        QSignalSpy failed(testRuns, &TestRunsService::verifyFailed);
        QMetaObject::invokeMethod(testRuns, [testRuns, runId] { testRuns->verifyRuns({runId}); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty() || !failed.isEmpty(), 10000);
            QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
        }();
        return spy.isEmpty() ? -1 : spy.first().at(1).toInt();
    };
    const qint64 before = import(QStringLiteral("before"));
    QVERIFY(before > 0);
    TeamRunRecord teammate =
        runRecord(QStringLiteral("keys"), QStringLiteral("mate"), CaseOutcome::Passed, team);
    teammate.publishedBy = QStringLiteral("bob");
    const auto adopted = TestRunStore::adoptPublished(teammate, TestSourceKind::Files);
    QVERIFY2(adopted, adopted ? "" : qPrintable(adopted.message()));
    QCOMPARE(verified(before), int(SignatureState::Verified));
    QCOMPARE(verified(adopted->runId), int(SignatureState::OtherKey));

    QSignalSpy changed(testRuns, &TestRunsService::signingKeyChanged);
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->useSigningKey(1, QByteArray(8, 's')); });
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
    QVERIFY(!changed.last().at(1).toBool());
    QVERIFY2(changed.last().at(2).toString().contains(QLatin1String("32 bytes")),
             qPrintable(changed.last().at(2).toString()));
    QMetaObject::invokeMethod(testRuns, [testRuns, team] { testRuns->useSigningKey(2, team); });
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 10000);
    QVERIFY2(changed.last().at(1).toBool(), qPrintable(changed.last().at(2).toString()));
    QCOMPARE(changed.last().at(3).toString(), runSigningKeyId(team));

    QCOMPARE(verified(adopted->runId), int(SignatureState::Verified));
    QCOMPARE(verified(before), int(SignatureState::Verified));
    QCOMPARE(queryText(QStringLiteral("SELECT key_id FROM test_runs WHERE id = %1").arg(before)),
             runSigningKeyId(own));
    const qint64 after = import(QStringLiteral("after"));
    QCOMPARE(verified(after), int(SignatureState::Verified));
    const auto record = TestRunStore::signedRecord(Database::connection(), after, team);
    QVERIFY(record);
    QCOMPARE(queryText(QStringLiteral("SELECT signature FROM test_runs WHERE id = %1").arg(after)),
             QString::fromLatin1(record->signature));
    const QString details = queryText(QStringLiteral(
        "SELECT details FROM audit_events WHERE action = 'testrun.key.set' AND outcome = 'success'"));
    QVERIFY2(details.contains(runSigningKeyId(own)) && details.contains(runSigningKeyId(team)),
             qPrintable(details));
    QVERIFY(!details.contains(QString::fromLatin1(team.toBase64())));
    QCOMPARE(
        queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.key.set' AND "
                                 "outcome = 'failure'")),
        QStringLiteral("1"));
    host.stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
    SecretStore::forgetInMemory(RunSigningKey::previousKeysKey);
}

void TestTeamTestRuns::publishingOutlastsADroppedConnection()
{
    // The store drops pam's connection (a restart, a network cut): the client still calls it open.
    // The runs published then are not given up as refused: they wait, the service goes offline,
    // reconnects, and the waiting runs reach the store.
    if (!m_pgStarted)
        QSKIP("PostgreSQL did not start in recordsOnBothStores");
    QString database;
    auto alice = m_pg.storeWithSuperuser(QStringLiteral("team"), QStringLiteral("testruns-drop"),
                                         m_dir.path(), QStringLiteral("alice"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    QVERIFY(PeopleChanges::apply(*alice, newUser(QStringLiteral("pam"))));
    QVERIFY(TestRunRecords::setSource(*alice, source(QStringLiteral("payments"))));
    ServiceHost host;
    auto *workspace = host.add(new WorkspaceService, QStringLiteral("workspace"));
    host.startAll();
    QSignalSpy joined(workspace, &WorkspaceService::joinFinished);
    const WorkspaceUrl url = m_pg.url(QStringLiteral("pam"), database);
    QMetaObject::invokeMethod(
        workspace, [workspace, url] { workspace->joinTeam(url, {}, QStringLiteral("desk-pam"), true); });
    QTRY_VERIFY_WITH_TIMEOUT(!joined.isEmpty(), 15000);
    QVERIFY2(joined.first().at(0).toBool(), qPrintable(joined.first().at(1).toString()));

    QSignalSpy published(workspace, &WorkspaceService::testRunsPublished);
    const QList<TeamRunRecord> batch{runRecord(QStringLiteral("payments"), QStringLiteral("d1")),
                                     runRecord(QStringLiteral("payments"), QStringLiteral("d2")),
                                     runRecord(QStringLiteral("payments"), QStringLiteral("d3"))};
    // On the service's thread, with no event between the cut and the batch: the driver has not seen
    // the socket close, as when a connection dies in the middle of a batch.
    int cut = -1;
    QString cutProblem;
    QMetaObject::invokeMethod(
        workspace,
        [&, workspace, batch] {
            {
                auto owner =
                    m_pg.as(QStringLiteral("postgres"), database, QStringLiteral("testruns-drop-owner"));
                if (!owner) {
                    cutProblem = owner.message();
                    return;
                }
                QSqlQuery q(owner->db());
                if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                                           "pg_stat_activity WHERE usename = 'pam') t")) ||
                    !q.next()) {
                    cutProblem = q.lastError().text();
                    return;
                }
                cut = q.value(0).toInt();
            }
            QThread::msleep(300); // the backends are gone
            workspace->publishTestRuns(batch);
        },
        Qt::BlockingQueuedConnection);
    QVERIFY2(cut >= 1, qPrintable(cutProblem));
    QTRY_VERIFY_WITH_TIMEOUT(!published.isEmpty(), 15000);
    // published, already, waiting, problems
    QCOMPARE(published.first().at(0).toInt(), 0);
    QVERIFY2(published.first().at(3).toStringList().isEmpty(),
             qPrintable(published.first().at(3).toStringList().join(QLatin1Char('\n'))));
    QCOMPARE(published.first().at(2).toInt(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(published.size() >= 2, 20000);
    QCOMPARE(published.last().at(0).toInt() + published.last().at(1).toInt(), 3);
    QCOMPARE(published.last().at(2).toInt(), 0);
    QSqlQuery q(alice->db());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT COUNT(*) FROM testrun_records WHERE source = 'payments' AND published_by = 'pam'")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 3);
    host.stopAll();
}

void TestTeamTestRuns::earlierRunsArePublished()
{
    // Runs imported before the workspace was there go when it answers: the newest 200 of this
    // desktop, none older than the retention age, each once (a second offer sends nothing).
    SecretStore::keepInMemory(RunSigningKey::keychainKey, QString::fromLatin1(key.toBase64()));
    ServiceHost host;
    auto *workspace = host.add(new WorkspaceService, QStringLiteral("workspace"));
    auto *testRuns = host.add(new TestRunsService, QStringLiteral("testruns"));
    connect(testRuns, &TestRunsService::runsToPublish, workspace, &WorkspaceService::publishTestRuns);
    // As the application wires them.
    connect(workspace, &WorkspaceService::stateChanged, testRuns, [testRuns](bool online) {
        if (online)
            testRuns->publishEarlierRuns();
    });
    host.startAll();
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->setRetention({30, 0}, false); });

    QTemporaryDir reports;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i <= publishBackfillRuns; ++i) {
        QFile f(reports.filePath(QStringLiteral("r%1.xml").arg(i)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            QStringLiteral("<testsuite name=\"s\" timestamp=\"%1\"><testcase classname=\"c\" name=\"n%2\"/>"
                           "</testsuite>")
                .arg(now.addSecs(-60 * (i + 1)).toString(Qt::ISODate))
                .arg(i)
                .toUtf8());
    }
    QFile old(reports.filePath(QStringLiteral("old.xml")));
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write(
        "<testsuite name=\"s\" timestamp=\"2020-01-01T00:00:00Z\"><testcase classname=\"c\" name=\"old\"/>"
        "</testsuite>");
    old.close();
    QSignalSpy finished(testRuns, &TestRunsService::importFinished);
    ImportJob job;
    job.paths = {reports.path()};
    job.source = QStringLiteral("before-join");
    QMetaObject::invokeMethod(testRuns, [testRuns, job] { testRuns->importReports(11, job); });
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
    const QString runsOfSource = QStringLiteral(
        "SELECT COUNT(*) FROM test_runs WHERE source_id = (SELECT id FROM test_sources WHERE name = "
        "'before-join')");
    QCOMPARE(queryText(runsOfSource), QString::number(publishBackfillRuns + 2));

    QSignalSpy offered(testRuns, &TestRunsService::runsToPublish);
    QSignalSpy published(workspace, &WorkspaceService::testRunsPublished);
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->setPublishing(true); });
    const QString path = m_dir.filePath(QStringLiteral("earlier-local.sqlite"));
    QMetaObject::invokeMethod(workspace,
                              [workspace, path] { workspace->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!published.isEmpty(), 30000);
    QVERIFY2(published.first().at(3).toStringList().isEmpty(),
             qPrintable(published.first().at(3).toStringList().join(QLatin1Char('\n'))));
    // The new store held nothing: its copy is exactly what was published, the newest 200 runs of
    // this cache (earlier tests' runs among them) that are this desktop's own.
    QTRY_COMPARE_WITH_TIMEOUT(queryText(QStringLiteral("SELECT COUNT(*) FROM workspace_testrun_records")),
                              QString::number(publishBackfillRuns), 10000);
    QCOMPARE(
        queryText(
            QStringLiteral(
                "SELECT COUNT(*) FROM (SELECT s.name, r.run_key FROM test_runs r JOIN test_sources s ON s.id "
                "= r.source_id WHERE r.published_by = '' AND r.signature <> '' ORDER BY r.started_at DESC, "
                "r.id DESC LIMIT %1) n JOIN workspace_testrun_records w ON w.source = n.name AND w.run_key = "
                "n.run_key")
                .arg(publishBackfillRuns)),
        QString::number(publishBackfillRuns));
    // The oldest of the 201 recent runs stays here, as does the run past the retention age.
    QCOMPARE(queryText(QStringLiteral(
                 "SELECT COUNT(*) FROM test_runs r JOIN test_sources s ON s.id = r.source_id WHERE s.name = "
                 "'before-join' AND NOT EXISTS (SELECT 1 FROM workspace_testrun_records w WHERE w.source = "
                 "s.name AND w.run_key = r.run_key) AND (r.started_at < '2021' OR r.started_at = (SELECT "
                 "MIN(started_at) FROM test_runs x WHERE x.source_id = s.id AND x.started_at > '2021'))")),
             QStringLiteral("2"));
    // Offered again (the workspace came online again): nothing new goes.
    const qsizetype offers = offered.size();
    QMetaObject::invokeMethod(testRuns, [testRuns] { testRuns->publishEarlierRuns(); });
    QTest::qWait(300);
    QCOMPARE(offered.size(), offers);
    host.stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
}

QTEST_GUILESS_MAIN(TestTeamTestRuns)
#include "tst_teamtestruns.moc"
