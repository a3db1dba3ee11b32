// Test runs in the cache (services/testruns/testrunstore.h): a report becomes one run with its
// cases, signature and audit event in one transaction; a refused, cancelled or repeated import
// leaves the cache and the audit log as they were; a record edited in the cache shows as tampered;
// a 200 MB report is imported in bounded memory.
#include "generatedreport.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/testrunstore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace opsdeck;

namespace {
const QByteArray pytestReport = R"(<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5" time="1.5"
 timestamp="2026-11-30T09:15:00.123456+01:00" hostname="ci-7">
<testcase classname="tests.test_api" name="test_list" time="0.100"/>
<testcase classname="tests.test_api" name="test_create" time="0.250"><failure message="assert 500 == 201">Traceback
  line 12</failure><system-out>POST /users</system-out></testcase>
<testcase classname="tests.test_api" name="test_delete" time="0.050"><error message="ConnectionError"/></testcase>
<testcase classname="tests.test_api" name="test_slow" time="0"><skipped message="slow"/></testcase>
<testcase classname="tests.test_api" name="test_retry" time="0.300"><flakyFailure message="timeout"/></testcase>
</testsuite></testsuites>
)";

QByteArray key()
{
    return QByteArray(32, 'k');
}

qint64 count(const char *table)
{
    QSqlQuery q(Database::connection());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QString::fromLatin1(table))) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

struct Counts
{
    qint64 sources, runs, keys, cases, details, audit;
    bool operator==(const Counts &) const = default;
};

Counts counts()
{
    return {count("test_sources"), count("test_runs"),         count("test_case_keys"),
            count("test_cases"),   count("test_case_details"), count("audit_events")};
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(content);
    return path;
}
} // namespace

class TestRunStoreTest : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void importsOneRun();
    void sameReportOnce();
    void refusedLeavesNothing_data();
    void refusedLeavesNothing();
    void repeatedNames();
    void tampered_data();
    void tampered();
    void cancelLeavesNothing();
    void dryRunWritesNothing();
    void sourceOfAnotherKind();
    void reportFilesOfFolders();
    void largeReportInBoundedMemory();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunStoreTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    const auto opened = Database::open(m_dir->filePath(QStringLiteral("cache.sqlite")));
    QVERIFY2(opened, qPrintable(opened.message()));
}

void TestRunStoreTest::cleanup()
{
    Database::close();
    m_dir.reset();
}

void TestRunStoreTest::importsOneRun()
{
    const QString path = writeFile(*m_dir, QStringLiteral("reports/pytest.xml"), pytestReport);
    RunImport request;
    request.source = QStringLiteral("api-tests");
    request.branch = QStringLiteral("main");
    request.commit = QStringLiteral("abc123");
    const auto run = TestRunStore::importFile(path, request, key());
    QVERIFY2(run, qPrintable(run.message()));
    QVERIFY(!run->alreadyImported);
    QVERIFY(run->runId > 0);
    QCOMPARE(run->totals.tests, 5);
    QCOMPARE(run->totals.passed, 2);
    QCOMPARE(run->totals.failed, 1);
    QCOMPARE(run->totals.errors, 1);
    QCOMPARE(run->totals.skipped, 1);
    QCOMPARE(run->totals.flaky, 1);
    QCOMPARE(run->startedAt, QDateTime(QDate(2026, 11, 30), QTime(8, 15, 0, 123), QTimeZone::utc()));
    QVERIFY(run->runKey.startsWith(QStringLiteral("sha256:")));
    QCOMPARE(run->signature.size(), 64);

    const Counts c = counts();
    QCOMPARE(c.sources, 1);
    QCOMPARE(c.runs, 1);
    QCOMPARE(c.keys, 5);
    QCOMPARE(c.cases, 5);
    QCOMPARE(c.details, 4); // the failure, the error, the skip and the flaky pass
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT r.title, r.branch, r.commit_sha, r.failed, r.duration_ms, s.kind, r.origin FROM test_runs r "
        "JOIN test_sources s ON s.id = r.source_id")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("pytest.xml"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("main"));
    QCOMPARE(q.value(2).toString(), QStringLiteral("abc123"));
    QCOMPARE(q.value(3).toInt(), 1);
    QCOMPARE(q.value(4).toInt(), 1500); // the suite says how long it took
    QCOMPARE(q.value(5).toString(), QStringLiteral("files"));
    QCOMPARE(q.value(6).toString(), QFileInfo(path).absoluteFilePath());
    QVERIFY(q.exec(QStringLiteral("SELECT k.name, c.message, d.details, d.system_out FROM test_cases c JOIN "
                                  "test_case_keys k ON k.id = c.key_id LEFT JOIN test_case_details d ON "
                                  "d.run_id = c.run_id AND d.key_id = c.key_id WHERE c.outcome = 1")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("test_create"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("assert 500 == 201"));
    QVERIFY(q.value(2).toString().contains(QStringLiteral("line 12")));
    QCOMPARE(q.value(3).toString(), QStringLiteral("POST /users"));

    // One audit event, in the chain, naming the run and its figures.
    QVERIFY(q.exec(QStringLiteral("SELECT action, target_id, details FROM audit_events")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("testrun.import"));
    QCOMPARE(q.value(1).toLongLong(), run->runId);
    const QJsonObject details = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
    QCOMPARE(details.value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(details.value(QStringLiteral("source")).toString(), QStringLiteral("api-tests"));
    QCOMPARE(details.value(QStringLiteral("signed")).toBool(), true);
    QVERIFY(!q.next());
    QVERIFY(AuditLog::verify(Database::connection())->ok);

    const auto state = TestRunStore::verifyRun(Database::connection(), run->runId, key());
    QVERIFY2(state, qPrintable(state.message()));
    QCOMPARE(state.value(), SignatureState::Verified);
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), run->runId, QByteArray(32, 'x')).value(),
             SignatureState::Tampered);
}

void TestRunStoreTest::sameReportOnce()
{
    const QString path = writeFile(*m_dir, QStringLiteral("a.xml"), pytestReport);
    const auto first = TestRunStore::importFile(path, {}, key());
    QVERIFY(first);
    const Counts before = counts();
    const auto again = TestRunStore::importFile(path, {}, key());
    QVERIFY(again);
    QVERIFY(again->alreadyImported);
    QCOMPARE(again->runId, first->runId);
    QCOMPARE(counts(), before);
    // The same bytes from a stream without a run key: hashed while read, then found and dropped.
    QBuffer buffer;
    buffer.setData(pytestReport);
    buffer.open(QIODevice::ReadOnly);
    const auto streamed = TestRunStore::importReport(buffer, {}, key());
    QVERIFY2(streamed, qPrintable(streamed.message()));
    QVERIFY(streamed->alreadyImported);
    QCOMPARE(streamed->runId, first->runId);
    QCOMPARE(counts(), before);
    // The same report for another source is that source's run.
    RunImport other;
    other.source = QStringLiteral("nightly");
    const auto elsewhere = TestRunStore::importFile(path, other, key());
    QVERIFY(elsewhere && !elsewhere->alreadyImported);
    QCOMPARE(count("test_runs"), 2);
}

void TestRunStoreTest::refusedLeavesNothing_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("where");
    QTest::newRow("truncated") << pytestReport.left(pytestReport.indexOf("test_delete")) << "junit.truncated"
                               << "bad.xml: ";
    QTest::newRow("doctype") << QByteArray("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"boom\">]>\n"
                                           "<testsuite><testcase name=\"&e;\"/></testsuite>")
                             << "junit.doctype"
                             << "line 2";
    QTest::newRow("not junit") << QByteArray("<?xml version=\"1.0\"?><project><build/></project>")
                               << "junit.notjunit"
                               << "bad.xml";
    QTest::newRow("malformed") << QByteArray("<testsuite><testcase name=\"a\"></testsuite>")
                               << "junit.malformed"
                               << "column";
}

void TestRunStoreTest::refusedLeavesNothing()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, code);
    QFETCH(QString, where);
    // A source with a run already, so that "nothing" means nothing more.
    QVERIFY(TestRunStore::importFile(writeFile(*m_dir, QStringLiteral("good.xml"), pytestReport), {}, key()));
    const Counts before = counts();
    const auto refused =
        TestRunStore::importFile(writeFile(*m_dir, QStringLiteral("bad.xml"), xml), {}, key());
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, code);
    QVERIFY2(refused.message().contains(where), qPrintable(refused.message()));
    QCOMPARE(counts(), before);
    // Into a new source: the source is not left behind either.
    RunImport fresh;
    fresh.source = QStringLiteral("fresh");
    QVERIFY(!TestRunStore::importFile(m_dir->filePath(QStringLiteral("bad.xml")), fresh, key()));
    QCOMPARE(counts(), before);
}

void TestRunStoreTest::repeatedNames()
{
    // Parametrised tests without distinct names: each one is a case, the repeats numbered in the key.
    const QByteArray xml = R"(<testsuite name="s"><testcase classname="c" name="t" time="0.1"/>
<testcase classname="c" name="t" time="0.2"><failure message="second"/></testcase>
<testcase classname="c" name="t" time="0.3"/></testsuite>)";
    const auto first = TestRunStore::importFile(writeFile(*m_dir, QStringLiteral("r1.xml"), xml), {}, key());
    QVERIFY2(first, qPrintable(first.message()));
    QCOMPARE(first->totals.tests, 3);
    QCOMPARE(count("test_cases"), 3);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT case_key FROM test_case_keys ORDER BY case_key")));
    QStringList keys;
    while (q.next())
        keys << q.value(0).toString();
    QCOMPARE(keys, QStringList({"s › c › t", "s › c › t #2", "s › c › t #3"}));
    // A later run of the source with the same cases reuses the names.
    QByteArray later = xml;
    later.replace("second", "again");
    const auto second =
        TestRunStore::importFile(writeFile(*m_dir, QStringLiteral("r2.xml"), later), {}, key());
    QVERIFY(second && !second->alreadyImported);
    QCOMPARE(count("test_case_keys"), 3);
    QCOMPARE(count("test_cases"), 6);
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), second->runId, key()).value(),
             SignatureState::Verified);
}

void TestRunStoreTest::tampered_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<int>("state");
    QTest::newRow("untouched") << "" << int(SignatureState::Verified);
    QTest::newRow("message edited (not signed)")
        << "UPDATE test_cases SET message = 'fine'" << int(SignatureState::Verified);
    QTest::newRow("a failure made a pass")
        << "UPDATE test_cases SET outcome = 0 WHERE outcome = 1" << int(SignatureState::Tampered);
    QTest::newRow("a case deleted") << "DELETE FROM test_cases WHERE outcome = 2"
                                    << int(SignatureState::Tampered);
    QTest::newRow("the totals edited") << "UPDATE test_runs SET failed = 0" << int(SignatureState::Tampered);
    QTest::newRow("a duration edited")
        << "UPDATE test_cases SET duration_ms = duration_ms + 1 WHERE outcome = 3"
        << int(SignatureState::Tampered);
    QTest::newRow("a case renamed")
        << "UPDATE test_case_keys SET name = 'test_other' WHERE name = 'test_list'"
        << int(SignatureState::Tampered);
    QTest::newRow("another branch") << "UPDATE test_runs SET branch = 'release'"
                                    << int(SignatureState::Tampered);
    QTest::newRow("flaky mark removed") << "UPDATE test_cases SET flaky = 0" << int(SignatureState::Tampered);
    QTest::newRow("signature removed")
        << "UPDATE test_runs SET signature = ''" << int(SignatureState::Unsigned);
}

void TestRunStoreTest::tampered()
{
    QFETCH(QString, edit);
    QFETCH(int, state);
    const auto run =
        TestRunStore::importFile(writeFile(*m_dir, QStringLiteral("p.xml"), pytestReport), {}, key());
    QVERIFY(run);
    if (!edit.isEmpty()) {
        QSqlQuery q(Database::connection());
        QVERIFY2(q.exec(edit), qPrintable(edit));
        QVERIFY(q.numRowsAffected() > 0);
    }
    const auto verified = TestRunStore::verifyRun(Database::connection(), run->runId, key());
    QVERIFY2(verified, qPrintable(verified.message()));
    QCOMPARE(int(verified.value()), state);
    // Imported without a key: unsigned, whatever the key later.
    RunImport other;
    other.source = QStringLiteral("unsigned");
    const auto plain =
        TestRunStore::importFile(m_dir->filePath(QStringLiteral("p.xml")), other, QByteArray());
    QVERIFY(plain && plain->signature.isEmpty());
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), plain->runId, key()).value(),
             SignatureState::Unsigned);
}

void TestRunStoreTest::cancelLeavesNothing()
{
    const Counts before = counts();
    GeneratedReport device(5000);
    int calls = 0;
    const auto cancelled =
        TestRunStore::importReport(device, {}, key(), [&](qint64, qint64) { return ++calls < 3; });
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().code, QStringLiteral("testrun.cancelled"));
    QCOMPARE(calls, 3);
    QCOMPARE(counts(), before);
}

void TestRunStoreTest::dryRunWritesNothing()
{
    const QString path = writeFile(*m_dir, QStringLiteral("p.xml"), pytestReport);
    RunImport request;
    request.dryRun = true;
    const auto dry = TestRunStore::importFile(path, request, key());
    QVERIFY2(dry, qPrintable(dry.message()));
    QCOMPARE(dry->totals.failed, 1);
    QVERIFY(!dry->alreadyImported);
    QCOMPARE(counts(), Counts{});
    QVERIFY(TestRunStore::importFile(path, {}, key()));
    const auto dryAgain = TestRunStore::importFile(path, request, key());
    QVERIFY(dryAgain && dryAgain->alreadyImported); // says it is there already
}

void TestRunStoreTest::sourceOfAnotherKind()
{
    RunImport golden;
    golden.source = QStringLiteral("payments");
    golden.sourceKind = TestSourceKind::Golden;
    golden.runKey = QStringLiteral("golden:1");
    QBuffer buffer;
    buffer.setData(pytestReport);
    buffer.open(QIODevice::ReadOnly);
    QVERIFY(TestRunStore::importReport(buffer, golden, key()));
    const Counts before = counts();
    RunImport files;
    files.source = QStringLiteral("payments");
    const auto clash =
        TestRunStore::importFile(writeFile(*m_dir, QStringLiteral("p.xml"), pytestReport), files, key());
    QVERIFY(!clash);
    QCOMPARE(clash.error().code, QStringLiteral("testrun.source"));
    QVERIFY2(clash.message().contains(QStringLiteral("golden")), qPrintable(clash.message()));
    QCOMPARE(counts(), before);
    files.source = QString(201, QLatin1Char('x'));
    QCOMPARE(TestRunStore::importFile(m_dir->filePath(QStringLiteral("p.xml")), files, key()).error().code,
             QStringLiteral("testrun.source"));
}

void TestRunStoreTest::reportFilesOfFolders()
{
    writeFile(*m_dir, QStringLiteral("results/b/TEST-b.xml"), pytestReport);
    writeFile(*m_dir, QStringLiteral("results/a.xml"), pytestReport);
    writeFile(*m_dir, QStringLiteral("results/notes.txt"), "no");
    const QString single = writeFile(*m_dir, QStringLiteral("single.xml"), pytestReport);
    const auto files = TestRunStore::reportFiles({m_dir->filePath(QStringLiteral("results")), single});
    QVERIFY2(files, qPrintable(files.message()));
    QCOMPARE(*files, QStringList({m_dir->filePath(QStringLiteral("results/a.xml")),
                                  m_dir->filePath(QStringLiteral("results/b/TEST-b.xml")), single}));
    QDir().mkpath(m_dir->filePath(QStringLiteral("empty")));
    QCOMPARE(TestRunStore::reportFiles({m_dir->filePath(QStringLiteral("empty"))}).error().code,
             QStringLiteral("testrun.path"));
    QCOMPARE(TestRunStore::reportFiles({m_dir->filePath(QStringLiteral("missing.xml"))}).error().code,
             QStringLiteral("testrun.path"));
}

void TestRunStoreTest::largeReportInBoundedMemory()
{
    // About 200 MB of report (cases printing 8 KiB each) imported as a stream: every case is in
    // the cache and the process grew by far less than the report (a batch of cases at a time).
#if OPSDECK_UNDER_ASAN
    const qint64 cases = 2'000;
#else
    const qint64 cases = 25'000;
#endif
    GeneratedReport device(cases, 8 * 1024);
    const long before = peakKilobytes();
    const auto run = TestRunStore::importReport(device, {}, key());
    QVERIFY2(run, qPrintable(run.message()));
    QCOMPARE(run->totals.tests, int(cases));
    QCOMPARE(run->totals.failed, int(cases / 10));
    QCOMPARE(count("test_cases"), cases);
    const long grown = peakKilobytes() - before;
    qInfo("imported %lld bytes; the peak resident size grew by %ld KiB", device.produced(), grown);
    if (!OPSDECK_UNDER_ASAN) {
        QVERIFY(device.produced() > 200 * 1000 * 1000);
        QVERIFY2(grown < 96 * 1024, qPrintable(QStringLiteral("grew by %1 KiB").arg(grown)));
    }
    QCOMPARE(TestRunStore::verifyRun(Database::connection(), run->runId, key()).value(),
             SignatureState::Verified);
}

QTEST_GUILESS_MAIN(TestRunStoreTest)
#include "tst_testrunstore.moc"
