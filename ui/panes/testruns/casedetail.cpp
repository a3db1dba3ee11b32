#include "ui/panes/testruns/casedetail.h"
#include "ui/common/tones.h"

#include "models/store/database.h"
#include "ui/panes/testruns/historydelegate.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>

namespace opsdeck {

namespace {
QString pre(const QString &text)
{
    return QStringLiteral("<pre style=\"white-space: pre-wrap\">%1</pre>").arg(text.toHtmlEscaped());
}
} // namespace

CaseDetailPanel::CaseDetailPanel(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text = new QTextBrowser(this);
    m_text->setOpenLinks(false);
    m_text->setObjectName(QStringLiteral("caseDetailText"));
    m_durations = new QChartView(new QChart, this);
    m_durations->setRenderHint(QPainter::Antialiasing);
    m_durations->setMinimumHeight(120);
    onPaletteChange(m_durations, [this] { styleChart(m_durations->chart(), m_durations->palette()); });
    m_durations->setMaximumHeight(160);
    m_durations->chart()->legend()->hide();
    m_durations->chart()->setMargins(QMargins(2, 2, 2, 2));
    m_durations->chart()->setTitle(tr("Duration over the last runs"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_durations);
    layout->addWidget(m_text, 1);
    connect(&m_watcher, &QFutureWatcher<Result<CaseDetails>>::finished, this, [this] {
        const auto result = m_watcher.result();
        m_details = result;
        render();
    });
    showCase(0, {});
}

CaseDetailPanel::~CaseDetailPanel()
{
    // A read of one row: waited for, so that it never outlives the cache it reads.
    m_watcher.waitForFinished();
}

QString CaseDetailPanel::text() const
{
    return m_title->text() + QLatin1Char('\n') + m_text->toPlainText();
}

void CaseDetailPanel::showCase(qint64 runId, const QModelIndex &index)
{
    QChart *chart = m_durations->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    m_details.reset();
    if (!index.isValid()) {
        m_run = m_key = 0;
        m_title->setText(tr("No case selected"));
        m_text->setHtml(tr("<p>Select a case to see its history, why it failed and what it printed.</p>"));
        m_durations->hide();
        return;
    }
    const QModelIndex row = index.siblingAtColumn(0);
    m_run = runId;
    m_key = row.data(TestCasesModel::KeyIdRole).toLongLong();
    const QString name = row.siblingAtColumn(TestCasesModel::Name).data().toString();
    const QString cls = row.siblingAtColumn(TestCasesModel::Class).data().toString();
    const QString suite = row.siblingAtColumn(TestCasesModel::Suite).data().toString();
    m_title->setText(QStringList{suite, cls, name}.join(QStringLiteral(" › ")));

    // The history in words and the durations as a small chart.
    const QVariantList history = row.data(TestCasesModel::HistoryRole).toList();
    int passed = 0, failedRuns = 0, skipped = 0, absent = 0;
    auto *line = new QLineSeries;
    auto *dots = new QScatterSeries;
    dots->setMarkerSize(7);
    qint64 longest = 0;
    int x = 0;
    for (const QVariant &v : history) {
        const QVariantMap m = v.toMap();
        const int outcome = m.value(QStringLiteral("outcome")).toInt();
        ++x;
        if (outcome < 0) {
            ++absent;
            continue;
        }
        outcome == int(CaseOutcome::Passed)    ? ++passed
        : outcome == int(CaseOutcome::Skipped) ? ++skipped
                                               : ++failedRuns;
        if (outcome == int(CaseOutcome::Skipped))
            continue;
        const qint64 ms = m.value(QStringLiteral("ms")).toLongLong();
        line->append(x, double(ms));
        dots->append(x, double(ms));
        longest = qMax(longest, ms);
    }
    line->setColor(HistoryStripDelegate::outcomeColor(int(CaseOutcome::Passed), false).darker(130));
    dots->setColor(line->color());
    chart->addSeries(line);
    chart->addSeries(dots);
    auto *xAxis = new QValueAxis;
    xAxis->setRange(1, qMax(2, x));
    xAxis->setLabelsVisible(false);
    xAxis->setGridLineVisible(false);
    auto *yAxis = new QValueAxis;
    yAxis->setRange(0, longest > 0 ? longest * 1.15 : 1);
    yAxis->setLabelFormat(QStringLiteral("%.0f"));
    yAxis->setTickCount(3);
    yAxis->setTitleText(tr("ms"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(line), static_cast<QAbstractSeries *>(dots)}) {
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    }
    styleChart(chart, palette());
    m_durations->setVisible(line->count() > 1);

    const QString outcome = row.siblingAtColumn(TestCasesModel::Outcome).data().toString();
    const QString duration = row.siblingAtColumn(TestCasesModel::Duration).data().toString();
    const QString change = row.siblingAtColumn(TestCasesModel::Change).data().toString();
    QString html =
        QStringLiteral("<p>") + tr("<b>%1</b> in %2").arg(outcome.toHtmlEscaped(), duration.toHtmlEscaped());
    if (!change.isEmpty())
        html += QStringLiteral(" — ") + change.toHtmlEscaped();
    html += QStringLiteral("</p><p>") +
            tr("Over the last %n run(s) of its source: %1 passed, %2 failed or errored, %3 skipped, %4 "
               "without it.",
               nullptr, int(history.size()))
                .arg(passed)
                .arg(failedRuns)
                .arg(skipped)
                .arg(absent) +
            QStringLiteral("</p>");
    if (row.data(TestCasesModel::FlakyRole).toBool())
        html += QStringLiteral("<p><b>") + tr("Flaky:") + QStringLiteral("</b> ") +
                row.data(TestCasesModel::EvidenceRole).toString().toHtmlEscaped() + QStringLiteral("</p>");
    const QString lastFailure = row.data(TestCasesModel::LastFailureRole).toString();
    if (!lastFailure.isEmpty())
        html += QStringLiteral("<p><b>") + tr("Last failure message:") + QStringLiteral("</b></p>") +
                pre(lastFailure);
    const QString message = row.siblingAtColumn(TestCasesModel::Message).data(Qt::ToolTipRole).toString();
    if (!message.isEmpty() && message != lastFailure)
        html +=
            QStringLiteral("<p><b>") + tr("Message in this run:") + QStringLiteral("</b></p>") + pre(message);
    m_summary = html;
    render();
    m_watcher.setFuture(QtConcurrent::run(
        [run = m_run, key = m_key] { return readCaseDetails(Database::connection(), run, key); }));
}

void CaseDetailPanel::render()
{
    QString html = m_summary;
    if (!m_details) {
        html += QStringLiteral("<p><i>") + tr("Reading what it left behind…") + QStringLiteral("</i></p>");
    } else if (!*m_details) {
        html += QStringLiteral("<p>") +
                tr("What it left behind cannot be read: %1").arg(m_details->message().toHtmlEscaped()) +
                QStringLiteral("</p>");
    } else {
        const CaseDetails &d = m_details->value();
        if (!d.file.isEmpty())
            html +=
                QStringLiteral("<p>") +
                tr("At %1").arg(
                    (d.line > 0 ? QStringLiteral("%1:%2").arg(d.file).arg(d.line) : d.file).toHtmlEscaped()) +
                QStringLiteral("</p>");
        if (!d.details.isEmpty())
            html += QStringLiteral("<p><b>") +
                    (d.type.isEmpty() ? tr("Details:") : d.type.toHtmlEscaped() + QLatin1Char(':')) +
                    QStringLiteral("</b></p>") + pre(d.details);
        if (!d.systemOut.isEmpty())
            html += QStringLiteral("<p><b>") + tr("Standard output:") + QStringLiteral("</b></p>") +
                    pre(d.systemOut);
        if (!d.systemErr.isEmpty())
            html += QStringLiteral("<p><b>") + tr("Standard error:") + QStringLiteral("</b></p>") +
                    pre(d.systemErr);
    }
    m_text->setHtml(html);
}

} // namespace opsdeck
