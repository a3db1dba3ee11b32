#include "application.h"

#include "firstpaintprobe.h"
#include "models/connections/connectionsmodel.h"
#include "models/core/appsettings.h"
#include "models/core/languages.h"
#include "models/store/database.h"
#include "models/testruns/notifications.h"
#include "services/budgets/litellmservice.h"
#include "services/connections/connectionservice.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/images/registryservice.h"
#include "services/net/networkdefaults.h"
#include "services/servicehost.h"
#include "services/store/applog.h"
#include "services/store/auditservice.h"
#include "services/store/crashhandler.h"
#include "services/store/demoworkspace.h"
#include "services/testruns/testrunsservice.h"
#include "services/tunnel/tunnelservice.h"
#include "services/workspace/offboardingservice.h"
#include "services/workspace/workspaceservice.h"
#include "ui/common/accessibility.h"
#include "ui/common/tones.h"
#include "ui/databaseproblem.h"
#include "ui/mainwindow.h"
#include "ui/panes/audit/auditlogpane.h"
#include "ui/screenshots.h"
#include "ui/workspace/teamworkspacedialog.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

Q_LOGGING_CATEGORY(lcApp, "opsdeck.app", QtInfoMsg)

namespace opsdeck {

namespace {

// Opens the cache, asking the admin what to do when it cannot be opened. Returns false to quit.
bool openCache(const QString &path, bool interactive)
{
    Database::Mode mode = Database::Mode::ReadWrite;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const Result<void> opened = Database::open(path, mode);
        if (opened)
            return true;
        qCCritical(lcApp).noquote() << opened.error().code << opened.message();
        if (!interactive) {
            fprintf(stderr, "opsdeck: %s\n", opened.message().toLocal8Bit().constData());
            return false;
        }
        switch (askDatabaseProblem(opened.error(), path)) {
        case DatabaseChoice::OpenReadOnly:
            mode = Database::Mode::ReadOnly;
            break;
        case DatabaseChoice::StartFresh: {
            const auto moved = Database::moveAside(path);
            if (!moved) {
                askDatabaseProblem(moved.error(), path);
                return false;
            }
            qCWarning(lcApp).noquote() << "moved the cache aside to" << moved.value();
            mode = Database::Mode::ReadWrite;
            break;
        }
        case DatabaseChoice::Quit:
            return false;
        }
    }
    return false;
}

} // namespace

namespace {
// Set when the window asked for a new start; restartIfAsked() starts it once everything has closed.
struct Restart
{
    bool asked = false;
    QString program;
    QStringList arguments;
} restart;
} // namespace

void restartIfAsked()
{
    if (restart.asked && !QProcess::startDetached(restart.program, restart.arguments))
        fprintf(stderr, "opsdeck: could not start %s again\n", restart.program.toLocal8Bit().constData());
}

QString installTranslators(QCoreApplication &app, const QString &chosen)
{
    // The chosen language, else the desktop's if Opsdeck has it, else English (which supplies the
    // plural forms); Qt's own dialogs and buttons follow in the same language.
    const QString language = effectiveLanguage(chosen);
    auto *qt = new QTranslator(&app);
    if (language != QLatin1String("en") &&
        qt->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    auto *own = new QTranslator(&app);
    if (own->load(QStringLiteral("opsdeck_") + language, QStringLiteral(":/i18n")) ||
        own->load(QStringLiteral("opsdeck_en"), QStringLiteral(":/i18n")))
        app.installTranslator(own);
    app.setProperty("opsdeckLanguage", language); // View › Language compares a choice with it
    return language;
}

int runGui(int &argc, char **argv, const CommandLine &options)
{
    QApplication::setApplicationName(QStringLiteral("opsdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("Opsdeck"));
    QApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));
    // resources/desktop/org.opsdeck.Opsdeck.desktop, as installed: Wayland compositors match the window to
    // it.
    QApplication::setDesktopFileName(QStringLiteral("org.opsdeck.Opsdeck"));
    QApplication app(argc, argv);
    installKeyboardPolicy(&app);
    // --palette: a light or dark window whatever the desktop's (Fusion draws both alike).
    if (!options.palette.isEmpty()) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(options.palette == QLatin1String("dark")
                                     ? darkPalette()
                                     : QApplication::style()->standardPalette());
    }

    QString dataDir = options.dataDir;
    if (dataDir.isEmpty()) {
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (options.demo)
            dataDir = DemoWorkspace::dataDir(dataDir);
    }
    dataDir = QDir(dataDir).absolutePath();
    if (!QDir().mkpath(dataDir)) {
        fprintf(stderr, "opsdeck: cannot create the data directory %s\n", dataDir.toLocal8Bit().constData());
        return 1;
    }
    AppLog::install(dataDir);
    CrashHandler::install(dataDir);
    AppSettings settings(dataDir);
    // --language for this run, else View › Language (settings.ini), else the desktop's.
    const QString language =
        installTranslators(app, options.language.isEmpty() ? settings.language() : options.language);
    qCInfo(lcApp).noquote() << "Opsdeck" << OPSDECK_VERSION << "data directory" << dataDir
                            << (options.demo ? "(demo)" : "") << "language" << language;

    const QString dbPath = dataDir + QStringLiteral("/cache.sqlite");
    if (!openCache(dbPath, options.screenshotDir.isEmpty()))
        return 1;
    if (options.demo && !Database::isReadOnly()) {
        if (auto seeded = DemoWorkspace::seed(); !seeded)
            qCWarning(lcApp).noquote() << "demo data:" << seeded.message();
    }

    NetworkDefaults::set(settings.networkTimeoutSec() * 1000, settings.networkRetries());
    QObject::connect(&settings, &AppSettings::networkChanged, &settings,
                     [](int timeoutSec, int retries) { NetworkDefaults::set(timeoutSec * 1000, retries); });
    ServiceHost services;
    // With a window on screen, the service threads start after its first paint (below); the
    // screenshot mode needs them at once (it waits for the demo's audit log).
    const bool interactive = options.screenshotDir.isEmpty();
    if (interactive)
        services.holdStart();
    auto *connectionService = services.add(new ConnectionService, QStringLiteral("connections"));
    connectionService->setDemoMode(options.demo);
    auto *auditService = services.add(new AuditService, QStringLiteral("audit"));
    auto *githubService = new GitHubService;
    githubService->setDemoMode(options.demo);
    githubService->setAutoSync(!options.demo && options.screenshotDir.isEmpty() && !options.startupProbe);
    services.add(githubService, QStringLiteral("github"));
    auto *dockerService = new DockerService;
    dockerService->setDemoMode(options.demo);
    dockerService->setAutoWatch(!options.demo && options.screenshotDir.isEmpty() && !options.startupProbe);
    services.add(dockerService, QStringLiteral("docker"));
    auto *deployService = new DeployService;
    deployService->setDemoMode(options.demo);
    deployService->setWorkspace(dataDir + QStringLiteral("/workspace"));
    services.add(deployService, QStringLiteral("deploy"));
    auto *tunnelService = new TunnelService;
    tunnelService->setDemoMode(options.demo);
    services.add(tunnelService, QStringLiteral("tunnel"));
    auto *registryService = new RegistryService;
    registryService->setDemoMode(options.demo);
    registryService->setAutoSync(!options.demo && options.screenshotDir.isEmpty() && !options.startupProbe);
    services.add(registryService, QStringLiteral("registry"));
    auto *liteLLMService = new LiteLLMService;
    liteLLMService->setDemoMode(options.demo);
    liteLLMService->setAutoSync(!options.demo && options.screenshotDir.isEmpty() && !options.startupProbe);
    services.add(liteLLMService, QStringLiteral("litellm"));
    auto *testRunsService = new TestRunsService;
    testRunsService->setDemoMode(options.demo);
    testRunsService->setArtifactsDir(QDir(dataDir).filePath(QStringLiteral("golden")));
    if (!options.demo && options.screenshotDir.isEmpty() && !options.startupProbe)
        // Mock servers are asked for their health on their intervals.
        QMetaObject::invokeMethod(
            testRunsService, [testRunsService] { testRunsService->setHealthChecks(true); },
            Qt::QueuedConnection);
    services.add(testRunsService, QStringLiteral("testruns"));
    // Telemetry of signed run records, when the admin named a receiver (Telemetry… in the Test runs pane).
    const auto telemetryTo = [testRunsService](const QString &text) {
        const auto url = checkTelemetryUrl(text);
        QMetaObject::invokeMethod(testRunsService, [testRunsService, u = url ? url.value() : QUrl()] {
            testRunsService->setTelemetryUrl(u);
        });
    };
    telemetryTo(settings.telemetryUrl());
    QObject::connect(&settings, &AppSettings::telemetryUrlChanged, testRunsService, telemetryTo);
    // Old runs go by the retention limits (Retention… in the Test runs pane): at start and after
    // imports, but never in the demo, a screenshot run or the start-up probe.
    const bool automaticCleanups = !options.demo && options.screenshotDir.isEmpty() && !options.startupProbe;
    const auto retainBy = [testRunsService, automaticCleanups](const RetentionRules &rules) {
        QMetaObject::invokeMethod(testRunsService, [testRunsService, rules, automaticCleanups] {
            testRunsService->setRetention(rules, automaticCleanups);
        });
    };
    retainBy(settings.retentionRules());
    QObject::connect(&settings, &AppSettings::retentionRulesChanged, testRunsService, retainBy);
    // The audit log's retention (Settings › Audit Log), as automatic as the test runs' cleanups.
    const auto keepAudit = [auditService, &settings, automaticCleanups] {
        const int days = settings.auditKeepDays();
        const bool team = !settings.workspaceUrl().isEmpty();
        QMetaObject::invokeMethod(auditService, [auditService, days, team, automaticCleanups] {
            auditService->setRetention(days, team, automaticCleanups);
        });
    };
    keepAudit();
    QObject::connect(&settings, &AppSettings::auditKeepDaysChanged, auditService, keepAudit);
    // A run from a GitHub Actions artifact is told about, posted and retained like one imported
    // from a file.
    QObject::connect(githubService, &GitHubService::testRunImported, testRunsService,
                     [testRunsService](qint64 runId) {
                         testRunsService->notifyFor(runId);
                         testRunsService->postTelemetry(runId);
                         testRunsService->publishRun(runId);
                         testRunsService->retainSoon();
                     });
    // The demo's team is a local store seeded from the demo's cache (services/store/demoworkspace.cpp);
    // a real data directory opens its own store or the team it joined.
    auto *workspaceService = services.add(new WorkspaceService, QStringLiteral("workspace"));
    // Runs imported here go to the workspace (the local one, or the team's once joined), signed as
    // they were stored; not the demo's, a screenshot run's or the probe's.
    QObject::connect(testRunsService, &TestRunsService::runsToPublish, workspaceService,
                     &WorkspaceService::publishTestRuns);
    // Runs imported before joining, by the command line or while the application was closed go
    // when the workspace answers (the newest of them, once a session).
    QObject::connect(workspaceService, &WorkspaceService::stateChanged, testRunsService,
                     [testRunsService](bool online) {
                         if (online)
                             testRunsService->publishEarlierRuns();
                     });
    // And teammates' runs from the workspace become runs here.
    QObject::connect(workspaceService, &WorkspaceService::teamRunsArrived, testRunsService,
                     &TestRunsService::adoptPublished);
    // Sources, notifications and mocks are the team's: changes made here are shared (the store
    // decides who may), and the team's are applied here.
    const auto share = [workspaceService](const QList<TestRunRecordChange> &changes) {
        workspaceService->changeTestRunRecords(changes, QStringLiteral("share")); // on its own thread
    };
    QObject::connect(testRunsService, &TestRunsService::testSettingsToShare, workspaceService, share);
    QObject::connect(githubService, &GitHubService::testSettingsToShare, workspaceService, share);
    QObject::connect(workspaceService, &WorkspaceService::teamTestSettingsChanged, testRunsService,
                     &TestRunsService::adoptTeamSettings);
    if (automaticCleanups)
        QMetaObject::invokeMethod(
            testRunsService, [testRunsService] { testRunsService->setPublishing(true); },
            Qt::QueuedConnection);
    auto *offboardingService =
        services.add(new OffboardingService(workspaceService, githubService, dockerService),
                     QStringLiteral("offboarding"));
    offboardingService->setDemoMode(options.demo);
    // What a proxy's sync saw past an account's budget accrues in the workspace's overflow ledger.
    QObject::connect(liteLLMService, &LiteLLMService::overflowObserved, workspaceService,
                     &WorkspaceService::recordOverflow, Qt::QueuedConnection);

    ConnectionsModel connections;
    PaneContext panes;
    panes.audit = auditService;
    panes.github = githubService;
    panes.docker = dockerService;
    panes.deploy = deployService;
    panes.tunnel = tunnelService;
    panes.workspace = workspaceService;
    panes.offboarding = offboardingService;
    panes.registry = registryService;
    panes.budgets = liteLLMService;
    panes.testruns = testRunsService;
    panes.settings = &settings;
    MainWindow window(&connections, connectionService, panes, &settings, options.demo);
    if (Database::isReadOnly())
        window.setWindowTitle(window.windowTitle() + QObject::tr(" (read-only)"));
    QObject::connect(
        auditService, &AuditService::retentionApplied, &window,
        [&window](bool, const QString &message) { window.statusBar()->showMessage(message, 15000); });

    // Show the window with the rows the cache has: wait briefly for the first load.
    QEventLoop firstLoad;
    QObject::connect(&connections, &ConnectionsModel::loaded, &firstLoad, &QEventLoop::quit);
    QObject::connect(&connections, &ConnectionsModel::loadFailed, &firstLoad, &QEventLoop::quit);
    QTimer::singleShot(2000, &firstLoad, &QEventLoop::quit);
    connections.reload();
    firstLoad.exec();

    // The demo's audit log is written on the audit service's thread; the pane shows the progress.
    const bool seedDemo = options.demo && !Database::isReadOnly();
    if (seedDemo && !interactive && window.auditPane()) {
        window.auditPane()->seedDemo(DemoWorkspace::demoAuditEvents);
        QEventLoop seeded;
        QObject::connect(window.auditPane(), &AuditLogPane::jobFinished, &seeded, &QEventLoop::quit);
        seeded.exec();
    }
    if (options.demo)
        QMetaObject::invokeMethod(workspaceService, "openDemo", Qt::QueuedConnection,
                                  Q_ARG(QString, settings.localWorkspacePath()));
    else
        TeamWorkspaceDialog::signIn(workspaceService, &settings, &window);
    QObject::connect(&window, &MainWindow::firstPainted, &window,
                     [&services, &window, seedDemo, interactive] {
                         services.startAll();
                         if (seedDemo && interactive && window.auditPane())
                             window.auditPane()->seedDemo(DemoWorkspace::demoAuditEvents);
                     });

    // The introduction's Open the Demo: a second Opsdeck on the demo's own data directory.
    QObject::connect(&window, &MainWindow::demoRequested, &window, [] {
        if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), {QStringLiteral("--demo")}))
            qCWarning(lcApp) << "could not start the demo";
    });
    QObject::connect(&window, &MainWindow::restartRequested, &window, [](const QStringList &arguments) {
        restart = {true, QCoreApplication::applicationFilePath(), arguments};
    });
    int result = 0;
    FirstPaintProbe probe;
    if (!options.screenshotDir.isEmpty()) {
        window.resize(1280, 800);
        window.show();
        QStringList clipped;
        QStringList access;
        const auto files = saveScreenshots(&window, options.screenshotDir, &clipped, &access);
        if (!files) {
            fprintf(stderr, "opsdeck: %s\n", files.message().toLocal8Bit().constData());
            result = 1;
        } else {
            for (const QString &file : files.value())
                printf("%s\n", file.toLocal8Bit().constData());
            // Where the shots cut text off: what a translation (or a new label) needs room for.
            for (const QString &text : std::as_const(clipped))
                fprintf(stderr, "opsdeck: clipped text in %s\n", text.toLocal8Bit().constData());
            // And what a screen reader could not use (an unnamed control).
            for (const QString &text : std::as_const(access))
                fprintf(stderr, "opsdeck: accessibility in %s\n", text.toLocal8Bit().constData());
        }
    } else {
        window.restoreFromSettings();
        if (options.startupProbe)
            window.installEventFilter(&probe);
        window.show();
        if (!options.startupProbe) {
            // An earlier run that crashed left a report: say so once, without blocking the window.
            const QStringList crashes = CrashHandler::takeNewReports(dataDir);
            for (const QString &report : crashes)
                qCWarning(lcApp).noquote()
                    << "an earlier run crashed:" << CrashHandler::summary(report) << "report" << report;
            window.announceCrashReports(crashes);
            window.offerIntroduction();
            window.startNotifications();
        }
        result = app.exec();
    }
    services.stopAll();
    Database::close();
    probe.quitting();
    return result;
}

} // namespace opsdeck
