// The flaky rules (a pass on a rerun, the history window, the flip rate that marks a case, how many
// runs a verdict needs), with a preview of which cases of a source they would mark, newly or no
// longer, before they are saved.
#pragma once

#include "models/core/result.h"
#include "models/testruns/testrunmodels.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QTimer>

class QCheckBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace opsdeck {

class FlakyRulesDialog : public QDialog
{
    Q_OBJECT
public:
    // source: the source the preview judges (0: none, no preview); sourceName for its label.
    FlakyRulesDialog(const FlakyRules &current, qint64 source, const QString &sourceName,
                     QWidget *parent = nullptr);
    ~FlakyRulesDialog() override;
    FlakyRules rules() const;
    void setRules(const FlakyRules &rules);
    QTableWidget *preview() const { return m_preview; }
    QLabel *previewLabel() const { return m_previewLabel; }

signals:
    void previewShown();

private:
    void schedulePreview();
    void runPreview();
    FlakyRules m_current;
    qint64 m_source;
    QString m_sourceName;
    QCheckBox *m_byRerun;
    QSpinBox *m_window;
    QDoubleSpinBox *m_rate;
    QSpinBox *m_minimum;
    QLabel *m_previewLabel;
    QTableWidget *m_preview;
    QDialogButtonBox *m_buttons;
    QTimer m_debounce;
    using Judgement = Result<std::pair<QList<FlakyCasesModel::Judged>, QList<FlakyCasesModel::Judged>>>;
    QFutureWatcher<Judgement> m_watcher;
    bool m_again = false;
};

} // namespace opsdeck
