#include "ui/panes/runners/runnerspane.h"

#include "models/audit/auditevent.h"
#include "models/connections/connectionsmodel.h"
#include "models/github/labelpolicy.h"
#include "models/github/runnerpolicystore.h"
#include "models/github/runnersmodel.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/github/githubservice.h"
#include "ui/common/emptystate.h"
#include "ui/common/permissiongate.h"
#include "ui/common/requestid.h"
#include "ui/panes/runners/runnerdialogs.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QSqlQuery>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// Status (online, offline; removed ones only when asked for), busy or idle, a label, who
// provisioned it, and words over every column.
class RunnerFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString state;
    QString busy;  // "", "busy", "idle"
    QString label; // any label, case-insensitive
    QString owner; // "" anyone, notProvisioned, or a user
    QStringList words;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QModelIndex first = m->index(row, 0, parent);
        const QString status =
            m->index(row, RunnersModel::Status, parent).data(CacheTableModel::RawRole).toString();
        if (state.isEmpty() ? status == QLatin1String("removed") : status != state)
            return false;
        if (!busy.isEmpty()) {
            const bool isBusy =
                m->index(row, RunnersModel::Busy, parent).data(CacheTableModel::RawRole).toBool();
            if (isBusy != (busy == QLatin1String("busy")))
                return false;
        }
        if (!label.isEmpty()) {
            const QStringList labels = first.data(RunnersModel::CustomLabelsRole).toStringList() +
                                       first.data(RunnersModel::SystemLabelsRole).toStringList();
            if (!labels.contains(label, Qt::CaseInsensitive))
                return false;
        }
        if (!owner.isEmpty()) {
            const QString by = first.data(RunnersModel::ProvisionedByRole).toString();
            if (owner == notProvisioned ? !by.isEmpty() : by != owner)
                return false;
        }
        for (const QString &w : words) {
            bool found = false;
            for (int c = 0; c < RunnersModel::ColumnCount && !found; ++c)
                found = m->index(row, c, parent)
                            .data(Qt::DisplayRole)
                            .toString()
                            .contains(w, Qt::CaseInsensitive);
            if (!found)
                return false;
        }
        return true;
    }

public:
    static inline const QString notProvisioned = QStringLiteral("\x01none");
};
} // namespace

Pane::Info RunnersPane::describe()
{
    return {QStringLiteral("runners"),
            tr("Runners"),
            QStringLiteral("runners"),
            {ConnectionKind::GitHub},
            tr("GitHub Actions self-hosted runners"),
            tr("This pane lists the self-hosted runners of your GitHub organization and repositories, "
               "provisions new "
               "ones under a label policy (just-in-time or registration token), removes them with an audited "
               "comment, and cleans up runners that drift from the policy.")};
}

RunnersPane::RunnersPane(ConnectionsModel *connections, GitHubService *github, QWidget *parent)
    : Pane(describe(), connections, parent), m_github(github), m_model(new RunnersModel(this)),
      m_proxy(new RunnerFilter(this))
{
    auto *content = new QWidget(this);
    m_filter = new QLineEdit(content);
    m_filter->setPlaceholderText(tr("Filter by name, label, owner, OS…"));
    m_filter->setAccessibleName(m_filter->placeholderText());
    m_filter->setClearButtonEnabled(true);
    m_status = new QComboBox(content);
    m_status->addItem(tr("Current runners"), QString());
    m_status->addItem(tr("Online"), QStringLiteral("online"));
    m_status->addItem(tr("Offline"), QStringLiteral("offline"));
    m_status->addItem(tr("Removed (history)"), QStringLiteral("removed"));
    m_status->setAccessibleName(tr("Status"));
    m_busy = new QComboBox(content);
    m_busy->addItem(tr("Busy or idle"), QString());
    m_busy->addItem(tr("Busy"), QStringLiteral("busy"));
    m_busy->addItem(tr("Idle"), QStringLiteral("idle"));
    m_busy->setAccessibleName(tr("Busy"));
    m_label = new QComboBox(content);
    m_label->setAccessibleName(tr("Label"));
    m_label->setToolTip(tr("Only runners with this label"));
    m_owner = new QComboBox(content);
    m_owner->setAccessibleName(tr("Provisioned by"));
    m_owner->setToolTip(tr("Only runners provisioned through Opsdeck by this person"));
    for (QComboBox *combo : {m_label, m_owner}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(14);
    }
    m_count = new QLabel(content);
    m_view = new QTableView(content);
    setUpTable(m_view, m_proxy, m_model, RunnersModel::Name, tr("Runners"));
    setColumnWidths(m_view, {{RunnersModel::Name, 24},
                             {RunnersModel::Status, 9},
                             {RunnersModel::Busy, 7},
                             {RunnersModel::Labels, 36},
                             {RunnersModel::Drift, 22},
                             {RunnersModel::Provisioned, 18},
                             {RunnersModel::Os, 9},
                             {RunnersModel::Scope, 24}});
    m_connection = new QComboBox(content);
    m_connection->setToolTip(
        tr("The GitHub connection that new runners, the policy and the drift view apply to"));
    auto *add = new QPushButton(tr("&New runner…"), content);
    auto *remove = new QPushButton(tr("&Remove…"), content);
    remove->setToolTip(tr("Remove the selected runners (Delete)"));
    auto *policy = new QPushButton(tr("Label &policy…"), content);
    m_restore = new QPushButton(tr("Restore &labels…"), content);
    m_restore->setToolTip(
        tr("Set the selected drifted runner's custom labels back to those it was provisioned with"));
    m_restore->setEnabled(false);
    auto *drift = new QPushButton(tr("&Drift…"), content);
    drift->setToolTip(tr("What the next sync would delete (dry run)"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 3);
    bar->addWidget(m_status);
    bar->addWidget(m_busy);
    bar->addWidget(m_label);
    bar->addWidget(m_owner);
    bar->addWidget(m_count, 1);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_connection);
    actions->addStretch(1);
    actions->addWidget(add);
    actions->addWidget(remove);
    actions->addWidget(m_restore);
    actions->addWidget(policy);
    actions->addWidget(drift);
    connect(add, &QPushButton::clicked, this, &RunnersPane::newRunner);
    connect(remove, &QPushButton::clicked, this, &RunnersPane::removeSelected);
    connect(policy, &QPushButton::clicked, this, &RunnersPane::editPolicy);
    // What the person acting here may do, on the chosen connection and the selected runner.
    m_gate = new PermissionGate(this);
    const auto chosen = [this] {
        return connectionFacet(m_connection->currentText());
    };
    m_gate->guard(add, QStringLiteral("runner.provision"),
                  [chosen] { return chosen() + QStringLiteral(" mode:jit"); });
    m_gate->guard(policy, AuditAction::policyUpdate, chosen);
    m_gate->guard(remove, AuditAction::runnerDelete, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (!current.isValid())
            return connectionFacet(m_connection->currentText());
        const CacheRow &row = m_model->rowAt(m_proxy->mapToSource(current).row());
        const qint64 connectionId = row.key.toString().section(QLatin1Char('/'), 0, 0).toLongLong();
        const QString owner = current.data(RunnersModel::ProvisionedByRole).toString();
        return connectionFacet(m_connection->itemText(qMax(0, m_connection->findData(connectionId)))) +
               (owner.isEmpty() ? QString() : QStringLiteral(" owner:") + owner);
    });
    connect(m_connection, &QComboBox::currentIndexChanged, m_gate, &PermissionGate::update);
    connect(drift, &QPushButton::clicked, this, &RunnersPane::showDrift);
    connect(m_restore, &QPushButton::clicked, this, &RunnersPane::restoreLabels);
    connect(m_github, &GitHubService::labelsRestored, this,
            [this](quint64 requestId, const Outcome &outcome) {
                if (requestId != m_restoreRequest)
                    return;
                m_restoreRequest = 0;
                if (!outcome.ok)
                    QMessageBox::warning(this, tr("Restore labels"), outcome.message);
                showDetail();
            });
    auto *del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, remove, [remove] {
        if (remove->isEnabled()) // what the window disables, the key does not do either
            remove->click();
    });
    if (m_connections) {
        connect(m_connections, &QAbstractItemModel::rowsInserted, this, &RunnersPane::reloadConnections);
        connect(m_connections, &QAbstractItemModel::rowsRemoved, this, &RunnersPane::reloadConnections);
        connect(m_connections, &QAbstractItemModel::modelReset, this, &RunnersPane::reloadConnections);
    }
    reloadConnections();
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(bar);
    layout->addLayout(actions);
    m_detail = new QTextBrowser(content);
    m_detail->setPlaceholderText(
        tr("Select a runner to see its labels and the history of Opsdeck's actions on it."));
    auto *splitter = new QSplitter(Qt::Vertical, content);
    splitter->addWidget(m_view);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunnersPane::showDetail);
    m_content = content;
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        static_cast<RunnerFilter *>(m_proxy)->words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        static_cast<RunnerFilter *>(m_proxy)->apply();
        updateView();
    });
    for (QComboBox *combo : {m_status, m_busy, m_label, m_owner})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            auto *filter = static_cast<RunnerFilter *>(m_proxy);
            filter->state = m_status->currentData().toString();
            filter->busy = m_busy->currentData().toString();
            filter->label = m_label->currentData().toString();
            filter->owner = m_owner->currentData().toString();
            filter->apply();
            updateView();
        });
    connect(m_model, &RunnersModel::loaded, this, &RunnersPane::updateChoices);
    connect(m_model, &RunnersModel::loaded, this, &RunnersPane::updateView);
    connect(m_model, &RunnersModel::loaded, this, &RunnersPane::showDetail); // labels, drift, history
    updateChoices();
    m_model->reload();
}

void RunnersPane::updateView()
{
    // The table replaces the empty state once the cache holds runners.
    if (m_model->rowCount() > 0 && !isContentShown())
        setContent(m_content);
    m_count->setText(tr("%1 of %2 runners").arg(m_proxy->rowCount()).arg(m_model->rowCount()));
}

void RunnersPane::updateChoices()
{
    // The labels and the people found in the runners now; the current choice stays.
    QMap<QString, QString> labels; // lower case -> as shown
    QSet<QString> owners;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        for (const QString &l : index.data(RunnersModel::CustomLabelsRole).toStringList() +
                                    index.data(RunnersModel::SystemLabelsRole).toStringList())
            labels.insert(l.toLower(), l);
        const QString by = index.data(RunnersModel::ProvisionedByRole).toString();
        if (!by.isEmpty())
            owners.insert(by);
    }
    const auto refill = [](QComboBox *combo, const QList<std::pair<QString, QString>> &items) {
        const QString current = combo->currentData().toString();
        const QSignalBlocker block(combo);
        combo->clear();
        for (const auto &[text, value] : items)
            combo->addItem(text, value);
        const int keep = combo->findData(current);
        combo->setCurrentIndex(keep >= 0 ? keep : 0);
    };
    QList<std::pair<QString, QString>> labelItems{{tr("Any label"), QString()}};
    for (const QString &l : std::as_const(labels))
        labelItems.append({l, l});
    refill(m_label, labelItems);
    QStringList people = owners.values();
    people.sort(Qt::CaseInsensitive);
    QList<std::pair<QString, QString>> ownerItems{
        {tr("Anyone"), QString()}, {tr("Not provisioned by Opsdeck"), RunnerFilter::notProvisioned}};
    for (const QString &p : std::as_const(people))
        ownerItems.append({tr("Provisioned by %1").arg(p), p});
    refill(m_owner, ownerItems);
}

void RunnersPane::reloadConnections()
{
    const QVariant current = m_connection->currentData();
    m_connection->clear();
    if (!m_connections)
        return;
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const Connection c = m_connections->connectionAt(row);
        if (c.kind == ConnectionKind::GitHub)
            m_connection->addItem(c.name, c.id);
    }
    const int keep = m_connection->findData(current);
    if (keep >= 0)
        m_connection->setCurrentIndex(keep);
}

qint64 RunnersPane::currentConnectionId() const
{
    return m_connection->currentData().toLongLong();
}

QDialog *RunnersPane::newRunner()
{
    const qint64 id = currentConnectionId();
    if (!id) {
        emit addConnectionRequested(ConnectionKind::GitHub);
        return nullptr;
    }
    const auto policy = RunnerPolicyStore::load(Database::connection(), id);
    if (!policy) {
        QMessageBox::warning(this, tr("New runner"), policy.message());
        return nullptr;
    }
    const Connection connection = m_connections->connectionAt(m_connections->rowOfKey(id));
    auto *dialog = new NewRunnerDialog(m_github, id, runnerScopes(connection), policy.value(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

QDialog *RunnersPane::removeSelected()
{
    QList<QPair<qint64, QString>> runners;
    qint64 connection = 0;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const QModelIndex source = m_proxy->mapToSource(index);
        const QString key = m_model->rowAt(source.row()).key.toString(); // "connection/scope/id"
        const qint64 c = key.section(QLatin1Char('/'), 0, 0).toLongLong();
        if (connection && c != connection) {
            QMessageBox::information(this, tr("Remove runners"),
                                     tr("Select runners of one GitHub connection at a time."));
            return nullptr;
        }
        connection = c;
        runners << qMakePair(key.section(QLatin1Char('/'), -1).toLongLong(),
                             source.siblingAtColumn(RunnersModel::Name).data().toString());
    }
    if (runners.isEmpty()) {
        QMessageBox::information(this, tr("Remove runners"), tr("Select the runners to remove first."));
        return nullptr;
    }
    auto *dialog = new RemoveRunnersDialog(m_github, connection, runners, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void RunnersPane::restoreLabels()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || m_restoreRequest)
        return;
    const QModelIndex source = m_proxy->mapToSource(current);
    const QString key = m_model->rowAt(source.row()).key.toString(); // "connection/scope/id"
    const QString name = source.siblingAtColumn(RunnersModel::Name).data().toString();
    const QString drift = source.siblingAtColumn(RunnersModel::Drift).data().toString();
    if (QMessageBox::question(this, tr("Restore labels"),
                              tr("Set the custom labels of %1 back to those it was provisioned with?\n\n"
                                 "Drift now: %2\n\nGitHub changes the runner at once; the change is audited.")
                                  .arg(name, drift),
                              QMessageBox::Yes | QMessageBox::Cancel,
                              QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    m_restoreRequest = nextRequestId();
    QMetaObject::invokeMethod(m_github, [github = m_github, id = m_restoreRequest,
                                         connection = key.section(QLatin1Char('/'), 0, 0).toLongLong(),
                                         runner = key.section(QLatin1Char('/'), -1).toLongLong()] {
        github->restoreLabels(id, connection, runner);
    });
}

QDialog *RunnersPane::editPolicy()
{
    const qint64 id = currentConnectionId();
    if (!id) {
        emit addConnectionRequested(ConnectionKind::GitHub);
        return nullptr;
    }
    const auto policy = RunnerPolicyStore::load(Database::connection(), id);
    if (!policy) {
        QMessageBox::warning(this, tr("Label policy"), policy.message());
        return nullptr;
    }
    auto *dialog = new PolicyDialog(m_github, id, policy.value(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

QStringList RunnersPane::screenshotDialogs() const
{
    return {QStringLiteral("new-runner"), QStringLiteral("remove"), QStringLiteral("policy")};
}

QWidget *RunnersPane::openScreenshotDialog(const QString &name)
{
    if (!m_github || !currentConnectionId())
        return nullptr;
    if (name == QLatin1String("new-runner"))
        return newRunner();
    if (name == QLatin1String("policy"))
        return editPolicy();
    if (name == QLatin1String("remove") && m_proxy->rowCount() > 0) {
        m_view->selectRow(0);
        return removeSelected();
    }
    return nullptr;
}

void RunnersPane::showDrift()
{
    // Every runner of the connection against its policy: read and computed off the GUI thread.
    using Plan = Result<QList<DriftItem>>;
    auto *watcher = new QFutureWatcher<Plan>(this);
    connect(watcher, &QFutureWatcher<Plan>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Plan plan = watcher->result();
        if (!plan)
            return (void)QMessageBox::warning(this, tr("Drift"), plan.message());
        showDriftPlan(plan.value(), this);
    });
    watcher->setFuture(
        QtConcurrent::run([id = currentConnectionId()] { return driftPlan(Database::connection(), id); }));
}

QString RunnersPane::detailText() const
{
    return m_detail->toPlainText();
}

void RunnersPane::showDetail()
{
    const QModelIndex current = m_view->currentIndex();
    if (m_gate)
        m_gate->update();
    m_restore->setEnabled(current.isValid() &&
                          !current.siblingAtColumn(RunnersModel::Drift).data().toString().isEmpty() &&
                          !current.siblingAtColumn(RunnersModel::Provisioned).data().toString().isEmpty());
    if (!current.isValid())
        return m_detail->clear();
    const QModelIndex source = m_proxy->mapToSource(current);
    const CacheRow &row = m_model->rowAt(source.row());
    const QString key = row.key.toString(); // "connection/scope/id"
    const auto cell = [&](int column) {
        return source.siblingAtColumn(column).data().toString().toHtmlEscaped();
    };
    const QStringList labels = source.data(RunnersModel::CustomLabelsRole).toStringList();
    const QStringList system = source.data(RunnersModel::SystemLabelsRole).toStringList();
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing=4>").arg(cell(RunnersModel::Name));
    const auto line = [&](const QString &label, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value);
    };
    line(tr("Status"), cell(RunnersModel::Status) + QStringLiteral(", ") + cell(RunnersModel::Busy));
    line(tr("Custom labels"), labels.join(QStringLiteral(", ")).toHtmlEscaped());
    line(tr("System labels"), system.join(QStringLiteral(", ")).toHtmlEscaped());
    line(tr("Drift"), cell(RunnersModel::Drift).isEmpty() ? tr("none") : cell(RunnersModel::Drift));
    line(tr("Provisioned"), cell(RunnersModel::Provisioned).isEmpty() ? tr("not through Opsdeck")
                                                                      : cell(RunnersModel::Provisioned));
    line(tr("Owner"), cell(RunnersModel::Scope) + QStringLiteral(" (") + cell(RunnersModel::Connection) +
                          QLatin1Char(')'));
    html +=
        QStringLiteral("</table><h4>%1</h4><ul>").arg(tr("Opsdeck's actions on this runner").toHtmlEscaped());
    // One small indexed read (audit_events_target) for the selected runner.
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT ts, action, outcome, os_user, comment FROM audit_events WHERE target_kind = 'runner' "
        "AND target_id = ? AND connection_id = ? ORDER BY id DESC LIMIT 50"));
    q.addBindValue(key.section(QLatin1Char('/'), -1));
    q.addBindValue(key.section(QLatin1Char('/'), 0, 0).toLongLong());
    int events = 0;
    if (q.exec())
        while (q.next()) {
            ++events;
            html += QStringLiteral("<li>%1 — %2 (%3) by %4%5</li>")
                        .arg(q.value(0).toString().left(19).replace(QLatin1Char('T'), QLatin1Char(' ')),
                             q.value(1).toString().toHtmlEscaped(), q.value(2).toString(),
                             q.value(3).toString().toHtmlEscaped(),
                             q.value(4).toString().isEmpty()
                                 ? QString()
                                 : QStringLiteral(": ") + q.value(4).toString().toHtmlEscaped());
        }
    if (events == 0)
        html += QStringLiteral("<li>%1</li>").arg(tr("none yet").toHtmlEscaped());
    html += QStringLiteral("</ul>");
    m_detail->setHtml(html);
}

void RunnersPane::refresh()
{
    const QList<qint64> ids = connectionIds();
    if (ids.isEmpty() || !m_github)
        return Pane::refresh(); // says there is nothing to refresh
    for (qint64 id : ids)
        QMetaObject::invokeMethod(m_github, [github = m_github, id] { github->syncRunners(id); });
}

} // namespace opsdeck
