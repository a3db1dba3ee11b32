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

Pane::Info ImagesPane::describe()
{
    return {QStringLiteral("images"),
            tr("Images"),
            QStringLiteral("drive-harddisk"),
            {ConnectionKind::Harbor, ConnectionKind::Registry},
            tr("The container image allowlist"),
            tr("This pane keeps the team's allowlist of container images: global and project entries, the "
               "requests for new images with their approvals, and what your Harbor and OCI registries hold, "
               "with their scan results. Join or open a workspace for the allowlist, and add a registry "
               "connection to see its images.")};
}

ImagesPane::ImagesPane(ConnectionsModel *connections, WorkspaceService *workspace, RegistryService *registry,
                       DockerService *docker, QWidget *parent)
    : Pane(describe(), connections, parent), m_workspace(workspace), m_registry(registry), m_docker(docker),
      m_hostImages(new HostImagesModel(this)), m_hostProxy(new HostImageFilter(this)),
      m_exposure(new ExposureModel(this)), m_exposureProxy(new ExposedFilter(this)),
      m_allowlist(new AllowlistModel(this)), m_requests(new ImageRequestsModel(this)),
      m_projects(new ProjectsModel(this)), m_tags(new RegistryTagsModel(this)),
      m_allowProxy(new QSortFilterProxyModel(this)), m_requestProxy(new RequestFilter(this)),
      m_tagProxy(new QSortFilterProxyModel(this))
{
    auto *content = new QWidget(this);
    m_tabs = new QTabWidget(content);
    m_tabs->setObjectName(QStringLiteral("imagesTabs"));
    m_tabs->addTab(buildAllowlistTab(), tr("&Allowlist"));
    m_tabs->addTab(buildRequestsTab(), tr("Re&quests"));
    m_tabs->addTab(buildRegistryTab(), tr("Re&gistries"));
    m_projectView = new QTableView(content);
    setUpTable(m_projectView, m_projects, ProjectsModel::Name, QStringLiteral("projectsView"));
    m_tabs->addTab(m_projectView, tr("&Projects"));
    m_tabs->addTab(buildHostsTab(), tr("&Hosts"));
    m_tabs->addTab(buildExposureTab(), tr("&Exposure"));
    m_gate = new GateTab(content);
    m_gate->setEditable(m_workspace != nullptr);
    m_tabs->addTab(m_gate, tr("Ga&te"));
    connect(m_gate, &GateTab::changesRequested, this, &ImagesPane::apply);
    connect(m_projects, &CacheTableModel::loaded, this, [this] { m_gate->setProjects(projectNames()); });
    m_message = new QLabel(content);
    m_message->setObjectName(QStringLiteral("imagesMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_message);

    // The pane has something to show once the workspace's copy or a registry has rows.
    const auto maybeShow = [this, content] {
        if (!isContentShown() &&
            (m_allowlist->rowCount() > 0 || m_requests->rowCount() > 0 || m_tags->rowCount() > 0 ||
             m_projects->rowCount() > 0 || m_hostImages->rowCount() > 0 || m_workspace))
            setContent(content);
        updateButtons();
    };
    for (CacheTableModel *model :
         {static_cast<CacheTableModel *>(m_allowlist), static_cast<CacheTableModel *>(m_requests),
          static_cast<CacheTableModel *>(m_projects), static_cast<CacheTableModel *>(m_tags)})
        connect(model, &CacheTableModel::loaded, this, maybeShow);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(Tables::syncState))
                    updateRegistryState();
            });
    if (m_workspace)
        connect(m_workspace, &WorkspaceService::imagesChanged, this,
                [this](const QString &, int applied, const QStringList &problems) {
                    if (problems.isEmpty())
                        showMessage(tr("%n change(s) made.", nullptr, applied));
                    else
                        showMessage(problems.join(QLatin1Char('\n')), true);
                });
    if (m_docker)
        connect(
            m_docker, &DockerService::hostCleanupFinished, this,
            [this](quint64, int done, qint64 reclaimed, const QStringList &failures) {
                const QString summary =
                    tr("%n removed, %1 freed.", nullptr, done).arg(QLocale().formattedDataSize(reclaimed));
                showMessage(failures.isEmpty()
                                ? summary
                                : summary + QLatin1Char('\n') + failures.join(QLatin1Char('\n')),
                            !failures.isEmpty());
            });
    if (m_registry) {
        connect(m_registry, &RegistryService::syncFinished, this, [this](qint64, const Outcome &outcome) {
            updateRegistryState();
            if (!outcome.ok)
                showMessage(outcome.message, true);
        });
        connect(m_registry, &RegistryService::scanRequested, this,
                [this](quint64, const Outcome &outcome) { showMessage(outcome.message, !outcome.ok); });
    }
    updateRegistryState();
    maybeShow();
}

QWidget *ImagesPane::buildAllowlistTab()
{
    auto *tab = new QWidget(this);
    m_allowFilter = new QLineEdit(tab);
    m_allowFilter->setPlaceholderText(tr("Filter by entry, project, reason or who added it"));
    m_allowFilter->setAccessibleName(m_allowFilter->placeholderText());
    m_allowFilter->setClearButtonEnabled(true);
    m_allowProxy->setSourceModel(m_allowlist);
    textFilter(m_allowProxy, m_allowFilter);
    m_allowView = new QTableView(tab);
    setUpTable(m_allowView, m_allowProxy, m_allowlist, AllowlistModel::Entry,
               QStringLiteral("allowlistView"));
    setColumnWidths(m_allowView, {{AllowlistModel::Entry, 44},
                                  {AllowlistModel::Scope, 14},
                                  {AllowlistModel::Registry, 28},
                                  {AllowlistModel::Expires, 18},
                                  {AllowlistModel::Reason, 32}});
    m_allow = new QPushButton(tr("A&llow Image…"), tab);
    m_allow->setToolTip(
        tr("Add an entry: an exact tag, a tag pattern, a repository, a digest or a namespace"));
    m_revoke = new QPushButton(tr("Re&voke…"), tab);
    m_import = new QPushButton(tr("I&mport…"), tab);
    m_import->setToolTip(
        tr("Add many entries at once, pasted or from a file, after a preview of every line"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_allowFilter, 1);
    buttons->addWidget(m_allow);
    buttons->addWidget(m_import);
    buttons->addWidget(m_revoke);
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(buttons);
    layout->addWidget(m_allowView, 1);
    connect(m_allow, &QPushButton::clicked, this, &ImagesPane::openAllow);
    connect(m_revoke, &QPushButton::clicked, this, &ImagesPane::openRevoke);
    connect(m_import, &QPushButton::clicked, this, &ImagesPane::openImport);
    connect(m_allowView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ImagesPane::updateButtons);
    return tab;
}

QWidget *ImagesPane::buildRequestsTab()
{
    auto *tab = new QWidget(this);
    m_requestState = new QComboBox(tab);
    m_requestState->addItem(tr("Waiting for a decision"), QStringLiteral("pending"));
    m_requestState->addItem(tr("All requests"), QString());
    m_requestProxy->setSourceModel(m_requests);
    auto *filterEdit = new QLineEdit(tab);
    filterEdit->setPlaceholderText(tr("Filter by image, project or person"));
    filterEdit->setClearButtonEnabled(true);
    textFilter(m_requestProxy, filterEdit);
    m_requestView = new QTableView(tab);
    setUpTable(m_requestView, m_requestProxy, m_requests, ImageRequestsModel::Requested,
               QStringLiteral("requestsView"));
    m_requestView->sortByColumn(ImageRequestsModel::Requested, Qt::DescendingOrder);
    setColumnWidths(m_requestView, {{ImageRequestsModel::Reference, 40}, {ImageRequestsModel::Reason, 30}});
    m_request = new QPushButton(tr("&Request Image…"), tab);
    m_approve = new QPushButton(tr("A&pprove…"), tab);
    m_deny = new QPushButton(tr("&Deny…"), tab);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_requestState);
    buttons->addWidget(filterEdit, 1);
    buttons->addWidget(m_request);
    buttons->addWidget(m_approve);
    buttons->addWidget(m_deny);
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(buttons);
    layout->addWidget(m_requestView, 1);
    const auto refilter = [this] {
        static_cast<RequestFilter *>(m_requestProxy)->state = m_requestState->currentData().toString();
        static_cast<RequestFilter *>(m_requestProxy)->apply();
        updateButtons();
    };
    connect(m_requestState, &QComboBox::currentIndexChanged, this, refilter);
    refilter();
    connect(m_request, &QPushButton::clicked, this, &ImagesPane::openRequest);
    connect(m_approve, &QPushButton::clicked, this, [this] { openDecision(true); });
    connect(m_deny, &QPushButton::clicked, this, [this] { openDecision(false); });
    connect(m_requestView, &QTableView::doubleClicked, this, [this] {
        if (m_approve->isEnabled())
            openDecision(true);
    });
    connect(m_requestView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ImagesPane::updateButtons);
    return tab;
}

QWidget *ImagesPane::buildRegistryTab()
{
    auto *tab = new QWidget(this);
    m_tagFilter = new QLineEdit(tab);
    m_tagFilter->setPlaceholderText(tr("Filter by registry, repository, tag, digest or severity"));
    m_tagFilter->setClearButtonEnabled(true);
    m_tagProxy->setSourceModel(m_tags);
    textFilter(m_tagProxy, m_tagFilter);
    m_tagView = new QTableView(tab);
    setUpTable(m_tagView, m_tagProxy, m_tags, RegistryTagsModel::Repository, QStringLiteral("registryView"));
    setColumnWidths(m_tagView, {{RegistryTagsModel::Repository, 30},
                                {RegistryTagsModel::Digest, 20},
                                {RegistryTagsModel::Platforms, 24},
                                {RegistryTagsModel::Findings, 30}});
    m_report = new QPushButton(tr("&Vulnerabilities…"), tab);
    m_report->setToolTip(tr("Read the selected artifact's vulnerability report from Harbor"));
    m_scan = new QPushButton(tr("S&can"), tab);
    m_scan->setToolTip(tr("Ask Harbor to scan the selected artifact"));
    m_registryState = new QLabel(tab);
    m_registryState->setObjectName(QStringLiteral("registryState"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_tagFilter, 1);
    buttons->addWidget(m_report);
    buttons->addWidget(m_scan);
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(buttons);
    layout->addWidget(m_tagView, 1);
    layout->addWidget(m_registryState);
    connect(m_report, &QPushButton::clicked, this, &ImagesPane::openReport);
    connect(m_scan, &QPushButton::clicked, this, &ImagesPane::requestScan);
    connect(m_tagView, &QTableView::doubleClicked, this, [this] {
        if (m_report->isEnabled())
            openReport();
    });
    connect(m_tagView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ImagesPane::updateButtons);
    return tab;
}

void ImagesPane::refresh()
{
    const QList<qint64> ids = connectionIds();
    if (!m_registry || ids.isEmpty())
        return Pane::refresh();
    for (qint64 id : ids)
        QMetaObject::invokeMethod(m_registry, [registry = m_registry, id] { registry->syncImages(id); });
    showMessage(tr("Syncing %n registr(y/ies)…", nullptr, int(ids.size())));
    if (m_workspace)
        QMetaObject::invokeMethod(m_workspace, [w = m_workspace] { w->sync(); });
}

QStringList ImagesPane::projectNames() const
{
    QStringList names;
    for (int row = 0; row < m_projects->rowCount(); ++row)
        names << m_projects->index(row, ProjectsModel::Name).data().toString();
    return names;
}

void ImagesPane::apply(const QList<ImageChange> &changes)
{
    if (!m_workspace)
        return showMessage(tr("No workspace is open: the allowlist cannot change here."), true);
    const QString requestId = QStringLiteral("images-%1").arg(m_nextRequest++);
    showMessage(tr("Sending %n change(s) to the workspace…", nullptr, int(changes.size())));
    QMetaObject::invokeMethod(m_workspace,
                              [w = m_workspace, changes, requestId] { w->changeImages(changes, requestId); });
}

void ImagesPane::openAllow()
{
    ImageChangeDialog dialog(ImageChange::Kind::Allow, projectNames(), this);
    // From the registry tab's selection: that image, as an exact entry.
    if (m_tabs->currentIndex() == 2)
        if (const QModelIndex i = selectedSource(m_tagView, m_tagProxy); i.isValid())
            dialog.setText(i.data(RegistryTagsModel::ReferenceRole).toString());
    if (dialog.exec() == QDialog::Accepted)
        apply({dialog.change()});
}

QStringList ImagesPane::extraViews() const
{
    return {QStringLiteral("exposure"), QStringLiteral("gate")};
}

void ImagesPane::showView(const QString &view)
{
    m_tabs->setCurrentWidget(view == QLatin1String("gate")       ? static_cast<QWidget *>(m_gate)
                             : view == QLatin1String("exposure") ? m_tabs->widget(5)
                                                                 : m_tabs->widget(0));
}

void ImagesPane::openImport()
{
    QHash<QString, QSet<QString>> existing;
    for (int row = 0; row < m_allowlist->rowCount(); ++row)
        existing[m_allowlist->index(row, AllowlistModel::Scope).data(CacheTableModel::RawRole).toString()]
            .insert(m_allowlist->index(row, AllowlistModel::Entry).data(CacheTableModel::RawRole).toString());
    ImportDialog dialog(projectNames(), existing, this);
    if (dialog.exec() == QDialog::Accepted)
        importEntries(dialog.content(), dialog.project(), dialog.reason(), dialog.expires(), dialog.source());
}

void ImagesPane::importEntries(const QString &content, const QString &project, const QString &reason,
                               const QDateTime &expires, const QString &source)
{
    if (!m_workspace)
        return showMessage(tr("No workspace is open: the allowlist cannot change here."), true);
    const QString requestId = QStringLiteral("images-%1").arg(m_nextRequest++);
    showMessage(tr("Importing into the workspace…"));
    QMetaObject::invokeMethod(m_workspace,
                              [w = m_workspace, content, project, reason, expires, source, requestId] {
                                  w->importImages(content, project, reason, expires, source, requestId);
                              });
}

void ImagesPane::openRevoke()
{
    const QModelIndex i = selectedSource(m_allowView, m_allowProxy);
    if (!i.isValid())
        return;
    const QString entry = m_allowlist->index(i.row(), AllowlistModel::Entry).data().toString();
    ImageChangeDialog dialog(ImageChange::Kind::Deny, {}, this);
    dialog.setWindowTitle(tr("Revoke %1").arg(entry));
    dialog.buttons()->button(QDialogButtonBox::Ok)->setText(tr("Re&voke"));
    dialog.setRequest(m_allowlist->index(i.row(), 0).data(CacheTableModel::KeyRole).toLongLong(), entry,
                      QString());
    if (dialog.exec() != QDialog::Accepted)
        return;
    ImageChange change = dialog.change();
    change.kind = ImageChange::Kind::Revoke;
    change.text = entry;
    change.project =
        m_allowlist->index(i.row(), AllowlistModel::Scope).data(CacheTableModel::RawRole).toString();
    apply({change});
}

void ImagesPane::openRequest()
{
    ImageChangeDialog dialog(ImageChange::Kind::Request, projectNames(), this);
    if (m_tabs->currentIndex() == 2)
        if (const QModelIndex i = selectedSource(m_tagView, m_tagProxy); i.isValid())
            dialog.setText(i.data(RegistryTagsModel::ReferenceRole).toString());
    if (dialog.exec() == QDialog::Accepted)
        apply({dialog.change()});
}

void ImagesPane::openDecision(bool approve)
{
    const QModelIndex i = selectedSource(m_requestView, m_requestProxy);
    if (!i.isValid())
        return;
    const qint64 id = m_requests->index(i.row(), 0).data(CacheTableModel::KeyRole).toLongLong();
    const QString reference = m_requests->index(i.row(), ImageRequestsModel::Reference).data().toString();
    const QString project =
        m_requests->index(i.row(), ImageRequestsModel::Project).data(CacheTableModel::RawRole).toString();
    ImageChangeDialog dialog(approve ? ImageChange::Kind::Approve : ImageChange::Kind::Deny, {}, this);
    dialog.setRequest(id, reference, project);
    if (dialog.exec() == QDialog::Accepted)
        apply({dialog.change()});
}

void ImagesPane::openReport()
{
    const QModelIndex i = selectedSource(m_tagView, m_tagProxy);
    if (!i.isValid() || !m_registry)
        return;
    const qint64 connectionId = i.data(RegistryTagsModel::ConnectionRole).toLongLong();
    const QString repository = m_tags->index(i.row(), RegistryTagsModel::Repository).data().toString();
    const QString digest = i.data(RegistryTagsModel::DigestRole).toString();
    const QString title = i.data(RegistryTagsModel::ReferenceRole).toString();
    const quint64 requestId = m_nextRequest++;
    showMessage(tr("Reading the vulnerability report of %1…").arg(title));
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(
        m_registry, &RegistryService::reportFetched, this,
        [this, connection, requestId, title, connectionId, digest](quint64 id, const Outcome &outcome, int) {
            if (id != requestId)
                return;
            disconnect(*connection);
            if (!outcome.ok)
                return showMessage(outcome.message, true);
            showMessage(QString());
            showReport(requestId, title, connectionId, digest);
        });
    QMetaObject::invokeMethod(m_registry, [r = m_registry, requestId, connectionId, repository, digest] {
        r->fetchReport(requestId, connectionId, repository, digest);
    });
}

void ImagesPane::showReport(quint64, const QString &title, qint64 connectionId, const QString &digest)
{
    // A few hundred rows at most, read once when the dialog opens.
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT cve, severity, package, version, fix_version, description FROM image_vulnerabilities "
        "WHERE connection_id = ? AND digest = ? ORDER BY CASE severity WHEN 'Critical' THEN 0 "
        "WHEN 'High' THEN 1 WHEN 'Medium' THEN 2 WHEN 'Low' THEN 3 ELSE 4 END, cve"));
    q.addBindValue(connectionId);
    q.addBindValue(digest);
    QList<QStringList> rows;
    if (q.exec())
        while (q.next())
            rows << QStringList{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                q.value(3).toString(), q.value(4).toString(), q.value(5).toString()};
    q.finish();
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("vulnerabilityReport"));
    dialog->setWindowTitle(tr("Vulnerabilities of %1").arg(title));
    auto *table = new QTableWidget(int(rows.size()), 6, dialog);
    table->setHorizontalHeaderLabels(
        {tr("CVE"), tr("Severity"), tr("Package"), tr("Version"), tr("Fixed in"), tr("Description")});
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < 6; ++c) {
            auto *item = new QTableWidgetItem(rows.at(r).at(c));
            item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            if (c == 5)
                item->setToolTip(rows.at(r).at(c));
            table->setItem(r, c, item);
        }
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    // Kept in the order read: the most severe first.
    auto *summary = new QLabel(rows.isEmpty() ? tr("The report lists no vulnerabilities.")
                                              : tr("%n finding(s).", nullptr, int(rows.size())),
                               dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(summary);
    layout->addWidget(table, 1);
    layout->addWidget(buttons);
    dialog->resize(820, 420);
    dialog->show();
}

void ImagesPane::requestScan()
{
    const QModelIndex i = selectedSource(m_tagView, m_tagProxy);
    if (!i.isValid() || !m_registry)
        return;
    const qint64 connectionId = i.data(RegistryTagsModel::ConnectionRole).toLongLong();
    const QString repository = m_tags->index(i.row(), RegistryTagsModel::Repository).data().toString();
    const QString digest = i.data(RegistryTagsModel::DigestRole).toString();
    const quint64 requestId = m_nextRequest++;
    showMessage(tr("Asking Harbor to scan %1…").arg(repository));
    QMetaObject::invokeMethod(m_registry, [r = m_registry, requestId, connectionId, repository, digest] {
        r->requestScan(requestId, connectionId, repository, digest);
    });
}

void ImagesPane::updateButtons()
{
    if (!m_scan)
        return; // still being built
    const bool canChange = m_workspace != nullptr;
    m_allow->setEnabled(canChange);
    m_import->setEnabled(canChange);
    m_request->setEnabled(canChange);
    m_revoke->setEnabled(canChange && selectedSource(m_allowView, m_allowProxy).isValid());
    const QModelIndex request = selectedSource(m_requestView, m_requestProxy);
    const bool waiting = request.isValid() &&
                         request.data(ImageRequestsModel::StateRole).toString() == QLatin1String("pending");
    m_approve->setEnabled(canChange && waiting);
    m_deny->setEnabled(canChange && waiting);
    const QModelIndex tag = selectedSource(m_tagView, m_tagProxy);
    bool harbor = false;
    if (tag.isValid()) {
        const int row = m_connections->rowOfKey(tag.data(RegistryTagsModel::ConnectionRole).toLongLong());
        harbor = row >= 0 && m_connections->connectionAt(row).kind == ConnectionKind::Harbor;
    }
    m_report->setEnabled(m_registry && harbor);
    m_scan->setEnabled(m_registry && harbor);
    const QString why =
        tag.isValid() && !harbor ? tr("A plain registry keeps no scans: this needs Harbor.") : QString();
    m_report->setStatusTip(why);
    m_removeImage->setEnabled(m_docker && m_hostView->selectionModel() &&
                              m_hostView->selectionModel()->hasSelection());
    m_prune->setEnabled(m_docker != nullptr);
    const bool exposedChosen = selectedSource(m_exposureView, m_exposureProxy).isValid();
    m_stopContainer->setEnabled(m_docker && exposedChosen);
    m_requestExposed->setEnabled(canChange && exposedChosen);
}

void ImagesPane::updateRegistryState()
{
    // Each registry connection's last sync, as the status bar has it: when, or what went wrong.
    const QString state = syncStateText(RegistryService::scope);
    if (m_registryState)
        m_registryState->setText(
            state.isEmpty() ? tr("No registry connection: add one for Harbor or an OCI registry.") : state);
}

void ImagesPane::showMessage(const QString &text, bool problem)
{
    m_message->setText(text);
    // A refusal reads in the palette's link-visited colour, like the other panes' problems; no box
    // interrupts the admin.
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText,
                     problem ? palette.color(QPalette::LinkVisited) : QPalette().color(QPalette::WindowText));
    m_message->setPalette(palette);
}

QString ImagesPane::messageText() const
{
    return m_message->text();
}

bool ImagesPane::revealItem(const QString &target)
{
    if (!target.startsWith(QLatin1String("request:")))
        return false;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i)->isAncestorOf(m_requestView))
            m_tabs->setCurrentIndex(i);
    return selectSourceRow(m_requestView, m_requests, m_requests->rowOfKey(target.mid(8).toLongLong()));
}

QStringList ImagesPane::screenshotDialogs() const
{
    return {QStringLiteral("allow"), QStringLiteral("request"), QStringLiteral("approve"),
            QStringLiteral("deny"), QStringLiteral("import")};
}

QWidget *ImagesPane::openScreenshotDialog(const QString &name)
{
    QDialog *dialog = nullptr;
    if (name == QLatin1String("allow"))
        dialog = new ImageChangeDialog(ImageChange::Kind::Allow, projectNames(), this);
    else if (name == QLatin1String("request"))
        dialog = new ImageChangeDialog(ImageChange::Kind::Request, projectNames(), this);
    else if (name == QLatin1String("approve"))
        dialog = new ImageChangeDialog(ImageChange::Kind::Approve, {}, this);
    else if (name == QLatin1String("deny"))
        dialog = new ImageChangeDialog(ImageChange::Kind::Deny, {}, this);
    else if (name == QLatin1String("import"))
        dialog = new ImportDialog(projectNames(), {}, this);
    if (dialog) {
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    }
    return dialog;
}

} // namespace opsdeck
