// UI smoke test on the demo workspace: every pane opens and shows a real empty state, panes
// switch with the keyboard, the quick switcher filters and jumps, the Connections dialog
// validates input, the last pane and geometry are restored, and screenshots are written.
#include "models/budgets/budgettree.h"
#include "models/connections/connectionsmodel.h"
#include "models/core/appsettings.h"
#include "models/deploy/jobsmodel.h"
#include "models/docker/containersmodel.h"
#include "models/docker/hostimage.h"
#include "models/docker/logmodel.h"
#include "models/github/runnerpolicystore.h"
#include "models/github/runnersmodel.h"
#include "models/images/gatemodels.h"
#include "models/images/imagesmodels.h"
#include "models/store/database.h"
#include "models/workspace/offboardingmodel.h"
#include "models/workspace/peoplemodel.h"
#include "models/workspace/personactivity.h"
#include "services/budgets/litellmservice.h"
#include "services/connections/connectionservice.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/images/registryservice.h"
#include "services/servicehost.h"
#include "services/store/auditservice.h"
#include "services/store/demoworkspace.h"
#include "services/tunnel/tunnelservice.h"
#include "testutil.h"
#include "ui/common/emptystate.h"
#include "ui/common/tones.h"
#include "ui/connections/connectionsdialog.h"
#include "ui/connections/connectionstatusbar.h"
#include "ui/mainwindow.h"
#include "ui/panes/audit/auditlogpane.h"
#include "ui/panes/budgets/alertstab.h"
#include "ui/panes/budgets/attributiontab.h"
#include "ui/panes/budgets/bindingpanel.h"
#include "ui/panes/budgets/budgetdialogs.h"
#include "ui/panes/budgets/budgetspane.h"
#include "ui/panes/budgets/renewaltab.h"
#include "ui/panes/deployments/containerdialogs.h"
#include "ui/panes/deployments/deploydialog.h"
#include "ui/panes/deployments/deploymentspane.h"
#include "ui/panes/deployments/logview.h"
#include "ui/panes/deployments/quickservicedialog.h"
#include "ui/panes/deployments/routedialog.h"
#include "ui/panes/images/gatetab.h"
#include "ui/panes/images/imagedialogs.h"
#include "ui/panes/images/imagespane.h"
#include "ui/panes/pane.h"
#include "ui/panes/runners/runnerdialogs.h"
#include "ui/panes/runners/runnerspane.h"
#include "ui/panes/testrunspane.h"
#include "ui/panes/users/offboardingdialog.h"
#include "ui/panes/users/userspane.h"
#include "ui/quickswitcher.h"
#include "ui/screenshots.h"
#include "ui/settingsdialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QAreaSeries>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScatterSeries>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStackedBarSeries>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <functional>

#include <QTimer>
#include <algorithm>

using namespace opsdeck;

class TestUi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void panesAreBuiltWhenFirstShown();
    void everyPaneHasAnEmptyState();
    void keyboardSwitching();
    void quickSwitcher();
    void statusBarShowsStates();
    void connectionsDialogValidates();
    void refreshRunsHealthCheck();
    void runnerDialogsCheckInput();
    void deploymentsPaneFilters();
    void usersPaneFromTheWorkspaceCopy();
    void imagesPaneFromTheDemo();
    void budgetsPaneFromTheDemo();
    void actionsFollowPermissions();
    void logViewRingBuffer();
    void removeContainerNamesVolumes();
    void quickServiceDialogChecks();
    void jobsListAndLog();
    void tunnelTab();
    void deployDialogChecks();
    void lastPaneRestored();
    void languageMenuKeepsTheChoice();
    void settingsDialogAppliesEachSetting();
    void screenshots();

private:
    std::unique_ptr<MainWindow> makeWindow();
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<ServiceHost> m_host;
    ConnectionService *m_service = nullptr;
    AuditService *m_audit = nullptr;
    GitHubService *m_github = nullptr;
    DockerService *m_docker = nullptr;
    DeployService *m_deploy = nullptr;
    TunnelService *m_tunnel = nullptr;
    RegistryService *m_registry = nullptr;
    LiteLLMService *m_budgets = nullptr;
    std::unique_ptr<ConnectionsModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<MainWindow> m_window;
};

std::unique_ptr<MainWindow> TestUi::makeWindow()
{
    auto window = std::make_unique<MainWindow>(m_model.get(), m_service,
                                               PaneContext{nullptr, m_audit, m_github, m_docker, m_deploy,
                                                           m_tunnel, nullptr, nullptr, m_registry, m_budgets},
                                               m_settings.get(), true);
    window->resize(1280, 800);
    return window;
}

void TestUi::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    m_model = std::make_unique<ConnectionsModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(DemoWorkspace::seed().ok());
    QTRY_VERIFY(m_model->rowCount() >= 6);
    QVERIFY(DemoWorkspace::seed().ok()); // seeding twice does not duplicate
    QTest::qWait(100);
    const int seeded = m_model->rowCount();
    m_model->reload();
    QTest::qWait(100);
    QCOMPARE(m_model->rowCount(), seeded);

    m_settings = std::make_unique<AppSettings>(m_dir.path());
    m_host = std::make_unique<ServiceHost>();
    m_service = m_host->add(new ConnectionService, QStringLiteral("connections"));
    m_service->setDemoMode(true);
    m_audit = m_host->add(new AuditService, QStringLiteral("audit"));
    m_github = new GitHubService;
    m_github->setDemoMode(true);
    m_host->add(m_github, QStringLiteral("github"));
    m_docker = new DockerService;
    m_docker->setDemoMode(true);
    m_host->add(m_docker, QStringLiteral("docker"));
    m_deploy = new DeployService;
    m_deploy->setDemoMode(true);
    m_host->add(m_deploy, QStringLiteral("deploy"));
    m_tunnel = new TunnelService;
    m_tunnel->setDemoMode(true);
    m_host->add(m_tunnel, QStringLiteral("tunnel"));
    m_registry = new RegistryService;
    m_registry->setDemoMode(true);
    m_host->add(m_registry, QStringLiteral("registry"));
    m_budgets = new LiteLLMService;
    m_budgets->setDemoMode(true);
    m_host->add(m_budgets, QStringLiteral("litellm"));
    m_window = makeWindow();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestUi::cleanupTestCase()
{
    m_window.reset();
    m_host->stopAll();
    m_tester.reset();
    m_model.reset();
    Database::close();
}

void TestUi::panesAreBuiltWhenFirstShown()
{
    // A second window, on settings whose last pane was Deployments: only that pane is built before
    // the first paint; the sidebar, menus and quick switcher know all seven already.
    m_settings->setLastPane(QStringLiteral("deployments"));
    auto window = makeWindow();
    QCOMPARE(window->paneCount(), 7);
    QVERIFY(window->isPaneBuilt(2));
    for (int row : {0, 1, 3, 4, 5, 6})
        QVERIFY2(!window->isPaneBuilt(row), qPrintable(QString::number(row)));
    QCOMPARE(window->currentPane()->id(), QStringLiteral("deployments"));
    auto *sidebar = window->findChild<QListWidget *>(QStringLiteral("sidebar"));
    QVERIFY(sidebar);
    QCOMPARE(sidebar->count(), 7);
    QCOMPARE(sidebar->item(6)->text(), AuditLogPane::describe().title);
    // Shown on demand: Ctrl+7's pane is built when it is chosen.
    sidebar->setCurrentRow(6);
    QVERIFY(window->isPaneBuilt(6));
    QCOMPARE(window->currentPane()->id(), QStringLiteral("audit"));
    QVERIFY(!window->isPaneBuilt(0));
    // After the first paint: firstPainted once, and the rest built in idle time.
    QSignalSpy painted(window.get(), &MainWindow::firstPainted);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QTRY_COMPARE(painted.count(), 1);
    QTRY_VERIFY(window->isPaneBuilt(0) && window->isPaneBuilt(1) && window->isPaneBuilt(5));
    window->update();
    QTest::qWait(50);
    QCOMPARE(painted.count(), 1);
    m_settings->setLastPane(QStringLiteral("runners"));
    // The main window of the other tests takes the focus back (shortcuts go to the active window).
    window.reset();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestUi::everyPaneHasAnEmptyState()
{
    const QStringList expected{QStringLiteral("runners"),     QStringLiteral("users"),
                               QStringLiteral("deployments"), QStringLiteral("images"),
                               QStringLiteral("budgets"),     QStringLiteral("testruns"),
                               QStringLiteral("audit")};
    QStringList ids;
    for (Pane *pane : m_window->panes()) {
        ids << pane->id();
        QVERIFY(m_window->showPane(pane->id()));
        QCOMPARE(m_window->currentPane(), pane);
        if (pane->id() == QLatin1String("runners")) {
            // The demo has runners: the pane shows them, filterable.
            auto *runners = static_cast<RunnersPane *>(pane);
            QTRY_VERIFY(runners->model()->rowCount() >= 300);
            QVERIFY(runners->proxy()->rowCount() < runners->model()->rowCount()); // removed ones are history
            QTest::keyClicks(runners->filterEdit(), QStringLiteral("gpu-a100"));
            QTRY_VERIFY(runners->proxy()->rowCount() > 0);
            for (int r = 0; r < runners->proxy()->rowCount(); ++r)
                QVERIFY(
                    runners->proxy()->index(r, 0).data().toString().startsWith(QStringLiteral("gpu-a100")));
            runners->filterEdit()->clear();
            runners->statusCombo()->setCurrentIndex(
                runners->statusCombo()->findData(QStringLiteral("removed")));
            QCOMPARE(runners->proxy()->rowCount(), 12); // six per GitHub connection in the demo
            runners->statusCombo()->setCurrentIndex(0);
            // Busy, label and provisioned-by filters, each narrowing to exactly its rows.
            const int current = runners->proxy()->rowCount();
            runners->busyCombo()->setCurrentIndex(runners->busyCombo()->findData(QStringLiteral("idle")));
            QVERIFY(runners->proxy()->rowCount() > 0 && runners->proxy()->rowCount() < current);
            for (int r = 0; r < runners->proxy()->rowCount(); ++r)
                QVERIFY(
                    !runners->proxy()->index(r, RunnersModel::Busy).data(CacheTableModel::RawRole).toBool());
            runners->busyCombo()->setCurrentIndex(0);
            const int arm = runners->labelCombo()->findData(QStringLiteral("arm-build"));
            QVERIFY(arm > 0);
            runners->labelCombo()->setCurrentIndex(arm);
            QVERIFY(runners->proxy()->rowCount() > 0);
            for (int r = 0; r < runners->proxy()->rowCount(); ++r)
                QVERIFY(runners->proxy()
                            ->index(r, RunnersModel::Labels)
                            .data()
                            .toString()
                            .contains(QStringLiteral("arm-build")));
            runners->labelCombo()->setCurrentIndex(0);
            const int alice = runners->ownerCombo()->findData(QStringLiteral("alice"));
            QVERIFY(alice > 1);
            runners->ownerCombo()->setCurrentIndex(alice);
            QVERIFY(runners->proxy()->rowCount() > 0);
            for (int r = 0; r < runners->proxy()->rowCount(); ++r)
                QVERIFY(runners->proxy()
                            ->index(r, RunnersModel::Provisioned)
                            .data()
                            .toString()
                            .startsWith(QStringLiteral("alice, ")));
            runners->ownerCombo()->setCurrentIndex(1); // not provisioned by Opsdeck
            for (int r = 0; r < runners->proxy()->rowCount(); ++r)
                QVERIFY(runners->proxy()->index(r, RunnersModel::Provisioned).data().toString().isEmpty());
            runners->ownerCombo()->setCurrentIndex(0);
            QCOMPARE(runners->proxy()->rowCount(), current);
            runners->view()->setCurrentIndex(runners->proxy()->index(0, 0));
            QVERIFY(runners->detailText().contains(QStringLiteral("System labels")));
            QVERIFY(runners->detailText().contains(QStringLiteral("self-hosted")));
            continue;
        }
        if (pane->id() == QLatin1String("deployments")) {
            // The demo has containers: the table replaces the empty state.
            QTRY_VERIFY(static_cast<DeploymentsPane *>(pane)->view()->isVisible());
            continue;
        }
        if (pane->id() == QLatin1String("images")) {
            // The demo has an allowlist and registries: the tabs replace the empty state.
            QTRY_VERIFY(static_cast<ImagesPane *>(pane)->allowlistView()->isVisible());
            continue;
        }
        if (pane->id() == QLatin1String("budgets")) {
            // The demo has a LiteLLM proxy's budgets: the tree replaces the empty state.
            QTRY_VERIFY(static_cast<BudgetsPane *>(pane)->treeView()->isVisible());
            continue;
        }
        if (pane->id() == QLatin1String("users")) {
            // The demo has a copy of a team workspace: the people replace the empty state.
            QTRY_VERIFY(static_cast<UsersPane *>(pane)->view()->isVisible());
            continue;
        }
        if (pane->id() == QLatin1String("testruns")) {
            // Runs come from files as well as connections: the list is there from the start, with
            // how to import reports when it is empty.
            QTRY_VERIFY(static_cast<TestRunsPane *>(pane)->runsView()->isVisible());
            continue;
        }
        if (pane->id() == QLatin1String("audit")) {
            // The audit log has its real view: the table, with the count above it.
            QVERIFY(m_window->auditPane()->view()->isVisible());
            continue;
        }
        auto *empty = pane->findChild<EmptyState *>();
        QVERIFY(empty);
        QVERIFY(empty->isVisible());
        const auto labels = empty->findChildren<QLabel *>();
        int texts = 0;
        for (QLabel *label : labels)
            if (label->text().size() > 40)
                ++texts;
        QVERIFY2(texts >= 1, qPrintable(pane->id()));
        QVERIFY(!pane->icon().isNull());
    }
    QCOMPARE(ids, expected);
    QVERIFY(m_window->panes().first()->connectionIds().size() >= 2);
}

void TestUi::keyboardSwitching()
{
    m_window->activateWindow();
    m_window->showPane(QStringLiteral("runners"));
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane()->id(), QStringLiteral("deployments"));
    QTest::keyClick(m_window.get(), Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane()->id(), QStringLiteral("images"));
    QTest::keyClick(m_window.get(), Qt::Key_PageUp, Qt::ControlModifier);
    QTest::keyClick(m_window.get(), Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane()->id(), QStringLiteral("users"));
    QTest::keyClick(m_window.get(), Qt::Key_7, Qt::ControlModifier);
    QCOMPARE(m_window->currentPane()->id(), QStringLiteral("audit"));
    // Arrow keys in the sidebar.
    auto *sidebar = m_window->findChild<QListWidget *>(QStringLiteral("sidebar"));
    QVERIFY(sidebar);
    sidebar->setFocus();
    QTest::keyClick(sidebar, Qt::Key_Up);
    QCOMPARE(m_window->currentPane()->id(), QStringLiteral("testruns"));
}

void TestUi::quickSwitcher()
{
    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    QuickSwitcher *switcher = m_window->quickSwitcher();
    QTRY_VERIFY(switcher->isVisible());
    QCOMPARE(switcher->visibleCount(), int(m_window->panes().size()) + m_model->rowCount());
    QTest::keyClicks(switcher->filterEdit(), QStringLiteral("budg"));
    QCOMPARE(switcher->visibleCount(), 1);
    QTest::keyClick(switcher->filterEdit(), Qt::Key_Return);
    QVERIFY(!switcher->isVisible());
    QCOMPARE(m_window->currentPane()->id(), QStringLiteral("budgets"));

    // A connection entry opens the Connections dialog on it.
    m_window->openQuickSwitcher();
    QTest::keyClicks(switcher->filterEdit(), QStringLiteral("harbor connection"));
    QCOMPARE(switcher->visibleCount(), 1);
    QTest::keyClick(switcher->filterEdit(), Qt::Key_Return);
    QTRY_VERIFY(m_window->connectionsDialog() && m_window->connectionsDialog()->isVisible());
    QCOMPARE(m_window->connectionsDialog()->formConnection().kind, ConnectionKind::Harbor);
    m_window->connectionsDialog()->hide();
}

void TestUi::statusBarShowsStates()
{
    ConnectionStatusBar *status = m_window->connectionStatus();
    int offline = 0, failed = 0, connected = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const Connection c = m_model->connectionAt(row);
        const QString text = status->entryText(c.id);
        QVERIFY2(text.startsWith(c.name), qPrintable(text));
        if (text.contains(QStringLiteral("offline, data from")))
            ++offline;
        if (text.endsWith(QStringLiteral(": error")))
            ++failed;
        if (text.endsWith(QStringLiteral(": connected")))
            ++connected;
    }
    QCOMPARE(offline, 1);
    QCOMPARE(failed, 1);
    QVERIFY(connected >= 4);

    const qint64 id = m_model->connectionAt(0).id;
    m_model->setSyncing(id, true, 30);
    QVERIFY(status->entryText(id).endsWith(QStringLiteral(": syncing")));
    m_model->setSyncing(id, false);
}

void TestUi::connectionsDialogValidates()
{
    m_window->openConnections(ConnectionKind::GitHub);
    ConnectionsDialog *dialog = m_window->connectionsDialog();
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->formConnection().id, 0);
    QCOMPARE(dialog->formConnection().endpoint, QStringLiteral("https://api.github.com"));

    // Empty name: refused with a message naming the field, nothing sent to the service.
    QSignalSpy saved(m_service, &ConnectionService::saved);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QVERIFY(dialog->message().contains(QStringLiteral("name")));
    dialog->nameEdit()->setText(QStringLiteral("new gh"));
    dialog->endpointEdit()->setText(QStringLiteral("not a url"));
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QVERIFY2(dialog->message().contains(QStringLiteral("not a valid URL")), qPrintable(dialog->message()));
    dialog->endpointEdit()->setText(QStringLiteral("https://ghe.acme.internal/api/v3"));
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QVERIFY2(dialog->message().contains(QStringLiteral("organization")), qPrintable(dialog->message()));
    dialog->orgEdit()->setText(QStringLiteral("acme"));
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QVERIFY2(dialog->message().contains(QStringLiteral("secret")), qPrintable(dialog->message()));
    QCOMPARE(saved.count(), 0);

    // Switching the kind offers only that kind's auth methods.
    dialog->startNew(ConnectionKind::Harbor);
    QCOMPARE(dialog->authCombo()->count(), 1);
    QCOMPARE(dialog->formConnection().auth, AuthKind::Basic);
    dialog->startNew(ConnectionKind::Docker);
    QCOMPARE(dialog->formConnection().auth, AuthKind::None);
    QVERIFY(!dialog->secretEdit()->isVisibleTo(dialog));

    // A demo workspace never contacts a server.
    dialog->nameEdit()->setText(QStringLiteral("docker 2"));
    QSignalSpy tested(m_service, &ConnectionService::tested);
    QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(tested.count() > 0, 5000); // count, not wait(): the signal may come first
    QTRY_VERIFY(dialog->message().contains(QStringLiteral("demo workspace")));
    dialog->hide();
}

void TestUi::refreshRunsHealthCheck()
{
    m_window->showPane(QStringLiteral("deployments"));
    // Offscreen there is no window manager to hand focus back after the dialog closed.
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    // Docker hosts refresh through the Docker service; the tunnel has a health check until its
    // own sync exists.
    QSignalSpy started(m_service, &ConnectionService::syncStarted);
    QSignalSpy finished(m_service, &ConnectionService::syncFinished);
    QSignalSpy dockerFinished(m_docker, &DockerService::syncFinished);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE(finished.count() + dockerFinished.count(),
                 int(m_window->currentPane()->connectionIds().size()));
    QCOMPARE(started.count(), finished.count());
    QCOMPARE(dockerFinished.count(), 2); // two Docker hosts in the demo
    QCOMPARE(finished.count(), 1);       // and the Cloudflare tunnel
}

void TestUi::runnerDialogsCheckInput()
{
    // The demo policy: custom labels team-*, gpu-N, arm-build, xcode-*; privileged forbidden.
    const qint64 github = m_window->panes().first()->connectionIds().first();
    const auto policy = RunnerPolicyStore::load(Database::connection(), github);
    QVERIFY(policy.ok());
    NewRunnerDialog dialog(
        m_github, github,
        {RunnerScope{QStringLiteral("acme"), {}}, RunnerScope{QStringLiteral("acme"), QStringLiteral("app")}},
        policy.value());
    QCOMPARE(dialog.scopeCombo()->count(), 2);
    QVERIFY(dialog.scopeCombo()->isEnabled());
    QCOMPARE(dialog.scopeCombo()->itemData(1).toString(), QStringLiteral("repo:acme/app"));
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("runnerName"));
    auto *labels = dialog.findChild<QLineEdit *>(QStringLiteral("runnerLabels"));
    QVERIFY(name && labels);
    QTest::keyClicks(name, QStringLiteral("ci-linux-x64-900"));
    QTest::keyClicks(labels, QStringLiteral("linux, prod, privileged"));
    QVERIFY2(dialog.problems().contains(QStringLiteral("\"prod\" matches none")),
             qPrintable(dialog.problems()));
    QVERIFY(dialog.problems().contains(QStringLiteral("\"privileged\" is forbidden")));
    labels->clear();
    QTest::keyClicks(labels, QStringLiteral("linux, team-platform"));
    QCOMPARE(dialog.problems(), QString());
    name->setText(QStringLiteral("bad name"));
    QVERIFY(dialog.problems().contains(QStringLiteral("bad name")));

    PolicyDialog policyDialog(m_github, github, policy.value());
    QVERIFY(policyDialog.policyFromForm().ok());
    auto *allowed = policyDialog.findChild<QPlainTextEdit *>();
    allowed->setPlainText(QStringLiteral("re:gpu-[0-9"));
    QVERIFY(!policyDialog.policyFromForm().ok());
    QCOMPARE(policyDialog.policyFromForm().error().code, QStringLiteral("policy.pattern"));

    RemoveRunnersDialog remove(m_github, github, {{1001, QStringLiteral("ci-linux-arm-001")}});
    QPushButton *removeButton = nullptr;
    for (QPushButton *b : remove.findChildren<QPushButton *>())
        if (b->text().contains(QStringLiteral("Remove")))
            removeButton = b;
    QVERIFY(removeButton);
    QVERIFY(!removeButton->isEnabled()); // a comment is mandatory
    QTest::keyClicks(remove.findChild<QLineEdit *>(), QStringLiteral("rack 4 retired"));
    QVERIFY(removeButton->isEnabled());

    QVERIFY(driftPlan(Database::connection(), github)->size() > 0); // the demo has drifted runners
}

void TestUi::deploymentsPaneFilters()
{
    // The demo: containers in every state across compose projects and quick services.
    QVERIFY(m_window->showPane(QStringLiteral("deployments")));
    auto *pane = qobject_cast<DeploymentsPane *>(m_window->currentPane());
    QVERIFY(pane);
    QTRY_VERIFY(pane->model()->rowCount() >= 15);
    QSet<QString> states;
    for (int r = 0; r < pane->model()->rowCount(); ++r)
        states.insert(pane->model()->index(r, ContainersModel::State).data().toString());
    for (const char *state : {"running", "exited", "created", "paused", "restarting", "dead"})
        QVERIFY2(states.contains(QLatin1String(state)), state);
    const int shop = pane->projectCombo()->findData(QStringLiteral("shop"));
    QVERIFY(shop > 1);
    pane->projectCombo()->setCurrentIndex(shop);
    QCOMPARE(pane->proxy()->rowCount(), 4);
    for (int r = 0; r < pane->proxy()->rowCount(); ++r)
        QCOMPARE(pane->proxy()->index(r, ContainersModel::Project).data().toString(), QStringLiteral("shop"));
    pane->stateCombo()->setCurrentIndex(pane->stateCombo()->findData(QStringLiteral("running")));
    QCOMPARE(pane->proxy()->rowCount(), 3);   // the redis container is restarting
    pane->projectCombo()->setCurrentIndex(1); // no project
    for (int r = 0; r < pane->proxy()->rowCount(); ++r)
        QVERIFY(pane->proxy()->index(r, ContainersModel::Project).data().toString().isEmpty());
    pane->projectCombo()->setCurrentIndex(0);
    pane->stateCombo()->setCurrentIndex(0);
    QTest::keyClicks(pane->filterEdit(), QStringLiteral("excalidraw"));
    QCOMPARE(pane->proxy()->rowCount(), 2);
    pane->filterEdit()->clear();
    QCOMPARE(pane->proxy()->rowCount(), pane->model()->rowCount());
    // The host tab: version and disk usage with what can be reclaimed.
    QVERIFY2(pane->hostText().contains(QStringLiteral("27.3.1")), qPrintable(pane->hostText()));
    QVERIFY2(pane->hostText().contains(QStringLiteral("API 1.24 to 1.47")) &&
                 pane->hostText().contains(QStringLiteral("Opsdeck speaks API 1.47 with it")),
             qPrintable(pane->hostText()));
    auto *disk = pane->findChild<QTableWidget *>();
    QVERIFY(disk);
    QCOMPARE(disk->rowCount(), 4);
    QVERIFY(disk->item(0, 4)->text().contains(QLatin1Char('%')));
    // No selection: actions say what to do instead of failing silently.
    pane->view()->clearSelection();
    pane->showLogs();
    QVERIFY(pane->message().contains(QStringLiteral("Select")));
}

void TestUi::actionsFollowPermissions()
{
    // The demo desktop acts as alice (a superuser): everything is enabled. As erin (a user), the
    // label policy and container actions are disabled, each with the reason as its tooltip, while
    // a just-in-time runner stays allowed; back as alice, all are enabled again.
    QVERIFY(m_window->showPane(QStringLiteral("runners")));
    QWidget *runners = m_window->currentPane();
    const auto button = [](QWidget *pane, const QString &text) {
        for (QPushButton *b : pane->findChildren<QPushButton *>())
            if (b->text() == text)
                return b;
        return static_cast<QPushButton *>(nullptr);
    };
    QPushButton *policy = button(runners, QStringLiteral("Label &policy…"));
    QPushButton *add = button(runners, QStringLiteral("&New runner…"));
    QVERIFY(policy && add);
    QVERIFY(policy->isEnabled());
    const auto actAs = [](const QString &login) {
        CacheTransaction tx;
        QVERIFY(tx.begin());
        QSqlQuery q(tx.db());
        q.prepare(QStringLiteral("UPDATE workspace_state SET login = ? WHERE id = 1"));
        q.addBindValue(login);
        QVERIFY(q.exec());
        tx.touch(QStringLiteral("workspace_state"));
        QVERIFY(tx.commit());
    };
    actAs(QStringLiteral("erin"));
    QTRY_VERIFY(!policy->isEnabled());
    QVERIFY2(policy->toolTip().contains(QLatin1String("erin may not policy.update")),
             qPrintable(policy->toolTip()));
    QVERIFY(add->isEnabled());
    QVERIFY(m_window->showPane(QStringLiteral("deployments")));
    QWidget *deployments = m_window->currentPane();
    QPushButton *stop = button(deployments, QStringLiteral("S&top"));
    QVERIFY(stop);
    QTRY_VERIFY(!stop->isEnabled());
    QVERIFY2(stop->toolTip().contains(QLatin1String("not allowed")), qPrintable(stop->toolTip()));
    // A deploy's host is chosen in its dialog: a grant for one host is enough to offer it.
    QPushButton *quick = button(deployments, QStringLiteral("&Quick service…"));
    QVERIFY(quick);
    QTRY_VERIFY(!quick->isEnabled());
    const auto grant = [](const QString &sql) {
        CacheTransaction tx;
        QVERIFY(tx.begin());
        QSqlQuery q(tx.db());
        QVERIFY(q.exec(sql));
        tx.touch(QStringLiteral("workspace_grants"));
        QVERIFY(tx.commit());
    };
    grant(QStringLiteral(
        "INSERT INTO workspace_grants (id, subject_kind, subject, action, scope, effect, granted_by) "
        "VALUES (999, 'person', 'erin', 'deploy.start', 'connection:build-host-01', 'allow', 'bob')"));
    QTRY_VERIFY(quick->isEnabled());
    grant(QStringLiteral("DELETE FROM workspace_grants WHERE id = 999"));
    QTRY_VERIFY(!quick->isEnabled());
    actAs(QStringLiteral("alice"));
    QTRY_VERIFY(stop->isEnabled());
    QVERIFY(policy->isEnabled());
    QCOMPARE(policy->toolTip(), QString());
}

void TestUi::budgetsPaneFromTheDemo()
{
    // The demo proxy's budget tree, with nearly spent and over-budget rows; the filters; which limit
    // binds for a team key whose member budget is spent, and a "what if" for a team.
    QVERIFY(m_window->showPane(QStringLiteral("budgets")));
    auto *pane = qobject_cast<BudgetsPane *>(m_window->currentPane());
    QVERIFY(pane);
    QTRY_VERIFY(pane->tree()->nodeCount() > 30);
    QTRY_VERIFY(pane->treeView()->isVisible());
    QAbstractItemModelTester tester(pane->tree(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(pane->treeProxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    const std::function<QModelIndex(const QModelIndex &, const QString &)> find =
        [&](const QModelIndex &parent, const QString &name) -> QModelIndex {
        const QAbstractItemModel *m = pane->treeProxy();
        for (int r = 0; r < m->rowCount(parent); ++r) {
            const QModelIndex i = m->index(r, 0, parent);
            if (i.data().toString() == name)
                return i;
            if (const QModelIndex below = find(i, name); below.isValid())
                return below;
        }
        return {};
    };
    const std::function<void(const QModelIndex &, QList<int> &)> leafStates = [&](const QModelIndex &parent,
                                                                                  QList<int> &out) {
        const QAbstractItemModel *m = pane->treeProxy();
        for (int r = 0; r < m->rowCount(parent); ++r) {
            const QModelIndex i = m->index(r, 0, parent);
            if (m->rowCount(i) == 0)
                out << i.data(BudgetTreeModel::StateRole).toInt();
            leafStates(i, out);
        }
    };
    // Every state of the demo is there.
    QList<int> all;
    leafStates({}, all);
    for (BudgetState s : {BudgetState::NoBudget, BudgetState::Ok, BudgetState::NearBudget,
                          BudgetState::OverBudget, BudgetState::Blocked})
        QVERIFY2(all.contains(int(s)), qPrintable(budgetStateText(s)));
    // "Over budget or blocked": only such rows end a branch; the path to them stays.
    pane->stateCombo()->setCurrentIndex(2);
    QList<int> shown;
    leafStates({}, shown);
    QVERIFY(!shown.isEmpty());
    for (int s : shown)
        QVERIFY(s == int(BudgetState::OverBudget) || s == int(BudgetState::Blocked));
    QVERIFY(shown.size() < all.size());
    pane->stateCombo()->setCurrentIndex(0);
    QTest::keyClicks(pane->filterEdit(), QStringLiteral("frank"));
    QVERIFY(find({}, QStringLiteral("frank-personal")).isValid());
    QVERIFY(!find({}, QStringLiteral("ml-training-ci")).isValid());
    pane->filterEdit()->clear();

    // Alice's CI key: her member budget in ml-platform is spent, so it refuses.
    const QModelIndex ci = find({}, QStringLiteral("ml-training-ci"));
    QVERIFY(ci.isValid());
    pane->treeView()->setCurrentIndex(ci);
    QTRY_VERIFY2(pane->binding()->explanation().startsWith(
                     QStringLiteral("Refused: the team member budget of Alice Moreau in ml-platform")),
                 qPrintable(pane->binding()->explanation()));
    QCOMPARE(pane->binding()->table()->rowCount(), 4);
    QCOMPARE(pane->binding()->table()->item(1, 0)->text(), QStringLiteral("Team member"));
    QVERIFY(pane->binding()->table()->item(1, 0)->font().bold());
    // The team: requests pass, the organization stops them first; a big request the team refuses.
    pane->treeView()->setCurrentIndex(find({}, QStringLiteral("ml-platform")));
    QTRY_VERIFY2(pane->binding()->explanation().startsWith(
                     QStringLiteral("Requests pass. The organization Research will stop them first")),
                 qPrintable(pane->binding()->explanation()));
    pane->binding()->costSpin()->setValue(500);
    QVERIFY2(pane->binding()->explanation().startsWith(
                 QStringLiteral("A request of $500.00 would take the team ml-platform past its")),
             qPrintable(pane->binding()->explanation()));
    // Changing the team: the fields the API has, the preview as it is typed, refusals before sending.
    QVERIFY(pane->changeButton()->isEnabled());
    QVERIFY(pane->blockButton()->isEnabled());
    QCOMPARE(int(pane->selectedNode()->kind), int(BudgetNode::Kind::Team));
    QVERIFY(!pane->deleteButton()->isEnabled()); // the API has no route to delete a team
    {
        BudgetEditDialog dialog(*pane->selectedNode());
        QVERIFY(dialog.tpmSpin()->isEnabled());
        QCOMPARE(dialog.preview()->rowCount(), 0);
        QVERIFY(!dialog.problemText().isEmpty()); // nothing changes yet
        dialog.maxBudgetSpin()->setValue(dialog.maxBudgetSpin()->value() + 250);
        QCOMPARE(dialog.preview()->rowCount(), 1);
        QCOMPARE(dialog.preview()->item(0, 0)->text(), QStringLiteral("Max budget"));
        QVERIFY(dialog.change().ok());
        dialog.softBudgetSpin()->setValue(dialog.maxBudgetSpin()->value() + 1);
        QVERIFY(!dialog.change().ok());
        QVERIFY(dialog.problemText().contains(QStringLiteral("below the max budget")));
        dialog.softBudgetSpin()->setValue(dialog.softBudgetSpin()->minimum()); // none
        dialog.durationCombo()->setEditText(QStringLiteral("fortnightly"));
        QVERIFY(!dialog.change().ok());
        dialog.durationCombo()->setEditText(QStringLiteral("14d"));
        QVERIFY(dialog.change().ok());
        QCOMPARE(dialog.preview()->rowCount(), 3);
        // The demo's proxy is not real: the change is refused, and the pane says so.
        pane->sendChange(dialog.change().value());
        QTRY_VERIFY2(pane->messageText().startsWith(QStringLiteral("The demo's proxy is not real")),
                     qPrintable(pane->messageText()));
    }
    // A budget plan: its limits, cadence and rate limits change (through /budget/update); it cannot
    // be blocked or deleted here, and no alert thresholds hang on it. Its group sums nothing.
    const QModelIndex pilot = find({}, QStringLiteral("pilot-7d"));
    QVERIFY(pilot.isValid());
    QCOMPARE(pilot.parent().data().toString(), QStringLiteral("Budget plans"));
    QCOMPARE(pilot.siblingAtColumn(BudgetTreeModel::Spend).data().toString(), QStringLiteral("$0.00"));
    QCOMPARE(pilot.parent().siblingAtColumn(BudgetTreeModel::Spend).data().toString(), QString());
    QVERIFY(pilot.data(Qt::ToolTipRole).toString().contains(QStringLiteral("no one is on it")));
    QVERIFY(find({}, QStringLiteral("budget-org-research"))
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("account Research")));
    pane->treeView()->setCurrentIndex(pilot);
    QCOMPARE(int(pane->selectedNode()->kind), int(BudgetNode::Kind::Plan));
    QVERIFY(pane->changeButton()->isEnabled());
    QVERIFY(!pane->blockButton()->isEnabled());
    QVERIFY(!pane->deleteButton()->isEnabled());
    QVERIFY(!pane->thresholdsButton()->isEnabled());
    {
        BudgetEditDialog dialog(*pane->selectedNode());
        QCOMPARE(dialog.maxBudgetSpin()->value(), 50.0);
        dialog.maxBudgetSpin()->setValue(75);
        QVERIFY(dialog.change().ok());
        QCOMPARE(dialog.change()->path, QStringLiteral("/budget/update"));
    }
    // Deleting Alice takes her keys and her place in ml-platform with her: the preview lists them.
    const QModelIndex aliceUser = [&] {
        const QAbstractItemModel *m = pane->treeProxy();
        const QModelIndex research = find({}, QStringLiteral("Research"));
        for (int r = 0; r < m->rowCount(research); ++r)
            if (m->index(r, 0, research).data().toString() == QLatin1String("Alice Moreau"))
                return m->index(r, 0, research);
        return QModelIndex();
    }();
    QVERIFY(aliceUser.isValid());
    pane->treeView()->setCurrentIndex(aliceUser);
    QVERIFY(pane->deleteButton()->isEnabled());
    const auto scope = deletionScope(pane->selectedNode()->connectionId, *pane->selectedNode());
    QVERIFY(scope);
    QCOMPARE(scope->keys.size(), 2);
    QCOMPARE(scope->teams, QStringList{QStringLiteral("ml-platform")});
    BudgetDeleteDialog deletion(*pane->selectedNode(), scope.value());
    QCOMPARE(deletion.table()->rowCount(), 4); // the user, two keys, one membership
    // Alerts: the demo's sync raised some; ml-platform alerts at its own thresholds.
    const QModelIndex mlTeam = find({}, QStringLiteral("ml-platform"));
    QCOMPARE(mlTeam.siblingAtColumn(BudgetTreeModel::AlertAt).data().toString(),
             QStringLiteral("75, 90, 100 % (own)"));
    QTRY_VERIFY(pane->alerts()->openCount() > 0);
    QVERIFY(pane->tabs()
                ->tabText(pane->tabs()->indexOf(pane->alerts()))
                .contains(QStringLiteral("(%1)").arg(pane->alerts()->openCount())));
    QStringList alerted;
    for (const BudgetAlert &a : pane->alerts()->alerts())
        alerted << QStringLiteral("%1 %2").arg(a.targetName).arg(a.percent);
    QVERIFY2(alerted.contains(QStringLiteral("ml-platform 90")), qPrintable(alerted.join(QLatin1Char(','))));
    QVERIFY(!alerted.contains(QStringLiteral("ml-platform 50"))); // its own thresholds hold
    pane->alerts()->acknowledge();
    QTRY_COMPARE(pane->alerts()->openCount(), 0);
    QCOMPARE(pane->tabs()->tabText(pane->tabs()->indexOf(pane->alerts())), QStringLiteral("A&lerts"));
    // Renewals: the demo's monthly budgets reset on the 1st, the member budgets on Monday.
    pane->renewals()->horizonCombo()->setCurrentIndex(1); // 31 days
    QVERIFY(pane->renewals()->table()->rowCount() > 10);
    QVERIFY2(pane->renewals()->summaryText().contains(QStringLiteral("budgets reset in the next 31 days")),
             qPrintable(pane->renewals()->summaryText()));
    QStringList renewingKinds;
    for (int r = 0; r < pane->renewals()->table()->rowCount(); ++r)
        renewingKinds << pane->renewals()->table()->item(r, 2)->text();
    QVERIFY(renewingKinds.contains(QStringLiteral("Team member")));
    QVERIFY(renewingKinds.contains(QStringLiteral("Organization")));
    // An end customer: nothing to change through the API.
    pane->treeView()->setCurrentIndex(find({}, QStringLiteral("Globex")));
    QVERIFY(!pane->changeButton()->isEnabled());
    QVERIFY(!pane->blockButton()->isEnabled());
    // An organization has no chain of its own: the panel says what to select.
    pane->treeView()->setCurrentIndex(find({}, QStringLiteral("Research")));
    QVERIFY(pane->binding()->explanation().contains(QStringLiteral("select a key, a user, a team")));
    // F5 asks the service to sync (the demo's answers at once).
    pane->refresh();
    QTRY_COMPARE(pane->messageText(), QStringLiteral("Demo data"));

    // Spend: by team per day over 90 days, the top 8 and "Other" stacked, the anomalies marked.
    AttributionTab *spend = pane->spend();
    pane->tabs()->setCurrentWidget(spend);
    QTRY_VERIFY(!spend->attribution().groups.isEmpty() && !spend->isLoading());
    QCOMPARE(spend->attribution().buckets.size(), 90);
    const auto barSets = [spend] {
        for (QAbstractSeries *series : spend->chartView()->chart()->series())
            if (auto *bars = qobject_cast<QStackedBarSeries *>(series))
                return int(bars->count());
        return -1;
    };
    const auto marks = [spend] {
        for (QAbstractSeries *series : spend->chartView()->chart()->series())
            if (auto *scatter = qobject_cast<QScatterSeries *>(series))
                return int(scatter->count());
        return 0;
    };
    QCOMPARE(barSets(), qMin(8, int(spend->attribution().groups.size())));
    QCOMPARE(spend->topTable()->rowCount(), int(spend->attribution().groups.size()));
    QCOMPARE(spend->topTable()->item(0, 0)->text(), QStringLiteral("ml-platform"));
    // The demo's spikes: ml-platform 12 days ago, helpdesk-bots 5 days ago, among the flagged days.
    QVERIFY(spend->anomalyTable()->rowCount() >= 2);
    QCOMPARE(marks(), spend->anomalyTable()->rowCount());
    // The marks take the tone of the palette in force, and take it again when it changes.
    const auto marksColour = [spend] {
        for (QAbstractSeries *series : spend->chartView()->chart()->series())
            if (auto *scatter = qobject_cast<QScatterSeries *>(series))
                return scatter->color();
        return QColor();
    };
    const QPalette before = spend->chartView()->palette();
    QCOMPARE(marksColour(), toneColour(Tone::Bad, before));
    spend->chartView()->setPalette(darkPalette());
    QCOMPARE(marksColour(), toneColour(Tone::Bad, darkPalette()));
    QCOMPARE(marks(), spend->anomalyTable()->rowCount());
    QCOMPARE(spend->chartView()->chart()->backgroundBrush().color(), darkPalette().color(QPalette::Base));
    spend->chartView()->setPalette(before);
    QCOMPARE(marksColour(), toneColour(Tone::Bad, before));
    QStringList flagged;
    for (int r = 0; r < spend->anomalyTable()->rowCount(); ++r)
        flagged
            << spend->anomalyTable()->item(r, 1)->text() + QLatin1Char('@') +
                   spend->anomalyTable()->item(r, 0)->data(Qt::UserRole + 1).toDate().toString(Qt::ISODate);
    const QDate today = QDateTime::currentDateTimeUtc().date();
    QVERIFY2(flagged.contains(QStringLiteral("ml-platform@") + today.addDays(-12).toString(Qt::ISODate)),
             qPrintable(flagged.join(QLatin1Char(' '))));
    QVERIFY2(flagged.contains(QStringLiteral("helpdesk-bots@") + today.addDays(-5).toString(Qt::ISODate)),
             qPrintable(flagged.join(QLatin1Char(' '))));
    // The requests that made an anomalous day, costliest first.
    spend->anomalyTable()->selectRow(0);
    std::unique_ptr<QWidget> requests(spend->showAnomalyRequests(false));
    QVERIFY(requests);
    auto *requestTable = requests->findChild<QTableWidget *>(QStringLiteral("anomalyRequestsTable"));
    QTRY_VERIFY(requestTable->rowCount() > 0);
    // Two groups apart and the rest as "Other"; then by model, per week.
    spend->topSpin()->setValue(2);
    QCOMPARE(barSets(), 3);
    spend->dimensionCombo()->setCurrentIndex(spend->dimensionCombo()->findData(int(SpendDimension::Model)));
    spend->bucketCombo()->setCurrentIndex(spend->bucketCombo()->findData(int(SpendBucket::Week)));
    QTRY_VERIFY(spend->attribution().query.dimension == SpendDimension::Model &&
                spend->attribution().query.bucket == SpendBucket::Week && !spend->isLoading());
    QVERIFY(spend->attribution().buckets.size() >= 13 && spend->attribution().buckets.size() <= 14);
    QStringList models;
    for (const AttributionGroup &g : spend->attribution().groups)
        models << g.name;
    QVERIFY2(models.contains(QStringLiteral("gpt-4o")), qPrintable(models.join(QLatin1Char(','))));
    // The export: the whole attribution as CSV.
    const QString csv = m_dir.filePath(QStringLiteral("spend.csv"));
    QVERIFY(spend->exportCsv(csv).ok());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QVERIFY(lines.first().startsWith("Model,id,requests,total_usd,"));
    QCOMPARE(lines.size() - 2, models.size()); // a header, a row per group, the last line break
    // A year of days: stacked areas, one a group, instead of thousands of bars.
    spend->bucketCombo()->setCurrentIndex(0);
    spend->rangeCombo()->setCurrentIndex(2);
    QTRY_VERIFY(spend->attribution().buckets.size() == 365 && !spend->isLoading());
    int areas = 0;
    for (QAbstractSeries *series : spend->chartView()->chart()->series())
        areas += qobject_cast<QAreaSeries *>(series) ? 1 : 0;
    QCOMPARE(areas, 3); // the top two and "Other"
    QCOMPARE(barSets(), -1);
    QCOMPARE(marks(), spend->anomalyTable()->rowCount());
    spend->rangeCombo()->setCurrentIndex(1);
    spend->topSpin()->setValue(8);
    spend->dimensionCombo()->setCurrentIndex(spend->dimensionCombo()->findData(int(SpendDimension::Team)));
    pane->tabs()->setCurrentIndex(0);
}

void TestUi::imagesPaneFromTheDemo()
{
    // The demo's allowlist with every registry mark, requests in every state, the registries'
    // artifacts with their scans, and the cached report of one; read-only without a workspace.
    QVERIFY(m_window->showPane(QStringLiteral("images")));
    auto *pane = qobject_cast<ImagesPane *>(m_window->currentPane());
    QVERIFY(pane);
    QTRY_COMPARE(pane->allowlist()->rowCount(), 9);
    QAbstractItemModelTester tester(pane->allowlist(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QHash<QString, QString> marks;
    for (int r = 0; r < pane->allowlist()->rowCount(); ++r)
        marks.insert(pane->allowlist()->index(r, AllowlistModel::Entry).data().toString(),
                     pane->allowlist()->index(r, AllowlistModel::Registry).data().toString());
    QCOMPARE(marks.value(QStringLiteral("registry.acme.internal/shop/web:2.4.1")),
             QStringLiteral("Digest moved since approval"));
    QCOMPARE(marks.value(QStringLiteral("registry.acme.internal/shop/api:1.8.0")),
             QStringLiteral("In the registry"));
    QCOMPARE(marks.value(QStringLiteral("registry.acme.internal/ml/legacy:1.0")),
             QStringLiteral("Repository gone"));
    QCOMPARE(marks.value(QStringLiteral("mirror.acme.internal/library/alpine:3.18")),
             QStringLiteral("Tag gone"));
    QCOMPARE(marks.value(QStringLiteral("docker.io/library/nginx:1.27-*")),
             QStringLiteral("Not in a synced registry"));
    // The expired entry says so.
    for (int r = 0; r < pane->allowlist()->rowCount(); ++r)
        if (pane->allowlist()
                ->index(r, AllowlistModel::Entry)
                .data()
                .toString()
                .endsWith(QLatin1String("legacy:1.0")))
            QVERIFY(pane->allowlist()
                        ->index(r, AllowlistModel::Expires)
                        .data()
                        .toString()
                        .startsWith(QStringLiteral("expired")));
    QTest::keyClicks(pane->allowFilter(), QStringLiteral("mirror"));
    QCOMPARE(pane->allowlistView()->model()->rowCount(), 2);
    pane->allowFilter()->clear();
    // Without a workspace the pane only reads.
    QVERIFY(!pane->allowButton()->isEnabled());
    QVERIFY(!pane->requestButton()->isEnabled());
    // Requests: two waiting; all four with the filter off.
    pane->tabs()->setCurrentIndex(1);
    QTRY_COMPARE(pane->requests()->rowCount(), 4);
    QCOMPARE(pane->requestsView()->model()->rowCount(), 2);
    pane->requestStateCombo()->setCurrentIndex(1);
    QCOMPARE(pane->requestsView()->model()->rowCount(), 4);
    pane->requestsView()->selectRow(0);
    QVERIFY(!pane->approveButton()->isEnabled());
    // Registries: Harbor's scans in every severity, the mirror's index with its platforms.
    pane->tabs()->setCurrentIndex(2);
    QTRY_COMPARE(pane->registryTags()->rowCount(), 18);
    QSet<QString> severities;
    for (int r = 0; r < pane->registryTags()->rowCount(); ++r)
        severities.insert(pane->registryTags()->index(r, RegistryTagsModel::Scan).data().toString());
    for (const QString &s : {QStringLiteral("Critical"), QStringLiteral("High"), QStringLiteral("Medium"),
                             QStringLiteral("Low"), QStringLiteral("None"), QStringLiteral("not scanned")})
        QVERIFY2(severities.contains(s), qPrintable(s));
    QTest::keyClicks(pane->registryFilter(), QStringLiteral("2.4.1"));
    QCOMPARE(pane->registryView()->model()->rowCount(), 1);
    pane->registryView()->selectRow(0);
    QVERIFY(pane->reportButton()->isEnabled());
    QVERIFY(pane->scanButton()->isEnabled());
    // The report (the demo's cached one): every finding with its package and fixed version.
    pane->reportButton()->click();
    QDialog *report = nullptr;
    QTRY_VERIFY((report = pane->findChild<QDialog *>(QStringLiteral("vulnerabilityReport"))));
    auto *findings = report->findChild<QTableWidget *>();
    QVERIFY(findings);
    QCOMPARE(findings->rowCount(), 5);
    QCOMPARE(findings->item(0, 0)->text(), QStringLiteral("CVE-2024-3094"));
    QCOMPARE(findings->item(0, 4)->text(), QStringLiteral("5.6.1+really5.4.5-1"));
    report->close();
    pane->registryFilter()->clear();
    QTest::keyClicks(pane->registryFilter(), QStringLiteral("busybox"));
    QCOMPARE(pane->registryView()->model()->rowCount(), 1);
    QCOMPARE(pane->registryView()->model()->index(0, RegistryTagsModel::Platforms).data().toString(),
             QStringLiteral("linux/amd64, linux/arm64"));
    pane->registryView()->selectRow(0);
    QVERIFY(!pane->reportButton()->isEnabled()); // a plain registry keeps no scans
    pane->registryFilter()->clear();
    // Projects: each linked to its Harbor project (with Harbor's own gate) and its running containers.
    QTRY_COMPARE(pane->projects()->rowCount(), 3);
    QCOMPARE(pane->projects()->index(2, ProjectsModel::Name).data().toString(), QStringLiteral("shop"));
    QVERIFY2(pane->projects()
                 ->index(2, ProjectsModel::Harbor)
                 .data()
                 .toString()
                 .endsWith(QStringLiteral("(prevents high and above)")),
             qPrintable(pane->projects()->index(2, ProjectsModel::Harbor).data().toString()));
    QVERIFY(pane->projects()->index(2, ProjectsModel::Running).data().toInt() >= 1); // shop-web-1
    // Hosts: every image with the containers that use it; unused and dangling ones marked.
    pane->tabs()->setCurrentIndex(4);
    QTRY_COMPARE(pane->hostImages()->rowCount(), 25);
    pane->hostStateCombo()->setCurrentIndex(pane->hostStateCombo()->findData(QStringLiteral("dangling")));
    QCOMPARE(pane->hostImagesView()->model()->rowCount(), 4);
    pane->hostStateCombo()->setCurrentIndex(pane->hostStateCombo()->findData(QStringLiteral("in use")));
    for (int r = 0; r < pane->hostImagesView()->model()->rowCount(); ++r)
        QVERIFY(
            !pane->hostImagesView()->model()->index(r, HostImagesModel::UsedBy).data().toString().isEmpty());
    pane->hostStateCombo()->setCurrentIndex(0);
    // The prune dialog lists what would go, from the cache, before anything is asked.
    qint64 buildHost = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->connectionAt(row).name == QLatin1String("build-host-01"))
            buildHost = m_model->connectionAt(row).id;
    QVERIFY(buildHost > 0);
    HostPruneDialog prune({{buildHost, QStringLiteral("build-host-01")}}, buildHost);
    QCOMPARE(prune.kinds(), QList<int>{int(PruneKind::DanglingImages)});
    QCOMPARE(prune.previewText().count(QLatin1Char('\n')) + 1, 2);
    QVERIFY2(prune.previewText().contains(QStringLiteral("dangling images: <none> (")),
             qPrintable(prune.previewText()));
    QVERIFY2(prune.totalLabel()->text().contains(QStringLiteral("845")),
             qPrintable(prune.totalLabel()->text()));
    prune.setKindChecked(int(PruneKind::UnusedImages), true);
    prune.setKindChecked(int(PruneKind::StoppedContainers), true);
    QCOMPARE(prune.kinds(), (QList<int>{int(PruneKind::UnusedImages), int(PruneKind::StoppedContainers)}));
    QVERIFY(prune.previewText().contains(QStringLiteral("unused images: golang:1.23-bookworm")));
    QVERIFY(prune.previewText().contains(QStringLiteral("stopped containers: nightly-e2e-7f3a")));
    prune.setKindChecked(int(PruneKind::BuildCache), true);
    QVERIFY2(prune.previewText().contains(QStringLiteral("build cache: 412 build cache record")),
             qPrintable(prune.previewText()));
    QVERIFY(prune.totalLabel()->text().contains(QStringLiteral("as the engine last counted")));
    // A removal goes to the Docker service (the demo answers that it changes nothing).
    pane->hostImagesView()->selectRow(0);
    QVERIFY(pane->removeImageButton()->isEnabled());
    pane->removeSelectedImages(false);
    QTRY_VERIFY2(pane->messageText().contains(QStringLiteral("demo")), qPrintable(pane->messageText()));
    // Exposure: running containers against the allowlist and the scans.
    pane->tabs()->setCurrentIndex(5);
    QTRY_VERIFY(pane->exposure()->rowCount() >= 10);
    const auto rowOf = [pane](const QString &container) {
        for (int r = 0; r < pane->exposure()->rowCount(); ++r)
            if (pane->exposure()->index(r, ExposureModel::Container).data().toString() == container)
                return r;
        return -1;
    };
    const auto cell = [pane](int row, int column) {
        return pane->exposure()->index(row, column).data().toString();
    };
    int web = rowOf(QStringLiteral("shop-web-1"));
    QVERIFY(web >= 0);
    QCOMPARE(cell(web, ExposureModel::Allowlist),
             QStringLiteral("allowed by entry 2")); // its project's entry
    QVERIFY2(cell(web, ExposureModel::Scan).startsWith(QStringLiteral("Critical (2 critical, 5 high")),
             qPrintable(cell(web, ExposureModel::Scan)));
    // Its findings, and the gate: the xz finding is excepted in shop, the expat one's exception expired.
    QVERIFY2(
        cell(web, ExposureModel::Exposure)
            .startsWith(QStringLiteral("Critical findings; the vulnerability gate blocks it: CVE-2024-45491 "
                                       "(Critical, libexpat1 2.5.0-1, fixed in 2.5.0-1+deb12u1)")),
        qPrintable(cell(web, ExposureModel::Exposure)));
    const int grafana = rowOf(QStringLiteral("grafana"));
    QCOMPARE(cell(grafana, ExposureModel::Exposure), QStringLiteral("never allowed"));
    const int proxy = rowOf(QStringLiteral("artifact-proxy"));
    QCOMPARE(cell(proxy, ExposureModel::Exposure), QStringLiteral("not exposed"));
    int db = rowOf(QStringLiteral("shop-db-1")); // postgres:16, its entry expires in 30 days
    QCOMPARE(cell(db, ExposureModel::Exposure), QStringLiteral("not exposed"));
    const int shownBefore = pane->exposureView()->model()->rowCount();
    pane->daysSpin()->setValue(45);
    QTRY_VERIFY(cell(rowOf(QStringLiteral("shop-db-1")), ExposureModel::Exposure)
                    .startsWith(QStringLiteral("allowing entry expires in")));
    QTRY_COMPARE(pane->exposureView()->model()->rowCount(), shownBefore + 1);
    // Only critical findings count now: still exposed; from Medium, more scans would.
    pane->thresholdCombo()->setCurrentIndex(pane->thresholdCombo()->findData(int(Severity::Critical)));
    QTRY_VERIFY(cell(rowOf(QStringLiteral("shop-web-1")), ExposureModel::Exposure)
                    .startsWith(QStringLiteral("Critical findings; ")));
    pane->exposedOnlyBox()->setChecked(false);
    QCOMPARE(pane->exposureView()->model()->rowCount(), pane->exposure()->rowCount());
    pane->exposedOnlyBox()->setChecked(true);
    pane->exposureView()->selectRow(0);
    QVERIFY(pane->stopContainerButton()->isEnabled());
    QVERIFY(!pane->requestExposedButton()->isEnabled()); // no workspace here: read-only
    // Gate: the workspace's setting and each project's, with the gate in force there.
    pane->tabs()->setCurrentIndex(6);
    GateTab *gate = pane->gate();
    QTRY_COMPARE(gate->settings()->rowCount(), 4); // the workspace, ml, platform, shop
    QAbstractItemModelTester gateTester(gate->settings(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(gate->settings()->index(0, GateSettingsModel::Threshold).data().toString(),
             QStringLiteral("Critical and above"));
    QCOMPARE(gate->settings()->index(1, GateSettingsModel::Scope).data().toString(),
             QStringLiteral("Project ml"));
    QCOMPARE(gate->settings()->index(1, GateSettingsModel::InForce).data().toString(),
             QStringLiteral("blocks High and above, and images never scanned"));
    QCOMPARE(gate->settings()->index(3, GateSettingsModel::InForce).data().toString(),
             QStringLiteral("blocks Critical and above"));
    // Exceptions in force, one about to expire; the expired one on request.
    QTRY_COMPARE(gate->exceptions()->rowCount(), 3);
    QCOMPARE(gate->exceptionsView()->model()->rowCount(), 2);
    gate->showExpiredBox()->setChecked(true);
    QCOMPARE(gate->exceptionsView()->model()->rowCount(), 3);
    QStringList states;
    for (int r = 0; r < gate->exceptions()->rowCount(); ++r)
        states << gate->exceptions()->index(r, CveExceptionsModel::State).data().toString();
    QVERIFY2(states.contains(QStringLiteral("expired")) && states.contains(QStringLiteral("in force")),
             qPrintable(states.join(QLatin1Char(','))));
    QVERIFY(!gate->changeButton()->isEnabled()); // no workspace here: read-only
    QVERIFY(!gate->grantButton()->isEnabled());
    // A stricter setting previews what it would newly block before it can be saved.
    GateSetting current;
    current.threshold = Severity::Critical;
    GateSettingDialog stricter(current);
    QVERIFY(stricter.previewTable()->rowCount() == 0);
    stricter.setProposed(Severity::High, true);
    QTRY_VERIFY(!stricter.previewPending());
    QVERIFY2(stricter.previewTable()->rowCount() > 0, qPrintable(stricter.previewLabel()->text()));
    QStringList previewed;
    for (int r = 0; r < stricter.previewTable()->rowCount(); ++r)
        previewed << stricter.previewTable()->item(r, 0)->text() + QLatin1Char('|') +
                         stricter.previewTable()->item(r, 1)->text() + QLatin1Char('|') +
                         stricter.previewTable()->item(r, 4)->text();
    QVERIFY2(previewed.filter(QStringLiteral("Running container|")).size() > 0,
             qPrintable(previewed.join(QLatin1Char('\n'))));
    QVERIFY2(previewed.filter(QStringLiteral("Allowlist entry|")).size() > 0,
             qPrintable(previewed.join(QLatin1Char('\n'))));
    QVERIFY2(!previewed.filter(QStringLiteral("never scanned")).isEmpty(),
             qPrintable(previewed.join(QLatin1Char('\n'))));
    // shop-web-1 is blocked already: not newly.
    QVERIFY(previewed.filter(QStringLiteral("|shop-web-1|")).isEmpty());
    QVERIFY(!stricter.buttons()->button(QDialogButtonBox::Save)->isEnabled()); // no comment yet
    QTest::keyClicks(stricter.commentEdit(), QStringLiteral("CVE storm"));
    QVERIFY(stricter.buttons()->button(QDialogButtonBox::Save)->isEnabled());
    QCOMPARE(stricter.buttons()->button(QDialogButtonBox::Save)->text(), QStringLiteral("&Save and Block"));
    QCOMPARE(stricter.change().text, QStringLiteral("High"));
    QVERIFY(stricter.change().blockUnscanned);
    // Looser: nothing to preview.
    stricter.setProposed(std::nullopt, false);
    QTRY_VERIFY(!stricter.previewPending());
    QCOMPARE(stricter.previewTable()->rowCount(), 0);
    // An exception is checked as it is typed.
    ExceptionDialog grant({QStringLiteral("shop")});
    QVERIFY(!grant.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    QTest::keyClicks(grant.cveEdit(), QStringLiteral("cve-2024-2511"));
    QTest::keyClicks(grant.reasonEdit(), QStringLiteral("not reachable"));
    QVERIFY2(grant.problemLabel()->text().contains(QStringLiteral("which image or which project")),
             qPrintable(grant.problemLabel()->text()));
    grant.projectCombo()->setCurrentIndex(1);
    QVERIFY(grant.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    QCOMPARE(grant.change().project, QStringLiteral("shop"));
    pane->tabs()->setCurrentIndex(0);
}

void TestUi::usersPaneFromTheWorkspaceCopy()
{
    // The demo's copy of the team workspace: people in every role and state, filters, and the
    // detail that says what the selected person may do and which grant decides.
    QVERIFY(m_window->showPane(QStringLiteral("users")));
    auto *pane = qobject_cast<UsersPane *>(m_window->currentPane());
    QVERIFY(pane);
    QTRY_VERIFY(pane->model()->rowCount() >= 7);
    QAbstractItemModelTester tester(pane->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY2(pane->stateText().contains(QStringLiteral("online")), qPrintable(pane->stateText()));
    pane->roleCombo()->setCurrentIndex(pane->roleCombo()->findData(QStringLiteral("superuser")));
    QCOMPARE(pane->proxy()->rowCount(), 2);
    pane->roleCombo()->setCurrentIndex(0);
    pane->stateCombo()->setCurrentIndex(pane->stateCombo()->findData(QStringLiteral("deactivated")));
    QCOMPARE(pane->proxy()->rowCount(), 1);
    QCOMPARE(pane->proxy()->index(0, PeopleModel::Login).data().toString(), QStringLiteral("farid"));
    pane->stateCombo()->setCurrentIndex(0);
    QTest::keyClicks(pane->filterEdit(), QStringLiteral("okafor"));
    QCOMPARE(pane->proxy()->rowCount(), 1);
    pane->filterEdit()->clear();
    // erin, a user: a just-in-time runner yes (the default grant), someone else's runner no.
    const QModelIndexList erin =
        pane->proxy()->match(pane->proxy()->index(0, PeopleModel::Login), Qt::DisplayRole,
                             QStringLiteral("erin"), 1, Qt::MatchExactly);
    QCOMPARE(erin.size(), 1);
    pane->view()->setCurrentIndex(erin.first());
    const QString detail = pane->detailText();
    QVERIFY2(detail.contains(QStringLiteral("role user: allow runner.provision on mode:jit (default)")),
             qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("Remove someone else's runner")) &&
                 detail.contains(QStringLiteral("no grant for the role user")),
             qPrintable(detail));
    // dana, an admin: managing superusers is denied by the default deny, which the detail names.
    const QModelIndexList dana =
        pane->proxy()->match(pane->proxy()->index(0, PeopleModel::Login), Qt::DisplayRole,
                             QStringLiteral("dana"), 1, Qt::MatchExactly);
    QCOMPARE(dana.size(), 1);
    pane->view()->setCurrentIndex(dana.first());
    QVERIFY2(pane->detailText().contains(
                 QStringLiteral("role admin: deny user.manage on role:superuser (default)")),
             qPrintable(pane->detailText()));
    // bob owns the shop deployment and runners; his recent actions are listed apart.
    const QModelIndexList bob =
        pane->proxy()->match(pane->proxy()->index(0, PeopleModel::Login), Qt::DisplayRole,
                             QStringLiteral("bob"), 1, Qt::MatchExactly);
    QCOMPARE(bob.size(), 1);
    pane->view()->setCurrentIndex(bob.first());
    const auto owned = [pane] {
        QStringList names;
        for (int row = 0; row < pane->ownedView()->model()->rowCount(); ++row)
            names << pane->ownedView()->model()->index(row, PersonActivityModel::Name).data().toString();
        return names;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(owned().contains(QStringLiteral("shop")),
                              qPrintable(owned().join(QLatin1Char(' '))), 15000);
    QVERIFY(!owned().contains(QStringLiteral("excalidraw"))); // alice's
    // farid's offboarding, half done in the demo: where it stands, and what is left.
    OffboardingDialog offboarding(QStringLiteral("farid"), nullptr);
    QVERIFY(offboarding.offboarding() > 0);
    QTRY_COMPARE(offboarding.model()->rowCount(), 7);
    QVERIFY2(offboarding.statusText().contains(QStringLiteral("1 step(s) failed")) ||
                 offboarding.statusText().contains(QStringLiteral("1 step failed")),
             qPrintable(offboarding.statusText()));
    // Done: the workspace, one organization; skipped: runners (he has none). Left: the other
    // organization (failed), his deployment, Harbor and LiteLLM.
    QCOMPARE(offboarding.model()->finishedSteps(), 3);
    QVERIFY(!offboarding.runButton()->isEnabled()); // no service here
}

void TestUi::logViewRingBuffer()
{
    LogView view;
    view.resize(800, 400);
    view.show();
    view.model()->setCapacity(50000);
    QList<LogLine> batch;
    for (int i = 0; i < 120000; ++i) {
        LogLine l;
        l.stream = i % 10 == 0 ? LogLine::Stderr : LogLine::Stdout;
        l.time = QDateTime::currentDateTimeUtc();
        l.text = QStringLiteral("line %1").arg(i);
        batch << l;
        if (batch.size() == 5000) // the service's batches
            view.append(std::exchange(batch, {}));
    }
    QCOMPARE(view.model()->rowCount(), 50000);
    QCOMPARE(view.model()->dropped(), 70000);
    QCOMPARE(view.model()->lineAt(0).text, QStringLiteral("line 70000"));
    // Follow keeps the newest line in view.
    QTRY_VERIFY(view.view()->verticalScrollBar()->value() > 0 &&
                view.view()->verticalScrollBar()->value() == view.view()->verticalScrollBar()->maximum());
    QTest::keyClicks(view.searchEdit(), QStringLiteral("line 11999"));
    QCOMPARE(view.model()->matchCount(), 10); // 119990 … 119999
    QTest::keyClick(view.searchEdit(), Qt::Key_Return);
    QCOMPARE(view.view()->currentIndex().data(LogModel::TextRole).toString(), QStringLiteral("line 119990"));
    QVERIFY(!view.followBox()->isChecked()); // jumping to a match leaves follow mode
    QTemporaryDir dir;
    QCOMPARE(view.saveTo(dir.filePath(QStringLiteral("out.log"))), QString());
    const QByteArray saved = readWholeFile(dir.filePath(QStringLiteral("out.log")));
    QCOMPARE(saved.count('\n'), 50000);
    QVERIFY(saved.contains("line 119999"));
    QVERIFY(!view.saveTo(QStringLiteral("/nonexistent-dir/x.log")).isEmpty());
    view.model()->setCapacity(1000);
    QCOMPARE(view.model()->rowCount(), 1000);
    QCOMPARE(view.model()->lineAt(999).text, QStringLiteral("line 119999"));
}

void TestUi::removeContainerNamesVolumes()
{
    const QString anonymous = QString(64, QLatin1Char('a'));
    QString checkbox, note;
    QTimer::singleShot(0, this, [&] {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *dialog = qobject_cast<QDialog *>(w); dialog && dialog->isVisible()) {
                checkbox = dialog->findChild<QCheckBox *>(QStringLiteral("removeVolumes"))->text();
                for (QLabel *l : dialog->findChildren<QLabel *>())
                    if (l->text().contains(QStringLiteral("kept")))
                        note = l->text();
                dialog->reject();
            }
    });
    const auto choice =
        askRemoveContainer(m_window.get(), QStringLiteral("prometheus"), QStringLiteral("paused"),
                           {anonymous, QStringLiteral("grafana-data")});
    QVERIFY(!choice.has_value()); // cancelled
    QVERIFY2(checkbox.contains(anonymous.left(12)), qPrintable(checkbox));
    QVERIFY2(note.contains(QStringLiteral("grafana-data")), qPrintable(note));
    QVERIFY(isAnonymousVolume(anonymous));
    QVERIFY(!isAnonymousVolume(QStringLiteral("grafana-data")));
}

void TestUi::quickServiceDialogChecks()
{
    auto *pane = m_window->findChild<DeploymentsPane *>();
    QVERIFY(pane);
    QuickServiceDialog dialog(m_model.get(), m_deploy, pane->connectionIds().first());
    QVERIFY(!dialog.deployButton()->isEnabled()); // nothing typed yet
    QTest::keyClicks(dialog.imageEdit(), QStringLiteral("Excalidraw/Excalidraw"));
    QVERIFY2(dialog.problems().contains(QStringLiteral("lower case")), qPrintable(dialog.problems()));
    dialog.imageEdit()->setText(QStringLiteral("excalidraw/excalidraw:latest"));
    QCOMPARE(dialog.problems(), QString());
    QVERIFY(dialog.deployButton()->isEnabled());
    QVERIFY(dialog.nameEdit()->placeholderText().startsWith(QStringLiteral("excalidraw ")));
    dialog.envEdit()->setPlainText(QStringLiteral("GOOD=1\nBAD-NAME=2"));
    QVERIFY2(dialog.problems().contains(QStringLiteral("BAD-NAME")), qPrintable(dialog.problems()));
    dialog.envEdit()->setPlainText(QStringLiteral("no equals sign"));
    QVERIFY2(dialog.problems().contains(QStringLiteral("line 1")), qPrintable(dialog.problems()));
    dialog.envEdit()->setPlainText(QStringLiteral("# a comment\nTOKEN=a=b"));
    QCOMPARE(dialog.problems(), QString());
    QCOMPARE(dialog.spec()->env.first().second, QStringLiteral("a=b"));
    dialog.nameEdit()->setText(QStringLiteral("-bad"));
    QVERIFY(dialog.problems().contains(QStringLiteral("container name")));
    dialog.nameEdit()->clear();
    dialog.autoPortBox()->setChecked(false);
    dialog.hostPortSpin()->setValue(8443);
    QCOMPARE(dialog.spec()->hostPort, 8443);
    dialog.containerPortSpin()->setValue(0); // nothing published: no host port either
    QCOMPARE(dialog.spec()->hostPort, 0);
    // Whose allowlist entries apply: global, or one of the workspace's projects; no override offered
    // until the policy refuses.
    QCOMPARE(dialog.imageProjectCombo()->count(), 4); // global, ml, platform, shop
    dialog.imageProjectCombo()->setCurrentIndex(dialog.imageProjectCombo()->findData(QStringLiteral("shop")));
    QCOMPARE(dialog.spec()->imageProject, QStringLiteral("shop"));
    QVERIFY(dialog.overrideEdit()->isHidden());
    QCOMPARE(dialog.spec()->overrideComment, QString());
    // The demo's image policy judges the image first: shop-web's expat finding has no exception in
    // force, so the gate refuses it, naming the CVE, and offers to deploy anyway.
    dialog.containerPortSpin()->setValue(80);
    dialog.imageEdit()->setText(QStringLiteral("registry.acme.internal/shop/web:2.4.1"));
    QTest::mouseClick(dialog.deployButton(), Qt::LeftButton);
    QTRY_VERIFY2(dialog.problems().contains(QStringLiteral("CVE-2024-45491")), qPrintable(dialog.problems()));
    QTRY_VERIFY(!dialog.overrideEdit()->isHidden());
    QTest::keyClicks(dialog.overrideEdit(), QStringLiteral("hotfix for the checkout"));
    QCOMPARE(dialog.spec()->overrideComment, QStringLiteral("hotfix for the checkout"));
    // In the demo workspace the job is then refused with a clear message, not run.
    QTRY_VERIFY(dialog.deployButton()->isEnabled());
    QTest::mouseClick(dialog.deployButton(), Qt::LeftButton);
    QTRY_VERIFY2(dialog.problems().contains(QStringLiteral("demo workspace")), qPrintable(dialog.problems()));
}

void TestUi::jobsListAndLog()
{
    QVERIFY(m_window->showPane(QStringLiteral("deployments")));
    auto *pane = qobject_cast<DeploymentsPane *>(m_window->currentPane());
    QTRY_COMPARE(pane->jobsModel()->rowCount(), 5); // the demo's jobs
    QStringList states;
    for (int r = 0; r < 5; ++r)
        states << pane->jobsModel()->index(r, JobsModel::State).data().toString();
    states.sort();
    QCOMPARE(states, QStringList({"cancelled", "failed", "succeeded", "succeeded", "succeeded"}));
    int failed = -1;
    for (int r = 0; r < 5; ++r)
        if (pane->jobsModel()->index(r, JobsModel::State).data().toString() == QLatin1String("failed"))
            failed = r;
    QVERIFY(pane->jobsModel()
                ->index(failed, JobsModel::Duration)
                .data()
                .toString()
                .endsWith(QStringLiteral(" s")));
    pane->jobsView()->setCurrentIndex(pane->jobsModel()->index(failed, 0));
    QTRY_VERIFY(pane->jobLogView()->model()->rowCount() >= 5);
    bool removedLine = false;
    for (int r = 0; r < pane->jobLogView()->model()->rowCount(); ++r)
        removedLine = removedLine || pane->jobLogView()->model()->lineAt(r).text.contains(
                                         QStringLiteral("Removed the container"));
    QVERIFY(removedLine); // the failed job says what it cleaned up
}

void TestUi::tunnelTab()
{
    QVERIFY(m_window->showPane(QStringLiteral("deployments")));
    auto *pane = qobject_cast<DeploymentsPane *>(m_window->currentPane());
    QTRY_COMPARE(pane->routesTable()->rowCount(), 5); // the demo tunnel's routes
    QVERIFY(pane->tunnelText().contains(QStringLiteral("valid")));
    QCOMPARE(pane->routesTable()->item(4, 0)->text(), QStringLiteral("(everything else)"));
    // The route dialog validates the hostname before asking for a preview, and the demo refuses changes.
    RouteDialog dialog(m_tunnel, pane->connectionIds().last(), RouteOp::Add, QString(), 8090);
    dialog.requestPreview();
    QVERIFY(dialog.message().contains(QStringLiteral("not a host name")));
    QVERIFY(!dialog.applyButton()->isEnabled());
}

void TestUi::deployDialogChecks()
{
    DeployDialog dialog(m_model.get(), m_deploy);
    QTest::keyClicks(dialog.templateEdit(), QStringLiteral("acme/service-template"));
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("My Billing API"));
    QVERIFY2(dialog.finalName()->text().contains(QStringLiteral("/my-billing-api")),
             qPrintable(dialog.finalName()->text()));
    QVERIFY2(dialog.spec().ok(), qPrintable(dialog.spec().message()));
    QCOMPARE(dialog.spec()->name, QStringLiteral("my-billing-api"));
    QVERIFY(dialog.deployButton()->isEnabled());
    dialog.templateEdit()->setText(QStringLiteral("not a repository"));
    QVERIFY2(dialog.problems().contains(QStringLiteral("owner/name")), qPrintable(dialog.problems()));
    QVERIFY(!dialog.deployButton()->isEnabled());
    dialog.directoryChoice()->setChecked(true);
    QTemporaryDir empty;
    dialog.directoryEdit()->setText(empty.path());
    QVERIFY2(dialog.problems().contains(QStringLiteral("no compose file")), qPrintable(dialog.problems()));

    // A directory whose compose project the dialog reads: the files it offers, the route proposed,
    // and a port without a fixed host port that cannot be chosen.
    QTemporaryDir project;
    QFile dev(project.filePath(QStringLiteral("docker-compose-dev.yml")));
    QVERIFY(dev.open(QIODevice::WriteOnly));
    dev.write("services:\n  db:\n    image: postgres:16\n    ports: [\"127.0.0.1:5432:5432\"]\n"
              "  web:\n    image: ghcr.io/acme/web:1\n    ports: [\"127.0.0.1:8080:8080\", \"9000\"]\n");
    dev.close();
    const int tunnel = dialog.tunnelCombo()->count() - 1;
    QVERIFY2(tunnel > 0, "the demo has a tunnel connection");
    dialog.tunnelCombo()->setCurrentIndex(tunnel);
    dialog.directoryEdit()->setText(project.path());
    QTRY_VERIFY2(dialog.composeInfo()->text().contains(QStringLiteral("choose the file")),
                 qPrintable(dialog.composeInfo()->text()));
    QCOMPARE(dialog.composeFileCombo()->count(), 1);
    dialog.composeFileCombo()->setCurrentIndex(0);
    QTRY_VERIFY2(dialog.composeInfo()->text().contains(QStringLiteral("route candidate")),
                 qPrintable(dialog.composeInfo()->text()));
    QVERIFY2(dialog.routeCombo()->itemText(0).contains(QStringLiteral("web:8080")),
             qPrintable(dialog.routeCombo()->itemText(0)));
    for (QLineEdit *e : dialog.findChildren<QLineEdit *>())
        if (e->placeholderText() == QLatin1String("app.example.com"))
            e->setText(QStringLiteral("web.example.com"));
    QVERIFY2(dialog.spec().ok(), qPrintable(dialog.spec().message()));
    QCOMPARE(dialog.spec()->composeFile, QStringLiteral("docker-compose-dev.yml"));
    QCOMPARE(dialog.spec()->routeService, QString()); // the proposal: chosen by the job, the same way
    const int random = dialog.routeCombo()->findData(QStringLiteral("web:9000"));
    QVERIFY(random > 0);
    dialog.routeCombo()->setCurrentIndex(random);
    QVERIFY2(dialog.problems().contains(QStringLiteral("fixed host port")), qPrintable(dialog.problems()));
    QVERIFY(!dialog.deployButton()->isEnabled());
    dialog.routeCombo()->setCurrentIndex(dialog.routeCombo()->findData(QStringLiteral("db:5432")));
    QVERIFY2(dialog.spec().ok(), qPrintable(dialog.spec().message()));
    QCOMPARE(dialog.spec()->routeService, QStringLiteral("db"));
    QCOMPARE(dialog.spec()->routeTarget, 5432);
    dialog.routeCombo()->setEditText(QStringLiteral("web 8080"));
    QVERIFY2(dialog.problems().contains(QStringLiteral("service:port")), qPrintable(dialog.problems()));
}

void TestUi::lastPaneRestored()
{
    m_window->showPane(QStringLiteral("images"));
    m_window->resize(1111, 777);
    m_window->close();
    auto second = makeWindow();
    second->restoreFromSettings();
    QCOMPARE(second->currentPane()->id(), QStringLiteral("images"));
    QCOMPARE(second->size(), QSize(1111, 777));
    m_window->show();
}

void TestUi::languageMenuKeepsTheChoice()
{
    auto *menu = m_window->findChild<QMenu *>(QStringLiteral("languageMenu"));
    QVERIFY(menu);
    QStringList codes;
    QAction *german = nullptr;
    QAction *desktop = nullptr;
    for (QAction *a : menu->actions()) {
        if (a->isSeparator())
            continue;
        codes << a->data().toString();
        if (a->data().toString() == QLatin1String("de"))
            german = a;
        if (a->data().toString().isEmpty())
            desktop = a;
    }
    QCOMPARE(codes, (QStringList{QString(), QStringLiteral("en"), QStringLiteral("de")}));
    QCOMPARE(german->text(), QStringLiteral("Deutsch"));
    QVERIFY(desktop->isChecked()); // nothing chosen yet: the desktop's
    QSignalSpy changed(m_settings.get(), &AppSettings::languageChanged);

    // This run speaks English; choosing German keeps it and says it comes with the next start.
    qApp->setProperty("opsdeckLanguage", QStringLiteral("en"));
    german->trigger();
    QCOMPARE(m_settings->language(), QStringLiteral("de"));
    QCOMPARE(changed.size(), 1);
    QVERIFY(german->isChecked());
    QVERIFY(AppSettings(m_dir.path()).language() == QLatin1String("de")); // on disk at once
    QMessageBox *notice = nullptr;
    QTRY_VERIFY((notice = m_window->findChild<QMessageBox *>(QStringLiteral("languageNotice"))));
    QVERIFY2(notice->text().contains(QStringLiteral("Deutsch")), qPrintable(notice->text()));
    QSignalSpy restart(m_window.get(), &MainWindow::restartRequested);
    notice->reject(); // Later: no restart
    QCOMPARE(restart.size(), 0);
    QTRY_VERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("languageNotice")));

    // Back to English, which this run already speaks: kept, and no notice.
    m_window->chooseLanguage(QStringLiteral("en"));
    QCOMPARE(m_settings->language(), QStringLiteral("en"));
    QVERIFY(!german->isChecked()); // the menu shows a choice made elsewhere (File › Settings…)
    QTest::qWait(50);
    QVERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("languageNotice")));
    // An unknown code is no choice: the desktop's language again.
    m_settings->setLanguage(QStringLiteral("xx"));
    QCOMPARE(m_settings->language(), QString());
    qApp->setProperty("opsdeckLanguage", QVariant());
}

void TestUi::settingsDialogAppliesEachSetting()
{
    // Out of range is bounded, and an unchanged value announces nothing.
    AppSettings bounds(m_dir.filePath(QStringLiteral("bounds")));
    QSignalSpy boundsNetwork(&bounds, &AppSettings::networkChanged);
    bounds.setNetwork(9999, -4);
    QCOMPARE(bounds.networkTimeoutSec(), 600);
    QCOMPARE(bounds.networkRetries(), 0);
    bounds.setNetwork(600, 0);
    QCOMPARE(boundsNetwork.size(), 1);
    bounds.setLogLinesKept(5);
    QCOMPARE(bounds.logLinesKept(), 1000);
    bounds.setDefaultSyncIntervalMin(100000);
    QCOMPARE(bounds.defaultSyncIntervalMin(), 24 * 60);
    QCOMPARE(bounds.auditKeepDays(), 0); // every event, unless someone says otherwise
    bounds.setAuditKeepDays(-3);
    QCOMPARE(bounds.auditKeepDays(), 0);
    bounds.setAuditKeepDays(99999);
    QCOMPARE(bounds.auditKeepDays(), SettingDefaults::auditKeepDaysMax);
    bounds.setAuditKeepDays(0);

    m_window->openSettings();
    SettingsDialog *dialog = m_window->settingsDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->timeoutBox()->value(), m_settings->networkTimeoutSec());
    QCOMPARE(dialog->retriesBox()->value(), m_settings->networkRetries());
    QCOMPARE(dialog->syncBox()->value(), SettingDefaults::syncIntervalMin);
    QCOMPARE(dialog->logLinesBox()->value(), SettingDefaults::logLinesKept);
    QCOMPARE(dialog->auditDaysBox()->value(), 0);
    QCOMPARE(dialog->auditDaysBox()->text(), QStringLiteral("Every event"));
    m_window->openSettings(); // a second open raises the same dialog
    QCOMPARE(m_window->settingsDialog(), dialog);

    // A log view follows the setting, now and when it changes.
    LogView log;
    log.followSettings(m_settings.get());
    QCOMPARE(log.model()->capacity(), SettingDefaults::logLinesKept);

    QSignalSpy network(m_settings.get(), &AppSettings::networkChanged);
    QSignalSpy lines(m_settings.get(), &AppSettings::logLinesKeptChanged);
    QSignalSpy sync(m_settings.get(), &AppSettings::defaultSyncIntervalMinChanged);
    dialog->timeoutBox()->setValue(45);
    dialog->retriesBox()->setValue(1);
    dialog->syncBox()->setValue(15);
    dialog->logLinesBox()->setValue(20000);
    QSignalSpy auditDays(m_settings.get(), &AppSettings::auditKeepDaysChanged);
    dialog->auditDaysBox()->setValue(180);
    QCOMPARE(network.size(), 0); // nothing is kept before the dialog is accepted
    dialog->accept();
    QCOMPARE(network.size(), 1);
    QCOMPARE(network.at(0).at(0).toInt(), 45);
    QCOMPARE(network.at(0).at(1).toInt(), 1);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(sync.size(), 1);
    QCOMPARE(log.model()->capacity(), 20000);
    AppSettings onDisk(m_dir.path());
    QCOMPARE(onDisk.networkTimeoutSec(), 45);
    QCOMPARE(onDisk.defaultSyncIntervalMin(), 15);
    QCOMPARE(onDisk.logLinesKept(), 20000);
    QCOMPARE(auditDays.size(), 1);
    QCOMPARE(onDisk.auditKeepDays(), 180);
    QTRY_VERIFY(!m_window->settingsDialog());

    // A new connection starts with the default interval.
    m_window->openConnections(ConnectionKind::Docker);
    QSpinBox *interval = nullptr;
    for (QSpinBox *box : m_window->connectionsDialog()->findChildren<QSpinBox *>())
        if (box->suffix().contains(QStringLiteral("min")))
            interval = box;
    QVERIFY(interval);
    QCOMPARE(interval->value(), 15);
    m_window->connectionsDialog()->hide();

    // Restore Defaults fills in Opsdeck's values; Cancel keeps none of them.
    m_window->openSettings();
    dialog = m_window->settingsDialog();
    dialog->restoreDefaults();
    QCOMPARE(dialog->timeoutBox()->value(), SettingDefaults::networkTimeoutSec);
    QCOMPARE(dialog->language(), QString());
    dialog->reject();
    QCOMPARE(m_settings->networkTimeoutSec(), 45);
    // Accepted, they are kept.
    QTRY_VERIFY(!m_window->settingsDialog());
    m_window->openSettings();
    m_window->settingsDialog()->restoreDefaults();
    m_window->settingsDialog()->accept();
    QCOMPARE(m_settings->networkTimeoutSec(), SettingDefaults::networkTimeoutSec);
    QCOMPARE(m_settings->logLinesKept(), SettingDefaults::logLinesKept);
    QCOMPARE(m_settings->defaultSyncIntervalMin(), SettingDefaults::syncIntervalMin);
    QCOMPARE(m_settings->auditKeepDays(), SettingDefaults::auditKeepDays);
}

void TestUi::screenshots()
{
    const QString dir = m_dir.filePath(QStringLiteral("shots"));
    const auto files = saveScreenshots(m_window.get(), dir);
    QVERIFY2(files.ok(), qPrintable(files.message()));
    // One per pane, one per extra view (the Images pane's Exposure and Gate tabs), the four window
    // dialogs (Connections, Settings, the introduction, the quick switcher), and the panes' own dialogs that
    // can open here (the Test runs pane's GitHub sources: this window has a GitHub service but no test-runs
    // service).
    int views = 0;
    int dialogs = 0;
    for (Pane *pane : m_window->panes()) {
        views += 1 + int(pane->extraViews().size());
        dialogs += int(pane->screenshotDialogs().size());
    }
    QVERIFY2(files.value().size() > views + 4 && files.value().size() <= views + 4 + dialogs,
             qPrintable(files.value().join(QLatin1Char('\n'))));
    QVERIFY(std::any_of(files.value().cbegin(), files.value().cend(),
                        [](const QString &f) { return f.endsWith(QStringLiteral("-images-gate.png")); }));
    QVERIFY(std::any_of(files.value().cbegin(), files.value().cend(),
                        [](const QString &f) { return f.endsWith(QStringLiteral("-testruns-github.png")); }));
    for (const QString &file : files.value()) {
        QImage image(file);
        QVERIFY2(!image.isNull(), qPrintable(file));
        // A pane fills the window; a dialog may be a small confirmation.
        QVERIFY2(image.width() >= 200, qPrintable(file));
        // Not a blank image: more than one colour in it.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 3, qPrintable(file));
    }
    const QString out = qEnvironmentVariable("OPSDECK_SCREENSHOT_DIR");
    if (!out.isEmpty())
        QVERIFY(saveScreenshots(m_window.get(), out).ok());
}

QTEST_MAIN(TestUi)
#include "tst_ui.moc"
