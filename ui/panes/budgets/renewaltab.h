// The Budgets pane's Renewals tab: what resets when, from the budget tree (the cache): every budget
// with a cadence, its next reset and how far away it is, the spend that returns to zero then, over
// a chosen horizon, soonest first.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace opsdeck {

class BudgetTreeModel;

class RenewalTab : public QWidget
{
    Q_OBJECT
public:
    explicit RenewalTab(BudgetTreeModel *tree, QWidget *parent = nullptr);
    void rebuild();
    QTableWidget *table() const { return m_table; }
    QComboBox *horizonCombo() const { return m_horizon; }
    QString summaryText() const;

private:
    BudgetTreeModel *m_tree;
    QComboBox *m_horizon;
    QTableWidget *m_table;
    QLabel *m_summary;
};

} // namespace opsdeck
