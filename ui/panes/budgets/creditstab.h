// The Budgets pane's Credits tab: each account's (organization's) spend beside the credits it is
// charged (spend × the factor the workspace keeps for it), with "Credits Factor…"; and the overflow
// ledger, one entry per account and budget period past its budget, open and settled, with totals
// and "Settle…" (a reference and a comment, audited). Both change through the workspace service.
#pragma once

#include "models/budgets/budgetrecordchange.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace opsdeck {

class CreditsModel;
class OverflowModel;
class WorkspaceService;

class CreditsTab : public QWidget
{
    Q_OBJECT
public:
    explicit CreditsTab(WorkspaceService *workspace, QWidget *parent = nullptr);

    CreditsModel *credits() const { return m_credits; }
    OverflowModel *overflow() const { return m_overflow; }
    QTableView *creditsView() const { return m_creditsView; }
    QTableView *overflowView() const { return m_overflowView; }
    QComboBox *ledgerFilter() const { return m_filter; }
    QPushButton *factorButton() const { return m_factor; }
    QPushButton *settleButton() const { return m_settle; }
    QString totalsText() const;
    void sendRecordChanges(const QList<BudgetRecordChange> &changes);

signals:
    void message(const QString &text, bool problem);

private:
    void openFactor();
    void openSettle();
    void updateButtons();
    void updateTotals();
    int selectedCreditsRow() const;
    int selectedOverflowRow() const;

    WorkspaceService *m_workspace;
    CreditsModel *m_credits;
    OverflowModel *m_overflow;
    QSortFilterProxyModel *m_ledgerProxy;
    QTableView *m_creditsView;
    QTableView *m_overflowView;
    QComboBox *m_filter;
    QLabel *m_totals;
    QPushButton *m_factor;
    QPushButton *m_settle;
    int m_nextRequest = 1;
};

} // namespace opsdeck
