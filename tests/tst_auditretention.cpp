// The audit retention of the local cache: a prune removes the old prefix of the chain (never an
// event out of order), imported events older than the cut-off, nothing the team workspace lacks and
// nothing while the chain is broken; it records an anchor and a chained audit.prune event, so the
// log still verifies, and a removal without them is found.
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/store/auditretention.h"
#include "services/store/auditservice.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

namespace {
const QDateTime start = QDateTime::fromString(QStringLiteral("2026-11-01T10:00:00.000Z"), Qt::ISODateWithMs);
// A day after event `minute`: keeping one day removes the events up to it.
QDateTime dayAfter(int minute)
{
    return start.addSecs(minute * 60 + 30).addDays(1);
}
} // namespace

class TestAuditRetention : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void prunesTheOldPrefix();
    void neverPastAnEventOutOfOrder();
    void keepsWhatTheTeamLacks();
    void refusesABrokenChain();
    void prunesAgainFromTheAnchor();
    void findsARemovalWithoutItsRecord();
    void refusesOutOfRangeDays();
    void serviceAppliesTheSetting();
    void serviceSaysOnceWhyItRemovedNothing();

private:
    // Events at minutes 1..count of `start`; those in imported come from Harbor.
    void fill(int count, const QList<int> &imported = {}, const QMap<int, int> &minuteOf = {});
    qint64 scalar(const QString &sql);
    AuditVerification verifyNow(qint64 from = 0);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAuditRetention::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestAuditRetention::cleanup()
{
    Database::close();
}

void TestAuditRetention::fill(int count, const QList<int> &imported, const QMap<int, int> &minuteOf)
{
    for (int i = 1; i <= count; ++i) {
        AuditEvent e;
        e.timestamp = start.addSecs(minuteOf.value(i, i) * 60);
        e.action = AuditAction::runnerDelete;
        e.system = QStringLiteral("github");
        e.targetKind = QStringLiteral("runner");
        e.targetName = QStringLiteral("runner-%1").arg(i);
        e.comment = QStringLiteral("gone%1").arg(i);
        if (imported.contains(i)) {
            e.source = QStringLiteral("harbor");
            QVERIFY(AuditLog::import(Database::connection(), e).ok());
        } else {
            QVERIFY(AuditLog::record(e).ok());
        }
    }
}

qint64 TestAuditRetention::scalar(const QString &sql)
{
    QSqlQuery q(Database::connection());
    if (!q.exec(sql) || !q.next()) {
        qWarning() << q.lastError().text() << sql;
        return -1;
    }
    return q.value(0).toLongLong();
}

AuditVerification TestAuditRetention::verifyNow(qint64 from)
{
    const auto r = AuditLog::verify(Database::connection(), from);
    if (!r) {
        qWarning() << r.message();
        return {};
    }
    return r.value();
}

void TestAuditRetention::prunesTheOldPrefix()
{
    fill(30, {12});
    const auto planned = AuditRetention::plan(Database::connection(), 1, dayAfter(15), false);
    QVERIFY2(planned.ok(), qPrintable(planned.message()));
    QCOMPARE(planned->throughId, 15);
    QCOMPARE(planned->localEvents, 14);
    QCOMPARE(planned->importedEvents, 1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events")), 30); // planning removes nothing

    const auto done = AuditRetention::apply(1, dayAfter(15), false, QStringLiteral("manual"));
    QVERIFY2(done.ok(), qPrintable(done.message()));
    QCOMPARE(done->localEvents, 14);
    QCOMPARE(scalar(QStringLiteral("SELECT MIN(id) FROM audit_events")), 16);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events")), 15 + 1); // and the prune's event
    // The search index forgot them too.
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_fts WHERE audit_fts MATCH 'gone3'")), 0);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_fts WHERE audit_fts MATCH 'gone20'")), 1);

    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("SELECT details, outcome, comment FROM audit_events WHERE action = 'audit.prune'")));
    QVERIFY(q.next());
    const QJsonObject details = QJsonDocument::fromJson(q.value(0).toByteArray()).object();
    QCOMPARE(details.value(QStringLiteral("through_event")).toInteger(), 15);
    QCOMPARE(details.value(QStringLiteral("local_removed")).toInteger(), 14);
    QCOMPARE(details.value(QStringLiteral("imported_removed")).toInteger(), 1);
    QCOMPARE(details.value(QStringLiteral("trigger")).toString(), QStringLiteral("manual"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("success"));
    QVERIFY2(q.value(2).toString().contains(QStringLiteral("verified from event 16")),
             qPrintable(q.value(2).toString()));

    const AuditVerification v = verifyNow();
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.prunedThroughId, 15);
    QCOMPARE(v.eventsChecked, 16);
    QVERIFY2(v.message.contains(QStringLiteral("Events up to 15 were removed by the audit retention")),
             qPrintable(v.message));

    // Anything else still may not remove an event.
    QVERIFY(!q.exec(QStringLiteral("DELETE FROM audit_events WHERE id = 16")));
    QVERIFY(q.lastError().text().contains(QStringLiteral("append-only")));
}

void TestAuditRetention::neverPastAnEventOutOfOrder()
{
    // Event 6 carries a time a day later (a clock that jumped): the prune stops before it, though
    // the events after it are old enough.
    fill(12, {}, {{6, 2000}});
    const auto done = AuditRetention::apply(1, dayAfter(10), false, QStringLiteral("manual"));
    QVERIFY2(done.ok(), qPrintable(done.message()));
    QCOMPARE(done->throughId, 5);
    QCOMPARE(scalar(QStringLiteral("SELECT MIN(id) FROM audit_events")), 6);
    QVERIFY(verifyNow().ok);
}

void TestAuditRetention::keepsWhatTheTeamLacks()
{
    fill(20);
    // Joined, but nothing has reached the team yet: nothing of the chain goes.
    auto planned = AuditRetention::plan(Database::connection(), 1, dayAfter(15), true);
    QVERIFY(planned.ok());
    QCOMPARE(planned->localEvents, 0);
    QCOMPARE(planned->heldForTeam, 15);
    QVERIFY(AuditRetention::summaryText(*planned, false)
                .contains(QStringLiteral("until the team workspace has them: 15")));

    // The team has events up to 10; the cache's copy says so, whatever the caller believes.
    QSqlQuery q(Database::connection());
    QVERIFY2(q.exec(QStringLiteral("INSERT INTO workspace_state (id, address, kind, audit_pushed) VALUES "
                                   "(1, 'postgresql://ops@db/team', 'team', 10)")),
             qPrintable(q.lastError().text()));
    const auto done = AuditRetention::apply(1, dayAfter(15), false, QStringLiteral("automatic"));
    QVERIFY2(done.ok(), qPrintable(done.message()));
    QCOMPARE(done->throughId, 10);
    QCOMPARE(done->localEvents, 10);
    QCOMPARE(done->heldForTeam, 5);
    QCOMPARE(scalar(QStringLiteral("SELECT MIN(id) FROM audit_events")), 11);
    QVERIFY(verifyNow().ok);
}

void TestAuditRetention::refusesABrokenChain()
{
    fill(20);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DROP TRIGGER audit_events_no_update")));
    QVERIFY(q.exec(QStringLiteral("UPDATE audit_events SET comment = 'nothing happened' WHERE id = 17")));
    const auto done = AuditRetention::apply(1, dayAfter(15), false, QStringLiteral("automatic"));
    QVERIFY(!done.ok());
    QCOMPARE(done.error().code, QStringLiteral("audit.broken"));
    QVERIFY2(done.message().contains(QStringLiteral("Audit event 17 was edited")),
             qPrintable(done.message()));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events")), 20); // the evidence stays
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_prunes")), 0);
}

void TestAuditRetention::prunesAgainFromTheAnchor()
{
    fill(30, {25});
    QVERIFY(AuditRetention::apply(1, dayAfter(10), false, QStringLiteral("automatic")).ok());
    // A second prune: its own record of the first goes too, and the new one names the new anchor.
    const auto again = AuditRetention::apply(1, dayAfter(20), false, QStringLiteral("automatic"));
    QVERIFY2(again.ok(), qPrintable(again.message()));
    QCOMPARE(again->throughId, 20);
    QCOMPARE(again->localEvents, 10);
    const AuditVerification v = verifyNow();
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.prunedThroughId, 20);
    // From an event after the anchor, with no checkpoint yet: the walk starts at the anchor.
    const AuditVerification from = verifyNow(28);
    QVERIFY2(from.ok, qPrintable(from.message));
    QCOMPARE(from.startedAfterId, 20);
    // Only imported events old enough: they go, the anchor stays.
    const auto imported = AuditRetention::apply(1, dayAfter(25), false, QStringLiteral("automatic"));
    QVERIFY2(imported.ok(), qPrintable(imported.message()));
    QCOMPARE(imported->importedEvents, 1);
    QCOMPARE(imported->throughId, 24);
    QVERIFY2(verifyNow().ok, qPrintable(verifyNow().message));
    // Nothing old enough: nothing is written at all.
    const qint64 events = scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events"));
    const auto nothing = AuditRetention::apply(1, dayAfter(0), false, QStringLiteral("automatic"));
    QVERIFY(nothing.ok());
    QVERIFY(nothing->removesNothing());
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events")), events);
}

void TestAuditRetention::findsARemovalWithoutItsRecord()
{
    fill(20);
    // Someone writes an anchor and removes events by hand: the chain after them still links, but
    // no chained audit.prune event names the anchor.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT hash FROM audit_events WHERE id = 8")) && q.next());
    const QString hash = q.value(0).toString();
    q.prepare(QStringLiteral("INSERT INTO audit_prunes (through_id, through_hash, older_than, local_removed, "
                             "imported_removed, pruned_at) VALUES (8, ?, '2026-11-01T10:09:00.000Z', 8, 0, "
                             "'2026-11-02T10:00:00.000Z')"));
    q.addBindValue(hash);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    QVERIFY2(q.exec(QStringLiteral("DELETE FROM audit_events WHERE id <= 8")),
             qPrintable(q.lastError().text()));
    const AuditVerification v = verifyNow();
    QVERIFY(!v.ok);
    QCOMPARE(v.problem, QStringLiteral("deleted"));
    QCOMPARE(v.firstBadId, 8);
    QVERIFY2(v.message.contains(QStringLiteral("no audit.prune event")), qPrintable(v.message));
    // And the anchor row alone, removed to hide the prune: the first event follows a missing one.
    QVERIFY(q.exec(QStringLiteral("DELETE FROM audit_prunes")));
    const AuditVerification w = verifyNow();
    QVERIFY(!w.ok);
    QCOMPARE(w.problem, QStringLiteral("deleted"));
    QCOMPARE(w.firstBadId, 9);
}

void TestAuditRetention::refusesOutOfRangeDays()
{
    fill(3);
    for (int days : {0, -5, AuditRetention::maxKeepDays + 1}) {
        const auto planned = AuditRetention::plan(Database::connection(), days, dayAfter(3), false);
        QVERIFY(!planned.ok());
        QCOMPARE(planned.error().code, QStringLiteral("audit.invalid"));
        QVERIFY(planned.message().contains(QString::number(days)));
    }
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events")), 3);
}

void TestAuditRetention::serviceAppliesTheSetting()
{
    fill(10); // November's events: more than a day old now
    AuditService service;
    QSignalSpy applied(&service, &AuditService::retentionApplied);
    // Not automatic (the demo, a screenshot run): nothing goes.
    service.setRetention(1, false, false);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events")), 10);
    QCOMPARE(applied.size(), 0);

    service.setRetention(1, false, true);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.at(0).at(0).toBool(), true);
    QVERIFY2(applied.at(0).at(1).toString().contains(QStringLiteral("removed: 10")),
             qPrintable(applied.at(0).at(1).toString()));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action <> 'audit.prune'")), 0);
    QVERIFY2(verifyNow().ok, qPrintable(verifyNow().message));
}

void TestAuditRetention::serviceSaysOnceWhyItRemovedNothing()
{
    // A broken chain: said once, recorded once as a failed prune, however often it is tried.
    fill(10);
    AuditService service;
    QSignalSpy applied(&service, &AuditService::retentionApplied);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("DROP TRIGGER audit_events_no_update")));
    QVERIFY(q.exec(QStringLiteral("UPDATE audit_events SET comment = 'x' WHERE id = 4")));
    service.setRetention(1, false, true);
    service.setRetention(1, false, true);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.at(0).at(0).toBool(), false);
    QVERIFY(applied.at(0).at(1).toString().contains(QStringLiteral("no event was removed")));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.prune' AND "
                                   "outcome = 'failure'")),
             1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action <> 'audit.prune'")), 10);
}

QTEST_GUILESS_MAIN(TestAuditRetention)
#include "tst_auditretention.moc"
