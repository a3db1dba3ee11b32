#include "ui/panes/userspane.h"

#include "models/connections/connectionstore.h"
#include "models/store/cachenotifier.h"
#include "models/workspace/peoplemodel.h"
#include "models/workspace/workspacestatus.h"
#include "ui/common/emptystate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QSqlQuery>
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

UsersPane::UsersPane(ConnectionsModel *connections, QWidget *parent)
    : Pane(describe(), connections, parent), m_people(new PeopleModel(this)), m_grants(new GrantsModel(this))
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
                             {PeopleModel::Runners, 9}});
    m_detail = new QTextBrowser(content);
    m_detail->setOpenLinks(false);
    auto *split = new QSplitter(Qt::Vertical, content);
    split->addWidget(m_view);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stateLabel);
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
        m_detail->setPlainText(tr("Select a person to see what they may do, and why."));
        return;
    }
    const CacheRow &row = m_people->rowAt(current.row());
    WorkspacePerson person{row.key.toString(), row.values.value(PeopleModel::Role).toString(),
                           row.values.value(PeopleModel::Active).toBool()};
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
