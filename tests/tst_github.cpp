// Runner sync against a local GitHub server that accepts only what the API description
// documents: 250 runners over Link-paginated pages, runners gone from GitHub kept as removed,
// and a malformed page that fails the sync without touching the cache.
#include "appkey.h"
#include "models/connections/connectionstore.h"
#include "models/github/runner.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/database.h"
#include "models/workspace/permissions.h"
#include "secretscan.h"
#include "services/connections/connectionservice.h"
#include "services/connections/probes.h"
#include "services/connections/secretstore.h"
#include "services/github/githubservice.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <openssl/evp.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestGitHub : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void runnerMapping_data();
    void runnerMapping();
    void syncPaginated();
    void removedRunnersKept();
    void syncAskedWhileRunning();
    void malformedPageLeavesCache();
    void bulkRemoveWithOneFailure();
    void removeNeedsComment();
    void policySavedAndAudited();
    void driftCleanup();
    void provisionJit();
    void restoreLabels();
    void provisionRegistrationToken();
    void provisionRefusedByPolicy();
    void refusedByWorkspacePermissions();
    void githubAppInstallationToken();
    void installationChoice();
    void secondaryRateLimitBacksOff();
    void repositoryScopes();
    void echoedCredentialsRedacted();
    void secretsStayOut(); // last: looks at everything the suite left behind

private:
    Outcome sync(qint64 connectionId = 0);
    int activeRunners();
    QTemporaryDir m_dir;
    TestHttpServer m_server;
    ServiceHost *m_host = nullptr;
    GitHubService *m_service = nullptr;
    Connection m_connection;
    QList<QJsonObject> m_runners; // the server's state
    bool m_breakPage2 = false;
    std::function<void()> m_onPage1; // runs once, after page 1 of the list was answered
    int m_secondaryLimitOnce = 0;    // answer the next n list requests with GitHub's secondary-limit 403
    QSet<qint64> m_refuseDelete;
    QList<qint64> m_deleted;
    QStringList m_bodyProblems;
    QList<QJsonObject> m_repoRunners; // the runners of the repository acme/app
    QStringList m_secrets{QStringLiteral("ghp_test"), QStringLiteral("ghp_repos"),
                          QStringLiteral("ghs_installation"), QStringLiteral("SECRETJITCONFIG=="),
                          QStringLiteral("SECRETREGTOKEN")};
    std::pair<Outcome, QJsonObject> provision(const QString &name, const QStringList &labels,
                                              ProvisioningMode mode, qint64 connectionId = 0,
                                              const QString &scope = {});
};

static QJsonObject runnerJson(int id)
{
    const bool gpu = id % 5 == 0;
    QJsonArray labels{QJsonObject{{"id", 1}, {"name", "self-hosted"}, {"type", "read-only"}},
                      QJsonObject{{"id", 2}, {"name", "linux"}, {"type", "read-only"}},
                      QJsonObject{{"id", 3}, {"name", "x64"}, {"type", "read-only"}}};
    if (gpu)
        labels << QJsonObject{{"id", 4}, {"name", "gpu-1"}, {"type", "custom"}};
    return {{"id", id},
            {"runner_group_id", 1},
            {"name", QStringLiteral("ci-linux-x64-%1").arg(id, 3, 10, QLatin1Char('0'))},
            {"os", "linux"},
            {"status", id % 7 == 0 ? "offline" : "online"},
            {"busy", id % 3 == 0},
            {"ephemeral", false},
            {"labels", labels}};
}

void TestGitHub::initTestCase()
{
    SecretScan::captureLog();
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QVERIFY(m_server.listen());
    m_server.setSpec(
        SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json")));
    for (int i = 1; i <= 250; ++i)
        m_runners << runnerJson(i);
    m_server.route("GET", QStringLiteral("/orgs/acme/actions/runners"), [this](const TestRequest &req) {
        if (req.header("X-GitHub-Api-Version") != "2022-11-28" ||
            req.header("Accept") != "application/vnd.github+json")
            return TestReply::json(400, R"({"message":"missing API version or media type"})");
        if (req.header("Authorization") != "Bearer ghp_test" &&
            req.header("Authorization") != "Bearer ghs_installation")
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        if (m_secondaryLimitOnce > 0) {
            --m_secondaryLimitOnce;
            return TestReply::
                json(403,
                     R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})")
                    .header("Retry-After", "1");
        }
        const int perPage = req.query().queryItemValue(QStringLiteral("per_page")).toInt();
        const int page = qMax(1, req.query().queryItemValue(QStringLiteral("page")).toInt());
        if (perPage != 100)
            return TestReply::json(422, R"({"message":"expected per_page=100"})");
        if (m_breakPage2 && page == 2)
            return TestReply::json(200, R"({"total_count": 250, "runners": [{"id": 101, "name": )");
        QJsonArray items;
        for (int i = (page - 1) * perPage; i < qMin(int(m_runners.size()), page * perPage); ++i)
            items << m_runners.at(i);
        if (page == 1 && m_onPage1)
            std::exchange(m_onPage1, {})();
        TestReply reply = TestReply::json(
            200, QJsonDocument(QJsonObject{{"total_count", int(m_runners.size())}, {"runners", items}})
                     .toJson(QJsonDocument::Compact));
        const int last = qMax(1, (int(m_runners.size()) + perPage - 1) / perPage);
        if (page < last)
            reply.header(
                "Link",
                QStringLiteral("<%1>; rel=\"next\", <%2>; rel=\"last\"")
                    .arg(m_server
                             .url(QStringLiteral("/orgs/acme/actions/runners?per_page=100&page=%1")
                                      .arg(page + 1))
                             .toString(),
                         m_server
                             .url(QStringLiteral("/orgs/acme/actions/runners?per_page=100&page=%1").arg(last))
                             .toString())
                    .toUtf8());
        reply.header("X-RateLimit-Limit", "5000")
            .header("X-RateLimit-Remaining", "4990")
            .header("X-RateLimit-Reset", "1800000000");
        return reply;
    });

    m_server.setFallback([this](const TestRequest &req) {
        // DELETE /orgs/acme/actions/runners/{runner_id}
        static const QRegularExpression re(QStringLiteral("^/orgs/acme/actions/runners/(\\d+)$"));
        const auto m = re.match(req.path());
        if (req.method == "DELETE" && m.hasMatch()) {
            const qint64 id = m.captured(1).toLongLong();
            if (m_refuseDelete.contains(id))
                return TestReply::json(
                    422, R"({"message":"Bad request - Runner \"x\" is still running a job\""})");
            for (int i = 0; i < m_runners.size(); ++i) {
                if (m_runners.at(i).value("id").toInteger() == id) {
                    m_runners.removeAt(i);
                    m_deleted << id;
                    TestReply reply;
                    reply.status = 204;
                    return reply;
                }
            }
            return TestReply::json(404, R"({"message":"Not Found"})");
        }
        // PUT /orgs/acme/actions/runners/{runner_id}/labels: sets the custom labels, keeps the rest.
        static const QRegularExpression labelsRe(
            QStringLiteral("^/orgs/acme/actions/runners/(\\d+)/labels$"));
        const auto l = labelsRe.match(req.path());
        if (req.method == "PUT" && l.hasMatch()) {
            const QJsonValue wanted = QJsonDocument::fromJson(req.body).object().value("labels");
            if (!wanted.isArray())
                return TestReply::json(422, R"({"message":"Validation Failed"})");
            for (QJsonObject &r : m_runners) {
                if (r.value("id").toInteger() != l.captured(1).toLongLong())
                    continue;
                QJsonArray labels;
                for (const QJsonValue &v : r.value("labels").toArray())
                    if (v.toObject().value("type").toString() == QLatin1String("read-only"))
                        labels << v;
                int id = 100;
                for (const QJsonValue &v : wanted.toArray())
                    labels << QJsonObject{{"id", ++id}, {"name", v.toString()}, {"type", "custom"}};
                r.insert("labels", labels);
                return TestReply::json(
                    200, QJsonDocument(QJsonObject{{"total_count", labels.size()}, {"labels", labels}})
                             .toJson(QJsonDocument::Compact));
            }
            return TestReply::json(404, R"({"message":"Not Found"})");
        }
        return TestReply::json(404, R"({"message":"Not Found"})");
    });

    m_server.route(
        "POST", QStringLiteral("/orgs/acme/actions/runners/generate-jitconfig"),
        [this](const TestRequest &req) {
            // The body as the API description requires: name, runner_group_id, labels (1..100 strings).
            const QJsonObject body = QJsonDocument::fromJson(req.body).object();
            const QJsonArray labels = body.value("labels").toArray();
            bool stringsOnly = !labels.isEmpty() && labels.size() <= 100;
            for (const QJsonValue &l : labels)
                stringsOnly = stringsOnly && l.isString();
            if (!body.value("name").isString() || !body.value("runner_group_id").isDouble() || !stringsOnly) {
                m_bodyProblems << QString::fromUtf8(req.body);
                return TestReply::json(422, R"({"message":"Validation Failed"})");
            }
            QJsonObject runner = runnerJson(5000);
            runner.insert("name", body.value("name"));
            QJsonArray runnerLabels;
            static const QStringList readOnly{"self-hosted", "linux", "windows", "macos",
                                              "x64",         "arm",   "arm64"};
            for (const QJsonValue &l : labels)
                runnerLabels << QJsonObject{
                    {"id", 1},
                    {"name", l.toString()},
                    {"type", readOnly.contains(l.toString(), Qt::CaseInsensitive) ? "read-only" : "custom"}};
            runner.insert("labels", runnerLabels);
            runner.insert("busy", false);
            m_runners << runner;
            return TestReply::json(
                201,
                QJsonDocument(QJsonObject{{"runner", runner}, {"encoded_jit_config", "SECRETJITCONFIG=="}})
                    .toJson(QJsonDocument::Compact));
        });
    m_server.route(
        "POST", QStringLiteral("/orgs/acme/actions/runners/registration-token"), [](const TestRequest &) {
            return TestReply::json(201, R"({"token":"SECRETREGTOKEN","expires_at":"2026-11-23T12:00:00Z"})");
        });

    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme");
    c.endpoint = m_server.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved.ok());
    m_connection = saved.value();
    SecretStore::keepInMemory(m_connection.secretKey(), QStringLiteral("ghp_test"));

    m_host = new ServiceHost(this);
    m_service = m_host->add(new GitHubService, QStringLiteral("github"));
}

void TestGitHub::cleanupTestCase()
{
    m_host->stopAll();
    Database::close();
}

Outcome TestGitHub::sync(qint64 connectionId)
{
    QSignalSpy finished(m_service, &GitHubService::syncFinished);
    const qint64 id = connectionId ? connectionId : m_connection.id;
    QMetaObject::invokeMethod(m_service, [this, id] { m_service->syncRunners(id); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 30000);
    }();
    return finished.isEmpty() ? Outcome{} : finished.at(0).at(1).value<Outcome>();
}

int TestGitHub::activeRunners()
{
    QSqlQuery q(Database::connection());
    q.exec(QStringLiteral("SELECT COUNT(*) FROM runners WHERE removed_at IS NULL"));
    return q.next() ? q.value(0).toInt() : -1;
}

void TestGitHub::runnerMapping_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("valid") << QJsonDocument(runnerJson(5)).toJson() << QString();
    QTest::newRow("id as string")
        << QByteArray(R"({"id":"5","name":"a","os":"linux","status":"online","busy":false,"labels":[]})")
        << "\"id\"";
    QTest::newRow("busy missing") << QByteArray(
                                         R"({"id":5,"name":"a","os":"linux","status":"online","labels":[]})")
                                  << "\"busy\"";
    QTest::newRow("label without name")
        << QByteArray(R"({"id":5,"name":"a","os":"linux","status":"online","busy":true,"labels":[{"id":1}]})")
        << "labels[].name";
}

void TestGitHub::runnerMapping()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const auto r = runnerFromJson(QJsonDocument::fromJson(json).object());
    QCOMPARE(r.ok(), error.isEmpty());
    if (!error.isEmpty()) {
        QCOMPARE(r.error().code, QStringLiteral("github.schema"));
        QVERIFY2(r.message().contains(error), qPrintable(r.message()));
    } else {
        QCOMPARE(r->labels, QStringList({"self-hosted", "linux", "x64", "gpu-1"}));
        QCOMPARE(r->groupId, std::optional<qint64>(1));
    }
}

void TestGitHub::syncPaginated()
{
    QSignalSpy limits(m_service, &GitHubService::rateLimitChanged);
    const Outcome o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));
    QCOMPARE(m_server.requestCount(QStringLiteral("/orgs/acme/actions/runners")), 3);
    QCOMPARE(activeRunners(), 250);
    QVERIFY(limits.count() >= 1);

    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT name, status, busy, labels FROM runners WHERE runner_id = 15")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("ci-linux-x64-015"));
    QCOMPARE(q.value(2).toBool(), true);
    QVERIFY(q.value(3).toString().contains(QStringLiteral("gpu-1")));
    QVERIFY(
        q.exec(QStringLiteral(
            "SELECT details FROM audit_events WHERE action = 'sync.complete' ORDER BY id DESC LIMIT 1")) &&
        q.next());
    const QJsonObject details = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    QCOMPARE(details.value(QStringLiteral("runners")).toInt(), 250);
    QCOMPARE(details.value(QStringLiteral("added")).toInt(), 250);
    QCOMPARE(details.value(QStringLiteral("pages")).toInt(), 3);
    QVERIFY(ConnectionStore::syncStatus(Database::connection(), m_connection.id)->lastSuccess.isValid());
}

void TestGitHub::removedRunnersKept()
{
    m_runners.erase(m_runners.begin() + 100, m_runners.begin() + 110); // ten runners gone from GitHub
    const Outcome o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    QCOMPARE(activeRunners(), 240);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM runners WHERE removed_at IS NOT NULL")) && q.next());
    QCOMPARE(q.value(0).toInt(), 10);
    QVERIFY(
        q.exec(QStringLiteral(
            "SELECT details FROM audit_events WHERE action = 'sync.complete' ORDER BY id DESC LIMIT 1")) &&
        q.next());
    QCOMPARE(QJsonDocument::fromJson(q.value(0).toString().toUtf8())
                 .object()
                 .value(QStringLiteral("removed"))
                 .toInt(),
             10);
}

void TestGitHub::syncAskedWhileRunning()
{
    // A refresh asked for while a sync runs (right after a change on GitHub) is not dropped: it
    // runs once more when that sync ends, and the cache ends with what GitHub has now.
    QSignalSpy finished(m_service, &GitHubService::syncFinished);
    const QJsonObject first = m_runners.first();
    const qint64 firstId = first.value("id").toInteger();
    m_onPage1 = [this, id = m_connection.id] {
        m_runners.removeFirst(); // gone on GitHub after the running sync read it
        QMetaObject::invokeMethod(m_service, [this, id] { m_service->syncRunners(id); });
    };
    QMetaObject::invokeMethod(m_service, [this] { m_service->syncRunners(m_connection.id); });
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
    QTest::qWait(200);
    QCOMPARE(finished.count(), 2); // once more, not again and again
    for (const QList<QVariant> &args : std::as_const(finished))
        QVERIFY2(args.at(1).value<Outcome>().ok, qPrintable(args.at(1).value<Outcome>().message));
    QCOMPARE(activeRunners(), int(m_runners.size()));
    QSqlQuery q(Database::connection());
    QVERIFY(
        q.exec(
            QStringLiteral("SELECT removed_at IS NOT NULL FROM runners WHERE runner_id = %1").arg(firstId)) &&
        q.next());
    QVERIFY2(q.value(0).toBool(), "the runner removed on GitHub meanwhile is marked removed");
    q.finish();
    m_runners.prepend(first); // back, for the tests that follow
    QVERIFY(sync().ok);
}

void TestGitHub::malformedPageLeavesCache()
{
    m_breakPage2 = true;
    const Outcome o = sync();
    m_breakPage2 = false;
    QVERIFY(!o.ok);
    QCOMPARE(o.code, QStringLiteral("json.malformed"));
    QCOMPARE(activeRunners(), 240); // the last good data
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT outcome, details FROM audit_events ORDER BY id DESC LIMIT 1")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("failure"));
    QVERIFY(q.value(1).toString().contains(QStringLiteral("not valid JSON")));
    const SyncStatus status = ConnectionStore::syncStatus(Database::connection(), m_connection.id).value();
    QCOMPARE(status.lastErrorCode, QStringLiteral("json.malformed"));
    QVERIFY(AuditLog::verify(Database::connection())->ok);
}

static QStringList auditRows(const QString &where)
{
    QSqlQuery q(Database::connection());
    q.exec(QStringLiteral(
               "SELECT action || ':' || outcome || ':' || target_id FROM audit_events WHERE %1 ORDER BY id")
               .arg(where));
    QStringList rows;
    while (q.next())
        rows << q.value(0).toString();
    return rows;
}

void TestGitHub::bulkRemoveWithOneFailure()
{
    m_refuseDelete = {3};
    m_deleted.clear();
    const qint64 before = auditRows(QStringLiteral("1")).size();
    QSignalSpy each(m_service, &GitHubService::runnerRemoved);
    QSignalSpy done(m_service, &GitHubService::removeFinished);
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->removeRunners(7, m_connection.id, {1, 2, 3, 4}, QStringLiteral("decommission rack 4"));
    });
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 30000);
    QCOMPARE(done.at(0).at(1).toInt(), 3);
    QCOMPARE(done.at(0).at(2).toInt(), 1);
    QCOMPARE(each.count(), 4);
    QCOMPARE(each.at(2).at(1).toLongLong(), 3);
    QVERIFY(!each.at(2).at(2).value<Outcome>().ok);
    QVERIFY(each.at(2).at(2).value<Outcome>().message.contains(QStringLiteral("still running a job")));
    QCOMPARE(m_deleted, QList<qint64>({1, 2, 4}));
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));
    const QStringList audit = auditRows(QStringLiteral("action = 'runner.delete'"));
    QCOMPARE(audit, QStringList({"runner.delete:success:1", "runner.delete:success:2",
                                 "runner.delete:failure:3", "runner.delete:success:4"}));
    QCOMPARE(auditRows(QStringLiteral("1")).size(), before + 4);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
                "SELECT COUNT(*) FROM runners WHERE runner_id IN (1,2,3,4) AND removed_at IS NOT NULL")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 3);
    QVERIFY(
        q.exec(QStringLiteral("SELECT comment FROM audit_events WHERE action = 'runner.delete' LIMIT 1")) &&
        q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("decommission rack 4"));
    m_refuseDelete.clear();
}

void TestGitHub::removeNeedsComment()
{
    m_server.clearRequests();
    QSignalSpy done(m_service, &GitHubService::removeFinished);
    QSignalSpy each(m_service, &GitHubService::runnerRemoved);
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->removeRunners(8, m_connection.id, {5, 6}, QStringLiteral("  "));
    });
    QTRY_VERIFY(done.count() > 0);
    QCOMPARE(done.at(0).at(2).toInt(), 2);
    QCOMPARE(each.at(0).at(2).value<Outcome>().code, QStringLiteral("runner.comment"));
    QCOMPARE(m_server.requests().size(), 0); // nothing reached GitHub
}

void TestGitHub::policySavedAndAudited()
{
    LabelPolicy bad;
    bad.allowed = {parseLabelPattern(QStringLiteral("re:(unclosed"))};
    QSignalSpy saved(m_service, &GitHubService::policySaved);
    QMetaObject::invokeMethod(m_service, [this, bad] { m_service->savePolicy(1, m_connection.id, bad); });
    QTRY_VERIFY(saved.count() > 0);
    QCOMPARE(saved.at(0).at(1).value<Outcome>().code, QStringLiteral("policy.pattern"));
    QCOMPARE(auditRows(QStringLiteral("action = 'policy.update'")), QStringList({"policy.update:failure:"}));
}

void TestGitHub::driftCleanup()
{
    // Forbid gpu-1: every fifth runner carries it. Idle ones go; busy ones (id % 3 == 0) stay.
    LabelPolicy policy;
    policy.forbidden = {QStringLiteral("gpu-1")};
    QSignalSpy saved(m_service, &GitHubService::policySaved);
    QMetaObject::invokeMethod(m_service,
                              [this, policy] { m_service->savePolicy(2, m_connection.id, policy); });
    QTRY_VERIFY(saved.count() > 0);
    QVERIFY(saved.at(0).at(1).value<Outcome>().ok);
    QCOMPARE(auditRows(QStringLiteral("action = 'policy.update'")).last(),
             QStringLiteral("policy.update:success:"));

    QList<qint64> idleGpu, busyGpu;
    for (const QJsonObject &r : std::as_const(m_runners)) {
        const qint64 id = r.value("id").toInteger();
        if (id % 5 == 0)
            (r.value("busy").toBool() ? busyGpu : idleGpu) << id;
    }
    QVERIFY(!idleGpu.isEmpty() && !busyGpu.isEmpty());
    const auto plan = driftPlan(Database::connection(), m_connection.id);
    QVERIFY(plan.ok());
    QCOMPARE(plan->size(), idleGpu.size() + busyGpu.size());

    m_deleted.clear();
    const Outcome o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    std::sort(m_deleted.begin(), m_deleted.end());
    QCOMPARE(m_deleted, idleGpu);
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.drift' AND outcome = 'success'")).size(),
             idleGpu.size());
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.drift' AND outcome = 'partial'")).size(),
             busyGpu.size());
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));

    // With "also delete busy drifted runners" on, the next sync removes the busy ones too.
    policy.deleteBusyDrifted = true;
    QMetaObject::invokeMethod(m_service,
                              [this, policy] { m_service->savePolicy(3, m_connection.id, policy); });
    QTRY_VERIFY(saved.count() > 1);
    m_deleted.clear();
    QVERIFY(sync().ok);
    std::sort(m_deleted.begin(), m_deleted.end());
    QCOMPARE(m_deleted, busyGpu);
    // Runners without drift were never touched.
    QVERIFY(driftPlan(Database::connection(), m_connection.id)->isEmpty());
    QVERIFY(AuditLog::verify(Database::connection())->ok);
}

std::pair<Outcome, QJsonObject> TestGitHub::provision(const QString &name, const QStringList &labels,
                                                      ProvisioningMode mode, qint64 connectionId,
                                                      const QString &scope)
{
    QSignalSpy spy(m_service, &GitHubService::provisioned);
    QSignalSpy synced(m_service, &GitHubService::syncFinished);
    const qint64 id = connectionId ? connectionId : m_connection.id;
    QMetaObject::invokeMethod(m_service,
                              [=, this] { m_service->provision(9, id, scope, name, 1, labels, mode); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0, 30000);
        // A JIT runner (it exists at once) is followed by a sync: wait until it is over, so that
        // the next sync a test asks for is not swallowed by it (one sync per connection at a time).
        if (mode == ProvisioningMode::JitConfig && spy.at(0).at(1).value<Outcome>().ok)
            QTRY_VERIFY_WITH_TIMEOUT(synced.count() > 0, 60000);
    }();
    if (spy.isEmpty())
        return {};
    return {spy.at(0).at(1).value<Outcome>(), spy.at(0).at(2).toJsonObject()};
}

void TestGitHub::provisionJit()
{
    LabelPolicy policy;
    policy.allowed = {parseLabelPattern(QStringLiteral("team-*"))};
    policy.required = {QStringLiteral("self-hosted")};
    QSignalSpy saved(m_service, &GitHubService::policySaved);
    QMetaObject::invokeMethod(m_service,
                              [this, policy] { m_service->savePolicy(4, m_connection.id, policy); });
    QTRY_VERIFY(saved.count() > 0);

    const auto [outcome, result] =
        provision(QStringLiteral("jit-runner-1"), {QStringLiteral("linux"), QStringLiteral("team-a")},
                  ProvisioningMode::JitConfig);
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QVERIFY(m_bodyProblems.isEmpty());
    QCOMPARE(result.value("encoded_jit_config").toString(), QStringLiteral("SECRETJITCONFIG=="));
    QCOMPARE(result.value("run_command").toString(),
             QStringLiteral("./run.sh --jitconfig SECRETJITCONFIG=="));
    QVERIFY(result.value("container_command")
                .toString()
                .contains(QStringLiteral("--jitconfig SECRETJITCONFIG==")));
    // The JIT runner always carries self-hosted.
    bool found = false;
    for (const TestRequest &r : m_server.requests())
        if (r.path().endsWith(QStringLiteral("generate-jitconfig"))) {
            found = true;
            QCOMPARE(QJsonDocument::fromJson(r.body).object().value("labels").toArray(),
                     QJsonArray({"self-hosted", "linux", "team-a"}));
        }
    QVERIFY(found);
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT runner_id, labels, mode, requested_by FROM runner_provisioning "
                                  "WHERE name = 'jit-runner-1'")) &&
            q.next());
    QCOMPARE(q.value(0).toLongLong(), 5000);
    QCOMPARE(q.value(2).toString(), QStringLiteral("jit"));
    QVERIFY(!q.value(3).toString().isEmpty());
    q.finish(); // an unfinished read keeps its WAL snapshot: later reads here would not see the sync
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.create'")).last(),
             QStringLiteral("runner.create:success:5000"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [] { // the sync after provisioning (and its drift clean-up) shows the runner
            QSqlQuery r(Database::connection());
            return r.exec(QStringLiteral(
                       "SELECT COUNT(*) FROM runners WHERE runner_id = 5000 AND removed_at IS NULL")) &&
                   r.next() && r.value(0).toInt() == 1;
        }(),
        60000);
}

void TestGitHub::restoreLabels()
{
    // Someone added team-b to the JIT runner by hand, and it is busy: the sync keeps it, drifted.
    for (QJsonObject &r : m_runners)
        if (r.value("id").toInteger() == 5000) {
            QJsonArray labels = r.value("labels").toArray();
            labels << QJsonObject{{"id", 99}, {"name", "team-b"}, {"type", "custom"}};
            r.insert("labels", labels);
            r.insert("busy", true);
        }
    QVERIFY(sync().ok);
    auto plan = driftPlan(Database::connection(), m_connection.id);
    QVERIFY(plan.ok());
    QCOMPARE(plan->size(), 1);
    QCOMPARE(plan->first().drift.added, QStringList{"team-b"});

    m_server.clearRequests();
    QSignalSpy restored(m_service, &GitHubService::labelsRestored);
    QMetaObject::invokeMethod(m_service, [this] { m_service->restoreLabels(12, m_connection.id, 5000); });
    QTRY_VERIFY_WITH_TIMEOUT(restored.count() > 0, 30000);
    const Outcome o = restored.at(0).at(1).value<Outcome>();
    QVERIFY2(o.ok, qPrintable(o.message));
    QCOMPARE(m_server.requestCount(QStringLiteral("/orgs/acme/actions/runners/5000/labels")), 1);
    QCOMPARE(QJsonDocument::fromJson(m_server.requests().constLast().body).object().value("labels").toArray(),
             QJsonArray({"team-a"})); // custom labels only: GitHub keeps the system ones
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));
    QVERIFY(driftPlan(Database::connection(), m_connection.id)->isEmpty()); // the cache follows at once
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.labels'")),
             QStringList({"runner.labels:success:5000"}));

    // A runner Opsdeck did not provision has nothing to go back to: refused, unsent.
    m_server.clearRequests();
    QMetaObject::invokeMethod(m_service, [this] { m_service->restoreLabels(13, m_connection.id, 7); });
    QTRY_VERIFY_WITH_TIMEOUT(restored.count() > 1, 30000);
    QCOMPARE(restored.at(1).at(1).value<Outcome>().code, QStringLiteral("runner.labels"));
    QCOMPARE(m_server.requests().size(), 0);
    for (QJsonObject &r : m_runners)
        if (r.value("id").toInteger() == 5000)
            r.insert("busy", false);
}

void TestGitHub::provisionRegistrationToken()
{
    LabelPolicy policy;
    policy.requireEphemeral = true;
    QSignalSpy saved(m_service, &GitHubService::policySaved);
    QMetaObject::invokeMethod(m_service,
                              [this, policy] { m_service->savePolicy(5, m_connection.id, policy); });
    QTRY_VERIFY(saved.count() > 0);
    const auto [outcome, result] =
        provision(QStringLiteral("reg-runner"), {QStringLiteral("self-hosted"), QStringLiteral("gpu-2")},
                  ProvisioningMode::RegistrationToken);
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QCOMPARE(result.value("token").toString(), QStringLiteral("SECRETREGTOKEN"));
    QCOMPARE(result.value("expires_at").toString(), QStringLiteral("2026-11-23T12:00:00Z"));
    const QString command = result.value("config_command").toString();
    QVERIFY2(command.contains(
                 QStringLiteral("--url %1/acme").arg(m_server.url().toString(QUrl::StripTrailingSlash))),
             qPrintable(command));
    QVERIFY(command.contains(QStringLiteral("--token SECRETREGTOKEN")));
    QVERIFY(command.contains(QStringLiteral("--labels gpu-2")));
    QVERIFY(command.contains(QStringLiteral("--ephemeral")));
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));
    // Shown once: the token and the JIT config are nowhere in the cache (main file and WAL, read
    // as they are on disk, without closing the database under the service thread).
    const QByteArray file = readWholeFile(m_dir.filePath(QStringLiteral("cache.sqlite"))) +
                            readWholeFile(m_dir.filePath(QStringLiteral("cache.sqlite-wal")));
    QVERIFY(!file.isEmpty());
    QVERIFY(!file.contains("SECRETREGTOKEN"));
    QVERIFY(!file.contains("SECRETJITCONFIG"));

    // The runner registers with config.sh under that name: the next sync links it to the request.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT runner_id FROM runner_provisioning WHERE name = 'reg-runner'")) &&
            q.next());
    QVERIFY(q.value(0).toLongLong() < 0); // waiting for its runner
    q.finish();
    QJsonObject registered = runnerJson(6000);
    registered.insert("name", "REG-runner"); // GitHub keeps the case it was given; names match regardless
    registered.insert("busy", false);
    registered.insert("labels",
                      QJsonArray{QJsonObject{{"id", 1}, {"name", "self-hosted"}, {"type", "read-only"}},
                                 QJsonObject{{"id", 9}, {"name", "gpu-2"}, {"type", "custom"}}});
    m_runners << registered;
    QVERIFY(sync().ok);
    QVERIFY(q.exec(QStringLiteral("SELECT runner_id FROM runner_provisioning WHERE name = 'reg-runner'")) &&
            q.next());
    QCOMPARE(q.value(0).toLongLong(), 6000);
    q.finish();
    QVERIFY(
        q.exec(QStringLiteral(
            "SELECT details FROM audit_events WHERE action = 'sync.complete' ORDER BY id DESC LIMIT 1")) &&
        q.next());
    QCOMPARE(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object().value("linked").toInt(), 1);
}

void TestGitHub::provisionRefusedByPolicy()
{
    LabelPolicy policy;
    policy.allowed = {parseLabelPattern(QStringLiteral("team-*"))};
    policy.forbidden = {QStringLiteral("privileged")};
    policy.allowRegistrationToken = false;
    QSignalSpy saved(m_service, &GitHubService::policySaved);
    QMetaObject::invokeMethod(m_service,
                              [this, policy] { m_service->savePolicy(6, m_connection.id, policy); });
    QTRY_VERIFY(saved.count() > 0);
    m_server.clearRequests();
    auto [outcome, result] =
        provision(QStringLiteral("bad"), {QStringLiteral("prod"), QStringLiteral("privileged")},
                  ProvisioningMode::RegistrationToken);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.code, QStringLiteral("policy.violation"));
    QVERIFY(outcome.message.contains(QStringLiteral("\"prod\"")));
    QVERIFY(outcome.message.contains(QStringLiteral("\"privileged\" is forbidden")));
    QVERIFY(outcome.message.contains(QStringLiteral("registration tokens")));
    QCOMPARE(m_server.requests().size(), 0); // refused before any call to GitHub
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.create'")).last(),
             QStringLiteral("runner.create:failure:"));
    std::tie(outcome, result) =
        provision(QStringLiteral("bad name!"), {QStringLiteral("team-a")}, ProvisioningMode::JitConfig);
    QCOMPARE(outcome.code, QStringLiteral("runner.name"));
    QCOMPARE(m_server.requests().size(), 0);
}

void TestGitHub::refusedByWorkspacePermissions()
{
    // bob, a user of the team workspace (the copy in the cache, as the workspace service writes
    // it), with the default grants: a registration-token runner, a label policy and removing
    // runners are refused before GitHub hears of them, each refusal audited with the reason.
    QSqlDatabase db = Database::connection();
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("INSERT INTO workspace_state (id, address, online, kind, login) VALUES "
                                  "(1, 'postgresql://bob@db/opsdeck', 1, 'team', 'bob')")));
    QVERIFY(q.exec(
        QStringLiteral("INSERT INTO workspace_people (login, role, active) VALUES ('bob', 'user', 1)")));
    int id = 0;
    for (const WorkspaceGrant &g : defaultGrants()) {
        q.prepare(
            QStringLiteral("INSERT INTO workspace_grants (id, subject_kind, subject, action, scope, effect, "
                           "granted_by) VALUES (?, ?, ?, ?, ?, ?, 'opsdeck')"));
        for (const QVariant &v :
             {QVariant(++id), QVariant(g.subjectKind), QVariant(g.subject), QVariant(g.action),
              QVariant(g.scope), QVariant(g.allow ? QStringLiteral("allow") : QStringLiteral("deny"))})
            q.addBindValue(v);
        QVERIFY(q.exec());
    }
    const auto forget = qScopeGuard([] {
        QSqlQuery clean(Database::connection());
        for (const char *table : {"workspace_state", "workspace_people", "workspace_grants"})
            clean.exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)));
    });
    m_server.clearRequests();
    auto [outcome, result] =
        provision(QStringLiteral("reg-1"), {QStringLiteral("team-a")}, ProvisioningMode::RegistrationToken);
    QCOMPARE(outcome.code, QStringLiteral("permission.denied"));
    QVERIFY2(outcome.message.contains(QLatin1String("bob may not runner.provision")),
             qPrintable(outcome.message));
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.create'")).last(),
             QStringLiteral("runner.create:failure:"));

    QSignalSpy saved(m_service, &GitHubService::policySaved);
    QMetaObject::invokeMethod(m_service,
                              [this] { m_service->savePolicy(9, m_connection.id, LabelPolicy{}); });
    QTRY_VERIFY(saved.count() > 0);
    QCOMPARE(saved.last().at(1).value<Outcome>().code, QStringLiteral("permission.denied"));
    QCOMPARE(auditRows(QStringLiteral("action = 'policy.update'")).last(),
             QStringLiteral("policy.update:failure:"));

    // Runner 5 was provisioned through Opsdeck by carol: not bob's.
    q.prepare(QStringLiteral(
        "INSERT INTO runner_provisioning (connection_id, scope, runner_id, name, labels, mode, "
        "requested_by, requested_at) VALUES (?, 'org:not-yours', 5, 'r5', '[]', 'jit', 'carol', "
        "'2026-12-01T00:00:00.000Z')"));
    q.addBindValue(m_connection.id);
    QVERIFY(q.exec());
    // Runner 6 was provisioned by dave on another desktop: only the team's record knows.
    q.prepare(
        QStringLiteral("INSERT INTO workspace_runner_owners (connection, runner, owner_login, mode) VALUES "
                       "(?, '6', 'dave', 'jit')"));
    q.addBindValue(m_connection.name);
    QVERIFY(q.exec());
    const auto unowned = qScopeGuard([] {
        QSqlQuery(Database::connection())
            .exec(QStringLiteral("DELETE FROM runner_provisioning WHERE scope = 'org:not-yours'"));
        QSqlQuery(Database::connection()).exec(QStringLiteral("DELETE FROM workspace_runner_owners"));
    });
    QSignalSpy done(m_service, &GitHubService::removeFinished);
    QSignalSpy each(m_service, &GitHubService::runnerRemoved);
    QMetaObject::invokeMethod(m_service, [this] {
        m_service->removeRunners(10, m_connection.id, {5, 6}, QStringLiteral("cleanup"));
    });
    QTRY_VERIFY(done.count() > 0);
    QCOMPARE(done.last().at(2).toInt(), 2);
    QCOMPARE(each.at(0).at(2).value<Outcome>().code, QStringLiteral("permission.denied"));
    QVERIFY2(each.at(0).at(2).value<Outcome>().message.startsWith(
                 QLatin1String("Not yours: runner 5 was provisioned by carol.")),
             qPrintable(each.at(0).at(2).value<Outcome>().message));
    QVERIFY2(each.at(1).at(2).value<Outcome>().message.startsWith(
                 QLatin1String("Not yours: runner 6 was provisioned by dave.")),
             qPrintable(each.at(1).at(2).value<Outcome>().message));
    QCOMPARE(auditRows(QStringLiteral("action = 'runner.delete'")).last(),
             QStringLiteral("runner.delete:failure:6"));
    QCOMPARE(m_server.requests().size(), 0); // nothing reached GitHub
}

// An installation as GET /app/installations lists it (components/schemas/installation).
static QJsonObject installationJson(int id, const QString &login)
{
    return {
        {"id", id},
        {"app_id", 314159},
        {"app_slug", "opsdeck"},
        {"target_id", id * 10},
        {"target_type", "Organization"},
        {"single_file_name", QJsonValue::Null},
        {"repository_selection", "all"},
        {"access_tokens_url",
         QStringLiteral("https://api.github.com/app/installations/%1/access_tokens").arg(id)},
        {"html_url",
         QStringLiteral("https://github.com/organizations/%1/settings/installations/%2").arg(login).arg(id)},
        {"repositories_url", "https://api.github.com/installation/repositories"},
        {"events", QJsonArray()},
        {"account", QJsonObject{{"login", login}, {"id", id * 10}, {"type", "Organization"}}},
        {"permissions", QJsonObject{{"organization_self_hosted_runners", "write"}}},
        {"created_at", "2026-01-01T00:00:00Z"},
        {"updated_at", "2026-01-01T00:00:00Z"},
        {"suspended_by", QJsonValue::Null},
        {"suspended_at", QJsonValue::Null}};
}

void TestGitHub::githubAppInstallationToken()
{
    const auto [appKey, pem] = makeAppKey();
    EVP_PKEY *const key = appKey; // lambdas below capture it (clang 14 cannot capture a binding)
    m_secrets << pem;

    QStringList problems;
    int tokenRequests = 0;
    m_server.route("GET", QStringLiteral("/orgs/acme/installation"), [&](const TestRequest &req) {
        const QString p = jwtProblem(req.header("Authorization"), key, QStringLiteral("314159"));
        if (!p.isEmpty()) {
            problems << p;
            return TestReply::json(401, R"({"message":"A JSON web token could not be decoded"})");
        }
        return TestReply::json(200, R"({"id": 77, "app_id": 314159, "account": {"login": "acme"}})");
    });
    m_server.route(
        "POST", QStringLiteral("/app/installations/77/access_tokens"), [&](const TestRequest &req) {
            ++tokenRequests;
            const QString p = jwtProblem(req.header("Authorization"), key, QStringLiteral("314159"));
            if (!p.isEmpty()) {
                problems << p;
                return TestReply::json(401, R"({"message":"Bad credentials"})");
            }
            const QString expires = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate);
            return TestReply::json(
                201,
                QStringLiteral(R"({"token":"ghs_installation","expires_at":"%1"})").arg(expires).toUtf8());
        });

    Connection app;
    app.kind = ConnectionKind::GitHub;
    app.name = QStringLiteral("acme app");
    app.endpoint = m_server.url().toString();
    app.auth = AuthKind::GitHubApp;
    app.username = QStringLiteral("314159");
    app.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    auto saved = ConnectionStore::save(Database::connection(), app);
    QVERIFY(saved.ok());
    SecretStore::keepInMemory(saved->secretKey(), pem);

    for (int round = 0; round < 2; ++round) {
        QSignalSpy finished(m_service, &GitHubService::syncFinished);
        QMetaObject::invokeMethod(m_service, [this, id = saved->id] { m_service->syncRunners(id); });
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 30000);
        const Outcome o = finished.at(0).at(1).value<Outcome>();
        QVERIFY2(o.ok, qPrintable(o.message));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(','))));
    QCOMPARE(tokenRequests, 1); // cached until shortly before it expires
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));
    EVP_PKEY_free(key);
}

void TestGitHub::installationChoice()
{
    // The App is not installed on the organization itself, but on two other accounts: the sync
    // says so and names both; the admin lists them (Connections → Find…) and picks one.
    const auto [appKey, pem] = makeAppKey();
    EVP_PKEY *const key = appKey; // lambdas below capture it (clang 14 cannot capture a binding)
    m_secrets << pem;
    QStringList problems;
    m_server.route("GET", QStringLiteral("/orgs/globex/installation"),
                   [](const TestRequest &) { return TestReply::json(404, R"({"message":"Not Found"})"); });
    m_server.route("GET", QStringLiteral("/app/installations"), [&, key = key](const TestRequest &req) {
        const QString p = jwtProblem(req.header("Authorization"), key, QStringLiteral("271828"));
        if (!p.isEmpty()) {
            problems << p;
            return TestReply::json(401, R"({"message":"A JSON web token could not be decoded"})");
        }
        return TestReply::json(
            200, QJsonDocument(QJsonArray{installationJson(77, "acme"), installationJson(88, "initech")})
                     .toJson(QJsonDocument::Compact));
    });
    Connection app;
    app.kind = ConnectionKind::GitHub;
    app.name = QStringLiteral("globex app");
    app.endpoint = m_server.url().toString();
    app.auth = AuthKind::GitHubApp;
    app.username = QStringLiteral("271828");
    app.options.insert(QStringLiteral("org"), QStringLiteral("globex"));
    auto saved = ConnectionStore::save(Database::connection(), app);
    QVERIFY(saved.ok());
    SecretStore::keepInMemory(saved->secretKey(), pem);

    const Outcome o = sync(saved->id);
    QVERIFY(!o.ok);
    QCOMPARE(o.code, QStringLiteral("github.installation"));
    QVERIFY2(o.message.contains(QStringLiteral("77 (acme, Organization)")) &&
                 o.message.contains(QStringLiteral("88 (initech, Organization)")),
             qPrintable(o.message));

    auto *connections = m_host->add(new ConnectionService, QStringLiteral("connections-test"));
    QSignalSpy listed(connections, &ConnectionService::installationsListed);
    QMetaObject::invokeMethod(connections, [connections, c = saved.value()] {
        connections->listInstallations(3, c, QString(), true); // the key from the keychain
    });
    QTRY_VERIFY_WITH_TIMEOUT(listed.count() > 0, 30000);
    QVERIFY2(listed.at(0).at(1).value<Outcome>().ok, qPrintable(listed.at(0).at(1).value<Outcome>().message));
    const auto installations = listed.at(0).at(2).value<QList<GitHubInstallation>>();
    QCOMPARE(installations.size(), 2);
    QCOMPARE(installations.at(1),
             (GitHubInstallation{88, QStringLiteral("initech"), QStringLiteral("Organization")}));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(','))));
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));

    // A reply that is not a list is named as such, not taken as "no installations".
    QCOMPARE(parseInstallations(R"({"message":"oops"})").error().code, QStringLiteral("github.schema"));
    QCOMPARE(parseInstallations(R"([{"account":{"login":"x"}}])").error().code,
             QStringLiteral("github.schema"));
    EVP_PKEY_free(key);
}

void TestGitHub::secondaryRateLimitBacksOff()
{
    m_secondaryLimitOnce = 1;
    m_server.clearRequests();
    QElapsedTimer timer;
    timer.start();
    const Outcome o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(timer.elapsed() >= 950, qPrintable(QString::number(timer.elapsed()))); // waited for Retry-After
    // The refused try, then every page of the current list.
    const int pages = int(qMax<qsizetype>(1, (m_runners.size() + 99) / 100));
    QCOMPARE(m_server.requestCount(QStringLiteral("/orgs/acme/actions/runners")), 1 + pages);
}

void TestGitHub::repositoryScopes()
{
    // A connection for two repositories and no organization: each repository's own runners, with
    // the repository routes of the API description for list, delete and provisioning.
    for (int i = 1; i <= 3; ++i) {
        QJsonObject r = runnerJson(9000 + i);
        r.insert("name", QStringLiteral("app-runner-%1").arg(i));
        r.insert("busy", false);
        m_repoRunners << r;
    }
    const auto page = [](const QList<QJsonObject> &runners, const TestRequest &req) {
        if (req.query().queryItemValue(QStringLiteral("per_page")) != QLatin1String("100") ||
            req.header("Authorization") != "Bearer ghp_repos")
            return TestReply::json(422, R"({"message":"expected per_page=100 and the token"})");
        QJsonArray items;
        for (const QJsonObject &r : runners)
            items << r;
        return TestReply::json(
            200, QJsonDocument(QJsonObject{{"total_count", int(runners.size())}, {"runners", items}})
                     .toJson(QJsonDocument::Compact));
    };
    m_server.route("GET", QStringLiteral("/repos/acme/app/actions/runners"),
                   [this, page](const TestRequest &req) { return page(m_repoRunners, req); });
    m_server.route("GET", QStringLiteral("/repos/acme/web/actions/runners"),
                   [page](const TestRequest &req) { return page({}, req); });
    m_server.route("DELETE", QStringLiteral("/repos/acme/app/actions/runners/9001"),
                   [this](const TestRequest &) {
                       m_repoRunners.removeFirst();
                       TestReply reply;
                       reply.status = 204;
                       return reply;
                   });
    m_server.route("POST", QStringLiteral("/repos/acme/app/actions/runners/generate-jitconfig"),
                   [this](const TestRequest &req) {
                       const QJsonObject body = QJsonDocument::fromJson(req.body).object();
                       QJsonObject runner = runnerJson(9100);
                       runner.insert("name", body.value("name"));
                       runner.insert("busy", false);
                       m_repoRunners << runner;
                       return TestReply::json(
                           201,
                           QJsonDocument(QJsonObject{{"runner", runner}, {"encoded_jit_config", "REPOJIT=="}})
                               .toJson(QJsonDocument::Compact));
                   });
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme repos");
    c.endpoint = m_server.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("repos"), QStringLiteral("acme/app, acme/web"));
    QVERIFY(validateConnection(c).ok());
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved.ok());
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("ghp_repos"));
    const qint64 id = saved->id;

    m_server.clearRequests();
    Outcome o = sync(id);
    QVERIFY2(o.ok, qPrintable(o.message));
    QCOMPARE(m_server.requestCount(QStringLiteral("/repos/acme/app/actions/runners")), 1);
    QCOMPARE(m_server.requestCount(QStringLiteral("/repos/acme/web/actions/runners")), 1);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT scope, COUNT(*) FROM runners WHERE connection_id = %1 AND "
                                  "removed_at IS NULL GROUP BY scope")
                       .arg(id)) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("repo:acme/app"));
    QCOMPARE(q.value(1).toInt(), 3);
    q.finish();

    // Remove one: DELETE on the repository's route.
    QSignalSpy done(m_service, &GitHubService::removeFinished);
    QMetaObject::invokeMethod(
        m_service, [this, id] { m_service->removeRunners(11, id, {9001}, QStringLiteral("moved")); });
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 30000);
    QCOMPARE(done.at(0).at(1).toInt(), 1);
    QCOMPARE(m_server.requestCount(QStringLiteral("/repos/acme/app/actions/runners/9001")), 1);

    // Provision into the repository; a scope the connection does not have is refused unsent.
    QSignalSpy syncAfter(m_service, &GitHubService::syncFinished);
    auto [outcome, result] = provision(QStringLiteral("app-jit"), {QStringLiteral("self-hosted")},
                                       ProvisioningMode::JitConfig, id, QStringLiteral("repo:acme/app"));
    QVERIFY2(outcome.ok, qPrintable(outcome.message));
    QCOMPARE(m_server.requestCount(QStringLiteral("/repos/acme/app/actions/runners/generate-jitconfig")), 1);
    QVERIFY(q.exec(QStringLiteral("SELECT scope FROM runner_provisioning WHERE runner_id = 9100")) &&
            q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("repo:acme/app"));
    q.finish();
    std::tie(outcome, result) = provision(QStringLiteral("elsewhere"), {QStringLiteral("self-hosted")},
                                          ProvisioningMode::JitConfig, id, QStringLiteral("repo:evil/x"));
    QCOMPARE(outcome.code, QStringLiteral("runner.scope"));
    for (const TestRequest &r : m_server.requests())
        QVERIFY2(!r.path().contains(QStringLiteral("evil")), qPrintable(r.path()));

    // A repository taken off the connection: its runners leave the list, kept in history.
    QTRY_VERIFY_WITH_TIMEOUT(syncAfter.count() > 0, 30000); // the sync after provisioning
    c = ConnectionStore::byId(Database::connection(), id).value();
    c.options.insert(QStringLiteral("repos"), QStringLiteral("acme/web"));
    QVERIFY(ConnectionStore::save(Database::connection(), c).ok());
    QVERIFY(sync(id).ok);
    QVERIFY(
        q.exec(QStringLiteral("SELECT COUNT(*) FROM runners WHERE connection_id = %1 AND removed_at IS NULL")
                   .arg(id)) &&
        q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QVERIFY2(m_server.specViolations().isEmpty(),
             qPrintable(m_server.specViolations().join(QLatin1Char('\n'))));

    // Repository lists are validated where they are typed.
    c.options.insert(QStringLiteral("repos"), QStringLiteral("acme/app, not a repo"));
    QCOMPARE(validateConnection(c).error().code, QStringLiteral("github.repository"));
    c.options.insert(QStringLiteral("repos"), QStringLiteral("-acme/app"));
    QCOMPARE(validateConnection(c).error().code, QStringLiteral("github.owner"));
}

void TestGitHub::echoedCredentialsRedacted()
{
    // A proxy that quotes the request's Authorization header in its error: the sync fails with
    // the server's message, but the token is not in it (nor in the log or the audit log).
    m_server.route("GET", QStringLiteral("/orgs/echo/actions/runners"), [](const TestRequest &req) {
        return TestReply::json(
            401,
            QJsonDocument(QJsonObject{{"message", QStringLiteral("Bad credentials: %1")
                                                      .arg(QString::fromUtf8(req.header("Authorization")))}})
                .toJson(QJsonDocument::Compact));
    });
    Connection c = m_connection;
    c.id = 0;
    c.uid.clear();
    c.name = QStringLiteral("echo");
    c.options.insert(QStringLiteral("org"), QStringLiteral("echo"));
    const Connection saved = ConnectionStore::save(Database::connection(), c).value();
    const QString token = QStringLiteral("ghp_echoed0123456789abcdef");
    m_secrets << token;
    SecretStore::keepInMemory(saved.secretKey(), token);
    const Outcome o = sync(saved.id);
    QVERIFY(!o.ok);
    QVERIFY2(o.message.contains(QStringLiteral("Bad credentials: [redacted]")) && !o.message.contains(token),
             qPrintable(o.message));
}

void TestGitHub::secretsStayOut()
{
    m_host->stopAll();
    Database::close(); // the WAL is folded into the file; both are read below
    const QStringList found = SecretScan::findings(m_secrets, {m_dir.path()});
    // The scan itself sees what it should: a canary in the log, and one in a file.
    qInfo("scan canary: Y2FuYXJ5LWxvZw");
    QFile canary(m_dir.filePath(QStringLiteral("canary.txt")));
    QVERIFY(canary.open(QIODevice::WriteOnly));
    canary.write(QByteArray("canary-file").toBase64());
    canary.close();
    QCOMPARE(SecretScan::findings({QStringLiteral("Y2FuYXJ5LWxvZw"), QStringLiteral("canary-file")},
                                  {m_dir.path()})
                 .size(),
             2);
    canary.remove();
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

QTEST_GUILESS_MAIN(TestGitHub)
#include "tst_github.moc"
