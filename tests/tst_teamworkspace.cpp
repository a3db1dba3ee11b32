// File › Team Workspace… against a real PostgreSQL 15 (tests/support/postgres.sh): a join that
// cannot sign in says why and keeps nothing; a join that can is kept (address in settings) and the
// Users pane's copy becomes the team's; leaving goes back to the desktop's own local workspace.
// signIn() at start opens whichever the data directory uses.
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/workspace/workspaceservice.h"
#include "services/workspace/workspacestore.h"
#include "testcerts.h"
#include "testprocess.h"
#include "testutil.h"
#include "ui/workspace/teamworkspacedialog.h"

#include <QDir>
#include <QEventLoop>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace opsdeck;

class TestTeamWorkspace : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void localAtStart();
    void joinRefusedKeepsNothing_data();
    void joinRefusedKeepsNothing();
    void joinThenLeave();
    void credentialsKeptAsOneSecret();
    void joinWithClientCertificate();

private:
    QString address(const QString &login) const
    {
        return QStringLiteral("postgresql://%1@localhost:%2/team?host=%3")
            .arg(login)
            .arg(m_port)
            .arg(m_socket);
    }
    static QStringList people()
    {
        QSqlQuery q(Database::connection());
        QStringList out;
        if (q.exec(QStringLiteral("SELECT login FROM workspace_people ORDER BY login")))
            while (q.next())
                out << q.value(0).toString();
        return out;
    }
    QString script() const { return QStringLiteral(OPSDECK_TESTS_DIR "/support/postgres.sh"); }

    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-teamui-XXXXXX")};
    StopOnExit m_postgres;
    QString m_socket;
    int m_port = 0;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<ServiceHost> m_host;
    WorkspaceService *m_service = nullptr;
};

void TestTeamWorkspace::initTestCase()
{
    QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                            QFile::ExeOther);
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    m_port = probe.serverPort();
    probe.close();
    const QString pg = m_dir.filePath(QStringLiteral("pg"));
    m_postgres.arm(script(), {QStringLiteral("stop"), pg});
    QProcess start;
    start.start(script(), {QStringLiteral("start"), pg, QString::number(m_port)});
    QVERIFY(start.waitForFinished(120000));
    if (start.exitCode() == 3) {
        OPSDECK_REQUIRE_COMPONENT(false, QStringLiteral("PostgreSQL 15"));
    }
    QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());
    m_socket = QString::fromUtf8(start.readAllStandardOutput()).trimmed();
    // The team: its owner runs `opsdeck team init`, then adds bob.
    {
        WorkspaceUrl owner;
        owner.host = m_socket;
        owner.port = m_port;
        owner.user = QStringLiteral("postgres");
        owner.database = QStringLiteral("postgres");
        auto admin = WorkspaceStore::openTeam(owner, {}, QStringLiteral("create"));
        QVERIFY(admin);
        QSqlQuery(admin->db()).exec(QStringLiteral("CREATE DATABASE team"));
        QSqlQuery(admin->db()).exec(QStringLiteral("CREATE DATABASE olddb"));
    }
    {
        // A workspace at an older schema than this Opsdeck needs (as if set up by an older one).
        WorkspaceUrl old;
        old.host = m_socket;
        old.port = m_port;
        old.user = QStringLiteral("postgres");
        old.database = QStringLiteral("olddb");
        auto owner = WorkspaceStore::openTeam(old, {}, QStringLiteral("old-owner"));
        QVERIFY(owner);
        QVERIFY(owner->initialize(QStringLiteral("alice"), {}));
        QVERIFY(
            QSqlQuery(owner->db())
                .exec(QStringLiteral("UPDATE workspace_meta SET value = '1' WHERE key = 'schema_version'")));
    }
    QProcess init;
    init.start(QStringLiteral(OPSDECK_APP),
               {QStringLiteral("team"), QStringLiteral("init"), QStringLiteral("--url"),
                address(QStringLiteral("postgres")), QStringLiteral("--superuser"), QStringLiteral("alice")});
    QVERIFY(init.waitForFinished(60000));
    QVERIFY2(init.exitCode() == 0, init.readAllStandardError().constData());
    QProcess add;
    add.start(QStringLiteral(OPSDECK_APP),
              {QStringLiteral("team"), QStringLiteral("person"), QStringLiteral("add"), QStringLiteral("bob"),
               QStringLiteral("--role"), QStringLiteral("user"), QStringLiteral("--url"),
               address(QStringLiteral("alice")), QStringLiteral("--data-dir"),
               m_dir.filePath(QStringLiteral("cli"))});
    QVERIFY(add.waitForFinished(60000));
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());

    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_settings = std::make_unique<AppSettings>(m_dir.path());
    m_host = std::make_unique<ServiceHost>();
    m_service = m_host->add(new WorkspaceService, QStringLiteral("workspace"));
}

void TestTeamWorkspace::cleanupTestCase()
{
    if (m_host)
        m_host->stopAll();
    m_postgres.run();
    Database::close();
}

void TestTeamWorkspace::localAtStart()
{
    // A data directory that joined nothing: its own store, its admin the one superuser.
    QVERIFY(m_settings->workspaceUrl().isEmpty());
    TeamWorkspaceDialog::signIn(m_service, m_settings.get(), this);
    QTRY_COMPARE_WITH_TIMEOUT(people().size(), 1, 10000);
    QVERIFY(QFile::exists(m_settings->localWorkspacePath()));
    TeamWorkspaceDialog dialog(m_service, m_settings.get());
    QVERIFY2(dialog.stateText().contains(QLatin1String("own workspace")), qPrintable(dialog.stateText()));
    QVERIFY(!dialog.leaveButton()->isEnabled());
    QVERIFY(!dialog.joinButton()->isEnabled()); // nothing typed yet
}

void TestTeamWorkspace::joinRefusedKeepsNothing_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not an address") << QStringLiteral("db.example.com/team")
                                    << QStringLiteral("postgresql://");
    QTest::newRow("no login") << QStringLiteral("postgresql://localhost/team")
                              << QStringLiteral("Put your login");
    QTest::newRow("password in it") << QStringLiteral("postgresql://alice:pw@localhost/team")
                                    << QStringLiteral("does not go into the address");
    QTest::newRow("not a person") << QStringLiteral("postgres")
                                  << QStringLiteral("not a person of this workspace");
    QTest::newRow("no such database") << QStringLiteral("nodb") << QStringLiteral("nodb");
    QTest::newRow("older schema") << QStringLiteral("olddb")
                                  << QStringLiteral("owner runs opsdeck team init again");
    QTest::newRow("nothing listening")
        << QStringLiteral("postgresql://alice@127.0.0.1:1/team") << QStringLiteral("Cannot sign in");
}

void TestTeamWorkspace::joinRefusedKeepsNothing()
{
    QFETCH(QString, address);
    QFETCH(QString, expected);
    if (address == QLatin1String("postgres"))
        address = this->address(QStringLiteral("postgres"));
    else if (address == QLatin1String("nodb") || address == QLatin1String("olddb"))
        address = this->address(QStringLiteral("alice"))
                      .replace(QStringLiteral("/team?"), QStringLiteral("/%1?").arg(address));
    const QStringList before = people();
    TeamWorkspaceDialog dialog(m_service, m_settings.get());
    QSignalSpy finished(&dialog, &TeamWorkspaceDialog::finishedJoining);
    dialog.addressEdit()->setText(address);
    QVERIFY(dialog.joinButton()->isEnabled());
    dialog.joinButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(dialog.messageText().contains(expected), qPrintable(dialog.messageText()));
    QVERIFY(m_settings->workspaceUrl().isEmpty());
    QCOMPARE(people(), before); // the local copy is untouched
    QVERIFY(dialog.addressEdit()->isEnabled());
}

void TestTeamWorkspace::joinThenLeave()
{
    TeamWorkspaceDialog dialog(m_service, m_settings.get());
    QSignalSpy finished(&dialog, &TeamWorkspaceDialog::finishedJoining);
    dialog.addressEdit()->setText(address(QStringLiteral("bob")));
    dialog.joinButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog.messageText()));
    QCOMPARE(m_settings->workspaceUrl(), address(QStringLiteral("bob")));
    QTRY_COMPARE_WITH_TIMEOUT(people(), (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.stateText().contains(QLatin1String("online")), 10000);
    QVERIFY2(dialog.stateText().contains(QLatin1String("postgresql://bob@")), qPrintable(dialog.stateText()));
    QVERIFY(dialog.leaveButton()->isEnabled());
    const auto events = [](const QString &action) {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local' AND action = ?"));
        q.addBindValue(action);
        return q.exec() && q.next() ? q.value(0).toInt() : -1;
    };
    QCOMPARE(events(QStringLiteral("workspace.join")), 1);

    // The next start signs in to the team again by itself.
    TeamWorkspaceDialog::signIn(m_service, m_settings.get(), this);
    QTest::qWait(200);
    QCOMPARE(people().size(), 2);

    // Leave, confirmed: back to the desktop's own workspace.
    QTimer::singleShot(0, this, [] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *box = qobject_cast<QMessageBox *>(w); box && box->isVisible())
                for (QAbstractButton *b : box->buttons())
                    if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                        b->click();
    });
    dialog.leaveButton()->click();
    QVERIFY(m_settings->workspaceUrl().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(people().size(), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.stateText().contains(QLatin1String("own workspace")), 10000);
    QCOMPARE(events(QStringLiteral("workspace.leave")), 1);
}

void TestTeamWorkspace::credentialsKeptAsOneSecret()
{
    // A password, a certificate, or both, as one keychain secret; an older Opsdeck's secret was the
    // password itself.
    WorkspaceCredential both = WorkspaceCredential::fromPassword(QStringLiteral("{\"not\": json}"));
    both.certificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    both.key = "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";
    const WorkspaceCredential back = WorkspaceCredential::fromSecret(both.toSecret());
    QCOMPARE(back.password, both.password);
    QCOMPARE(back.certificate, both.certificate);
    QCOMPARE(back.key, both.key);
    QCOMPARE(WorkspaceCredential::fromSecret(QStringLiteral("s3cret {x}")).password,
             QStringLiteral("s3cret {x}"));
    QVERIFY(!WorkspaceCredential::fromSecret(QStringLiteral("s3cret")).hasCertificate());

    // Files checked before anything is kept: both there, PEM, in date, no passphrase.
    TestCa ca;
    const TestCertificate client = ca.issueClient(QStringLiteral("carol"));
    const auto write = [this](const QString &name, const QByteArray &data) {
        QFile f(m_dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(data);
        return f.fileName();
    };
    const QString cert = write(QStringLiteral("check.crt"), client.certificatePem);
    const QString key = write(QStringLiteral("check.key"), client.keyPem);
    const auto ok = WorkspaceCredential::fromFiles(cert, key);
    QVERIFY2(ok, ok ? "" : qPrintable(ok.message()));
    QCOMPARE(ok->key, client.keyPem);
    const struct
    {
        QString cert;
        QString key;
        const char *problem;
    } bad[] = {
        {cert, QString(), "both files"},
        {cert, m_dir.filePath(QStringLiteral("missing.key")), "Cannot read the private key"},
        {key, key, "no PEM certificate"},
        {cert, cert, "no PEM private key"},
        {cert,
         write(QStringLiteral("locked.key"),
               "-----BEGIN ENCRYPTED PRIVATE KEY-----\nCCCC\n-----END ENCRYPTED PRIVATE KEY-----\n"),
         "passphrase"},
        {write(QStringLiteral("old.crt"), ca.issue({QStringLiteral("carol")}, -30, -1).certificatePem), key,
         "expired"},
        {write(QStringLiteral("huge.crt"), QByteArray(70 * 1024, 'A')), key, "64 KiB"},
    };
    for (const auto &b : bad) {
        const auto r = WorkspaceCredential::fromFiles(b.cert, b.key);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("workspace.certificate"));
        QVERIFY2(r.message().contains(QLatin1String(b.problem)), qPrintable(r.message()));
    }
}

void TestTeamWorkspace::joinWithClientCertificate()
{
    // Carol signs in with a client certificate (PostgreSQL's cert authentication over TLS,
    // verify-full): the dialog reads the files, the keychain keeps certificate and key, settings
    // never see them, and no copy of the key stays on disk after connecting.
    TestCa ca;
    const TestCertificate server = ca.issue({QStringLiteral("localhost"), QStringLiteral("127.0.0.1")});
    const TestCertificate client = ca.issueClient(QStringLiteral("carol"));
    const auto write = [this](const QString &name, const QByteArray &data) {
        QFile f(m_dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        f.write(data);
        return f.fileName();
    };
    const QString caFile = write(QStringLiteral("ca.pem"), ca.certificatePem());
    QProcess ssl;
    ssl.start(script(), {QStringLiteral("ssl"), m_dir.filePath(QStringLiteral("pg")), caFile,
                         write(QStringLiteral("server.pem"), server.certificatePem),
                         write(QStringLiteral("server.key"), server.keyPem), QStringLiteral("carol")});
    QVERIFY(ssl.waitForFinished(60000));
    QVERIFY2(ssl.exitCode() == 0, ssl.readAllStandardError().constData());
    QProcess add;
    add.start(QStringLiteral(OPSDECK_APP),
              {QStringLiteral("team"), QStringLiteral("person"), QStringLiteral("add"),
               QStringLiteral("carol"), QStringLiteral("--role"), QStringLiteral("user"),
               QStringLiteral("--url"), address(QStringLiteral("alice")), QStringLiteral("--data-dir"),
               m_dir.filePath(QStringLiteral("cli"))});
    QVERIFY(add.waitForFinished(60000));
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());
    const QString carol =
        QStringLiteral("postgresql://carol@127.0.0.1:%1/team?sslmode=verify-full&sslrootcert=%2")
            .arg(m_port)
            .arg(caFile);

    // Without the certificate, the server refuses carol.
    const auto refused =
        WorkspaceStore::openTeam(parseWorkspaceUrl(carol).value(), {}, QStringLiteral("carol-bare"));
    QVERIFY(!refused);
    QVERIFY2(refused.message().contains(QLatin1String("certificate")), qPrintable(refused.message()));

    const auto scratch = [] {
        return QDir(WorkspaceStore::credentialScratchBase())
            .entryList({QStringLiteral("opsdeck-tls-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    };
    const QStringList before = scratch();
    TeamWorkspaceDialog dialog(m_service, m_settings.get());
    QSignalSpy finished(&dialog, &TeamWorkspaceDialog::finishedJoining);
    dialog.addressEdit()->setText(carol);
    dialog.certificateEdit()->setText(write(QStringLiteral("carol.crt"), client.certificatePem));
    dialog.keyEdit()->setText(m_dir.filePath(QStringLiteral("nowhere.key")));
    dialog.joinButton()->click();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(dialog.messageText().contains(QLatin1String("Cannot read the private key")),
             qPrintable(dialog.messageText()));
    QVERIFY(m_settings->workspaceUrl().isEmpty());

    dialog.keyEdit()->setText(write(QStringLiteral("carol.key"), client.keyPem));
    dialog.joinButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
    QVERIFY2(finished.last().at(0).toBool(), qPrintable(dialog.messageText()));
    QCOMPARE(m_settings->workspaceUrl(), carol);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.stateText().contains(QLatin1String("postgresql://carol@")), 10000);
    QVERIFY(dialog.certificateEdit()->text().isEmpty());
    QCOMPARE(scratch(), before);

    // The keychain keeps the certificate and its key; the settings file has neither.
    QString kept;
    {
        QEventLoop loop;
        SecretStore::instance()->read(AppSettings::workspaceSecretKey(parseWorkspaceUrl(carol)->display()),
                                      &loop, [&](const Result<QString> &secret) {
                                          kept = secret ? secret.value() : secret.message();
                                          loop.quit();
                                      });
        QTimer::singleShot(15000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const WorkspaceCredential credential = WorkspaceCredential::fromSecret(kept);
    QVERIFY2(credential.hasCertificate(), qPrintable(kept.left(80)));
    QCOMPARE(credential.key, client.keyPem);
    for (const QString &file : QDir(m_dir.path()).entryList({QStringLiteral("*.ini")}, QDir::Files)) {
        QFile f(m_dir.filePath(file));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains("PRIVATE KEY"), qPrintable(file));
    }

    // A new start signs in again from the keychain's certificate alone.
    QSignalSpy state(m_service, &WorkspaceService::stateChanged);
    TeamWorkspaceDialog::signIn(m_service, m_settings.get(), this);
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty() && state.last().at(0).toBool(), 30000);
    QCOMPARE(scratch(), before);

    // Back to the local workspace for whatever runs next.
    m_settings->setWorkspaceUrl({});
    const QString local = m_settings->localWorkspacePath();
    QMetaObject::invokeMethod(m_service,
                              [service = m_service, local] { service->leave(local, QStringLiteral("me")); });
    QTRY_VERIFY_WITH_TIMEOUT(!people().contains(QStringLiteral("carol")), 10000);
}

QTEST_MAIN(TestTeamWorkspace)
#include "tst_teamworkspace.moc"
