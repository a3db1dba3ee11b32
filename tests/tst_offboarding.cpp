// Offboarding against the GitHub test server (its routes checked against ../shared/specs/github):
// the plan lists every step, skipped ones with why; each step runs through the service that owns
// the system, is recorded in the cache and audited on its own; a failure injected mid-way leaves
// the rest done and the offboarding incomplete; resumed, only what was not done runs again.
#include "models/audit/auditevent.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "models/workspace/offboarding.h"
#include "models/workspace/offboardingmodel.h"
#include "services/connections/secretstore.h"
#include "services/github/githubservice.h"
#include "services/servicehost.h"
#include "services/workspace/offboardingservice.h"
#include "services/workspace/workspaceservice.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "ui/panes/users/offboardingdialog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestOffboarding : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void planListsEveryStep();
    void failureThenResume();
    void dialogPreviewsAndRuns();
    void harborAndLiteLlm();

private:
    static QString value(const QString &sql)
    {
        QSqlQuery q(Database::connection());
        return q.exec(sql) && q.next() ? q.value(0).toString() : QStringLiteral("<none>");
    }
    QTemporaryDir m_dir;
    TestHttpServer m_server;
    ServiceHost *m_host = nullptr;
    WorkspaceService *m_workspace = nullptr;
    GitHubService *m_github = nullptr;
    OffboardingService *m_offboarding = nullptr;
    Connection m_connection;
    bool m_memberFails = true; // GitHub answers 502 to the removal from the organization (every retry too)
    int m_memberCalls = 0;
    QList<qint64> m_deleted;
    TestHttpServer m_harbor;
    TestHttpServer m_litellm;
    QList<std::pair<qint64, qint64>> m_harborMembers{{1, 11}, {1, 13}, {2, 21}}; // (project, member) of nina
    bool m_harborFails = true; // removing from the second project fails until resumed
    QStringList m_litellmCalls;
};

void TestOffboarding::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QVERIFY(m_server.listen());
    m_server.setSpec(
        SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json")));
    m_server.route("DELETE", QStringLiteral("/orgs/acme/memberships/leo-gh"), [this](const TestRequest &req) {
        ++m_memberCalls;
        if (req.header("Authorization") != "Bearer ghp_test")
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        if (m_memberFails)
            return TestReply::json(502, R"({"message":"Server Error"})");
        TestReply reply;
        reply.status = 204;
        return reply;
    });
    m_server.setFallback([this](const TestRequest &req) {
        static const QRegularExpression re(QStringLiteral("^/orgs/acme/actions/runners/(\\d+)$"));
        const auto m = re.match(req.path());
        if (req.method == "DELETE" && m.hasMatch()) {
            m_deleted << m.captured(1).toLongLong();
            TestReply reply;
            reply.status = 204;
            return reply;
        }
        return TestReply::json(404, R"({"message":"Not Found"})");
    });

    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme-gh");
    c.endpoint = m_server.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved.ok());
    m_connection = saved.value();
    SecretStore::keepInMemory(m_connection.secretKey(), QStringLiteral("ghp_test"));
    // leo's runners: one idle, one busy with a job.
    QSqlQuery q(Database::connection());
    for (const auto &[id, busy] : {std::pair{7101, 0}, std::pair{7102, 1}}) {
        QVERIFY(q.exec(
            QStringLiteral("INSERT INTO runners (connection_id, runner_id, scope, name, status, busy, "
                           "first_seen_at, last_seen_at) VALUES (%1, %2, 'org:acme', 'leo-%2', 'online', %3, "
                           "'2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z')")
                .arg(m_connection.id)
                .arg(id)
                .arg(busy)));
        QVERIFY(q.exec(
            QStringLiteral("INSERT INTO runner_provisioning (connection_id, scope, runner_id, name, labels, "
                           "mode, requested_by, requested_at) VALUES (%1, 'org:acme', %2, 'leo-%2', '[]', "
                           "'jit', 'leo', '2026-12-03T00:00:00Z')")
                .arg(m_connection.id)
                .arg(id)));
    }

    m_host = new ServiceHost(this);
    m_workspace = m_host->add(new WorkspaceService, QStringLiteral("workspace"));
    m_github = m_host->add(new GitHubService, QStringLiteral("github"));
    m_offboarding =
        m_host->add(new OffboardingService(m_workspace, m_github, nullptr), QStringLiteral("offboarding"));
    // The local workspace, ada its admin, and leo who leaves.
    QSignalSpy state(m_workspace, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("workspace.sqlite"));
    QMetaObject::invokeMethod(m_workspace,
                              [this, path] { m_workspace->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QSignalSpy changed(m_workspace, &WorkspaceService::peopleChanged);
    PersonChange leo;
    leo.kind = PersonChange::Kind::Add;
    leo.login = QStringLiteral("leo");
    leo.role = QStringLiteral("user");
    leo.githubLogin = QStringLiteral("leo-gh");
    QMetaObject::invokeMethod(m_workspace, "changePeople", Q_ARG(QList<opsdeck::PersonChange>, {leo}),
                              Q_ARG(QString, QStringLiteral("add-leo")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QCOMPARE(changed.first().at(1).toInt(), 1);
}

void TestOffboarding::cleanupTestCase()
{
    m_host->stopAll();
    QVERIFY2(m_server.specViolations().isEmpty(), qPrintable(m_server.specViolations().join('\n')));
    Database::close();
}

void TestOffboarding::planListsEveryStep()
{
    const auto plan = planOffboarding(Database::connection(), QStringLiteral("leo"));
    QVERIFY2(plan, plan ? "" : qPrintable(plan.message()));
    QStringList kinds;
    for (const OffboardingStep &s : plan.value())
        kinds << QStringLiteral("%1:%2:%3").arg(s.kind, s.target, s.state);
    QCOMPARE(
        kinds,
        (QStringList{QStringLiteral("workspace:leo:pending"), QStringLiteral("github.member:acme:pending"),
                     QStringLiteral("runner.delete:7101:pending"), QStringLiteral("runner.busy:7102:pending"),
                     QStringLiteral("deployment.stop::skipped"), QStringLiteral("harbor.member::skipped"),
                     QStringLiteral("litellm.block::skipped")}));
    QVERIFY(plan->at(5).detail.contains(QLatin1String("No Harbor connection")));
    QCOMPARE(planOffboarding(Database::connection(), QStringLiteral("nobody")).error().code,
             QStringLiteral("workspace.no-person"));
}

void TestOffboarding::failureThenResume()
{
    QSignalSpy started(m_offboarding, &OffboardingService::started);
    QSignalSpy finished(m_offboarding, &OffboardingService::finished);
    // No comment, or oneself: refused before anything happens.
    QMetaObject::invokeMethod(m_offboarding, "start", Q_ARG(QString, QStringLiteral("leo")),
                              Q_ARG(QString, QStringLiteral(" ")), Q_ARG(quint64, 1));
    QMetaObject::invokeMethod(m_offboarding, "start", Q_ARG(QString, QStringLiteral("ada")),
                              Q_ARG(QString, QStringLiteral("bye")), Q_ARG(quint64, 2));
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, 10000);
    QCOMPARE(started.at(0).at(1).toLongLong(), 0);
    QCOMPARE(started.at(1).at(1).toLongLong(), 0);
    QVERIFY2(started.at(1).at(2).toString().contains(QLatin1String("themselves")),
             qPrintable(started.at(1).at(2).toString()));
    QCOMPARE(value(QStringLiteral("SELECT COUNT(*) FROM offboardings")), QStringLiteral("0"));

    QMetaObject::invokeMethod(m_offboarding, "start", Q_ARG(QString, QStringLiteral("leo")),
                              Q_ARG(QString, QStringLiteral("left the company")), Q_ARG(quint64, 3));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const qint64 id = started.last().at(1).toLongLong();
    QVERIFY(id > 0);
    QCOMPARE(finished.last().at(1).toString(), QStringLiteral("incomplete"));
    auto o = OffboardingStore::load(Database::connection(), id);
    QVERIFY(o);
    QStringList states;
    for (const OffboardingStep &s : o->steps)
        states << s.kind + QLatin1Char('=') + s.state;
    QCOMPARE(states,
             (QStringList{QStringLiteral("workspace=done"), QStringLiteral("github.member=failed"),
                          QStringLiteral("runner.delete=done"), QStringLiteral("runner.busy=skipped"),
                          QStringLiteral("deployment.stop=skipped"), QStringLiteral("harbor.member=skipped"),
                          QStringLiteral("litellm.block=skipped")}));
    QVERIFY2(o->steps.at(1).detail.contains(QLatin1String("502")), qPrintable(o->steps.at(1).detail));
    QVERIFY2(o->steps.at(3).detail.contains(QLatin1String("busy")), qPrintable(o->steps.at(3).detail));
    QCOMPARE(m_deleted, (QList<qint64>{7101}));
    QCOMPARE(value(QStringLiteral("SELECT active FROM workspace_people WHERE login = 'leo'")),
             QStringLiteral("0"));
    // One audit event per step, the failed one as a failure, each with the comment.
    QCOMPARE(value(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'user.offboard' AND target_name = "
                 "'leo' AND comment = 'left the company'")),
             QStringLiteral("7"));
    QCOMPARE(value(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'user.offboard' AND outcome = 'failure'")),
             QStringLiteral("1"));
    // A second start is refused while this one is unfinished.
    QMetaObject::invokeMethod(m_offboarding, "start", Q_ARG(QString, QStringLiteral("leo")),
                              Q_ARG(QString, QStringLiteral("again")), Q_ARG(quint64, 4));
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 4, 10000);
    QCOMPARE(started.last().at(1).toLongLong(), 0);
    QVERIFY(started.last().at(2).toString().contains(QLatin1String("resume")));

    // Resumed: only the failed step runs again, and now succeeds.
    m_memberFails = false;
    const int callsBefore = m_memberCalls;
    QMetaObject::invokeMethod(m_offboarding, "resume", Q_ARG(qint64, id), Q_ARG(quint64, 5));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
    QCOMPARE(finished.last().at(1).toString(), QStringLiteral("done"));
    QCOMPARE(m_memberCalls, callsBefore + 1);
    QCOMPARE(m_deleted, (QList<qint64>{7101})); // not deleted twice
    QCOMPARE(value(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'user.disable' AND target_name = 'leo'")),
             QStringLiteral("1"));
    QCOMPARE(value(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'member.remove' AND outcome = 'success'")),
             QStringLiteral("1"));
    QCOMPARE(value(QStringLiteral("SELECT state FROM offboardings WHERE id = %1").arg(id)),
             QStringLiteral("done"));
}

void TestOffboarding::dialogPreviewsAndRuns()
{
    // mo has nothing anywhere but the workspace: the preview says so step by step.
    QSignalSpy changed(m_workspace, &WorkspaceService::peopleChanged);
    PersonChange mo;
    mo.kind = PersonChange::Kind::Add;
    mo.login = QStringLiteral("mo");
    mo.role = QStringLiteral("user");
    QMetaObject::invokeMethod(m_workspace, "changePeople", Q_ARG(QList<opsdeck::PersonChange>, {mo}),
                              Q_ARG(QString, QStringLiteral("add-mo")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);

    OffboardingDialog dialog(QStringLiteral("mo"), m_offboarding);
    // The service plans on its thread; until then, nothing can start.
    QVERIFY(!dialog.runButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->rowCount(), 6, 10000);
    QCOMPARE(dialog.offboarding(), 0); // a plan, not started
    QCOMPARE(dialog.model()->index(1, OffboardingModel::State).data().toString(), QStringLiteral("skipped"));
    QVERIFY(dialog.model()
                ->index(1, OffboardingModel::Detail)
                .data()
                .toString()
                .contains(QLatin1String("No GitHub login")));
    QVERIFY(!dialog.runButton()->isEnabled()); // the comment first
    dialog.commentEdit()->setPlainText(QStringLiteral("contract ended"));
    QVERIFY(dialog.runButton()->isEnabled());
    QSignalSpy done(&dialog, &OffboardingDialog::runFinished);
    dialog.runButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
    QCOMPARE(done.first().at(0).toString(), QStringLiteral("done"));
    QVERIFY(dialog.offboarding() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.model()->finishedSteps(), 6, 10000);
    QTRY_VERIFY(dialog.statusText().contains(QLatin1String("Done")));
    QVERIFY(!dialog.runButton()->isEnabled());
    QVERIFY(dialog.commentEdit()->isReadOnly());
    QCOMPARE(dialog.progress()->value(), 6);
    QCOMPARE(value(QStringLiteral("SELECT active FROM workspace_people WHERE login = 'mo'")),
             QStringLiteral("0"));
}

void TestOffboarding::harborAndLiteLlm()
{
    // Harbor (Basic auth) and LiteLLM (the master key), each checked against its spec.
    QVERIFY(m_harbor.listen());
    const SpecRoutes harborSpec = SpecRoutes::fromSwaggerYaml(
        specsDir() + QStringLiteral("/harbor/harbor-api-v2.0.v2.15.2.subset.yaml"));
    m_harbor.setSpec(harborSpec, harborSpec.basePath());
    m_harbor.setFallback([this](const TestRequest &req) {
        if (req.header("Authorization") != "Basic " + QByteArray("admin:harbor-secret").toBase64())
            return TestReply::json(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})");
        if (req.method == "GET" && req.path() == QLatin1String("/api/v2.0/projects"))
            return TestReply::json(200,
                                   R"([{"project_id":1,"name":"shop"},{"project_id":2,"name":"infra"}])");
        static const QRegularExpression members(
            QStringLiteral("^/api/v2.0/projects/(\\d+)/members(?:/(\\d+))?$"));
        const auto m = members.match(req.path());
        if (!m.hasMatch())
            return TestReply::json(404, R"({"errors":[{"code":"NOT_FOUND"}]})");
        const qint64 project = m.captured(1).toLongLong();
        if (req.method == "GET") {
            // Harbor's search matches parts of names: ninad is someone else.
            QJsonArray out{QJsonObject{{"id", 99}, {"entity_name", "ninad"}, {"entity_type", "u"}}};
            for (const auto &[p, mid] : m_harborMembers)
                if (p == project)
                    out << QJsonObject{{"id", mid}, {"entity_name", "nina"}, {"entity_type", "u"}};
            return TestReply::json(200, QJsonDocument(out).toJson(QJsonDocument::Compact));
        }
        if (req.method == "DELETE") {
            if (project == 2 && m_harborFails)
                return TestReply::json(403, R"({"errors":[{"code":"FORBIDDEN","message":"forbidden"}]})");
            m_harborMembers.removeAll(std::pair{project, m.captured(2).toLongLong()});
            TestReply reply;
            reply.status = 200;
            return reply;
        }
        return TestReply::json(405, "{}");
    });
    QVERIFY(m_litellm.listen());
    m_litellm.setSpec(SpecRoutes::fromLiteLlmSummary(
        specsDir() + QStringLiteral("/litellm/litellm-proxy-admin-api.summary.yaml")));
    m_litellm.setFallback([this](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer sk-master")
            return TestReply::json(401, R"({"error":{"message":"Authentication Error"}})");
        m_litellmCalls << QStringLiteral("%1 %2 %3")
                              .arg(QString::fromLatin1(req.method), req.path(), QString::fromUtf8(req.body));
        if (req.method == "GET" && req.path() == QLatin1String("/key/list")) {
            if (req.query().queryItemValue(QStringLiteral("user_id"), QUrl::FullyDecoded) !=
                QLatin1String("nina@acme.example"))
                return TestReply::json(200,
                                       R"({"keys":[],"total_count":0,"current_page":1,"total_pages":1})");
            return TestReply::json(200,
                                   R"({"keys":[{"token":"hash-1","key_alias":"nina-ci","blocked":false},)"
                                   R"({"token":"hash-2","key_alias":"nina-old","blocked":true}],)"
                                   R"("total_count":2,"current_page":1,"total_pages":1})");
        }
        if (req.method == "POST")
            return TestReply::json(200, "{}");
        return TestReply::json(404, "{}");
    });
    for (const auto &[kind, name, url, auth, secret] :
         {std::tuple{ConnectionKind::Harbor, QStringLiteral("harbor"), m_harbor.url().toString(),
                     AuthKind::Basic, QStringLiteral("harbor-secret")},
          std::tuple{ConnectionKind::LiteLLM, QStringLiteral("llm"), m_litellm.url().toString(),
                     AuthKind::Token, QStringLiteral("sk-master")}}) {
        Connection c;
        c.kind = kind;
        c.name = name;
        c.endpoint = url;
        c.auth = auth;
        c.username = QStringLiteral("admin");
        auto saved = ConnectionStore::save(Database::connection(), c);
        QVERIFY(saved.ok());
        SecretStore::keepInMemory(saved->secretKey(), secret);
    }
    QSignalSpy changed(m_workspace, &WorkspaceService::peopleChanged);
    PersonChange nina;
    nina.kind = PersonChange::Kind::Add;
    nina.login = QStringLiteral("nina");
    nina.role = QStringLiteral("user");
    nina.harborUser = QStringLiteral("nina");
    nina.litellmUser = QStringLiteral("nina@acme.example");
    QMetaObject::invokeMethod(m_workspace, "changePeople", Q_ARG(QList<opsdeck::PersonChange>, {nina}),
                              Q_ARG(QString, QStringLiteral("add-nina")));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QCOMPARE(changed.first().at(1).toInt(), 1);

    QSignalSpy started(m_offboarding, &OffboardingService::started);
    QSignalSpy finished(m_offboarding, &OffboardingService::finished);
    QMetaObject::invokeMethod(m_offboarding, "start", Q_ARG(QString, QStringLiteral("nina")),
                              Q_ARG(QString, QStringLiteral("moved to another team")), Q_ARG(quint64, 20));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    const qint64 id = started.last().at(1).toLongLong();
    QVERIFY2(id > 0, qPrintable(started.last().at(2).toString()));
    QCOMPARE(finished.last().at(1).toString(), QStringLiteral("incomplete"));
    auto o = OffboardingStore::load(Database::connection(), id);
    QVERIFY(o);
    const auto stepOf = [&o](const QString &kind) {
        for (const OffboardingStep &s : o->steps)
            if (s.kind == kind)
                return s;
        return OffboardingStep{};
    };
    QCOMPARE(stepOf(OffboardingKind::harborMember).state, OffboardingState::failed);
    QVERIFY2(stepOf(OffboardingKind::harborMember).detail.contains(QLatin1String("shop before that")),
             qPrintable(stepOf(OffboardingKind::harborMember).detail));
    QCOMPARE(m_harborMembers, (QList<std::pair<qint64, qint64>>{{2, 21}})); // shop's two are gone, not ninad
    QCOMPARE(stepOf(OffboardingKind::litellmBlock).state, OffboardingState::done);
    // The blocked key is left alone; the other one is blocked, then the user.
    QVERIFY2(m_litellmCalls.size() == 3, qPrintable(m_litellmCalls.join('\n') + QLatin1Char('\n') +
                                                    stepOf(OffboardingKind::litellmBlock).detail));
    QVERIFY2(m_litellmCalls.at(1).startsWith(QLatin1String("POST /key/block")) &&
                 m_litellmCalls.at(1).contains(QLatin1String("hash-1")),
             qPrintable(m_litellmCalls.join('\n')));
    QVERIFY2(m_litellmCalls.at(2).startsWith(QLatin1String("POST /user/update")) &&
                 m_litellmCalls.at(2).contains(QLatin1String("\"blocked\":true")),
             qPrintable(m_litellmCalls.join('\n')));

    // Resumed: Harbor again (only what is left), LiteLLM not again.
    m_harborFails = false;
    QMetaObject::invokeMethod(m_offboarding, "resume", Q_ARG(qint64, id), Q_ARG(quint64, 21));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
    QCOMPARE(finished.last().at(1).toString(), QStringLiteral("done"));
    QVERIFY(m_harborMembers.isEmpty());
    QCOMPARE(m_litellmCalls.size(), 3);
    QVERIFY2(m_harbor.specViolations().isEmpty(), qPrintable(m_harbor.specViolations().join('\n')));
    QVERIFY2(m_litellm.specViolations().isEmpty(), qPrintable(m_litellm.specViolations().join('\n')));
}

QTEST_MAIN(TestOffboarding)
#include "tst_offboarding.moc"
