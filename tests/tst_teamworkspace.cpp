// File › Team Workspace… against a real PostgreSQL 15 (tests/support/postgres.sh): a join that
// cannot sign in says why and keeps nothing; a join that can is kept (address in settings) and the
// Users pane's copy becomes the team's; leaving goes back to the desktop's own local workspace.
// signIn() at start opens whichever the data directory uses.
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/servicehost.h"
#include "services/workspace/workspaceservice.h"
#include "services/workspace/workspacestore.h"
#include "testprocess.h"
#include "testutil.h"
#include "ui/workspace/teamworkspacedialog.h"

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

QTEST_MAIN(TestTeamWorkspace)
#include "tst_teamworkspace.moc"
