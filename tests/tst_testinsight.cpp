// Flaky and new-failure detection (models/testruns/insight.h) as tables: histories written as
// strings of outcomes (P passed, F failed, E errored, S skipped, R passed on a rerun after failing),
// oldest first. And golden HTTP cases (models/testruns/golden.h): case files read or refused, and
// each kind of difference between a response and the expected one, with its line of diff.
#include "models/testruns/golden.h"
#include "models/testruns/insight.h"
#include "models/testruns/retention.h"

#include <QTest>
#include <QTimeZone>

using namespace opsdeck;

class TestInsight : public QObject
{
    Q_OBJECT

private slots:
    void flaky_data();
    void flaky();
    void comparison_data();
    void comparison();
    void slower();
    void repeatedNames();
    void baseline_data();
    void baseline();
    void goldenCaseRead();
    void goldenCaseRefused_data();
    void goldenCaseRefused();
    void goldenDiff_data();
    void goldenDiff();
    void uptime_data();
    void uptime();
    void retention_data();
    void retention();
};

namespace {
QList<CaseResult> history(const QString &outcomes, const QString &key = QStringLiteral("k"))
{
    QList<CaseResult> out;
    for (QChar c : outcomes) {
        CaseResult r;
        r.key = key;
        r.outcome = c == u'F'   ? CaseOutcome::Failed
                    : c == u'E' ? CaseOutcome::Errored
                    : c == u'S' ? CaseOutcome::Skipped
                                : CaseOutcome::Passed;
        r.flaky = c == u'R';
        out << r;
    }
    return out;
}

// "a:P b:F c:E": a run's results by key.
QList<CaseResult> run(const QString &text)
{
    QList<CaseResult> out;
    for (const QString &part : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        CaseResult r =
            history(part.section(QLatin1Char(':'), 1, 1), part.section(QLatin1Char(':'), 0, 0)).first();
        out << r;
    }
    return out;
}
} // namespace

void TestInsight::flaky_data()
{
    QTest::addColumn<QString>("outcomes");
    QTest::addColumn<int>("window");
    QTest::addColumn<double>("rate");
    QTest::addColumn<bool>("byRerunRule");
    QTest::addColumn<bool>("flaky");
    QTest::addColumn<bool>("byRerun");
    QTest::addColumn<bool>("byHistory");
    QTest::addColumn<int>("flips");
    QTest::addColumn<int>("runs");
    QTest::newRow("always passes") << "PPPPPPPPPP" << 20 << 0.2 << true << false << false << false << 0 << 10;
    QTest::newRow("always fails: broken, not flaky")
        << "FFFFFFFFFF" << 20 << 0.2 << true << false << false << false << 0 << 10;
    QTest::newRow("broke once and stayed broken")
        << "PPPPPFFFFF" << 20 << 0.2 << true << false << false << false << 1 << 10;
    QTest::newRow("flips every other run")
        << "PFPFPFPFPF" << 20 << 0.2 << true << true << false << true << 9 << 10;
    QTest::newRow("errors count as failing")
        << "PEPEPEPP" << 20 << 0.2 << true << true << false << true << 6 << 8;
    QTest::newRow("at the threshold is not above it")
        << "PPPPFPPPPPP" << 20 << 0.2 << true << false << false << false << 2 << 11; // 2/10 = 0.2
    QTest::newRow("just above it") << "PPPPFPPPPF" << 20 << 0.2 << true << true << false << true << 3 << 10;
    QTest::newRow("a rerun marks it at once")
        << "PPPPPPPPR" << 20 << 0.2 << true << true << true << false << 0 << 9;
    QTest::newRow("the rerun rule switched off")
        << "PPPPPPPPR" << 20 << 0.2 << false << false << false << false << 0 << 9;
    QTest::newRow("skips are left out")
        << "PSSSSSSSF" << 20 << 0.2 << true << false << false << false << 1 << 2;
    QTest::newRow("too few runs to judge")
        << "PFPF" << 20 << 0.2 << true << false << false << false << 3 << 4;
    QTest::newRow("old flips outside the window") << "PFPFPFPF" + QString(10, QLatin1Char('P')) << 10 << 0.2
                                                  << true << false << false << false << 0 << 10;
    QTest::newRow("a wider window sees them") << "PFPFPFPF" + QString(10, QLatin1Char('P')) << 20 << 0.2
                                              << true << true << false << true << 8 << 18;
    QTest::newRow("an old rerun outside the window")
        << "R" + QString(10, QLatin1Char('P')) << 10 << 0.2 << true << false << false << false << 0 << 10;
    QTest::newRow("no history") << "" << 20 << 0.2 << true << false << false << false << 0 << 0;
}

void TestInsight::flaky()
{
    QFETCH(QString, outcomes);
    QFETCH(int, window);
    QFETCH(double, rate);
    QFETCH(bool, byRerunRule);
    FlakyRules rules;
    rules.window = window;
    rules.flipRate = rate;
    rules.byRerun = byRerunRule;
    const FlakyVerdict v = judgeFlaky(history(outcomes), rules);
    QTEST(v.flaky, "flaky");
    QTEST(v.byRerun, "byRerun");
    QTEST(v.byHistory, "byHistory");
    QTEST(v.flips, "flips");
    QTEST(v.runs, "runs");
    QCOMPARE(v.evidence.isEmpty(), !v.flaky);
    if (v.byHistory)
        QVERIFY2(
            v.evidence.contains(QStringLiteral("flipped between passing and failing %1 times").arg(v.flips)),
            qPrintable(v.evidence));
    if (v.byRerun)
        QVERIFY2(v.evidence.contains(QStringLiteral("passed on a rerun")), qPrintable(v.evidence));
}

void TestInsight::comparison_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("now");
    QTest::addColumn<QStringList>("newlyFailing");
    QTest::addColumn<QStringList>("fixed");
    QTest::addColumn<QStringList>("stillFailing");
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("removed");
    QTest::newRow("nothing changed") << "a:P b:F"
                                     << "a:P b:F" << QStringList() << QStringList() << QStringList{"b"}
                                     << QStringList() << QStringList();
    QTest::newRow("a new failure") << "a:P b:P"
                                   << "a:P b:F" << QStringList{"b"} << QStringList() << QStringList()
                                   << QStringList() << QStringList();
    QTest::newRow("an error is a failure")
        << "a:P"
        << "a:E" << QStringList{"a"} << QStringList() << QStringList() << QStringList() << QStringList();
    QTest::newRow("fixed") << "a:F b:E"
                           << "a:P b:P" << QStringList() << QStringList{"a", "b"} << QStringList()
                           << QStringList() << QStringList();
    QTest::newRow("failing now, skipped before: not new")
        << "a:S"
        << "a:F" << QStringList() << QStringList() << QStringList() << QStringList() << QStringList();
    QTest::newRow("a failing case that is new is added, not newly failing")
        << "a:P"
        << "a:P b:F" << QStringList() << QStringList() << QStringList() << QStringList{"b"} << QStringList();
    QTest::newRow("removed") << "a:P b:F c:P"
                             << "a:P" << QStringList() << QStringList() << QStringList() << QStringList()
                             << QStringList{"b", "c"};
    QTest::newRow("everything at once") << "a:P b:F c:F d:P"
                                        << "a:F b:P c:F e:P" << QStringList{"a"} << QStringList{"b"}
                                        << QStringList{"c"} << QStringList{"e"} << QStringList{"d"};
}

void TestInsight::comparison()
{
    QFETCH(QString, base);
    QFETCH(QString, now);
    const RunComparison c = compareRuns(run(base), run(now), 50);
    QTEST(c.newlyFailing, "newlyFailing");
    QTEST(c.fixed, "fixed");
    QTEST(c.stillFailing, "stillFailing");
    QTEST(c.added, "added");
    QTEST(c.removed, "removed");
}

void TestInsight::slower()
{
    const auto timed = [](const QString &key, qint64 ms, CaseOutcome o = CaseOutcome::Passed) {
        CaseResult r;
        r.key = key;
        r.durationMs = ms;
        r.outcome = o;
        return r;
    };
    const QList<CaseResult> base = {timed("a", 100),
                                    timed("b", 100),
                                    timed("c", 2),
                                    timed("d", 100),
                                    timed("e", 100, CaseOutcome::Skipped),
                                    timed("f", 0)};
    const QList<CaseResult> now = {timed("a", 150), timed("b", 400), timed("c", 6),
                                   timed("d", 90),  timed("e", 900), timed("f", 50)};
    const RunComparison c = compareRuns(base, now, 25);
    // b 300 %, a 50 %; c is under 10 ms both times, d is faster, e was skipped, f had no time.
    QCOMPARE(c.slower.size(), 2);
    QCOMPARE(c.slower.at(0).key, QStringLiteral("b"));
    QCOMPARE(c.slower.at(0).percent, 300.0);
    QCOMPARE(c.slower.at(1).key, QStringLiteral("a"));
    QCOMPARE(compareRuns(base, now, 60).slower.size(), 1);
    QCOMPARE(compareRuns(base, now, 25, 0).slower.size(), 3); // c too when small cases count
}

void TestInsight::repeatedNames()
{
    QList<CaseResult> results = run("x:P y:F x:F x:P");
    numberRepeatedKeys(results);
    QStringList keys;
    for (const CaseResult &r : results)
        keys << r.key;
    QCOMPARE(keys, (QStringList{"x", "y", "x #2", "x #3"}));
    QCOMPARE(caseKey(QStringLiteral("api"), QStringLiteral("api.Users"), QStringLiteral("creates")),
             QStringLiteral("api › api.Users › creates"));
}

void TestInsight::baseline_data()
{
    QTest::addColumn<qint64>("run");
    QTest::addColumn<qint64>("picked");   // 0: none
    QTest::addColumn<qint64>("expected"); // 0: no baseline
    QTest::newRow("the previous run of the branch") << qint64(5) << qint64(0) << qint64(3);
    QTest::newRow("the first run of a branch has none") << qint64(2) << qint64(0) << qint64(0);
    QTest::newRow("another branch's runs are not it") << qint64(4) << qint64(0) << qint64(0);
    QTest::newRow("the admin picks main's last run") << qint64(4) << qint64(3) << qint64(3);
    QTest::newRow("a pick from another source is ignored") << qint64(5) << qint64(6) << qint64(3);
    QTest::newRow("the same start: the lower id is earlier") << qint64(8) << qint64(0) << qint64(7);
}

void TestInsight::baseline()
{
    QFETCH(qint64, run);
    QFETCH(qint64, picked);
    QFETCH(qint64, expected);
    const QDateTime t0(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
    const auto ref = [&](qint64 id, const char *source, const char *branch, int hours) {
        return RunRef{id, QLatin1String(source), QLatin1String(branch), t0.addSecs(hours * 3600)};
    };
    const QList<RunRef> runs = {ref(1, "api", "main", 0), ref(2, "api", "feature", 1),
                                ref(3, "api", "main", 2), ref(4, "api", "fix", 3),
                                ref(5, "api", "main", 4), ref(6, "web", "main", 3),
                                ref(7, "api", "rel", 10), ref(8, "api", "rel", 10)};
    const RunRef current =
        *std::find_if(runs.cbegin(), runs.cend(), [run](const RunRef &r) { return r.id == run; });
    const auto b = baselineFor(current, runs, picked ? std::optional<qint64>(picked) : std::nullopt);
    QCOMPARE(b ? b->id : 0, expected);
}

void TestInsight::goldenCaseRead()
{
    const auto c =
        parseGoldenCase(R"({"name":"creates a user","request":{"method":"post","path":"/users?team=ml",
        "headers":{"Content-Type":"application/json"},"body":{"name":"alice"}},
        "expect":{"status":201,"headers":{"Location":"$regex:/users/[0-9]+"},"body":{"id":"$any-number",
        "name":"alice","price":"$$5"},"ignore":["/created_at","/tags/*/id"]}})",
                        QStringLiteral("users/create.json"));
    QVERIFY2(c, qPrintable(c.message()));
    QCOMPARE(c->name, QStringLiteral("creates a user"));
    QCOMPARE(c->request.method, QStringLiteral("POST"));
    QCOMPARE(c->request.path, QStringLiteral("/users?team=ml"));
    QCOMPARE(c->request.headers.first().second, QStringLiteral("application/json"));
    QVERIFY(c->request.hasBody);
    QCOMPARE(c->expect.status, 201);
    QCOMPARE(c->expect.ignore, (QStringList{"/created_at", "/tags/*/id"}));
    // Without a name, the file's.
    const auto bare =
        parseGoldenCase(R"({"request":{"method":"GET","path":"/health"},"expect":{"status":200}})",
                        QStringLiteral("health.json"));
    QVERIFY2(bare, qPrintable(bare.message()));
    QCOMPARE(bare->name, QStringLiteral("health.json"));
    QVERIFY(!bare->expect.hasBody);
}

void TestInsight::goldenCaseRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("words");
    QTest::newRow("not JSON") << QByteArray("{request:") << "not JSON";
    QTest::newRow("no expect") << QByteArray(R"({"request":{"method":"GET","path":"/"}})") << "\"expect\"";
    QTest::newRow("unknown method")
        << QByteArray(R"({"request":{"method":"FETCH","path":"/"},"expect":{"status":200}})") << "FETCH";
    QTest::newRow("relative path")
        << QByteArray(R"({"request":{"method":"GET","path":"users"},"expect":{"status":200}})")
        << "must start with /";
    QTest::newRow("space in the path")
        << QByteArray(R"({"request":{"method":"GET","path":"/a b"},"expect":{"status":200}})") << "no spaces";
    QTest::newRow("status out of range")
        << QByteArray(R"({"request":{"method":"GET","path":"/"},"expect":{"status":700}})") << "100 to 599";
    QTest::newRow("status as text")
        << QByteArray(R"({"request":{"method":"GET","path":"/"},"expect":{"status":"200"}})") << "100 to 599";
    QTest::newRow("header with a line break")
        << QByteArray(
               R"({"request":{"method":"GET","path":"/","headers":{"X-A":"1\r\nX-B: 2"}},"expect":{"status":200}})")
        << "line break";
    QTest::newRow("bad header name")
        << QByteArray(
               R"({"request":{"method":"GET","path":"/","headers":{"X A":"1"}},"expect":{"status":200}})")
        << "not a header name";
    QTest::newRow("bad pattern")
        << QByteArray(
               R"({"request":{"method":"GET","path":"/"},"expect":{"status":200,"body":{"a":["$regex:(["]}}})")
        << "/a/0 is not a regular expression";
    QTest::newRow("unknown matcher")
        << QByteArray(
               R"({"request":{"method":"GET","path":"/"},"expect":{"status":200,"body":{"a":"$anything"}}})")
        << "no matcher";
    QTest::newRow("ignore not a pointer")
        << QByteArray(R"({"request":{"method":"GET","path":"/"},"expect":{"status":200,"ignore":["id"]}})")
        << "not a JSON Pointer";
}

void TestInsight::goldenCaseRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, words);
    const auto c = parseGoldenCase(json, QStringLiteral("cases/x.json"));
    QVERIFY(!c);
    QCOMPARE(c.error().code, QStringLiteral("golden.case"));
    QVERIFY2(c.message().startsWith(QStringLiteral("cases/x.json: ")), qPrintable(c.message()));
    QVERIFY2(c.message().contains(words), qPrintable(c.message()));
}

void TestInsight::goldenDiff_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("diff");
    const QByteArray good =
        R"({"id":7,"name":"alice","price":"$5","created_at":"now","tags":[{"id":1,"n":"a"}]})";
    QTest::newRow("matches") << 201 << "/users/7" << good << "";
    QTest::newRow("header names are case-blind") << 201 << "/users/7" << good << "";
    QTest::newRow("another status") << 500 << "/users/7" << good << "status: expected 201, got 500";
    QTest::newRow("a header that does not match")
        << 201 << "/people/7" << good << "header Location: expected $regex:/users/[0-9]+, got /people/7";
    QTest::newRow("a header missing")
        << 201 << "" << good << "header Location: expected $regex:/users/[0-9]+, got missing";
    QTest::newRow("another value") << 201 << "/users/7" << QByteArray(good).replace("alice", "bob")
                                   << "body /name: expected \"alice\", got \"bob\"";
    QTest::newRow("a matcher refuses the type")
        << 201 << "/users/7" << QByteArray(good).replace("\"id\":7", "\"id\":\"7\"")
        << "body /id: expected $any-number, got \"7\"";
    QTest::newRow("the literal dollar") << 201 << "/users/7" << QByteArray(good).replace("$5", "5")
                                        << "body /price: expected \"$5\", got \"5\"";
    QTest::newRow("a member missing") << 201 << "/users/7" << QByteArray(R"({"id":7,"price":"$5"})")
                                      << "body /name: expected \"alice\", got missing\n"
                                         "body /tags: expected [{\"n\":\"a\"}], got missing";
    QTest::newRow("a member not expected")
        << 201 << "/users/7" << QByteArray(good).replace("{\"id\":7,", "{\"id\":7,\"admin\":true,")
        << "body /admin: expected not there, got true";
    QTest::newRow("ignored paths, wildcards included")
        << 201 << "/users/7"
        << QByteArray(
               R"({"id":8,"name":"alice","price":"$5","created_at":"later","tags":[{"id":99,"n":"a"}]})")
        << "";
    QTest::newRow("an array longer than expected")
        << 201 << "/users/7"
        << QByteArray(R"({"id":7,"name":"alice","price":"$5","tags":[{"id":1,"n":"a"},{"id":2,"n":"b"}]})")
        << "body /tags/1: expected not there, got {\"id\":2,\"n\":\"b\"}";
    QTest::newRow("not JSON")
        << 201 << "/users/7" << QByteArray("<html>oops</html>")
        << "body: expected "
           "{\"id\":\"$any-number\",\"name\":\"alice\",\"price\":\"$$5\",\"tags\":[{\"n\":\"a\"}]}, "
           "got a body that is not JSON: <html>oops</html>";
    QTest::newRow("empty") << 201 << "/users/7" << QByteArray()
                           << "body: expected {\"id\":\"$any-number\",\"name\":"
                              "\"alice\",\"price\":\"$$5\",\"tags\":[{\"n\":\"a\"}]}, got an empty body";
    QTest::newRow("several at once")
        << 404 << "/users/7" << QByteArray(R"({"id":7,"name":"eve","price":"$5","tags":[]})")
        << "status: expected 201, got 404\nbody /name: expected \"alice\", got \"eve\"\n"
           "body /tags/0: expected {\"n\":\"a\"}, got missing";
}

void TestInsight::goldenDiff()
{
    QFETCH(int, status);
    QFETCH(QString, location);
    QFETCH(QByteArray, body);
    const auto c = parseGoldenCase(R"({"request":{"method":"POST","path":"/users"},"expect":{"status":201,
        "headers":{"Location":"$regex:/users/[0-9]+"},"body":{"id":"$any-number","name":"alice","price":"$$5",
        "tags":[{"n":"a"}]},"ignore":["/created_at","/tags/*/id"]}})",
                                   QStringLiteral("c.json"));
    QVERIFY2(c, qPrintable(c.message()));
    GoldenHeaders headers{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    if (!location.isEmpty())
        headers << std::pair{
            QString::fromLatin1(QTest::currentDataTag() == QByteArray("header names are case-blind")
                                    ? "location"
                                    : "Location"),
            location};
    const QList<GoldenMismatch> found = compareGoldenResponse(c->expect, status, headers, body);
    QTEST(goldenDiffText(found), "diff");
}

void TestInsight::uptime_data()
{
    // Samples as "minute:U|D" from 12:00 UTC; the window from 12:00 (or as given) to 14:00.
    QTest::addColumn<QString>("samples");
    QTest::addColumn<int>("windowFrom"); // minutes after 12:00; negative: before
    QTest::addColumn<double>("percent");
    QTest::addColumn<QString>("outages"); // "from-to" in minutes, "from-" while it lasts
    QTest::addColumn<bool>("upNow");
    QTest::newRow("up all along") << "0:U 30:U 60:U" << 0 << 100.0 << "" << true;
    QTest::newRow("down for an hour in the middle") << "0:U 30:D 60:D 90:U" << 0 << 50.0 << "30-90" << true;
    QTest::newRow("down now") << "0:U 90:D" << 0 << 75.0 << "90-" << false;
    QTest::newRow("an outage begun before the window is clipped")
        << "-60:D 30:U" << 0 << 75.0 << "0-30" << true;
    QTest::newRow("time before the first sample is not counted")
        << "60:D 90:U" << 0 << 50.0 << "60-90" << true;
    QTest::newRow("two outages") << "0:D 10:U 60:D 70:U" << 0 << (100.0 * 100 / 120) << "0-10 60-70" << true;
    QTest::newRow("no samples") << "" << 0 << 100.0 << "" << false;
}

void TestInsight::uptime()
{
    QFETCH(QString, samples);
    QFETCH(int, windowFrom);
    const QDateTime noon(QDate(2026, 11, 25), QTime(12, 0), QTimeZone::utc());
    QList<HealthSample> list;
    for (const QString &s : samples.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        list << HealthSample{noon.addSecs(60 * s.section(QLatin1Char(':'), 0, 0).toInt()),
                             s.section(QLatin1Char(':'), 1) == QLatin1String("U")};
    const Uptime u = uptimeOf(list, noon.addSecs(60 * windowFrom), noon.addSecs(120 * 60));
    QVERIFY(qAbs(u.percent - [] {
                QFETCH(double, percent);
                return percent;
            }()) < 1e-9);
    QStringList outages;
    for (const Outage &o : u.outages)
        outages << QStringLiteral("%1-%2")
                       .arg(noon.secsTo(o.from) / 60)
                       .arg(o.to.isValid() ? QString::number(noon.secsTo(o.to) / 60) : QString());
    QTEST(outages.join(QLatin1Char(' ')), "outages");
    QTEST(u.upNow, "upNow");
    QCOMPARE(u.known, !list.isEmpty());
}

void TestInsight::retention_data()
{
    // Runs as "id:source:days ago[:pinned]"; now is 1 December.
    QTest::addColumn<QString>("runs");
    QTest::addColumn<int>("maxAge");
    QTest::addColumn<int>("maxCount");
    QTest::addColumn<QList<qint64>>("removed");
    const QString runs = QStringLiteral("1:api:100 2:api:50 3:api:10 4:api:1 5:web:2:p 6:web:5 7:web:95");
    QTest::newRow("by age") << runs << 90 << 0 << QList<qint64>{1, 7};
    QTest::newRow("by count per source") << runs << 0 << 2 << QList<qint64>{1, 2};
    QTest::newRow("a pinned run takes no place among the newest")
        << runs << 0 << 1 << QList<qint64>{1, 2, 3, 7};
    QTest::newRow("both") << runs << 30 << 3 << QList<qint64>{1, 2, 7};
    QTest::newRow("exactly at the age limit stays") << runs << 1 << 0 << QList<qint64>{1, 2, 3, 6, 7};
    QTest::newRow("a pinned baseline stays, whatever its age")
        << QStringLiteral("1:api:400:p 2:api:300") << 30 << 1 << QList<qint64>{2};
    QTest::newRow("no limits") << runs << 0 << 0 << QList<qint64>{};
}

void TestInsight::retention()
{
    QFETCH(QString, runs);
    QFETCH(int, maxAge);
    QFETCH(int, maxCount);
    const QDateTime now(QDate(2026, 12, 1), QTime(12, 0), QTimeZone::utc());
    QList<RetainedRun> list;
    for (const QString &r : runs.split(QLatin1Char(' '))) {
        const QStringList f = r.split(QLatin1Char(':'));
        list << RetainedRun{f.at(0).toLongLong(), f.at(1), now.addDays(-f.at(2).toInt()), f.size() > 3};
    }
    RetentionRules rules;
    rules.maxAgeDays = maxAge;
    rules.maxRunsPerSource = maxCount;
    QTEST(runsToRemove(list, rules, now), "removed");
}

QTEST_GUILESS_MAIN(TestInsight)
#include "tst_testinsight.moc"
