// "Which limit binds" for the budget tree's selection: the chain of limits a request from the
// selected key, user, team or team member passes (each with its spend, what remains and when it
// resets), the one that refuses requests now or will stop them first, in words, and a "what if"
// for a request of a given cost. The chain is read from the cache off the GUI thread
// (models/budgets/budgetchain.h); the verdict is models/budgets/bindinglimit.h.
#pragma once

#include "models/budgets/budgetchain.h"

#include <QFutureWatcher>
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QTableWidget;

namespace opsdeck {

class BindingPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BindingPanel(QWidget *parent = nullptr);
    ~BindingPanel() override;

    // Shows the chain of subject on connectionId (read again when the cache's budgets change).
    void setSubject(qint64 connectionId, const BudgetSubject &subject);
    void clear(const QString &hint);

    QTableWidget *table() const { return m_table; }
    QDoubleSpinBox *costSpin() const { return m_cost; }
    QString explanation() const;
    const SubjectChain &chain() const { return m_chain; }
    bool isLoading() const { return m_watcher.isRunning(); }

signals:
    void shown(); // a chain was read and shown (or could not be read: the explanation says why)

private:
    void load();
    void onLoaded();
    void showVerdict();

    qint64 m_connectionId = 0;
    std::optional<BudgetSubject> m_subject;
    SubjectChain m_chain;
    QFutureWatcher<Result<SubjectChain>> m_watcher;
    bool m_loadAgain = false;
    QLabel *m_title;
    QTableWidget *m_table;
    QDoubleSpinBox *m_cost;
    QLabel *m_verdict;
};

} // namespace opsdeck
