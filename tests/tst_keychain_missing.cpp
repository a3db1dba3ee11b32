// With no keychain reachable (support/without-keyring.sh), saving a secret fails with a plain
// message and writes nothing; the admin's "keep it in memory for this session" choice works and
// still writes nothing to disk.
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/connections/connectionservice.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/store/auditlog.h"
#include "testhttpserver.h"
#include "testutil.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestKeychainMissing : public QObject
{
    Q_OBJECT
private slots:
    void describesMissingKeychain_data();
    void describesMissingKeychain();
    void saveRefusedThenMemoryOnly();
};

void TestKeychainMissing::describesMissingKeychain_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    // QtKeychain 0.13 reports a missing Secret Service as OtherError with a D-Bus text.
    QTest::newRow("no dbus") << 7 << "Cannot autolaunch D-Bus without X11 $DISPLAY"
                             << "keychain.unavailable";
    QTest::newRow("no secrets service")
        << 7 << "The name org.freedesktop.secrets was not provided by any .service files"
        << "keychain.unavailable";
    QTest::newRow("no backend") << 5 << "No keychain service available"
                                << "keychain.unavailable";
    QTest::newRow("not found") << 1 << "Entry not found"
                               << "keychain.missing";
    QTest::newRow("denied") << 4 << "Access to keychain denied"
                            << "keychain.denied";
    QTest::newRow("no bus socket") << 7 << "Could not connect: No such file or directory"
                                   << "keychain.unavailable";
    QTest::newRow("other") << 7 << "Something else"
                           << "keychain.error";
}

void TestKeychainMissing::describesMissingKeychain()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Error e = SecretStore::describe(code, text);
    QCOMPARE(e.code, expected);
    if (expected != QLatin1String("keychain.missing"))
        QVERIFY(e.message.contains(text));
}

void TestKeychainMissing::saveRefusedThenMemoryOnly()
{
    QTemporaryDir dataDir;
    QVERIFY(Database::open(dataDir.filePath(QStringLiteral("cache.sqlite"))).ok());
    const QByteArray secret = "memory-only-secret-4711";
    TestHttpServer server;
    QVERIFY(server.listen());
    server.route("GET", QStringLiteral("/key/info"), [&](const TestRequest &req) {
        return req.header("Authorization") == "Bearer " + secret
                   ? TestReply::json(200, R"({"key":"x","info":{}})")
                   : TestReply::json(401, R"({"detail":"bad key"})");
    });

    ServiceHost host;
    auto *service = host.add(new ConnectionService, QStringLiteral("connections"));
    Connection c;
    c.kind = ConnectionKind::LiteLLM;
    c.name = QStringLiteral("llm");
    c.endpoint = server.url().toString();
    c.auth = AuthKind::Token;

    QSignalSpy saved(service, &ConnectionService::saved);
    QMetaObject::invokeMethod(service,
                              [=] { service->save(1, c, QString::fromLatin1(secret), true, false); });
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() > 0, 30000); // count, not wait(): the signal may come first
    const Outcome refused = saved.at(0).at(2).value<Outcome>();
    QVERIFY(!refused.ok);
    QVERIFY2(refused.code == QStringLiteral("keychain.unavailable"),
             qPrintable(refused.code + QLatin1Char(' ') + refused.message));
    QVERIFY2(refused.message.startsWith(QStringLiteral("No OS keychain is available")),
             qPrintable(refused.message));
    QCOMPARE(ConnectionStore::all(Database::connection()).value().size(), 0); // nothing half-saved
    {
        // ... but the failed action is in the audit log, with its reason.
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("SELECT action, outcome, details FROM audit_events")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("connection.create"));
        QCOMPARE(q.value(1).toString(), QStringLiteral("failure"));
        QVERIFY(q.value(2).toString().contains(QStringLiteral("keychain.unavailable")));
        QVERIFY(!q.next());
    }

    saved.clear();
    QMetaObject::invokeMethod(service, [=] { service->save(2, c, QString::fromLatin1(secret), true, true); });
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() > 0, 15000); // count, not wait(): the signal may come first
    const Outcome kept = saved.at(0).at(2).value<Outcome>();
    QVERIFY2(kept.ok, qPrintable(kept.message));
    QVERIFY(kept.message.contains(QStringLiteral("memory")));
    const Connection stored = saved.at(0).at(1).value<Connection>();
    QVERIFY(SecretStore::hasInMemory(stored.secretKey()));

    QSignalSpy tested(service, &ConnectionService::tested);
    QMetaObject::invokeMethod(service, [=] { service->test(3, stored, QString(), true); });
    QTRY_VERIFY_WITH_TIMEOUT(tested.count() > 0, 15000); // count, not wait(): the signal may come first
    QVERIFY2(tested.at(0).at(1).value<Outcome>().ok, qPrintable(tested.at(0).at(1).value<Outcome>().message));

    {
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("SELECT action || ':' || outcome FROM audit_events ORDER BY id")));
        QStringList actions;
        while (q.next())
            actions << q.value(0).toString();
        QCOMPARE(actions, QStringList({QStringLiteral("connection.create:failure"),
                                       QStringLiteral("connection.create:success"),
                                       QStringLiteral("connection.test:success")}));
        QVERIFY(AuditLog::verify(Database::connection())->ok);
    }
    host.stopAll();
    Database::close();
    QDirIterator it(dataDir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QVERIFY2(!readWholeFile(file).contains(secret), qPrintable(file));
    }
}

QTEST_GUILESS_MAIN(TestKeychainMissing)
#include "tst_keychain_missing.moc"
