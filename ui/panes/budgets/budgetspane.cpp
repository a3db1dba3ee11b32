#include "ui/panes/budgets/budgetspane.h"
#include "ui/common/tones.h"
#include <QTableWidget>

#include "ui/common/fitcolumns.h"

#include "models/budgets/budgettree.h"
#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/store/cachenotifier.h"
#include "services/budgets/budgetalerts.h"
#include "services/budgets/litellmservice.h"
#include "ui/panes/budgets/alertstab.h"
#include "ui/panes/budgets/attributiontab.h"
#include "ui/panes/budgets/bindingpanel.h"
#include "ui/panes/budgets/budgetdialogs.h"
#include "ui/panes/budgets/creditstab.h"
#include "ui/panes/budgets/policiestab.h"
#include "ui/panes/budgets/renewaltab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QSqlQuery>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>
#include <functional>

namespace opsdeck {

// Words over every column and a state; a row is shown when it or a row below it matches, so the
// path to a matching key stays visible. Over-budget and blocked rows in red, nearly spent in amber.
class BudgetFilter : public QSortFilterProxyModel
{
public:
    explicit BudgetFilter(QObject *parent) : QSortFilterProxyModel(parent)
    {
        setRecursiveFilteringEnabled(true);
        setSortRole(BudgetTreeModel::SortRole);
        setFilterCaseSensitivity(Qt::CaseInsensitive);
    }
    QList<BudgetState> states; // empty: any
    QStringList words;
    void apply() { invalidateFilter(); }

    QVariant data(const QModelIndex &index, int role) const override
    {
        const int c = index.column();
        const bool figure = c == BudgetTreeModel::Remaining || c == BudgetTreeModel::Used ||
                            c == BudgetTreeModel::State || c == BudgetTreeModel::Spend;
        if (role == Qt::ForegroundRole && figure) {
            switch (BudgetState(index.data(BudgetTreeModel::StateRole).toInt())) {
            case BudgetState::OverBudget:
            case BudgetState::Blocked:
                return toneColour(Tone::Bad);
            case BudgetState::NearBudget:
            case BudgetState::OverSoftBudget:
                return toneColour(Tone::Warning);
            default:
                break;
            }
        }
        if (role == Qt::FontRole && (c == BudgetTreeModel::Name || c == BudgetTreeModel::State)) {
            const auto s = BudgetState(index.data(BudgetTreeModel::StateRole).toInt());
            if (s == BudgetState::OverBudget || s == BudgetState::Blocked) {
                QFont f;
                f.setBold(true);
                return f;
            }
        }
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QModelIndex first = m->index(row, 0, parent);
        if (!states.isEmpty() &&
            !states.contains(BudgetState(first.data(BudgetTreeModel::StateRole).toInt())))
            return false;
        for (const QString &w : words) {
            bool found = false;
            for (int c = 0; c < BudgetTreeModel::ColumnCount && !found; ++c)
                found = m->index(row, c, parent).data().toString().contains(w, Qt::CaseInsensitive) ||
                        (c == 0 && m->index(row, c, parent)
                                       .data(Qt::ToolTipRole)
                                       .toString()
                                       .contains(w, Qt::CaseInsensitive));
            if (!found)
                return false;
        }
        return true;
    }
};

Pane::Info BudgetsPane::describe()
{
    return {QStringLiteral("budgets"),
            tr("Budgets"),
            QStringLiteral("office-chart-line"),
            {ConnectionKind::LiteLLM},
            tr("LLM budgets and spend"),
            tr("This pane shows the budgets of teams, users and keys on your LiteLLM proxy, their "
               "inheritance, and the spend against them over time.")};
}

BudgetsPane::BudgetsPane(ConnectionsModel *connections, LiteLLMService *service, AppSettings *settings,
                         QWidget *parent, WorkspaceService *workspace)
    : Pane(describe(), connections, parent), m_service(service), m_tree(new BudgetTreeModel(this)),
      m_proxy(new BudgetFilter(this))
{
    auto *content = new QWidget(this);
    m_tabs = new QTabWidget(content);
    m_tabs->setObjectName(QStringLiteral("budgetsTabs"));
    m_tabs->addTab(buildBudgetsTab(), tr("&Budgets"));
    m_spend = new AttributionTab(settings, content);
    m_tabs->addTab(m_spend, tr("&Spend"));
    m_renewals = new RenewalTab(m_tree, content);
    m_tabs->addTab(m_renewals, tr("&Renewals"));
    m_alerts = new AlertsTab(service, content);
    m_tabs->addTab(m_alerts, tr("A&lerts"));
    m_policies = new PoliciesTab(workspace, service, content);
    m_tabs->addTab(m_policies, tr("&Policies"));
    m_credits = new CreditsTab(workspace, content);
    m_tabs->addTab(m_credits, tr("&Credits && Overflow"));
    connect(m_policies, &PoliciesTab::message, this, &BudgetsPane::showMessage);
    connect(m_credits, &CreditsTab::message, this, &BudgetsPane::showMessage);
    connect(m_alerts, &AlertsTab::openCountChanged, this, [this](int open) {
        m_tabs->setTabText(m_tabs->indexOf(m_alerts),
                           open > 0 ? tr("A&lerts (%1)").arg(open) : tr("A&lerts"));
    });
    m_syncState = new QLabel(content);
    m_syncState->setObjectName(QStringLiteral("budgetsSyncState"));
    m_syncState->setForegroundRole(QPalette::PlaceholderText);
    m_progress = new QProgressBar(content);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(tr("Syncing… %p%"));
    m_progress->hide();
    m_message = new QLabel(content);
    m_message->setObjectName(QStringLiteral("budgetsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *status = new QHBoxLayout;
    status->addWidget(m_syncState, 1);
    status->addWidget(m_progress);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(status);
    layout->addWidget(m_message);

    connect(m_tree, &BudgetTreeModel::loaded, this, [this, content] {
        if (!isContentShown() && m_tree->nodeCount() > 0)
            setContent(content);
        if (!m_expanded && m_tree->nodeCount() > 0) {
            // The first fill opens proxies, organizations and teams; keys stay folded.
            m_expanded = true;
            m_view->expandToDepth(1);
        }
    });
    connect(m_tree, &BudgetTreeModel::loadFailed, this, [this](const QString &message) {
        showMessage(tr("Cannot read the budgets: %1").arg(message), true);
    });
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(Tables::syncState))
                    updateSyncState();
            });
    if (m_service) {
        connect(m_service, &LiteLLMService::syncStarted, this, [this] {
            m_progress->setValue(0);
            m_progress->show();
        });
        connect(m_service, &LiteLLMService::syncProgress, this,
                [this](qint64, int percent) { m_progress->setValue(percent); });
        connect(m_service, &LiteLLMService::alertsRaised, this, [this](qint64, const QStringList &alerts) {
            // In the window's status bar too: the pane may not be the one shown.
            const QString text =
                alerts.size() == 1
                    ? tr("Budget alert: %1").arg(alerts.first())
                    : tr("%1 budget alerts; the first: %2").arg(alerts.size()).arg(alerts.first());
            showMessage(text, true);
            if (auto *main = qobject_cast<QMainWindow *>(window()))
                main->statusBar()->showMessage(text, 60000);
        });
        connect(m_service, &LiteLLMService::thresholdsSet, this,
                [this](qint64, const Outcome &outcome) { showMessage(outcome.message, !outcome.ok); });
        connect(m_service, &LiteLLMService::changeFinished, this, [this](quint64 id, const Outcome &outcome) {
            if (m_changes.remove(id))
                showMessage(outcome.message, !outcome.ok);
        });
        connect(m_service, &LiteLLMService::syncFinished, this, [this](qint64, const Outcome &outcome) {
            m_progress->hide();
            updateSyncState();
            showMessage(outcome.message, !outcome.ok);
        });
    }
    connect(m_connections, &QAbstractItemModel::modelReset, this, &BudgetsPane::updateProxies);
    connect(m_connections, &QAbstractItemModel::rowsInserted, this, &BudgetsPane::updateProxies);
    connect(m_connections, &QAbstractItemModel::rowsRemoved, this, &BudgetsPane::updateProxies);
    connect(m_connections, &QAbstractItemModel::dataChanged, this, &BudgetsPane::updateProxies);
    m_tree->reload();
    updateSyncState();
    updateProxies();
}

void BudgetsPane::updateProxies()
{
    QList<std::pair<qint64, QString>> proxies;
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const Connection c = m_connections->connectionAt(row);
        if (c.kind == ConnectionKind::LiteLLM)
            proxies.append({c.id, c.name});
    }
    m_spend->setProxies(proxies);
}

QWidget *BudgetsPane::buildBudgetsTab()
{
    auto *tab = new QWidget(this);
    m_filter = new QLineEdit(tab);
    m_filter->setPlaceholderText(tr("Filter by name, kind, model, state or any figure"));
    m_filter->setAccessibleName(m_filter->placeholderText());
    m_filter->setClearButtonEnabled(true);
    m_state = new QComboBox(tab);
    m_state->setObjectName(QStringLiteral("budgetStateFilter"));
    m_state->addItem(tr("All budgets"), QVariantList());
    m_state->addItem(tr("Needing attention"),
                     QVariantList{int(BudgetState::NearBudget), int(BudgetState::OverSoftBudget),
                                  int(BudgetState::OverBudget), int(BudgetState::Blocked)});
    m_state->addItem(tr("Over budget or blocked"),
                     QVariantList{int(BudgetState::OverBudget), int(BudgetState::Blocked)});
    m_state->addItem(tr("Near or past the soft budget"),
                     QVariantList{int(BudgetState::NearBudget), int(BudgetState::OverSoftBudget)});
    m_state->addItem(tr("Without a budget"), QVariantList{int(BudgetState::NoBudget)});
    m_proxy->setSourceModel(m_tree);
    m_view = new QTreeView(tab);
    m_view->setObjectName(QStringLiteral("budgetTree"));
    m_view->setAccessibleName(tr("Budgets"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(BudgetTreeModel::Name, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    const int w = m_view->fontMetrics().averageCharWidth();
    m_view->setColumnWidth(BudgetTreeModel::Name, 34 * w);
    m_view->setColumnWidth(BudgetTreeModel::Kind, 18 * w);
    for (int c : {BudgetTreeModel::Spend, BudgetTreeModel::MaxBudget, BudgetTreeModel::Remaining,
                  BudgetTreeModel::SoftBudget})
        m_view->setColumnWidth(c, 12 * w);
    m_view->setColumnWidth(BudgetTreeModel::Used, 7 * w);
    m_view->setColumnWidth(BudgetTreeModel::Cadence, 22 * w);
    m_view->setColumnWidth(BudgetTreeModel::NextReset, 18 * w);
    m_view->setColumnWidth(BudgetTreeModel::Models, 24 * w);
    keepTitlesWhole(m_view->header());
    m_binding = new BindingPanel(tab);
    auto *splitter = new QSplitter(Qt::Vertical, tab);
    splitter->addWidget(m_view);
    splitter->addWidget(m_binding);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    m_change = new QPushButton(tr("C&hange…"), tab);
    m_change->setToolTip(
        tr("Change the max or soft budget, the cadence, the limits or the models on the proxy"));
    m_block = new QPushButton(tr("Bloc&k…"), tab);
    m_delete = new QPushButton(tr("&Delete…"), tab);
    m_thresholds = new QPushButton(tr("Alert &Thresholds…"), tab);
    m_thresholds->setToolTip(
        tr("The percentages of the selected budget that raise an alert (a proxy: every budget)"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_state);
    bar->addWidget(m_change);
    bar->addWidget(m_block);
    bar->addWidget(m_delete);
    bar->addWidget(m_thresholds);
    connect(m_change, &QPushButton::clicked, this, &BudgetsPane::openChange);
    connect(m_block, &QPushButton::clicked, this, &BudgetsPane::toggleBlock);
    connect(m_delete, &QPushButton::clicked, this, &BudgetsPane::openDelete);
    connect(m_thresholds, &QPushButton::clicked, this, &BudgetsPane::openThresholds);
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        m_proxy->apply();
        if (!text.isEmpty())
            m_view->expandAll();
    });
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->states.clear();
        for (const QVariant &v : m_state->currentData().toList())
            m_proxy->states << BudgetState(v.toInt());
        m_proxy->apply();
        if (!m_proxy->states.isEmpty())
            m_view->expandAll();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BudgetsPane::showBinding);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BudgetsPane::updateButtons);
    connect(m_tree, &QAbstractItemModel::dataChanged, this, &BudgetsPane::updateButtons);
    updateButtons();
    return tab;
}

const BudgetNode *BudgetsPane::selectedNode() const
{
    return m_tree->node(m_proxy->mapToSource(m_view->currentIndex()));
}

void BudgetsPane::updateButtons()
{
    const BudgetNode *n = selectedNode();
    const BudgetFields can = n ? editableFields(n->kind) : BudgetFields();
    const bool live = m_service != nullptr;
    m_change->setEnabled(live && can.any());
    m_block->setEnabled(live && can.block);
    m_block->setText(n && n->blocked ? tr("Unbloc&k…") : tr("Bloc&k…"));
    m_delete->setEnabled(live && can.remove);
    m_thresholds->setEnabled(live && n &&
                             (n->kind == BudgetNode::Kind::Proxy ||
                              n->kind == BudgetNode::Kind::Organization ||
                              n->kind == BudgetNode::Kind::Team || n->kind == BudgetNode::Kind::User ||
                              n->kind == BudgetNode::Kind::Key));
    const QString why = !live ? tr("This window only reads the cache") : QString();
    if (n && !can.any() && live)
        m_change->setToolTip(tr("The proxy's API offers no change to a %1").arg(targetKindId(n->kind)));
    else
        m_change->setToolTip(why.isEmpty()
                                 ? tr("Change the max or soft budget, the cadence, the limits or the models "
                                      "on the proxy")
                                 : why);
}

void BudgetsPane::sendChange(const ProxyChange &change)
{
    const BudgetNode *n = selectedNode();
    if (!m_service || !n)
        return;
    const quint64 id = m_nextChange++;
    m_changes.insert(id);
    QMetaObject::invokeMethod(m_service, [service = m_service, id, cid = n->connectionId, change] {
        service->applyChange(id, cid, change);
    });
    showMessage(tr("Sending to the proxy: %1").arg(change.summary));
}

void BudgetsPane::openChange()
{
    const BudgetNode *n = selectedNode();
    if (!n)
        return;
    BudgetEditDialog dialog(*n, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto change = dialog.change();
    if (!change)
        return showMessage(change.message(), true);
    if (QMessageBox::question(this, tr("Change the Budget"),
                              change->summary + QStringLiteral("\n\n") +
                                  tr("Send this change to the proxy?")) != QMessageBox::Yes)
        return;
    sendChange(change.value());
}

void BudgetsPane::toggleBlock()
{
    const BudgetNode *n = selectedNode();
    if (!n)
        return;
    const auto change = blockChange(*n, !n->blocked);
    if (!change)
        return showMessage(change.message(), true);
    if (QMessageBox::question(this, n->blocked ? tr("Unblock") : tr("Block"), change->summary) !=
        QMessageBox::Yes)
        return;
    sendChange(change.value());
}

void BudgetsPane::openThresholds()
{
    const BudgetNode *n = selectedNode();
    if (!n)
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(
        this, tr("Alert Thresholds"),
        n->kind == BudgetNode::Kind::Proxy
            ? tr("Percentages of every budget on %1 that raise an alert (budgets with their own keep them):")
                  .arg(n->name)
            : tr("Percentages of the budget of %1 %2 that raise an alert (empty: the proxy's):")
                  .arg(targetKindId(n->kind), n->name),
        QLineEdit::Normal, n->thresholds.isEmpty() ? QString() : BudgetAlerts::thresholdsText(n->thresholds),
        &ok);
    if (ok)
        setThresholds(text);
}

void BudgetsPane::setThresholds(const QString &text)
{
    const BudgetNode *n = selectedNode();
    if (!n || !m_service)
        return;
    QList<int> thresholds;
    if (!text.trimmed().isEmpty() || n->kind == BudgetNode::Kind::Proxy) {
        const auto parsed = BudgetAlerts::parseThresholds(text);
        if (!parsed)
            return showMessage(parsed.message(), true);
        thresholds = parsed.value();
    }
    const QString kind = n->kind == BudgetNode::Kind::Proxy ? QStringLiteral("*") : targetKindId(n->kind);
    const QString id = n->kind == BudgetNode::Kind::Proxy ? QString() : n->id;
    QMetaObject::invokeMethod(m_service, [service = m_service, cid = n->connectionId, kind, id, thresholds] {
        service->setThresholds(cid, kind, id, thresholds);
    });
}

void BudgetsPane::openDelete()
{
    const BudgetNode *n = selectedNode();
    if (!n)
        return;
    const auto change = deleteChange(*n);
    if (!change)
        return showMessage(change.message(), true);
    const auto scope = deletionScope(n->connectionId, *n);
    if (!scope)
        return showMessage(scope.message(), true);
    BudgetDeleteDialog preview(*n, scope.value(), this);
    if (preview.exec() != QDialog::Accepted)
        return;
    // Asked again: a deletion cannot be undone.
    QMessageBox confirm(QMessageBox::Warning, tr("Delete"),
                        tr("%1\n\nThis cannot be undone. Delete now?").arg(change->summary),
                        QMessageBox::Cancel, this);
    confirm.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    confirm.setDefaultButton(QMessageBox::Cancel);
    confirm.exec();
    if (confirm.buttonRole(confirm.clickedButton()) != QMessageBox::DestructiveRole)
        return;
    sendChange(change.value());
}

QSortFilterProxyModel *BudgetsPane::treeProxy() const
{
    return m_proxy;
}

bool BudgetsPane::selectKey(const QString &key)
{
    const QModelIndex source = m_tree->indexOfKey(key);
    const QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    m_view->scrollTo(index);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    return true;
}

QStringList BudgetsPane::extraViews() const
{
    return {QStringLiteral("binding"), QStringLiteral("spend"), QStringLiteral("alerts"),
            QStringLiteral("policies"), QStringLiteral("credits")};
}

void BudgetsPane::showView(const QString &view)
{
    const QHash<QString, QWidget *> tabs = {{QStringLiteral("spend"), m_spend},
                                            {QStringLiteral("alerts"), m_alerts},
                                            {QStringLiteral("policies"), m_policies},
                                            {QStringLiteral("credits"), m_credits}};
    m_tabs->setCurrentWidget(tabs.value(view, m_tabs->widget(0)));
    if (view != QLatin1String("binding")) {
        m_view->selectionModel()->clear();
        return;
    }
    // The first key under a member or team that is over its budget; else the first key.
    QString chosen;
    QString fallback;
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int row = 0; row < m_tree->rowCount(parent) && chosen.isEmpty(); ++row) {
            const QModelIndex index = m_tree->index(row, 0, parent);
            const BudgetNode *n = m_tree->node(index);
            if (n->kind == BudgetNode::Kind::Key) {
                const BudgetNode *above = m_tree->node(parent);
                if (fallback.isEmpty())
                    fallback = n->key;
                if (above && above->state == BudgetState::OverBudget)
                    chosen = n->key;
            }
            walk(index);
        }
    };
    walk({});
    selectKey(chosen.isEmpty() ? fallback : chosen);
}

void BudgetsPane::showBinding()
{
    const BudgetNode *n = m_tree->node(m_proxy->mapToSource(m_view->currentIndex()));
    if (!n)
        return m_binding->clear(
            tr("Select a key, a user, a team or a team member to see which limit stops its requests."));
    BudgetSubject s;
    switch (n->kind) {
    case BudgetNode::Kind::Key:
        s.kind = BudgetSubject::Kind::Key;
        break;
    case BudgetNode::Kind::User:
        s.kind = BudgetSubject::Kind::User;
        break;
    case BudgetNode::Kind::Team:
        s.kind = BudgetSubject::Kind::Team;
        break;
    case BudgetNode::Kind::Member:
        s.kind = BudgetSubject::Kind::Member;
        s.teamId = n->teamId;
        break;
    default:
        return m_binding->clear(tr("%1 %2 has no chain of limits of its own: select a key, a user, a team or "
                                   "a team member below it.")
                                    .arg(budgetKindText(n->kind), n->name));
    }
    s.id = n->id;
    m_binding->setSubject(n->connectionId, s);
}

void BudgetsPane::refresh()
{
    const QList<qint64> ids = connectionIds();
    if (!m_service || ids.isEmpty())
        return Pane::refresh();
    for (qint64 id : ids)
        QMetaObject::invokeMethod(m_service, [service = m_service, id] { service->syncBudgets(id); });
    showMessage(tr("Syncing %n LiteLLM prox(y/ies)…", nullptr, int(ids.size())));
}

void BudgetsPane::updateSyncState()
{
    // Each proxy's last sync, as the status bar has it: when, or what went wrong.
    const QString state = syncStateText(LiteLLMService::scope);
    m_syncState->setText(state.isEmpty() ? tr("No LiteLLM connection: add one to see its budgets.") : state);
}

QString BudgetsPane::messageText() const
{
    return m_message->text();
}

void BudgetsPane::showMessage(const QString &text, bool problem)
{
    m_message->setText(text);
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText,
                     problem ? palette.color(QPalette::LinkVisited) : QPalette().color(QPalette::WindowText));
    m_message->setPalette(palette);
}

bool BudgetsPane::revealItem(const QString &target)
{
    if (target != QLatin1String("alerts") && !target.startsWith(QLatin1String("alert:")))
        return false;
    showView(QStringLiteral("alerts"));
    if (target == QLatin1String("alerts"))
        return true;
    QTableWidget *table = m_alerts->table();
    const qint64 id = target.mid(6).toLongLong();
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0) && table->item(row, 0)->data(Qt::UserRole).toLongLong() == id)
            return selectSourceRow(table, table->model(), row);
    return false;
}

QStringList BudgetsPane::screenshotDialogs() const
{
    return {QStringLiteral("change")};
}

QWidget *BudgetsPane::openScreenshotDialog(const QString &name)
{
    // The first team's budget: the fields a team has (max and soft budget, cadence, limits, models).
    const BudgetNode *node = nullptr;
    for (int row = 0; row < m_tree->rowCount() && !node; ++row) {
        const QModelIndex top = m_tree->index(row, 0);
        for (int child = 0; child < m_tree->rowCount(top) && !node; ++child)
            if (const BudgetNode *n = m_tree->node(m_tree->index(child, 0, top));
                n && editableFields(n->kind).any())
                node = n;
    }
    if (name != QLatin1String("change") || !node)
        return nullptr;
    auto *dialog = new BudgetEditDialog(*node, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

} // namespace opsdeck
