// The Deployments pane: the containers of every Docker connection from the cache, kept current
// by the engine's event stream; start, stop, restart and remove with confirmation and audit; live
// logs of one or several containers; the host's health, version and disk usage.
#pragma once

#include "ui/panes/pane.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSortFilterProxyModel;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace opsdeck {

class PermissionGate;

class ContainersModel;
class DeployService;
class DockerService;
class JobsModel;
class TunnelService;
struct TunnelStatus;
class AppSettings;
class LogView;
struct LogLine;
struct Outcome;
enum class ContainerAction;

class DeploymentsPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    DeploymentsPane(ConnectionsModel *connections, DockerService *docker, DeployService *deploy,
                    TunnelService *tunnel, QWidget *parent = nullptr);
    // The container and job logs keep as many lines as the Settings say (LogView::followSettings).
    void followSettings(AppSettings *settings);

    ContainersModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *projectCombo() const { return m_project; }
    QComboBox *stateCombo() const { return m_state; }
    LogView *logView() const { return m_logs; }
    void refresh() override;

    // The actions behind the toolbar, on the selected containers (public for tests and shortcuts).
    void act(opsdeck::ContainerAction action);
    void removeSelected();
    void showLogs();
    void removeStopped();
    void quickService();
    void deployRepository();
    void actOnProject(int action); // ContainerAction
    void cancelJob();
    void redeployJob();
    JobsModel *jobsModel() const { return m_jobsModel; }
    void refreshTunnel();
    void editRoute(int op); // RouteOp
    QString tunnelText() const;
    QTableWidget *routesTable() const { return m_routes; }
    QTableView *jobsView() const { return m_jobsView; }
    bool revealItem(const QString &target) override;
    QStringList screenshotDialogs() const override;
    QWidget *openScreenshotDialog(const QString &name) override;
    LogView *jobLogView() const { return m_jobLog; }
    QString hostText() const;
    QString message() const;

private:
    struct Selected
    {
        qint64 connectionId = 0;
        QString id;
        QString name;
        QString state;
        QStringList volumes;
    };
    QList<Selected> selection() const;
    // The tabs below the list, each built (with its wiring) in its own file.
    QWidget *buildJobsTab(QWidget *content);   // deploymentsjobs.cpp
    QWidget *buildTunnelTab(QWidget *content); // deploymentstunnel.cpp
    QWidget *buildHostTab(QWidget *content);   // deploymentshost.cpp
    void updateView();
    void showMessage(const QString &text);
    void updateChoices();
    void updateHost();
    void onActionFinished(quint64 requestId, const QString &containerId, const opsdeck::Outcome &outcome);
    qint64 currentJobId() const;
    void followJob(qint64 jobId);
    void showJob();
    void showTunnel(const opsdeck::TunnelStatus &status);
    void loadJobLog(qint64 jobId, int fromSeq);

    DockerService *m_docker;
    DeployService *m_deploy;
    TunnelService *m_tunnel;
    QComboBox *m_tunnelConnection;
    QLabel *m_tunnelStatus;
    QTableWidget *m_routes;
    quint64 m_tunnelRequest = 0;
    JobsModel *m_jobsModel;
    QTableView *m_jobsView;
    LogView *m_jobLog;
    QProgressBar *m_jobProgress;
    qint64 m_shownJob = 0;
    int m_shownSeq = 0;
    bool m_jobLogLoading = false;
    ContainersModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_project;
    QComboBox *m_state;
    QSpinBox *m_stopTimeout;
    QLabel *m_count;
    QLabel *m_live;
    QLabel *m_message;
    QTableView *m_view;
    PermissionGate *m_gate = nullptr;
    QTabWidget *m_tabs;
    LogView *m_logs;
    QLabel *m_host;
    QTableWidget *m_disk;
    QWidget *m_content;
    QSet<quint64> m_pending;
    quint64 m_logStream = 0;
    quint64 m_removeStoppedRequest = 0;
    quint64 m_projectRequest = 0;
    QHash<qint64, QString> m_liveState;
};

} // namespace opsdeck
