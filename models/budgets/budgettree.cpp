#include "models/budgets/budgettree.h"

#include "models/budgets/budgetreset.h"
#include "models/budgets/overflow.h"
#include "models/connections/connectionstore.h"
#include "models/store/cachenotifier.h"

#include <QtConcurrent/QtConcurrentRun>

#include <functional>

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::BudgetTreeModel)
};

const QStringList watched = {QStringLiteral("litellm_organizations"),
                             QStringLiteral("litellm_teams"),
                             QStringLiteral("litellm_team_members"),
                             QStringLiteral("litellm_users"),
                             QStringLiteral("litellm_keys"),
                             QStringLiteral("litellm_customers"),
                             QStringLiteral("connections"),
                             QStringLiteral("budget_thresholds"),
                             QStringLiteral("workspace_budget_credits")};

} // namespace

BudgetState budgetState(double spend, const std::optional<double> &maxBudget,
                        const std::optional<double> &softBudget, bool blocked, double nearFraction)
{
    if (blocked)
        return BudgetState::Blocked;
    if (maxBudget && spend >= *maxBudget)
        return BudgetState::OverBudget;
    if (softBudget && spend >= *softBudget)
        return BudgetState::OverSoftBudget;
    if (maxBudget && spend >= *maxBudget * nearFraction)
        return BudgetState::NearBudget;
    return maxBudget || softBudget ? BudgetState::Ok : BudgetState::NoBudget;
}

QString budgetStateText(BudgetState state)
{
    switch (state) {
    case BudgetState::NoBudget:
        return Tr::tr("No budget");
    case BudgetState::Ok:
        return Tr::tr("Within budget");
    case BudgetState::NearBudget:
        return Tr::tr("Near budget");
    case BudgetState::OverSoftBudget:
        return Tr::tr("Past soft budget");
    case BudgetState::OverBudget:
        return Tr::tr("Over budget");
    case BudgetState::Blocked:
        return Tr::tr("Blocked");
    }
    return {};
}

QString budgetKindText(BudgetNode::Kind kind)
{
    switch (kind) {
    case BudgetNode::Kind::Proxy:
        return Tr::tr("Proxy");
    case BudgetNode::Kind::Organization:
        return Tr::tr("Organization");
    case BudgetNode::Kind::Team:
        return Tr::tr("Team");
    case BudgetNode::Kind::Member:
        return Tr::tr("Team member");
    case BudgetNode::Kind::User:
        return Tr::tr("User");
    case BudgetNode::Kind::Key:
        return Tr::tr("Key");
    case BudgetNode::Kind::Customers:
        return Tr::tr("End customers");
    case BudgetNode::Kind::Customer:
        return Tr::tr("End customer");
    case BudgetNode::Kind::Plans:
        return Tr::tr("Budget plans");
    case BudgetNode::Kind::Plan:
        return Tr::tr("Budget plan");
    }
    return {};
}

QString usdText(double amount)
{
    const QString digits =
        QLocale().toString(std::abs(amount), 'f', std::abs(amount) < 1 && amount != 0 ? 4 : 2);
    return (amount < 0 ? QStringLiteral("−$") : QStringLiteral("$")) + digits;
}

// --- the model ---------------------------------------------------------------------------------

struct BudgetTreeModel::Item
{
    BudgetNode node;
    Item *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Item>> children;

    void renumber(size_t from = 0)
    {
        for (size_t i = from; i < children.size(); ++i)
            children[i]->row = int(i);
    }
};

BudgetTreeModel::BudgetTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Item>())
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(30);
    connect(&m_debounce, &QTimer::timeout, this, &BudgetTreeModel::reload);
    connect(&m_watcher, &QFutureWatcher<Result<QList<BudgetNode>>>::finished, this,
            &BudgetTreeModel::onLoaded);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                for (const QString &t : tables)
                    if (watched.contains(t))
                        return m_debounce.start();
            });
}

BudgetTreeModel::~BudgetTreeModel()
{
    m_watcher.disconnect(this);
    m_cancel->store(true);
    m_watcher.waitForFinished();
}

QModelIndex BudgetTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Item *p = parent.isValid() ? static_cast<const Item *>(parent.internalPointer()) : m_root.get();
    return createIndex(row, column, p->children.at(size_t(row)).get());
}

QModelIndex BudgetTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Item *item = static_cast<const Item *>(child.internalPointer());
    return indexOf(item->parent);
}

QModelIndex BudgetTreeModel::indexOf(const Item *item, int column) const
{
    if (!item || item == m_root.get())
        return {};
    return createIndex(item->row, column, const_cast<Item *>(item));
}

int BudgetTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const Item *p = parent.isValid() ? static_cast<const Item *>(parent.internalPointer()) : m_root.get();
    return int(p->children.size());
}

int BudgetTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

const BudgetNode *BudgetTreeModel::node(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return &static_cast<const Item *>(index.internalPointer())->node;
}

QModelIndex BudgetTreeModel::indexOfKey(const QString &key, int column) const
{
    return indexOf(m_byKey.value(key), column);
}

int BudgetTreeModel::nodeCount() const
{
    return int(m_byKey.size());
}

QList<BudgetNode> BudgetTreeModel::nodes() const
{
    QList<BudgetNode> out;
    out.reserve(m_byKey.size());
    std::function<void(const Item *)> walk = [&](const Item *item) {
        for (const auto &child : item->children) {
            out << child->node;
            walk(child.get());
        }
    };
    walk(m_root.get());
    return out;
}

QList<Renewal> upcomingRenewals(const QList<BudgetNode> &nodes, const QDateTime &now, qint64 horizonSeconds)
{
    QList<Renewal> out;
    for (const BudgetNode &n : nodes) {
        if (!n.maxBudget || !n.nextReset.isValid() || n.kind == BudgetNode::Kind::Proxy ||
            n.kind == BudgetNode::Kind::Customers || n.kind == BudgetNode::Kind::Plans)
            continue;
        const qint64 away = now.secsTo(n.nextReset);
        if (away <= horizonSeconds)
            out << Renewal{n, away};
    }
    std::stable_sort(out.begin(), out.end(), [](const Renewal &a, const Renewal &b) {
        return a.secondsAway != b.secondsAway ? a.secondsAway < b.secondsAway : a.node.name < b.node.name;
    });
    return out;
}

QString renewalDistance(qint64 secondsAway)
{
    if (secondsAway < 0)
        return Tr::tr("overdue");
    if (secondsAway < 3600)
        return Tr::tr("in %1 min").arg(qMax<qint64>(1, secondsAway / 60));
    if (secondsAway < 2 * 86400)
        return Tr::tr("in %1 h").arg(secondsAway / 3600);
    return Tr::tr("in %1 days").arg(secondsAway / 86400);
}

QVariant BudgetTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const BudgetNode &n = static_cast<const Item *>(index.internalPointer())->node;
    const auto remaining = [&n]() -> std::optional<double> {
        return n.maxBudget ? std::optional<double>(*n.maxBudget - n.spend) : std::nullopt;
    };
    const bool group = n.kind == BudgetNode::Kind::Customers || n.kind == BudgetNode::Kind::Plans;
    // A plan's limits hold for each one on it, not for their sum: it has no remaining or state.
    const bool plan = n.kind == BudgetNode::Kind::Plan || n.kind == BudgetNode::Kind::Plans;
    switch (role) {
    case KeyRole:
        return n.key;
    case KindRole:
        return int(n.kind);
    case StateRole:
        return int(n.state);
    case ConnectionRole:
        return n.connectionId;
    case IdRole:
        return n.id;
    case TeamRole:
        return n.teamId;
    case SortRole:
        switch (index.column()) {
        case Name: {
            // Under a proxy: organizations, teams, members, users, keys, the end customers, then the
            // budget plans.
            static const char ranks[] = {'0', '0', '1', '2', '3', '4', '5', '6', '7', '8'};
            return QLatin1Char(ranks[int(n.kind)]) + n.name.toLower();
        }
        case Kind:
            return int(n.kind);
        case Spend:
            return n.spend;
        case Credits:
            return n.creditsFactor ? QVariant(n.spend * *n.creditsFactor) : QVariant(-1.0);
        case MaxBudget:
            return n.maxBudget ? QVariant(*n.maxBudget) : QVariant(-1.0);
        case Remaining:
            return remaining() ? QVariant(*remaining()) : QVariant(1e300);
        case Used:
            return n.maxBudget && *n.maxBudget > 0 ? QVariant(n.spend / *n.maxBudget) : QVariant(-1.0);
        case SoftBudget:
            return n.softBudget ? QVariant(*n.softBudget) : QVariant(-1.0);
        case Cadence:
            return n.duration;
        case NextReset:
            return n.nextReset;
        case Tpm:
            return n.tpmLimit ? QVariant(*n.tpmLimit) : QVariant(qint64(-1));
        case Rpm:
            return n.rpmLimit ? QVariant(*n.rpmLimit) : QVariant(qint64(-1));
        case Models:
            return n.models.join(QLatin1Char(','));
        case State:
            return int(n.state);
        case AlertAt:
            return n.thresholds.isEmpty() ? -1 : n.thresholds.first();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Name && !n.detail.isEmpty())
            return QStringLiteral("%1 (%2)").arg(n.name, n.detail);
        if (index.column() == Spend && n.kind == BudgetNode::Kind::Plan)
            return Tr::tr("The spend of those on the plan together; each is held to the plan's limits "
                          "on its own, and all of it returns to zero at the plan's next reset");
        if (index.column() == Cadence && !n.duration.isEmpty())
            return Tr::tr("budget_duration %1").arg(n.duration);
        if (index.column() == Models && !n.models.isEmpty())
            return n.models.join(QLatin1Char('\n'));
        if ((index.column() == Credits || index.column() == Spend) && n.creditsFactor)
            return Tr::tr("%1 × the account's credits factor %2 = %3")
                .arg(usdText(n.spend), QLocale().toString(*n.creditsFactor, 'g', 6),
                     creditsText(n.spend * *n.creditsFactor));
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Spend:
        case Credits:
        case MaxBudget:
        case Remaining:
        case Used:
        case SoftBudget:
        case Tpm:
        case Rpm:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return n.name;
        case Kind:
            return n.kind == BudgetNode::Kind::Member && !n.detail.isEmpty()
                       ? Tr::tr("Team member (%1)").arg(n.detail)
                       : budgetKindText(n.kind);
        case Spend:
            // The plans' spend is their members' again: the group adds nothing up.
            return n.kind == BudgetNode::Kind::Plans ? QString() : usdText(n.spend);
        case Credits:
            return n.creditsFactor ? QLocale().toString(n.spend * *n.creditsFactor, 'f', 2) : QString();
        case MaxBudget:
            return n.maxBudget ? usdText(*n.maxBudget) : QString();
        case Remaining:
            return remaining() && !plan ? usdText(*remaining()) : QString();
        case Used:
            return n.maxBudget && *n.maxBudget > 0 && !plan
                       ? QLocale().toString(100.0 * n.spend / *n.maxBudget, 'f', 0) + QLatin1Char('%')
                       : QString();
        case SoftBudget:
            return n.softBudget ? usdText(*n.softBudget) : QString();
        case Cadence: {
            if (n.duration.isEmpty())
                return QString();
            const auto cadence = parseBudgetDuration(n.duration);
            return cadence ? cadence->text() : n.duration;
        }
        case NextReset:
            return n.nextReset.isValid() ? QLocale().toString(n.nextReset.toLocalTime(), QLocale::ShortFormat)
                                         : QString();
        case Tpm:
            return n.tpmLimit ? QLocale().toString(*n.tpmLimit) : QString();
        case Rpm:
            return n.rpmLimit ? QLocale().toString(*n.rpmLimit) : QString();
        case Models:
            if (group || plan || n.kind == BudgetNode::Kind::Member || n.kind == BudgetNode::Kind::Customer ||
                n.kind == BudgetNode::Kind::Proxy)
                return QString();
            return n.models.isEmpty() ? Tr::tr("all models") : n.models.join(QStringLiteral(", "));
        case State:
            return group || plan ? QString() : budgetStateText(n.state);
        case AlertAt: {
            if (n.thresholds.isEmpty())
                return QString();
            QStringList parts;
            for (int p : n.thresholds)
                parts << QString::number(p);
            const QString text = parts.join(QStringLiteral(", ")) + QStringLiteral(" %");
            return n.ownThresholds && n.kind != BudgetNode::Kind::Proxy ? Tr::tr("%1 (own)").arg(text) : text;
        }
        }
        return {};
    default:
        return {};
    }
}

QVariant BudgetTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return Tr::tr("Name");
    case Kind:
        return Tr::tr("Kind");
    case Spend:
        return Tr::tr("Spend");
    case Credits:
        return Tr::tr("Credits");
    case MaxBudget:
        return Tr::tr("Max budget");
    case Remaining:
        return Tr::tr("Remaining");
    case Used:
        return Tr::tr("Used");
    case SoftBudget:
        return Tr::tr("Soft budget");
    case Cadence:
        return Tr::tr("Resets");
    case NextReset:
        return Tr::tr("Next reset");
    case Tpm:
        return Tr::tr("TPM");
    case Rpm:
        return Tr::tr("RPM");
    case Models:
        return Tr::tr("Models");
    case State:
        return Tr::tr("State");
    case AlertAt:
        return Tr::tr("Alerts at");
    }
    return {};
}

void BudgetTreeModel::reload()
{
    if (m_watcher.isRunning()) {
        m_reloadQueued = true;
        return;
    }
    m_watcher.setFuture(QtConcurrent::run([cancel = m_cancel]() -> Result<QList<BudgetNode>> {
        QSqlDatabase db = Database::connection();
        if (!db.isOpen())
            return makeError("db.closed", Tr::tr("The cache database is not open."));
        ReadCancelScope scope(db, cancel);
        return loadBudgetNodes(db, QDateTime::currentDateTimeUtc());
    }));
}

void BudgetTreeModel::onLoaded()
{
    const auto result = m_watcher.result();
    if (result) {
        m_lastError.clear();
        merge(result.value());
        emit loaded();
    } else {
        m_lastError = result.message();
        emit loadFailed(m_lastError);
    }
    if (m_reloadQueued) {
        m_reloadQueued = false;
        reload();
    }
}

void BudgetTreeModel::forget(Item *item)
{
    m_byKey.remove(item->node.key);
    for (auto &child : item->children)
        forget(child.get());
}

void BudgetTreeModel::removeItem(Item *item)
{
    Item *parent = item->parent;
    const int row = item->row;
    beginRemoveRows(indexOf(parent), row, row);
    forget(item);
    parent->children.erase(parent->children.begin() + row);
    parent->renumber(size_t(row));
    endRemoveRows();
}

void BudgetTreeModel::rebuild(const QList<BudgetNode> &nodes)
{
    beginResetModel();
    m_root = std::make_unique<Item>();
    m_byKey.clear();
    for (const BudgetNode &n : nodes) {
        Item *parent = m_byKey.value(n.parentKey, m_root.get());
        auto item = std::make_unique<Item>();
        item->node = n;
        item->parent = parent;
        item->row = int(parent->children.size());
        m_byKey.insert(n.key, item.get());
        parent->children.push_back(std::move(item));
    }
    endResetModel();
}

void BudgetTreeModel::merge(const QList<BudgetNode> &nodes)
{
    constexpr qsizetype largeArrival = 2000;
    QHash<QString, const BudgetNode *> incoming;
    incoming.reserve(nodes.size());
    for (const BudgetNode &n : nodes)
        incoming.insert(n.key, &n);
    qsizetype known = 0;
    for (const BudgetNode &n : nodes)
        known += m_byKey.contains(n.key) ? 1 : 0;
    if (m_byKey.isEmpty() || nodes.size() - known > largeArrival)
        return rebuild(nodes);

    // Removals: nodes gone, or moved to another parent (inserted again below).
    QList<Item *> gone;
    for (Item *item : std::as_const(m_byKey)) {
        const BudgetNode *n = incoming.value(item->node.key);
        if (!n || n->parentKey != item->node.parentKey)
            gone << item;
    }
    QSet<QString> goneKeys;
    for (Item *item : std::as_const(gone))
        goneKeys.insert(item->node.key);
    // A node whose ancestor goes too leaves with it: only the topmost are removed (decided before
    // any removal frees the items below them).
    QList<Item *> topmost;
    for (Item *item : std::as_const(gone)) {
        bool withAncestor = false;
        for (Item *p = item->parent; p && p != m_root.get(); p = p->parent)
            withAncestor = withAncestor || goneKeys.contains(p->node.key);
        if (!withAncestor)
            topmost << item;
    }
    for (Item *item : std::as_const(topmost))
        removeItem(item);
    // Updates and inserts, parents first.
    for (const BudgetNode &n : nodes) {
        if (Item *item = m_byKey.value(n.key)) {
            if (!(item->node == n)) {
                item->node = n;
                emit dataChanged(indexOf(item, 0), indexOf(item, ColumnCount - 1));
            }
            continue;
        }
        Item *parent = m_byKey.value(n.parentKey, m_root.get());
        const int row = int(parent->children.size());
        beginInsertRows(indexOf(parent), row, row);
        auto item = std::make_unique<Item>();
        item->node = n;
        item->parent = parent;
        item->row = row;
        m_byKey.insert(n.key, item.get());
        parent->children.push_back(std::move(item));
        endInsertRows();
    }
}

} // namespace opsdeck
