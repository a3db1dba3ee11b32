#include "ui/panes/testruns/trendschart.h"
#include "ui/common/tones.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStackedLayout>
#include <QValueAxis>

#include <algorithm>

namespace opsdeck {

TrendsChart::TrendsChart(QWidget *parent) : QWidget(parent)
{
    m_view = new QChartView(new QChart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->chart()->legend()->setAlignment(Qt::AlignBottom);
    // A new palette: the series in its tones, the background and axes in its colours.
    onPaletteChange(m_view, [this] { setRuns(m_source, m_runs); });
    m_empty = new QLabel(tr("Select a run to see the trends of its source."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    auto *stack = new QStackedLayout(this);
    stack->addWidget(m_empty);
    stack->addWidget(m_view);
}

void TrendsChart::setRuns(const QString &source, QList<RunPoint> runs)
{
    QChart *chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis; // a removed axis is the caller's to delete
    }
    m_points = int(runs.size());
    m_source = source;
    m_runs = runs;
    auto *stack = static_cast<QStackedLayout *>(layout());
    if (runs.size() < 2) {
        m_empty->setText(runs.isEmpty() ? tr("Select a run to see the trends of its source.")
                                        : tr("%1 has one run so far: trends need two or more.").arg(source));
        stack->setCurrentWidget(m_empty);
        return;
    }
    std::sort(runs.begin(), runs.end(),
              [](const RunPoint &a, const RunPoint &b) { return a.startedAt < b.startedAt; });
    chart->setTitle(tr("%1: pass rate and duration per run").arg(source));
    auto *rate = new QLineSeries;
    rate->setName(tr("Pass rate (%)"));
    auto *rateDots = new QScatterSeries;
    rateDots->setMarkerSize(6);
    rateDots->setColor(toneColour(Tone::Good, palette()));
    rate->setColor(toneColour(Tone::Good, palette()));
    auto *duration = new QLineSeries;
    duration->setName(tr("Duration (s)"));
    duration->setColor(toneColour(Tone::Accent, palette()));
    double longest = 0;
    for (const RunPoint &p : std::as_const(runs)) {
        const double x = double(p.startedAt.toMSecsSinceEpoch());
        if (p.passRate >= 0) {
            rate->append(x, p.passRate);
            rateDots->append(x, p.passRate);
        }
        duration->append(x, p.durationMs / 1000.0);
        longest = qMax(longest, p.durationMs / 1000.0);
    }
    chart->addSeries(rate);
    chart->addSeries(rateDots);
    chart->addSeries(duration);
    chart->legend()->markers(rateDots).constFirst()->setVisible(false);

    auto *time = new QDateTimeAxis;
    time->setFormat(QStringLiteral("d MMM"));
    time->setRange(runs.constFirst().startedAt.toLocalTime(), runs.constLast().startedAt.toLocalTime());
    chart->addAxis(time, Qt::AlignBottom);
    auto *percent = new QValueAxis;
    percent->setRange(0, 100);
    percent->setLabelFormat(QStringLiteral("%d %%"));
    percent->setTitleText(tr("Pass rate"));
    chart->addAxis(percent, Qt::AlignLeft);
    auto *seconds = new QValueAxis;
    seconds->setRange(0, longest > 0 ? longest * 1.1 : 1);
    // Enough decimals that runs under ten seconds, or under one, do not all read "0 s".
    seconds->setLabelFormat(longest >= 10  ? QStringLiteral("%.0f s")
                            : longest >= 1 ? QStringLiteral("%.1f s")
                                           : QStringLiteral("%.2f s"));
    seconds->setTitleText(tr("Duration"));
    chart->addAxis(seconds, Qt::AlignRight);
    for (QAbstractSeries *s :
         {static_cast<QAbstractSeries *>(rate), static_cast<QAbstractSeries *>(rateDots)}) {
        s->attachAxis(time);
        s->attachAxis(percent);
    }
    duration->attachAxis(time);
    duration->attachAxis(seconds);
    styleChart(chart, palette());
    stack->setCurrentWidget(m_view);
}

} // namespace opsdeck
