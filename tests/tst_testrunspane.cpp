// The Test runs pane and its models over a real cache: runs with their totals and signature states
// (a record edited in the cache shows tampered), a run's cases with their history strip, new
// failures against the baseline (the previous run of the source and branch, or one picked) and
// flaky cases, as _data() tables; comparison of two runs; an import through the service thread
// with progress, a refused report named and audited, and cancel. QAbstractItemModelTester is on
// every model.
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "models/testruns/testrunmodels.h"
#include "services/servicehost.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunsservice.h"
#include "services/testruns/testrunstore.h"
#include "services/workspace/workspaceservice.h"
#include "ui/common/tones.h"
#include "ui/panes/testruns/casedetail.h"
#include "ui/panes/testruns/flakyrulesdialog.h"
#include "ui/panes/testruns/notifydialog.h"
#include "ui/panes/testruns/trendschart.h"
#include "ui/panes/testrunspane.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTreeWidget>
#include <QValueAxis>

using namespace opsdeck;

namespace {
// A report of the cases given as "name=outcome" (p passed, f failed, e error, s skipped, r passed
// on a rerun), all in class "c" of suite "s".
QByteArray report(const QStringList &cases, const QDateTime &at)
{
    QByteArray xml = "<testsuite name=\"s\" timestamp=\"" + at.toString(Qt::ISODate).toUtf8() + "\">";
    for (const QString &c : cases) {
        const QString name = c.section(QLatin1Char('='), 0, 0);
        const QChar o = c.section(QLatin1Char('='), 1).at(0);
        QByteArray body;
        if (o == QLatin1Char('f'))
            body = "<failure message=\"boom in " + name.toUtf8() + "\"/>";
        else if (o == QLatin1Char('e'))
            body = "<error message=\"crash\"/>";
        else if (o == QLatin1Char('s'))
            body = "<skipped/>";
        else if (o == QLatin1Char('r'))
            body = "<flakyFailure message=\"first try\"/>";
        xml +=
            "<testcase classname=\"c\" name=\"" + name.toUtf8() + "\" time=\"0.1\">" + body + "</testcase>";
    }
    return xml + "</testsuite>";
}

qint64 importRun(const QStringList &cases, int day, const QString &branch = QStringLiteral("main"),
                 const QString &source = QStringLiteral("api"))
{
    QBuffer b;
    b.setData(report(cases, QDateTime(QDate(2026, 11, 1).addDays(day), QTime(2, 0), QTimeZone::utc())));
    b.open(QIODevice::ReadOnly);
    RunImport r;
    r.source = source;
    r.branch = branch;
    r.title = QStringLiteral("day %1").arg(day);
    const auto run = TestRunStore::importReport(b, r, RunSigningKey::demoKey());
    return run ? run->runId : -1;
}

template<typename M> bool waitLoaded(M &model)
{
    QSignalSpy spy(&model, &CacheTableModel::loaded);
    return spy.wait(10000);
}

int rowOfName(const QAbstractItemModel &m, int column, const QString &name)
{
    for (int i = 0; i < m.rowCount(); ++i)
        if (m.index(i, column).data(CacheTableModel::RawRole).toString() == name)
            return i;
    return -1;
}
} // namespace

class TestRunsPaneTest : public QObject
{
    Q_OBJECT

private slots:
    void trendsAxisReadsShortDurations();
    void trendsFollowThePalette();
    void init();
    void cleanup();
    void runsAndSignatures();
    void newFailures_data();
    void newFailures();
    void pickedBaseline();
    void flakyCases_data();
    void flakyCases();
    void flakyRulesPreview();
    void notifyDialog();
    void historyStrip();
    void compareTwoRuns();
    void paneImportsThroughTheService();
    void paneCancelsAnImport();
    void paneSaysHowPublishingWent();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunsPaneTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))));
}

void TestRunsPaneTest::cleanup()
{
    Database::close();
    m_dir.reset();
}

void TestRunsPaneTest::runsAndSignatures()
{
    const qint64 first = importRun({"a=p", "b=f", "c=s", "d=r"}, 0);
    const qint64 second = importRun({"a=p", "b=p", "c=p", "d=p"}, 1);
    QVERIFY(first > 0 && second > 0);
    // The first run's failure turned into a pass in the cache, after it was signed.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("UPDATE test_cases SET outcome = 0 WHERE outcome = 1 AND run_id = %1").arg(first)));

    TestRunsModel runs;
    QAbstractItemModelTester tester(&runs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitLoaded(runs));
    QCOMPARE(runs.rowCount(), 2);
    QCOMPARE(runs.rowAt(0).key.toLongLong(), second); // newest first
    const QModelIndex older = runs.index(1, 0);
    QCOMPARE(runs.index(1, TestRunsModel::Failed).data().toInt(), 1);
    QCOMPARE(runs.index(1, TestRunsModel::Flaky).data().toInt(), 1);
    QCOMPARE(runs.index(1, TestRunsModel::PassRate).data().toString(),
             QStringLiteral("66.7 %")); // 2 of 3 judged
    QCOMPARE(runs.index(1, TestRunsModel::Signature).data().toString(), QStringLiteral("checking…"));
    QCOMPARE(older.data(TestRunsModel::SignatureStateRole).toInt(), -1);
    QCOMPARE(runs.uncheckedRuns(), QList<qint64>({second, first}));

    // The service checks them on its thread.
    ServiceHost host;
    auto *service = new TestRunsService;
    service->setDemoMode(true);
    host.add(service, QStringLiteral("testruns"));
    host.startAll();
    QSignalSpy verified(service, &TestRunsService::runVerified);
    connect(service, &TestRunsService::runVerified, &runs,
            [&runs](qint64 run, int state) { runs.setSignatureState(run, SignatureState(state)); });
    QMetaObject::invokeMethod(service, [service, ids = runs.uncheckedRuns()] { service->verifyRuns(ids); });
    QTRY_COMPARE_WITH_TIMEOUT(verified.size(), 2, 10000);
    QTRY_COMPARE(runs.index(0, TestRunsModel::Signature).data().toString(), QStringLiteral("verified"));
    QTRY_COMPARE(runs.index(1, TestRunsModel::Signature).data().toString(), QStringLiteral("tampered"));
    QVERIFY(runs.uncheckedRuns().isEmpty());
    runs.clearSignatureStates();
    QCOMPARE(runs.uncheckedRuns().size(), 2);
    host.stopAll();
}

void TestRunsPaneTest::newFailures_data()
{
    // Runs of source "api" on main (oldest first); the last is shown. What each case's change is.
    QTest::addColumn<QList<QStringList>>("runs");
    QTest::addColumn<QStringList>("expected"); // "case=change" for the shown run
    QTest::newRow("a pass turns into a failure")
        << QList<QStringList>{{"a=p", "b=p"}, {"a=p", "b=f"}} << QStringList{"a=", "b=new failure"};
    QTest::newRow("an error counts as failing too")
        << QList<QStringList>{{"a=p"}, {"a=e"}} << QStringList{"a=new failure"};
    QTest::newRow("failing in both: still failing, not new")
        << QList<QStringList>{{"a=f"}, {"a=f"}} << QStringList{"a=still failing"};
    QTest::newRow("failing then passing: fixed")
        << QList<QStringList>{{"a=f"}, {"a=p"}} << QStringList{"a=fixed"};
    QTest::newRow("skipped before: not a new failure")
        << QList<QStringList>{{"a=s"}, {"a=f"}} << QStringList{"a="};
    QTest::newRow("a case new in this run")
        << QList<QStringList>{{"a=p"}, {"a=p", "n=f"}} << QStringList{"a=", "n=new case"};
    QTest::newRow("the baseline is the previous run, not an older one")
        << QList<QStringList>{{"a=p"}, {"a=f"}, {"a=f"}} << QStringList{"a=still failing"};
    QTest::newRow("no earlier run: nothing is new") << QList<QStringList>{{"a=f"}} << QStringList{"a="};
}

void TestRunsPaneTest::newFailures()
{
    QFETCH(QList<QStringList>, runs);
    QFETCH(QStringList, expected);
    qint64 last = 0;
    for (int i = 0; i < runs.size(); ++i)
        last = importRun(runs.at(i), i);
    // A run of another branch in between is not the baseline of main.
    importRun({"a=p", "b=p", "n=p"}, int(runs.size()) - 1, QStringLiteral("feature"));
    TestCasesModel cases;
    QAbstractItemModelTester tester(&cases, QAbstractItemModelTester::FailureReportingMode::QtTest);
    cases.setRun(last);
    QVERIFY(waitLoaded(cases));
    QCOMPARE(cases.rowCount(), expected.size());
    for (const QString &e : expected) {
        const int row = rowOfName(cases, TestCasesModel::Name, e.section(QLatin1Char('='), 0, 0));
        QVERIFY2(row >= 0, qPrintable(e));
        QCOMPARE(cases.index(row, TestCasesModel::Change).data().toString(), e.section(QLatin1Char('='), 1));
    }
}

void TestRunsPaneTest::pickedBaseline()
{
    // The admin compares with the last run of main instead of the previous run of the branch.
    const qint64 mainRun = importRun({"a=p", "b=p"}, 0);
    importRun({"a=f", "b=p"}, 1, QStringLiteral("feature"));
    const qint64 now = importRun({"a=f", "b=f"}, 2, QStringLiteral("feature"));
    TestCasesModel cases;
    cases.setRun(now);
    QVERIFY(waitLoaded(cases));
    QCOMPARE(cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("a")), TestCasesModel::Change)
                 .data()
                 .toString(),
             QStringLiteral("still failing"));
    cases.setRun(now, mainRun);
    QVERIFY(waitLoaded(cases));
    QCOMPARE(cases.baselineRunId(), mainRun);
    QCOMPARE(cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("a")), TestCasesModel::Change)
                 .data()
                 .toString(),
             QStringLiteral("new failure"));
    QCOMPARE(cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("b")), TestCasesModel::Change)
                 .data()
                 .toString(),
             QStringLiteral("new failure"));
}

void TestRunsPaneTest::flakyCases_data()
{
    // Outcomes of case "x" over the source's runs, oldest first; the rules; flaky or not, and why.
    QTest::addColumn<QString>("history");
    QTest::addColumn<int>("window");
    QTest::addColumn<double>("flipRate");
    QTest::addColumn<bool>("byRerun");
    QTest::addColumn<QString>("why"); // empty: not flaky
    QTest::newRow("flips often") << "pfpfpfpp" << 20 << 0.2 << true << "flips between runs";
    QTest::newRow("fails steadily: broken, not flaky") << "ppppffff" << 20 << 0.2 << true << "";
    QTest::newRow("passes on a rerun once") << "ppppprpp" << 20 << 0.2 << true << "passed on a rerun";
    QTest::newRow("rerun rule off") << "ppppprpp" << 20 << 0.2 << false << "";
    QTest::newRow("both") << "pfpfprpf" << 20 << 0.2 << true << "rerun and history";
    QTest::newRow("flips only outside the window") << "pfpfpppppp" << 5 << 0.2 << true << "";
    QTest::newRow("too few runs to judge by history") << "pfpf" << 20 << 0.2 << true << "";
    QTest::newRow("skips are left out") << "psfsps" << 20 << 0.5 << true << "";
    QTest::newRow("threshold above the rate") << "pfppppppp" << 20 << 0.3 << true << "";
}

void TestRunsPaneTest::flakyCases()
{
    QFETCH(QString, history);
    QFETCH(int, window);
    QFETCH(double, flipRate);
    QFETCH(bool, byRerun);
    QFETCH(QString, why);
    for (int i = 0; i < history.size(); ++i)
        importRun({QStringLiteral("x=") + history.at(i), QStringLiteral("steady=p")}, i);
    FlakyRules rules;
    rules.window = window;
    rules.flipRate = flipRate;
    rules.byRerun = byRerun;
    FlakyCasesModel flaky;
    QAbstractItemModelTester tester(&flaky, QAbstractItemModelTester::FailureReportingMode::QtTest);
    flaky.setRules(rules);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM test_sources")) && q.next());
    flaky.setSource(q.value(0).toLongLong());
    QVERIFY(waitLoaded(flaky));
    if (why.isEmpty()) {
        QCOMPARE(flaky.rowCount(), 0);
        return;
    }
    QCOMPARE(flaky.rowCount(), 1);
    QCOMPARE(flaky.index(0, FlakyCasesModel::Name).data().toString(), QStringLiteral("x"));
    QCOMPARE(flaky.index(0, FlakyCasesModel::Verdict).data().toString(), why);
    QVERIFY(
        !flaky.index(0, FlakyCasesModel::Name).data(Qt::ToolTipRole).toString().isEmpty()); // the evidence

    // The cases model of the newest run marks the same case.
    QVERIFY(q.exec(QStringLiteral("SELECT max(id) FROM test_runs")) && q.next());
    TestCasesModel cases;
    cases.setRules(rules);
    cases.setRun(q.value(0).toLongLong());
    QVERIFY(waitLoaded(cases));
    QVERIFY(cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("x")), 0)
                .data(TestCasesModel::FlakyRole)
                .toBool());
    QVERIFY(!cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("steady")), 0)
                 .data(TestCasesModel::FlakyRole)
                 .toBool());
}

void TestRunsPaneTest::flakyRulesPreview()
{
    const QString history = QStringLiteral("pfpfpfpp");
    for (int i = 0; i < history.size(); ++i)
        importRun(
            {QStringLiteral("x=") + history.at(i), i == 6 ? QStringLiteral("y=r") : QStringLiteral("y=p")},
            i);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM test_sources")) && q.next());
    const qint64 source = q.value(0).toLongLong();
    FlakyRulesDialog dialog(FlakyRules{}, source, QStringLiteral("api"));
    QSignalSpy shown(&dialog, &FlakyRulesDialog::previewShown);
    QVERIFY(shown.wait(10000));
    QCOMPARE(dialog.preview()->rowCount(), 2); // both flaky under the defaults, and still
    // Without the rerun rule, y is no longer flaky; with a high flip rate, x neither.
    FlakyRules proposed;
    proposed.byRerun = false;
    proposed.flipRate = 0.9;
    dialog.setRules(proposed);
    QVERIFY(shown.wait(10000));
    QStringList states;
    for (int r = 0; r < dialog.preview()->rowCount(); ++r)
        states << dialog.preview()->item(r, 0)->text() + QLatin1Char('=') +
                      dialog.preview()->item(r, 2)->text();
    states.sort();
    QCOMPARE(states, QStringList({"s › c › x=no longer flaky", "s › c › y=no longer flaky"}));
    QVERIFY2(dialog.previewLabel()->text().contains(QStringLiteral("2 no longer")),
             qPrintable(dialog.previewLabel()->text()));

    // Saved in the settings, the pane's models follow.
    AppSettings settings(m_dir->path());
    TestRunsPane pane(nullptr, nullptr, &settings);
    QVERIFY(waitLoaded(*pane.runs()));
    QTRY_COMPARE(pane.flakyCases()->rowCount(), 2);
    settings.setFlakyRules(proposed);
    QTRY_COMPARE(pane.flakyCases()->rowCount(), 0);
    QCOMPARE(AppSettings(m_dir->path()).flakyRules(), proposed);
}

void TestRunsPaneTest::notifyDialog()
{
    NotifySettings current;
    current.slack = NotifyWhen::NewFailures;
    NotifyDialog dialog(QStringLiteral("api"), current);
    QVERIFY(dialog.problem().isEmpty());
    auto *slackUrl = dialog.findChild<QLineEdit *>(QStringLiteral("slackUrl"));
    QVERIFY(slackUrl);
    slackUrl->setText(QStringLiteral("http://hooks.slack.com/services/T/B/X"));
    QVERIFY2(dialog.problem().contains(QStringLiteral("https")), qPrintable(dialog.problem()));
    slackUrl->setText(QStringLiteral("https://hooks.slack.com/services/T/B/X"));
    QVERIFY(dialog.problem().isEmpty());
    QCOMPARE(dialog.slackWebhook(), QStringLiteral("https://hooks.slack.com/services/T/B/X"));
    // Jira on without its fields: what is missing is said.
    auto *jiraWhen = dialog.findChild<QComboBox *>(QStringLiteral("jiraWhen"));
    jiraWhen->setCurrentIndex(jiraWhen->findData(int(NotifyWhen::FailedRun)));
    QVERIFY2(dialog.problem().contains(QStringLiteral("Jira site")), qPrintable(dialog.problem()));
    QCOMPARE(dialog.settings().slack, NotifyWhen::NewFailures);
    QCOMPARE(dialog.settings().jira, NotifyWhen::FailedRun);
}

void TestRunsPaneTest::historyStrip()
{
    importRun({"a=p", "b=f"}, 0);
    importRun({"a=r"}, 1);                                                         // b not in this run
    importRun({"a=p", "b=s"}, 2, QStringLiteral("main"), QStringLiteral("other")); // another source
    const qint64 now = importRun({"a=e", "b=p"}, 3);
    TestCasesModel cases;
    cases.setRun(now);
    QVERIFY(waitLoaded(cases));
    const auto strip = [&](const QString &name) {
        QStringList cells;
        for (const QVariant &v : cases.index(rowOfName(cases, TestCasesModel::Name, name), 0)
                                     .data(TestCasesModel::HistoryRole)
                                     .toList()) {
            const QVariantMap m = v.toMap();
            cells << QStringLiteral("%1%2")
                         .arg(m.value(QStringLiteral("outcome")).toInt())
                         .arg(m.value(QStringLiteral("flaky")).toBool() ? QStringLiteral("r") : QString());
        }
        return cells.join(QLatin1Char(' '));
    };
    // Oldest first, this run last; -1 where the case was not in a run; other sources left out.
    QCOMPARE(strip(QStringLiteral("a")), QStringLiteral("0 0r 2"));
    QCOMPARE(strip(QStringLiteral("b")), QStringLiteral("1 -1 0"));
    const QModelIndex a = cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("b")), 0);
    QCOMPARE(a.data(TestCasesModel::LastFailureRole).toString(), QStringLiteral("boom in b"));

    // The detail panel reads what the case left behind off the GUI thread.
    CaseDetailPanel panel;
    const QModelIndex errored = cases.index(rowOfName(cases, TestCasesModel::Name, QStringLiteral("a")), 0);
    panel.showCase(now, errored);
    QVERIFY(panel.text().contains(QStringLiteral("s › c › a")));
    QTRY_VERIFY(!panel.text().contains(QStringLiteral("Reading what it left behind")));
    QVERIFY2(panel.text().contains(QStringLiteral("2 passed, 1 failed or errored")),
             qPrintable(panel.text()));
    QVERIFY(panel.text().contains(QStringLiteral("Last failure message:\ncrash")));
}

void TestRunsPaneTest::compareTwoRuns()
{
    const qint64 base = importRun({"a=p", "b=f", "c=f", "gone=p"}, 0);
    QBuffer slow;
    slow.setData(R"(<testsuite name="s"><testcase classname="c" name="a" time="0.5"><failure/></testcase>
<testcase classname="c" name="b" time="0.1"/><testcase classname="c" name="c" time="0.1"><failure/></testcase>
<testcase classname="c" name="new" time="0.1"/></testsuite>)");
    slow.open(QIODevice::ReadOnly);
    RunImport r;
    r.source = QStringLiteral("api");
    const auto now = TestRunStore::importReport(slow, r, RunSigningKey::demoKey());
    QVERIFY(now);
    TestRunsPane pane(nullptr, nullptr);
    QVERIFY(waitLoaded(*pane.runs()));
    QSignalSpy shown(&pane, &TestRunsPane::comparisonShown);
    pane.compareRuns(base, now->runId, 50);
    QVERIFY(shown.wait(10000));
    QTreeWidget *tree = pane.comparison();
    QStringList groups;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        groups << tree->topLevelItem(i)->text(0);
    QCOMPARE(groups, QStringList({"Newly failing (1)", "Fixed (1)", "Still failing (1)", "Added (1)",
                                  "Removed (1)", "Slower by more than 50 % (1)"}));
    QCOMPARE(tree->topLevelItem(0)->child(0)->text(0), QStringLiteral("s › c › a"));
    QCOMPARE(tree->topLevelItem(5)->child(0)->text(0), QStringLiteral("s › c › a"));
}

void TestRunsPaneTest::paneImportsThroughTheService()
{
    qputenv("OPSDECK_NO_MODAL", "1");
    const QString good = m_dir->filePath(QStringLiteral("reports/TEST-good.xml"));
    const QString cut = m_dir->filePath(QStringLiteral("reports/TEST-cut.xml"));
    QDir().mkpath(m_dir->filePath(QStringLiteral("reports")));
    QFile g(good);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(report({"a=p", "b=f"}, QDateTime(QDate(2026, 11, 5), QTime(1, 0), QTimeZone::utc())));
    g.close();
    QFile c(cut);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write("<testsuite><testcase name=\"x\">");
    c.close();

    ServiceHost host;
    auto *service = new TestRunsService;
    service->setDemoMode(true);
    host.add(service, QStringLiteral("testruns"));
    host.startAll();
    TestRunsPane pane(nullptr, service);
    QVERIFY(waitLoaded(*pane.runs()));
    QCOMPARE(pane.runs()->rowCount(), 0);
    QSignalSpy finished(&pane, &TestRunsPane::importFinished);
    ImportJob job;
    job.paths = {m_dir->filePath(QStringLiteral("reports"))};
    job.source = QStringLiteral("ui-tests");
    job.branch = QStringLiteral("main");
    pane.startImport(job);
    QVERIFY(pane.isImporting());
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().at(0).toInt(), 1); // imported
    QCOMPARE(finished.first().at(2).toInt(), 1); // refused
    QVERIFY2(pane.message()->text().contains(QStringLiteral("Imported 1 report")),
             qPrintable(pane.message()->text()));
    QVERIFY(pane.message()->text().contains(QStringLiteral("1 refused")));
    QTRY_COMPARE(pane.runs()->rowCount(), 1);
    QTRY_COMPARE(pane.runs()->index(0, TestRunsModel::Signature).data().toString(),
                 QStringLiteral("verified"));
    QTRY_COMPARE(pane.cases()->rowCount(), 2);
    QCOMPARE(pane.selectedRun(), pane.runs()->rowAt(0).key.toLongLong());
    QVERIFY(pane.runSummary()->text().contains(QStringLiteral("1 failed")));
    QCOMPARE(pane.sourceCombo()->count(), 2); // all sources, ui-tests

    // The refusal is in the audit log with its reason.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "SELECT outcome, comment FROM audit_events WHERE action = 'testrun.import' ORDER BY id")));
    QStringList outcomes;
    while (q.next())
        outcomes << q.value(0).toString() + QLatin1Char(':') +
                        q.value(1).toString().section(QLatin1Char(':'), 0, 0);
    QCOMPARE(outcomes, QStringList({"failure:TEST-cut.xml", "success:"}));

    // Show: failing only; the trends need two runs.
    pane.setShow(TestRunsPane::Show::Failing);
    QCOMPARE(pane.casesView()->model()->rowCount(), 1);
    QCOMPARE(pane.trends()->pointCount(), 1);
    host.stopAll();
}

void TestRunsPaneTest::paneCancelsAnImport()
{
    qputenv("OPSDECK_NO_MODAL", "1");
    // A report large enough to be cancelled while it is read.
    const QString big = m_dir->filePath(QStringLiteral("big.xml"));
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("<testsuite name=\"s\">");
    for (int i = 0; i < 200000; ++i)
        f.write(QStringLiteral("<testcase classname=\"c\" name=\"t%1\" time=\"0.001\"/>\n").arg(i).toUtf8());
    f.write("</testsuite>");
    f.close();
    ServiceHost host;
    auto *service = new TestRunsService;
    service->setDemoMode(true);
    host.add(service, QStringLiteral("testruns"));
    host.startAll();
    TestRunsPane pane(nullptr, service);
    QSignalSpy finished(&pane, &TestRunsPane::importFinished);
    QSignalSpy progress(service, &TestRunsService::importProgress);
    ImportJob job;
    job.paths = {big};
    pane.startImport(job);
    QVERIFY(progress.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 10000); // reading has begun
    QPushButton *cancel = nullptr;
    for (QPushButton *b : pane.findChildren<QPushButton *>())
        if (b->text() == QStringLiteral("Cancel"))
            cancel = b;
    QVERIFY(cancel);
    cancel->click();
    QVERIFY(finished.wait(15000));
    QVERIFY2(pane.message()->text().contains(QStringLiteral("Cancelled")),
             qPrintable(pane.message()->text()));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
                "SELECT (SELECT count(*) FROM test_runs) + (SELECT count(*) FROM test_cases)")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    host.stopAll();
}

void TestRunsPaneTest::paneSaysHowPublishingWent()
{
    // What went to the team workspace, what waits for it and what it refused, in the message line;
    // runs it held already are not news.
    WorkspaceService workspace;
    TestRunsPane pane(nullptr, nullptr);
    pane.watchPublishing(&workspace);
    pane.message()->setText(QStringLiteral("before"));
    emit workspace.testRunsPublished(0, 4, 0, {});
    QCOMPARE(pane.message()->text(), QStringLiteral("before"));
    emit workspace.testRunsPublished(3, 1, 2,
                                     {QStringLiteral("Publishing run r9 of nightly: pam may not publish")});
    const QString shown = pane.message()->text();
    QVERIFY2(shown.contains(QStringLiteral("3 run(s) published")) &&
                 shown.contains(QStringLiteral("2 run(s) wait")) &&
                 shown.contains(QStringLiteral("pam may not publish")),
             qPrintable(shown));
}

void TestRunsPaneTest::trendsAxisReadsShortDurations()
{
    // The duration axis keeps decimals for short runs: 0.3 s and 0.5 s must not both read "0 s".
    const QDateTime t0(QDate(2026, 12, 1), QTime(9, 0), QTimeZone::utc());
    const auto formatFor = [&](qint64 firstMs, qint64 secondMs) {
        TrendsChart chart;
        chart.setRuns(QStringLiteral("api"), {{t0, 100, firstMs}, {t0.addDays(1), 50, secondMs}});
        const QList<QAbstractAxis *> axes = chart.findChild<QChartView *>()->chart()->axes(Qt::Vertical);
        for (QAbstractAxis *axis : axes)
            if (axis->alignment() == Qt::AlignRight)
                return static_cast<QValueAxis *>(axis)->labelFormat();
        return QString();
    };
    QCOMPARE(formatFor(300, 500), QStringLiteral("%.2f s"));
    QCOMPARE(formatFor(1200, 4800), QStringLiteral("%.1f s"));
    QCOMPARE(formatFor(42000, 61000), QStringLiteral("%.0f s"));
}

void TestRunsPaneTest::trendsFollowThePalette()
{
    // The series take the tones of the palette in force, and take them again when it changes.
    const QDateTime t0(QDate(2026, 12, 1), QTime(9, 0), QTimeZone::utc());
    TrendsChart chart;
    QPalette light = chart.palette();
    light.setColor(QPalette::Window, Qt::white);
    light.setColor(QPalette::Base, Qt::white);
    chart.setPalette(light);
    chart.setRuns(QStringLiteral("api"), {{t0, 100, 4000}, {t0.addDays(1), 50, 5000}});
    const auto seriesColour = [&chart] {
        QChart *c = chart.findChild<QChartView *>()->chart();
        return static_cast<QLineSeries *>(c->series().constFirst())->color();
    };
    QCOMPARE(seriesColour(), toneColour(Tone::Good, light));
    chart.setPalette(darkPalette());
    QCOMPARE(seriesColour(), toneColour(Tone::Good, darkPalette()));
    QCOMPARE(chart.findChild<QChartView *>()->chart()->backgroundBrush().color(),
             darkPalette().color(QPalette::Base));
    QCOMPARE(chart.pointCount(), 2);
}

QTEST_MAIN(TestRunsPaneTest)
#include "tst_testrunspane.moc"
