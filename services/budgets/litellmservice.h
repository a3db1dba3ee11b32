// The LiteLLM service (one worker thread): syncs each LiteLLM connection's proxy into the cache
// (schemas 18 and 19, scope "budgets"): organizations, teams with their members, end customers,
// users and keys page by page, the spend logs incrementally from the latest row the cache holds
// (less an overlap; every row kept once), and the proxy's own daily totals (/user/daily/activity,
// from two days before the latest it gave; a proxy without the route is noted, not failed). Gentle
// on the proxy, whose own database serves these routes: one request at a time, bounded pages. One cache
// transaction with its sync.complete event, then the change notice; a failed sync keeps the last good copy
// and records sync.failed.
#pragma once

#include "models/audit/auditevent.h"
#include "models/budgets/budgetedit.h"
#include "models/budgets/litellmanswers.h"
#include "models/budgets/overflow.h"
#include "models/connections/connection.h"
#include "services/connections/connectionservice.h"
#include "services/servicehost.h"

#include <QHash>
#include <QSet>

namespace opsdeck {

class HttpClient;

struct LiteLLMSnapshot
{
    QList<LiteLLMOrganization> organizations;
    QList<LiteLLMTeam> teams;
    QList<LiteLLMCustomer> customers;
    QList<LiteLLMBudgetPlan> budgets;
    QList<LiteLLMUser> users;
    QList<LiteLLMKey> keys;
    QList<SpendLogRow> spendLogs;
    QList<DailyActivity> daily;
    QList<ModelDeployment> models;
    bool dailyOffered =
        true; // false: the proxy has no /user/daily/activity (dailyNote says what it answered)
    QString dailyNote;
    int requests = 0;
};

class LiteLLMService : public Service
{
    Q_OBJECT
public:
    explicit LiteLLMService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }
    void setAutoSync(bool on) { m_autoSync = on; }
    // Spend log rows per page asked for (1..1000, default 1000); users and keys go by 100.
    void setSpendPageSize(int n) { m_spendPageSize = qBound(1, n, 1000); }
    static inline const QString scope = QStringLiteral("budgets");

public slots:
    void initialize() override;
    void shutdown() override;
    void syncDue();
    void syncBudgets(qint64 connectionId);
    // Sends a change (budgetedit.h) to the proxy; when it takes it, the cache follows in one
    // transaction with the audit event (before and after); a refusal is audited with what the proxy
    // answered and changes nothing. The demo's proxy refuses everything.
    void applyChange(quint64 requestId, qint64 connectionId, const opsdeck::ProxyChange &change);
    // Soft-limit alert thresholds (budgetalerts.h): a target's own, or targetKind "*" for every
    // budget of the proxy; an empty list removes them. The figures are judged again at once.
    void setThresholds(qint64 connectionId, const QString &targetKind, const QString &targetId,
                       const QList<int> &thresholds);
    void acknowledgeAlerts(const QList<qint64> &ids);

signals:
    void syncStarted(qint64 connectionId);
    void syncProgress(qint64 connectionId, int percent);
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void changeFinished(quint64 requestId, const opsdeck::Outcome &outcome);
    // A sync found budgets past their alert thresholds: each alert in words, and its id (BudgetAlert::id).
    void alertsRaised(qint64 connectionId, const QStringList &alerts, const QList<qint64> &alertIds);
    void thresholdsSet(qint64 connectionId, const opsdeck::Outcome &outcome);
    // Accounts past their budget in the period the sync saw (models/budgets/overflow.h), for the
    // workspace's overflow ledger.
    void overflowObserved(const QList<opsdeck::OverflowObservation> &seen);

private:
    struct Walk;
    void step(const std::shared_ptr<Walk> &walk);
    void store(const Connection &c, const LiteLLMSnapshot &snapshot);
    void finish(const Connection &c, const Outcome &outcome);
    void withClient(const Connection &c,
                    std::function<void(HttpClient *, const QString &, const std::optional<Error> &)> then);
    Outcome storeChange(const Connection &c, const ProxyChange &change);
    static AuditEvent changeEvent(const Connection &c, const ProxyChange &change, const Outcome &outcome);

    QHash<qint64, HttpClient *> m_clients;
    QSet<qint64> m_running;
    QSet<qint64> m_syncAgain;
    bool m_demo = false;
    bool m_autoSync = false;
    int m_spendPageSize = 1000;
};

} // namespace opsdeck
