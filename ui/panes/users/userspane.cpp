#include "ui/panes/users/userspane.h"

#include "models/connections/connectionstore.h"
#include "models/store/cachenotifier.h"
#include "models/workspace/actingperson.h"
#include "models/workspace/peoplemodel.h"
#include "models/workspace/personactivity.h"
#include "models/workspace/workspacestatus.h"
#include "services/workspace/workspaceservice.h"
#include "ui/common/emptystate.h"
#include "ui/common/permissiongate.h"
#include "ui/panes/users/accessreviewdialog.h"
#include "ui/panes/users/githublinkdialog.h"
#include "ui/panes/users/grantdialog.h"
#include "ui/panes/users/offboardingdialog.h"
#include "ui/panes/users/persondialog.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
class PeopleFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString role;  // "" any
    QString state; // "", "active", "deactivated"
    QStringList words;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QModelIndex first = m->index(row, 0, parent);
        if (!role.isEmpty() && first.data(PeopleModel::RoleRole).toString() != role)
            return false;
        if (!state.isEmpty() &&
            first.data(PeopleModel::ActiveRole).toBool() != (state == QLatin1String("active")))
            return false;
        for (const QString &w : words) {
            bool found = false;
            for (int c : {PeopleModel::Login, PeopleModel::Name, PeopleModel::Email, PeopleModel::GitHub})
                found = found || m->index(row, c, parent).data().toString().contains(w, Qt::CaseInsensitive);
            if (!found)
                return false;
        }
        return true;
    }
};

} // namespace

// The grants that apply to one person: theirs and their role's.
class PersonGrantsFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    WorkspacePerson person;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex first = sourceModel()->index(row, 0, parent);
        const QString kind = first.data(GrantsModel::SubjectKindRole).toString();
        const QString subject = first.data(GrantsModel::SubjectRole).toString();
        return (kind == QLatin1String("person") && subject == person.login) ||
               (kind == QLatin1String("role") && subject == person.role);
    }
};

namespace {

// The actions the detail explains, with the scope each is checked on.
struct Question
{
    const char *action;
    const char *scope;
    const char *what;
};
const Question questions[] = {
    {"runner.provision", "mode:jit",
     QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Provision a just-in-time runner")},
    {"runner.provision", "mode:registration",
     QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Provision with a registration token")},
    {"runner.delete", "owner:self",
     QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Remove a runner they provisioned")},
    {"runner.delete", "owner:someone-else",
     QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Remove someone else's runner")},
    {"policy.update", "", QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Change a label policy")},
    {"container.stop", "", QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Stop a container")},
    {"deploy.start", "", QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Deploy")},
    {"tunnel.route", "", QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Change a tunnel route")},
    {"user.manage", "role:user", QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Manage users and admins")},
    {"user.manage", "role:superuser", QT_TRANSLATE_NOOP("opsdeck::UsersPane", "Manage superusers")},
};
} // namespace

Pane::Info UsersPane::describe()
{
    return {
        QStringLiteral("users"),
        tr("Users"),
        QStringLiteral("system-users"),
        {ConnectionKind::GitHub, ConnectionKind::Harbor, ConnectionKind::LiteLLM},
        tr("People across your platform"),
        tr("Everyone in your team workspace: their role, what they may do and why, and the runners they own. "
           "Join a team workspace with opsdeck team init (run once by the database owner) and "
           "opsdeck team person add; this desktop then keeps a copy to read offline.")};
}

UsersPane::UsersPane(ConnectionsModel *connections, WorkspaceService *workspace,
                     OffboardingService *offboarding, QWidget *parent)
    : Pane(describe(), connections, parent), m_people(new PeopleModel(this)), m_grants(new GrantsModel(this)),
      m_activity(new PersonActivityModel(this)), m_workspace(workspace), m_offboarding(offboarding)
{
    auto *content = new QWidget(this);
    m_role = new QComboBox(content);
    m_role->addItem(tr("Any role"), QString());
    m_role->addItem(tr("Users"), QStringLiteral("user"));
    m_role->addItem(tr("Admins"), QStringLiteral("admin"));
    m_role->addItem(tr("Superusers"), QStringLiteral("superuser"));
    m_state = new QComboBox(content);
    m_state->addItem(tr("Active or not"), QString());
    m_state->addItem(tr("Active"), QStringLiteral("active"));
    m_state->addItem(tr("Deactivated"), QStringLiteral("deactivated"));
    m_filter = new QLineEdit(content);
    m_filter->setPlaceholderText(tr("Filter by login, name, email or GitHub login"));
    m_filter->setAccessibleName(m_filter->placeholderText());
    m_filter->setClearButtonEnabled(true);
    m_stateLabel = new QLabel(content);
    m_stateLabel->setWordWrap(true);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_role);
    filters->addWidget(m_state);
    filters->addWidget(m_filter, 1);

    auto *filter = new PeopleFilter(this);
    m_proxy = filter;
    m_view = new QTableView(content);
    setUpTable(m_view, m_proxy, m_people, PeopleModel::Login, QStringLiteral("people"));
    setColumnWidths(m_view, {{PeopleModel::Login, 14},
                             {PeopleModel::Name, 20},
                             {PeopleModel::Email, 26},
                             {PeopleModel::Role, 12},
                             {PeopleModel::Active, 13},
                             {PeopleModel::GitHub, 14},
                             {PeopleModel::Runners, 9},
                             {PeopleModel::LastSeen, 16}});
    m_detail = new QTextBrowser(content);
    m_detail->setOpenLinks(false);
    // The selected person's runners and deployments, and their newest actions.
    const auto activityView = [this, content](bool events) {
        auto *proxy = new QSortFilterProxyModel(this);
        proxy->setSourceModel(m_activity);
        proxy->setFilterRole(PersonActivityModel::KindRole);
        proxy->setFilterRegularExpression(events ? QStringLiteral("^event$")
                                                 : QStringLiteral("^(runner|deployment)$"));
        auto *view = new QTableView(content);
        setUpTable(view, proxy, m_activity, events ? PersonActivityModel::When : PersonActivityModel::Kind,
                   events ? QStringLiteral("person-actions") : QStringLiteral("person-owns"));
        if (events)
            view->sortByColumn(PersonActivityModel::When, Qt::DescendingOrder);
        setColumnWidths(view, {{PersonActivityModel::Kind, 11},
                               {PersonActivityModel::Name, 24},
                               {PersonActivityModel::Where, 18},
                               {PersonActivityModel::When, 16}});
        return view;
    };
    m_owned = activityView(false);
    m_actions = activityView(true);
    // Beside the explanation, the grants that apply to the person, to give and take back.
    m_grantsFilter = new PersonGrantsFilter(this);
    m_grantsView = new QTableView(content);
    setUpTable(m_grantsView, m_grantsFilter, m_grants, GrantsModel::Action, QStringLiteral("person-grants"));
    m_grantsView->setSelectionMode(QAbstractItemView::SingleSelection);
    setColumnWidths(m_grantsView, {{GrantsModel::Subject, 14},
                                   {GrantsModel::Action, 16},
                                   {GrantsModel::Scope, 18},
                                   {GrantsModel::Effect, 8},
                                   {GrantsModel::GrantedBy, 10}});
    auto *grantsBox = new QWidget(content);
    auto *grantsLayout = new QVBoxLayout(grantsBox);
    grantsLayout->setContentsMargins(0, 0, 0, 0);
    grantsLayout->addWidget(m_grantsView, 1);
    if (m_workspace)
        grantsLayout->addWidget(buildGrantActions(grantsBox));
    auto *permissions = new QSplitter(Qt::Horizontal, content);
    permissions->addWidget(m_detail);
    permissions->addWidget(grantsBox);
    permissions->setStretchFactor(0, 1);
    permissions->setStretchFactor(1, 1);
    auto *tabs = new QTabWidget(content);
    tabs->setDocumentMode(true);
    tabs->addTab(permissions, tr("&Permissions"));
    tabs->addTab(m_owned, tr("Runners and &Deployments"));
    tabs->addTab(m_actions, tr("Recent Ac&tions"));
    auto *split = new QSplitter(Qt::Vertical, content);
    split->addWidget(m_view);
    split->addWidget(tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stateLabel);
    if (m_workspace)
        layout->addWidget(buildActions(content));
    layout->addLayout(filters);
    layout->addWidget(split, 1);

    const auto refilter = [this, filter] {
        filter->role = m_role->currentData().toString();
        filter->state = m_state->currentData().toString();
        filter->words = m_filter->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        filter->apply();
    };
    connect(m_role, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_state, &QComboBox::currentIndexChanged, this, refilter);
    connect(m_filter, &QLineEdit::textChanged, this, refilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &UsersPane::showDetail);
    connect(m_grants, &CacheTableModel::loaded, this, &UsersPane::showDetail);
    connect(m_people, &CacheTableModel::loaded, this, [this, content] {
        if (m_people->rowCount() > 0 && !isContentShown()) {
            setContent(content);
            m_view->selectRow(0); // the detail explains someone from the start
        }
        updateState();
        showDetail();
    });
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(QStringLiteral("workspace_state")))
                    updateState();
            });
    m_people->reload();
    m_grants->reload();
}

QSortFilterProxyModel *UsersPane::proxy() const
{
    return m_proxy;
}

QString UsersPane::detailText() const
{
    return m_detail->toPlainText();
}

QString UsersPane::stateText() const
{
    return m_stateLabel->text();
}

void UsersPane::updateState()
{
    // One row, read when it changes.
    m_stateLabel->setText(readWorkspaceStatus(Database::connection()).describe());
}

void UsersPane::showDetail()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid()) {
        m_grantsFilter->person = {};
        m_grantsFilter->apply();
        m_detail->setPlainText(tr("Select a person to see what they may do, and why."));
        m_activity->setLogin({});
        return;
    }
    const CacheRow &row = m_people->rowAt(current.row());
    m_activity->setLogin(row.key.toString());
    WorkspacePerson person{row.key.toString(), row.values.value(PeopleModel::Role).toString(),
                           row.values.value(PeopleModel::Active).toBool()};
    if (m_grantsFilter->person.login != person.login || m_grantsFilter->person.role != person.role) {
        m_grantsFilter->person = person;
        m_grantsFilter->apply();
    }
    if (m_gate)
        m_gate->update();
    const QList<WorkspaceGrant> grants = m_grants->grants();
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p><table cellspacing=\"4\">")
                       .arg(person.login.toHtmlEscaped(),
                            tr("Role %1, %2; %n runner(s) owned.", nullptr,
                               row.values.value(PeopleModel::Runners).toInt())
                                .arg(person.role, person.active ? tr("active") : tr("deactivated")));
    for (const Question &question : questions) {
        QString scope = QLatin1String(question.scope);
        if (scope == QLatin1String("owner:self"))
            scope = QStringLiteral("owner:") + person.login;
        const PermissionDecision d = decidePermission(person, QLatin1String(question.action), scope, grants);
        html += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td><td>%3</td></tr>")
                    .arg(tr(question.what).toHtmlEscaped(), d.allowed ? tr("yes") : tr("no"),
                         (d.deciding ? d.deciding->describe() : d.reason).toHtmlEscaped());
    }
    m_detail->setHtml(html + QStringLiteral("</table>"));
}

} // namespace opsdeck

namespace opsdeck {

QWidget *UsersPane::buildActions(QWidget *parent)
{
    auto *bar = new QWidget(parent);
    m_add = new QPushButton(QIcon::fromTheme(QStringLiteral("list-add-user")), tr("&Add Person…"), bar);
    m_add->setToolTip(tr("Add someone to the workspace (Ctrl+Shift+N)"));
    m_edit = new QPushButton(QIcon::fromTheme(QStringLiteral("document-edit")), tr("&Edit…"), bar);
    m_edit->setToolTip(tr("Edit the selected person's name, email and GitHub login (F2)"));
    m_setRole = new QPushButton(tr("Change &Role…"), bar);
    m_setRole->setToolTip(tr("Make the selected people users, admins or superusers"));
    m_deactivate =
        new QPushButton(QIcon::fromTheme(QStringLiteral("list-remove-user")), tr("&Deactivate…"), bar);
    m_deactivate->setToolTip(tr("Deactivate the selected people, with a comment for the audit log (Delete)"));
    m_reactivate = new QPushButton(tr("Rea&ctivate…"), bar);
    m_reactivate->setToolTip(tr("Let the selected people sign in again"));
    m_offboard = new QPushButton(tr("&Offboard…"), bar);
    m_offboard->setToolTip(
        tr("Take the selected person out of everything at once: the workspace, GitHub, their "
           "runners and deployments, Harbor and LiteLLM, step by step"));
    m_offboard->setVisible(m_offboarding != nullptr);
    m_linkGitHub = new QPushButton(tr("&Link My GitHub…"), bar);
    m_linkGitHub->setToolTip(tr("Link your own GitHub login to the workspace through GitHub's device flow"));
    m_linkGitHub->hide(); // until there is a GitHub service to do it
    m_review = new QPushButton(tr("Access &Review…"), bar);
    m_review->setToolTip(tr("Go through everyone's role and grants, keep or revoke each, and sign it off"));
    m_progress = new QProgressBar(bar);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_result = new QLabel(bar);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    for (QPushButton *b :
         {m_add, m_edit, m_setRole, m_deactivate, m_reactivate, m_offboard, m_linkGitHub, m_review})
        row->addWidget(b);
    row->addWidget(m_progress);
    row->addWidget(m_result, 1);

    connect(m_add, &QPushButton::clicked, this, &UsersPane::addPerson);
    connect(m_edit, &QPushButton::clicked, this, &UsersPane::editPerson);
    connect(m_setRole, &QPushButton::clicked, this,
            [this] { actOnSelected(int(PersonChange::Kind::SetRole)); });
    connect(m_deactivate, &QPushButton::clicked, this,
            [this] { actOnSelected(int(PersonChange::Kind::Deactivate)); });
    connect(m_reactivate, &QPushButton::clicked, this,
            [this] { actOnSelected(int(PersonChange::Kind::Reactivate)); });
    connect(m_offboard, &QPushButton::clicked, this, &UsersPane::offboardSelected);
    connect(m_linkGitHub, &QPushButton::clicked, this, &UsersPane::linkGitHub);
    connect(m_review, &QPushButton::clicked, this, &UsersPane::startReview);
    // Shortcuts while the pane has focus; they go through the buttons, so a disabled one does nothing.
    const auto shortcut = [this](const QKeySequence &keys, QPushButton *button) {
        auto *s = new QShortcut(keys, this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, button, [button] {
            if (button->isEnabled())
                button->click();
        });
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), m_add);
    shortcut(QKeySequence(Qt::Key_F2), m_edit);
    shortcut(QKeySequence::Delete, m_deactivate);
    connect(m_view, &QTableView::doubleClicked, m_edit, [this] {
        if (m_edit->isEnabled())
            m_edit->click();
    });

    // The window's depth of the permissions: user.manage on the role of whom it is about.
    m_gate = new PermissionGate(this);
    const auto selected = [this] {
        return !selectedLogins().isEmpty();
    };
    const auto activeState = [this](bool active) {
        return [this, active] {
            const QModelIndexList rows = m_view->selectionModel()->selectedRows();
            for (const QModelIndex &i : rows)
                if (i.data(PeopleModel::ActiveRole).toBool() != active)
                    return true;
            return false;
        };
    };
    const QString manage = QStringLiteral("user.manage");
    m_gate->guard(m_review, manage, [] { return QStringLiteral("role:superuser"); });
    m_gate->guard(m_add, manage, [] { return QStringLiteral("role:user"); });
    m_gate->guard(
        m_edit, manage, [this] { return selectedScope(); }, selected);
    m_gate->guard(
        m_setRole, manage, [this] { return selectedScope(); }, selected);
    m_gate->guard(
        m_deactivate, manage, [this] { return selectedScope(); }, activeState(false));
    m_gate->guard(
        m_reactivate, manage, [this] { return selectedScope(); }, activeState(true));
    m_gate->guard(
        m_offboard, manage, [this] { return selectedScope(); },
        [this] { return selectedLogins().size() == 1; });
    // Grants: user.manage over whom the grant is for; the dialogs then check the finer rules.
    m_gate->guard(
        m_grant, manage, [this] { return QStringLiteral("role:") + m_grantsFilter->person.role; },
        [this] { return !m_grantsFilter->person.login.isEmpty(); });
    m_gate->guard(
        m_revoke, manage, [this] { return QStringLiteral("role:") + m_grantsFilter->person.role; },
        [this] { return selectedGrant().has_value(); });
    connect(m_grantsView->selectionModel(), &QItemSelectionModel::selectionChanged, m_gate,
            &PermissionGate::update);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, m_gate,
            &PermissionGate::update);
    connect(m_people, &CacheTableModel::loaded, m_gate, &PermissionGate::update);

    connect(m_workspace, &WorkspaceService::peopleProgress, this,
            [this](const QString &request, int done, int total) {
                if (request != m_request)
                    return;
                m_progress->setRange(0, total);
                m_progress->setValue(done);
            });
    connect(m_workspace, &WorkspaceService::peopleChanged, this,
            [this](const QString &request, int applied, const QStringList &problems) {
                if (request != m_request)
                    return;
                m_request.clear();
                m_progress->hide();
                QString text = applied > 0 ? tr("%n change(s) made.", nullptr, applied) : QString();
                if (!problems.isEmpty())
                    text += (text.isEmpty() ? QString() : QStringLiteral(" ")) +
                            tr("%n refused: %1", nullptr, int(problems.size()))
                                .arg(problems.join(QStringLiteral(" · ")));
                m_result->setText(text);
                m_result->setForegroundRole(problems.isEmpty() ? QPalette::WindowText : QPalette::Highlight);
                emit changesFinished(applied, problems);
            });
    return bar;
}

QWidget *UsersPane::buildGrantActions(QWidget *parent)
{
    auto *bar = new QWidget(parent);
    m_grant = new QPushButton(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Grant…"), bar);
    m_grant->setToolTip(tr("Allow or deny the selected person, or everyone with their role, an action"));
    m_revoke = new QPushButton(QIcon::fromTheme(QStringLiteral("list-remove")), tr("Re&voke…"), bar);
    m_revoke->setToolTip(tr("Take the selected grant back, with a reason for the audit log"));
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_grant);
    row->addWidget(m_revoke);
    row->addStretch(1);
    connect(m_grant, &QPushButton::clicked, this, &UsersPane::grantToSelected);
    connect(m_revoke, &QPushButton::clicked, this, &UsersPane::revokeSelectedGrant);
    connect(m_grantsView, &QTableView::doubleClicked, m_revoke, [this] {
        if (m_revoke->isEnabled())
            m_revoke->click();
    });
    return bar;
}

std::optional<WorkspaceGrant> UsersPane::selectedGrant() const
{
    const QModelIndex current = m_grantsView->currentIndex();
    if (!current.isValid() || !m_grantsView->selectionModel()->isRowSelected(current.row()))
        return std::nullopt;
    const qint64 id = current.siblingAtColumn(0).data(CacheTableModel::KeyRole).toLongLong();
    for (const WorkspaceGrant &g : m_grants->grants())
        if (g.id == id)
            return g;
    return std::nullopt;
}

GrantContext UsersPane::grantContext() const
{
    // From the models the pane has loaded already, and who acts here (one row).
    GrantContext context;
    context.grants = m_grants->grants();
    const QString me = actingLogin(Database::connection());
    for (int row = 0; row < m_people->rowCount() && !me.isEmpty(); ++row) {
        const CacheRow &r = m_people->rowAt(row);
        if (r.key.toString() == me)
            context.actor = WorkspacePerson{me, r.values.value(PeopleModel::Role).toString(),
                                            r.values.value(PeopleModel::Active).toBool()};
    }
    if (!me.isEmpty() && !context.actor)
        context.actor = WorkspacePerson{me, QStringLiteral("user"), false}; // not a person: nothing
    return context;
}

void UsersPane::grantToSelected()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid() || !m_workspace)
        return;
    const CacheRow &row = m_people->rowAt(current.row());
    const WorkspacePerson person{row.key.toString(), row.values.value(PeopleModel::Role).toString(),
                                 row.values.value(PeopleModel::Active).toBool()};
    GrantDialog dialog(person, grantContext(), this);
    if (dialog.exec() == QDialog::Accepted)
        submitGrants({dialog.change()});
}

void UsersPane::revokeSelectedGrant()
{
    const auto grant = selectedGrant();
    if (!grant || !m_workspace)
        return;
    RevokeGrantDialog dialog(*grant, m_grantsFilter->person.role, grantContext(), this);
    if (dialog.exec() == QDialog::Accepted)
        submitGrants({dialog.change()});
}

void UsersPane::submitGrants(const QList<GrantChange> &changes)
{
    if (!m_workspace || changes.isEmpty())
        return;
    m_request = QStringLiteral("grants-%1").arg(++m_requests);
    m_progress->setRange(0, int(changes.size()));
    m_progress->setValue(0);
    m_progress->show();
    m_result->setText(tr("Changing %n grant(s)…", nullptr, int(changes.size())));
    m_result->setForegroundRole(QPalette::WindowText);
    QMetaObject::invokeMethod(m_workspace, "changeGrants", Qt::QueuedConnection,
                              Q_ARG(QList<opsdeck::GrantChange>, changes), Q_ARG(QString, m_request));
}

QString UsersPane::resultText() const
{
    return m_result ? m_result->text() : QString();
}

QStringList UsersPane::selectedLogins() const
{
    QStringList logins;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows(PeopleModel::Login))
        logins << i.data(CacheTableModel::RawRole).toString();
    return logins;
}

QString UsersPane::selectedScope() const
{
    // The most demanding role among the selected: a batch with a superuser in it needs the grant
    // over superusers.
    QString role = QStringLiteral("user");
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows()) {
        const QString r = i.data(PeopleModel::RoleRole).toString();
        if (workspaceRoles().indexOf(r) > workspaceRoles().indexOf(role))
            role = r;
    }
    return QStringLiteral("role:") + role;
}

void UsersPane::submit(const QList<PersonChange> &changes)
{
    if (!m_workspace || changes.isEmpty())
        return;
    m_request = QStringLiteral("people-%1").arg(++m_requests);
    m_progress->setRange(0, int(changes.size()));
    m_progress->setValue(0);
    m_progress->show();
    m_result->setText(tr("Changing %n person(s)…", nullptr, int(changes.size())));
    m_result->setForegroundRole(QPalette::WindowText);
    QMetaObject::invokeMethod(m_workspace, "changePeople", Qt::QueuedConnection,
                              Q_ARG(QList<opsdeck::PersonChange>, changes), Q_ARG(QString, m_request));
}

void UsersPane::addPerson()
{
    PersonDialog dialog(std::nullopt, readWorkspaceStatus(Database::connection()).team, this);
    if (dialog.exec() == QDialog::Accepted)
        submit({dialog.change()});
}

void UsersPane::editPerson()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid())
        return;
    const CacheRow &row = m_people->rowAt(current.row());
    PersonChange existing;
    existing.login = row.key.toString();
    existing.displayName = row.values.value(PeopleModel::Name).toString();
    existing.email = row.values.value(PeopleModel::Email).toString();
    existing.githubLogin = row.values.value(PeopleModel::GitHub).toString();
    existing.harborUser = m_people->index(current.row(), 0).data(PeopleModel::HarborRole).toString();
    existing.litellmUser = m_people->index(current.row(), 0).data(PeopleModel::LiteLlmRole).toString();
    existing.oidcSubject = m_people->index(current.row(), 0).data(PeopleModel::OidcRole).toString();
    PersonDialog dialog(existing, false, this);
    if (dialog.exec() == QDialog::Accepted)
        submit({dialog.change()});
}

void UsersPane::actOnSelected(int kind)
{
    const auto k = PersonChange::Kind(kind);
    QStringList logins;
    // Deactivate only those active, reactivate only those not.
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows(PeopleModel::Login)) {
        const bool active = i.siblingAtColumn(0).data(PeopleModel::ActiveRole).toBool();
        if ((k == PersonChange::Kind::Deactivate && !active) ||
            (k == PersonChange::Kind::Reactivate && active))
            continue;
        logins << i.data(CacheTableModel::RawRole).toString();
    }
    if (logins.isEmpty())
        return;
    PeopleActionDialog dialog(k, logins, this);
    if (dialog.exec() == QDialog::Accepted)
        submit(dialog.changes());
}

void UsersPane::offboardSelected()
{
    const QStringList logins = selectedLogins();
    if (logins.size() != 1 || !m_offboarding)
        return;
    OffboardingDialog dialog(logins.first(), m_offboarding, this);
    dialog.exec();
}

void UsersPane::setGitHub(GitHubService *github)
{
    m_github = github;
    if (m_linkGitHub)
        m_linkGitHub->setVisible(m_github != nullptr);
}

void UsersPane::linkGitHub()
{
    const QString me = actingLogin(Database::connection());
    if (me.isEmpty() || !m_github || !m_workspace) {
        m_result->setText(tr("The workspace has not said who acts on this desktop yet."));
        return;
    }
    GitHubLinkDialog dialog(me, m_github, m_workspace, this);
    dialog.exec();
}

QList<ReviewDecision> UsersPane::reviewItems() const
{
    // From the models the pane has loaded already: no reading on this thread.
    QList<WorkspacePerson> people;
    for (int row = 0; row < m_people->rowCount(); ++row) {
        const CacheRow &r = m_people->rowAt(row);
        people << WorkspacePerson{r.key.toString(), r.values.value(PeopleModel::Role).toString(),
                                  r.values.value(PeopleModel::Active).toBool()};
    }
    return opsdeck::reviewItems(people, m_grants->grants());
}

void UsersPane::startReview()
{
    if (!m_workspace)
        return;
    AccessReviewDialog dialog(reviewItems(), m_workspace, this);
    dialog.exec();
}

QStringList UsersPane::screenshotDialogs() const
{
    return {QStringLiteral("person"),      QStringLiteral("deactivate"),  QStringLiteral("grant"),
            QStringLiteral("offboarding"), QStringLiteral("github-link"), QStringLiteral("access-review")};
}

QWidget *UsersPane::openScreenshotDialog(const QString &name)
{
    if (m_people->rowCount() == 0)
        return nullptr;
    const CacheRow &first = m_people->rowAt(0);
    const QString login = first.key.toString();
    const QString me = actingLogin(Database::connection());
    QDialog *dialog = nullptr;
    if (name == QLatin1String("person"))
        dialog = new PersonDialog(std::nullopt, readWorkspaceStatus(Database::connection()).team, this);
    else if (name == QLatin1String("deactivate"))
        dialog = new PeopleActionDialog(PersonChange::Kind::Deactivate, {login}, this);
    else if (name == QLatin1String("grant") && m_workspace)
        dialog = new GrantDialog(WorkspacePerson{login, first.values.value(PeopleModel::Role).toString(),
                                                 first.values.value(PeopleModel::Active).toBool()},
                                 grantContext(), this);
    else if (name == QLatin1String("offboarding") && m_offboarding)
        dialog = new OffboardingDialog(login, m_offboarding, this);
    else if (name == QLatin1String("github-link") && m_github && m_workspace && !me.isEmpty())
        dialog = new GitHubLinkDialog(me, m_github, m_workspace, this);
    else if (name == QLatin1String("access-review") && m_workspace)
        dialog = new AccessReviewDialog(reviewItems(), m_workspace, this);
    if (dialog) {
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    }
    return dialog;
}

} // namespace opsdeck
