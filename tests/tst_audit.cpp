// The audit log: the hash chain finds edited, deleted, inserted and swapped events by id;
// checkpoints; crash safety under SIGKILL; full-text search and filters; exports that parse back.
#include "models/store/database.h"
#include "services/store/auditexport.h"
#include "services/store/auditlog.h"
#include "testutil.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace opsdeck;

class TestAudit : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void appendBuildsChain();
    void appendOnlyTriggers();
    void detectsEdit();
    void detectsDelete();
    void detectsInsert();
    void detectsSwap();
    void detectsTruncation();
    void checkpoints();
    void importedEventsOutsideChain();
    void searchAndFilters();
    void exportsParseBack();
    void survivesSigkill();
    void canonicalFormUnchanged();
    void batchedAppendsKeepTheChain();

private:
    void fill(int count, int importAt = -1);
    void exec(const QString &sql);
    AuditVerification verifyNow(qint64 from = 0);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAudit::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestAudit::cleanup()
{
    Database::close();
}

void TestAudit::exec(const QString &sql)
{
    QSqlQuery q(Database::connection());
    QVERIFY2(q.exec(sql), qPrintable(q.lastError().text() + QStringLiteral(": ") + sql));
}

void TestAudit::fill(int count, int importAt)
{
    for (int i = 1; i <= count; ++i) {
        AuditEvent e;
        e.timestamp = QDateTime::fromString(QStringLiteral("2026-11-01T10:00:00.000Z"), Qt::ISODateWithMs)
                          .addSecs(i * 60);
        e.action = i % 2 ? AuditAction::runnerDelete : AuditAction::containerStop;
        e.system = i % 2 ? QStringLiteral("github") : QStringLiteral("docker");
        e.connectionId = i % 3 + 1;
        e.targetKind = QStringLiteral("runner");
        e.targetId = QString::number(1000 + i);
        e.targetName = QStringLiteral("runner-%1").arg(i);
        e.comment = QStringLiteral("event %1").arg(i);
        e.details = QJsonObject{{QStringLiteral("n"), i}};
        if (i == importAt) {
            e.source = QStringLiteral("harbor");
            QVERIFY(AuditLog::import(Database::connection(), e).ok());
        } else {
            const auto recorded = AuditLog::record(e);
            QVERIFY2(recorded.ok(), qPrintable(recorded.message()));
        }
    }
}

AuditVerification TestAudit::verifyNow(qint64 from)
{
    const auto r = AuditLog::verify(Database::connection(), from);
    if (!r) {
        qWarning() << r.message();
        return {};
    }
    return r.value();
}

void TestAudit::appendBuildsChain()
{
    fill(20);
    const AuditVerification v = verifyNow();
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.eventsChecked, 20);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT prev_hash, hash FROM audit_events ORDER BY id LIMIT 2")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), AuditLog::genesisHash());
    const QString first = q.value(1).toString();
    QCOMPARE(first.size(), 64);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), first);
}

void TestAudit::appendOnlyTriggers()
{
    fill(3);
    QSqlQuery q(Database::connection());
    QVERIFY(!q.exec(QStringLiteral("UPDATE audit_events SET comment = 'x' WHERE id = 2")));
    QVERIFY(q.lastError().text().contains(QStringLiteral("append-only")));
    QVERIFY(!q.exec(QStringLiteral("DELETE FROM audit_events WHERE id = 2")));
}

static const QString dropGuards =
    QStringLiteral("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete");

void TestAudit::detectsEdit()
{
    fill(30);
    for (const QString &s : dropGuards.split(QStringLiteral("; ")))
        exec(s);
    exec(QStringLiteral("UPDATE audit_events SET comment = 'nothing happened' WHERE id = 12"));
    const AuditVerification v = verifyNow();
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 12);
    QCOMPARE(v.problem, QStringLiteral("edited"));
    QVERIFY(v.message.contains(QStringLiteral("12")));
    QCOMPARE(v.eventsChecked, 11);
}

void TestAudit::detectsDelete()
{
    fill(30);
    for (const QString &s : dropGuards.split(QStringLiteral("; ")))
        exec(s);
    exec(QStringLiteral("DELETE FROM audit_events WHERE id = 12"));
    const AuditVerification v = verifyNow();
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 13);
    QCOMPARE(v.problem, QStringLiteral("deleted"));
}

void TestAudit::detectsInsert()
{
    // Event 12 is imported (outside the chain); a forger replaces it with a local event chained
    // correctly after 11. Event 13 still follows 11: the forged 12 is named as inserted.
    fill(30, 12);
    QVERIFY(verifyNow().ok);
    for (const QString &s : dropGuards.split(QStringLiteral("; ")))
        exec(s);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT hash FROM audit_events WHERE id = 11")) && q.next());
    AuditEvent forged;
    forged.id = 12;
    forged.timestamp = QDateTime::fromString(QStringLiteral("2026-11-01T10:12:00.000Z"), Qt::ISODateWithMs);
    forged.osUser = QStringLiteral("mallory");
    forged.action = AuditAction::userDisable;
    forged.prevHash = q.value(0).toString();
    forged.hash = AuditLog::chainHash(forged.prevHash, AuditLog::canonical(forged));
    exec(QStringLiteral("DELETE FROM audit_events WHERE id = 12"));
    q.prepare(QStringLiteral(
        "INSERT INTO audit_events (id, source, ts, os_user, action, outcome, details, prev_hash, hash) "
        "VALUES (12, 'local', ?, 'mallory', 'user.disable', 'success', '{}', ?, ?)"));
    q.addBindValue(forged.timestamp.toString(Qt::ISODateWithMs));
    q.addBindValue(forged.prevHash);
    q.addBindValue(forged.hash);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    const AuditVerification v = verifyNow();
    QVERIFY(!v.ok);
    QCOMPARE(v.problem, QStringLiteral("inserted"));
    QCOMPARE(v.firstBadId, 12);
}

void TestAudit::detectsSwap()
{
    fill(30);
    for (const QString &s : dropGuards.split(QStringLiteral("; ")))
        exec(s);
    // Swap every column but the id of events 12 and 13.
    const QString cols =
        QStringLiteral("ts, os_user, backend_identity, connection_id, connection_name, system, action, "
                       "target_kind, target_id, target_name, outcome, comment, details, prev_hash, hash");
    exec(QStringLiteral("CREATE TEMP TABLE s AS SELECT id, %1 FROM audit_events WHERE id IN (12, 13)")
             .arg(cols));
    QStringList sets;
    for (const QString &c : cols.split(QStringLiteral(", ")))
        sets << QStringLiteral("%1 = (SELECT %1 FROM s WHERE s.id = 25 - audit_events.id)").arg(c);
    exec(QStringLiteral("UPDATE audit_events SET %1 WHERE id IN (12, 13)")
             .arg(sets.join(QStringLiteral(", "))));
    const AuditVerification v = verifyNow();
    QVERIFY(!v.ok);
    QCOMPARE(v.firstBadId, 12);
    QCOMPARE(v.problem, QStringLiteral("reordered"));
}

void TestAudit::detectsTruncation()
{
    // Events at the end are gone, but a checkpoint still names the last one.
    QSqlDatabase db = Database::connection();
    QVERIFY(db.transaction());
    AuditAppender appender(db);
    QVERIFY(appender.start().ok());
    for (int i = 0; i < 10000; ++i) {
        AuditEvent e;
        e.action = AuditAction::syncComplete;
        QVERIFY(appender.append(e).ok());
    }
    QVERIFY(appender.finish().ok());
    QVERIFY(db.commit());
    for (const QString &s : dropGuards.split(QStringLiteral("; ")))
        exec(s);
    exec(QStringLiteral("DELETE FROM audit_events WHERE id > 9990"));
    const AuditVerification v = verifyNow();
    QVERIFY(!v.ok);
    QCOMPARE(v.problem, QStringLiteral("deleted"));
    QCOMPARE(v.firstBadId, 10000);
}

void TestAudit::checkpoints()
{
    QSqlDatabase db = Database::connection();
    QVERIFY(db.transaction());
    AuditAppender appender(db);
    QVERIFY(appender.start().ok());
    for (int i = 0; i < 25000; ++i) {
        AuditEvent e;
        e.action = AuditAction::syncComplete;
        e.details = QJsonObject{{QStringLiteral("i"), i}};
        QVERIFY(appender.append(e).ok());
    }
    QVERIFY(appender.finish().ok());
    QVERIFY(db.commit());
    fill(5); // and through the normal path after the bulk
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT event_id FROM audit_checkpoints ORDER BY event_id")));
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    QCOMPARE(ids, QList<qint64>({10000, 20000}));

    AuditVerification full = verifyNow();
    QVERIFY2(full.ok, qPrintable(full.message));
    QCOMPARE(full.eventsChecked, 25005);
    QCOMPARE(full.checkpointsChecked, 2);

    // Incremental: from a checkpoint only the events after it are read.
    AuditVerification incremental = verifyNow(24000);
    QVERIFY(incremental.ok);
    QCOMPARE(incremental.startedAfterId, 20000);
    QCOMPARE(incremental.eventsChecked, 5005);

    // Tampering before the checkpoint is outside an incremental run but caught by a full one;
    // a forged checkpoint is caught too.
    for (const QString &s : dropGuards.split(QStringLiteral("; ")))
        exec(s);
    exec(QStringLiteral("UPDATE audit_events SET comment = 'x' WHERE id = 5"));
    QVERIFY(verifyNow(24000).ok);
    QCOMPARE(verifyNow().firstBadId, 5);
    exec(QStringLiteral("UPDATE audit_checkpoints SET hash = 'f00d' WHERE event_id = 20000"));
    const AuditVerification forged = verifyNow(0);
    QCOMPARE(forged.firstBadId, 5); // the earlier problem comes first
    const AuditVerification fromCp = verifyNow(24000);
    QVERIFY(!fromCp.ok); // starts from the forged hash: event 20001 no longer follows it
    QCOMPARE(fromCp.firstBadId, 20001);
}

void TestAudit::importedEventsOutsideChain()
{
    fill(10, 4);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT source, hash IS NULL FROM audit_events WHERE id = 4")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("harbor"));
    QVERIFY(q.value(1).toBool());
    const AuditVerification v = verifyNow();
    QVERIFY(v.ok);
    QCOMPARE(v.eventsChecked, 9);
    AuditEvent local;
    local.action = AuditAction::syncComplete;
    QVERIFY(!AuditLog::import(Database::connection(), local).ok()); // import needs a source
}

void TestAudit::searchAndFilters()
{
    // A generated dataset with known answers.
    const QStringList users{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")};
    const QStringList actions{AuditAction::runnerDelete, AuditAction::containerStop, AuditAction::deployStart,
                              AuditAction::policyUpdate};
    struct Row
    {
        qint64 id;
        QString user, action, system, outcome, comment;
        qint64 connection;
        QDateTime ts;
    };
    QList<Row> rows;
    QSqlDatabase db = Database::connection();
    QVERIFY(db.transaction());
    AuditAppender appender(db);
    QVERIFY(appender.start().ok());
    const QDateTime t0 = QDateTime::fromString(QStringLiteral("2026-10-01T00:00:00.000Z"), Qt::ISODateWithMs);
    for (int i = 0; i < 600; ++i) {
        AuditEvent e;
        e.timestamp = t0.addSecs(qint64(i) * 3600);
        e.osUser = users.at(i % 3);
        e.action = actions.at(i % 4);
        e.system = e.action.startsWith(QLatin1String("runner")) ? QStringLiteral("github")
                                                                : QStringLiteral("docker");
        e.outcome = i % 7 == 0 ? AuditOutcome::Failure : AuditOutcome::Success;
        e.connectionId = i % 5;
        e.comment =
            i % 10 == 0 ? QStringLiteral("quarterly cleanup of stale runners") : QStringLiteral("routine");
        e.targetName = QStringLiteral("target-%1").arg(i);
        e.details = QJsonObject{{QStringLiteral("reason"),
                                 i % 11 == 0 ? QStringLiteral("drifted labels") : QStringLiteral("ok")}};
        auto a = appender.append(e);
        QVERIFY(a.ok());
        rows << Row{a->id, e.osUser, e.action, e.system, outcomeId(e.outcome), e.comment, i % 5, e.timestamp};
    }
    QVERIFY(appender.finish().ok());
    QVERIFY(db.commit());

    const auto run = [&](const AuditFilter &f) {
        QVariantList binds;
        QSqlQuery q(db);
        q.prepare(
            QStringLiteral("SELECT id FROM audit_events WHERE %1 ORDER BY id").arg(auditWhere(f, binds)));
        for (const QVariant &b : binds)
            q.addBindValue(b);
        [&] {
            QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        }();
        QList<qint64> ids;
        while (q.next())
            ids << q.value(0).toLongLong();
        return ids;
    };
    const auto expect = [&](const std::function<bool(const Row &)> &pred) {
        QList<qint64> ids;
        for (const Row &r : rows)
            if (pred(r))
                ids << r.id;
        return ids;
    };

    AuditFilter f;
    f.text = QStringLiteral("quarterly stale");
    QCOMPARE(run(f), expect([](const Row &r) { return r.comment.startsWith(QLatin1String("quarterly")); }));
    f.actions = {AuditAction::runnerDelete};
    f.outcomes = {QStringLiteral("failure")};
    QCOMPARE(run(f), expect([&](const Row &r) {
                 return r.comment.startsWith(QLatin1String("quarterly")) &&
                        r.action == AuditAction::runnerDelete && r.outcome == QLatin1String("failure");
             }));
    QVERIFY(!run(f).isEmpty());

    AuditFilter g;
    g.text = QStringLiteral("drift"); // prefix match in details
    g.actor = QStringLiteral("ALI");  // case-insensitive substring of the OS user
    g.since = t0.addDays(5);
    g.until = t0.addDays(20);
    g.connectionIds = {1, 2};
    QCOMPARE(run(g), expect([&](const Row &r) {
                 return (r.id - rows.first().id) % 11 == 0 && r.user == QLatin1String("alice") &&
                        r.ts >= g.since && r.ts < g.until && (r.connection == 1 || r.connection == 2);
             }));

    AuditFilter h;
    h.systems = {QStringLiteral("github")};
    QCOMPARE(run(h).size(), 150);
    // Text a person might type that is not FTS syntax does not break the query.
    AuditFilter weird;
    weird.text = QStringLiteral("\"unbalanced AND OR ( * -");
    QCOMPARE(run(weird).size(), 0);
    QCOMPARE(ftsQuery(QStringLiteral("a \"b")), QStringLiteral("\"a\"* \"\"\"b\"*"));
}

void TestAudit::exportsParseBack()
{
    fill(50);
    AuditEvent tricky;
    tricky.action = AuditAction::policyUpdate;
    tricky.comment = QStringLiteral("commas, \"quotes\"\nand a newline — ünïcode");
    tricky.details = QJsonObject{{QStringLiteral("labels"), QStringLiteral("gpu,linux")}};
    QVERIFY(AuditLog::record(tricky).ok());

    AuditFilter all;
    all.newestFirst = false;
    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    int progressCalls = 0;
    auto written = AuditExport::write(Database::connection(), all, AuditExport::Format::Csv, &csv,
                                      [&](qint64, qint64) { return ++progressCalls > 0; });
    QVERIFY(written.ok());
    QCOMPARE(written.value(), 51);
    QVERIFY(progressCalls >= 1);
    const QList<QStringList> records = AuditExport::parseCsv(csv.data());
    QCOMPARE(records.size(), 52);
    QCOMPARE(records.first(), AuditExport::csvHeader());

    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    QVERIFY(AuditExport::write(Database::connection(), all, AuditExport::Format::JsonLines, &jsonl).ok());
    const QList<QByteArray> lines = jsonl.data().split('\n');
    QCOMPARE(lines.size(), 52); // 51 lines and the empty string after the last newline

    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT %1 FROM audit_events ORDER BY ts, id").arg(auditSelectColumns())));
    int i = 0;
    while (q.next()) {
        const AuditEvent e = auditEventFromRecord(q.record());
        const QStringList r = records.at(i + 1);
        QCOMPARE(r.at(0).toLongLong(), e.id);
        QCOMPARE(r.at(2), e.timestamp.toString(Qt::ISODateWithMs));
        QCOMPARE(r.at(8), e.action);
        QCOMPARE(r.at(13), e.comment);
        QCOMPARE(QJsonDocument::fromJson(r.at(14).toUtf8()).object(), e.details);
        QCOMPARE(r.at(16), e.hash);
        const QJsonObject o = QJsonDocument::fromJson(lines.at(i)).object();
        QCOMPARE(o.value(QStringLiteral("id")).toInteger(), e.id);
        QCOMPARE(o.value(QStringLiteral("comment")).toString(), e.comment);
        QCOMPARE(o.value(QStringLiteral("details")).toObject(), e.details);
        QCOMPARE(o.value(QStringLiteral("hash")).toString(), e.hash);
        ++i;
    }
    QCOMPARE(i, 51);

    // Cancel stops the export with a clear message.
    QBuffer cancelled;
    cancelled.open(QIODevice::WriteOnly);
    AuditEvent e;
    e.action = AuditAction::syncComplete;
    QSqlDatabase db = Database::connection();
    QVERIFY(db.transaction());
    AuditAppender appender(db);
    QVERIFY(appender.start().ok());
    for (int k = 0; k < 5000; ++k)
        QVERIFY(appender.append(e).ok());
    QVERIFY(appender.finish().ok());
    QVERIFY(db.commit());
    const auto stopped = AuditExport::write(db, all, AuditExport::Format::JsonLines, &cancelled,
                                            [](qint64, qint64) { return false; });
    QVERIFY(!stopped.ok());
    QCOMPARE(stopped.error().code, QStringLiteral("export.cancelled"));
}

void TestAudit::survivesSigkill()
{
    const QString path = m_dir->filePath(QStringLiteral("crash.sqlite"));
    QRandomGenerator rng(20261123);
    const QString child = QCoreApplication::applicationDirPath() + QStringLiteral("/audit_appender");
    QVERIFY(QFile::exists(child));
    for (int round = 0; round < 20; ++round) {
        QProcess p;
        p.start(child, {path});
        QVERIFY(p.waitForStarted());
        QVERIFY(p.waitForReadyRead(20000)); // "ready": the database is open
        QTest::qWait(int(rng.bounded(20, 300)));
        QVERIFY2(p.state() == QProcess::Running, p.readAllStandardError().constData());
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        const QString probeName = QStringLiteral("probe-%1").arg(round);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), probeName);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
            const auto v = AuditLog::verify(db);
            QVERIFY(v.ok());
            QVERIFY2(v->ok, qPrintable(v->message));
            QVERIFY(v->eventsChecked > 0);
            db.close();
        }
        QSqlDatabase::removeDatabase(probeName);
    }
}

namespace {
// Random text with what JSON escaping must get right: quotes, backslashes, control characters,
// DEL, text beyond ASCII, pairs of surrogates, and lone ones.
QString awkwardText(QRandomGenerator &rng)
{
    static const char16_t pool[] = {u'a',  u'Z',   u' ',   u'"',   u'\\',  u'/',  0x01, 0x08,
                                    0x09,  0x0a,   0x0c,   0x0d,   0x1f,   0x7f,  0xe4, 0x3b1,
                                    0x800, 0x4e2d, 0xfeff, 0xffff, 0xd83d, 0xde00};
    QString s;
    const int n = int(rng.bounded(12));
    for (int i = 0; i < n; ++i)
        s += QChar(pool[rng.bounded(int(std::size(pool)))]);
    return s;
}

// The canonical form as it was first defined, through QJsonDocument: chains written by earlier
// versions were hashed over exactly these bytes.
QByteArray referenceCanonical(const AuditEvent &e)
{
    QJsonArray a{e.id,
                 e.timestamp.toUTC().toString(Qt::ISODateWithMs),
                 e.osUser,
                 e.backendIdentity,
                 e.connectionId ? QJsonValue(*e.connectionId) : QJsonValue(),
                 e.connectionName,
                 e.system,
                 e.action,
                 e.targetKind,
                 e.targetId,
                 e.targetName,
                 outcomeId(e.outcome),
                 e.comment,
                 QString::fromUtf8(QJsonDocument(e.details).toJson(QJsonDocument::Compact))};
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}
} // namespace

void TestAudit::canonicalFormUnchanged()
{
    QRandomGenerator rng(20261202);
    for (int i = 0; i < 5000; ++i) {
        AuditEvent e;
        e.id = qint64(rng.bounded(1 << 30)) * (i % 3 == 0 ? 1000 : 1);
        e.timestamp = QDateTime::fromMSecsSinceEpoch(qint64(rng.bounded(2000000000)) * 1000 + i, Qt::UTC);
        e.osUser = awkwardText(rng);
        e.backendIdentity = awkwardText(rng);
        if (i % 2)
            e.connectionId = qint64(rng.bounded(100000));
        e.connectionName = awkwardText(rng);
        e.system = awkwardText(rng);
        e.action = awkwardText(rng);
        e.targetKind = awkwardText(rng);
        e.targetId = awkwardText(rng);
        e.targetName = awkwardText(rng);
        e.outcome = i % 3 == 0 ? AuditOutcome::Failure : AuditOutcome::Success;
        e.comment = awkwardText(rng);
        if (i % 4 != 0)
            e.details = QJsonObject{{awkwardText(rng), awkwardText(rng)},
                                    {QStringLiteral("n"), i},
                                    {QStringLiteral("list"), QJsonArray{awkwardText(rng), 1.5, true}}};
        const QByteArray expected = referenceCanonical(e);
        QCOMPARE(AuditLog::canonical(e), expected);
    }
    // And one fixed event against its hash as an independent SHA-256 over the JSON text computes it
    // (Python: sha256(genesis + "\n" + json.dumps(array, separators=(",", ":"), ensure_ascii=False))).
    AuditEvent fixed;
    fixed.id = 42;
    fixed.timestamp = QDateTime::fromString(QStringLiteral("2026-10-01T12:34:56.789Z"), Qt::ISODateWithMs);
    fixed.osUser = QStringLiteral("maria");
    fixed.connectionId = 3;
    fixed.connectionName = QStringLiteral("acme \"prod\"");
    fixed.system = QStringLiteral("github");
    fixed.action = AuditAction::runnerDelete;
    fixed.targetKind = QStringLiteral("runner");
    fixed.targetId = QStringLiteral("17");
    fixed.targetName = QStringLiteral("ci-ünïcode-1");
    fixed.comment = QStringLiteral("line one\nline two");
    fixed.details = QJsonObject{{QStringLiteral("labels"), QJsonArray{QStringLiteral("self-hosted")}}};
    QCOMPARE(AuditLog::chainHash(AuditLog::genesisHash(), AuditLog::canonical(fixed)),
             QStringLiteral("cc11c02f20c7cf0bd0a180d2312991140bc4d58e8ad3f862a93caedab30128a5"));
}

void TestAudit::batchedAppendsKeepTheChain()
{
    // More events than one statement holds, and a count that leaves a partial last batch: every
    // event lands once, in order, and the chain verifies; a second appender continues it.
    QSqlDatabase db = Database::connection();
    for (int round = 0; round < 2; ++round) {
        QVERIFY(db.transaction());
        AuditAppender appender(db);
        QVERIFY(appender.start().ok());
        for (int i = 0; i < 1234; ++i) {
            AuditEvent e;
            e.action = AuditAction::runnerCreate;
            e.comment = QStringLiteral("round %1 event %2").arg(round).arg(i);
            QVERIFY(appender.append(e).ok());
        }
        QVERIFY(appender.finish().ok());
        QVERIFY(db.commit());
    }
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*), MIN(id), MAX(id) FROM audit_events")) && q.next());
    QCOMPARE(q.value(0).toInt(), 2468);
    QCOMPARE(q.value(2).toLongLong() - q.value(1).toLongLong() + 1, 2468);
    QVERIFY(q.exec(QStringLiteral("SELECT comment FROM audit_events ORDER BY id DESC LIMIT 1")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("round 1 event 1233"));
    const AuditVerification v = verifyNow();
    QVERIFY2(v.ok, qPrintable(v.message));
    QCOMPARE(v.eventsChecked, 2468);
    // The full-text index has every event, also those of the last, partial statement.
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_fts WHERE audit_fts MATCH '\"1233\"'")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 2);
}

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
