// The SQLite cache: migrations, refusal of newer schemas and broken files, change
// announcements, and per-thread connections under concurrent writes and reads.
#include "models/connections/connectionstore.h"
#include "models/core/jsonwrite.h"
#include "models/core/pageparser.h"
#include "models/store/batchwriter.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace opsdeck;

class TestCache : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void freshDatabase();
    void upgradeKeepsData();
    void failedMigrationRollsBack();
    void newerSchemaRefusedUntouched();
    void corruptFileRefused();
    void readOnlyFile();
    void moveAside();
    void splitStatements();
    void notifiesAfterCommitOnly();
    void concurrentWritersAndReaders();
    void batchWriterWritesEveryRow();
    void batchWriterReportsFailures();
    void jsonWriteMatchesQJsonDocument();
    void pageParserKeepsOrder();
    void readCancelStopsAQuery();

private:
    QString writeMigrations(const QStringList &scripts);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    Database::setMigrationsDirectory(QStringLiteral(":/sql"));
}

void TestCache::cleanup()
{
    Database::close();
    Database::setMigrationsDirectory(QStringLiteral(":/sql"));
}

QString TestCache::writeMigrations(const QStringList &scripts)
{
    const QString dir = m_dir->filePath(QStringLiteral("migrations-%1").arg(scripts.size()));
    QDir().mkpath(dir);
    for (int i = 0; i < scripts.size(); ++i) {
        QFile f(QStringLiteral("%1/%2_step.sql").arg(dir).arg(i + 1, 3, 10, QLatin1Char('0')));
        f.open(QIODevice::WriteOnly);
        f.write(scripts.at(i).toUtf8());
    }
    return dir;
}

void TestCache::freshDatabase()
{
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    QVERIFY(Database::open(path).ok());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
    QCOMPARE(q.value(0).toInt(), Database::latestSchemaVersion());
    QVERIFY(Database::latestSchemaVersion() >= 1);
    QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM connections")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestCache::upgradeKeepsData()
{
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    const QString v1 = QStringLiteral("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    Database::setMigrationsDirectory(writeMigrations({v1}));
    QVERIFY(Database::open(path).ok());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("INSERT INTO things (name) VALUES ('kept')")));
    Database::close();

    const QString v2 = QStringLiteral(
        "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue';\n"
        "CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT);\n"
        "CREATE TRIGGER things_log AFTER INSERT ON things BEGIN INSERT INTO log (msg) VALUES ('a; b'); END;");
    Database::setMigrationsDirectory(writeMigrations({v1, v2}));
    QCOMPARE(Database::schemaVersionOf(path).value(), 1);
    const auto opened = Database::open(path);
    QVERIFY2(opened.ok(), qPrintable(opened.message()));
    QSqlQuery q2(Database::connection());
    QVERIFY(q2.exec(QStringLiteral("SELECT name, colour FROM things")) && q2.next());
    QCOMPARE(q2.value(0).toString(), QStringLiteral("kept"));
    QCOMPARE(q2.value(1).toString(), QStringLiteral("blue"));
    QVERIFY(q2.exec(QStringLiteral("INSERT INTO things (name) VALUES ('new')")));
    QVERIFY(q2.exec(QStringLiteral("SELECT msg FROM log")) && q2.next());
    QCOMPARE(q2.value(0).toString(), QStringLiteral("a; b"));
    QCOMPARE(Database::schemaVersionOf(path).value(), 2);
}

void TestCache::failedMigrationRollsBack()
{
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    const QString v1 = QStringLiteral("CREATE TABLE things (id INTEGER PRIMARY KEY);");
    Database::setMigrationsDirectory(writeMigrations({v1}));
    QVERIFY(Database::open(path).ok());
    Database::close();
    // v2 creates a table, then fails: neither the table nor the version may remain.
    const QString v2 =
        QStringLiteral("CREATE TABLE half (id INTEGER);\nINSERT INTO no_such_table VALUES (1);");
    Database::setMigrationsDirectory(writeMigrations({v1, v2}));
    const auto opened = Database::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("db.migration"));
    QVERIFY(opened.message().contains(QStringLiteral("no_such_table")));
    QCOMPARE(Database::schemaVersionOf(path).value(), 1);
    Database::setMigrationsDirectory(writeMigrations({v1}));
    QVERIFY(Database::open(path).ok());
    QSqlQuery q(Database::connection());
    QVERIFY(!q.exec(QStringLiteral("SELECT * FROM half")));
}

void TestCache::newerSchemaRefusedUntouched()
{
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    QVERIFY(Database::open(path).ok());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 999")));
    Database::close();
    const QByteArray before = readWholeFile(path);
    const auto opened = Database::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("db.newer-schema"));
    QVERIFY(opened.message().contains(QStringLiteral("999")));
    QVERIFY(!Database::isOpen());
    QCOMPARE(readWholeFile(path), before);
}

void TestCache::corruptFileRefused()
{
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(8192, 'x'));
    f.close();
    const auto opened = Database::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("db.corrupt"));
    QVERIFY(opened.message().contains(QStringLiteral("damaged")));
}

void TestCache::readOnlyFile()
{
    // The way out offered for a locked or unwritable cache: open it read-only; reads work and a
    // write fails with a clear error instead of a crash.
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    QVERIFY(Database::open(path).ok());
    Connection c;
    c.kind = ConnectionKind::Docker;
    c.name = QStringLiteral("local");
    c.endpoint = QStringLiteral("/run/docker.sock");
    QVERIFY(ConnectionStore::save(Database::connection(), c).ok());
    Database::close();

    QVERIFY(Database::open(path, Database::Mode::ReadOnly).ok());
    QVERIFY(Database::isReadOnly());
    QCOMPARE(ConnectionStore::all(Database::connection()).value().size(), 1);
    c.name = QStringLiteral("other");
    const auto written = ConnectionStore::save(Database::connection(), c);
    QVERIFY(!written.ok());
    QCOMPARE(written.error().code, QStringLiteral("db.read-only"));
    Database::close();

    const auto missing =
        Database::open(m_dir->filePath(QStringLiteral("none.sqlite")), Database::Mode::ReadOnly);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, QStringLiteral("db.open"));
}

void TestCache::moveAside()
{
    const QString path = m_dir->filePath(QStringLiteral("cache.sqlite"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("garbage");
    f.close();
    const auto moved = Database::moveAside(path);
    QVERIFY(moved.ok());
    QVERIFY(!QFile::exists(path));
    QVERIFY(QFile::exists(moved.value()));
    QVERIFY(Database::open(path).ok()); // a fresh start
}

void TestCache::splitStatements()
{
    const QStringList s = Database::splitStatements(QStringLiteral(
        "-- comment; with semicolon\nCREATE TABLE a (x TEXT DEFAULT ';');\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 'y' END; SELECT 1; END;\n"
        "INSERT INTO a VALUES ('it''s')"));
    QCOMPARE(s.size(), 3);
    QVERIFY(s.at(0).startsWith(QStringLiteral("CREATE TABLE a")));
    QVERIFY(s.at(1).endsWith(QStringLiteral("END")));
    QCOMPARE(s.at(2), QStringLiteral("INSERT INTO a VALUES ('it''s')"));
}

void TestCache::notifiesAfterCommitOnly()
{
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
    QSignalSpy spy(CacheNotifier::instance(), &CacheNotifier::tablesChanged);
    Connection c;
    c.kind = ConnectionKind::Docker;
    c.name = QStringLiteral("local");
    c.endpoint = QStringLiteral("unix:///run/docker.sock");
    {
        CacheTransaction tx;
        QVERIFY(tx.begin().ok());
        QVERIFY(ConnectionStore::save(tx.db(), c).ok());
        tx.touch(Tables::connections, 7);
        // destroyed without commit: rolled back, nothing announced
    }
    QCOMPARE(spy.count(), 0);
    QCOMPARE(ConnectionStore::all(Database::connection()).value().size(), 0);
    {
        CacheTransaction tx;
        QVERIFY(tx.begin().ok());
        auto saved = ConnectionStore::save(tx.db(), c);
        QVERIFY(saved.ok());
        tx.touch(Tables::connections, saved->id);
        tx.touch(Tables::syncState, saved->id);
        tx.touch(Tables::connections, saved->id); // once is enough
        QCOMPARE(spy.count(), 0);
        QVERIFY(tx.commit().ok());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(), QStringList({Tables::connections, Tables::syncState}));
        QCOMPARE(spy.at(0).at(1).toLongLong(), saved->id);
    }
    // Duplicate names are refused with a clear message and leave the cache as it was.
    CacheTransaction tx;
    QVERIFY(tx.begin().ok());
    auto dup = ConnectionStore::save(tx.db(), c);
    QVERIFY(!dup.ok());
    QCOMPARE(dup.error().code, QStringLiteral("connection.duplicate"));
    QVERIFY(dup.message().contains(QStringLiteral("local")));
}

void TestCache::concurrentWritersAndReaders()
{
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
    std::atomic<int> failures{0};
    std::atomic<int> reads{0};
    QStringList errors;
    QMutex errorsMutex;
    const auto fail = [&](const QString &e) {
        ++failures;
        QMutexLocker lock(&errorsMutex);
        errors << e;
    };
    QList<QThread *> threads;
    for (int w = 0; w < 4; ++w) {
        threads << QThread::create([&, w] {
            for (int batch = 0; batch < 25; ++batch) {
                CacheTransaction tx;
                if (auto r = tx.begin(); !r)
                    return fail(r.message());
                for (int i = 0; i < 4; ++i) {
                    Connection c;
                    c.kind = ConnectionKind::Registry;
                    c.name = QStringLiteral("w%1-b%2-%3").arg(w).arg(batch).arg(i);
                    c.endpoint = QStringLiteral("https://r%1.example.com").arg(w);
                    if (auto r = ConnectionStore::save(tx.db(), c); !r)
                        return fail(r.message());
                }
                tx.touch(Tables::connections);
                if (auto r = tx.commit(); !r)
                    return fail(r.message());
            }
        });
    }
    for (int r = 0; r < 2; ++r) {
        threads << QThread::create([&] {
            for (int i = 0; i < 100; ++i) {
                auto all = ConnectionStore::all(Database::connection());
                if (!all)
                    return fail(all.message());
                ++reads;
            }
        });
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        QVERIFY(t->wait(120000));
        delete t;
    }
    QVERIFY2(failures == 0, qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(reads.load(), 200);
    QCOMPARE(ConnectionStore::all(Database::connection()).value().size(), 4 * 25 * 4);
}

void TestCache::batchWriterWritesEveryRow()
{
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
    QSqlDatabase db = Database::connection();
    QSqlQuery q(db);
    QVERIFY(
        q.exec(QStringLiteral("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL, c REAL, d INTEGER)")));
    // 300 rows in statements of 128: two full ones and a partial last one; then the same keys
    // again through the upsert clause.
    for (const QString &suffix : {QStringLiteral(""), QStringLiteral(" again")}) {
        QVERIFY(db.transaction());
        BatchWriter w(db, QStringLiteral("INSERT INTO t (a, b, c, d) VALUES"), 4,
                      QStringLiteral("ON CONFLICT (a) DO UPDATE SET b = excluded.b"),
                      QStringLiteral("Writing t"), 128);
        for (int i = 1; i <= 300; ++i) {
            w.add(i);
            w.add(QStringLiteral("row %1 ünï \"q\"%2").arg(i).arg(suffix));
            w.add(i / 2.0);
            if (i % 2)
                w.addNull();
            else
                w.add(true);
            QVERIFY(w.endRow().ok());
        }
        QVERIFY(w.finish().ok());
        QCOMPARE(w.rowsWritten(), 300);
        QVERIFY(db.commit());
    }
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*), SUM(c), COUNT(d), MIN(b) FROM t")) && q.next());
    QCOMPARE(q.value(0).toInt(), 300);
    QCOMPARE(q.value(1).toDouble(), 300 * 301 / 4.0);
    QCOMPARE(q.value(2).toInt(), 150);
    QVERIFY(q.exec(QStringLiteral("SELECT b FROM t WHERE a = 299")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("row 299 ünï \"q\" again"));
    // An empty (null) QString is written as '' (never NULL).
    QVERIFY(db.transaction());
    BatchWriter w(db, QStringLiteral("INSERT INTO t (a, b, c, d) VALUES"), 4, QString(),
                  QStringLiteral("Writing t"));
    w.add(1000);
    w.add(QString());
    w.addNull();
    w.add(std::optional<qint64>());
    QVERIFY(w.endRow().ok());
    QVERIFY(w.finish().ok());
    QVERIFY(db.commit());
    QVERIFY(q.exec(QStringLiteral("SELECT b IS NULL, b FROM t WHERE a = 1000")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QCOMPARE(q.value(1).toString(), QString());
}

void TestCache::batchWriterReportsFailures()
{
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
    QSqlDatabase db = Database::connection();
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)")));
    QVERIFY(db.transaction());
    {
        // A row with a value too few is named before anything is written.
        BatchWriter w(db, QStringLiteral("INSERT INTO t (a, b) VALUES"), 2, QString(),
                      QStringLiteral("Writing t"));
        w.add(1);
        const auto r = w.endRow();
        QVERIFY(!r.ok());
        QVERIFY2(r.message().contains(QStringLiteral("Writing t")) &&
                     r.message().contains(QStringLiteral("1 values instead of 2")),
                 qPrintable(r.message()));
    }
    {
        // A constraint SQLite refuses: the message says what was written and why, through
        // Database::describe.
        BatchWriter w(db, QStringLiteral("INSERT INTO t (a, b) VALUES"), 2, QString(),
                      QStringLiteral("Writing t"));
        w.add(1);
        w.addNull();
        QVERIFY(w.endRow().ok());
        const auto r = w.finish();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("db.error"));
        QVERIFY2(r.message().contains(QStringLiteral("Writing t")) &&
                     r.message().contains(QStringLiteral("NOT NULL")),
                 qPrintable(r.message()));
    }
    {
        // A statement SQLite cannot prepare (no such table).
        BatchWriter w(db, QStringLiteral("INSERT INTO missing (a, b) VALUES"), 2, QString(),
                      QStringLiteral("Writing missing"));
        w.add(1);
        w.add(QStringLiteral("x"));
        QVERIFY(w.endRow().ok());
        const auto r = w.finish();
        QVERIFY(!r.ok());
        QVERIFY2(r.message().contains(QStringLiteral("no such table")), qPrintable(r.message()));
    }
    db.rollback();
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM t")) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestCache::jsonWriteMatchesQJsonDocument()
{
    static const char16_t pool[] = {u'a', u' ', u'"', u'\\',  0x00,   0x07,   0x09,   0x0a,
                                    0x1f, 0x7f, 0xe9, 0x20ac, 0xd83d, 0xde00, 0xdbff, 0xfffe};
    QRandomGenerator rng(7);
    for (int i = 0; i < 3000; ++i) {
        QStringList values;
        const int n = int(rng.bounded(5));
        for (int k = 0; k < n; ++k) {
            QString s;
            const int len = int(rng.bounded(10));
            for (int c = 0; c < len; ++c)
                s += QChar(pool[rng.bounded(int(std::size(pool)))]);
            values << s;
        }
        const QByteArray expected =
            QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact);
        QCOMPARE(JsonWrite::stringArray(values), expected);
        // The UTF-8 variant, fed what QJsonDocument writes (valid UTF-8), escapes it the same way.
        QByteArray viaUtf8, viaString;
        JsonWrite::appendUtf8String(viaUtf8, expected);
        JsonWrite::appendString(viaString, QString::fromUtf8(expected));
        QCOMPARE(viaUtf8, viaString);
        QCOMPARE(viaString, QJsonDocument(QJsonArray{QString::fromUtf8(expected)})
                                .toJson(QJsonDocument::Compact)
                                .mid(1)
                                .chopped(1));
    }
}

void TestCache::pageParserKeepsOrder()
{
    // Pages parsed on the pool come back in the order they were added, each once; a refused page
    // is reported where it is and marks the parser failed.
    const auto parse = [](const QByteArray &body) -> Result<int> {
        bool ok = false;
        const int n = body.toInt(&ok);
        if (!ok)
            return makeError("json.malformed", QStringLiteral("not a number: ") + QString::fromLatin1(body));
        QThread::usleep(uint((n * 7919) % 500)); // finish out of order
        return n;
    };
    std::atomic<int> parsed = 0;
    PageParser<int> parser(parse, [&parsed](const int &) { ++parsed; });
    for (int i = 0; i < 200; ++i)
        parser.add(QByteArray::number(i));
    QCOMPARE(parser.size(), 200);
    for (int i = 0; i < 200; ++i) {
        const auto page = parser.take(i);
        QVERIFY(page.ok());
        QCOMPARE(*page, i);
    }
    QCOMPARE(parsed.load(), 200);
    QVERIFY(!parser.failed());

    PageParser<int> broken(parse);
    broken.add("1");
    broken.add("two");
    broken.add("3");
    QVERIFY(broken.take(0).ok());
    const auto second = broken.take(1);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, QStringLiteral("json.malformed"));
    QVERIFY(broken.failed());
} // the destructor waits for page 3, which was never taken

void TestCache::readCancelStopsAQuery()
{
    QVERIFY(Database::open(m_dir->filePath(QStringLiteral("cache.sqlite"))).ok());
    QSqlDatabase db = Database::connection();
    // A query that would run for a long time (a recursive count to a billion) stops at once when
    // its flag is set, with SQLite's "interrupted".
    CancelFlag flag = makeCancelFlag();
    ReadCancelScope scope(db, flag);
    QSqlQuery q(db);
    QVERIFY(q.exec(
        QStringLiteral("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) "
                       "SELECT n FROM c")));
    int rows = 0;
    while (q.next()) {
        if (++rows == 1000)
            flag->store(true);
    }
    QVERIFY2(rows < 5000, qPrintable(QString::number(rows)));
    QVERIFY(q.lastError().isValid());
    QVERIFY2(q.lastError().text().contains(QStringLiteral("interrupt")), qPrintable(q.lastError().text()));
}

QTEST_GUILESS_MAIN(TestCache)
#include "tst_cache.moc"
