#include "ui/panes/budgets/attributiontab.h"
#include "ui/common/tones.h"

#include "models/budgets/budgettree.h"
#include "models/core/appsettings.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "ui/panes/pane.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QValueAxis>

namespace opsdeck {

namespace {
enum Range { Last30, Last90, Last365, ThisMonth, LastMonth };

QString share(double part, double whole)
{
    return whole > 0 ? QLocale().toString(100.0 * part / whole, 'f', 1) + QLatin1Char('%') : QString();
}
} // namespace

AttributionTab::AttributionTab(AppSettings *settings, QWidget *parent) : QWidget(parent), m_settings(settings)
{
    m_proxy = new QComboBox(this);
    m_proxy->setObjectName(QStringLiteral("spendProxy"));
    m_proxy->setAccessibleName(tr("LiteLLM proxy"));
    m_dimension = new QComboBox(this);
    m_dimension->setObjectName(QStringLiteral("spendDimension"));
    for (SpendDimension d : {SpendDimension::Organization, SpendDimension::Team, SpendDimension::User,
                             SpendDimension::Key, SpendDimension::Model})
        m_dimension->addItem(spendDimensionText(d), int(d));
    m_dimension->setCurrentIndex(1);
    m_bucket = new QComboBox(this);
    m_bucket->setObjectName(QStringLiteral("spendBucket"));
    for (SpendBucket b : {SpendBucket::Day, SpendBucket::Week, SpendBucket::Month})
        m_bucket->addItem(spendBucketText(b), int(b));
    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("spendRange"));
    m_range->addItem(tr("Last 30 days"), Last30);
    m_range->addItem(tr("Last 90 days"), Last90);
    m_range->addItem(tr("Last 12 months"), Last365);
    m_range->addItem(tr("This month"), ThisMonth);
    m_range->addItem(tr("Last month"), LastMonth);
    m_range->setCurrentIndex(1);
    m_top = new QSpinBox(this);
    m_top->setObjectName(QStringLiteral("spendTop"));
    m_top->setRange(1, 20);
    m_top->setValue(8);
    m_top->setPrefix(tr("top "));
    m_top->setToolTip(tr("How many groups the chart shows apart; the rest are \"Other\""));
    m_top->setAccessibleName(tr("Groups shown apart"));
    m_k = new QDoubleSpinBox(this);
    m_k->setObjectName(QStringLiteral("anomalyK"));
    m_k->setRange(0.5, 20);
    m_k->setSingleStep(0.5);
    m_k->setDecimals(1);
    m_k->setValue(m_settings ? m_settings->anomalyK() : 3.5);
    m_k->setSuffix(tr(" × MAD"));
    m_k->setToolTip(
        tr("A day is anomalous when its spend exceeds the median of the 14 days before it by more "
           "than this many median absolute deviations"));
    m_export = new QPushButton(tr("E&xport CSV…"), this);
    auto *controls = new QHBoxLayout;
    const auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    controls->addWidget(label(tr("Pro&xy:"), m_proxy));
    controls->addWidget(m_proxy);
    controls->addWidget(label(tr("Spend &by:"), m_dimension));
    controls->addWidget(m_dimension);
    controls->addWidget(label(tr("&per:"), m_bucket));
    controls->addWidget(m_bucket);
    controls->addWidget(m_range);
    controls->addWidget(m_top);
    controls->addWidget(label(tr("&Anomaly above:"), m_k));
    controls->addWidget(m_k);
    controls->addStretch(1);
    controls->addWidget(m_export);

    m_chartView = new QChartView(new QChart, this);
    m_chartView->setObjectName(QStringLiteral("spendChart"));
    onPaletteChange(m_chartView, [this] { // the chart and its anomaly marks in the new palette's tones
        if (m_result.buckets.isEmpty())
            styleChart(m_chartView->chart(), m_chartView->palette());
        else
            draw();
    });
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->chart()->legend()->setAlignment(Qt::AlignRight);
    m_chartView->chart()->setMargins(QMargins(4, 4, 4, 4));
    m_topTable =
        Pane::previewTable({tr("Name"), tr("Spend"), tr("Share"), tr("Requests"), tr("Anomalous days")},
                           QStringLiteral("spendTop"), this);
    m_topTable->setAccessibleName(tr("Spend by group"));
    m_topTable->setSortingEnabled(false);
    m_anomalyTable =
        Pane::previewTable({tr("Day"), tr("Name"), tr("Spend"), tr("14-day median"), tr("Above by")},
                           QStringLiteral("spendAnomalies"), this);
    m_anomalyTable->setAccessibleName(tr("Anomalous days"));
    m_anomalyTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_anomalyTable->setToolTip(tr("Double-click a day to see the requests that made it"));
    for (QTableWidget *t : {m_topTable, m_anomalyTable}) {
        t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
        t->horizontalHeader()->setStretchLastSection(false);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    m_topTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_anomalyTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    auto *anomalies = new QWidget(this);
    auto *requests = new QPushButton(tr("&Requests of the Day…"), anomalies);
    requests->setEnabled(false);
    auto *anomalyLayout = new QVBoxLayout(anomalies);
    anomalyLayout->setContentsMargins(0, 0, 0, 0);
    anomalyLayout->addWidget(new QLabel(tr("Anomalous days"), anomalies));
    anomalyLayout->addWidget(m_anomalyTable, 1);
    anomalyLayout->addWidget(requests, 0, Qt::AlignRight);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(new QLabel(tr("Top spenders"), top));
    topLayout->addWidget(m_topTable, 1);
    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(top);
    tables->addWidget(anomalies);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_chartView);
    splitter->addWidget(tables);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 260});
    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("spendTotals"));
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_totals);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(50);
    connect(&m_debounce, &QTimer::timeout, this, &AttributionTab::reload);
    for (QComboBox *c : {m_proxy, m_dimension, m_bucket, m_range})
        connect(c, &QComboBox::currentIndexChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_k, &QDoubleSpinBox::valueChanged, this, [this](double k) {
        if (m_settings)
            m_settings->setAnomalyK(k);
        m_debounce.start();
    });
    connect(m_top, &QSpinBox::valueChanged, this, &AttributionTab::draw);
    connect(m_export, &QPushButton::clicked, this, &AttributionTab::chooseExport);
    connect(m_anomalyTable, &QTableWidget::itemSelectionChanged, requests,
            [this, requests] { requests->setEnabled(!m_anomalyTable->selectedItems().isEmpty()); });
    connect(requests, &QPushButton::clicked, this, [this] { showAnomalyRequests(); });
    connect(m_anomalyTable, &QTableWidget::cellDoubleClicked, this, [this] { showAnomalyRequests(); });
    connect(&m_watcher, &QFutureWatcher<Result<Attribution>>::finished, this, &AttributionTab::onLoaded);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &changed) {
                if (changed.contains(QLatin1String("litellm_spend_logs")) ||
                    changed.contains(QLatin1String("litellm_keys")))
                    m_debounce.start();
            });
}

AttributionTab::~AttributionTab()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void AttributionTab::setProxies(const QList<std::pair<qint64, QString>> &proxies)
{
    const QVariant current = m_proxy->currentData();
    const QSignalBlocker block(m_proxy);
    m_proxy->clear();
    for (const auto &[id, name] : proxies)
        m_proxy->addItem(name, id);
    const int again = m_proxy->findData(current);
    m_proxy->setCurrentIndex(again >= 0 ? again : 0);
    m_proxy->setVisible(proxies.size() > 1);
    if (auto *buddy = findChildren<QLabel *>().value(0); buddy && buddy->buddy() == m_proxy)
        buddy->setVisible(proxies.size() > 1);
    m_debounce.start();
}

AttributionQuery AttributionTab::currentQuery() const
{
    AttributionQuery q;
    q.connectionId = m_proxy->currentData().toLongLong();
    q.dimension = SpendDimension(m_dimension->currentData().toInt());
    q.bucket = SpendBucket(m_bucket->currentData().toInt());
    q.anomalyK = m_k->value();
    const QDate today = QDateTime::currentDateTimeUtc().date();
    q.to = today;
    switch (m_range->currentData().toInt()) {
    case Last30:
        q.from = today.addDays(-29);
        break;
    case Last90:
        q.from = today.addDays(-89);
        break;
    case Last365:
        q.from = today.addDays(-364);
        break;
    case ThisMonth:
        q.from = QDate(today.year(), today.month(), 1);
        break;
    case LastMonth:
        q.from = QDate(today.year(), today.month(), 1).addMonths(-1);
        q.to = QDate(today.year(), today.month(), 1).addDays(-1);
        break;
    }
    return q;
}

void AttributionTab::reload()
{
    if (m_proxy->count() == 0)
        return;
    if (m_watcher.isRunning()) {
        m_loadAgain = true;
        return;
    }
    m_watcher.setFuture(QtConcurrent::run([query = currentQuery()]() -> Result<Attribution> {
        QSqlDatabase db = Database::connection();
        if (!db.isOpen())
            return makeError("db.closed", tr("The cache database is not open."));
        return attributeSpend(db, query);
    }));
}

void AttributionTab::onLoaded()
{
    if (m_loadAgain) {
        m_loadAgain = false;
        return reload();
    }
    const auto result = m_watcher.result();
    if (!result) {
        m_totals->setText(tr("Cannot attribute the spend: %1").arg(result.message()));
        emit shown();
        return;
    }
    m_result = result.value();
    draw();
    emit shown();
}

void AttributionTab::draw()
{
    const Attribution &a = m_result;
    QChart *chart = m_chartView->chart();
    chart->removeAllSeries();
    // A removed axis is the caller's again (QChart::removeAxis): deleted here, not leaked per redraw.
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    // The top groups apart, the rest as "Other".
    const int top = m_top->value();
    QList<std::pair<QString, QList<double>>> sets;
    QList<double> other(a.buckets.size(), 0.0);
    for (int i = 0; i < a.groups.size(); ++i) {
        const AttributionGroup &g = a.groups.at(i);
        if (i < top) {
            sets.append({g.name, g.perBucket});
        } else {
            for (int b = 0; b < g.perBucket.size(); ++b)
                other[b] += g.perBucket.at(b);
        }
    }
    const bool hasOther = a.groups.size() > top;
    if (hasOther)
        sets.append({tr("Other"), other});
    QList<double> totals(a.buckets.size(), 0.0);
    for (const AttributionGroup &g : a.groups)
        for (int b = 0; b < g.perBucket.size(); ++b)
            totals[b] += g.perBucket.at(b);
    double highest = 0;
    for (double t : std::as_const(totals))
        highest = std::max(highest, t);
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("$%.0f"));
    y->setMin(0);
    y->setMax(highest > 0 ? highest * 1.1 : 1);
    y->applyNiceNumbers();
    const QColor otherColour(0xa0, 0xa0, 0xa0);
    // Up to three months of buckets as stacked bars; more as stacked areas, which draw as one
    // shape a group instead of a rectangle a bucket (a year of days would be thousands).
    const bool areas = a.buckets.size() > 92;
    QAbstractAxis *x = nullptr;
    QList<QAbstractSeries *> drawn;
    const auto xOf = [&a, areas](qsizetype b) {
        return areas ? double(a.buckets.at(b).startOfDay(QTimeZone::utc()).toMSecsSinceEpoch()) : double(b);
    };
    if (!areas) {
        auto *series = new QStackedBarSeries;
        for (const auto &[name, values] : std::as_const(sets)) {
            auto *set = new QBarSet(name);
            if (hasOther && &values == &sets.last().second)
                set->setColor(otherColour);
            for (double v : values)
                *set << v;
            series->append(set);
        }
        series->setBarWidth(0.85);
        drawn << series;
        QStringList labels;
        for (int b = 0; b < a.buckets.size(); ++b)
            labels << a.bucketLabel(b);
        auto *categories = new QBarCategoryAxis;
        categories->append(labels);
        // More than a month of days has no room for a label under each bar: the title names the range.
        if (labels.size() > 31) {
            categories->setLabelsVisible(false);
            categories->setGridLineVisible(false);
        } else {
            categories->setLabelsAngle(labels.size() > 14 ? -90 : 0);
        }
        x = categories;
    } else {
        QList<double> below(a.buckets.size(), 0.0);
        for (const auto &[name, values] : std::as_const(sets)) {
            auto *upper = new QLineSeries;
            auto *lower = new QLineSeries;
            for (int b = 0; b < a.buckets.size(); ++b) {
                lower->append(xOf(b), below.at(b));
                below[b] += values.value(b);
                upper->append(xOf(b), below.at(b));
            }
            auto *area = new QAreaSeries(upper, lower);
            upper->setParent(area);
            lower->setParent(area);
            area->setName(name);
            if (hasOther && &values == &sets.last().second)
                area->setColor(otherColour);
            area->setPen(Qt::NoPen);
            drawn << area;
        }
        auto *time = new QDateTimeAxis;
        time->setFormat(a.query.bucket == SpendBucket::Month ? QStringLiteral("MMM yyyy")
                                                             : QStringLiteral("d MMM"));
        time->setTickCount(9);
        time->setRange(a.buckets.first().startOfDay(QTimeZone::utc()),
                       a.buckets.last().startOfDay(QTimeZone::utc()));
        x = time;
    }
    for (QAbstractSeries *series : std::as_const(drawn))
        chart->addSeries(series);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *series : std::as_const(drawn)) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
    styleChart(chart, m_chartView->palette());
    // The anomalous days, marked on top of their bucket.
    auto *marks = new QScatterSeries;
    marks->setName(tr("Anomaly"));
    marks->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    marks->setMarkerSize(11);
    marks->setColor(toneColour(Tone::Bad, m_chartView->palette()));
    QList<std::pair<QDate, const AttributionGroup *>> anomalies;
    for (const AttributionGroup &g : a.groups)
        for (const SpendAnomaly &an : g.anomalies) {
            anomalies.append({an.day, &g});
            const qsizetype b = a.buckets.indexOf(bucketStart(a.query.bucket, an.day));
            if (b >= 0)
                marks->append(xOf(b), totals.at(b) + highest * 0.03);
        }
    if (marks->count() > 0) {
        chart->addSeries(marks);
        marks->attachAxis(x);
        marks->attachAxis(y);
    } else {
        delete marks;
    }
    chart->setTitle(tr("Spend by %1 per %2, %3 to %4")
                        .arg(spendDimensionText(a.query.dimension).toLower(),
                             spendBucketText(a.query.bucket).toLower(),
                             QLocale().toString(a.query.from, QLocale::ShortFormat),
                             QLocale().toString(a.query.to, QLocale::ShortFormat)));

    m_topTable->setRowCount(0);
    for (const AttributionGroup &g : a.groups) {
        Pane::appendRow(m_topTable,
                        {g.name, usdText(g.total), share(g.total, a.total), QLocale().toString(g.requests),
                         g.anomalies.isEmpty() ? QString() : QLocale().toString(g.anomalies.size())});
        m_topTable->item(m_topTable->rowCount() - 1, 0)->setData(Qt::UserRole, g.id);
        for (int c = 1; c < 5; ++c)
            m_topTable->item(m_topTable->rowCount() - 1, c)
                ->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    std::sort(anomalies.begin(), anomalies.end(),
              [](const auto &l, const auto &r) { return l.first > r.first; });
    m_anomalyTable->setRowCount(0);
    for (const auto &[day, g] : std::as_const(anomalies)) {
        for (const SpendAnomaly &an : g->anomalies) {
            if (an.day != day)
                continue;
            Pane::appendRow(
                m_anomalyTable,
                {QLocale().toString(an.day, QLocale::ShortFormat), g->name, usdText(an.spend),
                 usdText(an.median),
                 an.mad > 0 ? tr("%1 MAD").arg(QLocale().toString(an.score, 'f', 1)) : tr("flat median")});
            QTableWidgetItem *first = m_anomalyTable->item(m_anomalyTable->rowCount() - 1, 0);
            first->setData(Qt::UserRole, g->id);
            first->setData(Qt::UserRole + 1, an.day);
        }
    }
    int anomalyCount = 0;
    for (const AttributionGroup &g : a.groups)
        anomalyCount += int(g.anomalies.size());
    double attributed = 0;
    for (const AttributionGroup &g : a.groups)
        attributed += g.id.isEmpty() ? 0 : g.total;
    m_totals->setText(
        tr("%1 over %2 requests from %3 to %4; %5 attributed to a %6, %7 unattributed; %8 anomalous "
           "days.")
            .arg(usdText(a.total), QLocale().toString(a.requests),
                 QLocale().toString(a.query.from, QLocale::ShortFormat),
                 QLocale().toString(a.query.to, QLocale::ShortFormat), usdText(attributed),
                 spendDimensionText(a.query.dimension).toLower(), usdText(a.total - attributed))
            .arg(anomalyCount) +
        QLatin1Char(' ') + a.reconciliation.text(a.total));
    QStringList days;
    for (const Reconciliation::Day &d : a.reconciliation.differing.mid(0, 20))
        days << tr("%1: logs %2, proxy %3")
                    .arg(QLocale().toString(d.day, QLocale::ShortFormat), usdText(d.logs), usdText(d.proxy));
    m_totals->setToolTip(days.join(QLatin1Char('\n')));
    QPalette palette = m_totals->palette();
    palette.setColor(QPalette::WindowText, a.reconciliation.state == Reconciliation::State::Differs
                                               ? palette.color(QPalette::LinkVisited)
                                               : QPalette().color(QPalette::WindowText));
    m_totals->setPalette(palette);
}

Result<void> AttributionTab::exportCsv(const QString &file) const
{
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return makeError("export.write", tr("Cannot write %1: %2").arg(file, out.errorString()));
    out.write(m_result.toCsv().toUtf8());
    if (!out.commit())
        return makeError("export.write", tr("Cannot write %1: %2").arg(file, out.errorString()));
    return {};
}

void AttributionTab::chooseExport()
{
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export Spend"),
                                     QStringLiteral("spend-by-%1-%2.csv")
                                         .arg(spendDimensionText(m_result.query.dimension).toLower(),
                                              m_result.query.to.toString(Qt::ISODate)),
                                     tr("CSV files (*.csv)"));
    if (file.isEmpty())
        return;
    if (auto r = exportCsv(file); !r)
        QMessageBox::warning(this, tr("Export Spend"), r.message());
}

QWidget *AttributionTab::showAnomalyRequests(bool ask)
{
    const QList<QTableWidgetItem *> selected = m_anomalyTable->selectedItems();
    if (selected.isEmpty())
        return nullptr;
    const QTableWidgetItem *first = m_anomalyTable->item(selected.first()->row(), 0);
    const QString group = first->data(Qt::UserRole).toString();
    const QDate day = first->data(Qt::UserRole + 1).toDate();
    const QString name = m_anomalyTable->item(first->row(), 1)->text();
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("anomalyRequests"));
    dialog->setAttribute(Qt::WA_DeleteOnClose, ask);
    dialog->setWindowTitle(
        tr("Requests of %1 on %2").arg(name, QLocale().toString(day, QLocale::ShortFormat)));
    auto *state = new QLabel(tr("Reading the requests…"), dialog);
    QTableWidget *table = Pane::previewTable(
        {tr("Started (UTC)"), tr("Spend"), tr("Model"), tr("Tokens"), tr("User"), tr("Request")},
        QStringLiteral("anomalyRequestsTable"), dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(state);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    dialog->resize(900, 480);
    auto *watcher = new QFutureWatcher<Result<QList<SpendLogRow>>>(dialog);
    connect(watcher, &QFutureWatcherBase::finished, dialog, [watcher, state, table, name, day] {
        const auto rows = watcher->result();
        if (!rows) {
            state->setText(rows.message());
            return;
        }
        double total = 0;
        for (const SpendLogRow &r : rows.value()) {
            total += r.spend;
            Pane::appendRow(table,
                            {r.startTime.toUTC().toString(QStringLiteral("HH:mm:ss")), usdText(r.spend),
                             r.model, QLocale().toString(r.totalTokens), r.user, r.requestId});
        }
        state->setText(tr("%1 requests of %2 on %3, costliest first: %4.")
                           .arg(QLocale().toString(rows->size()), name,
                                QLocale().toString(day, QLocale::ShortFormat), usdText(total)));
    });
    watcher->setFuture(
        QtConcurrent::run([id = m_result.query.connectionId, dimension = m_result.query.dimension, group,
                           day]() -> Result<QList<SpendLogRow>> {
            QSqlDatabase db = Database::connection();
            if (!db.isOpen())
                return makeError("db.closed", tr("The cache database is not open."));
            return spendRequests(db, id, dimension, group, day);
        }));
    if (ask)
        dialog->show();
    return dialog;
}

} // namespace opsdeck
