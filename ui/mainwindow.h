// The main window: a thin shell with a sidebar of panes, a status bar of connection states,
// the menus and shortcuts. Panes do the work; services are reached through queued calls.
#pragma once

#include "models/connections/connection.h"

#include "ui/panes/panes.h"

#include <QMainWindow>
#include <QPointer>

class QListWidget;
class QStackedWidget;

namespace opsdeck {

class AppSettings;
class AuditService;
class GitHubService;
class AuditLogPane;
class ConnectionService;
class ConnectionStatusBar;
class ConnectionsDialog;
class SettingsDialog;
class IntroductionDialog;
class DesktopNotifier;
class NoticeHub;
struct DesktopNotice;
class ConnectionsModel;
class Pane;
class QuickSwitcher;
struct Outcome;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // services: the backends panes talk to (audit, GitHub, Docker); any may be null in tests.
    MainWindow(ConnectionsModel *connections, ConnectionService *service, const PaneContext &services,
               AppSettings *settings, bool demo, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Every pane, built now if it was not yet (tests and the screenshot mode use this; the window
    // itself builds a pane when it is first shown, and the rest in idle time after the first paint).
    const QList<Pane *> &panes();
    // The pane at a sidebar row, built if needed.
    Pane *paneAt(int row);
    // Whether the pane at a sidebar row has been built (for tests of the lazy start).
    bool isPaneBuilt(int row) const { return row >= 0 && row < m_panes.size() && m_panes.at(row); }
    int paneCount() const { return int(m_slots.size()); }
    Pane *currentPane() const;
    bool showPane(const QString &paneId);
    ConnectionStatusBar *connectionStatus() const { return m_status; }
    QuickSwitcher *quickSwitcher() const { return m_switcher; }
    ConnectionsDialog *connectionsDialog() const { return m_dialog; }
    AuditLogPane *auditPane();

    void restoreFromSettings();
    void openConnections(std::optional<ConnectionKind> newKind = std::nullopt, qint64 selectId = 0);
    // File › Team Workspace…: join a team's workspace, see how it stands, or leave it.
    void openTeamWorkspace();
    void openQuickSwitcher();
    void refreshCurrentPane();
    // Tells the admin that an earlier run crashed (reports: the crash report files, newest first),
    // without blocking the window: a notice that names the report and opens its folder.
    void announceCrashReports(const QStringList &reports);
    // View › Language: keeps the choice (a code, or empty for the desktop's language) and, when the
    // window would speak another language, offers to restart Opsdeck in it.
    void chooseLanguage(const QString &code);
    // File › Settings…: the preferences of settings.ini, applied when the dialog is accepted.
    void openSettings();
    SettingsDialog *settingsDialog() const;
    // Help › Introduction: what Opsdeck does and where to begin (ui/introductiondialog.h).
    void openIntroduction();
    IntroductionDialog *introductionDialog() const;
    // A start of the real window (not a screenshot or probe run): the introduction appears once the
    // workspace's copy names the person acting here, if they have not seen it and there is no
    // connection yet. Seeing it is recorded in the workspace (and in settings.ini, for when the
    // team store does not answer).
    void offerIntroduction();
    // Desktop notifications and the tray icon (ui/desktopnotifier.h, ui/noticehub.h), for a real
    // run (not a screenshot or the start-up probe).
    void startNotifications();
    DesktopNotifier *notifier() const { return m_notifier; }
    // A clicked notice: its pane on its row, or the Connections dialog on its connection.
    void openNotice(const opsdeck::DesktopNotice &notice);

signals:
    // Once, just after the window was first painted: the application starts its service threads.
    void firstPainted();
    // View › Language › Restart Now: the window closed; the application starts Opsdeck again, with
    // these arguments, once this run has shut down.
    void restartRequested(const QStringList &arguments);
    // The introduction's Open the Demo: the application starts the demo beside this window.
    void demoRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void createActions();
    void addLanguageMenu(QMenu *view);
    void buildNextPaneWhenIdle();
    void onSyncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void considerIntroduction();
    void recordIntroductionSeen();

    ConnectionsModel *m_connections;
    ConnectionService *m_service;
    AppSettings *m_settings;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    ConnectionStatusBar *m_status;
    QuickSwitcher *m_switcher;
    ConnectionsDialog *m_dialog = nullptr;
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<IntroductionDialog> m_intro;
    DesktopNotifier *m_notifier = nullptr;
    NoticeHub *m_notices = nullptr;
    QList<QMetaObject::Connection> m_introWatch; // while the window waits to show the introduction
    PaneContext m_context;
    QList<PaneSlot> m_slots;
    QList<Pane *> m_panes; // nullptr until built; the stack holds a placeholder until then
    bool m_painted = false;
    bool m_demo = false;
};

} // namespace opsdeck
