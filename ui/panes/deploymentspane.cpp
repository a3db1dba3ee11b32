#include "deploymentspane.h"

#include "cachenotifier.h"
#include "connectionsmodel.h"
#include "connectionstore.h"
#include "container.h"
#include "containerdialogs.h"
#include "containersmodel.h"
#include "database.h"
#include "deploydialog.h"
#include "deployservice.h"
#include "dockerservice.h"
#include "job.h"
#include "jobsmodel.h"
#include "logview.h"
#include "quickservicedialog.h"
#include "requestid.h"
#include "routedialog.h"
#include "tunnelservice.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// Project, state and words over every column; state colours for the view.
class ContainerFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString project; // "" any, "\x01none" no project, or a name
    QString state;   // "" any, "running", "stopped" (everything not running)
    QStringList words;
    void apply() { invalidateFilter(); }
    static inline const QString noProject = QStringLiteral("\x01none");

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::ForegroundRole) {
            const QString value = index.data(Qt::DisplayRole).toString();
            if (index.column() == ContainersModel::State && value == QLatin1String("running"))
                return QColor(0x1a, 0x7f, 0x37);
            if ((index.column() == ContainersModel::State &&
                 (value == QLatin1String("dead") || value == QLatin1String("restarting"))) ||
                (index.column() == ContainersModel::Health && value == QLatin1String("unhealthy")))
                return QColor(0xcf, 0x22, 0x2e);
        }
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QString p =
            m->index(row, ContainersModel::Project, parent).data(CacheTableModel::RawRole).toString();
        if (!project.isEmpty() && (project == noProject ? !p.isEmpty() : p != project))
            return false;
        const QString s =
            m->index(row, ContainersModel::State, parent).data(CacheTableModel::RawRole).toString();
        if (state == QLatin1String("running")
                ? s != state
                : state == QLatin1String("stopped") && s == QLatin1String("running"))
            return false;
        for (const QString &w : words) {
            bool found = false;
            for (int c = 0; c < ContainersModel::ColumnCount && !found; ++c)
                found = m->index(row, c, parent)
                            .data(Qt::DisplayRole)
                            .toString()
                            .contains(w, Qt::CaseInsensitive);
            if (!found)
                return false;
        }
        return true;
    }
};

QString bytes(qint64 n)
{
    return QLocale().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat);
}
} // namespace

DeploymentsPane::DeploymentsPane(ConnectionsModel *connections, DockerService *docker, DeployService *deploy,
                                 TunnelService *tunnel, QWidget *parent)
    : Pane({QStringLiteral("deployments"),
            tr("Deployments"),
            QStringLiteral("applications-system"),
            {ConnectionKind::Docker, ConnectionKind::Cloudflare},
            tr("Containers and deployments on your Docker hosts"),
            tr("This pane runs and manages services on a Docker host: one-click services from an image, "
               "deploys of GitHub template repositories with compose, live logs, and routes through a "
               "Cloudflare tunnel.")},
           connections, parent),
      m_docker(docker), m_deploy(deploy), m_tunnel(tunnel), m_jobsModel(new JobsModel(this)),
      m_model(new ContainersModel(this)), m_proxy(new ContainerFilter(this))
{
    auto *content = new QWidget(this);
    m_filter = new QLineEdit(content);
    m_filter->setPlaceholderText(tr("Filter by name, image, port, project…"));
    m_filter->setClearButtonEnabled(true);
    m_project = new QComboBox(content);
    m_project->setAccessibleName(tr("Project"));
    m_project->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_project->setMinimumContentsLength(14);
    m_state = new QComboBox(content);
    m_state->addItem(tr("All states"), QString());
    m_state->addItem(tr("Running"), QStringLiteral("running"));
    m_state->addItem(tr("Not running"), QStringLiteral("stopped"));
    m_state->setAccessibleName(tr("State"));
    m_count = new QLabel(content);
    m_live = new QLabel(content);
    m_live->setToolTip(tr("Whether the engines' event streams are connected: the list updates by itself"));

    auto *start = new QPushButton(tr("&Start"), content);
    auto *stop = new QPushButton(tr("S&top"), content);
    auto *restart = new QPushButton(tr("Rest&art"), content);
    auto *remove = new QPushButton(tr("&Remove…"), content);
    remove->setToolTip(tr("Remove the selected containers (Delete)"));
    auto *quick = new QPushButton(tr("&Quick service…"), content);
    quick->setToolTip(tr("Run a container from an image in one step (Ctrl+N)"));
    auto *deployButton = new QPushButton(tr("&Deploy…"), content);
    deployButton->setToolTip(tr("Deploy a GitHub template repository or a local directory with compose"));
    auto *projectButton = new QPushButton(tr("&Project"), content);
    projectButton->setToolTip(tr("Start, stop or remove the selected container's project as a unit"));
    auto *projectMenu = new QMenu(projectButton);
    projectMenu->addAction(tr("Start project"), this, [this] { actOnProject(int(ContainerAction::Start)); });
    projectMenu->addAction(tr("Stop project"), this, [this] { actOnProject(int(ContainerAction::Stop)); });
    projectMenu->addAction(tr("Remove project…"), this,
                           [this] { actOnProject(int(ContainerAction::Remove)); });
    projectButton->setMenu(projectMenu);
    auto *logs = new QPushButton(tr("&Logs"), content);
    logs->setToolTip(tr("Logs of the selected containers, merged by time (Ctrl+L)"));
    m_stopTimeout = new QSpinBox(content);
    m_stopTimeout->setRange(0, 600);
    m_stopTimeout->setValue(10);
    m_stopTimeout->setPrefix(tr("stop after "));
    m_stopTimeout->setSuffix(tr(" s"));
    m_stopTimeout->setToolTip(tr("How long the engine waits for a container to stop before it kills it"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CacheTableModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_view = new QTableView(content);
    setUpTable(m_view, m_proxy, ContainersModel::Name, tr("Containers"));
    const int w = m_view->fontMetrics().averageCharWidth();
    m_view->setColumnWidth(ContainersModel::Name, w * 24);
    m_view->setColumnWidth(ContainersModel::State, w * 10);
    m_view->setColumnWidth(ContainersModel::Health, w * 12);
    m_view->setColumnWidth(ContainersModel::Image, w * 30);
    m_view->setColumnWidth(ContainersModel::Ports, w * 26);
    m_view->setColumnWidth(ContainersModel::Project, w * 14);
    m_view->setColumnWidth(ContainersModel::Created, w * 16);
    m_view->setColumnWidth(ContainersModel::Status, w * 22);

    m_logs = new LogView(content);
    m_logs->setStatus(
        tr("Select one or more containers and press Logs (Ctrl+L): several are merged by time."));
    m_host = new QLabel(content);
    m_host->setWordWrap(true);
    m_host->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_host->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_disk = new QTableWidget(0, 5, content);
    m_disk->setHorizontalHeaderLabels({tr("Kind"), tr("Count"), tr("In use"), tr("Size"), tr("Reclaimable")});
    m_disk->verticalHeader()->hide();
    m_disk->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_disk->horizontalHeader()->setStretchLastSection(true);
    auto *prune = new QPushButton(tr("Remove stopped &containers…"), content);
    auto *pruneNote = new QLabel(tr("Images, volumes and build cache are not pruned from here: the Engine "
                                    "API operations Opsdeck uses do "
                                    "not include deleting them."),
                                 content);
    pruneNote->setWordWrap(true);
    auto *host = new QWidget(content);
    auto *hostLayout = new QVBoxLayout(host);
    hostLayout->addWidget(m_host);
    hostLayout->addWidget(m_disk, 1);
    auto *pruneRow = new QHBoxLayout;
    pruneRow->addWidget(prune);
    pruneRow->addWidget(pruneNote, 1);
    hostLayout->addLayout(pruneRow);
    // Jobs: every deploy with its steps, state, duration and log; cancel and redeploy.
    auto *jobs = new QWidget(content);
    m_jobsView = new QTableView(jobs);
    m_jobsView->setModel(m_jobsModel);
    m_jobsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_jobsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_jobsView->verticalHeader()->hide();
    m_jobsView->horizontalHeader()->setStretchLastSection(true);
    m_jobsView->setWordWrap(false);
    m_jobsView->setAccessibleName(tr("Jobs"));
    m_jobsView->setColumnWidth(JobsModel::Title, w * 36);
    m_jobsView->setColumnWidth(JobsModel::State, w * 11);
    m_jobsView->setColumnWidth(JobsModel::Progress, w * 22);
    m_jobsView->setColumnWidth(JobsModel::Started, w * 16);
    m_jobsView->setColumnWidth(JobsModel::Duration, w * 10);
    m_jobsView->setColumnWidth(JobsModel::Message, w * 40);
    m_jobLog = new LogView(jobs);
    m_jobLog->setStatus(tr("Select a job to see its log."));
    m_jobProgress = new QProgressBar(jobs);
    m_jobProgress->setRange(0, 100);
    m_jobProgress->hide();
    auto *cancelJob = new QPushButton(tr("&Cancel job"), jobs);
    auto *redeploy = new QPushButton(tr("Re&deploy"), jobs);
    auto *jobButtons = new QHBoxLayout;
    jobButtons->addWidget(cancelJob);
    jobButtons->addWidget(redeploy);
    jobButtons->addWidget(m_jobProgress, 1);
    auto *jobSplit = new QSplitter(Qt::Horizontal, jobs);
    jobSplit->addWidget(m_jobsView);
    jobSplit->addWidget(m_jobLog);
    jobSplit->setSizes({500, 500});
    auto *jobsLayout = new QVBoxLayout(jobs);
    jobsLayout->addLayout(jobButtons);
    jobsLayout->addWidget(jobSplit, 1);
    connect(cancelJob, &QPushButton::clicked, this, &DeploymentsPane::cancelJob);
    connect(redeploy, &QPushButton::clicked, this, &DeploymentsPane::redeployJob);
    connect(m_jobsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeploymentsPane::showJob);

    // Tunnel: configuration health, cloudflared, routes.
    auto *tunnelTab = new QWidget(content);
    m_tunnelConnection = new QComboBox(tunnelTab);
    m_tunnelConnection->setAccessibleName(tr("Tunnel connection"));
    m_tunnelStatus = new QLabel(tunnelTab);
    m_tunnelStatus->setWordWrap(true);
    m_tunnelStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_routes = new QTableWidget(0, 3, tunnelTab);
    m_routes->setHorizontalHeaderLabels({tr("Hostname"), tr("Path"), tr("Service")});
    m_routes->verticalHeader()->hide();
    m_routes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_routes->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_routes->setSelectionMode(QAbstractItemView::SingleSelection);
    m_routes->horizontalHeader()->setStretchLastSection(true);
    m_routes->setColumnWidth(0, w * 32);
    auto *addRoute = new QPushButton(tr("Add &route…"), tunnelTab);
    auto *changeRoute = new QPushButton(tr("C&hange port…"), tunnelTab);
    auto *removeRoute = new QPushButton(tr("Remove r&oute…"), tunnelTab);
    auto *reloadTunnel = new QPushButton(tr("Re&load"), tunnelTab);
    auto *tunnelButtons = new QHBoxLayout;
    tunnelButtons->addWidget(m_tunnelConnection);
    tunnelButtons->addWidget(addRoute);
    tunnelButtons->addWidget(changeRoute);
    tunnelButtons->addWidget(removeRoute);
    tunnelButtons->addWidget(reloadTunnel);
    tunnelButtons->addStretch(1);
    auto *tunnelLayout = new QVBoxLayout(tunnelTab);
    tunnelLayout->addLayout(tunnelButtons);
    tunnelLayout->addWidget(m_tunnelStatus);
    tunnelLayout->addWidget(m_routes, 1);
    connect(addRoute, &QPushButton::clicked, this, [this] { editRoute(int(RouteOp::Add)); });
    connect(changeRoute, &QPushButton::clicked, this, [this] { editRoute(int(RouteOp::Update)); });
    connect(removeRoute, &QPushButton::clicked, this, [this] { editRoute(int(RouteOp::Remove)); });
    connect(reloadTunnel, &QPushButton::clicked, this, &DeploymentsPane::refreshTunnel);
    connect(m_tunnelConnection, &QComboBox::currentIndexChanged, this, &DeploymentsPane::refreshTunnel);

    m_tabs = new QTabWidget(content);
    m_tabs->addTab(m_logs, tr("Logs"));
    m_tabs->addTab(jobs, tr("Jobs"));
    m_tabs->addTab(tunnelTab, tr("Tunnel"));
    m_tabs->addTab(host, tr("Host"));
    m_message = new QLabel(content);
    m_message->setWordWrap(true);
    m_message->hide(); // shown with the outcome of an action
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 3);
    bar->addWidget(m_project);
    bar->addWidget(m_state);
    bar->addWidget(m_count, 1);
    bar->addWidget(m_live);
    auto *actions = new QHBoxLayout;
    for (QPushButton *b : {quick, deployButton, start, stop, restart, remove, projectButton, logs})
        actions->addWidget(b);
    actions->addWidget(m_stopTimeout);
    actions->addStretch(1);
    auto *splitter = new QSplitter(Qt::Vertical, content);
    splitter->addWidget(m_view);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({480, 300});
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(bar);
    layout->addLayout(actions);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    m_content = content;

    connect(start, &QPushButton::clicked, this, [this] { act(ContainerAction::Start); });
    connect(stop, &QPushButton::clicked, this, [this] { act(ContainerAction::Stop); });
    connect(restart, &QPushButton::clicked, this, [this] { act(ContainerAction::Restart); });
    connect(remove, &QPushButton::clicked, this, &DeploymentsPane::removeSelected);
    connect(logs, &QPushButton::clicked, this, &DeploymentsPane::showLogs);
    connect(prune, &QPushButton::clicked, this, &DeploymentsPane::removeStopped);
    connect(quick, &QPushButton::clicked, this, &DeploymentsPane::quickService);
    connect(deployButton, &QPushButton::clicked, this, &DeploymentsPane::deployRepository);
    auto *quickKey = new QShortcut(QKeySequence::New, this);
    quickKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(quickKey, &QShortcut::activated, this, &DeploymentsPane::quickService);
    auto *del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &DeploymentsPane::removeSelected);
    auto *logKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
    connect(logKey, &QShortcut::activated, this, &DeploymentsPane::showLogs);
    connect(m_view, &QTableView::doubleClicked, this, &DeploymentsPane::showLogs);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        static_cast<ContainerFilter *>(m_proxy)->words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        static_cast<ContainerFilter *>(m_proxy)->apply();
        updateView();
    });
    for (QComboBox *combo : {m_project, m_state})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            auto *f = static_cast<ContainerFilter *>(m_proxy);
            f->project = m_project->currentData().toString();
            f->state = m_state->currentData().toString();
            f->apply();
            updateView();
        });
    connect(m_model, &ContainersModel::loaded, this, &DeploymentsPane::updateChoices);
    connect(m_model, &ContainersModel::loaded, this, &DeploymentsPane::updateView);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(Tables::dockerHosts))
                    updateHost();
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeploymentsPane::updateHost);
    if (m_docker) {
        connect(m_docker, &DockerService::actionFinished, this, &DeploymentsPane::onActionFinished);
        connect(m_docker, &DockerService::logLines, this,
                [this](quint64 stream, const QList<LogLine> &lines) {
                    if (stream == m_logStream)
                        m_logs->append(lines);
                });
        connect(m_docker, &DockerService::logEnded, this, [this](quint64 stream, const Outcome &outcome) {
            if (stream != m_logStream)
                return;
            m_logStream = 0;
            m_logs->setStatus(outcome.ok ? tr("The log stream ended (the containers stopped).")
                                         : tr("The log stream ended: %1").arg(outcome.message),
                              !outcome.ok);
        });
        connect(m_logs, &LogView::stopRequested, this, [this] {
            if (!m_logStream)
                return;
            QMetaObject::invokeMethod(m_docker,
                                      [docker = m_docker, id = m_logStream] { docker->closeLogs(id); });
            m_logStream = 0;
            m_logs->setStatus(tr("Stopped following."));
        });
        connect(m_docker, &DockerService::eventsStateChanged, this,
                [this](qint64 connectionId, bool connected, const QString &message) {
                    m_liveState.insert(connectionId, connected ? QString() : message);
                    QStringList problems;
                    for (const QString &m : std::as_const(m_liveState))
                        if (!m.isEmpty())
                            problems << m;
                    m_live->setText(problems.isEmpty() ? tr("● live") : tr("● reconnecting"));
                    m_live->setToolTip(problems.isEmpty() ? tr("The engines' event streams are connected")
                                                          : problems.join(QLatin1Char('\n')));
                });
        connect(m_docker, &DockerService::removeStoppedProgress, this,
                [this](quint64 id, int done, int total) {
                    if (id == m_removeStoppedRequest)
                        showMessage(tr("Removing stopped containers: %1 of %2…").arg(done).arg(total));
                });
        connect(m_docker, &DockerService::removeStoppedFinished, this,
                [this](quint64 id, int removed, int failed, const QString &failures) {
                    if (id != m_removeStoppedRequest)
                        return;
                    m_removeStoppedRequest = 0;
                    showMessage(failed == 0 && failures.isEmpty()
                                    ? tr("Removed %n stopped container(s).", nullptr, removed)
                                    : tr("Removed %1, %2 failed: %3").arg(removed).arg(failed).arg(failures));
                });
    }
    if (m_deploy) {
        connect(m_deploy, &DeployService::jobProgress, this,
                [this](qint64 jobId, int percent, const QString &text) {
                    if (jobId != currentJobId())
                        return;
                    m_jobProgress->show();
                    m_jobProgress->setValue(percent);
                    m_jobProgress->setFormat(text + QStringLiteral(" %p%"));
                });
        connect(m_deploy, &DeployService::jobFinished, this,
                [this](qint64 jobId, JobState state, const QString &message, const QJsonObject &result) {
                    if (jobId == currentJobId())
                        m_jobProgress->hide();
                    showMessage(message);
                    // A new container opens in the pane.
                    const QString name = result.value(QLatin1String("name")).toString();
                    if (state == JobState::Succeeded && !name.isEmpty())
                        m_filter->setText(name);
                });
        connect(m_deploy, &DeployService::refused, this,
                [this](quint64, const Outcome &outcome) { showMessage(outcome.message); });
    }
    if (m_tunnel)
        connect(m_tunnel, &TunnelService::statusReady, this,
                [this](quint64 id, const Outcome &outcome, const TunnelStatus &status) {
                    if (id != m_tunnelRequest)
                        return;
                    m_tunnelRequest = 0;
                    if (!outcome.ok) {
                        m_routes->setRowCount(0);
                        m_tunnelStatus->setText(outcome.message);
                        return;
                    }
                    showTunnel(status);
                });
    const auto fillTunnels = [this] {
        const QVariant current = m_tunnelConnection->currentData();
        const QSignalBlocker block(m_tunnelConnection);
        m_tunnelConnection->clear();
        for (int row = 0; m_connections && row < m_connections->rowCount(); ++row) {
            const Connection c = m_connections->connectionAt(row);
            if (c.kind == ConnectionKind::Cloudflare)
                m_tunnelConnection->addItem(c.name, c.id);
        }
        m_tunnelConnection->setCurrentIndex(qMax(0, m_tunnelConnection->findData(current)));
        refreshTunnel();
    };
    if (m_connections) {
        connect(m_connections, &QAbstractItemModel::rowsInserted, this, fillTunnels);
        connect(m_connections, &QAbstractItemModel::rowsRemoved, this, fillTunnels);
        connect(m_connections, &QAbstractItemModel::modelReset, this, fillTunnels);
    }
    fillTunnels();
    m_model->reload();
    m_jobsModel->reload();
    updateChoices();
    updateHost();
}

void DeploymentsPane::refreshTunnel()
{
    const qint64 id = m_tunnelConnection->currentData().toLongLong();
    if (!id || !m_tunnel) {
        m_routes->setRowCount(0);
        m_tunnelStatus->setText(
            tr("Add a Cloudflare connection with the tunnel's configuration file (locally managed) or "
               "its tunnel ID (remotely managed) to route services through it."));
        return;
    }
    m_tunnelRequest = nextRequestId();
    m_tunnelStatus->setText(tr("Reading the tunnel configuration…"));
    QMetaObject::invokeMethod(m_tunnel, [t = m_tunnel, r = m_tunnelRequest, id] { t->status(r, id); });
}

void DeploymentsPane::showTunnel(const TunnelStatus &status)
{
    QStringList lines;
    lines << (status.remote
                  ? tr("Remotely managed tunnel %1 (Cloudflare API).").arg(status.tunnel)
                  : tr("Locally managed tunnel %1, configuration %2.").arg(status.tunnel, status.configPath));
    lines << (status.configValid ? tr("✔ The configuration is valid by cloudflared's rules.")
                                 : tr("✘ The configuration is not valid: %1").arg(status.problem));
    if (!status.remote)
        lines << (status.cloudflared.isEmpty()
                      ? tr("✘ cloudflared is not installed here: DNS routes must be created by hand.")
                      : tr("✔ cloudflared at %1, %2.")
                            .arg(status.cloudflared,
                                 status.cloudflaredRunning ? tr("running") : tr("not running")));
    m_tunnelStatus->setText(lines.join(QLatin1Char('\n')));
    m_routes->setRowCount(int(status.rules.size()));
    for (int i = 0; i < status.rules.size(); ++i) {
        const IngressRule &r = status.rules.at(i);
        const QStringList cells{r.hostname.isEmpty() ? tr("(everything else)") : r.hostname, r.path,
                                r.service};
        for (int col = 0; col < 3; ++col)
            m_routes->setItem(i, col, new QTableWidgetItem(cells.at(col)));
    }
}

QString DeploymentsPane::tunnelText() const
{
    return m_tunnelStatus->text();
}

void DeploymentsPane::editRoute(int opValue)
{
    const auto op = RouteOp(opValue);
    const qint64 id = m_tunnelConnection->currentData().toLongLong();
    if (!id || !m_tunnel)
        return emit addConnectionRequested(ConnectionKind::Cloudflare);
    QString hostname;
    int port = 0;
    if (op != RouteOp::Add) {
        const int row = m_routes->currentRow();
        if (row < 0 || row == m_routes->rowCount() - 1)
            return m_tunnelStatus->setText(m_tunnelStatus->text() + QLatin1Char('\n') +
                                           tr("Select the route first (the catch-all rule stays)."));
        hostname = m_routes->item(row, 0)->text();
        port = QUrl(m_routes->item(row, 2)->text()).port();
    } else {
        // From the selected container: its first published port.
        const QList<Selected> chosen = selection();
        if (!chosen.isEmpty()) {
            const QModelIndex s = m_proxy->mapToSource(m_view->selectionModel()->selectedRows().first());
            const QVariantList ports = s.data(ContainersModel::PublishedPortsRole).toList();
            port = ports.isEmpty() ? 0 : ports.first().toInt();
        }
    }
    auto *dialog = new RouteDialog(m_tunnel, id, op, hostname, port, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RouteDialog::applied, this, &DeploymentsPane::refreshTunnel);
    dialog->open();
}

qint64 DeploymentsPane::currentJobId() const
{
    const QModelIndex current = m_jobsView->currentIndex();
    return current.isValid() ? current.data(JobsModel::JobIdRole).toLongLong() : 0;
}

void DeploymentsPane::showJob()
{
    const qint64 id = currentJobId();
    if (id == m_shownJob)
        return;
    m_shownJob = id;
    m_shownSeq = 0;
    m_jobLog->clear();
    m_jobProgress->hide();
    if (!id)
        return;
    m_jobLog->setTitle(m_jobsView->currentIndex().siblingAtColumn(JobsModel::Title).data().toString());
    m_jobLog->setStatus(m_jobsView->currentIndex().siblingAtColumn(JobsModel::Message).data().toString());
    loadJobLog(id, 0);
}

void DeploymentsPane::loadJobLog(qint64 jobId, int fromSeq)
{
    if (m_jobLogLoading)
        return; // the next change notification picks up the rest
    m_jobLogLoading = true;
    // Read off the GUI thread: a compose job can log thousands of lines.
    using Lines = Result<QList<JobStore::LogEntry>>;
    auto *watcher = new QFutureWatcher<Lines>(this);
    connect(watcher, &QFutureWatcher<Lines>::finished, this, [this, watcher, jobId] {
        watcher->deleteLater();
        m_jobLogLoading = false;
        const Lines lines = watcher->result();
        if (jobId != m_shownJob || !lines)
            return;
        QList<LogLine> out;
        for (const JobStore::LogEntry &e : lines.value()) {
            LogLine l;
            l.time = e.time;
            l.stream = e.stream == QLatin1String("stderr") || e.stream == QLatin1String("error")
                           ? LogLine::Stderr
                           : LogLine::Stdout;
            l.text = e.text;
            out << l;
        }
        m_shownSeq += int(out.size());
        m_jobLog->append(out);
        const QModelIndex current = m_jobsView->currentIndex();
        if (current.isValid())
            m_jobLog->setStatus(current.siblingAtColumn(JobsModel::Message).data().toString());
    });
    watcher->setFuture(QtConcurrent::run(
        [jobId, fromSeq] { return JobStore::log(Database::connection(), jobId, fromSeq); }));
}

void DeploymentsPane::quickService()
{
    if (!m_deploy)
        return;
    qint64 host = 0;
    for (qint64 id : connectionIds())
        if (m_connections->connectionAt(m_connections->rowOfKey(id)).kind == ConnectionKind::Docker) {
            host = id;
            break;
        }
    if (!host)
        return emit addConnectionRequested(ConnectionKind::Docker);
    const QList<Selected> chosen = selection();
    auto *dialog = new QuickServiceDialog(m_connections, m_deploy,
                                          chosen.isEmpty() ? host : chosen.first().connectionId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QuickServiceDialog::jobStarted, this, &DeploymentsPane::followJob);
    dialog->open();
}

void DeploymentsPane::followJob(qint64 jobId)
{
    m_tabs->setCurrentIndex(1);
    // The new job shows at the top once the list reloads.
    auto selectJob = std::make_shared<QMetaObject::Connection>();
    *selectJob = connect(m_jobsModel, &JobsModel::loaded, this, [this, jobId, selectJob] {
        const int row = m_jobsModel->rowOfKey(jobId);
        if (row < 0)
            return;
        m_jobsView->setCurrentIndex(m_jobsModel->index(row, 0));
        disconnect(*selectJob);
    });
}

void DeploymentsPane::deployRepository()
{
    if (!m_deploy)
        return;
    auto *dialog = new DeployDialog(m_connections, m_deploy, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DeployDialog::jobStarted, this, &DeploymentsPane::followJob);
    dialog->open();
}

void DeploymentsPane::actOnProject(int actionValue)
{
    const auto action = ContainerAction(actionValue);
    const QList<Selected> chosen = selection();
    if (chosen.isEmpty())
        return showMessage(tr("Select a container of the project first."));
    const QModelIndex s = m_proxy->mapToSource(m_view->selectionModel()->selectedRows().first());
    const QString project = s.siblingAtColumn(ContainersModel::Project).data().toString();
    if (project.isEmpty())
        return showMessage(tr("%1 belongs to no project.").arg(chosen.first().name));
    if (action == ContainerAction::Remove &&
        QMessageBox::question(
            this, tr("Remove project"),
            tr("Remove every container of project %1 (running ones are killed)? Volumes and networks "
               "stay. Each removal is audited.")
                .arg(project),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    const quint64 id = nextRequestId();
    m_projectRequest = id;
    showMessage(tr("Working on project %1…").arg(project));
    QMetaObject::invokeMethod(m_docker, [docker = m_docker, id, c = chosen.first().connectionId, project,
                                         action] { docker->actProject(id, c, project, action); });
}

void DeploymentsPane::cancelJob()
{
    const qint64 id = currentJobId();
    if (!id || !m_deploy)
        return showMessage(tr("Select a running job to cancel."));
    if (m_jobsView->currentIndex().siblingAtColumn(JobsModel::State).data().toString() !=
        QLatin1String("running"))
        return showMessage(tr("Job %1 is not running.").arg(id));
    QMetaObject::invokeMethod(m_deploy, [deploy = m_deploy, id] { deploy->cancel(id); });
    showMessage(tr("Cancelling job %1…").arg(id));
}

void DeploymentsPane::redeployJob()
{
    const qint64 id = currentJobId();
    if (!id || !m_deploy)
        return showMessage(tr("Select a job to deploy again."));
    const quint64 request = nextRequestId();
    auto selectNew = std::make_shared<QMetaObject::Connection>();
    *selectNew =
        connect(m_deploy, &DeployService::jobStarted, this, [this, request, selectNew](quint64 r, qint64) {
            if (r != request)
                return;
            disconnect(*selectNew);
            m_jobsView->clearSelection();
        });
    QMetaObject::invokeMethod(m_deploy, [deploy = m_deploy, request, id] { deploy->redeploy(request, id); });
}

void DeploymentsPane::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void DeploymentsPane::updateView()
{
    if (m_model->rowCount() > 0 && !isContentShown())
        setContent(m_content);
    m_count->setText(tr("%1 of %2 containers").arg(m_proxy->rowCount()).arg(m_model->rowCount()));
}

void DeploymentsPane::updateChoices()
{
    QSet<QString> projects;
    for (int row = 0; row < m_model->rowCount(); ++row)
        projects.insert(
            m_model->index(row, ContainersModel::Project).data(CacheTableModel::RawRole).toString());
    projects.remove(QString());
    QStringList sorted = projects.values();
    sorted.sort(Qt::CaseInsensitive);
    const QString current = m_project->currentData().toString();
    const QSignalBlocker block(m_project);
    m_project->clear();
    m_project->addItem(tr("All projects"), QString());
    m_project->addItem(tr("No project"), ContainerFilter::noProject);
    for (const QString &p : std::as_const(sorted))
        m_project->addItem(p, p);
    const int keep = m_project->findData(current);
    m_project->setCurrentIndex(keep >= 0 ? keep : 0);
}

QList<DeploymentsPane::Selected> DeploymentsPane::selection() const
{
    QList<Selected> out;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const QModelIndex s = m_proxy->mapToSource(index);
        out << Selected{s.data(ContainersModel::ConnectionIdRole).toLongLong(),
                        s.data(ContainersModel::ContainerIdRole).toString(),
                        s.siblingAtColumn(ContainersModel::Name).data().toString(),
                        s.siblingAtColumn(ContainersModel::State).data().toString(),
                        s.data(ContainersModel::VolumesRole).toStringList()};
    }
    return out;
}

void DeploymentsPane::act(ContainerAction action)
{
    const QList<Selected> chosen = selection();
    if (chosen.isEmpty())
        return showMessage(tr("Select the containers first."));
    for (const Selected &c : chosen) {
        const quint64 id = nextRequestId();
        m_pending.insert(id);
        QMetaObject::invokeMethod(m_docker, [docker = m_docker, id, c, action, t = m_stopTimeout->value()] {
            docker->act(id, c.connectionId, c.id, action, t, false, false);
        });
    }
    showMessage(tr("Working on %n container(s)…", nullptr, int(chosen.size())));
}

void DeploymentsPane::removeSelected()
{
    const QList<Selected> chosen = selection();
    if (chosen.isEmpty())
        return showMessage(tr("Select the containers to remove first."));
    for (const Selected &c : chosen) {
        const auto choice = askRemoveContainer(this, c.name, c.state, c.volumes);
        if (!choice)
            continue;
        const quint64 id = nextRequestId();
        m_pending.insert(id);
        QMetaObject::invokeMethod(m_docker, [docker = m_docker, id, c, choice] {
            docker->act(id, c.connectionId, c.id, ContainerAction::Remove, 10, choice->volumes,
                        choice->force);
        });
    }
}

void DeploymentsPane::onActionFinished(quint64 requestId, const QString &containerId, const Outcome &outcome)
{
    if (!m_pending.remove(requestId))
        return;
    Q_UNUSED(containerId)
    if (!outcome.ok)
        showMessage(outcome.message);
    else if (m_pending.isEmpty())
        showMessage(outcome.message.isEmpty() ? tr("Done.") : outcome.message);
}

void DeploymentsPane::showLogs()
{
    const QList<Selected> chosen = selection();
    if (chosen.isEmpty())
        return showMessage(tr("Select one or more containers to see their logs."));
    QStringList ids, names;
    for (const Selected &c : chosen) {
        if (c.connectionId != chosen.first().connectionId)
            return showMessage(tr("Logs can be merged for containers of one Docker host at a time."));
        ids << c.id;
        names << c.name;
    }
    if (m_logStream)
        QMetaObject::invokeMethod(m_docker, [docker = m_docker, id = m_logStream] { docker->closeLogs(id); });
    m_logStream = nextRequestId();
    m_logs->clear();
    m_logs->setTitle(names.join(QStringLiteral(", ")));
    m_logs->setStatus(tr("Following %1…").arg(names.join(QStringLiteral(", "))));
    m_tabs->setCurrentWidget(m_logs);
    LogOptions options;
    QMetaObject::invokeMethod(m_docker,
                              [docker = m_docker, id = m_logStream, connection = chosen.first().connectionId,
                               ids, options] { docker->openLogs(id, connection, ids, options); });
}

void DeploymentsPane::removeStopped()
{
    QList<qint64> hosts;
    for (qint64 id : connectionIds()) {
        const int row = m_connections->rowOfKey(id);
        if (row >= 0 && m_connections->connectionAt(row).kind == ConnectionKind::Docker)
            hosts << id;
    }
    const QList<Selected> chosen = selection();
    const qint64 host = !chosen.isEmpty() ? chosen.first().connectionId : hosts.value(0);
    if (!host)
        return;
    const QString name = m_connections->connectionAt(m_connections->rowOfKey(host)).name;
    int stopped = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->index(row, 0).data(ContainersModel::ConnectionIdRole).toLongLong() == host &&
            m_model->index(row, ContainersModel::State).data().toString() != QLatin1String("running"))
            ++stopped;
    if (QMessageBox::question(
            this, tr("Remove stopped containers"),
            tr("Remove every stopped container on %1 (%n listed now)? Each removal is audited; "
               "their volumes are kept.",
               nullptr, stopped)
                .arg(name),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    m_removeStoppedRequest = nextRequestId();
    QMetaObject::invokeMethod(m_docker, [docker = m_docker, id = m_removeStoppedRequest, host] {
        docker->removeStopped(id, host);
    });
}

QString DeploymentsPane::message() const
{
    return m_message->text();
}

QString DeploymentsPane::hostText() const
{
    return m_host->text();
}

void DeploymentsPane::updateHost()
{
    // The host of the selected container, else the first Docker connection: one small read.
    qint64 host = 0;
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid())
        host = m_proxy->mapToSource(current).data(ContainersModel::ConnectionIdRole).toLongLong();
    if (!host)
        for (qint64 id : connectionIds())
            if (m_connections->connectionAt(m_connections->rowOfKey(id)).kind == ConnectionKind::Docker) {
                host = id;
                break;
            }
    m_disk->setRowCount(0);
    if (!host) {
        m_host->setText(tr("No Docker host yet."));
        return;
    }
    const int row = m_connections->rowOfKey(host);
    const Connection c = m_connections->connectionAt(row);
    const ConnectionHealth health = m_connections->healthAt(row);
    QSqlQuery q(Database::connection());
    q.prepare(
        QStringLiteral("SELECT version, disk_usage, checked_at FROM docker_hosts WHERE connection_id = ?"));
    q.addBindValue(host);
    if (!q.exec() || !q.next()) {
        m_host->setText(tr("%1 (%2): not refreshed yet. Press F5.").arg(c.name, c.endpoint));
        return;
    }
    const QJsonObject version = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    const QList<DiskUsageKind> kinds =
        diskUsageFromJson(QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object());
    m_host->setText(tr("%1 (%2): %3\nEngine %4, API %5, %6/%7. Checked %8.")
                        .arg(c.name, c.endpoint, health.text)
                        .arg(version.value(QLatin1String("Version")).toString(tr("unknown")),
                             version.value(QLatin1String("ApiVersion")).toString(tr("unknown")),
                             version.value(QLatin1String("Os")).toString(),
                             version.value(QLatin1String("Arch")).toString(),
                             QLocale().toString(fromStoredTime(q.value(2).toString()).toLocalTime(),
                                                QLocale::ShortFormat)));
    m_disk->setRowCount(int(kinds.size()));
    for (int i = 0; i < kinds.size(); ++i) {
        const DiskUsageKind &k = kinds.at(i);
        const QStringList cells{
            k.kind, QString::number(k.count), QString::number(k.active), bytes(k.size),
            k.size > 0
                ? QStringLiteral("%1 (%2%)").arg(bytes(k.reclaimable)).arg(k.reclaimable * 100 / k.size)
                : bytes(k.reclaimable)};
        for (int col = 0; col < cells.size(); ++col)
            m_disk->setItem(i, col, new QTableWidgetItem(cells.at(col)));
    }
}

void DeploymentsPane::refresh()
{
    QList<qint64> docker, others;
    for (qint64 id : connectionIds())
        (m_connections->connectionAt(m_connections->rowOfKey(id)).kind == ConnectionKind::Docker ? docker
                                                                                                 : others)
            << id;
    if (docker.isEmpty() || !m_docker)
        return Pane::refresh();
    for (qint64 id : docker)
        QMetaObject::invokeMethod(m_docker, [d = m_docker, id] { d->refresh(id); });
    if (!others.isEmpty())
        emit refreshRequested(others); // the tunnel: a health check until its own sync exists
}

} // namespace opsdeck
