// The Budgets pane: each LiteLLM proxy's budget tree (organizations, teams, team members, users,
// keys and end customers, with spend against budget, cadence, next reset, limits, models and a
// state; over-budget and nearly spent rows stand out), sortable and filterable by any column, and
// beside it which limit binds for the selected key, user, team or member, with a "what if" for a
// request's cost. Everything is read from the cache; F5 asks the LiteLLM service to sync.
#pragma once

#include "ui/panes/pane.h"

#include <QSet>

class QComboBox;
class QPushButton;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSortFilterProxyModel;
class QTabWidget;
class QTreeView;

namespace opsdeck {

class AppSettings;
class AlertsTab;
class AttributionTab;
class CreditsTab;
class PoliciesTab;
class WorkspaceService;
class BindingPanel;
class RenewalTab;
class BudgetFilter;
class BudgetTreeModel;
class LiteLLMService;
struct BudgetNode;
struct ProxyChange;

class BudgetsPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    // service: syncs (none: the pane only reads the cache); settings: the anomaly threshold.
    // workspace: policies, credits and the overflow ledger change through it (none: they only show).
    BudgetsPane(ConnectionsModel *connections, LiteLLMService *service, AppSettings *settings = nullptr,
                QWidget *parent = nullptr, WorkspaceService *workspace = nullptr);

    void refresh() override;
    // "binding": a key whose requests a limit above it refuses, with its chain shown; "spend": the
    // attribution by team with its anomalies.
    QStringList extraViews() const override;
    void showView(const QString &view) override;
    QStringList screenshotDialogs() const override;
    QWidget *openScreenshotDialog(const QString &name) override;
    bool revealItem(const QString &target) override;

    BudgetTreeModel *tree() const { return m_tree; }
    QSortFilterProxyModel *treeProxy() const;
    QTreeView *treeView() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *stateCombo() const { return m_state; }
    BindingPanel *binding() const { return m_binding; }
    AttributionTab *spend() const { return m_spend; }
    AlertsTab *alerts() const { return m_alerts; }
    RenewalTab *renewals() const { return m_renewals; }
    PoliciesTab *policies() const { return m_policies; }
    CreditsTab *credits() const { return m_credits; }
    QPushButton *thresholdsButton() const { return m_thresholds; }
    // Sets the alert thresholds of the selected budget (of every budget when a proxy is selected).
    void setThresholds(const QString &text);
    QTabWidget *tabs() const { return m_tabs; }
    QString messageText() const;
    // Selects the node with this key (BudgetNode::key) and shows which limit binds for it.
    bool selectKey(const QString &key);
    const BudgetNode *selectedNode() const;
    QPushButton *changeButton() const { return m_change; }
    QPushButton *blockButton() const { return m_block; }
    QPushButton *deleteButton() const { return m_delete; }
    // Sends a change the dialogs have confirmed (tests and scripted use skip the dialogs).
    void sendChange(const ProxyChange &change);

private:
    QWidget *buildBudgetsTab();
    void updateButtons();
    void openChange();
    void toggleBlock();
    void openDelete();
    void openThresholds();
    void showBinding();
    void updateSyncState();
    void updateProxies();
    void showMessage(const QString &text, bool problem = false);

    LiteLLMService *m_service;
    BudgetTreeModel *m_tree;
    BudgetFilter *m_proxy;
    QTabWidget *m_tabs = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_state = nullptr;
    BindingPanel *m_binding = nullptr;
    AttributionTab *m_spend = nullptr;
    AlertsTab *m_alerts = nullptr;
    RenewalTab *m_renewals = nullptr;
    PoliciesTab *m_policies = nullptr;
    CreditsTab *m_credits = nullptr;
    QPushButton *m_thresholds = nullptr;
    QLabel *m_syncState = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_change = nullptr;
    QPushButton *m_block = nullptr;
    QPushButton *m_delete = nullptr;
    bool m_expanded = false;
    quint64 m_nextChange = 1;
    QSet<quint64> m_changes; // sent from this pane, waiting for the proxy
};

} // namespace opsdeck
