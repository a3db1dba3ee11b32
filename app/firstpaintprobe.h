// The start-up benchmark's probe: on the first paint of the widget it watches, prints
// "first paint" on stdout and quits the application, as Ctrl+Q would; when the program has
// shut down and is about to return from main(), quitting() prints "quit N ms" (the time from the
// quit request). Used by opsdeck --startup-probe and by the minimal Qt program the benchmark
// compares it with, so both are measured the same way.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QObject>
#include <QTimer>

#include <cstdio>

class FirstPaintProbe : public QObject
{
public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, qApp, [this] { // after the paint has finished
                std::fputs("first paint\n", stdout);
                std::fflush(stdout);
                m_quit.start();
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }
    // Call at the end of main(), after everything the program stops on quit has stopped.
    void quitting() const
    {
        if (!m_quit.isValid())
            return;
        std::printf("quit %.1f ms\n", m_quit.nsecsElapsed() / 1e6);
        std::fflush(stdout);
    }

private:
    bool m_seen = false;
    QElapsedTimer m_quit;
};
