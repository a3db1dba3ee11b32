// Test runs from GitHub Actions: a local GitHub that follows the API description (workflow runs,
// their artifacts, the zip download answered with a redirect) and a second local server standing in
// for the artifact storage, which refuses (and records) any request carrying the GitHub token.
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "models/testruns/sourcemodels.h"
#include "models/testruns/workflowruns.h"
#include "services/connections/secretstore.h"
#include "services/github/githubservice.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/testruns/githubrunstore.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunstore.h"
#include "specroutes.h"
#include "testhttpserver.h"
#include "ui/panes/testruns/githubsourcesdialog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <zip.h>

using namespace opsdeck;

namespace {

// A zip archive of the given files, made with libzip in memory.
QByteArray makeZip(const QList<std::pair<QString, QByteArray>> &files)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.zip"));
    int error = 0;
    zip_t *z = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!z)
        return {};
    QList<QByteArray> keep; // libzip reads the buffers when the archive is closed
    for (const auto &[name, data] : files) {
        keep << data;
        zip_source_t *src =
            zip_source_buffer(z, keep.last().constData(), zip_uint64_t(keep.last().size()), 0);
        zip_file_add(z, name.toUtf8().constData(), src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    }
    zip_close(z);
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray suite(const QString &name, int passed, int failed)
{
    QByteArray xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += QStringLiteral("<testsuite name=\"%1\" tests=\"%2\" timestamp=\"2026-11-30T10:00:00\">")
               .arg(name)
               .arg(passed + failed)
               .toUtf8();
    for (int i = 0; i < passed; ++i)
        xml += QStringLiteral("<testcase classname=\"%1\" name=\"ok%2\" time=\"0.01\"/>")
                   .arg(name)
                   .arg(i)
                   .toUtf8();
    for (int i = 0; i < failed; ++i)
        xml += QStringLiteral("<testcase classname=\"%1\" name=\"bad%2\" time=\"0.02\"><failure "
                              "message=\"expected 1\">trace</failure></testcase>")
                   .arg(name)
                   .arg(i)
                   .toUtf8();
    return xml + "</testsuite>\n";
}

QJsonObject workflowRun(qint64 id, const QString &status, const QString &conclusion, const QString &branch,
                        const QString &sha, const QString &created)
{
    return {{"id", id},
            {"node_id", "WFR_x"},
            {"name", "CI"},
            {"display_title", QStringLiteral("Run %1").arg(id)},
            {"head_branch", branch},
            {"head_sha", sha},
            {"run_number", id - 100},
            {"run_attempt", 1},
            {"event", "push"},
            {"status", status},
            {"conclusion", conclusion.isEmpty() ? QJsonValue() : QJsonValue(conclusion)},
            {"html_url", QStringLiteral("https://github.com/acme/api/actions/runs/%1").arg(id)},
            {"created_at", created},
            {"updated_at", created}};
}

} // namespace

class TestGitHubActions : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void mapping_data();
    void mapping();
    void sourceSettings_data();
    void sourceSettings();
    void importsEachArtifactOnce();
    void refusedArtifactKeepsNothing();
    void failedDownloadTriedAgain();
    void patternChangeLooksAgain();
    void dialogShowsWorkflowRuns();

private:
    Outcome syncSource(qint64 sourceId);
    QString artifactState(qint64 artifactId);
    int count(const QString &sql);
    void addArtifact(qint64 runId, qint64 id, const QString &name, const QByteArray &zip,
                     bool expired = false);

    QTemporaryDir m_dir;
    TestHttpServer m_github;
    TestHttpServer m_storage;
    ServiceHost *m_host = nullptr;
    GitHubService *m_service = nullptr;
    Connection m_connection;
    qint64 m_source = 0;
    QList<QJsonObject> m_runs;
    QHash<qint64, QJsonArray> m_artifacts; // by workflow run
    QHash<qint64, QByteArray> m_zips;      // by artifact
    QSet<qint64> m_gone;                   // artifacts answering 410
    bool m_storageDown = false;
    QStringList m_storageProblems;
};

void TestGitHubActions::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QVERIFY(m_github.listen());
    QVERIFY(m_storage.listen());
    m_github.setSpec(
        SpecRoutes::fromOpenApiJson(specsDir() + QStringLiteral("/github/api.github.com.subset.json")));
    const auto authorized = [](const TestRequest &req) {
        return req.header("Authorization") == "Bearer ghp_actions" &&
               req.header("X-GitHub-Api-Version") == "2022-11-28";
    };
    m_github.route(
        "GET", QStringLiteral("/repos/acme/api/actions/runs"), [this, authorized](const TestRequest &req) {
            if (!authorized(req))
                return TestReply::json(401, R"({"message":"Bad credentials"})");
            if (req.query().queryItemValue(QStringLiteral("status")) != QLatin1String("completed"))
                return TestReply::json(422, R"({"message":"expected status=completed"})");
            QJsonArray list;
            for (const QJsonObject &r : std::as_const(m_runs))
                list << r;
            return TestReply::json(
                200, QJsonDocument(QJsonObject{{"total_count", list.size()}, {"workflow_runs", list}})
                         .toJson(QJsonDocument::Compact));
        });
    m_github.setFallback([this, authorized](const TestRequest &req) {
        if (!authorized(req))
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        static const QRegularExpression artifactsOf(
            QStringLiteral("^/repos/acme/api/actions/runs/(\\d+)/artifacts$"));
        static const QRegularExpression zip(QStringLiteral("^/repos/acme/api/actions/artifacts/(\\d+)/zip$"));
        if (const auto m = artifactsOf.match(req.path()); m.hasMatch()) {
            const QJsonArray list = m_artifacts.value(m.captured(1).toLongLong());
            return TestReply::json(
                200, QJsonDocument(QJsonObject{{"total_count", list.size()}, {"artifacts", list}})
                         .toJson(QJsonDocument::Compact));
        }
        if (const auto m = zip.match(req.path()); m.hasMatch()) {
            const qint64 id = m.captured(1).toLongLong();
            if (m_gone.contains(id))
                return TestReply::json(410, R"({"message":"Artifact has expired"})");
            TestReply reply;
            reply.status = 302;
            // Storage elsewhere, with a signed query, as GitHub answers (the URL expires in a minute).
            reply.header("Location",
                         m_storage.url(QStringLiteral("/blob/%1.zip").arg(id)).toString().toUtf8() +
                             "?sig=SIGNEDSTORAGE&se=2026-12-04");
            return reply;
        }
        return TestReply::json(404, R"({"message":"Not Found"})");
    });
    m_storage.setFallback(
        [this](const TestRequest &req) {
            // The storage host must never see GitHub's credentials.
            for (const auto &[name, value] : req.headers)
                if (name.compare("Authorization", Qt::CaseInsensitive) == 0 || value.contains("ghp_actions"))
                    m_storageProblems
                        << QStringLiteral("%1 carried the GitHub token").arg(QString::fromUtf8(req.target));
            if (req.query().queryItemValue(QStringLiteral("sig")) != QLatin1String("SIGNEDSTORAGE"))
                return TestReply::json(403, R"({"message":"signature missing"})");
            if (m_storageDown)
                return TestReply::json(404, R"({"message":"The specified blob does not exist."})");
            static const QRegularExpression blob(QStringLiteral("^/blob/(\\d+)\\.zip$"));
            const auto m = blob.match(req.path());
            if (!m.hasMatch() || !m_zips.contains(m.captured(1).toLongLong()))
                return TestReply::json(404, R"({"message":"no blob"})");
            TestReply reply;
            reply.body = m_zips.value(m.captured(1).toLongLong());
            reply.header("Content-Type", "application/zip");
            return reply;
        });

    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("acme");
    c.endpoint = m_github.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));
    auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved.ok());
    m_connection = saved.value();
    SecretStore::keepInMemory(m_connection.secretKey(), QStringLiteral("ghp_actions"));
    SecretStore::keepInMemory(RunSigningKey::keychainKey,
                              QString::fromLatin1(QByteArray(32, 'k').toBase64()));

    m_host = new ServiceHost(this);
    m_service = m_host->add(new GitHubService, QStringLiteral("github"));
}

void TestGitHubActions::cleanupTestCase()
{
    m_host->stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
    Database::close();
}

void TestGitHubActions::init()
{
    // Each test starts from a new source and a GitHub with nothing in it.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM test_sources")));
    m_runs.clear();
    m_artifacts.clear();
    m_zips.clear();
    m_gone.clear();
    m_storageDown = false;
    m_storageProblems.clear();
    m_github.clearRequests();
    m_storage.clearRequests();
    GitHubTestSource settings;
    settings.repo = QStringLiteral("acme/api");
    settings.artifacts = QStringLiteral("junit-*");
    auto id = GitHubRunStore::saveSource(0, QStringLiteral("api (GitHub)"), m_connection.id, settings);
    QVERIFY2(id, id ? "" : qPrintable(id.error().message));
    m_source = id.value();
}

void TestGitHubActions::mapping_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("runs");
    QTest::addColumn<QString>("error");
    QTest::newRow("runs") << QByteArray(
                                 R"({"total_count":1,"workflow_runs":[{"id":5,"head_sha":"a","event":"push",
        "status":"completed","created_at":"2026-11-30T10:00:00Z","head_branch":null}]})")
                          << true << QString();
    QTest::newRow("runs not json") << QByteArray("{\"total_count\":") << true
                                   << QStringLiteral("json.malformed");
    QTest::newRow("runs missing list")
        << QByteArray(R"({"total_count":1})") << true << QStringLiteral("github.schema");
    QTest::newRow("run without id")
        << QByteArray(R"({"total_count":1,"workflow_runs":[{"head_sha":"a","event":"push",
        "status":"completed","created_at":"2026-11-30T10:00:00Z"}]})")
        << true << QStringLiteral("github.schema");
    QTest::newRow("run with a bad date")
        << QByteArray(R"({"total_count":1,"workflow_runs":[{"id":5,"head_sha":"a",
        "event":"push","status":"completed","created_at":"yesterday"}]})")
        << true << QStringLiteral("github.schema");
    QTest::newRow("artifacts")
        << QByteArray(R"({"total_count":1,"artifacts":[{"id":9,"name":"junit","size_in_bytes":10,
        "expired":false,"workflow_run":{"id":5}}]})")
        << false << QString();
    QTest::newRow("artifact with a negative size")
        << QByteArray(R"({"total_count":1,"artifacts":[{"id":9,"name":"junit",
        "size_in_bytes":-1,"expired":false}]})")
        << false << QStringLiteral("github.schema");
    QTest::newRow("artifact without expired")
        << QByteArray(R"({"total_count":1,"artifacts":[{"id":9,"name":"junit",
        "size_in_bytes":1}]})")
        << false << QStringLiteral("github.schema");
    QTest::newRow("artifacts are an object")
        << QByteArray(R"({"total_count":1,"artifacts":{}})") << false << QStringLiteral("github.schema");
}

void TestGitHubActions::mapping()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, runs);
    QFETCH(QString, error);
    if (runs) {
        const auto page = parseWorkflowRunPage(body);
        QCOMPARE(page ? QString() : page.error().code, error);
        if (page) {
            QCOMPARE(page->runs.size(), 1);
            QCOMPARE(page->runs.at(0).id, 5);
            QVERIFY(page->runs.at(0).completed());
            QCOMPARE(page->runs.at(0).branch, QString()); // null for some events
        }
    } else {
        const auto page = parseArtifactPage(body);
        QCOMPARE(page ? QString() : page.error().code, error);
        if (page) {
            QCOMPARE(page->artifacts.at(0).workflowRunId, 5);
            QCOMPARE(artifactRunKey(page->artifacts.at(0).id), QStringLiteral("artifact:9"));
        }
    }
}

void TestGitHubActions::sourceSettings_data()
{
    QTest::addColumn<QString>("repo");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("matches");
    QTest::newRow("plain") << "acme/api"
                           << "junit-*" << QString() << "junit-linux";
    QTest::newRow("every artifact") << "acme/api"
                                    << "*" << QString() << "anything";
    QTest::newRow("no owner") << "api"
                              << "*"
                              << "validation.repo" << QString();
    QTest::newRow("two repositories") << "acme/api, acme/web"
                                      << "*"
                                      << "validation.repo" << QString();
    QTest::newRow("bad owner") << "-acme/api"
                               << "*"
                               << "validation.repo" << QString();
    QTest::newRow("empty pattern") << "acme/api"
                                   << " "
                                   << "validation.pattern" << QString();
}

void TestGitHubActions::sourceSettings()
{
    QFETCH(QString, repo);
    QFETCH(QString, pattern);
    QFETCH(QString, error);
    QFETCH(QString, matches);
    GitHubTestSource s;
    s.repo = repo;
    s.artifacts = pattern;
    const auto checked = s.check();
    QCOMPARE(checked ? QString() : checked.error().code, error);
    if (!matches.isEmpty()) {
        QVERIFY(s.wants(matches));
        if (pattern != QLatin1String("*"))
            QVERIFY(!s.wants(QStringLiteral("coverage-") + matches));
    }
    // A source refused here is never saved.
    if (!error.isEmpty())
        QVERIFY(!GitHubRunStore::saveSource(0, QStringLiteral("x"), m_connection.id, s));
}

Outcome TestGitHubActions::syncSource(qint64 sourceId)
{
    QSignalSpy finished(m_service, &GitHubService::testSyncFinished);
    QMetaObject::invokeMethod(m_service, [this, sourceId] { m_service->syncTestSource(sourceId); });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 30000);
    }();
    return finished.isEmpty() ? Outcome{} : finished.at(0).at(1).value<Outcome>();
}

QString TestGitHubActions::artifactState(qint64 artifactId)
{
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral("SELECT state FROM test_artifacts WHERE artifact_id = ?"));
    q.addBindValue(artifactId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

int TestGitHubActions::count(const QString &sql)
{
    QSqlQuery q(Database::connection());
    return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
}

void TestGitHubActions::addArtifact(qint64 runId, qint64 id, const QString &name, const QByteArray &zip,
                                    bool expired)
{
    m_artifacts[runId] << QJsonObject{
        {"id", id},
        {"node_id", "A_x"},
        {"name", name},
        {"size_in_bytes", zip.size()},
        {"url", QStringLiteral("https://api.github.com/repos/acme/api/actions/artifacts/%1").arg(id)},
        {"archive_download_url",
         QStringLiteral("https://api.github.com/repos/acme/api/actions/artifacts/%1/zip").arg(id)},
        {"expired", expired},
        {"created_at", "2026-11-30T10:05:00Z"},
        {"expires_at", "2027-02-28T10:05:00Z"},
        {"updated_at", "2026-11-30T10:05:00Z"},
        {"workflow_run", QJsonObject{{"id", runId}, {"head_branch", "main"}, {"head_sha", "aaa"}}}};
    m_zips.insert(id, zip);
}

void TestGitHubActions::importsEachArtifactOnce()
{
    m_runs << workflowRun(101, "completed", "failure", "main", "aaa111", "2026-11-30T10:00:00Z")
           << workflowRun(102, "in_progress", {}, "main", "bbb222", "2026-11-30T11:00:00Z")
           << workflowRun(103, "completed", "success", "feature/x", "ccc333", "2026-11-30T12:00:00Z");
    // Run 101: two suites and a coverage report (XML, not JUnit) in one artifact; an HTML report
    // the pattern leaves out; an expired one.
    addArtifact(101, 1001, QStringLiteral("junit-api"),
                makeZip({{QStringLiteral("reports/TEST-Orders.xml"), suite(QStringLiteral("Orders"), 3, 1)},
                         {QStringLiteral("reports/TEST-Users.xml"), suite(QStringLiteral("Users"), 2, 0)},
                         {QStringLiteral("coverage.xml"), "<coverage line-rate=\"0.8\"/>"}}));
    addArtifact(101, 1002, QStringLiteral("coverage-html"),
                makeZip({{QStringLiteral("index.html"), "<html/>"}}));
    addArtifact(101, 1003, QStringLiteral("junit-old"), QByteArray(), true);
    // Run 103: an artifact without any XML.
    addArtifact(103, 1004, QStringLiteral("junit-logs"), makeZip({{QStringLiteral("log.txt"), "hello"}}));

    QSignalSpy imported(m_service, &GitHubService::testRunImported);
    const Outcome first = syncSource(m_source);
    QVERIFY2(first.ok, qPrintable(first.message));
    QVERIFY2(m_github.specViolations().isEmpty(),
             qPrintable(m_github.specViolations().join(QLatin1Char('\n'))));
    QVERIFY2(m_storageProblems.isEmpty(), qPrintable(m_storageProblems.join(QLatin1Char('\n'))));
    QCOMPARE(m_storage.requestCount(QStringLiteral("/blob/1001.zip")), 1);
    QCOMPARE(m_storage.requestCount(QStringLiteral("/blob/1002.zip")), 0); // not wanted: not downloaded
    QCOMPARE(imported.count(), 1);

    // One run of the source from the artifact, with the workflow run's branch, commit and event.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("SELECT r.run_key, r.title, r.branch, r.commit_sha, r.event, r.tests, r.passed, "
                       "r.failed, r.notes, r.signature, s.kind FROM test_runs r JOIN test_sources s ON "
                       "s.id = r.source_id")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("artifact:1001"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("CI #1 · junit-api"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("main"));
    QCOMPARE(q.value(3).toString(), QStringLiteral("aaa111"));
    QCOMPARE(q.value(4).toString(), QStringLiteral("push"));
    QCOMPARE(q.value(5).toInt(), 6);
    QCOMPARE(q.value(6).toInt(), 5);
    QCOMPARE(q.value(7).toInt(), 1);
    QVERIFY2(q.value(8).toString().contains(QLatin1String("coverage.xml")),
             qPrintable(q.value(8).toString()));
    QVERIFY(!q.value(9).toString().isEmpty()); // signed
    QCOMPARE(q.value(10).toString(), QStringLiteral("github"));
    QVERIFY(!q.next());
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_cases")), 6);

    QCOMPARE(artifactState(1001), QStringLiteral("imported"));
    QCOMPARE(artifactState(1002), QStringLiteral("skipped"));
    QCOMPARE(artifactState(1003), QStringLiteral("expired"));
    QCOMPARE(artifactState(1004), QStringLiteral("no-junit"));
    // The run in progress is recorded but its artifacts are not looked at yet.
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_workflow_runs")), 3);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_workflow_runs WHERE artifacts_done = 1")), 2);
    QCOMPARE(
        count(QStringLiteral("SELECT conclusion = 'failure' FROM test_workflow_runs WHERE gh_run_id = 101")),
        1);
    QCOMPARE(count(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.import' AND outcome = "
                 "'success'")),
             1);

    // Again, and again: nothing is downloaded or imported twice, decided runs are not asked about.
    m_github.clearRequests();
    for (int i = 0; i < 2; ++i) {
        const Outcome again = syncSource(m_source);
        QVERIFY2(again.ok, qPrintable(again.message));
    }
    QCOMPARE(m_storage.requestCount(QStringLiteral("/blob/1001.zip")), 1);
    QCOMPARE(m_github.requestCount(QStringLiteral("/repos/acme/api/actions/runs/101/artifacts")), 0);
    QCOMPARE(imported.count(), 1);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), 1);

    // The run that was in progress completes, with an artifact: the next sync takes it.
    m_runs[1] = workflowRun(102, "completed", "success", "main", "bbb222", "2026-11-30T11:00:00Z");
    addArtifact(102, 1005, QStringLiteral("junit-api"),
                makeZip({{QStringLiteral("TEST-Orders.xml"), suite(QStringLiteral("Orders"), 4, 0)}}));
    const Outcome later = syncSource(m_source);
    QVERIFY2(later.ok, qPrintable(later.message));
    QCOMPARE(artifactState(1005), QStringLiteral("imported"));
    QCOMPARE(imported.count(), 2);
    QVERIFY(m_storageProblems.isEmpty());
}

void TestGitHubActions::refusedArtifactKeepsNothing()
{
    m_runs << workflowRun(201, "completed", "failure", "main", "ddd444", "2026-12-01T10:00:00Z");
    QByteArray truncated = suite(QStringLiteral("Orders"), 50, 2);
    truncated.chop(truncated.size() / 3);
    addArtifact(201, 2001, QStringLiteral("junit-api"),
                makeZip({{QStringLiteral("TEST-A.xml"), suite(QStringLiteral("A"), 2, 0)},
                         {QStringLiteral("TEST-Orders.xml"), truncated}}));
    addArtifact(201, 2002, QStringLiteral("junit-doctype"),
                makeZip({{QStringLiteral("TEST-X.xml"),
                          "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                          "<testsuite name=\"x\"><testcase name=\"&e;\"/></testsuite>"}}));
    m_gone.insert(2003);
    addArtifact(201, 2003, QStringLiteral("junit-gone"),
                makeZip({{QStringLiteral("a.xml"), suite("A", 1, 0)}}));
    addArtifact(201, 2004, QStringLiteral("junit-not-a-zip"), QByteArray("PK\x03\x04 this is not a zip"));

    const Outcome outcome = syncSource(m_source);
    QVERIFY2(outcome.ok, qPrintable(outcome.message)); // refusals are decisions, not failures of the sync
    QCOMPARE(artifactState(2001), QStringLiteral("refused"));
    QCOMPARE(artifactState(2002), QStringLiteral("refused"));
    QCOMPARE(artifactState(2003), QStringLiteral("expired"));
    QCOMPARE(artifactState(2004), QStringLiteral("refused"));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), 0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_cases")), 0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_case_keys")), 0);

    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT detail FROM test_artifacts WHERE artifact_id = 2001")));
    QVERIFY(q.next());
    // Which file, and where in it.
    QVERIFY2(q.value(0).toString().contains(QLatin1String("TEST-Orders.xml")),
             qPrintable(q.value(0).toString()));
    QVERIFY2(q.value(0).toString().contains(QLatin1String("line")), qPrintable(q.value(0).toString()));
    QCOMPARE(count(QStringLiteral(
                 "SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.import' AND outcome = "
                 "'failure'")),
             3);
    const auto chain = AuditLog::verify(Database::connection());
    QVERIFY(chain && chain->ok);

    // Decided: not downloaded again.
    const int downloads = int(m_storage.requests().size());
    QVERIFY(syncSource(m_source).ok);
    QCOMPARE(int(m_storage.requests().size()), downloads);
    QVERIFY(m_storageProblems.isEmpty());
}

void TestGitHubActions::failedDownloadTriedAgain()
{
    m_runs << workflowRun(301, "completed", "success", "main", "eee555", "2026-12-02T10:00:00Z");
    addArtifact(301, 3001, QStringLiteral("junit-api"),
                makeZip({{QStringLiteral("TEST-A.xml"), suite(QStringLiteral("A"), 3, 0)}}));
    m_storageDown = true;
    const Outcome failed = syncSource(m_source);
    QVERIFY(!failed.ok);
    QVERIFY2(failed.message.contains(QLatin1String("404")), qPrintable(failed.message));
    QVERIFY2(!failed.message.contains(QLatin1String("SIGNEDSTORAGE")), qPrintable(failed.message));
    QCOMPARE(artifactState(3001), QString()); // undecided
    QCOMPARE(count(QStringLiteral("SELECT artifacts_done FROM test_workflow_runs WHERE gh_run_id = 301")), 0);
    QCOMPARE(
        count(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.sync' AND outcome = "
                             "'failure'")),
        1);

    m_storageDown = false;
    const Outcome ok = syncSource(m_source);
    QVERIFY2(ok.ok, qPrintable(ok.message));
    QCOMPARE(artifactState(3001), QStringLiteral("imported"));
    QCOMPARE(count(QStringLiteral("SELECT tests FROM test_runs WHERE run_key = 'artifact:3001'")), 3);
    QVERIFY(m_storageProblems.isEmpty());

    // A wrong token: the sync fails with GitHub's answer and nothing changes.
    SecretStore::keepInMemory(m_connection.secretKey(), QStringLiteral("ghp_wrong"));
    const Outcome refused = syncSource(m_source);
    SecretStore::keepInMemory(m_connection.secretKey(), QStringLiteral("ghp_actions"));
    QVERIFY(!refused.ok);
    QVERIFY2(refused.message.contains(QLatin1String("401")), qPrintable(refused.message));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), 1);
}

void TestGitHubActions::patternChangeLooksAgain()
{
    m_runs << workflowRun(401, "completed", "success", "main", "fff666", "2026-12-03T10:00:00Z");
    addArtifact(401, 4001, QStringLiteral("test-results"),
                makeZip({{QStringLiteral("TEST-A.xml"), suite(QStringLiteral("A"), 2, 0)}}));
    QVERIFY(syncSource(m_source).ok);
    QCOMPARE(artifactState(4001), QStringLiteral("skipped"));

    const QString changes =
        QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'testrun.source.set'");
    const int before = count(changes);
    GitHubTestSource settings;
    settings.repo = QStringLiteral("acme/api");
    settings.artifacts = QStringLiteral("test-*");
    QVERIFY(GitHubRunStore::saveSource(m_source, QStringLiteral("api (GitHub)"), m_connection.id, settings));
    QCOMPARE(count(changes), before + 1);
    QVERIFY(syncSource(m_source).ok);
    QCOMPARE(artifactState(4001), QStringLiteral("imported"));
}

void TestGitHubActions::dialogShowsWorkflowRuns()
{
    m_runs << workflowRun(501, "completed", "failure", "main", "abc777", "2026-12-03T12:00:00Z");
    addArtifact(501, 5001, QStringLiteral("junit-api"),
                makeZip({{QStringLiteral("TEST-A.xml"), suite(QStringLiteral("A"), 2, 1)}}));
    addArtifact(501, 5002, QStringLiteral("junit-broken"),
                makeZip({{QStringLiteral("TEST-B.xml"), "<testsuite"}}));
    ConnectionsModel connections;
    connections.reload();
    QTRY_COMPARE(connections.rowCount(), 1);

    GitHubSourcesDialog dialog(m_service, &connections);
    QTRY_COMPARE(dialog.sources()->rowCount(), 1);
    QTRY_COMPARE(dialog.selectedSource(), m_source);
    QSignalSpy synced(&dialog, &GitHubSourcesDialog::synced);
    dialog.syncSelected();
    QTRY_COMPARE_WITH_TIMEOUT(synced.count(), 1, 30000);
    QVERIFY2(synced.at(0).at(1).toBool(), qPrintable(synced.at(0).at(2).toString()));
    QCOMPARE(dialog.message()->text(), synced.at(0).at(2).toString());

    // The workflow run with its conclusion and what became of each artifact; why one was refused.
    WorkflowRunsModel *runs = dialog.workflowRuns();
    QTRY_COMPARE(runs->rowCount(), 1);
    QTRY_VERIFY(runs->index(0, WorkflowRunsModel::ArtifactsRead)
                    .data()
                    .toString()
                    .contains(QLatin1String("refused")));
    QCOMPARE(runs->index(0, WorkflowRunsModel::Conclusion).data().toString(), QStringLiteral("failure"));
    QCOMPARE(runs->index(0, WorkflowRunsModel::Branch).data().toString(), QStringLiteral("main"));
    QCOMPARE(runs->index(0, WorkflowRunsModel::Event).data().toString(), QStringLiteral("push"));
    const QString artifacts = runs->index(0, WorkflowRunsModel::ArtifactsRead).data().toString();
    QVERIFY2(artifacts.contains(QLatin1String("junit-api: imported")), qPrintable(artifacts));
    const QString why = runs->index(0, WorkflowRunsModel::ArtifactsRead).data(Qt::ToolTipRole).toString();
    QVERIFY2(why.contains(QLatin1String("TEST-B.xml")), qPrintable(why));
    QTRY_COMPARE(dialog.sources()->index(0, GitHubSourcesModel::Imported).data().toInt(), 1);

    // The form says what is wrong before anything is saved, and saving a wrong source is refused.
    GitHubSourceForm form(&connections);
    QCOMPARE(form.connectionId(), m_connection.id);
    GitHubTestSource wrong;
    wrong.repo = QStringLiteral("acme");
    form.setValues(QStringLiteral("api"), m_connection.id, wrong);
    QVERIFY2(form.problem().contains(QLatin1String("owner/name")), qPrintable(form.problem()));
    QSignalSpy saved(&dialog, &GitHubSourcesDialog::saved);
    dialog.save(0, QStringLiteral("other"), m_connection.id, wrong);
    QTRY_COMPARE(saved.count(), 1);
    QVERIFY(!saved.at(0).at(0).toBool());
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_sources")), 1);
}

QTEST_MAIN(TestGitHubActions)
#include "tst_githubactions.moc"
