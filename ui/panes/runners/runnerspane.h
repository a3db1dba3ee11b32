// The Runners pane: the self-hosted runners of the GitHub connections, from the cache, with
// filters for text and status and sorting on every column. Refresh (F5) syncs from GitHub.
#pragma once

#include "ui/panes/pane.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

class QDialog;

namespace opsdeck {

class PermissionGate;

class GitHubService;
class RunnersModel;

class RunnersPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    RunnersPane(ConnectionsModel *connections, GitHubService *github, QWidget *parent = nullptr);

    RunnersModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *statusCombo() const { return m_status; }
    QComboBox *busyCombo() const { return m_busy; }
    QComboBox *labelCombo() const { return m_label; }
    QComboBox *ownerCombo() const { return m_owner; }
    void refresh() override;

    // The actions behind the toolbar (public for tests and shortcuts).
    // Each opens its dialog without a modal loop and returns it (null when there is nothing to
    // open it for: no GitHub connection, no selection).
    QDialog *newRunner();
    QDialog *removeSelected();
    QDialog *editPolicy();
    QStringList screenshotDialogs() const override;
    QWidget *openScreenshotDialog(const QString &name) override;
    void showDrift();
    void restoreLabels();
    qint64 currentConnectionId() const;
    QString detailText() const;
    QTableView *view() const { return m_view; }

private:
    void updateView();
    void reloadConnections();
    void updateChoices();
    void showDetail();

    GitHubService *m_github;
    RunnersModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QPushButton *m_restore;
    PermissionGate *m_gate = nullptr;
    quint64 m_restoreRequest = 0;
    QComboBox *m_status;
    QComboBox *m_busy;
    QComboBox *m_label;
    QComboBox *m_owner;
    QComboBox *m_connection;
    QLabel *m_count;
    QTableView *m_view;
    QTextBrowser *m_detail;
    QWidget *m_content;
};

} // namespace opsdeck
