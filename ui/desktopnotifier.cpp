#include "ui/desktopnotifier.h"

#include "models/core/appsettings.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QIcon>
#include <QLoggingCategory>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

Q_LOGGING_CATEGORY(lcNotify, "opsdeck.notify", QtInfoMsg)

namespace opsdeck {

namespace {
const QString service = QStringLiteral("org.freedesktop.Notifications");
const QString path = QStringLiteral("/org/freedesktop/Notifications");
const QString interface = QStringLiteral("org.freedesktop.Notifications");
} // namespace

DesktopNotifier::DesktopNotifier(AppSettings *settings, QWidget *window, QObject *parent)
    : QObject(parent), m_settings(settings), m_window(window)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    m_bus = bus.isConnected();
    if (m_bus) {
        bus.connect(service, path, interface, QStringLiteral("ActionInvoked"), this,
                    SLOT(onActionInvoked(uint, QString)));
        bus.connect(service, path, interface, QStringLiteral("NotificationClosed"), this,
                    SLOT(onClosed(uint, uint)));
    }
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/opsdeck.svg")), this);
        m_tray->setToolTip(tr("Opsdeck"));
        auto *menu = new QMenu(window);
        menu->addAction(tr("&Show Opsdeck"), this, [this] {
            if (m_window) {
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
            }
        });
        menu->addSeparator();
        menu->addAction(tr("&Quit"), this, [this] {
            if (m_window)
                m_window->close();
        });
        m_tray->setContextMenu(menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger && m_window) {
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
            }
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (m_trayShown)
                emit activated(*std::exchange(m_trayShown, std::nullopt));
        });
        m_tray->show();
    }
}

DesktopNotifier::~DesktopNotifier() = default;

void DesktopNotifier::notify(const DesktopNotice &notice)
{
    if (!m_settings->notificationEnabled(notice.kind))
        return;
    qCInfo(lcNotify).noquote() << noticeKindId(notice.kind) << notice.title << "—" << notice.body;
    emit shown(notice);
    if (!m_bus)
        return toTray(notice);
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout); the
    // body may be read as markup, so its text is escaped.
    QDBusMessage call = QDBusMessage::createMethodCall(service, path, interface, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("org.opsdeck.Opsdeck"));
    hints.insert(QStringLiteral("category"),
                 notice.kind == NoticeKind::DeployFinished || notice.kind == NoticeKind::DeployFailed
                     ? QStringLiteral("transfer.complete")
                     : QStringLiteral("x-opsdeck.") + noticeKindId(notice.kind));
    call << QStringLiteral("Opsdeck") << uint(0) << QStringLiteral("org.opsdeck.Opsdeck") << notice.title
         << notice.body.toHtmlEscaped() << QStringList{QStringLiteral("default"), tr("Open")} << hints
         << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, notice] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            // No notification service on this desktop: the tray's message, if there is a tray.
            qCInfo(lcNotify).noquote() << "the desktop shows no notifications:" << reply.error().message();
            return toTray(notice);
        }
        m_sent.insert(reply.value(), notice);
    });
}

void DesktopNotifier::toTray(const DesktopNotice &notice)
{
    if (!m_tray)
        return;
    m_trayShown = notice;
    m_tray->showMessage(notice.title, notice.body,
                        notice.kind == NoticeKind::DeployFailed || notice.kind == NoticeKind::SyncFailed
                            ? QSystemTrayIcon::Warning
                            : QSystemTrayIcon::Information);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    const auto it = m_sent.constFind(id);
    if (it == m_sent.cend() || actionKey != QLatin1String("default"))
        return;
    const DesktopNotice notice = *it;
    m_sent.erase(it);
    emit activated(notice);
}

void DesktopNotifier::onClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    m_sent.remove(id);
}

} // namespace opsdeck
