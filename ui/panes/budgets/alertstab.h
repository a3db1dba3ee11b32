// The Budgets pane's Alerts tab: the soft-limit alerts syncs have raised (a budget past one of its
// thresholds), newest first, open ones or all; acknowledging them. Read off the GUI thread whenever
// the cache's alerts change; acknowledgements go to the LiteLLM service.
#pragma once

#include "services/budgets/budgetalerts.h"

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QPushButton;
class QTableWidget;

namespace opsdeck {

class LiteLLMService;

class AlertsTab : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsTab(LiteLLMService *service, QWidget *parent = nullptr);
    ~AlertsTab() override;

    void reload();
    QTableWidget *table() const { return m_table; }
    QCheckBox *showAllBox() const { return m_all; }
    QPushButton *acknowledgeButton() const { return m_acknowledge; }
    int openCount() const { return m_open; }
    const QList<BudgetAlert> &alerts() const { return m_alerts; }
    // Acknowledges the selected alerts (all open ones when none is selected).
    void acknowledge();

signals:
    void openCountChanged(int open);

private:
    void onLoaded();

    LiteLLMService *m_service;
    QTableWidget *m_table;
    QCheckBox *m_all;
    QPushButton *m_acknowledge;
    QFutureWatcher<Result<std::pair<QList<BudgetAlert>, int>>> m_watcher;
    bool m_loadAgain = false;
    QList<BudgetAlert> m_alerts;
    int m_open = 0;
};

} // namespace opsdeck
