// Desktop notifications: which events make a notice (pure), the notice on the session bus as the
// Desktop Notifications Specification has it (a fake notification service on a private bus), a
// kind turned off, and a click that opens the right pane on the right row of the demo's window.
#include "models/connections/connectionsmodel.h"
#include "models/core/appsettings.h"
#include "models/core/desktopnotice.h"
#include "models/deploy/jobsmodel.h"
#include "models/images/imagesmodels.h"
#include "models/store/database.h"
#include "services/budgets/litellmservice.h"
#include "services/connections/connectionservice.h"
#include "services/deploy/deployservice.h"
#include "services/images/registryservice.h"
#include "services/servicehost.h"
#include "services/store/demoworkspace.h"
#include "services/testruns/testrunsservice.h"
#include "services/workspace/workspaceservice.h"
#include "ui/connections/connectionsdialog.h"
#include "ui/desktopnotifier.h"
#include "ui/mainwindow.h"
#include "ui/panes/budgets/alertstab.h"
#include "ui/panes/budgets/budgetspane.h"
#include "ui/panes/deployments/deploymentspane.h"
#include "ui/panes/images/imagespane.h"
#include "ui/panes/testrunspane.h"
#include "ui/settingsdialog.h"

#include <QCheckBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace opsdeck;

// org.freedesktop.Notifications as a notification daemon offers it, recording each Notify.
class FakeNotifications : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString app, icon, summary, body;
        QStringList actions;
        QVariantMap hints;
        uint id = 0;
    };
    QList<Call> calls;

public slots:
    uint Notify(const QString &app, uint replaces, const QString &icon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        Q_UNUSED(replaces)
        Q_UNUSED(timeout)
        calls.append({app, icon, summary, body, actions, hints, uint(calls.size() + 100)});
        return calls.last().id;
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
    void CloseNotification(uint id) { emit NotificationClosed(id, 3); }

signals:
    void ActionInvoked(uint id, const QString &actionKey);
    void NotificationClosed(uint id, uint reason);
};

class TestNotifications : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void syncFailuresOnlyTheFirst();
    void imageRequestsForMe();
    void groupedNotices();
    void onTheBusAndClicked_data();
    void onTheBusAndClicked();
    void kindsTurnedOff();

private:
    qint64 scalar(const QString &sql);
    const FakeNotifications::Call *waitForCall(qsizetype count);

    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<ServiceHost> m_host;
    ConnectionService *m_service = nullptr;
    DeployService *m_deploy = nullptr;
    LiteLLMService *m_budgets = nullptr;
    TestRunsService *m_testruns = nullptr;
    std::unique_ptr<ConnectionsModel> m_model;
    std::unique_ptr<MainWindow> m_window;
    FakeNotifications m_fake;
    QDBusConnection m_daemonBus{QString()};
};

qint64 TestNotifications::scalar(const QString &sql)
{
    QSqlQuery q(Database::connection());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

const FakeNotifications::Call *TestNotifications::waitForCall(qsizetype count)
{
    (void)QTest::qWaitFor([&] { return m_fake.calls.size() >= count; }, 5000);
    return m_fake.calls.size() >= count ? &m_fake.calls.at(count - 1) : nullptr;
}

void TestNotifications::initTestCase()
{
    // The English plural forms, as the application installs them.
    auto *english = new QTranslator(this);
    QVERIFY(english->load(QStringLiteral(OPSDECK_QM_DIR "/opsdeck_en.qm")));
    QCoreApplication::installTranslator(english);
    if (!QDBusConnection::sessionBus().isConnected())
        QSKIP("no session bus (the test runs under tests/support/with-keyring.sh)");
    // The fake daemon on a connection of its own, so that calls to it go through the bus.
    m_daemonBus = QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("fake-daemon"));
    QVERIFY(m_daemonBus.isConnected());
    QVERIFY(m_daemonBus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &m_fake,
                                       QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(m_daemonBus.registerService(QStringLiteral("org.freedesktop.Notifications")));

    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QVERIFY(DemoWorkspace::seed().ok());
    m_model = std::make_unique<ConnectionsModel>();
    QSignalSpy loaded(m_model.get(), &ConnectionsModel::loaded);
    m_model->reload();
    QTRY_VERIFY(!loaded.isEmpty());
    m_settings = std::make_unique<AppSettings>(m_dir.path());
    m_host = std::make_unique<ServiceHost>();
    m_service = m_host->add(new ConnectionService, QStringLiteral("connections"));
    m_service->setDemoMode(true);
    m_deploy = new DeployService;
    m_deploy->setDemoMode(true);
    m_host->add(m_deploy, QStringLiteral("deploy"));
    m_budgets = new LiteLLMService;
    m_budgets->setDemoMode(true);
    m_host->add(m_budgets, QStringLiteral("litellm"));
    m_testruns = new TestRunsService;
    m_testruns->setDemoMode(true);
    m_host->add(m_testruns, QStringLiteral("testruns"));
    auto *registry = new RegistryService;
    registry->setDemoMode(true);
    m_host->add(registry, QStringLiteral("registry"));
    m_host->startAll();
    PaneContext context;
    context.deploy = m_deploy;
    context.budgets = m_budgets;
    context.testruns = m_testruns;
    context.registry = registry;
    context.settings = m_settings.get();
    m_window = std::make_unique<MainWindow>(m_model.get(), m_service, context, m_settings.get(), true);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->startNotifications();
    QVERIFY(m_window->notifier());
}

void TestNotifications::cleanupTestCase()
{
    m_window.reset();
    if (m_host)
        m_host->stopAll();
    m_model.reset();
    Database::close();
}

void TestNotifications::syncFailuresOnlyTheFirst()
{
    SyncFailureWatch watch;
    QVERIFY(!watch.see(1, QStringLiteral("acme"), true, QString()));
    const auto first = watch.see(1, QStringLiteral("acme"), false, QStringLiteral("HTTP 502"));
    QVERIFY(first);
    QCOMPARE(first->kind, NoticeKind::SyncFailed);
    QCOMPARE(first->title, QStringLiteral("acme does not sync"));
    QCOMPARE(first->body, QStringLiteral("HTTP 502"));
    QCOMPARE(first->paneId, QStringLiteral("connections"));
    QCOMPARE(first->connectionId, 1);
    QVERIFY(!watch.see(1, QStringLiteral("acme"), false, QStringLiteral("HTTP 502"))); // still failing
    QVERIFY(watch.see(2, QStringLiteral("hub"), false, QStringLiteral("timeout")));    // another one
    QVERIFY(!watch.see(1, QStringLiteral("acme"), true, QString()));                   // works again
    QVERIFY(watch.see(1, QStringLiteral("acme"), false, QStringLiteral("HTTP 401")));  // fails anew

    QVERIFY(deployNotice(7, QStringLiteral("web"), true, QStringLiteral("ok"))->kind ==
            NoticeKind::DeployFinished);
    const auto failed = deployNotice(7, QStringLiteral("web"), false, QStringLiteral("pull failed"));
    QCOMPARE(failed->kind, NoticeKind::DeployFailed);
    QCOMPARE(failed->target, QStringLiteral("job:7"));
    QVERIFY(!testRunNotice(3, QStringLiteral("api"), QStringLiteral("run"), {}));
    const auto run =
        testRunNotice(3, QStringLiteral("api"), QStringLiteral("nightly"),
                      {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
    QCOMPARE(run->title, QStringLiteral("4 new failures in api"));
    QCOMPARE(run->body, QStringLiteral("nightly\na\nb\nc\nand 1 more"));
    QCOMPARE(run->target, QStringLiteral("run:3"));
    // Every kind has its own settings key and words.
    QSet<QString> ids;
    for (NoticeKind kind : allNoticeKinds()) {
        ids.insert(noticeKindId(kind));
        QVERIFY(!noticeKindText(kind).isEmpty());
    }
    QCOMPARE(ids.size(), allNoticeKinds().size());
}

void TestNotifications::imageRequestsForMe()
{
    RequestWatch watch;
    const auto mayDecide = [](const QString &project) {
        return project != QLatin1String("secret");
    };
    const RequestSnapshot old{
        1, QStringLiteral("nginx:1.27"), {}, QStringLiteral("erin"), QStringLiteral("pending"), {}, {}};
    // The first read is the baseline: what waits already is no news.
    QVERIFY(watch.see({old}, QStringLiteral("alice"), mayDecide).isEmpty());
    const RequestSnapshot theirs{2,
                                 QStringLiteral("redis:7"),
                                 QStringLiteral("web"),
                                 QStringLiteral("erin"),
                                 QStringLiteral("pending"),
                                 {},
                                 {}};
    const RequestSnapshot hidden{3,
                                 QStringLiteral("vault:1"),
                                 QStringLiteral("secret"),
                                 QStringLiteral("erin"),
                                 QStringLiteral("pending"),
                                 {},
                                 {}};
    RequestSnapshot mine{4,
                         QStringLiteral("go:1.23"),
                         QStringLiteral("web"),
                         QStringLiteral("alice"),
                         QStringLiteral("pending"),
                         {},
                         {}};
    auto notices = watch.see({old, theirs, hidden, mine}, QStringLiteral("alice"), mayDecide);
    QCOMPARE(notices.size(), 1); // not the one she may not decide, not her own
    QCOMPARE(notices.first().title, QStringLiteral("Image request from erin"));
    QCOMPARE(notices.first().body, QStringLiteral("redis:7 for project web waits for your decision."));
    QCOMPARE(notices.first().target, QStringLiteral("request:2"));
    QVERIFY(
        watch.see({old, theirs, hidden, mine}, QStringLiteral("alice"), mayDecide).isEmpty()); // no change
    mine.state = QStringLiteral("denied");
    mine.decidedBy = QStringLiteral("bob");
    mine.answer = QStringLiteral("use the base image");
    notices = watch.see({old, theirs, hidden, mine}, QStringLiteral("alice"), mayDecide);
    QCOMPARE(notices.size(), 1);
    QCOMPARE(notices.first().title, QStringLiteral("Image request denied: go:1.23"));
    QCOMPARE(notices.first().body, QStringLiteral("bob: “use the base image”"));
}

void TestNotifications::groupedNotices()
{
    QList<std::pair<QString, QString>> alerts;
    for (int i = 1; i <= 5; ++i)
        alerts.append({QStringLiteral("alert:%1").arg(i), QStringLiteral("team t%1 past 80 %").arg(i)});
    QCOMPARE(budgetNotices(alerts.mid(0, 2), QStringLiteral("proxy")).size(), 2);
    const auto one = budgetNotices(alerts, QStringLiteral("proxy"));
    QCOMPARE(one.size(), 1);
    QCOMPARE(one.first().title, QStringLiteral("5 budgets on proxy passed a soft limit"));
    QCOMPARE(one.first().target, QStringLiteral("alerts"));
    QVERIFY(one.first().body.endsWith(QStringLiteral("and 2 more")));
    QList<DesktopNotice> many(6);
    for (DesktopNotice &n : many)
        n.paneId = QStringLiteral("images"), n.target = QStringLiteral("request:1");
    const auto collapsed = collapseNotices(many, QStringLiteral("6 image requests for you"));
    QCOMPARE(collapsed.size(), 1);
    QCOMPARE(collapsed.first().paneId, QStringLiteral("images"));
    QVERIFY(collapsed.first().target.isEmpty());
    QCOMPARE(collapseNotices(many.mid(0, 3), QStringLiteral("x")).size(), 3);
}

void TestNotifications::onTheBusAndClicked_data()
{
    QTest::addColumn<QString>("kind");
    for (const char *k : {"deploy", "sync", "budget", "testrun", "request"})
        QTest::newRow(k) << QString::fromLatin1(k);
}

void TestNotifications::onTheBusAndClicked()
{
    QFETCH(QString, kind);
    const qsizetype before = m_fake.calls.size();
    QString summary;
    QString paneId;
    std::function<bool()> onTheRow;
    if (kind == QLatin1String("deploy")) {
        const qint64 job = scalar(QStringLiteral("SELECT MIN(id) FROM jobs"));
        QVERIFY(job > 0);
        // A cancelled job is the admin's own doing: no notice.
        emit m_deploy->jobFinished(job, JobState::Cancelled, QStringLiteral("cancelled"), {});
        QTest::qWait(100);
        QCOMPARE(m_fake.calls.size(), before);
        emit m_deploy->jobFinished(job, JobState::Failed, QStringLiteral("compose up <failed> & stopped"),
                                   {});
        QSqlQuery q(Database::connection());
        QVERIFY(q.exec(QStringLiteral("SELECT title FROM jobs WHERE id = %1").arg(job)) && q.next());
        summary = QStringLiteral("Deploy failed: ") + q.value(0).toString();
        paneId = QStringLiteral("deployments");
        onTheRow = [this, job] {
            auto *pane = qobject_cast<DeploymentsPane *>(m_window->currentPane());
            return pane && pane->jobsView()->currentIndex().data(JobsModel::JobIdRole).toLongLong() == job;
        };
    } else if (kind == QLatin1String("sync")) {
        const Connection c = m_model->connectionAt(0);
        emit m_service->syncFinished(c.id, Outcome::success());
        emit m_service->syncFinished(
            c.id, Outcome{false, QStringLiteral("net.timeout"), QStringLiteral("timed out")});
        emit m_service->syncFinished(
            c.id, Outcome{false, QStringLiteral("net.timeout"), QStringLiteral("timed out")});
        summary = c.name + QStringLiteral(" does not sync");
        paneId = m_window->currentPane()->id(); // the Connections dialog opens over it
        onTheRow = [this, c] {
            return m_window->connectionsDialog() && m_window->connectionsDialog()->isVisible() &&
                   m_window->connectionsDialog()->formConnection().id == c.id;
        };
    } else if (kind == QLatin1String("budget")) {
        const qint64 alert = scalar(QStringLiteral("SELECT MAX(id) FROM budget_alerts"));
        const qint64 connection =
            scalar(QStringLiteral("SELECT connection_id FROM budget_alerts WHERE id = %1").arg(alert));
        QVERIFY(alert > 0);
        emit m_budgets->alertsRaised(connection, {QStringLiteral("team ml has spent $90, 90 % of $100")},
                                     {alert});
        summary = QStringLiteral("Budget soft limit on ") +
                  m_model->connectionAt(m_model->rowOfKey(connection)).name;
        paneId = QStringLiteral("budgets");
        onTheRow = [this, alert] {
            auto *pane = qobject_cast<BudgetsPane *>(m_window->currentPane());
            if (!pane)
                return false;
            QTableWidget *table = pane->alerts()->table();
            return pane->alerts()->isVisible() && table->currentRow() >= 0 &&
                   table->item(table->currentRow(), 0)->data(Qt::UserRole).toLongLong() == alert;
        };
    } else if (kind == QLatin1String("testrun")) {
        const qint64 run = scalar(QStringLiteral("SELECT MAX(id) FROM test_runs"));
        QVERIFY(run > 0);
        emit m_testruns->newFailures(run, QStringLiteral("payments-api"), QStringLiteral("nightly"),
                                     {QStringLiteral("Payments.refund")});
        summary = QStringLiteral("1 new failure in payments-api");
        paneId = QStringLiteral("testruns");
        onTheRow = [this, run] {
            auto *pane = qobject_cast<TestRunsPane *>(m_window->currentPane());
            return pane && pane->selectedRun() == run;
        };
    } else {
        // A teammate asks for an image; the copy changes, and alice (a superuser) may decide it.
        CacheTransaction tx;
        QVERIFY(tx.begin());
        QSqlQuery q(tx.db());
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO workspace_image_requests (id, reference, project, reason, requested_by, "
            "requested_at, "
            "state, decided_by, decided_at, answer, entry_id) VALUES (9001, 'docker.io/library/redis:7', '', "
            "'cache', 'erin', '2026-12-05T10:00:00Z', 'pending', '', '', '', 0)")));
        tx.touch(QStringLiteral("workspace_image_requests"));
        QVERIFY(tx.commit());
        summary = QStringLiteral("Image request from erin");
        paneId = QStringLiteral("images");
        onTheRow = [this] {
            auto *pane = qobject_cast<ImagesPane *>(m_window->currentPane());
            return pane && pane->requestsView()->isVisible() &&
                   pane->requestsView()->currentIndex().isValid() && pane->requests()->rowOfKey(9001) >= 0 &&
                   pane->requestsView()->currentIndex().siblingAtColumn(0).data().toString() ==
                       pane->requests()->index(pane->requests()->rowOfKey(9001), 0).data().toString();
        };
    }
    const FakeNotifications::Call *call = waitForCall(before + 1);
    QVERIFY2(call, qPrintable(kind));
    QCOMPARE(m_fake.calls.size(), before + 1); // once, however often it was seen
    QCOMPARE(call->app, QStringLiteral("Opsdeck"));
    QCOMPARE(call->icon, QStringLiteral("org.opsdeck.Opsdeck"));
    QCOMPARE(call->summary, summary);
    QCOMPARE(call->actions.first(), QStringLiteral("default")); // a click on the notice itself
    QCOMPARE(call->hints.value(QStringLiteral("desktop-entry")).toString(),
             QStringLiteral("org.opsdeck.Opsdeck"));
    if (kind == QLatin1String("deploy")) // the body may be read as markup
        QCOMPARE(call->body, QStringLiteral("compose up &lt;failed&gt; &amp; stopped"));

    // Clicked: the window shows the pane on the row (runs on the window's own pane first, so that
    // the click must change it).
    m_window->showPane(kind == QLatin1String("runners") ? QStringLiteral("audit")
                                                        : QStringLiteral("runners"));
    if (kind == QLatin1String("sync"))
        paneId = QStringLiteral("runners");
    QSignalSpy activated(m_window->notifier(), &DesktopNotifier::activated);
    QTRY_COMPARE(m_window->notifier()->pendingCount(), 1);
    emit m_fake.ActionInvoked(call->id, QStringLiteral("default"));
    QTRY_COMPARE(activated.size(), 1);
    QTRY_COMPARE(m_window->currentPane()->id(), paneId);
    QTRY_VERIFY2(onTheRow(), qPrintable(kind));
    QCOMPARE(m_window->notifier()->pendingCount(), 0);
    if (m_window->connectionsDialog())
        m_window->connectionsDialog()->hide();
}

void TestNotifications::kindsTurnedOff()
{
    // Through File › Settings…: the deploy failures switch off; other kinds still come.
    m_window->openSettings();
    SettingsDialog *dialog = m_window->settingsDialog();
    QVERIFY(dialog);
    for (NoticeKind kind : allNoticeKinds())
        QVERIFY(dialog->notifyBox(kind)->isChecked());
    dialog->notifyBox(NoticeKind::DeployFailed)->setChecked(false);
    QSignalSpy changed(m_settings.get(), &AppSettings::notificationEnabledChanged);
    dialog->accept();
    QCOMPARE(changed.size(), 1);
    QVERIFY(!m_settings->notificationEnabled(NoticeKind::DeployFailed));
    QVERIFY(!AppSettings(m_dir.path()).notificationEnabled(NoticeKind::DeployFailed)); // on disk
    const qsizetype before = m_fake.calls.size();
    const qint64 job = scalar(QStringLiteral("SELECT MIN(id) FROM jobs"));
    emit m_deploy->jobFinished(job, JobState::Failed, QStringLiteral("failed again"), {});
    emit m_deploy->jobFinished(job, JobState::Succeeded, QStringLiteral("deployed"), {});
    const FakeNotifications::Call *call = waitForCall(before + 1);
    QVERIFY(call);
    QTest::qWait(100);
    QCOMPARE(m_fake.calls.size(), before + 1);
    QVERIFY(call->summary.startsWith(QStringLiteral("Deployed: ")));
    m_settings->setNotificationEnabled(NoticeKind::DeployFailed, true);
}

QTEST_MAIN(TestNotifications)
#include "tst_notifications.moc"
