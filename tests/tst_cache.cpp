// The SQLite cache: migrations, refusal of newer schemas and broken files, change
// announcements, and per-thread connections under concurrent writes and reads.
#include "models/connections/connectionstore.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QMutex>
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

QTEST_GUILESS_MAIN(TestCache)
#include "tst_cache.moc"
