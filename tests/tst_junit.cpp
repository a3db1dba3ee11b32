// The JUnit reader (models/testruns/junitreader.h): a report in each runner's dialect, written
// here, with the totals the runner itself would give; refusals with their position; control
// characters shown escaped; a large generated report read in bounded memory. And the run records
// (models/testruns/runrecord.h): signed, checked, and shown tampered after any edit.
#include "generatedreport.h"
#include "models/testruns/junitreader.h"
#include "models/testruns/runrecord.h"

#include <QProcess>
#include <QStandardPaths>
#include <QStringEncoder>
#include <QTest>
#include <QTimeZone>

using namespace opsdeck;

Q_DECLARE_METATYPE(opsdeck::JUnitTotals)

class TestJUnit : public QObject
{
    Q_OBJECT

private slots:
    void dialects_data();
    void dialects();
    void caseDetails();
    void refused_data();
    void refused();
    void controlCharacters();
    void anyScript();
    void timestamps_data();
    void timestamps();
    void countsThatDisagree();
    void largeReportInBoundedMemory();
    void signedRecords_data();
    void signedRecords();
    void canonicalForm();
    void streamingSigner();
};

namespace {
JUnitTotals totals(int tests, int passed, int failed, int errors, int skipped, int flaky, double seconds)
{
    JUnitTotals t;
    t.tests = tests;
    t.passed = passed;
    t.failed = failed;
    t.errors = errors;
    t.skipped = skipped;
    t.flaky = flaky;
    t.seconds = seconds;
    return t;
}

QList<JUnitCase> casesOf(const QByteArray &xml, Result<JUnitReport> *report = nullptr)
{
    QList<JUnitCase> cases;
    auto r = readJUnit(xml, [&cases](JUnitCase &&c) { cases << std::move(c); });
    if (report)
        *report = r;
    return cases;
}
} // namespace

void TestJUnit::dialects_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<JUnitTotals>("expected");
    QTest::addColumn<int>("suites");

    QTest::newRow("pytest") << QByteArray(R"(<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="1.250"
 timestamp="2026-11-25T10:00:00.123456+01:00" hostname="ci-7">
<testcase classname="tests.test_api" name="test_ok" file="tests/test_api.py" line="12" time="0.010"/>
<testcase classname="tests.test_api" name="test_bad" file="tests/test_api.py" line="20" time="0.020">
<failure message="assert 1 == 2">def test_bad():
&gt;       assert 1 == 2</failure></testcase>
<testcase classname="tests.test_api" name="test_setup" time="0.001"><error message="failed on setup with &quot;KeyError&quot;">E KeyError</error></testcase>
<testcase classname="tests.test_api" name="test_skip" time="0.000"><skipped type="pytest.skip" message="no GPU">tests/test_api.py:40: no GPU</skipped></testcase>
</testsuite></testsuites>)") << totals(4, 1, 1, 1, 1, 0, 1.25)
                            << 1;
    QTest::newRow("surefire with reruns") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.acme.ApiTest" time="3.5" tests="4" errors="0" skipped="1" failures="1">
<properties><property name="java.version" value="17.0.9"/></properties>
<testcase name="flakyOnce" classname="com.acme.ApiTest" time="1.2">
<flakyFailure message="expected 200" type="java.lang.AssertionError"><stackTrace>at ApiTest.java:10</stackTrace><system-out>attempt 1</system-out></flakyFailure>
</testcase>
<testcase name="alwaysFails" classname="com.acme.ApiTest" time="1,100.5">
<failure message="boom" type="java.lang.IllegalStateException">at ApiTest.java:20</failure>
<rerunFailure message="boom" type="java.lang.IllegalStateException"><stackTrace>at ApiTest.java:20</stackTrace></rerunFailure>
<rerunFailure message="boom" type="java.lang.IllegalStateException"/>
</testcase>
<testcase name="passes" classname="com.acme.ApiTest" time="0.1"/>
<testcase name="ignored" classname="com.acme.ApiTest" time="0"><skipped message="@Disabled"/></testcase>
</testsuite>)") << totals(4, 2, 1, 0, 1, 1, 3.5)
                                          << 1;
    QTest::newRow("failsafe flaky error")
        << QByteArray(R"(<testsuite name="it.DbIT" tests="1" failures="0" errors="0" skipped="0" time="2">
<testcase name="connects" classname="it.DbIT" time="2"><flakyError message="timeout" type="java.net.SocketTimeoutException"/></testcase>
</testsuite>)")
        << totals(1, 1, 0, 0, 0, 1, 2) << 1;
    QTest::newRow("gradle") << QByteArray(R"x(<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.CalcTest" tests="2" skipped="0" failures="1" errors="0" timestamp="2026-11-25T10:00:00" hostname="build" time="0.03">
<properties/>
<testcase name="adds()" classname="com.acme.CalcTest" time="0.01"/>
<testcase name="divides()" classname="com.acme.CalcTest" time="0.02"><failure message="org.opentest4j.AssertionFailedError: expected: &lt;2&gt; but was: &lt;3&gt;" type="org.opentest4j.AssertionFailedError">org.opentest4j.AssertionFailedError</failure></testcase>
<system-out><![CDATA[Gradle says <hello> & more]]></system-out>
<system-err><![CDATA[]]></system-err>
</testsuite>)x") << totals(2, 1, 1, 0, 0, 0, 0.03)
                            << 1;
    QTest::newRow("jest-junit") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="1" errors="0" time="1.5">
  <testsuite name="math" errors="0" failures="1" skipped="1" timestamp="2026-11-25T10:00:00" time="1.2" tests="3">
    <testcase classname="math adds" name="math adds" time="0.002"></testcase>
    <testcase classname="math subtracts" name="math subtracts" time="0.003">
      <failure>Error: expect(received).toBe(expected)</failure>
    </testcase>
    <testcase classname="math later" name="math later" time="0"><skipped/></testcase>
  </testsuite>
</testsuites>)") << totals(3, 1, 1, 0, 1, 0, 1.5)
                                << 1;
    QTest::newRow("go-junit-report") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1">
	<testsuite name="example.com/pkg" tests="3" failures="1" errors="0" id="0" hostname="h" time="0.500" timestamp="2026-11-25T10:00:00Z">
		<properties><property name="go.version" value="go1.21.0"></property></properties>
		<testcase name="TestA" classname="example.com/pkg" time="0.100"></testcase>
		<testcase name="TestB" classname="example.com/pkg" time="0.200"><failure message="Failed" type="">b_test.go:12: wrong</failure></testcase>
		<testcase name="TestC" classname="example.com/pkg" time="0.000"><skipped message="c_test.go:5: later"></skipped></testcase>
	</testsuite>
</testsuites>)") << totals(3, 1, 1, 0, 1, 0, 0.5)
                                     << 1;
    QTest::newRow("cargo-nextest") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="3" failures="1" errors="0" uuid="4a1f" timestamp="2026-11-25T10:00:00.000+00:00" time="0.9">
    <testsuite name="mycrate" tests="3" disabled="0" errors="0" failures="1">
        <testcase name="tests::retried_then_passed" classname="mycrate" timestamp="2026-11-25T10:00:00.100+00:00" time="0.3">
            <flakyFailure timestamp="2026-11-25T10:00:00.100+00:00" time="0.1" type="test failure">thread panicked<system-out>out</system-out></flakyFailure>
        </testcase>
        <testcase name="tests::always_fails" classname="mycrate" timestamp="2026-11-25T10:00:00.200+00:00" time="0.4">
            <failure type="test failure">thread 'tests::always_fails' panicked</failure>
            <rerunFailure timestamp="2026-11-25T10:00:00.300+00:00" time="0.1" type="test failure"/>
            <system-out>final out</system-out>
            <system-err>final err</system-err>
        </testcase>
        <testcase name="tests::fine" classname="mycrate" time="0.2"/>
    </testsuite>
</testsuites>)") << totals(3, 2, 1, 0, 0, 1, 0.9)
                                   << 1;
    QTest::newRow("TestNG") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite hostname="h" ignored="1" name="com.acme.NgTest" tests="3" failures="0" timestamp="2026-11-25T10:00:00" time="0.3" errors="1" skipped="0">
  <testcase name="a" classname="com.acme.NgTest" time="0.1"/>
  <testcase name="b" classname="com.acme.NgTest" time="0.2"><error type="java.lang.NullPointerException" message="npe">trace</error></testcase>
  <testcase name="c" classname="com.acme.NgTest" time="0"><ignored/></testcase>
</testsuite>)") << totals(3, 1, 0, 1, 1, 0, 0.3)
                            << 1;
    QTest::newRow("CTest") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Linux-c++" tests="4" failures="1" disabled="1" skipped="1" hostname="h" time="2" timestamp="2026-11-25T10:00:00">
	<testcase name="tst_ok" classname="tst_ok" time="0.5" status="run"><system-out>PASS</system-out></testcase>
	<testcase name="tst_bad" classname="tst_bad" time="1.5" status="fail"><failure message="Failed"/><system-out>FAIL!</system-out></testcase>
	<testcase name="tst_off" classname="tst_off" time="0" status="disabled"><skipped message="Disabled"/></testcase>
	<testcase name="tst_missing" classname="tst_missing" time="0" status="notrun"><system-out>Unable to find executable</system-out></testcase>
</testsuite>)") << totals(4, 1, 1, 0, 2, 0, 2)
                           << 1;
    QTest::newRow("PHPUnit nested") << QByteArray(R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="" tests="3" assertions="3" errors="0" failures="1" skipped="0" time="0.3">
    <testsuite name="Unit" tests="3" assertions="3" errors="0" failures="1" skipped="0" time="0.3">
      <testsuite name="Tests\Unit\CartTest" file="/app/tests/Unit/CartTest.php" tests="3" time="0.3">
        <testcase name="testAdd" file="/app/tests/Unit/CartTest.php" line="10" class="Tests\Unit\CartTest" classname="Tests.Unit.CartTest" assertions="1" time="0.1"/>
        <testcase name="testRemove" file="/app/tests/Unit/CartTest.php" line="20" class="Tests\Unit\CartTest" classname="Tests.Unit.CartTest" assertions="1" time="0.1">
          <failure type="PHPUnit\Framework\ExpectationFailedException">Failed asserting that 1 is 0.</failure>
        </testcase>
        <testsuite name="Tests\Unit\CartTest::testTotal" tests="1" time="0.1">
          <testcase name="testTotal with data set #0" class="Tests\Unit\CartTest" classname="Tests.Unit.CartTest" file="/app/tests/Unit/CartTest.php" line="30" assertions="1" time="0.1"/>
        </testsuite>
      </testsuite>
    </testsuite>
  </testsuite>
</testsuites>)") << totals(3, 2, 1, 0, 0, 0, 0.3)
                                    << 4;
    QTest::newRow("no cases") << QByteArray(R"(<testsuites/>)") << totals(0, 0, 0, 0, 0, 0, 0) << 0;
}

void TestJUnit::dialects()
{
    QFETCH(QByteArray, xml);
    QFETCH(JUnitTotals, expected);
    QFETCH(int, suites);
    Result<JUnitReport> report = makeError("", QString());
    const QList<JUnitCase> cases = casesOf(xml, &report);
    QVERIFY2(report, qPrintable(report.message()));
    QCOMPARE(report->totals.tests, expected.tests);
    QCOMPARE(report->totals.passed, expected.passed);
    QCOMPARE(report->totals.failed, expected.failed);
    QCOMPARE(report->totals.errors, expected.errors);
    QCOMPARE(report->totals.skipped, expected.skipped);
    QCOMPARE(report->totals.flaky, expected.flaky);
    QCOMPARE(report->totals.seconds, expected.seconds);
    QCOMPARE(int(cases.size()), expected.tests);
    QCOMPARE(int(report->suites.size()), suites);
    // Each case counted once: the outcomes of the cases handed over add up to the totals.
    int failed = 0, errored = 0, skipped = 0, passed = 0, flaky = 0;
    for (const JUnitCase &c : cases) {
        failed += c.outcome == CaseOutcome::Failed;
        errored += c.outcome == CaseOutcome::Errored;
        skipped += c.outcome == CaseOutcome::Skipped;
        passed += c.outcome == CaseOutcome::Passed;
        flaky += c.flaky;
        QVERIFY(!c.flaky || c.outcome == CaseOutcome::Passed);
    }
    QCOMPARE(failed, expected.failed);
    QCOMPARE(errored, expected.errors);
    QCOMPARE(skipped, expected.skipped);
    QCOMPARE(passed, expected.passed);
    QCOMPARE(flaky, expected.flaky);
    QVERIFY2(report->notes.isEmpty(), qPrintable(report->notes.join(QLatin1Char('\n'))));
}

void TestJUnit::caseDetails()
{
    // What a case keeps: where it is, its message, type and text, its own output (not a rerun's),
    // its properties; and the suite's.
    Result<JUnitReport> report = makeError("", QString());
    const QList<JUnitCase> cases = casesOf(QByteArray(R"(<testsuites name="nextest-run">
<testsuite name="mycrate" timestamp="2026-11-25T10:00:00+02:00" hostname="ci-3">
<properties><property name="seed" value="42"/><property name="env">ci</property></properties>
<testcase name="t1" classname="mycrate::a" file="src/a.rs" line="7" time="0.25">
<properties><property name="owner" value="team-a"/></properties>
<rerunFailure type="test failure"><system-out>from the rerun</system-out></rerunFailure>
<failure message="assertion failed" type="panic">thread 't1' panicked<nested>at a.rs:7</nested></failure>
<system-out>case out</system-out><system-err>case err</system-err>
</testcase>
<testcase name="t2"><skipped message="ignored by filter"/></testcase>
<system-out>suite out</system-out>
</testsuite></testsuites>)"),
                                           &report);
    QVERIFY2(report, qPrintable(report.message()));
    QCOMPARE(report->name, QStringLiteral("nextest-run"));
    QCOMPARE(report->timestamp, QDateTime(QDate(2026, 11, 25), QTime(8, 0), QTimeZone::utc()));
    QCOMPARE(report->suites.first().hostname, QStringLiteral("ci-3"));
    QCOMPARE(report->suites.first().systemOut, QStringLiteral("suite out"));
    QCOMPARE(report->suites.first().cases, 2);
    QCOMPARE(report->suites.first().properties,
             (JUnitProperties{{QStringLiteral("seed"), QStringLiteral("42")},
                              {QStringLiteral("env"), QStringLiteral("ci")}}));
    QCOMPARE(cases.size(), 2);
    const JUnitCase &t1 = cases.first();
    QCOMPARE(t1.suite, QStringLiteral("mycrate"));
    QCOMPARE(t1.classname, QStringLiteral("mycrate::a"));
    QCOMPARE(t1.file, QStringLiteral("src/a.rs"));
    QCOMPARE(t1.line, 7);
    QCOMPARE(t1.seconds, 0.25);
    QCOMPARE(t1.outcome, CaseOutcome::Failed);
    QCOMPARE(t1.reruns, 1);
    QCOMPARE(t1.message, QStringLiteral("assertion failed"));
    QCOMPARE(t1.type, QStringLiteral("panic"));
    QCOMPARE(t1.details, QStringLiteral("thread 't1' panickedat a.rs:7"));
    QCOMPARE(t1.systemOut, QStringLiteral("case out"));
    QCOMPARE(t1.systemErr, QStringLiteral("case err"));
    QCOMPARE(t1.properties, (JUnitProperties{{QStringLiteral("owner"), QStringLiteral("team-a")}}));
    QCOMPARE(cases.at(1).outcome, CaseOutcome::Skipped);
    QCOMPARE(cases.at(1).message, QStringLiteral("ignored by filter"));
    QCOMPARE(caseOutcomeId(CaseOutcome::Errored), QStringLiteral("errored"));

    // Variants of ../shared/specs/junit/junit-xml-variants.md: a suite's own <error> is a case named
    // <init>; Ant's package attribute prefixes the suite's name; without a message attribute, the
    // first line of the text is the message.
    Result<JUnitReport> variants = makeError("", QString());
    const QList<JUnitCase> more = casesOf(QByteArray(R"(<testsuites>
<testsuite package="com.acme" name="LoadTest" id="0" tests="1" errors="1">
<error type="java.lang.NoClassDefFoundError">
  java.lang.NoClassDefFoundError: com/acme/Missing
  at com.acme.LoadTest.&lt;clinit&gt;</error>
</testsuite>
<testsuite name="x"><testcase name="s"><skipped>

   needs a GPU
</skipped></testcase></testsuite></testsuites>)"),
                                          &variants);
    QVERIFY2(variants, qPrintable(variants.message()));
    QCOMPARE(more.size(), 2);
    QCOMPARE(more.first().name, QStringLiteral("<init>"));
    QCOMPARE(more.first().suite, QStringLiteral("com.acme.LoadTest"));
    QCOMPARE(more.first().outcome, CaseOutcome::Errored);
    QCOMPARE(more.first().message, QStringLiteral("java.lang.NoClassDefFoundError: com/acme/Missing"));
    QCOMPARE(more.first().type, QStringLiteral("java.lang.NoClassDefFoundError"));
    QCOMPARE(more.at(1).message, QStringLiteral("needs a GPU"));
    QCOMPARE(variants->totals.errors, 1);
    QCOMPARE(variants->totals.skipped, 1);
    QCOMPARE(variants->suites.first().cases, 1);

    // An error outranks a failure in the same case, whichever comes first.
    const QList<JUnitCase> both = casesOf(QByteArray(
        R"(<testsuite><testcase name="x"><failure message="f"/><error message="teardown"/></testcase></testsuite>)"));
    QCOMPARE(both.first().outcome, CaseOutcome::Errored);
    QCOMPARE(both.first().message, QStringLiteral("teardown"));

    // Long outputs are cut, with a note.
    JUnitLimits small;
    small.textPerField = 10;
    QList<JUnitCase> cut;
    const auto r = readJUnit(
        QByteArray("<testsuite><testcase name=\"x\"><system-out>") + QByteArray(100, 'a') +
            QByteArray("</system-out></testcase></testsuite>"),
        [&cut](JUnitCase &&c) { cut << c; }, small);
    QVERIFY(r);
    QCOMPARE(cut.first().systemOut, QString(10, QLatin1Char('a')));
    QVERIFY(r->notes.join(QLatin1Char(' ')).contains(QStringLiteral("cut to 10 characters")));
}

void TestJUnit::refused_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("words");
    QTest::newRow("DOCTYPE with an external entity")
        << QByteArray(
               "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
               "<testsuite><testcase name=\"&xxe;\"/></testsuite>")
        << "junit.doctype"
        << "line 2";
    QTest::newRow("billion laughs") << QByteArray("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
                                                  "\"&lol;&lol;&lol;\">]><testsuite name=\"&lol2;\"/>")
                                    << "junit.doctype"
                                    << "DOCTYPE";
    QTest::newRow("undeclared entity")
        << QByteArray("<testsuite><testcase name=\"&nope;\"/></testsuite>") << "junit.malformed"
        << "line 1";
    QTest::newRow("truncated") << QByteArray(
                                      "<testsuites>\n<testsuite name=\"a\">\n<testcase name=\"x\">\n<fail")
                               << "junit.truncated"
                               << "truncated";
    QTest::newRow("truncated after a case")
        << QByteArray("<testsuite>\n<testcase name=\"x\"/>\n") << "junit.truncated"
        << "<testsuite>";
    QTest::newRow("mismatched tags") << QByteArray("<testsuite>\n  <testcase name=\"x\">\n  </testsuite>")
                                     << "junit.malformed"
                                     << "line 3";
    QTest::newRow("empty") << QByteArray() << "junit.notjunit"
                           << "empty";
    QTest::newRow("JSON") << QByteArray(R"({"tests": 3})") << "junit.notjunit"
                          << "not XML";
    QTest::newRow("another XML") << QByteArray("<project><modelVersion>4.0.0</modelVersion></project>")
                                 << "junit.notjunit"
                                 << "<project>";
    QTest::newRow("only a declaration") << QByteArray("<?xml version=\"1.0\"?>\n") << "junit.notjunit"
                                        << "before any element";
}

void TestJUnit::refused()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, code);
    QFETCH(QString, words);
    int handed = 0;
    const auto r = readJUnit(xml, [&handed](JUnitCase &&) { ++handed; });
    QVERIFY(!r);
    QCOMPARE(r.error().code, code);
    QVERIFY2(r.message().contains(words), qPrintable(r.message()));
    QVERIFY2(!r.message().contains(QStringLiteral("root:")), "nothing of /etc/passwd is read");
}

void TestJUnit::controlCharacters()
{
    // Terminal colours and a NUL in a failure's text: the report is read, the characters shown.
    Result<JUnitReport> report = makeError("", QString());
    const QList<JUnitCase> cases = casesOf(
        QByteArray("<testsuite><testcase name=\"colours\"><failure message=\"\x1b[31mred\x1b[0m\">bell\x07 "
                   "nul") +
            QByteArray(1, '\0') + QByteArray("</failure></testcase></testsuite>"),
        &report);
    QVERIFY2(report, qPrintable(report.message()));
    QCOMPARE(cases.size(), 1);
    QCOMPARE(cases.first().message, QStringLiteral("\\x1B[31mred\\x1B[0m"));
    QCOMPARE(cases.first().details, QStringLiteral("bell\\x07 nul\\x00"));
    QVERIFY(
        report->notes.join(QLatin1Char(' ')).contains(QStringLiteral("XML 1.0 forbids (4 control codes")));
}

void TestJUnit::anyScript()
{
    // Names in any script, in UTF-8 and in UTF-16 (with and without a byte order mark).
    const QString xml = QStringLiteral(
        "<?xml version=\"1.0\" encoding=\"%1\"?><testsuite name=\"テスト\"><testcase name=\"проверка "
        "العربية 🚀\" classname=\"Ελληνικά\"><failure message=\"\x1b[1m失敗\"/></testcase></testsuite>");
    const auto check = [](const QByteArray &bytes) {
        Result<JUnitReport> report = makeError("", QString());
        const QList<JUnitCase> cases = casesOf(bytes, &report);
        QVERIFY2(report, qPrintable(report.message()));
        QCOMPARE(cases.size(), 1);
        QCOMPARE(cases.first().suite, QStringLiteral("テスト"));
        QCOMPARE(cases.first().name, QStringLiteral("проверка العربية 🚀"));
        QCOMPARE(cases.first().classname, QStringLiteral("Ελληνικά"));
        QCOMPARE(cases.first().message, QStringLiteral("\\x1B[1m失敗"));
    };
    check(xml.arg(QStringLiteral("UTF-8")).toUtf8());
    QStringEncoder le(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
    check(le.encode(xml.arg(QStringLiteral("UTF-16"))));
    QStringEncoder be(QStringEncoder::Utf16BE);
    check(be.encode(xml.arg(QStringLiteral("UTF-16"))));
}

void TestJUnit::timestamps_data()
{
    QTest::addColumn<QString>("stamp");
    QTest::addColumn<QDateTime>("utc");
    const QDateTime ten(QDate(2026, 11, 25), QTime(10, 0), QTimeZone::utc());
    QTest::newRow("no zone: UTC") << "2026-11-25T10:00:00" << ten;
    QTest::newRow("Z") << "2026-11-25T10:00:00Z" << ten;
    QTest::newRow("offset") << "2026-11-25T11:00:00+01:00" << ten;
    QTest::newRow("offset without colon") << "2026-11-25T05:30:00-0430" << ten;
    QTest::newRow("microseconds") << "2026-11-25T10:00:00.123456+00:00" << ten.addMSecs(123);
    QTest::newRow("a space for the T") << "2026-11-25 10:00:00" << ten;
    QTest::newRow("a zone name") << "2026-11-25T10:00:00 CET" << QDateTime();
    QTest::newRow("not a date") << "yesterday" << QDateTime();
    QTest::newRow("February 30th") << "2026-02-30T10:00:00" << QDateTime();
}

void TestJUnit::timestamps()
{
    QFETCH(QString, stamp);
    QFETCH(QDateTime, utc);
    Result<JUnitReport> report = makeError("", QString());
    casesOf(QStringLiteral("<testsuite name=\"s\" timestamp=\"%1\"/>").arg(stamp).toUtf8(), &report);
    QVERIFY2(report, qPrintable(report.message()));
    QCOMPARE(report->suites.first().timestamp, utc);
    QCOMPARE(report->notes.isEmpty(), utc.isValid());
}

void TestJUnit::countsThatDisagree()
{
    // tests= claims 5, there are 2 cases: the totals are the cases, and the difference is noted.
    Result<JUnitReport> report = makeError("", QString());
    casesOf(
        QByteArray(
            R"(<testsuites tests="5"><testsuite tests="5"><testcase name="a"/><testcase name="b" time="NaN"/></testsuite></testsuites>)"),
        &report);
    QVERIFY(report);
    QCOMPARE(report->totals.tests, 2);
    QVERIFY2(report->notes.join(QLatin1Char(' '))
                 .contains(QStringLiteral("claims 5 tests; the totals count the cases read: 2.")),
             qPrintable(report->notes.join(QLatin1Char(' '))));
    QVERIFY(report->notes.join(QLatin1Char(' ')).contains(QStringLiteral("\"NaN\" of case b")));
}

void TestJUnit::largeReportInBoundedMemory()
{
    // About 200 MB of report read as a stream: every case counted, and the process grows by far
    // less than the report's size (the reader keeps one chunk and one case).
#if OPSDECK_UNDER_ASAN
    // AddressSanitizer holds freed memory in quarantine: the count is checked, the memory is not.
    const qint64 cases = 100'000;
    const bool measured = false;
#else
    const qint64 cases = 1'000'000;
    const bool measured = true;
#endif
    GeneratedReport device(cases);
    const long before = peakKilobytes();
    qint64 seen = 0, failed = 0;
    const auto report = readJUnit(device, [&](JUnitCase &&c) {
        ++seen;
        failed += c.outcome == CaseOutcome::Failed;
    });
    QVERIFY2(report, qPrintable(report.message()));
    QVERIFY2(device.produced() > cases * 190, qPrintable(QString::number(device.produced())));
    QCOMPARE(seen, cases);
    QCOMPARE(report->totals.tests, int(cases));
    QCOMPARE(failed, cases / 10);
    const long grown = peakKilobytes() - before;
    qInfo("read %lld bytes; the peak resident size grew by %ld KiB", device.produced(), grown);
    if (measured)
        QVERIFY2(grown < 64 * 1024, qPrintable(QStringLiteral("grew by %1 KiB").arg(grown)));
}

namespace {
RunRecord sampleRecord()
{
    RunRecord r;
    r.source = QStringLiteral("api-tests");
    r.run = QStringLiteral("run-41");
    r.branch = QStringLiteral("main");
    r.commit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    r.startedAt = QDateTime(QDate(2026, 11, 25), QTime(10, 0), QTimeZone::utc());
    const QList<JUnitCase> cases = casesOf(QByteArray(R"(<testsuite name="api">
<testcase classname="api.Users" name="creates" time="0.120"/>
<testcase classname="api.Users" name="deletes" time="0.300"><failure message="500"/></testcase>
<testcase classname="api.Löschen" name="テスト" time="0.001"><flakyFailure/></testcase>
</testsuite>)"));
    for (const JUnitCase &c : cases)
        r.cases << caseRecordOf(c);
    r.totals = totals(3, 2, 1, 0, 0, 1, 0.421);
    return r;
}
} // namespace

void TestJUnit::signedRecords_data()
{
    // What an edit after signing looks like: each one shows as tampered.
    QTest::addColumn<int>("edit");
    QTest::addColumn<int>("state");
    QTest::newRow("untouched") << 0 << int(SignatureState::Verified);
    QTest::newRow("cases in another order") << 1 << int(SignatureState::Verified);
    QTest::newRow("a failure turned into a pass") << 2 << int(SignatureState::Tampered);
    QTest::newRow("a case dropped") << 3 << int(SignatureState::Tampered);
    QTest::newRow("a duration changed by 1 ms") << 4 << int(SignatureState::Tampered);
    QTest::newRow("the totals changed") << 5 << int(SignatureState::Tampered);
    QTest::newRow("another commit") << 6 << int(SignatureState::Tampered);
    QTest::newRow("flaky flag removed") << 7 << int(SignatureState::Tampered);
    QTest::newRow("a signature cut short") << 8 << int(SignatureState::Tampered);
    QTest::newRow("another key") << 9 << int(SignatureState::Tampered);
    QTest::newRow("no signature") << 10 << int(SignatureState::Unsigned);
}

void TestJUnit::signedRecords()
{
    QFETCH(int, edit);
    QFETCH(int, state);
    const QByteArray key = newRunSigningKey();
    QCOMPARE(key.size(), runSigningKeyBytes);
    QVERIFY(key != newRunSigningKey());
    RunRecord r = sampleRecord();
    const auto signature = signRunRecord(r, key);
    QVERIFY2(signature, qPrintable(signature.message()));
    QCOMPARE(signature->size(), 64);
    QByteArray sig = signature.value();
    QByteArray usedKey = key;
    switch (edit) {
    case 1:
        std::reverse(r.cases.begin(), r.cases.end());
        break;
    case 2:
        r.cases[1].outcome = CaseOutcome::Passed;
        break;
    case 3:
        r.cases.removeLast();
        break;
    case 4:
        r.cases[0].durationMs += 1;
        break;
    case 5:
        r.totals.failed = 0;
        break;
    case 6:
        r.commit.replace(0, 1, QLatin1Char('f'));
        break;
    case 7:
        r.cases[2].flaky = false;
        break;
    case 8:
        sig.chop(2);
        break;
    case 9:
        usedKey = newRunSigningKey();
        break;
    case 10:
        sig.clear();
        break;
    default:
        break;
    }
    QCOMPARE(int(verifyRunRecord(r, sig, usedKey)), state);
}

void TestJUnit::canonicalForm()
{
    // The bytes a receiver checks: compact, keys in order, cases sorted, times in UTC, names in
    // UTF-8; and the signature is what openssl computes over them with the same key.
    const RunRecord r = sampleRecord();
    const QByteArray canonical = canonicalRunRecord(r);
    QVERIFY(canonical.startsWith(R"({"branch":"main","cases":[{"classname":"api.Löschen","duration_ms":1,)"
                                 R"("flaky":true,"name":"テスト","outcome":"passed","suite":"api"},)"));
    QVERIFY(canonical.contains(R"("started_at":"2026-11-25T10:00:00.000Z")"));
    QVERIFY(canonical.endsWith(R"("totals":{"duration_ms":421,"errors":0,"failed":1,"flaky":1,"passed":2,)"
                               R"("skipped":0,"tests":3}})"));
    QVERIFY(!canonical.contains('\n'));
    QVERIFY(!signRunRecord(r, QByteArray(16, 'k'))); // too short a key is refused
    const QByteArray key =
        QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("openssl is not installed (it is among scripts/deps.sh --test)");
    QProcess p;
    p.start(openssl, {QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-mac"),
                      QStringLiteral("HMAC"), QStringLiteral("-macopt"),
                      QStringLiteral("hexkey:") + QString::fromLatin1(key.toHex())});
    QVERIFY(p.waitForStarted());
    p.write(canonical);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished());
    const QByteArray answer = p.readAllStandardOutput().trimmed();
    QVERIFY2(answer.endsWith(signRunRecord(r, key).value()), answer.constData());
}

void TestJUnit::streamingSigner()
{
    // Case by case in canonical order gives the signature of the whole record; names compare as
    // UTF-8 bytes (as the cache sorts them), so U+FF21 comes before U+1F600 although its UTF-16
    // code unit is the larger one.
    RunRecord r = sampleRecord();
    RunCaseRecord wide = r.cases.first();
    wide.name = QStringLiteral("\uFF21");
    RunCaseRecord emoji = wide;
    emoji.name = QString::fromUtf8("\xF0\x9F\x98\x80");
    r.cases << emoji << wide;
    QVERIFY(canonicalCaseLess(wide, emoji));
    QVERIFY(!canonicalCaseLess(emoji, wide));
    const QByteArray key = newRunSigningKey();
    QList<RunCaseRecord> sorted = r.cases;
    std::sort(sorted.begin(), sorted.end(), canonicalCaseLess);
    RunRecord header = r;
    header.cases.clear();
    RunRecordSigner signer(header, key);
    for (const RunCaseRecord &c : std::as_const(sorted))
        signer.addCase(c);
    const auto streamed = signer.finish();
    QVERIFY2(streamed, qPrintable(streamed.message()));
    QCOMPARE(streamed.value(), signRunRecord(r, key).value());

    // Out of order: refused rather than signed as something else.
    RunRecordSigner wrongOrder(header, key);
    for (qsizetype i = sorted.size() - 1; i >= 0; --i)
        wrongOrder.addCase(sorted.at(i));
    QCOMPARE(wrongOrder.finish().error().code, QStringLiteral("testrun.order"));
    RunRecordSigner shortKey(header, QByteArray(8, 'k'));
    QCOMPARE(shortKey.finish().error().code, QStringLiteral("testrun.key"));
    // No cases at all.
    RunRecordSigner none(header, key);
    QCOMPARE(none.finish().value(), signRunRecord(header, key).value());
}

QTEST_GUILESS_MAIN(TestJUnit)
#include "tst_junit.moc"
