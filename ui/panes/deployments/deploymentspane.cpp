#include "ui/panes/deployments/deploymentspane.h"
#include "ui/common/tones.h"

#include "models/audit/auditevent.h"
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/deploy/jobsmodel.h"
#include "models/docker/container.h"
#include "models/docker/containersmodel.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/tunnel/tunnelservice.h"
#include "ui/common/permissiongate.h"
#include "ui/common/requestid.h"
#include "ui/panes/deployments/containerdialogs.h"
#include "ui/panes/deployments/deploydialog.h"
#include "ui/panes/deployments/logview.h"
#include "ui/panes/deployments/quickservicedialog.h"
#include "ui/panes/deployments/routedialog.h"

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
                return toneColour(Tone::Good);
            if ((index.column() == ContainersModel::State &&
                 (value == QLatin1String("dead") || value == QLatin1String("restarting"))) ||
                (index.column() == ContainersModel::Health && value == QLatin1String("unhealthy")))
                return toneColour(Tone::Bad);
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

} // namespace

Pane::Info DeploymentsPane::describe()
{
    return {QStringLiteral("deployments"),
            tr("Deployments"),
            QStringLiteral("applications-system"),
            {ConnectionKind::Docker, ConnectionKind::Cloudflare},
            tr("Containers and deployments on your Docker hosts"),
            tr("This pane runs and manages services on a Docker host: one-click services from an image, "
               "deploys of GitHub template repositories with compose, live logs, and routes through a "
               "Cloudflare tunnel.")};
}

void DeploymentsPane::followSettings(AppSettings *settings)
{
    m_logs->followSettings(settings);
    m_jobLog->followSettings(settings);
}

DeploymentsPane::DeploymentsPane(ConnectionsModel *connections, DockerService *docker, DeployService *deploy,
                                 TunnelService *tunnel, QWidget *parent)
    : Pane(describe(), connections, parent), m_docker(docker), m_deploy(deploy), m_tunnel(tunnel),
      m_jobsModel(new JobsModel(this)), m_model(new ContainersModel(this)), m_proxy(new ContainerFilter(this))
{
    auto *content = new QWidget(this);
    m_filter = new QLineEdit(content);
    m_filter->setPlaceholderText(tr("Filter by name, image, port, project…"));
    m_filter->setAccessibleName(m_filter->placeholderText());
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
    m_stopTimeout->setAccessibleName(tr("Stop timeout"));

    m_view = new QTableView(content);
    setUpTable(m_view, m_proxy, m_model, ContainersModel::Name, tr("Containers"));
    setColumnWidths(m_view, {{ContainersModel::Name, 24},
                             {ContainersModel::State, 10},
                             {ContainersModel::Health, 12},
                             {ContainersModel::Image, 30},
                             {ContainersModel::Ports, 26},
                             {ContainersModel::Project, 14},
                             {ContainersModel::Created, 16},
                             {ContainersModel::Status, 22}});

    m_logs = new LogView(content);
    m_logs->setStatus(
        tr("Select one or more containers and press Logs (Ctrl+L): several are merged by time."));

    m_tabs = new QTabWidget(content);
    m_tabs->addTab(m_logs, tr("Logs"));
    m_tabs->addTab(buildJobsTab(content), tr("Jobs"));
    m_tabs->addTab(buildTunnelTab(content), tr("Tunnel"));
    m_tabs->addTab(buildHostTab(content), tr("Host"));
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
    // What the person acting here may do on the selected container's host and project.
    m_gate = new PermissionGate(this);
    const auto selected = [this] {
        const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
        if (!current.isValid() || !m_connections)
            return QString();
        const qint64 id = current.data(ContainersModel::ConnectionIdRole).toLongLong();
        const QString project = current.siblingAtColumn(ContainersModel::Project).data().toString();
        return connectionFacet(m_connections->connectionAt(m_connections->rowOfKey(id)).name) +
               (project.isEmpty() ? QString() : QStringLiteral(" project:") + project);
    };
    m_gate->guard(start, AuditAction::containerStart, selected);
    m_gate->guard(stop, AuditAction::containerStop, selected);
    m_gate->guard(restart, AuditAction::containerRestart, selected);
    m_gate->guard(remove, AuditAction::containerRemove, selected);
    // A deploy goes to a host chosen in its dialog: offered when the person may deploy to any of them.
    const auto dockerHosts = [this] {
        QStringList scopes;
        for (int row = 0; m_connections && row < m_connections->rowCount(); ++row) {
            const Connection c = m_connections->connectionAt(row);
            if (c.kind == ConnectionKind::Docker)
                scopes << connectionFacet(c.name);
        }
        return scopes;
    };
    m_gate->guardAny(quick, AuditAction::deployStart, dockerHosts);
    m_gate->guardAny(deployButton, AuditAction::deployStart, dockerHosts);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, m_gate, &PermissionGate::update);
    if (m_connections) { // a Docker host added or removed changes where one may deploy
        connect(m_connections, &QAbstractItemModel::rowsInserted, m_gate, &PermissionGate::update);
        connect(m_connections, &QAbstractItemModel::rowsRemoved, m_gate, &PermissionGate::update);
        connect(m_connections, &QAbstractItemModel::modelReset, m_gate, &PermissionGate::update);
    }
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
    connect(quick, &QPushButton::clicked, this, &DeploymentsPane::quickService);
    connect(deployButton, &QPushButton::clicked, this, &DeploymentsPane::deployRepository);
    auto *quickKey = new QShortcut(QKeySequence::New, this);
    quickKey->setContext(Qt::WidgetWithChildrenShortcut);
    // The shortcuts go through their buttons: what the window disables, a key does not do either.
    const auto press = [](QPushButton *button) {
        return [button] {
            if (button->isEnabled())
                button->click();
        };
    };
    connect(quickKey, &QShortcut::activated, quick, press(quick));
    auto *del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, remove, press(remove));
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
    }
    m_model->reload();
    m_jobsModel->reload();
    updateChoices();
    updateHost();
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

QString DeploymentsPane::message() const
{
    return m_message->text();
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
