// DeploymentsPane, the Tunnel tab: the tunnel configuration's health and its routes.
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

// Tunnel: configuration health, cloudflared, routes.
QWidget *DeploymentsPane::buildTunnelTab(QWidget *content)
{
    const int w = m_view->fontMetrics().averageCharWidth();
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
    return tunnelTab;
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

} // namespace opsdeck
