// DeploymentsPane, the Jobs tab: deploy jobs with their steps, live log and progress; quick
// service, deploy, cancel and redeploy.
#include "ui/panes/deployments/deploymentspane.h"

#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/deploy/job.h"
#include "models/deploy/jobsmodel.h"
#include "models/docker/container.h"
#include "models/docker/containersmodel.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "services/deploy/deployservice.h"
#include "services/docker/dockerservice.h"
#include "services/tunnel/tunnelservice.h"
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

// Jobs: every deploy with its steps, state, duration and log; cancel and redeploy.
QWidget *DeploymentsPane::buildJobsTab(QWidget *content)
{
    const int w = m_view->fontMetrics().averageCharWidth();
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
    return jobs;
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

bool DeploymentsPane::revealItem(const QString &target)
{
    if (!target.startsWith(QLatin1String("job:")))
        return false;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i)->isAncestorOf(m_jobsView))
            m_tabs->setCurrentIndex(i);
    return selectSourceRow(m_jobsView, m_jobsModel, m_jobsModel->rowOfKey(target.mid(4).toLongLong()));
}

QStringList DeploymentsPane::screenshotDialogs() const
{
    return {QStringLiteral("quick-service"), QStringLiteral("deploy"), QStringLiteral("route")};
}

QWidget *DeploymentsPane::openScreenshotDialog(const QString &name)
{
    QDialog *dialog = nullptr;
    const auto firstOf = [this](ConnectionKind kind) {
        for (int row = 0; row < m_connections->rowCount(); ++row)
            if (m_connections->connectionAt(row).kind == kind)
                return m_connections->connectionAt(row).id;
        return qint64(0);
    };
    if (name == QLatin1String("quick-service") && m_deploy && firstOf(ConnectionKind::Docker))
        dialog = new QuickServiceDialog(m_connections, m_deploy, firstOf(ConnectionKind::Docker), this);
    else if (name == QLatin1String("deploy") && m_deploy)
        dialog = new DeployDialog(m_connections, m_deploy, this);
    else if (name == QLatin1String("route") && m_tunnel && firstOf(ConnectionKind::Cloudflare))
        dialog = new RouteDialog(m_tunnel, firstOf(ConnectionKind::Cloudflare), RouteOp::Add, QString(), 8080,
                                 this);
    if (dialog) {
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    }
    return dialog;
}

} // namespace opsdeck
