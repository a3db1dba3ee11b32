// The first-run introduction: shown once per person on a start with no connections, once the
// workspace's copy names the person; each of its choices; recorded in the workspace (a real local
// store) and in settings.ini; reopened from Help.
#include "models/connections/connectionsmodel.h"
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/connections/connectionservice.h"
#include "services/servicehost.h"
#include "services/workspace/workspaceservice.h"
#include "ui/connections/connectionsdialog.h"
#include "ui/introductiondialog.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QComboBox>
#include <QCommandLinkButton>
#include <QMenuBar>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestIntroduction : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void shownOnceThePersonIsKnown();
    void notShownAgain();
    void notShownWithAConnection();
    void reopenedFromHelp();

private:
    std::unique_ptr<MainWindow> makeWindow(AppSettings *settings, bool demo = false);
    bool introDone();
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<ServiceHost> m_host;
    ConnectionService *m_connections = nullptr;
    WorkspaceService *m_workspace = nullptr;
    std::unique_ptr<ConnectionsModel> m_model;
};

std::unique_ptr<MainWindow> TestIntroduction::makeWindow(AppSettings *settings, bool demo)
{
    PaneContext context;
    context.workspace = m_workspace;
    context.settings = settings;
    auto window = std::make_unique<MainWindow>(m_model.get(), m_connections, context, settings, demo);
    window->resize(1000, 700);
    return window;
}

bool TestIntroduction::introDone()
{
    const auto acting = readActing(Database::connection());
    return acting && acting->person && acting->person->introDone;
}

void TestIntroduction::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_model = std::make_unique<ConnectionsModel>();
    QSignalSpy loaded(m_model.get(), &ConnectionsModel::loaded);
    m_model->reload();
    QTRY_VERIFY(!loaded.isEmpty());
    QCOMPARE(m_model->rowCount(), 0);
    m_settings = std::make_unique<AppSettings>(m_dir.path());
    m_host = std::make_unique<ServiceHost>();
    m_connections = m_host->add(new ConnectionService, QStringLiteral("connections"));
    m_workspace = m_host->add(new WorkspaceService, QStringLiteral("workspace"));
    m_host->startAll();
}

void TestIntroduction::cleanupTestCase()
{
    m_host->stopAll();
    m_model.reset();
    Database::close();
}

void TestIntroduction::shownOnceThePersonIsKnown()
{
    auto window = makeWindow(m_settings.get());
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QSignalSpy demo(window.get(), &MainWindow::demoRequested);

    // No workspace copy yet: nobody to show it to, so the window waits.
    window->offerIntroduction();
    QTest::qWait(100);
    QVERIFY(!window->introductionDialog());

    // The workspace service opens the local store as ada: the copy names her, and it appears.
    QSignalSpy state(m_workspace, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("workspace.sqlite"));
    QMetaObject::invokeMethod(m_workspace,
                              [this, path] { m_workspace->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));
    QTRY_VERIFY(window->introductionDialog());
    IntroductionDialog *intro = window->introductionDialog();
    QTRY_VERIFY(intro->isVisible());
    QVERIFY(!introDone());

    // A button for each kind of connection, named for a screen reader; the team and the demo.
    for (ConnectionKind kind : allKinds()) {
        QCommandLinkButton *add = intro->addButton(kind);
        QVERIFY(add);
        QVERIFY(add->isEnabled());
        QCOMPARE(add->text(), kindDisplayName(kind));
        QVERIFY(add->accessibleName().contains(kindDisplayName(kind)));
        QVERIFY(!IntroductionDialog::kindPurpose(kind).isEmpty());
    }
    QVERIFY(intro->joinButton()->isEnabled());
    QVERIFY(intro->demoButton()->isEnabled());
    QCOMPARE(demo.size(), 0);

    // Add a Docker host: the introduction closes, the Connections dialog opens on a new Docker
    // connection, and that ada has seen it is recorded in the store (the copy follows) and here.
    QSignalSpy recorded(m_workspace, &WorkspaceService::introductionRecorded);
    intro->addButton(ConnectionKind::Docker)->click();
    QTRY_VERIFY(!window->introductionDialog());
    QVERIFY(window->connectionsDialog());
    QTRY_VERIFY(window->connectionsDialog()->isVisible());
    QCOMPARE(window->connectionsDialog()->kindCombo()->currentData().toInt(), int(ConnectionKind::Docker));
    QTRY_COMPARE(recorded.size(), 1);
    QVERIFY2(recorded.first().at(0).toBool(), qPrintable(recorded.first().at(1).toString()));
    QTRY_VERIFY(introDone());
    QCOMPARE(m_settings->introductionSeen(), QStringList{QStringLiteral("ada")});
    QCOMPARE(AppSettings(m_dir.path()).introductionSeen(), QStringList{QStringLiteral("ada")});
    window->connectionsDialog()->close();
}

void TestIntroduction::notShownAgain()
{
    // The store says ada has seen it: a new start does not show it again.
    QVERIFY(introDone());
    {
        auto window = makeWindow(m_settings.get());
        window->show();
        window->offerIntroduction();
        QTest::qWait(200);
        QVERIFY(!window->introductionDialog());
    }
    // With the store's mark gone (as when the team store could not be told), settings.ini still
    // remembers her on this desktop; a desktop that does not is shown it.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE workspace_people SET intro_done = 0 WHERE login = 'ada'")));
    QVERIFY(!introDone());
    {
        auto window = makeWindow(m_settings.get());
        window->show();
        window->offerIntroduction();
        QTest::qWait(200);
        QVERIFY(!window->introductionDialog());
    }
    AppSettings other(m_dir.filePath(QStringLiteral("other")));
    auto window = makeWindow(&other);
    window->show();
    window->offerIntroduction();
    QTRY_VERIFY(window->introductionDialog());
    // Closed without a choice, it counts as seen too.
    window->introductionDialog()->reject();
    QTRY_VERIFY(!window->introductionDialog());
    QCOMPARE(other.introductionSeen(), QStringList{QStringLiteral("ada")});
    QTRY_VERIFY(introDone());
    // The demo never offers it.
    AppSettings third(m_dir.filePath(QStringLiteral("third")));
    QVERIFY(q.exec(QStringLiteral("UPDATE workspace_people SET intro_done = 0 WHERE login = 'ada'")));
    auto demo = makeWindow(&third, true);
    demo->show();
    demo->offerIntroduction();
    QTest::qWait(200);
    QVERIFY(!demo->introductionDialog());
}

void TestIntroduction::notShownWithAConnection()
{
    // ada has not seen it here, but a connection exists: she found her way without it.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE workspace_people SET intro_done = 0 WHERE login = 'ada'")));
    QSignalSpy saved(m_connections, &ConnectionService::saved);
    Connection c;
    c.name = QStringLiteral("build-host");
    c.kind = ConnectionKind::Docker;
    c.endpoint = QStringLiteral("unix:///run/podman/podman.sock");
    c.auth = AuthKind::None;
    QMetaObject::invokeMethod(m_connections,
                              [this, c] { m_connections->save(1, c, QString(), false, false); });
    QTRY_COMPARE(saved.size(), 1);
    QVERIFY2(saved.first().at(2).value<Outcome>().ok,
             qPrintable(saved.first().at(2).value<Outcome>().message));
    QTRY_COMPARE(m_model->rowCount(), 1);
    AppSettings fresh(m_dir.filePath(QStringLiteral("fresh")));
    auto window = makeWindow(&fresh);
    window->show();
    window->offerIntroduction();
    QTest::qWait(200);
    QVERIFY(!window->introductionDialog());
}

void TestIntroduction::reopenedFromHelp()
{
    // Help › Introduction opens it whatever the state; Open the Demo asks the application for the
    // demo. In the demo itself, joining a team and opening another demo are not offered.
    auto window = makeWindow(m_settings.get());
    window->show();
    QAction *action = window->menuBar()->findChild<QAction *>(QStringLiteral("introductionAction"));
    QVERIFY(action);
    QSignalSpy demo(window.get(), &MainWindow::demoRequested);
    action->trigger();
    QTRY_VERIFY(window->introductionDialog() && window->introductionDialog()->isVisible());
    window->introductionDialog()->demoButton()->click();
    QCOMPARE(demo.size(), 1);
    QTRY_VERIFY(!window->introductionDialog());

    auto inDemo = makeWindow(m_settings.get(), true);
    inDemo->show();
    inDemo->openIntroduction();
    QTRY_VERIFY(inDemo->introductionDialog());
    QVERIFY(!inDemo->introductionDialog()->joinButton()->isEnabled());
    QVERIFY(!inDemo->introductionDialog()->demoButton()->isEnabled());
    QVERIFY(inDemo->introductionDialog()->addButton(ConnectionKind::GitHub)->isEnabled());
}

QTEST_MAIN(TestIntroduction)
#include "tst_introduction.moc"
