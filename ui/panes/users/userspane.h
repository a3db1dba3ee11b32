// The Users pane: everyone in the team workspace, from the cache's copy (so it opens at once and
// reads offline, with the copy's age shown): login, name, email, role, active, GitHub login,
// runners owned, last seen; filters by role, state and text; sortable. The detail under the list
// answers "why can (or can't) this person do this?" for the actions of every pane, naming the
// grant that decides. Until this desktop joins a team workspace, the pane says how.
#pragma once

#include "models/workspace/accessreview.h"
#include "models/workspace/permissions.h"
#include "ui/panes/pane.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace opsdeck {

class GrantsModel;
class PeopleModel;
class PersonActivityModel;
class GitHubService;
class OffboardingService;
class PermissionGate;
class WorkspaceService;
struct GrantChange;
struct GrantContext;
struct PersonChange;

class UsersPane : public Pane
{
    Q_OBJECT
public:
    // What the sidebar shows before the pane is built (panes are built when first shown).
    static Info describe();
    // workspace: where changes to people go; none, and the pane only reads.
    // offboarding: runs offboardings; none, and the pane offers none.
    UsersPane(ConnectionsModel *connections, WorkspaceService *workspace,
              OffboardingService *offboarding = nullptr, QWidget *parent = nullptr);

    QStringList screenshotDialogs() const override;
    QWidget *openScreenshotDialog(const QString &name) override;
    PeopleModel *model() const { return m_people; }
    QSortFilterProxyModel *proxy() const;
    QTableView *view() const { return m_view; }
    QComboBox *roleCombo() const { return m_role; }
    QComboBox *stateCombo() const { return m_state; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString detailText() const;
    PersonActivityModel *activity() const { return m_activity; }
    QTableView *ownedView() const { return m_owned; }
    QTableView *actionsView() const { return m_actions; }
    QString stateText() const;
    QPushButton *addButton() const { return m_add; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *roleButton() const { return m_setRole; }
    QPushButton *deactivateButton() const { return m_deactivate; }
    QPushButton *reactivateButton() const { return m_reactivate; }
    QPushButton *offboardButton() const { return m_offboard; }
    QPushButton *linkGitHubButton() const { return m_linkGitHub; }
    QPushButton *reviewButton() const { return m_review; }
    QPushButton *grantButton() const { return m_grant; }
    QPushButton *revokeButton() const { return m_revoke; }
    // The grants that apply to the selected person: theirs and their role's.
    QTableView *grantsView() const { return m_grantsView; }
    // The grant selected there.
    std::optional<WorkspaceGrant> selectedGrant() const;
    // Everyone's role and every grant, as the copy has them, for an access review.
    QList<ReviewDecision> reviewItems() const;
    // Where GitHub logins are linked through the device flow; none, and the pane offers no link.
    void setGitHub(GitHubService *github);
    // What the last changes came to ("Deactivated 3 people." or what was refused).
    QString resultText() const;
    // The logins of the selected rows.
    QStringList selectedLogins() const;
    // Sends changes to the workspace service (the dialogs end here); progress and the outcome show
    // in the pane.
    void submit(const QList<PersonChange> &changes);
    // The same for changes to grants (GrantDialog and RevokeGrantDialog end here).
    void submitGrants(const QList<GrantChange> &changes);

signals:
    void changesFinished(int applied, const QStringList &problems);

private:
    void showDetail();
    void updateState();
    QWidget *buildActions(QWidget *parent);
    QWidget *buildGrantActions(QWidget *parent);
    void grantToSelected();
    void revokeSelectedGrant();
    GrantContext grantContext() const;
    void addPerson();
    void editPerson();
    void actOnSelected(int kind);
    void offboardSelected();
    void linkGitHub();
    void startReview();
    QString selectedScope() const;

    PeopleModel *m_people;
    GrantsModel *m_grants;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_role = nullptr;
    QComboBox *m_state = nullptr;
    QLineEdit *m_filter = nullptr;
    QTextBrowser *m_detail = nullptr;
    PersonActivityModel *m_activity;
    QTableView *m_owned = nullptr;
    QTableView *m_actions = nullptr;
    QLabel *m_stateLabel = nullptr;
    WorkspaceService *m_workspace;
    PermissionGate *m_gate = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_setRole = nullptr;
    QPushButton *m_deactivate = nullptr;
    QPushButton *m_reactivate = nullptr;
    QPushButton *m_offboard = nullptr;
    QPushButton *m_linkGitHub = nullptr;
    QPushButton *m_review = nullptr;
    QPushButton *m_grant = nullptr;
    QPushButton *m_revoke = nullptr;
    QTableView *m_grantsView = nullptr;
    class PersonGrantsFilter *m_grantsFilter = nullptr;
    GitHubService *m_github = nullptr;
    OffboardingService *m_offboarding;
    QProgressBar *m_progress = nullptr;
    QLabel *m_result = nullptr;
    QString m_request; // the changes in flight
    int m_requests = 0;
};

} // namespace opsdeck
