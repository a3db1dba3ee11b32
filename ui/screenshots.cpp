#include "ui/screenshots.h"

#include "ui/common/accessibility.h"
#include "ui/common/clippedtext.h"
#include "ui/connections/connectionsdialog.h"
#include "ui/introductiondialog.h"
#include "ui/mainwindow.h"
#include "ui/panes/pane.h"
#include "ui/quickswitcher.h"
#include "ui/settingsdialog.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QTimer>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Screenshots)
};
} // namespace

namespace {
void settle()
{
    // Let layouts, queued model loads and repaints run before grabbing.
    QEventLoop loop;
    QTimer::singleShot(150, &loop, &QEventLoop::quit);
    loop.exec();
}
} // namespace

Result<QStringList> saveScreenshots(MainWindow *window, const QString &directory, QStringList *clipped,
                                    QStringList *access)
{
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral(".")))
        return makeError("screenshot.dir", Tr::tr("Cannot create the directory %1.").arg(directory));
    QStringList files;
    const auto save = [&](QWidget *widget, const QString &name) -> Result<void> {
        // A text that changed during the last settle (a count arriving from a model) has asked for a
        // new layout; on a slow machine (a sanitizer build beside other suites) the window may still
        // be settling, its first pane's buttons a few pixels wide. Clipped text is reported only when
        // it stays for five seconds, and the shot is taken then; a clean shot costs no wait.
        QStringList problems;
        QElapsedTimer waited;
        waited.start();
        for (;;) {
            for (int round = 0; round < 4; ++round)
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            problems = clipped ? findClippedText(widget) : QStringList();
            if (problems.isEmpty() || waited.elapsed() >= 5000)
                break;
            settle();
        }
        const QString file = dir.absoluteFilePath(name + QStringLiteral(".png"));
        if (!widget->grab().save(file))
            return makeError("screenshot.write", Tr::tr("Cannot write %1.").arg(file));
        files << file;
        for (const QString &text : std::as_const(problems))
            *clipped << name + QStringLiteral(".png: ") + text;
        if (access)
            for (const QString &text : findAccessibilityProblems(widget))
                *access << name + QStringLiteral(".png: ") + text;
        return {};
    };
    int index = 1;
    for (Pane *pane : window->panes()) {
        window->showPane(pane->id());
        settle();
        const QString name = QStringLiteral("%1-%2").arg(index++, 2, 10, QLatin1Char('0')).arg(pane->id());
        if (auto r = save(window, name); !r)
            return r.error();
        for (const QString &view : pane->extraViews()) {
            pane->showView(view);
            settle();
            if (auto r = save(window, name + QLatin1Char('-') + view); !r)
                return r.error();
        }
        pane->showView(QString());
        for (const QString &dialogName : pane->screenshotDialogs()) {
            QPointer<QWidget> dialog = pane->openScreenshotDialog(dialogName);
            if (!dialog)
                continue;
            settle(); // its first answers from the service (lists, previews)
            settle();
            if (auto r = save(dialog, name + QLatin1Char('-') + dialogName); !r)
                return r.error();
            dialog->close();
        }
    }
    window->openConnections();
    settle();
    if (auto r = save(window->connectionsDialog(), QStringLiteral("connections")); !r)
        return r.error();
    window->connectionsDialog()->hide();
    window->openSettings();
    settle();
    if (auto r = save(window->settingsDialog(), QStringLiteral("settings")); !r)
        return r.error();
    window->settingsDialog()->reject();
    window->openIntroduction();
    settle();
    if (auto r = save(window->introductionDialog(), QStringLiteral("introduction")); !r)
        return r.error();
    // Closed without being recorded: a screenshot run is nobody's first start.
    window->introductionDialog()->hide();
    window->introductionDialog()->deleteLater();
    window->openQuickSwitcher();
    settle();
    if (auto r = save(window->quickSwitcher(), QStringLiteral("quick-switcher")); !r)
        return r.error();
    window->quickSwitcher()->hide();
    return files;
}

} // namespace opsdeck
