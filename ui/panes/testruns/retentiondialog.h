// Retention… in the Test runs pane: how long runs are kept (days, and the newest runs per source),
// with a preview of what a cleanup with these limits would remove, computed by the TestRunsService
// from the cache as it is. Save keeps the limits (cleanups then follow them at start and after each
// import); Clean Up Now removes what the preview names at once, after a confirmation. Runs kept
// from the run list's context menu always stay.
#pragma once

#include "models/testruns/retention.h"

#include <QDialog>
#include <QTimer>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace opsdeck {

class TestRunsService;

class RetentionDialog : public QDialog
{
    Q_OBJECT
public:
    // service: the preview and Clean Up Now (none: the limits only, without a preview).
    RetentionDialog(const RetentionRules &current, TestRunsService *service, QWidget *parent = nullptr);

    RetentionRules rules() const;
    void setRules(const RetentionRules &rules);
    QSpinBox *daysSpin() const { return m_days; }
    QSpinBox *runsSpin() const { return m_runs; }
    QLabel *previewLabel() const { return m_preview; }
    QTableWidget *previewTable() const { return m_table; }
    QPushButton *cleanUpButton() const { return m_cleanUp; }
    QLabel *messageLabel() const { return m_message; }
    const RetentionSummary &previewed() const { return m_previewed; }
    // Removes what the limits name now; ask: false skips the confirmation (tests).
    void cleanUpNow(bool ask = true);

signals:
    void previewShown();
    void cleanedUp(bool ok);

private:
    void schedulePreview();
    void runPreview();
    void showPreview(const QString &message, const RetentionSummary &summary);

    RetentionRules m_current;
    TestRunsService *m_service;
    QSpinBox *m_days;
    QSpinBox *m_runs;
    QLabel *m_preview;
    QTableWidget *m_table;
    QLabel *m_message;
    QPushButton *m_cleanUp;
    QDialogButtonBox *m_buttons;
    QTimer m_debounce;
    quint64 m_previewJob = 0;
    quint64 m_cleanJob = 0;
    RetentionSummary m_previewed;
};

} // namespace opsdeck
