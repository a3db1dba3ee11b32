// Test runs › GitHub…: the repositories whose GitHub Actions artifacts become test runs. Lists the
// GitHub sources with what they collected and, for the one selected, its workflow runs (branch,
// commit, event, conclusion) with what became of each artifact; adds, edits and removes sources
// and syncs one now. Every change and sync runs on the GitHubService thread.
#pragma once

#include "models/testruns/workflowruns.h"
#include "ui/panes/testruns/listdialog.h"

#include <QDialog>
#include <QSet>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace opsdeck {

class ConnectionsModel;
class GitHubService;
class GitHubSourcesModel;
class WorkflowRunsModel;

// One source's settings, checked as they are typed.
class GitHubSourceForm : public QDialog
{
    Q_OBJECT
public:
    GitHubSourceForm(ConnectionsModel *connections, QWidget *parent = nullptr);
    void setValues(const QString &name, qint64 connectionId, const GitHubTestSource &settings);
    QString name() const;
    qint64 connectionId() const;
    GitHubTestSource settings() const;
    QString problem() const;

private:
    void check();
    QLineEdit *m_name;
    QComboBox *m_connection;
    QLineEdit *m_repo;
    QLineEdit *m_pattern;
    QSpinBox *m_firstRuns;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

class GitHubSourcesDialog : public ListDialog
{
    Q_OBJECT
public:
    GitHubSourcesDialog(GitHubService *service, ConnectionsModel *connections, QWidget *parent = nullptr);

    GitHubSourcesModel *sources() const { return m_sources; }
    WorkflowRunsModel *workflowRuns() const { return m_runs; }
    QTableView *sourcesView() const { return m_sourceView; }
    qint64 selectedSource() const;

    // What the buttons do (the forms are modal).
    void addSource();
    void editSource();
    void removeSource();
    void syncSelected();
    // Saves without the form (tests, scripts of the UI).
    void save(qint64 sourceId, const QString &name, qint64 connectionId, const GitHubTestSource &settings);

signals:
    void saved(bool ok, const QString &message);
    void synced(qint64 sourceId, bool ok, const QString &message);

private:
    void updateButtons();
    GitHubService *m_service;
    ConnectionsModel *m_connections;
    GitHubSourcesModel *m_sources;
    WorkflowRunsModel *m_runs;
    QTableView *m_sourceView;
    QTableView *m_runView;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_sync;
    QSet<quint64> m_requests;
};

} // namespace opsdeck
