// The Images pane's Hosts and Exposure tabs: the hosts' images with removal and prune, and the
// running containers against the allowlist, the scans and the gate (ui/panes/images/imagespane.h).
#include "ui/panes/images/imagespane.h"

#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/images/imagechange.h"
#include "models/images/imagesmodels.h"
#include "models/images/registryindex.h"
#include "models/store/cachenotifier.h"
#include "services/docker/dockerservice.h"
#include "services/images/registryservice.h"
#include "services/workspace/workspaceservice.h"
#include "ui/panes/images/gatetab.h"
#include "ui/panes/images/imagedialogs.h"
#include "ui/panes/images/imagespane_p.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

using namespace imagespane;

QWidget *ImagesPane::buildHostsTab()
{
    auto *tab = new QWidget(this);
    m_hostState = new QComboBox(tab);
    m_hostState->addItem(tr("All images"), QString());
    m_hostState->addItem(tr("In use"), QStringLiteral("in use"));
    m_hostState->addItem(tr("Unused"), QStringLiteral("unused"));
    m_hostState->addItem(tr("Dangling"), QStringLiteral("dangling"));
    auto *filterEdit = new QLineEdit(tab);
    filterEdit->setPlaceholderText(tr("Filter by host, image, ID or container"));
    filterEdit->setClearButtonEnabled(true);
    m_hostProxy->setSourceModel(m_hostImages);
    textFilter(m_hostProxy, filterEdit);
    m_hostView = new QTableView(tab);
    setUpTable(m_hostView, m_hostProxy, m_hostImages, HostImagesModel::Host,
               QStringLiteral("hostImagesView"));
    m_hostView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    setColumnWidths(m_hostView, {{HostImagesModel::Image, 44}, {HostImagesModel::UsedBy, 30}});
    m_removeImage = new QPushButton(tr("Re&move…"), tab);
    m_removeImage->setToolTip(
        tr("Remove the selected images from their hosts (an image a container uses stays)"));
    m_prune = new QPushButton(tr("P&rune…"), tab);
    m_prune->setToolTip(
        tr("Remove dangling or unused images, stopped containers, unused volumes or build cache"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_hostState);
    buttons->addWidget(filterEdit, 1);
    buttons->addWidget(m_removeImage);
    buttons->addWidget(m_prune);
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(buttons);
    layout->addWidget(m_hostView, 1);
    connect(m_hostState, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<HostImageFilter *>(m_hostProxy)->state = m_hostState->currentData().toString();
        static_cast<HostImageFilter *>(m_hostProxy)->apply();
    });
    connect(m_removeImage, &QPushButton::clicked, this, [this] { removeSelectedImages(); });
    connect(m_prune, &QPushButton::clicked, this, &ImagesPane::openPrune);
    connect(m_hostView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ImagesPane::updateButtons);
    return tab;
}

QWidget *ImagesPane::buildExposureTab()
{
    auto *tab = new QWidget(this);
    m_threshold = new QComboBox(tab);
    for (const Severity severity : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low})
        m_threshold->addItem(tr("Findings from %1").arg(severityText(severity)), int(severity));
    m_threshold->setCurrentIndex(m_threshold->findData(m_exposure->threshold()));
    m_days = new QSpinBox(tab);
    m_days->setRange(0, 365);
    m_days->setValue(m_exposure->days());
    m_days->setPrefix(tr("Entries expiring within "));
    m_days->setSuffix(tr(" days"));
    m_days->setAccessibleName(tr("Days"));
    m_exposedOnly = new QCheckBox(tr("E&xposed only"), tab);
    m_exposedOnly->setChecked(true);
    m_exposureProxy->setSourceModel(m_exposure);
    m_exposureView = new QTableView(tab);
    setUpTable(m_exposureView, m_exposureProxy, m_exposure, ExposureModel::Host,
               QStringLiteral("exposureView"));
    setColumnWidths(m_exposureView, {{ExposureModel::Image, 40},
                                     {ExposureModel::Allowlist, 30},
                                     {ExposureModel::Scan, 26},
                                     {ExposureModel::Exposure, 34}});
    m_stopContainer = new QPushButton(tr("S&top Container…"), tab);
    m_requestExposed = new QPushButton(tr("Request &This Image…"), tab);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_threshold);
    controls->addWidget(m_days);
    controls->addWidget(m_exposedOnly);
    controls->addStretch(1);
    controls->addWidget(m_stopContainer);
    controls->addWidget(m_requestExposed);
    auto *explain =
        new QLabel(tr("Running containers whose image is not allowed now, was never allowed, has "
                      "findings at or above the chosen severity, is blocked by the vulnerability gate, or "
                      "whose allowing entry or CVE exception expires soon."),
                   tab);
    explain->setWordWrap(true);
    auto *layout = new QVBoxLayout(tab);
    layout->addWidget(explain);
    layout->addLayout(controls);
    layout->addWidget(m_exposureView, 1);
    connect(m_threshold, &QComboBox::currentIndexChanged, this,
            [this] { m_exposure->setThreshold(m_threshold->currentData().toInt()); });
    connect(m_days, &QSpinBox::valueChanged, m_exposure, &ExposureModel::setDays);
    connect(m_exposedOnly, &QCheckBox::toggled, this, [this](bool on) {
        static_cast<ExposedFilter *>(m_exposureProxy)->exposedOnly = on;
        static_cast<ExposedFilter *>(m_exposureProxy)->apply();
    });
    connect(m_stopContainer, &QPushButton::clicked, this, &ImagesPane::stopExposed);
    connect(m_requestExposed, &QPushButton::clicked, this, [this] {
        const QModelIndex i = selectedSource(m_exposureView, m_exposureProxy);
        if (!i.isValid())
            return;
        ImageChangeDialog dialog(ImageChange::Kind::Request, projectNames(), this);
        dialog.setText(i.data(ExposureModel::ReferenceRole).toString());
        if (dialog.exec() == QDialog::Accepted)
            apply({dialog.change()});
    });
    connect(m_exposureView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ImagesPane::updateButtons);
    return tab;
}

void ImagesPane::stopExposed()
{
    const QModelIndex i = selectedSource(m_exposureView, m_exposureProxy);
    if (!i.isValid() || !m_docker)
        return;
    const QString name = m_exposure->index(i.row(), ExposureModel::Container).data().toString();
    const QString why = m_exposure->index(i.row(), ExposureModel::Exposure).data().toString();
    if (QMessageBox::question(
            this, tr("Stop Container"),
            tr("Stop %1 on %2?\n\nIt is exposed: %3.")
                .arg(name, m_exposure->index(i.row(), ExposureModel::Host).data().toString(), why),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    const quint64 requestId = m_nextRequest++ + (quint64(1) << 40); // apart from the other panes' requests
    m_containerRequests.insert(requestId);
    QMetaObject::invokeMethod(m_docker, [d = m_docker, requestId,
                                         id = i.data(ExposureModel::ConnectionRole).toLongLong(),
                                         container = i.data(ExposureModel::ContainerIdRole).toString()] {
        d->act(requestId, id, container, ContainerAction::Stop, 10, false, false);
    });
    showMessage(tr("Stopping %1…").arg(name));
}

void ImagesPane::removeSelectedImages(bool ask)
{
    if (!m_docker || !m_hostView->selectionModel())
        return;
    // Per host: the images chosen, named as the admin sees them.
    QMap<qint64, QStringList> ids;
    QStringList lines;
    int inUse = 0;
    for (const QModelIndex &proxyRow : m_hostView->selectionModel()->selectedRows()) {
        const QModelIndex row = m_hostProxy->mapToSource(proxyRow);
        ids[row.data(HostImagesModel::ConnectionRole).toLongLong()]
            << row.data(HostImagesModel::ImageIdRole).toString();
        const QString state = row.data(HostImagesModel::StateRole).toString();
        inUse += state == QLatin1String("in use");
        lines << QStringLiteral("%1 on %2 (%3, %4)")
                     .arg(m_hostImages->index(row.row(), HostImagesModel::Image).data().toString(),
                          m_hostImages->index(row.row(), HostImagesModel::Host).data().toString(),
                          m_hostImages->index(row.row(), HostImagesModel::Size).data().toString(),
                          m_hostImages->index(row.row(), HostImagesModel::State).data().toString());
    }
    if (ids.isEmpty())
        return;
    if (ask) {
        QMessageBox box(QMessageBox::Warning, tr("Remove Images"),
                        tr("Remove %n image(s)?", nullptr, int(lines.size())), QMessageBox::Cancel, this);
        box.setInformativeText(
            lines.join(QLatin1Char('\n')) +
            (inUse > 0 ? QStringLiteral("\n\n") +
                             tr("%n of them is used by a container: the engine keeps it.", nullptr, inUse)
                       : QString()));
        QPushButton *remove = box.addButton(tr("&Remove"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != remove)
            return;
    }
    for (auto it = ids.cbegin(); it != ids.cend(); ++it) {
        const quint64 requestId = m_nextRequest++;
        QMetaObject::invokeMethod(m_docker, [d = m_docker, requestId, id = it.key(), list = it.value()] {
            d->removeImages(requestId, id, list);
        });
    }
    showMessage(tr("Removing %n image(s)…", nullptr, int(lines.size())));
}

void ImagesPane::openPrune()
{
    QList<std::pair<qint64, QString>> hosts;
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const Connection c = m_connections->connectionAt(row);
        if (c.kind == ConnectionKind::Docker)
            hosts.append({c.id, c.name});
    }
    const QModelIndex current = selectedSource(m_hostView, m_hostProxy);
    HostPruneDialog dialog(hosts,
                           current.isValid() ? current.data(HostImagesModel::ConnectionRole).toLongLong()
                                             : (hosts.isEmpty() ? 0 : hosts.first().first),
                           this);
    if (dialog.exec() != QDialog::Accepted || !m_docker)
        return;
    const quint64 requestId = m_nextRequest++;
    QMetaObject::invokeMethod(m_docker, [d = m_docker, requestId, host = dialog.host(),
                                         kinds = dialog.kinds()] { d->prune(requestId, host, kinds); });
    showMessage(tr("Pruning…"));
}

} // namespace opsdeck
