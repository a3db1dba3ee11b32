// How long the GUI thread's event loop was blocked while a benchmark ran: the largest gap between
// ticks of a 1 ms precise timer, minus the interval.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

// The largest gap between ticks of a 1 ms timer on the GUI thread, minus the interval.
class StallProbe : public QObject
{
public:
    StallProbe()
    {
        m_timer.setInterval(1);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_longest = qMax(m_longest, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_longest = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double stopMs()
    {
        m_timer.stop();
        return qMax<double>(0, m_longest / 1e6 - 1);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longest = 0;
};
