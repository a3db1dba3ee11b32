// DeploymentsPane, the Host tab: engine facts and disk usage; removing stopped containers.
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

namespace {
QString bytes(qint64 n)
{
    return QLocale().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat);
}
} // namespace

// Host: the engine, disk usage per kind, removing stopped containers.
QWidget *DeploymentsPane::buildHostTab(QWidget *content)
{
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
    connect(prune, &QPushButton::clicked, this, &DeploymentsPane::removeStopped);
    if (m_docker) {
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
    return host;
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
    q.prepare(QStringLiteral("SELECT version, disk_usage, checked_at, api_version FROM docker_hosts WHERE "
                             "connection_id = ?"));
    q.addBindValue(host);
    if (!q.exec() || !q.next()) {
        m_host->setText(tr("%1 (%2): not refreshed yet. Press F5.").arg(c.name, c.endpoint));
        return;
    }
    const QJsonObject version = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    const QList<DiskUsageKind> kinds =
        diskUsageFromJson(QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object());
    // The engine's own range, and the version Opsdeck's requests are pinned to.
    const QString newest = version.value(QLatin1String("ApiVersion")).toString(tr("unknown"));
    const QString oldest = version.value(QLatin1String("MinAPIVersion")).toString();
    const QString pinned = q.value(3).toString();
    m_host->setText(tr("%1 (%2): %3\nEngine %4 (API %5), %6/%7. Opsdeck speaks API %8 with it. Checked %9.")
                        .arg(c.name, c.endpoint, health.text)
                        .arg(version.value(QLatin1String("Version")).toString(tr("unknown")),
                             oldest.isEmpty() ? newest : tr("%1 to %2").arg(oldest, newest),
                             version.value(QLatin1String("Os")).toString(),
                             version.value(QLatin1String("Arch")).toString(),
                             pinned.isEmpty() ? tr("(not negotiated yet: press F5)") : pinned,
                             QLocale().toString(fromStoredTime(q.value(2).toString()).toLocalTime(),
                                                QLocale::ShortFormat)));
    const QString diskProblem = QJsonDocument::fromJson(q.value(1).toString().toUtf8())
                                    .object()
                                    .value(QLatin1String("error"))
                                    .toString();
    if (!diskProblem.isEmpty())
        m_host->setText(m_host->text() + QLatin1Char('\n') + tr("Disk usage not read: %1").arg(diskProblem));
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

} // namespace opsdeck
