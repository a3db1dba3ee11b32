// The Audit log pane and its windowed model: QAbstractItemModelTester, search and filters,
// new events merging in as inserted rows, bounded memory while scrolling, chain verification
// with the result in the pane, and CSV / JSON Lines / PDF exports with their own audit events.
#include "models/audit/auditmodel.h"
#include "models/connections/connectionsmodel.h"
#include "models/store/database.h"
#include "services/servicehost.h"
#include "services/store/auditexport.h"
#include "services/store/auditlog.h"
#include "services/store/auditservice.h"
#include "testutil.h"
#include "ui/panes/audit/auditlogpane.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestAuditPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void modelLoadsAndFilters();
    void newEventsInsertNotReset();
    void scrollingKeepsMemoryBounded();
    void paneSearchDetailAndVerify();
    void exports();
    void verifyFindsTampering();
    void teamDesktopsFilter();

private:
    void append(int count, const QString &comment = QStringLiteral("routine"));
    QTemporaryDir m_dir;
    ServiceHost *m_host = nullptr;
    AuditService *m_audit = nullptr;
};

void TestAuditPane::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_host = new ServiceHost(this);
    m_audit = m_host->add(new AuditService, QStringLiteral("audit"));
}

void TestAuditPane::cleanupTestCase()
{
    m_host->stopAll();
    Database::close();
}

void TestAuditPane::append(int count, const QString &comment)
{
    CacheTransaction tx;
    QVERIFY(tx.begin().ok());
    AuditAppender appender(tx.db());
    QVERIFY(appender.start().ok());
    for (int i = 0; i < count; ++i) {
        AuditEvent e;
        e.action = i % 2 ? AuditAction::runnerDelete : AuditAction::containerStop;
        e.system = i % 2 ? QStringLiteral("github") : QStringLiteral("docker");
        e.osUser = QStringLiteral("maria");
        e.comment = comment;
        e.targetName = QStringLiteral("target-%1").arg(i);
        QVERIFY(appender.append(e).ok());
    }
    QVERIFY(appender.finish().ok());
    tx.touch(AuditLog::table);
    QVERIFY(tx.commit().ok());
}

void TestAuditPane::modelLoadsAndFilters()
{
    AuditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &AuditModel::loaded);
    model.reload();
    QTRY_VERIFY(loaded.count() > 0);
    QCOMPARE(model.rowCount(), 0);

    append(3000);
    QTRY_COMPARE(model.rowCount(), 3000);
    // Newest first; the rows fill in as their batch arrives.
    QVERIFY(model.eventIdAt(0) > model.eventIdAt(1));
    model.data(model.index(0, AuditModel::Action), Qt::DisplayRole);
    QTRY_VERIFY(model.eventAt(0).has_value());
    QCOMPARE(model.eventAt(0)->id, model.eventIdAt(0));

    AuditFilter f;
    f.systems = {QStringLiteral("github")};
    loaded.clear();
    model.setFilter(f);
    QTRY_VERIFY(loaded.count() > 0);
    QCOMPARE(model.matchCount(), 1500);
    f.text = QStringLiteral("target-17");
    model.setFilter(f);
    // FTS splits "target-17" into the phrase "target" "17*": target-17, -171, -1701 ... among odd i.
    int expected = 0;
    for (int i = 1; i < 3000; i += 2)
        if (QString::number(i).startsWith(QLatin1String("17")))
            ++expected;
    QTRY_COMPARE(model.matchCount(), expected);

    model.sort(AuditModel::Time, Qt::AscendingOrder);
    model.setFilter({});
    QTRY_COMPARE(model.matchCount(), 3000);
    QVERIFY(model.eventIdAt(0) < model.eventIdAt(1));
}

void TestAuditPane::newEventsInsertNotReset()
{
    AuditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reload();
    QTRY_VERIFY(model.rowCount() > 0);
    const int before = model.rowCount();
    const QPersistentModelIndex kept = model.index(5, 0);
    const qint64 keptId = model.eventIdAt(5);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    append(10);
    QTRY_COMPARE(model.rowCount(), before + 10);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(inserts.count(), 1);
    QCOMPARE(kept.row(), 15);
    QCOMPARE(model.eventIdAt(kept.row()), keptId);
}

void TestAuditPane::scrollingKeepsMemoryBounded()
{
    append(40000);
    AuditModel model;
    model.reload();
    QTRY_VERIFY(model.rowCount() > 40000);
    // Touch every row from top to bottom the way a view does while scrolling.
    for (int row = 0; row < model.rowCount(); row += 50) {
        model.data(model.index(row, AuditModel::Action), Qt::DisplayRole);
        if (row % 5000 == 0)
            QTest::qWait(20);
    }
    QTRY_VERIFY(model.eventAt(model.rowCount() - 1).has_value());
    QVERIFY2(model.cachedEventCount() <= AuditModel::maxCachedEvents + AuditModel::batchSize,
             qPrintable(QString::number(model.cachedEventCount())));
}

void TestAuditPane::paneSearchDetailAndVerify()
{
    append(5, QStringLiteral("quarterly decommission of stale runners"));
    ConnectionsModel connections;
    AuditLogPane pane(&connections, m_audit);
    pane.resize(1000, 700);
    pane.show();
    QTRY_VERIFY(pane.model()->rowCount() > 0);
    QTRY_VERIFY(pane.countText().contains(QStringLiteral("event")));

    QTest::keyClicks(pane.searchEdit(), QStringLiteral("quarterly decomm"));
    QTRY_COMPARE(pane.model()->matchCount(), 5);
    QTRY_VERIFY(pane.countText().startsWith(QStringLiteral("5 matching event")));
    pane.view()->setCurrentIndex(pane.model()->index(0, 0));
    QTRY_VERIFY(pane.detailText().contains(QStringLiteral("quarterly decommission")));
    QVERIFY(pane.detailText().contains(QStringLiteral("Intact")));

    // A custom time range that ends before the events were written selects none; one around now, all five.
    pane.setTimeRange(QDateTime::currentDateTimeUtc().addDays(-3),
                      QDateTime::currentDateTimeUtc().addDays(-2));
    QTRY_COMPARE(pane.model()->matchCount(), 0);
    pane.setTimeRange(QDateTime::currentDateTimeUtc().addSecs(-3600),
                      QDateTime::currentDateTimeUtc().addSecs(60));
    QTRY_COMPARE(pane.model()->matchCount(), 5);

    QSignalSpy done(&pane, &AuditLogPane::jobFinished);
    pane.verifyChain();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
    QVERIFY(done.at(0).at(0).toBool());
    QVERIFY2(pane.chainStatus().contains(QStringLiteral("intact")), qPrintable(pane.chainStatus()));
}

void TestAuditPane::exports()
{
    ConnectionsModel connections;
    AuditLogPane pane(&connections, m_audit);
    QTRY_VERIFY(pane.model()->rowCount() > 0);
    QTest::keyClicks(pane.searchEdit(), QStringLiteral("quarterly"));
    QTRY_COMPARE(pane.model()->matchCount(), 5);

    QSignalSpy done(&pane, &AuditLogPane::jobFinished);
    const QString csv = m_dir.filePath(QStringLiteral("out.csv"));
    pane.exportTo(QStringLiteral("csv"), csv);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 30000);
    QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(1).toString()));
    const auto records = AuditExport::parseCsv(readWholeFile(csv));
    QCOMPARE(records.size(), 6); // header and the five matching events
    QCOMPARE(records.at(1).at(13), QStringLiteral("quarterly decommission of stale runners"));

    done.clear();
    const QString jsonl = m_dir.filePath(QStringLiteral("out.jsonl"));
    pane.exportTo(QStringLiteral("jsonl"), jsonl);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 30000);
    // Five events, and now the audit event of the CSV export, whose details name the filter text.
    QCOMPARE(readWholeFile(jsonl).count('\n'), 6);
    QVERIFY(QJsonDocument::fromJson(readWholeFile(jsonl).split('\n').first()).isObject());

    done.clear();
    const QString pdf = m_dir.filePath(QStringLiteral("report.pdf"));
    pane.exportTo(QStringLiteral("pdf"), pdf);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
    QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(1).toString()));
    QVERIFY(readWholeFile(pdf).startsWith("%PDF"));

    // Each export is itself audited.
    QTRY_VERIFY([] {
        QSqlQuery q(Database::connection());
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.export' AND "
                                     "outcome = 'success'")) &&
               q.next() && q.value(0).toInt() == 3;
    }());

    // A path that cannot be written fails with a message and leaves no file.
    done.clear();
    pane.exportTo(QStringLiteral("csv"), QStringLiteral("/nonexistent-dir/out.csv"));
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 30000);
    QVERIFY(!done.at(0).at(0).toBool());
    QVERIFY(done.at(0).at(1).toString().contains(QStringLiteral("/nonexistent-dir/out.csv")));
}

void TestAuditPane::verifyFindsTampering()
{
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DROP TRIGGER audit_events_no_update")));
    QVERIFY(q.exec(QStringLiteral("UPDATE audit_events SET comment = 'forged' WHERE id = 42")));
    ConnectionsModel connections;
    AuditLogPane pane(&connections, m_audit);
    QSignalSpy done(&pane, &AuditLogPane::jobFinished);
    pane.verifyChain();
    QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
    QVERIFY(!done.at(0).at(0).toBool());
    QVERIFY2(pane.chainStatus().contains(QStringLiteral("Audit event 42 was edited")),
             qPrintable(pane.chainStatus()));
}

void TestAuditPane::teamDesktopsFilter()
{
    // Events pulled from the team workspace: a desktop filter names each desktop, and the detail
    // says who recorded the event where.
    {
        CacheTransaction tx;
        QVERIFY(tx.begin());
        for (int i = 1; i <= 2; ++i) {
            AuditEvent e;
            e.source = QStringLiteral("team:desk-b");
            e.timestamp = QDateTime::currentDateTimeUtc();
            e.osUser = QStringLiteral("bob");
            e.system = QStringLiteral("github");
            e.action = AuditAction::runnerDelete;
            e.targetKind = QStringLiteral("runner");
            e.targetName = QStringLiteral("ci-%1").arg(i);
            e.details = QJsonObject{
                {QStringLiteral("team"), QJsonObject{{QStringLiteral("desktop"), QStringLiteral("desk-b")},
                                                     {QStringLiteral("seq"), i}}}};
            QVERIFY(AuditLog::import(tx.db(), e));
        }
        QSqlQuery q(tx.db());
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO team_audit_pulled (desktop_id, seq) VALUES ('desk-b', 2)")));
        tx.touch(AuditLog::table);
        QVERIFY(tx.commit());
    }
    ConnectionsModel connections;
    AuditLogPane pane(&connections, m_audit);
    pane.resize(1000, 700);
    pane.show();
    QTRY_VERIFY(pane.model()->rowCount() > 0);
    QCOMPARE(pane.desktopCombo()->count(), 3); // all, this desktop, desk-b
    QVERIFY(pane.desktopCombo()->isVisible());
    pane.desktopCombo()->setCurrentIndex(pane.desktopCombo()->findText(QStringLiteral("desk-b")));
    QTRY_COMPARE(pane.model()->matchCount(), 2);
    pane.view()->setCurrentIndex(pane.model()->index(0, 0));
    QTRY_VERIFY2(pane.detailText().contains(QStringLiteral("Recorded on the desktop desk-b by bob")),
                 qPrintable(pane.detailText()));
    pane.desktopCombo()->setCurrentIndex(pane.desktopCombo()->findData(QStringLiteral("local")));
    QSqlQuery local(Database::connection());
    QVERIFY(local.exec(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local'")) &&
            local.next());
    QVERIFY(local.value(0).toInt() > 0);
    QTRY_COMPARE(pane.model()->matchCount(), local.value(0).toInt());
}

QTEST_MAIN(TestAuditPane)
#include "tst_auditpane.moc"
