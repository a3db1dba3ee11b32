#include "ui/mainwindow.h"

#include "ui/panes/testrunspane.h"

#include "models/connections/connectionsmodel.h"
#include "models/core/appsettings.h"
#include "models/core/languages.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/connections/connectionservice.h"
#include "services/docker/dockerservice.h"
#include "services/github/githubservice.h"
#include "services/images/registryservice.h"
#include "services/store/crashhandler.h"
#include "services/workspace/workspaceservice.h"
#include "ui/connections/connectionsdialog.h"
#include "ui/connections/connectionstatusbar.h"
#include "ui/desktopnotifier.h"
#include "ui/introductiondialog.h"
#include "ui/noticehub.h"
#include "ui/panes/audit/auditlogpane.h"
#include "ui/panes/panes.h"
#include "ui/quickswitcher.h"
#include "ui/settingsdialog.h"
#include "ui/workspace/teamworkspacedialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QKeySequence>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>

namespace opsdeck {

MainWindow::MainWindow(ConnectionsModel *connections, ConnectionService *service, const PaneContext &services,
                       AppSettings *settings, bool demo, QWidget *parent)
    : QMainWindow(parent), m_connections(connections), m_service(service), m_settings(settings),
      m_sidebar(new QListWidget(this)), m_stack(new QStackedWidget(this)),
      m_status(new ConnectionStatusBar(connections, this)), m_switcher(new QuickSwitcher(this))
{
    m_demo = demo;
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(demo ? tr("Opsdeck — Demo") : tr("Opsdeck"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/opsdeck.svg")));

    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Panes"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSpacing(2);
    m_context = services;
    m_context.connections = connections;
    m_slots = paneSlots(m_context);
    GitHubService *github = services.github;
    for (const PaneSlot &slot : std::as_const(m_slots)) {
        auto *item = new QListWidgetItem(Pane::iconFor(slot.info.id), slot.info.title, m_sidebar);
        item->setData(Qt::UserRole, slot.info.id);
        m_stack->addWidget(new QWidget(m_stack)); // the pane's place until it is built
        m_panes.append(nullptr);
    }
    m_sidebar->setMinimumWidth(m_sidebar->sizeHintForColumn(0) + 32);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (paneAt(row))
            m_stack->setCurrentIndex(row);
    });

    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("mainSplitter"));
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    splitter->setCollapsible(1, false);
    setCentralWidget(splitter);

    statusBar()->addPermanentWidget(m_status, 1);
    connect(m_status, &ConnectionStatusBar::connectionClicked, this,
            [this](qint64 id) { openConnections(std::nullopt, id); });

    connect(m_service, &ConnectionService::syncStarted, this,
            [this](qint64 id) { m_connections->setSyncing(id, true); });
    connect(m_service, &ConnectionService::syncProgress, this,
            [this](qint64 id, int percent) { m_connections->setSyncing(id, true, percent); });
    connect(m_service, &ConnectionService::syncFinished, this, &MainWindow::onSyncFinished);
    if (github) {
        connect(github, &GitHubService::syncStarted, this,
                [this](qint64 id) { m_connections->setSyncing(id, true); });
        connect(github, &GitHubService::syncProgress, this,
                [this](qint64 id, int percent) { m_connections->setSyncing(id, true, percent); });
        connect(github, &GitHubService::syncFinished, this, &MainWindow::onSyncFinished);
    }
    if (DockerService *docker = services.docker) {
        connect(docker, &DockerService::syncStarted, this,
                [this](qint64 id) { m_connections->setSyncing(id, true); });
        connect(docker, &DockerService::syncFinished, this, &MainWindow::onSyncFinished);
    }
    if (RegistryService *registry = services.registry) {
        connect(registry, &RegistryService::syncStarted, this,
                [this](qint64 id) { m_connections->setSyncing(id, true); });
        connect(registry, &RegistryService::syncProgress, this,
                [this](qint64 id, int percent) { m_connections->setSyncing(id, true, percent); });
        connect(registry, &RegistryService::syncFinished, this, &MainWindow::onSyncFinished);
    }
    connect(m_service, &ConnectionService::rateLimitChanged, this, [this](qint64 id, const RateLimit &limit) {
        const int row = m_connections->rowOfKey(id);
        const QString name = row >= 0 ? m_connections->connectionAt(row).name : QString();
        m_status->setRateLimit(
            tr("%1 API: %2 of %3 requests left, resets %4")
                .arg(name)
                .arg(limit.remaining)
                .arg(limit.limit)
                .arg(QLocale().toString(limit.reset.toLocalTime().time(), QLocale::ShortFormat)));
    });
    connect(m_switcher, &QuickSwitcher::paneChosen, this, [this](const QString &id) { showPane(id); });
    connect(m_switcher, &QuickSwitcher::connectionChosen, this,
            [this](qint64 id) { openConnections(std::nullopt, id); });

    createActions();
    // The pane shown first is the only one built before the first paint: the one the admin left.
    const int last =
        int(std::find_if(m_slots.cbegin(), m_slots.cend(),
                         [id = m_settings->lastPane()](const PaneSlot &s) { return s.info.id == id; }) -
            m_slots.cbegin());
    m_sidebar->setCurrentRow(last < m_slots.size() ? last : 0);
    // Remember the pane the admin chose (not the default above), for the next start.
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < m_slots.size())
            m_settings->setLastPane(m_slots.at(row).info.id);
    });
}

MainWindow::~MainWindow() = default;

Pane *MainWindow::paneAt(int row)
{
    if (row < 0 || row >= m_slots.size())
        return nullptr;
    if (Pane *built = m_panes.at(row))
        return built;
    Pane *pane = m_slots.at(row).build(m_stack);
    m_panes[row] = pane;
    connect(pane, &Pane::refreshRequested, this, [this](const QList<qint64> &ids) {
        if (ids.isEmpty()) {
            statusBar()->showMessage(tr("Nothing to refresh: no connection feeds this pane yet."), 5000);
            return;
        }
        statusBar()->showMessage(tr("Refreshing %n connection(s)…", nullptr, int(ids.size())), 3000);
        QMetaObject::invokeMethod(m_service, [service = m_service, ids] { service->checkHealth(ids); });
    });
    connect(pane, &Pane::addConnectionRequested, this,
            [this](ConnectionKind kind) { openConnections(kind); });
    // Put the pane where its placeholder was.
    QWidget *placeholder = m_stack->widget(row);
    const bool wasCurrent = m_stack->currentIndex() == row;
    m_stack->insertWidget(row, pane);
    m_stack->removeWidget(placeholder);
    placeholder->deleteLater();
    if (wasCurrent)
        m_stack->setCurrentIndex(row);
    return pane;
}

const QList<Pane *> &MainWindow::panes()
{
    for (int row = 0; row < m_slots.size(); ++row)
        paneAt(row);
    return m_panes;
}

bool MainWindow::event(QEvent *event)
{
    const bool handled = QMainWindow::event(event);
    if (event->type() == QEvent::Paint && !m_painted) {
        m_painted = true;
        // After this paint has reached the screen: services start, the other panes follow one per
        // turn of the event loop, so input is never held up for long.
        QTimer::singleShot(0, this, [this] {
            emit firstPainted();
            buildNextPaneWhenIdle();
        });
    }
    return handled;
}

void MainWindow::buildNextPaneWhenIdle()
{
    const auto next = std::find(m_panes.cbegin(), m_panes.cend(), nullptr);
    if (next == m_panes.cend())
        return;
    paneAt(int(next - m_panes.cbegin()));
    QTimer::singleShot(0, this, &MainWindow::buildNextPaneWhenIdle);
}

void MainWindow::openTeamWorkspace()
{
    if (!m_context.workspace || m_demo)
        return;
    TeamWorkspaceDialog dialog(m_context.workspace, m_settings, this);
    dialog.exec();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectionsAction = file->addAction(QIcon::fromTheme(QStringLiteral("network-server")),
                                                 tr("&Connections…"), this, [this] { openConnections(); });
    connectionsAction->setShortcut(QKeySequence(QKeySequence::Preferences).isEmpty()
                                       ? QKeySequence(tr("Ctrl+,"))
                                       : QKeySequence(QKeySequence::Preferences));
    QAction *teamAction = file->addAction(QIcon::fromTheme(QStringLiteral("system-users")),
                                          tr("Team &Workspace…"), this, [this] { openTeamWorkspace(); });
    teamAction->setEnabled(m_context.workspace != nullptr && !m_demo);
    if (!m_context.workspace || m_demo)
        teamAction->setToolTip(tr("The demo has its own team; a real data directory joins one."));
    QAction *importTests = file->addAction(QIcon::fromTheme(QStringLiteral("document-import")),
                                           tr("&Import Test Results…"), this, [this] {
                                               if (!showPane(TestRunsPane::describe().id))
                                                   return;
                                               if (auto *pane = qobject_cast<TestRunsPane *>(currentPane()))
                                                   pane->openImport();
                                           });
    importTests->setShortcut(QKeySequence(tr("Ctrl+I")));
    importTests->setEnabled(m_context.testruns != nullptr);
    file->addSeparator();
    file->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("&Settings…"), this,
                    &MainWindow::openSettings);
    file->addSeparator();
    QAction *quit = file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this,
                                    &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setShortcutContext(Qt::ApplicationShortcut);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *refresh = view->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Refresh"), this,
                                       &MainWindow::refreshCurrentPane);
    // F5 everywhere, plus the platform's own refresh key where it differs (Ctrl+R on some desktops).
    QList<QKeySequence> refreshKeys{QKeySequence(Qt::Key_F5)};
    for (const QKeySequence &key : QKeySequence::keyBindings(QKeySequence::Refresh))
        if (!refreshKeys.contains(key))
            refreshKeys << key;
    refresh->setShortcuts(refreshKeys);
    QAction *goTo = view->addAction(tr("&Go to…"), this, &MainWindow::openQuickSwitcher);
    goTo->setShortcut(QKeySequence(tr("Ctrl+K")));
    view->addSeparator();
    for (int i = 0; i < m_slots.size(); ++i) {
        const Pane::Info &info = m_slots.at(i).info;
        QAction *a = view->addAction(Pane::iconFor(info.id), info.title, this,
                                     [this, i] { m_sidebar->setCurrentRow(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *next = view->addAction(tr("&Next pane"), this, [this] {
        m_sidebar->setCurrentRow((m_sidebar->currentRow() + 1) % int(m_slots.size()));
    });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction *previous = view->addAction(tr("&Previous pane"), this, [this] {
        m_sidebar->setCurrentRow((m_sidebar->currentRow() + int(m_slots.size()) - 1) % int(m_slots.size()));
    });
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    view->addSeparator();
    addLanguageMenu(view);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QMessageBox::information(
            this, tr("Keyboard shortcuts"),
            tr("<table>"
               "<tr><td><b>Ctrl+K</b></td><td>Go to a pane or connection</td></tr>"
               "<tr><td><b>Ctrl+1 … Ctrl+7</b></td><td>Show a pane</td></tr>"
               "<tr><td><b>Ctrl+PgDown / Ctrl+PgUp</b></td><td>Next / previous pane</td></tr>"
               "<tr><td><b>F5</b></td><td>Refresh the current pane</td></tr>"
               "<tr><td><b>Ctrl+,</b></td><td>Connections</td></tr>"
               "<tr><td><b>Ctrl+Q</b></td><td>Quit</td></tr>"
               "</table>"));
    });
    keys->setShortcut(QKeySequence::HelpContents);
    QAction *intro = help->addAction(tr("&Introduction"), this, &MainWindow::openIntroduction);
    intro->setObjectName(QStringLiteral("introductionAction"));
    help->addAction(tr("&About Opsdeck"), this, [this] {
        QMessageBox::about(
            this, tr("About Opsdeck"),
            tr("<h3>Opsdeck %1</h3><p>A native admin console for GitHub Actions runners, Docker "
               "deployments, Harbor images, LiteLLM budgets and contract tests.</p>")
                .arg(QStringLiteral(OPSDECK_VERSION)));
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

AuditLogPane *MainWindow::auditPane()
{
    for (int row = 0; row < m_slots.size(); ++row)
        if (m_slots.at(row).info.id == AuditLogPane::describe().id)
            return qobject_cast<AuditLogPane *>(paneAt(row));
    return nullptr;
}

Pane *MainWindow::currentPane() const
{
    return qobject_cast<Pane *>(m_stack->currentWidget());
}

bool MainWindow::showPane(const QString &paneId)
{
    for (int i = 0; i < m_slots.size(); ++i) {
        if (m_slots.at(i).info.id == paneId) {
            m_sidebar->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

void MainWindow::restoreFromSettings()
{
    const QByteArray geometry = m_settings->windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        resize(available.size().boundedTo(QSize(1280, 800)));
    }
    restoreState(m_settings->windowState());
    const QString last = m_settings->lastPane();
    if (!last.isEmpty())
        showPane(last);
}

void MainWindow::announceCrashReports(const QStringList &reports)
{
    if (reports.isEmpty())
        return;
    const QString newest = reports.constFirst();
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Opsdeck stopped unexpectedly"),
                        tr("Opsdeck stopped unexpectedly the last time it ran."), QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("crashNotice"));
    QString details = CrashHandler::summary(newest);
    if (reports.size() > 1)
        details += QLatin1Char('\n') +
                   tr("%n more crash report(s) in the same folder.", nullptr, int(reports.size() - 1));
    box->setInformativeText(
        tr("The crash report is %1. Nothing in it is secret (it holds no memory contents); "
           "attach it when you report the problem.\n\n%2")
            .arg(QDir::toNativeSeparators(newest), details));
    QPushButton *show = box->addButton(tr("Show Report Folder"), QMessageBox::ActionRole);
    connect(show, &QPushButton::clicked, this,
            [newest] { QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(newest).absolutePath())); });
    box->setModal(false);
    box->show();
    statusBar()->showMessage(tr("Opsdeck stopped unexpectedly last time; the crash report is %1")
                                 .arg(QDir::toNativeSeparators(newest)),
                             60000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::openConnections(std::optional<ConnectionKind> newKind, qint64 selectId)
{
    if (!m_dialog)
        m_dialog = new ConnectionsDialog(m_connections, m_service, this);
    m_dialog->setDefaultSyncIntervalMin(m_settings->defaultSyncIntervalMin());
    if (newKind)
        m_dialog->startNew(*newKind);
    else if (selectId)
        m_dialog->selectConnection(selectId);
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
}

void MainWindow::openQuickSwitcher()
{
    m_switcher->clear();
    for (const PaneSlot &slot : std::as_const(m_slots))
        m_switcher->addEntry(QuickSwitcher::PaneEntry, slot.info.id, slot.info.title, tr("pane"),
                             Pane::iconFor(slot.info.id));
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const Connection c = m_connections->connectionAt(row);
        m_switcher->addEntry(QuickSwitcher::ConnectionEntry, QString::number(c.id), c.name,
                             tr("%1 connection").arg(kindDisplayName(c.kind)),
                             QIcon(QStringLiteral(":/icons/connection.svg")));
    }
    const QRect area = geometry();
    m_switcher->move(area.center().x() - m_switcher->width() / 2, area.top() + 80);
    m_switcher->show();
    m_switcher->filterEdit()->setFocus();
}

void MainWindow::refreshCurrentPane()
{
    if (Pane *pane = currentPane())
        pane->refresh();
}

void MainWindow::onSyncFinished(qint64 connectionId, const Outcome &outcome)
{
    m_connections->setSyncing(connectionId, false);
    if (!outcome.ok) {
        const int row = m_connections->rowOfKey(connectionId);
        const QString name = row >= 0 ? m_connections->connectionAt(row).name : QString();
        statusBar()->showMessage(tr("%1: %2").arg(name, outcome.message), 10000);
    }
}

void MainWindow::addLanguageMenu(QMenu *view)
{
    QMenu *menu = view->addMenu(tr("&Language"));
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto *group = new QActionGroup(menu);
    for (const auto &[code, text] : SettingsDialog::languageChoices()) {
        QAction *a = menu->addAction(text, this, [this, code = code] { chooseLanguage(code); });
        a->setCheckable(true);
        a->setChecked(m_settings->language() == code);
        a->setData(code);
        group->addAction(a);
        if (code.isEmpty())
            menu->addSeparator(); // the desktop's, then each language
    }
    // A choice made elsewhere (File › Settings…) shows here too.
    connect(m_settings, &AppSettings::languageChanged, group, [group](const QString &code) {
        for (QAction *a : group->actions())
            a->setChecked(a->data().toString() == code);
    });
}

void MainWindow::chooseLanguage(const QString &code)
{
    if (m_settings->language() == code)
        return;
    m_settings->setLanguage(code);
    m_settings->sync();
    // The texts are translated as the window is built, so another language needs a new start.
    const QString running = qApp->property("opsdeckLanguage").toString();
    const QString wanted = effectiveLanguage(code);
    if (wanted == running)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Information, tr("Language"),
        tr("Opsdeck shows its window in %1 from its next start.").arg(nativeLanguageName(wanted)),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("languageNotice"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *restart = box->addButton(tr("&Restart Now"), QMessageBox::AcceptRole);
    box->addButton(tr("&Later"), QMessageBox::RejectRole);
    connect(restart, &QPushButton::clicked, this, [this] {
        // The same program and arguments, without a --language that would override the choice.
        QStringList arguments = QCoreApplication::arguments().mid(1);
        for (qsizetype i = 0; i < arguments.size();) {
            if (arguments.at(i) == QLatin1String("--language") && i + 1 < arguments.size())
                arguments.remove(i, 2);
            else if (arguments.at(i).startsWith(QLatin1String("--language=")))
                arguments.remove(i);
            else
                ++i;
        }
        if (close())
            emit restartRequested(arguments);
    });
    box->open();
}

SettingsDialog *MainWindow::settingsDialog() const
{
    return m_settingsDialog;
}

void MainWindow::openSettings()
{
    if (m_settingsDialog) {
        m_settingsDialog->raise();
        m_settingsDialog->activateWindow();
        return;
    }
    m_settingsDialog = new SettingsDialog(m_settings, this);
    m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_settingsDialog, &QDialog::accepted, this, [this, dialog = m_settingsDialog.data()] {
        dialog->apply();
        chooseLanguage(dialog->language());
    });
    m_settingsDialog->open();
}

IntroductionDialog *MainWindow::introductionDialog() const
{
    return m_intro;
}

void MainWindow::openIntroduction()
{
    if (m_intro) {
        m_intro->raise();
        m_intro->activateWindow();
        return;
    }
    m_intro = new IntroductionDialog(m_demo || !m_context.workspace, this);
    m_intro->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_intro, &IntroductionDialog::addConnectionChosen, this,
            [this](ConnectionKind kind) { openConnections(kind); });
    // Queued: the introduction closes before the team dialog's own loop starts.
    connect(m_intro, &IntroductionDialog::joinTeamChosen, this, &MainWindow::openTeamWorkspace,
            Qt::QueuedConnection);
    connect(m_intro, &IntroductionDialog::demoChosen, this, &MainWindow::demoRequested);
    connect(m_intro, &QDialog::finished, this, &MainWindow::recordIntroductionSeen);
    m_intro->open();
}

void MainWindow::offerIntroduction()
{
    if (m_demo || !m_introWatch.isEmpty())
        return;
    // The person is known once the workspace service copied its store (just after the first paint);
    // a connection added meanwhile means the admin found their way without it.
    m_introWatch << connect(
        CacheNotifier::instance(), &CacheNotifier::tablesChanged, this, [this](const QStringList &tables) {
            if (tables.contains(Tables::workspacePeople) || tables.contains(Tables::workspaceState))
                considerIntroduction();
        });
    m_introWatch << connect(m_connections, &ConnectionsModel::loaded, this,
                            &MainWindow::considerIntroduction);
    considerIntroduction();
}

void MainWindow::considerIntroduction()
{
    if (m_introWatch.isEmpty() || m_intro || m_connections->rowCount() > 0)
        return;
    const auto acting = readActing(Database::connection());
    if (!acting || acting->login.isEmpty() || !acting->person || acting->person->introDone ||
        m_settings->introductionSeen().contains(acting->login))
        return;
    for (const QMetaObject::Connection &c : std::as_const(m_introWatch)) // once a run
        disconnect(c);
    m_introWatch.clear();
    openIntroduction();
}

void MainWindow::recordIntroductionSeen()
{
    const auto acting = readActing(Database::connection());
    if (!acting || acting->login.isEmpty())
        return;
    m_settings->addIntroductionSeen(acting->login);
    m_settings->sync();
    if (WorkspaceService *workspace = m_context.workspace;
        workspace && acting->person && !acting->person->introDone)
        QMetaObject::invokeMethod(workspace, [workspace] { workspace->setIntroductionDone(true); });
}

void MainWindow::startNotifications()
{
    if (m_notifier)
        return;
    m_notifier = new DesktopNotifier(m_settings, this, this);
    m_notices = new NoticeHub(m_notifier, m_connections, m_service, m_context, this);
    connect(m_notifier, &DesktopNotifier::activated, this, &MainWindow::openNotice);
}

void MainWindow::openNotice(const DesktopNotice &notice)
{
    showNormal();
    raise();
    activateWindow();
    if (notice.paneId == QLatin1String("connections")) {
        openConnections(std::nullopt, notice.connectionId);
        return;
    }
    if (!showPane(notice.paneId) || notice.target.isEmpty())
        return;
    // A pane built just now reads its lists in the background: a few tries before giving up.
    const auto reveal = std::make_shared<std::function<void(int)>>();
    *reveal = [this, notice, weak = std::weak_ptr(reveal)](int tries) {
        Pane *pane = currentPane();
        if (!pane || pane->id() != notice.paneId || pane->revealItem(notice.target))
            return;
        if (tries > 0) {
            if (auto again = weak.lock())
                QTimer::singleShot(200, this, [again, tries] { (*again)(tries - 1); });
            return;
        }
        statusBar()->showMessage(tr("%1: no longer in the list, or hidden by its filter.").arg(notice.title),
                                 8000);
    };
    (*reveal)(10);
}

} // namespace opsdeck
