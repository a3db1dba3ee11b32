// Retention of test runs (TestRunStore::planRetention/applyRetention, TestRunsService's cleanups and
// RetentionDialog): runs past the age limit or beyond the newest N of their source go with their
// cases, case names and golden artifact folders, and old mock health samples with them, in one
// transaction with a testrun.retention event; kept runs stay; a folder outside Opsdeck's own
// artifacts folder is never touched; automatic cleanups follow imports; the dialog previews and
// cleans up.
#include "models/audit/auditevent.h"
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "models/testruns/mocks.h"
#include "models/testruns/teamrecords.h"
#include "models/testruns/testrunmodels.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "services/testruns/mockstore.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunsservice.h"
#include "services/testruns/testrunstore.h"
#include "ui/panes/testruns/retentiondialog.h"
#include "ui/panes/testruns/signingkeydialog.h"

#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestRetention : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void settings();
    void planAndApply();
    void keptRunsStay();
    void foldersOutsideStay();
    void nothingToRemove();
    void automaticAfterImport();
    void dialog();
    void signingKeyDialog();

private:
    qint64 addRun(const QString &source, int daysAgo, const QString &caseName = QStringLiteral("a"),
                  TestSourceKind kind = TestSourceKind::Files, const QString &origin = {});
    int count(const QString &sql);
    QString artifactsRoot() const { return m_dir.filePath(QStringLiteral("golden")); }

    QTemporaryDir m_dir;
    QDateTime m_now = QDateTime::currentDateTimeUtc();
    int m_serial = 0;
    ServiceHost m_host;
    TestRunsService *m_service = nullptr;
};

void TestRetention::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_service = new TestRunsService;
    m_service->setArtifactsDir(artifactsRoot());
    m_host.add(m_service, QStringLiteral("testruns"));
    m_host.startAll();
}

void TestRetention::cleanupTestCase()
{
    m_host.stopAll();
    Database::close();
}

void TestRetention::init()
{
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM test_sources")));
    QVERIFY(q.exec(QStringLiteral("DELETE FROM test_mocks")));
}

qint64 TestRetention::addRun(const QString &source, int daysAgo, const QString &caseName, TestSourceKind kind,
                             const QString &origin)
{
    const QByteArray xml =
        QStringLiteral("<testsuite name=\"s\" tests=\"1\"><testcase classname=\"c\" name=\"%1\" "
                       "time=\"0.1\"/></testsuite>")
            .arg(caseName)
            .toUtf8();
    QBuffer buffer;
    buffer.setData(xml);
    buffer.open(QIODevice::ReadOnly);
    RunImport request;
    request.source = source;
    request.sourceKind = kind;
    request.runKey = QStringLiteral("run-%1").arg(++m_serial);
    request.title = request.runKey;
    request.origin = origin;
    request.startedAt = m_now.addDays(-daysAgo).addSecs(-m_serial);
    const auto run = TestRunStore::importReport(buffer, request, {});
    if (!run) {
        qWarning("import: %s", qPrintable(run.message()));
        return 0;
    }
    return run->runId;
}

int TestRetention::count(const QString &sql)
{
    QSqlQuery q(Database::connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

void TestRetention::settings()
{
    AppSettings settings(m_dir.filePath(QStringLiteral("settings")));
    QCOMPARE(settings.retentionRules(), RetentionRules{});
    QSignalSpy changed(&settings, &AppSettings::retentionRulesChanged);
    settings.setRetentionRules({30, 50});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(settings.retentionRules().maxAgeDays, 30);
    QCOMPARE(settings.retentionRules().maxRunsPerSource, 50);
    settings.setRetentionRules({-4, 999999});
    QCOMPARE(settings.retentionRules().maxAgeDays, 0);
    QCOMPARE(settings.retentionRules().maxRunsPerSource, 100000);
    // A value edited by hand into something that is no number keeps the default, not "no limit".
    {
        QSettings raw(settings.filePath(), QSettings::IniFormat);
        raw.setValue(QStringLiteral("testruns/keep_days"), QStringLiteral("lots"));
    }
    AppSettings reread(m_dir.filePath(QStringLiteral("settings")));
    QCOMPARE(reread.retentionRules().maxAgeDays, RetentionRules{}.maxAgeDays);
}

void TestRetention::planAndApply()
{
    // web: 5 runs, 1, 2, 3, 40 and 100 days old; api: 3 runs, 1, 2 and 3 days old.
    const qint64 web1 = addRun(QStringLiteral("web"), 1);
    addRun(QStringLiteral("web"), 2);
    addRun(QStringLiteral("web"), 3);
    const qint64 web40 = addRun(QStringLiteral("web"), 40, QStringLiteral("only-in-old-run"));
    const qint64 web100 = addRun(QStringLiteral("web"), 100);
    addRun(QStringLiteral("api"), 1);
    addRun(QStringLiteral("api"), 2);
    const qint64 api3 = addRun(QStringLiteral("api"), 3);
    QVERIFY(web1 && web40 && web100 && api3);
    // A golden run 100 days old with its artifacts folder under the root.
    const QString folder = artifactsRoot() + QStringLiteral("/pay/20260801T020000Z");
    QVERIFY(QDir().mkpath(folder));
    QFile request(folder + QStringLiteral("/case-1.request.txt"));
    QVERIFY(request.open(QIODevice::WriteOnly));
    QCOMPARE(request.write(QByteArray(2048, 'x')), 2048);
    request.close();
    const qint64 golden =
        addRun(QStringLiteral("pay"), 100, QStringLiteral("a"), TestSourceKind::Golden, folder);
    addRun(QStringLiteral("pay"), 1, QStringLiteral("a"), TestSourceKind::Golden);
    // Mock health: one sample 33 days old, one 5 days old.
    MockServer mock;
    mock.name = QStringLiteral("pay-mock");
    mock.url = QStringLiteral("http://127.0.0.1:9");
    const auto mockId = MockStore::save(mock);
    QVERIFY(mockId.ok());
    QVERIFY(MockStore::record(mockId.value(), {m_now.addDays(-33), true, 200, 3, {}}).ok());
    QVERIFY(
        MockStore::record(mockId.value(), {m_now.addDays(-5), false, 0, 0, QStringLiteral("refused")}).ok());
    const int auditBefore = count(QStringLiteral("SELECT COUNT(*) FROM audit_events"));

    const RetentionRules rules{30, 2};
    const auto plan = TestRunStore::planRetention(Database::connection(), rules, m_now, artifactsRoot());
    QVERIFY2(plan.ok(), qPrintable(plan.message()));
    // web: 40 and 100 by age, 3 beyond the newest two; api: 3 beyond the newest two; pay: 100 by age.
    QCOMPARE(plan->summary.runs, 5);
    QCOMPARE(plan->summary.bySource,
             (QList<std::pair<QString, int>>{
                 {QStringLiteral("api"), 1}, {QStringLiteral("pay"), 1}, {QStringLiteral("web"), 3}}));
    QCOMPARE(plan->summary.remainingRuns, 5);
    QCOMPARE(plan->summary.artifactFolders, 1);
    QCOMPARE(plan->summary.artifactBytes, 2048);
    QCOMPARE(plan->summary.healthSamples, 1);
    QVERIFY(plan->runs.contains(api3) && plan->runs.contains(web40) && plan->runs.contains(golden));
    QVERIFY(!plan->runs.contains(web1));
    const QString text = retentionSummaryText(plan->summary, true);
    // (Plurals as the source text says them: the tests load no translation.)
    QVERIFY2(text.contains(QStringLiteral("5 run(s) (api 1, pay 1, web 3)")) &&
                 text.contains(QStringLiteral("with 1 artifact folder(s) of 2")) &&
                 text.contains(QStringLiteral("1 mock health sample(s)")),
             qPrintable(text));
    // The preview wrote nothing.
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), 10);
    QVERIFY(QFileInfo::exists(folder));

    const auto done = TestRunStore::applyRetention(rules, m_now, artifactsRoot(), QStringLiteral("manual"));
    QVERIFY2(done.ok(), qPrintable(done.message()));
    QCOMPARE(done->summary.runs, 5);
    QVERIFY(done->folderProblems.isEmpty());
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), 5);
    QCOMPARE(count(QStringLiteral(
                 "SELECT COUNT(*) FROM test_cases WHERE run_id NOT IN (SELECT id FROM test_runs)")),
             0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs WHERE id IN (%1, %2, %3)")
                       .arg(web40)
                       .arg(web100)
                       .arg(golden)),
             0);
    // The case only the removed run had is gone; the others stay.
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_case_keys WHERE name = 'only-in-old-run'")), 0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_case_keys WHERE name = 'a'")), 3);
    QVERIFY(!QFileInfo::exists(folder));
    QVERIFY(QFileInfo::exists(artifactsRoot())); // only the run's own folder went
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_mock_health")), 1);

    // One event, with what went and why.
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM audit_events")), auditBefore + 1);
    QSqlQuery q(Database::connection());
    QVERIFY(
        q.exec(QStringLiteral("SELECT action, outcome, details FROM audit_events ORDER BY id DESC LIMIT 1")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), AuditAction::testrunRetention);
    QCOMPARE(q.value(1).toString(), QStringLiteral("success"));
    const QJsonObject details = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
    QCOMPARE(details.value(QStringLiteral("runs")).toInt(), 5);
    QCOMPARE(details.value(QStringLiteral("trigger")).toString(), QStringLiteral("manual"));
    QCOMPARE(details.value(QStringLiteral("by_source")).toObject().value(QStringLiteral("web")).toInt(), 3);
    QCOMPARE(details.value(QStringLiteral("max_age_days")).toInt(), 30);
    const auto chain = AuditLog::verify(Database::connection());
    QVERIFY(chain.ok() && chain->ok);
}

void TestRetention::keptRunsStay()
{
    const qint64 old = addRun(QStringLiteral("web"), 400);
    addRun(QStringLiteral("web"), 1);
    QVERIFY(TestRunStore::keepRun(old, true).ok());
    QCOMPARE(count(QStringLiteral("SELECT pinned FROM test_runs WHERE id = %1").arg(old)), 1);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("SELECT action, target_id, details FROM audit_events ORDER BY id DESC LIMIT 1")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), AuditAction::testrunKeep);
    QCOMPARE(q.value(1).toLongLong(), old);

    const auto plan = TestRunStore::planRetention(Database::connection(), {30, 1}, m_now, artifactsRoot());
    QVERIFY(plan.ok());
    QCOMPARE(plan->summary.runs, 0);
    QCOMPARE(plan->summary.keptRuns, 1);
    QVERIFY(retentionSummaryText(plan->summary, true).contains(QStringLiteral("1 run(s) you kept")));

    // The model shows it kept.
    TestRunsModel model;
    QSignalSpy loaded(&model, &CacheTableModel::loaded);
    QVERIFY(loaded.wait(5000));
    const int row = model.rowOfKey(old);
    QVERIFY(row >= 0);
    QVERIFY(model.index(row, 0).data(TestRunsModel::KeptRole).toBool());
    QVERIFY(model.index(row, TestRunsModel::Run)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Kept")));

    // Let go, it goes with the next cleanup.
    QVERIFY(TestRunStore::keepRun(old, false).ok());
    const auto done = TestRunStore::applyRetention({30, 1}, m_now, artifactsRoot(), QStringLiteral("manual"));
    QVERIFY(done.ok());
    QCOMPARE(done->summary.runs, 1);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs WHERE id = %1").arg(old)), 0);
    // A run that is not there says so.
    const auto gone = TestRunStore::keepRun(old, true);
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().code, QStringLiteral("testrun.run"));
}

void TestRetention::foldersOutsideStay()
{
    // A golden run whose origin names a folder elsewhere (moved, or edited in the cache), and one
    // that reaches out of the root through "..": the run goes, the folders stay.
    QTemporaryDir elsewhere;
    QVERIFY(QDir().mkpath(artifactsRoot()));
    const QString escape = artifactsRoot() + QStringLiteral("/../outside");
    QVERIFY(QDir().mkpath(escape));
    addRun(QStringLiteral("pay"), 100, QStringLiteral("a"), TestSourceKind::Golden, elsewhere.path());
    addRun(QStringLiteral("pay"), 101, QStringLiteral("a"), TestSourceKind::Golden, escape);
    addRun(QStringLiteral("pay"), 102, QStringLiteral("a"), TestSourceKind::Golden, artifactsRoot());
    const auto done = TestRunStore::applyRetention({30, 0}, m_now, artifactsRoot(), QStringLiteral("manual"));
    QVERIFY(done.ok());
    QCOMPARE(done->summary.runs, 3);
    QCOMPARE(done->summary.artifactFolders, 0);
    QVERIFY(QFileInfo::exists(elsewhere.path()));
    QVERIFY(QFileInfo::exists(escape));
    QVERIFY(QFileInfo::exists(artifactsRoot()));
}

void TestRetention::nothingToRemove()
{
    addRun(QStringLiteral("web"), 1);
    const int auditBefore = count(QStringLiteral("SELECT COUNT(*) FROM audit_events"));
    const auto done =
        TestRunStore::applyRetention({30, 5}, m_now, artifactsRoot(), QStringLiteral("automatic"));
    QVERIFY(done.ok());
    QVERIFY(done->summary.isEmpty());
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM audit_events")), auditBefore);
    QVERIFY(retentionSummaryText(done->summary, false).startsWith(QStringLiteral("Nothing to clean up")));
    // No limits at all: nothing goes, whatever the age.
    addRun(QStringLiteral("web"), 5000);
    const auto none = TestRunStore::planRetention(Database::connection(), {0, 0}, m_now, artifactsRoot());
    QVERIFY(none.ok());
    QVERIFY(none->summary.isEmpty());
}

void TestRetention::automaticAfterImport()
{
    // Reports on disk: three of one source; automatic cleanups keep the newest two.
    QTemporaryDir reports;
    for (int i = 0; i < 3; ++i) {
        QFile f(reports.filePath(QStringLiteral("r%1.xml").arg(i)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral(
                    "<testsuite name=\"s\" timestamp=\"2026-12-0%1T10:00:00Z\"><testcase classname=\"c\" "
                    "name=\"n\" time=\"1\"/></testsuite>")
                    .arg(i + 1)
                    .toUtf8());
    }
    QSignalSpy cleaned(m_service, &TestRunsService::cleanedUp);
    QMetaObject::invokeMethod(m_service, [this] { m_service->setRetention({0, 2}, true); });
    // Nothing to do at first: an automatic cleanup that removed nothing says nothing.
    QVERIFY(!cleaned.wait(500));
    QSignalSpy finished(m_service, &TestRunsService::importFinished);
    ImportJob job;
    job.paths = {reports.path()};
    job.source = QStringLiteral("nightly");
    QMetaObject::invokeMethod(m_service, [this, job] { m_service->importReports(77, job); });
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(1).toInt(), 3);
    QVERIFY(cleaned.wait(10000));
    QCOMPARE(cleaned.first().at(0).toULongLong(), 0ull); // automatic
    QVERIFY(cleaned.first().at(1).toBool());
    QCOMPARE(cleaned.first().at(3).value<RetentionSummary>().runs, 1);
    QCOMPARE(
        count(QStringLiteral("SELECT COUNT(*) FROM test_runs r JOIN test_sources s ON s.id = r.source_id "
                             "WHERE s.name = 'nightly'")),
        2);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs WHERE started_at LIKE '2026-12-01%'")), 0);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("SELECT details FROM audit_events WHERE action = 'testrun.retention' ORDER BY id "
                       "DESC LIMIT 1")));
    QVERIFY(q.next());
    QCOMPARE(QJsonDocument::fromJson(q.value(0).toString().toUtf8())
                 .object()
                 .value(QStringLiteral("trigger"))
                 .toString(),
             QStringLiteral("automatic"));
    QMetaObject::invokeMethod(m_service, [this] { m_service->setRetention({}, false); });
}

void TestRetention::dialog()
{
    addRun(QStringLiteral("web"), 1);
    addRun(QStringLiteral("web"), 2);
    addRun(QStringLiteral("web"), 200);
    RetentionDialog dialog({90, 500}, m_service);
    QSignalSpy previewed(&dialog, &RetentionDialog::previewShown);
    QVERIFY(previewed.wait(5000));
    QCOMPARE(dialog.previewed().runs, 1);
    QVERIFY2(dialog.previewLabel()->text().contains(QStringLiteral("1 run(s)")),
             qPrintable(dialog.previewLabel()->text()));
    QVERIFY(dialog.cleanUpButton()->isEnabled());
    QCOMPARE(dialog.previewTable()->rowCount(), 1);

    // Tighter limits, previewed again after the pause.
    dialog.runsSpin()->setValue(1);
    QVERIFY(!dialog.cleanUpButton()->isEnabled());
    QVERIFY(previewed.wait(5000));
    QCOMPARE(dialog.previewed().runs, 2);
    QCOMPARE(dialog.rules(), (RetentionRules{90, 1}));
    QCOMPARE(dialog.runsSpin()->specialValueText(), QStringLiteral("all"));

    QSignalSpy cleaned(&dialog, &RetentionDialog::cleanedUp);
    dialog.cleanUpNow(false);
    QVERIFY(cleaned.wait(10000));
    QVERIFY(cleaned.first().at(0).toBool());
    QVERIFY2(dialog.messageLabel()->text().startsWith(QStringLiteral("Removed 2 run(s) (web 2)")),
             qPrintable(dialog.messageLabel()->text()));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM test_runs")), 1);
    // Previewed again: nothing left to remove.
    QVERIFY(previewed.wait(5000));
    QVERIFY(dialog.previewed().isEmpty());
    QVERIFY(!dialog.cleanUpButton()->isEnabled());
}

void TestRetention::signingKeyDialog()
{
    // Settings › Signing Key…: the key by its id, a pasted key checked before it can be used, the team's
    // key taken (the message names both ids), the key copied to the clipboard.
    // This test's service has obtained no key yet, or none: give it one kept in memory.
    const QByteArray own(32, 'm');
    const QByteArray team(40, 'n');
    SecretStore::keepInMemory(RunSigningKey::keychainKey, QString::fromLatin1(own.toBase64()));
    ServiceHost host;
    auto *service = host.add(new TestRunsService, QStringLiteral("keys"));
    host.startAll();
    SigningKeyDialog dialog(service);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.keyLabel()->text().contains(runSigningKeyId(own)), 10000);
    QVERIFY(dialog.copyButton()->isEnabled());
    QVERIFY(!dialog.useButton()->isEnabled());
    dialog.teamKeyEdit()->setText(QStringLiteral("not base64 at all!"));
    QVERIFY(!dialog.useButton()->isEnabled());
    dialog.teamKeyEdit()->setText(QString::fromLatin1(QByteArray(16, 'x').toBase64()));
    QVERIFY(!dialog.useButton()->isEnabled()); // too short
    dialog.teamKeyEdit()->setText(QString::fromLatin1(own.toBase64()));
    QVERIFY(!dialog.useButton()->isEnabled()); // the key in use already
    dialog.teamKeyEdit()->setText(QString::fromLatin1(team.toBase64()));
    QVERIFY(dialog.useButton()->isEnabled());
    QSignalSpy changed(&dialog, &SigningKeyDialog::keyChanged);
    dialog.useTeamKey(false);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
    QVERIFY(changed.first().at(0).toBool());
    QVERIFY2(dialog.messageLabel()->text().contains(runSigningKeyId(team)) &&
                 dialog.messageLabel()->text().contains(runSigningKeyId(own)),
             qPrintable(dialog.messageLabel()->text()));
    QTRY_VERIFY_WITH_TIMEOUT(dialog.keyLabel()->text().contains(runSigningKeyId(team)), 10000);
    QVERIFY(dialog.teamKeyEdit()->text().isEmpty());
    dialog.copyKey(false);
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(team.toBase64()));
    host.stopAll();
    SecretStore::forgetInMemory(RunSigningKey::keychainKey);
    SecretStore::forgetInMemory(RunSigningKey::previousKeysKey);
}

QTEST_MAIN(TestRetention)
#include "tst_testretention.moc"
