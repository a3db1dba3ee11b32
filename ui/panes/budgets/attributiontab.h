// The Budgets pane's Spend tab: cost attribution from the cache's spend logs
// (models/budgets/spendattribution.h), by organization, team, user, key or model and by day, week
// or month, as a stacked bar chart of the top groups (the rest as "Other") with the anomalous days
// marked, a table of the top groups with their share, the anomalies with the requests that made
// each, the totals, and a CSV export. Computed off the GUI thread; read again when a sync adds rows.
#pragma once

#include "models/budgets/spendattribution.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace opsdeck {

class AppSettings;

class AttributionTab : public QWidget
{
    Q_OBJECT
public:
    explicit AttributionTab(AppSettings *settings, QWidget *parent = nullptr);
    ~AttributionTab() override;

    // The LiteLLM connections to choose from: {id, name}.
    void setProxies(const QList<std::pair<qint64, QString>> &proxies);
    void reload();

    QComboBox *proxyCombo() const { return m_proxy; }
    QComboBox *dimensionCombo() const { return m_dimension; }
    QComboBox *bucketCombo() const { return m_bucket; }
    QComboBox *rangeCombo() const { return m_range; }
    QSpinBox *topSpin() const { return m_top; }
    QDoubleSpinBox *anomalySpin() const { return m_k; }
    QChartView *chartView() const { return m_chartView; }
    QTableWidget *topTable() const { return m_topTable; }
    QTableWidget *anomalyTable() const { return m_anomalyTable; }
    QLabel *totalsLabel() const { return m_totals; }
    QPushButton *exportButton() const { return m_export; }
    const Attribution &attribution() const { return m_result; }
    bool isLoading() const { return m_watcher.isRunning(); }
    // Writes the attribution as CSV (the export button asks where first).
    Result<void> exportCsv(const QString &file) const;
    // The requests of the selected anomaly, in a dialog (ask: false builds it without showing it).
    QWidget *showAnomalyRequests(bool ask = true);

signals:
    void shown(); // an attribution was computed and drawn (or its failure said)

private:
    AttributionQuery currentQuery() const;
    void onLoaded();
    void draw();
    void chooseExport();

    AppSettings *m_settings;
    QComboBox *m_proxy;
    QComboBox *m_dimension;
    QComboBox *m_bucket;
    QComboBox *m_range;
    QSpinBox *m_top;
    QDoubleSpinBox *m_k;
    QPushButton *m_export;
    QChartView *m_chartView;
    QTableWidget *m_topTable;
    QTableWidget *m_anomalyTable;
    QLabel *m_totals;
    QFutureWatcher<Result<Attribution>> m_watcher;
    QTimer m_debounce;
    bool m_loadAgain = false;
    Attribution m_result;
};

} // namespace opsdeck
