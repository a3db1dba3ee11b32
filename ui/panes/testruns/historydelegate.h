// Paints a case's history over its source's last runs as a strip of small squares, oldest on the
// left and this run on the right: green passed, amber passed on a rerun, red failed, dark red
// error, grey skipped, an outline where the case was not in the run.
#pragma once

#include <QStyledItemDelegate>

namespace opsdeck {

class HistoryStripDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit HistoryStripDelegate(int historyRole, QObject *parent = nullptr)
        : QStyledItemDelegate(parent), m_role(historyRole)
    {
    }
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The colour of an outcome (CaseOutcome as int, -1: not run) in the strip and the charts.
    static QColor outcomeColor(int outcome, bool flaky);

private:
    int m_role;
};

} // namespace opsdeck
