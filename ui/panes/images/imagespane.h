// The Images pane: the team's image allowlist (global and project entries, each marked with what
// the synced registries say: present, repository or tag gone, digest moved since approval; expired
// ones shown as such), the requests for images with their approvals, the projects with their
// managers, and what the registries hold (Harbor's scan results, the findings of a report, a scan on
// demand), the vulnerability gate with its CVE exceptions (gatetab.h). Reads the cache; changes go to the
// workspace service, registry work to the registry service, both through queued calls.
#pragma once

#include "ui/panes/pane.h"

#include <QSet>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace opsdeck {

class AllowlistModel;
class DockerService;
class ExposureModel;
class GateTab;
class HostImagesModel;
class ImageRequestsModel;
class ProjectsModel;
class RegistryService;
class RegistryTagsModel;
class WorkspaceService;
struct ImageChange;

class ImagesPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    // workspace: where changes go (none: the pane only reads); registry: syncs, reports and scans.
    // docker: the hosts' images, removals and prunes (none: the Hosts tab only reads).
    ImagesPane(ConnectionsModel *connections, WorkspaceService *workspace, RegistryService *registry,
               DockerService *docker = nullptr, QWidget *parent = nullptr);

    void refresh() override;
    QStringList extraViews() const override;
    void showView(const QString &view) override;
    QStringList screenshotDialogs() const override;
    QWidget *openScreenshotDialog(const QString &name) override;
    bool revealItem(const QString &target) override;

    QTabWidget *tabs() const { return m_tabs; }
    AllowlistModel *allowlist() const { return m_allowlist; }
    ImageRequestsModel *requests() const { return m_requests; }
    ProjectsModel *projects() const { return m_projects; }
    RegistryTagsModel *registryTags() const { return m_tags; }
    QTableView *allowlistView() const { return m_allowView; }
    QTableView *requestsView() const { return m_requestView; }
    QTableView *registryView() const { return m_tagView; }
    HostImagesModel *hostImages() const { return m_hostImages; }
    QTableView *hostImagesView() const { return m_hostView; }
    QComboBox *hostStateCombo() const { return m_hostState; }
    QPushButton *removeImageButton() const { return m_removeImage; }
    QPushButton *pruneButton() const { return m_prune; }
    ExposureModel *exposure() const { return m_exposure; }
    QTableView *exposureView() const { return m_exposureView; }
    QComboBox *thresholdCombo() const { return m_threshold; }
    QSpinBox *daysSpin() const { return m_days; }
    QCheckBox *exposedOnlyBox() const { return m_exposedOnly; }
    QPushButton *stopContainerButton() const { return m_stopContainer; }
    QPushButton *requestExposedButton() const { return m_requestExposed; }
    // Removes the selected hosts' images after the confirmation (ask: false skips it, for tests).
    void removeSelectedImages(bool ask = true);
    QLineEdit *allowFilter() const { return m_allowFilter; }
    QLineEdit *registryFilter() const { return m_tagFilter; }
    QComboBox *requestStateCombo() const { return m_requestState; }
    QPushButton *allowButton() const { return m_allow; }
    QPushButton *revokeButton() const { return m_revoke; }
    QPushButton *importButton() const { return m_import; }
    QPushButton *requestButton() const { return m_request; }
    QPushButton *approveButton() const { return m_approve; }
    QPushButton *denyButton() const { return m_deny; }
    QPushButton *reportButton() const { return m_report; }
    QPushButton *scanButton() const { return m_scan; }
    GateTab *gate() const { return m_gate; }
    QString messageText() const;
    // Sends the changes as the dialogs would (tests and scripted use).
    void apply(const QList<ImageChange> &changes);
    // Sends a bulk import as the import dialog would: all new entries in one transaction, or none.
    void importEntries(const QString &content, const QString &project, const QString &reason,
                       const QDateTime &expires, const QString &source);

private:
    QWidget *buildAllowlistTab();
    QWidget *buildRequestsTab();
    QWidget *buildRegistryTab();
    QWidget *buildHostsTab();
    QWidget *buildExposureTab();
    void stopExposed();
    void openPrune();
    QStringList projectNames() const;
    void openAllow();
    void openRevoke();
    void openImport();
    void openRequest();
    void openDecision(bool approve);
    void openReport();
    void requestScan();
    void showReport(quint64 requestId, const QString &title, qint64 connectionId, const QString &digest);
    void updateButtons();
    void updateRegistryState();
    void showMessage(const QString &text, bool problem = false);

    WorkspaceService *m_workspace;
    RegistryService *m_registry;
    DockerService *m_docker;
    HostImagesModel *m_hostImages;
    QSortFilterProxyModel *m_hostProxy;
    QTableView *m_hostView = nullptr;
    QComboBox *m_hostState = nullptr;
    QPushButton *m_removeImage = nullptr;
    QPushButton *m_prune = nullptr;
    ExposureModel *m_exposure;
    QSortFilterProxyModel *m_exposureProxy;
    QTableView *m_exposureView = nullptr;
    QComboBox *m_threshold = nullptr;
    QSpinBox *m_days = nullptr;
    QCheckBox *m_exposedOnly = nullptr;
    QPushButton *m_stopContainer = nullptr;
    QPushButton *m_requestExposed = nullptr;
    AllowlistModel *m_allowlist;
    ImageRequestsModel *m_requests;
    ProjectsModel *m_projects;
    RegistryTagsModel *m_tags;
    QSortFilterProxyModel *m_allowProxy;
    QSortFilterProxyModel *m_requestProxy;
    QSortFilterProxyModel *m_tagProxy;
    QTabWidget *m_tabs;
    QTableView *m_allowView = nullptr;
    QTableView *m_requestView = nullptr;
    QTableView *m_tagView = nullptr;
    QTableView *m_projectView = nullptr;
    QLineEdit *m_allowFilter = nullptr;
    QLineEdit *m_tagFilter = nullptr;
    QComboBox *m_requestState = nullptr;
    QPushButton *m_allow = nullptr;
    QPushButton *m_revoke = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_request = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_deny = nullptr;
    QPushButton *m_report = nullptr;
    QPushButton *m_scan = nullptr;
    QLabel *m_registryState = nullptr;
    GateTab *m_gate = nullptr;
    QLabel *m_message;
    quint64 m_nextRequest = 1;
    QSet<quint64> m_containerRequests; // stops asked from the Exposure tab
};

} // namespace opsdeck
