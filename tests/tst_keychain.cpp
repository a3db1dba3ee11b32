// Secrets through QtKeychain against a real gnome-keyring in a private D-Bus session (run by
// support/with-keyring.sh), and proof that a secret that was saved and used appears nowhere in
// the cache database, the settings or the logs.
#include "models/connections/connectionstore.h"
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "secretscan.h"
#include "services/connections/connectionservice.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/store/applog.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunstore.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace opsdeck;

class TestKeychain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void roundTrip();
    void noSecretLeaks();
    void runSigningKey();
};

void TestKeychain::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("OPSDECK_KEYRING"), "run this test through support/with-keyring.sh");
}

void TestKeychain::roundTrip()
{
    SecretStore &store = *SecretStore::instance();
    const QString key =
        QStringLiteral("connection/test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::optional<Result<void>> written;
    store.write(key, QStringLiteral("tök€n with ünicode"), this, [&](const Result<void> &r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 15000);
    QVERIFY2(written->ok(), qPrintable(written->message()));

    std::optional<Result<QString>> read;
    store.read(key, this, [&](const Result<QString> &r) { read = r; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 15000);
    QVERIFY2(read->ok(), qPrintable(read->message()));
    QCOMPARE(read->value(), QStringLiteral("tök€n with ünicode"));

    std::optional<Result<void>> removed;
    store.remove(key, this, [&](const Result<void> &r) { removed = r; });
    QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 15000);
    QVERIFY(removed->ok());

    read.reset();
    store.read(key, this, [&](const Result<QString> &r) { read = r; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 15000);
    QVERIFY(!read->ok());
    QCOMPARE(read->error().code, QStringLiteral("keychain.missing"));
}

void TestKeychain::noSecretLeaks()
{
    QTemporaryDir dataDir;
    AppLog::install(dataDir.path());
    QVERIFY(Database::open(dataDir.filePath(QStringLiteral("cache.sqlite"))).ok());
    AppSettings settings(dataDir.path());
    settings.setLastPane(QStringLiteral("runners"));
    settings.sync();

    const QByteArray canary = "ghp_leakcanary_" + QUuid::createUuid().toByteArray(QUuid::Id128);
    TestHttpServer server;
    QVERIFY(server.listen());
    server.route("GET", QStringLiteral("/user"), [&](const TestRequest &req) {
        if (req.header("Authorization") != "Bearer " + canary)
            return TestReply::json(401, R"({"message":"Bad credentials"})");
        return TestReply::json(200, R"({"login":"octocat"})");
    });

    ServiceHost host;
    auto *service = host.add(new ConnectionService, QStringLiteral("connections"));
    Connection c;
    c.kind = ConnectionKind::GitHub;
    c.name = QStringLiteral("leak test");
    c.endpoint = server.url().toString();
    c.auth = AuthKind::Token;
    c.options.insert(QStringLiteral("org"), QStringLiteral("acme"));

    QSignalSpy saved(service, &ConnectionService::saved);
    QMetaObject::invokeMethod(service,
                              [=] { service->save(1, c, QString::fromLatin1(canary), true, false); });
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() > 0, 15000); // count, not wait(): the signal may come first
    const Outcome saveOutcome = saved.at(0).at(2).value<Outcome>();
    QVERIFY2(saveOutcome.ok, qPrintable(saveOutcome.message));
    const Connection stored = saved.at(0).at(1).value<Connection>();
    QVERIFY(stored.id > 0);

    // Test with the stored secret: the keychain hands it to the service, the server sees it.
    QSignalSpy tested(service, &ConnectionService::tested);
    QMetaObject::invokeMethod(service, [=] { service->test(2, stored, QString(), true); });
    QTRY_VERIFY_WITH_TIMEOUT(tested.count() > 0, 15000); // count, not wait(): the signal may come first
    const Outcome testOutcome = tested.at(0).at(1).value<Outcome>();
    QVERIFY2(testOutcome.ok, qPrintable(testOutcome.message));
    QCOMPARE(server.requests().last().header("Authorization"), "Bearer " + canary);

    // And once more through the health check behind Refresh.
    QSignalSpy finished(service, &ConnectionService::syncFinished);
    QMetaObject::invokeMethod(service, [=] { service->checkHealth({stored.id}); });
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 15000); // count, not wait(): the signal may come first
    QVERIFY(finished.at(0).at(1).value<Outcome>().ok);
    QCOMPARE(ConnectionStore::syncStatus(Database::connection(), stored.id).value().lastError, QString());

    {
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("SELECT action FROM audit_events WHERE connection_id = %1 ORDER BY id")
                           .arg(stored.id)));
        QStringList actions;
        while (q.next())
            actions << q.value(0).toString();
        QCOMPARE(actions, QStringList({QStringLiteral("connection.create"), QStringLiteral("connection.test"),
                                       QStringLiteral("sync.complete")}));
    }
    host.stopAll();
    Database::close();
    AppLog::install(dataDir.path()); // flush and reopen

    int files = 0;
    for (QDirIterator it(dataDir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
         it.hasNext(); it.next())
        ++files;
    const QStringList found = SecretScan::findings({QString::fromLatin1(canary)}, {dataDir.path()});
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    QVERIFY(files >= 3);                                             // cache, settings, log at least
    QVERIFY(readWholeFile(AppLog::logFilePath()).contains("/user")); // the log did record the call

    // Removing the connection deletes its keychain entry.
    QVERIFY(Database::open(dataDir.filePath(QStringLiteral("cache.sqlite"))).ok());
    ServiceHost host2;
    auto *service2 = host2.add(new ConnectionService, QStringLiteral("connections"));
    QSignalSpy removed(service2, &ConnectionService::removed);
    QMetaObject::invokeMethod(service2, [=] { service2->remove(3, stored.id); });
    QTRY_VERIFY_WITH_TIMEOUT(removed.count() > 0, 15000); // count, not wait(): the signal may come first
    QVERIFY(removed.at(0).at(2).value<Outcome>().ok);
    QCOMPARE(removed.at(0).at(2).value<Outcome>().message, QString());
    std::optional<Result<QString>> read;
    SecretStore::instance()->read(stored.secretKey(), this, [&](const Result<QString> &r) { read = r; });
    QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 15000);
    QCOMPARE(read->error().code, QStringLiteral("keychain.missing"));
    host2.stopAll();
    Database::close();
}

void TestKeychain::runSigningKey()
{
    // The first import makes the key and keeps it in the keychain; later ones use the same key.
    std::optional<Result<QByteArray>> first;
    RunSigningKey::obtain(this, [&](const Result<QByteArray> &k) { first = k; });
    QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 15000);
    QVERIFY2(first->ok(), qPrintable(first->message()));
    QCOMPARE(first->value().size(), runSigningKeyBytes);
    std::optional<Result<QByteArray>> second;
    RunSigningKey::obtain(this, [&](const Result<QByteArray> &k) { second = k; });
    QTRY_VERIFY_WITH_TIMEOUT(second.has_value(), 15000);
    QCOMPARE(second->value(), first->value());

    // `opsdeck testruns import` signs with it: the run verifies with the keychain's key.
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("TEST-api.xml"));
    QFile f(report);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"(<testsuite name="api"><testcase classname="c" name="a"/><testcase classname="c" name="b">)"
            R"(<failure message="no"/></testcase></testsuite>)");
    f.close();
    const QString data = dir.filePath(QStringLiteral("data"));
    QProcess cli;
    cli.start(QStringLiteral(OPSDECK_APP),
              {QStringLiteral("testruns"), QStringLiteral("import"), QStringLiteral("--json"),
               QStringLiteral("--data-dir"), data, report});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonArray out = QJsonDocument::fromJson(cli.readAllStandardOutput()).array();
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.at(0)[QStringLiteral("signed")].toBool(), true);
    QVERIFY2(cli.readAllStandardError().isEmpty(), "no warning that the runs are unsigned");
    QVERIFY(Database::open(data + QStringLiteral("/cache.sqlite")));
    const auto state = TestRunStore::verifyRun(
        Database::connection(), out.at(0)[QStringLiteral("run_id")].toInteger(), first->value());
    Database::close();
    QVERIFY2(state, qPrintable(state.message()));
    QCOMPARE(state.value(), SignatureState::Verified);
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
