// The budget tree over the cache (schema 18): proxy → organization → team → team member → key,
// users with their personal keys under their organization, and the end customers, each with its
// spend, max budget, what remains, soft budget, reset cadence in words and the next reset, TPM and
// RPM limits, allowed models and a state (blocked, over budget, past its soft budget, near its
// budget). Loaded on a worker thread whenever a LiteLLM table changes, then merged node by node, so
// that selection and expansion survive a sync.
#pragma once

#include "models/core/result.h"
#include "models/store/database.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QFutureWatcher>
#include <QSqlDatabase>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace opsdeck {

enum class BudgetState { NoBudget, Ok, NearBudget, OverSoftBudget, OverBudget, Blocked };

// Over budget once spend reaches the max budget (the proxy refuses from then on); past the soft
// budget once spend reaches it; near the budget from nearFraction of it.
BudgetState budgetState(double spend, const std::optional<double> &maxBudget,
                        const std::optional<double> &softBudget, bool blocked, double nearFraction = 0.8);
QString budgetStateText(BudgetState state);

struct BudgetNode
{
    // Plans: the budget plans of /budget/list (Plan), a template each one on it is held to.
    enum class Kind { Proxy, Organization, Team, Member, User, Key, Customers, Customer, Plans, Plan };
    QString key;       // unique in the tree and stable across syncs
    QString parentKey; // empty: a top-level (proxy) node
    Kind kind = Kind::Proxy;
    qint64 connectionId = 0;
    QString id;     // the organization, team, user, customer or budget id; a key's hash; a member's user id
    QString teamId; // a member's team
    QString name;   // the alias, or the id when there is none
    QString detail; // a key's abbreviation, a user's email, who is on a plan
    double spend = 0;
    std::optional<double> maxBudget;
    std::optional<double> softBudget;
    QString duration; // budget_duration as the proxy keeps it
    QDateTime nextReset;
    std::optional<qint64> tpmLimit;
    std::optional<qint64> rpmLimit;
    QStringList models;
    // The credits factor of the account (organization) the node is under, kept in the workspace
    // (models/budgets/overflow.h): spend × factor = credits charged. nullopt: none set.
    std::optional<double> creditsFactor;
    bool blocked = false;
    QList<int> thresholds; // the alert thresholds that hold (percentages); empty: none apply
    bool ownThresholds = false;
    BudgetState state = BudgetState::NoBudget;
    bool operator==(const BudgetNode &) const = default;
};
QString budgetKindText(BudgetNode::Kind kind);

// Every LiteLLM connection's tree, parents before their children. now: for budgets the proxy has
// not set a reset time for yet (the next one from their cadence).
Result<QList<BudgetNode>> loadBudgetNodes(QSqlDatabase db, const QDateTime &now);

// The budgets that reset within horizon after now, soonest first (the renewal view): organizations,
// teams, team members, users, keys and end customers with a budget and a next reset.
struct Renewal
{
    BudgetNode node;
    qint64 secondsAway = 0;
};
QList<Renewal> upcomingRenewals(const QList<BudgetNode> &nodes, const QDateTime &now, qint64 horizonSeconds);
// "in 3 hours", "in 2 days", "overdue" (a reset the proxy has not run yet).
QString renewalDistance(qint64 secondsAway);

// "$12.34"; below a dollar four decimals ("$0.0042"); negative amounts with a minus sign.
QString usdText(double amount);

class BudgetTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Kind,
        Spend,
        Credits,
        MaxBudget,
        Remaining,
        Used,
        SoftBudget,
        Cadence,
        NextReset,
        Tpm,
        Rpm,
        Models,
        State,
        AlertAt,
        ColumnCount
    };
    enum Roles { SortRole = Qt::UserRole, KeyRole, KindRole, StateRole, ConnectionRole, IdRole, TeamRole };

    explicit BudgetTreeModel(QObject *parent = nullptr);
    ~BudgetTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The node of an index, and the index of a key (invalid when the tree has no such node).
    const BudgetNode *node(const QModelIndex &index) const;
    QModelIndex indexOfKey(const QString &key, int column = 0) const;
    int nodeCount() const;
    // Every node, parents before their children.
    QList<BudgetNode> nodes() const;
    QString lastError() const { return m_lastError; }

    void reload();
    // Applies nodes as if they had been loaded (parents first): removals, updates, inserts.
    void merge(const QList<BudgetNode> &nodes);

signals:
    void loaded();
    void loadFailed(const QString &message);

private:
    struct Item;
    QModelIndex indexOf(const Item *item, int column = 0) const;
    void removeItem(Item *item);
    void forget(Item *item);
    void rebuild(const QList<BudgetNode> &nodes);
    void onLoaded();

    std::unique_ptr<Item> m_root;
    QHash<QString, Item *> m_byKey;
    QFutureWatcher<Result<QList<BudgetNode>>> m_watcher;
    QTimer m_debounce;
    bool m_reloadQueued = false;
    QString m_lastError;
    CancelFlag m_cancel = makeCancelFlag();
};

} // namespace opsdeck
