// Trends of a test source (Qt Charts): the pass rate and the duration of each of its runs over time.
#pragma once

#include <QDateTime>
#include <QList>
#include <QWidget>

class QChartView;
class QLabel;

namespace opsdeck {

struct RunPoint
{
    QDateTime startedAt;
    double passRate = -1; // percent; -1: no case was judged (all skipped)
    qint64 durationMs = 0;
};

class TrendsChart : public QWidget
{
    Q_OBJECT
public:
    explicit TrendsChart(QWidget *parent = nullptr);
    // The source's runs, any order; an empty list shows what to do instead of an empty chart.
    void setRuns(const QString &source, QList<RunPoint> runs);
    int pointCount() const { return m_points; }

private:
    QChartView *m_view;
    QLabel *m_empty;
    int m_points = 0;
    // What the chart shows, to draw it again in a new palette's tones.
    QString m_source;
    QList<RunPoint> m_runs;
};

} // namespace opsdeck
