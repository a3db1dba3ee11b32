// Shows desktop notifications (models/core/desktopnotice.h) and the tray icon. A notice goes to the
// desktop's notification service (org.freedesktop.Notifications on the session bus, the Desktop
// Notifications Specification) with a default action, so that a click on it opens its pane and row;
// without one, to the tray icon's message; without a tray either, only to the log. A kind the
// person turned off in File › Settings… is not shown at all.
#pragma once

#include "models/core/desktopnotice.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QWidget;

namespace opsdeck {

class AppSettings;

class DesktopNotifier : public QObject
{
    Q_OBJECT
public:
    // window: raised by the tray icon's Show Opsdeck; the tray icon appears where the desktop has a
    // tray (QSystemTrayIcon::isSystemTrayAvailable).
    DesktopNotifier(AppSettings *settings, QWidget *window, QObject *parent = nullptr);
    ~DesktopNotifier() override;

    QSystemTrayIcon *trayIcon() const { return m_tray; }
    // Notices the desktop's notification service holds now (sent, neither clicked nor closed).
    int pendingCount() const { return int(m_sent.size()); }

public slots:
    void notify(const opsdeck::DesktopNotice &notice);

signals:
    // Passed its switch and was handed to the desktop (or the tray, or the log).
    void shown(const opsdeck::DesktopNotice &notice);
    // The person clicked it: the window opens its pane and row.
    void activated(const opsdeck::DesktopNotice &notice);

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onClosed(uint id, uint reason);

private:
    void toTray(const DesktopNotice &notice);

    AppSettings *m_settings;
    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_bus = false;                // the session bus is there to send to
    QHash<uint, DesktopNotice> m_sent; // the notification service's ids
    std::optional<DesktopNotice> m_trayShown;
};

} // namespace opsdeck
