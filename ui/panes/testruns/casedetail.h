// The selected case of a run: its outcome, history and duration trend over the source's last
// runs, why it counts as flaky, its last failure message, and what it left behind in this run
// (message, stack trace, output), read from the cache off the GUI thread.
#pragma once

#include "models/core/result.h"
#include "models/testruns/testrunmodels.h"

#include <QFutureWatcher>
#include <QModelIndex>
#include <QWidget>

class QChartView;
class QLabel;
class QTextBrowser;

namespace opsdeck {

class CaseDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CaseDetailPanel(QWidget *parent = nullptr);
    ~CaseDetailPanel() override;
    // A row of TestCasesModel (through any proxy); an invalid index clears the panel.
    void showCase(qint64 runId, const QModelIndex &index);
    QString text() const; // what the panel says, for tests

private:
    void render();
    QLabel *m_title;
    QTextBrowser *m_text;
    QChartView *m_durations;
    QFutureWatcher<Result<CaseDetails>> m_watcher;
    qint64 m_run = 0;
    qint64 m_key = 0;
    QString m_summary;
    std::optional<Result<CaseDetails>> m_details;
};

} // namespace opsdeck
