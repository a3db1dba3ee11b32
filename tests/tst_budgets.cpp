// LiteLLM budgets, pure (models/budgets/): budget durations read as the proxy reads them, their
// cadence in words and the next reset as the proxy computes it (month ends, leap years, "30d"
// against other day counts, hours across midnight, time zones), and which limit binds in a chain.
#include "fakelitellm.h"
#include "models/budgets/bindinglimit.h"
#include "models/budgets/budgetchain.h"
#include "models/budgets/budgetedit.h"
#include "models/budgets/budgetreset.h"
#include "models/budgets/budgettree.h"
#include "models/budgets/litellmanswers.h"
#include "models/budgets/spendanomaly.h"
#include "models/budgets/spendattribution.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/budgets/budgetalerts.h"
#include "services/budgets/litellmservice.h"
#include "services/budgets/spendlogstore.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "specroutes.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <QRandomGenerator>

#include <QTest>
#include <QTimeZone>

#include <functional>

using namespace opsdeck;

Q_DECLARE_METATYPE(opsdeck::BudgetEdit)

class TestBudgets : public QObject
{
    Q_OBJECT
private slots:
    void durations_data();
    void durations();
    void resets_data();
    void resets();
    void resetInAZone();
    void binding_data();
    void binding();
    void teamKeyIgnoresPersonalBudget();
    void answersRead();
    void answersRefused_data();
    void answersRefused();
    void anomalies_data();
    void anomalies();
    void spendLogsKeptOnce();
    void states_data();
    void states();
    void treeFromTheCache();
    void treeMergesNodeByNode();
    void chainsFromTheCache_data();
    void chainsFromTheCache();
    void attribution_data();
    void attribution();
    void attributionAnomaliesAndRequests();
    void syncFromTheProxy();
    void changes_data();
    void changes();
    void changesOnTheProxy();
    void theSpecChecksBodies();
    void thresholds_data();
    void thresholds();
    void alertsOncePerPeriod();
    void renewals();
    void budgetPlans();
};

namespace {
// A small proxy in the cache (connection 7), and a second one (8) that must not mix in:
// organization Research ($900 of $1,000) with team ml (member alice over her $100 team budget,
// bob within his), team web outside any organization, users alice (Research) and bob, keys in
// every place, two end customers.
void seedSmallProxy()
{
    QSqlQuery q(Database::connection());
    const QStringList statements = {
        "INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) VALUES "
        "(7, 'p7', 'litellm', 'llm', 'https://llm.example.com', '', ''), "
        "(8, 'p8', 'litellm', 'other', 'https://other.example.com', '', '')",
        "INSERT INTO litellm_organizations (connection_id, organization_id, alias, spend, max_budget, "
        "soft_budget, "
        "budget_duration, budget_reset_at, synced_at) VALUES "
        "(7, 'org-r', 'Research', 900, 1000, 800, '1mo', '2026-12-01T00:00:00.000Z', ''), "
        "(8, 'org-x', 'Elsewhere', 1, 2, NULL, '', '', '')",
        "INSERT INTO litellm_teams (connection_id, team_id, alias, organization_id, spend, max_budget, "
        "budget_duration, budget_reset_at, blocked, synced_at) VALUES "
        "(7, 't-ml', 'ml', 'org-r', 300, 500, '30d', '', 0, ''), "
        "(7, 't-web', 'web', 'org-gone', 40, NULL, '', '', 1, ''), "
        "(7, 't-dup', 'dup', '', 0, NULL, '', '', 0, ''), (7, 't-dup2', 'dup', '', 0, NULL, '', '', 0, '')",
        "INSERT INTO litellm_team_members (connection_id, team_id, user_id, role, spend, max_budget, "
        "budget_duration, budget_reset_at) VALUES "
        "(7, 't-ml', 'alice', 'admin', 120, 100, '7d', ''), (7, 't-ml', 'bob', 'user', 10, 50, '', '')",
        "INSERT INTO litellm_users (connection_id, user_id, alias, email, organization_id, spend, "
        "max_budget, "
        "budget_duration, synced_at) VALUES "
        "(7, 'alice', 'Alice', 'alice@example.com', 'org-r', 130, 2000, '1mo', ''), "
        "(7, 'bob', '', 'bob@example.com', '', 30, 31, '1mo', '')",
        "INSERT INTO litellm_keys (connection_id, token, key_name, alias, user_id, team_id, organization_id, "
        "spend, max_budget, blocked, synced_at) VALUES "
        "(7, 'h1', 'sk-...0001', 'alice-ci', 'alice', 't-ml', '', 100, NULL, 0, ''), "
        "(7, 'h2', 'sk-...0002', 'ml-service', '', 't-ml', '', 5, 10, 0, ''), "
        "(7, 'h3', 'sk-...0003', 'bob-own', 'bob', '', '', 20, NULL, 0, ''), "
        "(7, 'h4', 'sk-...0004', '', '', '', '', 1, NULL, 0, ''), "
        "(7, 'h5', 'sk-...0005', 'same', '', '', '', 0, NULL, 0, ''), "
        "(7, 'h6', 'sk-...0006', 'same', '', '', '', 0, NULL, 0, ''), "
        "(8, 'h9', 'sk-...0009', 'alice-ci', '', '', '', 0, NULL, 0, '')",
        "INSERT INTO litellm_customers (connection_id, customer_id, alias, blocked, spend, max_budget, "
        "budget_duration, budget_reset_at, synced_at) VALUES "
        "(7, 'cust-a', 'Acme', 0, 5, 6, '', '', ''), (7, 'cust-b', '', 1, 0, NULL, '', '', '')",
    };
    for (const QString &sql : statements)
        QVERIFY2(q.exec(sql), qPrintable(q.lastError().text() + QLatin1Char(' ') + sql));
}

const BudgetNode *findNode(const QList<BudgetNode> &nodes, const QString &key)
{
    for (const BudgetNode &n : nodes)
        if (n.key == key)
            return &n;
    return nullptr;
}
} // namespace

void TestBudgets::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("words"); // empty: refused
    QTest::newRow("monthly") << "1mo"
                             << "monthly (on the 1st)";
    QTest::newRow("30d is monthly") << "30d"
                                    << "monthly (on the 1st)";
    QTest::newRow("28d is not") << "28d"
                                << "every 28 days";
    QTest::newRow("daily") << "1d"
                           << "daily (at midnight)";
    QTest::newRow("7d weekly") << "7d"
                               << "weekly (on Mondays)";
    QTest::newRow("1w weekly") << "1w"
                               << "weekly (on Mondays)";
    QTest::newRow("hours") << "6h"
                           << "every 6 hours";
    QTest::newRow("minutes") << "15m"
                             << "every 15 minutes";
    QTest::newRow("seconds") << "30s"
                             << "every 30 seconds";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("none") << "none"
                          << "";
    QTest::newRow("no unit") << "30"
                             << "";
    QTest::newRow("negative") << "-1d"
                              << "";
    QTest::newRow("fraction") << "1.5d"
                              << "";
    QTest::newRow("unknown unit") << "3y"
                                  << "";
    QTest::newRow("zero") << "0d"
                          << "";
}

void TestBudgets::durations()
{
    QFETCH(QString, text);
    QFETCH(QString, words);
    const auto c = parseBudgetDuration(text);
    if (words.isEmpty()) {
        QVERIFY(!c);
        QCOMPARE(c.error().code, QStringLiteral("budget.duration"));
        QVERIFY(!c.message().isEmpty());
    } else {
        QVERIFY2(c, qPrintable(c.message()));
        QCOMPARE(c->text(), words);
    }
}

void TestBudgets::resets_data()
{
    QTest::addColumn<QString>("duration");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QDateTime>("next");
    const auto at = [](int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
        return QDateTime(QDate(y, mo, d), QTime(h, mi, s), QTimeZone::utc());
    };
    QTest::newRow("monthly, mid-month") << "1mo" << at(2026, 12, 3, 15, 30) << at(2027, 1, 1);
    QTest::newRow("30d, January 31st") << "30d" << at(2027, 1, 31, 23, 59, 59) << at(2027, 2, 1);
    QTest::newRow("30d, leap February") << "30d" << at(2028, 2, 29, 12) << at(2028, 3, 1);
    QTest::newRow("monthly, at the reset itself") << "1mo" << at(2027, 3, 1) << at(2027, 4, 1);
    QTest::newRow("28d from today's midnight") << "28d" << at(2028, 2, 10, 9) << at(2028, 3, 9);
    QTest::newRow("31d across a leap day") << "31d" << at(2028, 2, 1, 9) << at(2028, 3, 3);
    QTest::newRow("daily") << "1d" << at(2026, 12, 31, 23, 0) << at(2027, 1, 1);
    QTest::newRow("weekly from a Thursday") << "7d" << at(2026, 12, 3, 10) << at(2026, 12, 7);
    QTest::newRow("weekly from a Monday") << "1w" << at(2026, 12, 7, 0, 0, 1) << at(2026, 12, 14);
    QTest::newRow("6h") << "6h" << at(2026, 12, 3, 5, 59) << at(2026, 12, 3, 6);
    QTest::newRow("6h on the hour") << "6h" << at(2026, 12, 3, 6) << at(2026, 12, 3, 12);
    QTest::newRow("6h across midnight") << "6h" << at(2026, 12, 31, 19) << at(2027, 1, 1);
    QTest::newRow("45m within the hour") << "45m" << at(2026, 12, 3, 5, 10) << at(2026, 12, 3, 5, 45);
    QTest::newRow("45m into the next hour") << "45m" << at(2026, 12, 3, 5, 50) << at(2026, 12, 3, 6, 30);
    QTest::newRow("15m at midnight") << "15m" << at(2026, 12, 3, 23, 50) << at(2026, 12, 4);
    QTest::newRow("30s") << "30s" << at(2026, 12, 3, 5, 10, 31) << at(2026, 12, 3, 5, 11);
}

void TestBudgets::resets()
{
    QFETCH(QString, duration);
    QFETCH(QDateTime, now);
    QFETCH(QDateTime, next);
    const auto c = parseBudgetDuration(duration);
    QVERIFY2(c, qPrintable(c.message()));
    QCOMPARE(nextBudgetReset(c.value(), now), next);
    // Two months and more: the proxy's reset job refuses them, and so no time is given.
    QVERIFY(!nextBudgetReset(parseBudgetDuration(QStringLiteral("2mo")).value(), now).isValid());
}

void TestBudgets::resetInAZone()
{
    // A proxy in New York: its midnight is 05:00 UTC in winter.
    const QTimeZone newYork(QByteArrayLiteral("America/New_York"));
    QVERIFY(newYork.isValid());
    const QDateTime now(QDate(2026, 12, 3), QTime(3, 0), QTimeZone::utc()); // Dec 2, 22:00 there
    const QDateTime next = nextBudgetReset(parseBudgetDuration(QStringLiteral("1d")).value(), now, newYork);
    QCOMPARE(next.toUTC(), QDateTime(QDate(2026, 12, 3), QTime(5, 0), QTimeZone::utc()));
}

void TestBudgets::binding_data()
{
    QTest::addColumn<QList<double>>("budgets"); // max budget per level, < 0: none
    QTest::addColumn<QList<double>>("spends");
    QTest::addColumn<double>("cost");
    QTest::addColumn<int>("refusing");
    QTest::addColumn<int>("bindsFirst");
    QTest::addColumn<QString>("words");
    // key, team member, team, organization, customer, proxy
    QTest::newRow("all pass, member budget below the team's")
        << QList<double>{50, 20, 500, 5000, -1, -1} << QList<double>{5, 15, 100, 1000, 0, 0} << 0.0 << -1 << 1
        << "team member budget of";
    QTest::newRow("organization nearly spent binds first")
        << QList<double>{50, 20, 500, 5000, -1, -1} << QList<double>{5, 1, 100, 4999.5, 0, 0} << 0.0 << -1
        << 3 << "organization";
    QTest::newRow("a request of $1 refused by the organization")
        << QList<double>{50, 20, 500, 5000, -1, -1} << QList<double>{5, 1, 100, 4999.5, 0, 0} << 1.0 << 3 << 3
        << "would take the organization";
    QTest::newRow("member budget spent refuses before the team")
        << QList<double>{50, 20, 500, 5000, -1, -1} << QList<double>{5, 20, 100, 10, 0, 0} << 0.0 << 1 << 1
        << "Refused: the team member budget of";
    QTest::newRow("end customer's own budget")
        << QList<double>{-1, -1, -1, -1, 10, -1} << QList<double>{3, 0, 0, 0, 10.5, 0} << 0.0 << 4 << 4
        << "end customer";
    QTest::newRow("the proxy's budget")
        << QList<double>{-1, -1, -1, -1, -1, 100} << QList<double>{0, 0, 0, 0, 0, 40} << 0.0 << -1 << 5
        << "the proxy's budget";
    QTest::newRow("no budget anywhere")
        << QList<double>{-1, -1, -1, -1, -1, -1} << QList<double>{1, 1, 1, 1, 1, 1} << 5.0 << -1 << -1
        << "No budget applies";
}

void TestBudgets::binding()
{
    QFETCH(QList<double>, budgets);
    QFETCH(QList<double>, spends);
    QFETCH(double, cost);
    QFETCH(int, refusing);
    QFETCH(int, bindsFirst);
    QFETCH(QString, words);
    const QList<BudgetLimit::Level> levels{BudgetLimit::Level::Key,      BudgetLimit::Level::TeamMember,
                                           BudgetLimit::Level::Team,     BudgetLimit::Level::Organization,
                                           BudgetLimit::Level::Customer, BudgetLimit::Level::Proxy};
    QList<BudgetLimit> limits;
    for (int i = 0; i < levels.size(); ++i) {
        BudgetLimit l;
        l.level = levels.at(i);
        l.name = QStringLiteral("n%1").arg(i);
        if (budgets.at(i) >= 0)
            l.maxBudget = budgets.at(i);
        l.spend = spends.at(i);
        l.resetAt = QDateTime(QDate(2027, 1, 1), QTime(0, 0), QTimeZone::utc());
        limits << l;
    }
    const LimitChain chain = keyChain(limits.at(0), std::nullopt, limits.at(1), limits.at(2), limits.at(3),
                                      limits.at(4), limits.at(5));
    QCOMPARE(chain.limits.size(), 6);
    const BindingVerdict v = resolveBinding(chain, cost);
    QCOMPARE(v.refusing, refusing);
    QCOMPARE(v.bindsFirst, bindsFirst);
    QVERIFY2(v.explanation.contains(words), qPrintable(v.explanation));
    if (v.bindsFirst >= 0)
        QVERIFY2(v.explanation.contains(QStringLiteral("2027-01-01 00:00 UTC")), qPrintable(v.explanation));
}

void TestBudgets::teamKeyIgnoresPersonalBudget()
{
    BudgetLimit key{BudgetLimit::Level::Key, QStringLiteral("ci"), 100.0, std::nullopt, 1, {}, false};
    BudgetLimit user{BudgetLimit::Level::User, QStringLiteral("alice"), 5.0, std::nullopt, 5, {}, false};
    BudgetLimit team{BudgetLimit::Level::Team, QStringLiteral("ml"), 500.0, std::nullopt, 10, {}, false};
    // In a team: alice's spent personal budget does not stop the team's key.
    LimitChain chain = keyChain(key, user, std::nullopt, team, std::nullopt, std::nullopt, std::nullopt);
    QVERIFY(chain.teamKey);
    QCOMPARE(chain.limits.size(), 2);
    QCOMPARE(resolveBinding(chain).refusing, -1);
    // Outside any team it does.
    chain = keyChain(key, user, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt);
    const BindingVerdict v = resolveBinding(chain);
    QCOMPARE(v.refusing, 1);
    QVERIFY2(v.explanation.contains(QStringLiteral("user alice has spent $5.00 of its $5.00")),
             qPrintable(v.explanation));
    QVERIFY(v.explanation.contains(QStringLiteral("does not reset")));
    // A blocked key refuses whatever is left.
    key.blocked = true;
    chain = keyChain(key, user, std::nullopt, team, std::nullopt, std::nullopt, std::nullopt);
    QCOMPARE(resolveBinding(chain).refusing, 0);
    QVERIFY(resolveBinding(chain).explanation.contains(QStringLiteral("blocked")));
}

void TestBudgets::answersRead()
{
    // The documented shapes (LiteLLM_TeamTable, UserListResponse, KeyListResponseObject with full
    // objects, LiteLLM_OrganizationTableWithMembers, CustomerResponse, /spend/logs/v2).
    const auto teams = parseLiteLLMTeams(R"([{"team_id":"t-ml","team_alias":"ml","organization_id":"org-1",
        "spend":12.5,"max_budget":100,"soft_budget":80,"budget_duration":"30d",
        "budget_reset_at":"2027-01-01T00:00:00Z","tpm_limit":"100000","rpm_limit":60,"models":["gpt-4o"],
        "blocked":false,"members_with_roles":[{"role":"admin","user_id":"alice"},{"role":"user","user_email":"bob@x"}]}])");
    QVERIFY2(teams, qPrintable(teams.message()));
    QCOMPARE(teams->size(), 1);
    const LiteLLMTeam &t = teams->first();
    QCOMPARE(t.alias, QStringLiteral("ml"));
    QCOMPARE(*t.budget.maxBudget, 100.0);
    QCOMPARE(*t.budget.tpmLimit, 100000); // a BigInt column as a decimal string
    QCOMPARE(t.budget.resetAt, QDateTime(QDate(2027, 1, 1), QTime(0, 0), QTimeZone::utc()));
    QCOMPARE(t.members.size(), 2);
    QCOMPARE(t.members.at(1).userId, QStringLiteral("bob@x"));
    const auto users = parseLiteLLMUsers(R"({"users":[{"user_id":"alice","user_email":"alice@x","spend":3,
        "teams":["t-ml"],"max_budget":null,"key_count":2}],"total":41,"page":2,"page_size":25,"total_pages":2})");
    QVERIFY2(users, qPrintable(users.message()));
    QCOMPARE(users->total, 41);
    QCOMPARE(users->page, 2);
    QCOMPARE(users->items.first().keyCount, 2);
    QVERIFY(!users->items.first().budget.maxBudget);
    const auto keys = parseLiteLLMKeys(R"({"keys":[{"token":"8f3e","key_name":"sk-...Ab12","key_alias":"ci",
        "team_id":"t-ml","spend":1.25,"max_budget":10,"expires":null,"blocked":null}],"total_count":1,"current_page":1,
        "total_pages":1})");
    QVERIFY2(keys, qPrintable(keys.message()));
    QCOMPARE(keys->items.first().keyName, QStringLiteral("sk-...Ab12"));
    QVERIFY(!keys->items.first().blocked);
    const auto orgs = parseLiteLLMOrganizations(R"([{"organization_id":"org-1","organization_alias":"Acme",
        "budget_id":"b1","spend":250,"models":[],"created_by":"a","updated_by":"a","created_at":"2026-01-01T00:00:00Z",
        "updated_at":"2026-01-01T00:00:00Z","litellm_budget_table":{"max_budget":1000,"budget_duration":"1mo"},
        "members":[{"user_id":"alice","organization_id":"org-1","user_role":"org_admin","spend":20,
        "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}],"teams":[{"team_id":"t-ml"}]}])");
    QVERIFY2(orgs, qPrintable(orgs.message()));
    QCOMPARE(*orgs->first().budget.maxBudget, 1000.0);
    QCOMPARE(orgs->first().members.first().role, QStringLiteral("org_admin"));
    QCOMPARE(orgs->first().teamIds, QStringList{QStringLiteral("t-ml")});
    const auto customers = parseLiteLLMCustomers(R"([{"user_id":"cust-9","blocked":true,"spend":4,
        "litellm_budget_table":{"max_budget":5,"created_at":"2026-01-01T00:00:00Z"}}])");
    QVERIFY2(customers, qPrintable(customers.message()));
    QVERIFY(customers->first().blocked);
    const auto logs =
        parseSpendLogs(R"({"data":[{"request_id":"r1","api_key":"8f3e","call_type":"acompletion",
        "model":"gpt-4o","spend":0.0021,"total_tokens":300,"prompt_tokens":200,"completion_tokens":100,
        "startTime":"2026-11-25 10:00:00","endTime":"2026-11-25T10:00:02.500Z","messages":null,"response":null,
        "user":"alice"}],"total":100000,"page":1,"page_size":1000,"total_pages":100})");
    QVERIFY2(logs, qPrintable(logs.message()));
    QCOMPARE(logs->totalPages, 100);
    QCOMPARE(logs->items.first().startTime, QDateTime(QDate(2026, 11, 25), QTime(10, 0), QTimeZone::utc()));
    QCOMPARE(logs->items.first().endTime.time().msec(), 500);
    // BudgetListItem: the BigInt limits as decimal strings, the cadence and its next reset.
    const auto plans = parseBudgetPlans(R"([{"budget_id":"starter","max_budget":25,"soft_budget":20,
        "tpm_limit":"50000","rpm_limit":null,"tpd_limit":"1000000","budget_duration":"30d",
        "budget_reset_at":"2026-12-31T00:00:00Z","created_at":"2026-01-01T00:00:00Z",
        "updated_at":"2026-06-01T00:00:00Z","created_by":"admin","updated_by":"admin"}])");
    QVERIFY2(plans, qPrintable(plans.message()));
    QCOMPARE(plans->first().id, QStringLiteral("starter"));
    QCOMPARE(*plans->first().budget.tpmLimit, 50000);
    QCOMPARE(*plans->first().tpdLimit, 1000000);
    QVERIFY(!plans->first().budget.rpmLimit);
    QCOMPARE(plans->first().budget.duration, QStringLiteral("30d"));
    QCOMPARE(plans->first().budget.resetAt, QDateTime(QDate(2026, 12, 31), QTime(0, 0), QTimeZone::utc()));
    const auto onPlan = parseLiteLLMCustomers(R"([{"user_id":"c1","blocked":false,"budget_id":"starter"}])");
    QVERIFY2(onPlan, qPrintable(onPlan.message()));
    QCOMPARE(onPlan->first().budgetId, QStringLiteral("starter"));
}

void TestBudgets::answersRefused_data()
{
    QTest::addColumn<int>("parser"); // 0 teams, 1 users, 2 keys, 3 spend logs, 4 customers, 5 daily activity,
                                     // 6 budget plans
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("words");
    QTest::newRow("not JSON") << 0 << QByteArray("<html>") << "";
    QTest::newRow("teams not a list") << 0 << QByteArray(R"({"teams":[]})") << "";
    QTest::newRow("team without id") << 0 << QByteArray(R"([{"team_alias":"x"}])") << "team_id";
    QTest::newRow("negative spend") << 0 << QByteArray(R"([{"team_id":"t","spend":-1}])") << "spend";
    QTest::newRow("spend as text") << 0 << QByteArray(R"([{"team_id":"t","spend":"12"}])") << "spend";
    QTest::newRow("absurd budget") << 0 << QByteArray(R"([{"team_id":"t","max_budget":2e15}])")
                                   << "max_budget";
    QTest::newRow("fractional limit")
        << 0 << QByteArray(R"([{"team_id":"t","tpm_limit":1.5}])") << "tpm_limit";
    QTest::newRow("member without id")
        << 0 << QByteArray(R"([{"team_id":"t","members_with_roles":[{"role":"user"}]}])") << "user_email";
    QTest::newRow("huge alias") << 0
                                << QByteArray(R"([{"team_id":"t","team_alias":")" + QByteArray(600, 'a') +
                                              R"("}])")
                                << "team_alias";
    QTest::newRow("users page without users") << 1 << QByteArray(R"({"total":1})") << "users";
    QTest::newRow("keys as plain strings")
        << 2 << QByteArray(R"({"keys":["sk-1"],"total_count":1})") << "return_full_object";
    QTest::newRow("spend log without start")
        << 3 << QByteArray(R"({"data":[{"request_id":"r1","spend":1}]})") << "startTime";
    QTest::newRow("spend log bad time")
        << 3 << QByteArray(R"({"data":[{"request_id":"r1","startTime":"yesterday"}]})") << "startTime";
    QTest::newRow("customer without blocked") << 4 << QByteArray(R"([{"user_id":"c"}])") << "blocked";
    QTest::newRow("daily activity without results") << 5 << QByteArray(R"({"metadata":{}})") << "results";
    QTest::newRow("a day that is not a date")
        << 5 << QByteArray(R"({"results":[{"date":"Nov 1","metrics":{"spend":1}}]})") << "Nov 1";
    QTest::newRow("a day without metrics")
        << 5 << QByteArray(R"({"results":[{"date":"2026-11-01"}]})") << "metrics";
    QTest::newRow("a day's negative spend")
        << 5 << QByteArray(R"({"results":[{"date":"2026-11-01","metrics":{"spend":-2}}]})") << "spend";
    QTest::newRow("a day twice")
        << 5
        << QByteArray(
               R"({"results":[{"date":"2026-11-01","metrics":{}},{"date":"2026-11-01","metrics":{}}]})")
        << "twice";
    QTest::newRow("metadata not an object")
        << 5 << QByteArray(R"({"results":[],"metadata":[]})") << "metadata";
    QTest::newRow("budgets not a list") << 6 << QByteArray(R"({"budgets":[]})") << "JSON array";
    QTest::newRow("budget without id")
        << 6 << QByteArray(R"([{"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}])")
        << "budget_id";
    QTest::newRow("budget without created_at")
        << 6 << QByteArray(R"([{"budget_id":"b","updated_at":"2026-01-01T00:00:00Z"}])") << "created_at";
    QTest::newRow("budget limit as words")
        << 6 << QByteArray(R"([{"budget_id":"b","tpm_limit":"lots","created_at":"2026-01-01T00:00:00Z",
            "updated_at":"2026-01-01T00:00:00Z"}])")
        << "tpm_limit";
    QTest::newRow("budget twice")
        << 6
        << QByteArray(
               R"([{"budget_id":"b","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"},
            {"budget_id":"b","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}])")
        << "twice";
}

void TestBudgets::answersRefused()
{
    QFETCH(int, parser);
    QFETCH(QByteArray, body);
    QFETCH(QString, words);
    Error e;
    switch (parser) {
    case 0:
        e = parseLiteLLMTeams(body).error();
        break;
    case 1:
        e = parseLiteLLMUsers(body).error();
        break;
    case 2:
        e = parseLiteLLMKeys(body).error();
        break;
    case 3:
        e = parseSpendLogs(body).error();
        break;
    case 4:
        e = parseLiteLLMCustomers(body).error();
        break;
    case 5:
        e = parseDailyActivity(body).error();
        break;
    default:
        e = parseBudgetPlans(body).error();
        break;
    }
    QVERIFY2(e.code == QLatin1String("litellm.schema") || e.code == QLatin1String("json.malformed"),
             qPrintable(e.code));
    QVERIFY2(e.message.contains(words), qPrintable(e.message));
}

void TestBudgets::anomalies_data()
{
    QTest::addColumn<QList<int>>("outliers"); // days (from the series' start) with a spike
    QTest::addColumn<double>("spike");        // added to those days' spend
    QTest::addColumn<double>("k");
    QTest::addColumn<bool>("flat"); // a constant series instead of a noisy one
    QTest::addColumn<QList<int>>("flagged");
    QTest::newRow("two spikes") << QList<int>{30, 61} << 40.0 << 5.0 << false << QList<int>{30, 61};
    QTest::newRow("a spike in the first window is not judged")
        << QList<int>{5, 40} << 40.0 << 5.0 << false << QList<int>{40};
    QTest::newRow("a small bump under k") << QList<int>{30} << 1.0 << 5.0 << false << QList<int>{};
    QTest::newRow("a smaller spike still stands out")
        << QList<int>{30} << 6.0 << 5.0 << false << QList<int>{30};
    QTest::newRow("a lower k flags noise too") << QList<int>{30} << 6.0 << 3.5 << false << QList<int>{30, 45};
    QTest::newRow("flat series, no spike") << QList<int>{} << 0.0 << 3.0 << true << QList<int>{};
    QTest::newRow("flat series, one spike") << QList<int>{20} << 2.0 << 3.0 << true << QList<int>{20};
    QTest::newRow("k of zero flags nothing") << QList<int>{30} << 40.0 << 0.0 << false << QList<int>{};
}

void TestBudgets::anomalies()
{
    QFETCH(QList<int>, outliers);
    QFETCH(double, spike);
    QFETCH(double, k);
    QFETCH(bool, flat);
    QFETCH(QList<int>, flagged);
    // 90 days around $10 a day (a fixed seed: the same series every run), weekends quieter.
    QRandomGenerator random(42);
    const QDate start(2026, 9, 1);
    QMap<QDate, double> daily;
    for (int i = 0; i < 90; ++i) {
        const QDate day = start.addDays(i);
        double v = flat ? 10.0 : 10.0 + random.bounded(2.0) - 1.0 - (day.dayOfWeek() >= 6 ? 2.0 : 0.0);
        if (outliers.contains(i))
            v += spike;
        if (i != 50) // a day without spend: zero, not missing
            daily.insert(day, v);
    }
    QList<int> found;
    for (const SpendAnomaly &a : findAnomalies(daily, k)) {
        found << int(start.daysTo(a.day));
        QVERIFY(a.spend > a.median);
    }
    // Day 50's zero is low, not high: never an anomaly.
    QVERIFY2(found == flagged, qPrintable([&] {
                 QStringList s;
                 for (int d : found)
                     s << QString::number(d);
                 return s.join(QLatin1Char(','));
             }()));
}

void TestBudgets::spendLogsKeptOnce()
{
    // Pages that overlap (an incremental sync asks again from before the latest row): each row once.
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) "
                       "VALUES (5, 'llm', 'litellm', 'llm', 'https://llm.example.com', '', '')")));
    const auto rows = [](int from, int to) {
        QList<SpendLogRow> out;
        for (int i = from; i < to; ++i)
            out << SpendLogRow{QStringLiteral("req-%1").arg(i),
                               QStringLiteral("8f3e"),
                               QStringLiteral("gpt-4o"),
                               QStringLiteral("acompletion"),
                               0.001 * i,
                               100,
                               60,
                               40,
                               QDateTime(QDate(2026, 11, 1), QTime(0, 0), QTimeZone::utc()).addSecs(60 * i),
                               {},
                               QStringLiteral("alice")};
        return out;
    };
    QCOMPARE(SpendLogStore::latest(Database::connection(), 5).value(), QDateTime());
    QVERIFY(!SpendLogStore::nextStart(QDateTime()).isValid()); // a first sync asks for everything
    QCOMPARE(SpendLogStore::store(Database::connection(), 5, rows(0, 1000)).value(), 1000);
    const QDateTime latest = SpendLogStore::latest(Database::connection(), 5).value();
    QCOMPARE(latest, QDateTime(QDate(2026, 11, 1), QTime(16, 39), QTimeZone::utc()));
    QCOMPARE(SpendLogStore::nextStart(latest), latest.addSecs(-15 * 60));
    // The next sync: 15 minutes of overlap, then 500 new rows.
    QCOMPARE(SpendLogStore::store(Database::connection(), 5, rows(985, 1500)).value(), 500);
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*), ROUND(SUM(spend), 3) FROM litellm_spend_logs")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 1500);
    QCOMPARE(q.value(1).toDouble(), 1124.25); // 0.001 * (0 + … + 1499)
    Database::close();
}

void TestBudgets::states_data()
{
    QTest::addColumn<double>("spend");
    QTest::addColumn<double>("max");  // < 0: none
    QTest::addColumn<double>("soft"); // < 0: none
    QTest::addColumn<bool>("blocked");
    QTest::addColumn<int>("state");
    QTest::newRow("no budget") << 50.0 << -1.0 << -1.0 << false << int(BudgetState::NoBudget);
    QTest::newRow("within") << 10.0 << 100.0 << -1.0 << false << int(BudgetState::Ok);
    QTest::newRow("near at 80%") << 80.0 << 100.0 << -1.0 << false << int(BudgetState::NearBudget);
    QTest::newRow("just below near") << 79.99 << 100.0 << -1.0 << false << int(BudgetState::Ok);
    QTest::newRow("past soft") << 60.0 << 100.0 << 50.0 << false << int(BudgetState::OverSoftBudget);
    QTest::newRow("soft without max") << 60.0 << -1.0 << 50.0 << false << int(BudgetState::OverSoftBudget);
    QTest::newRow("spent exactly") << 100.0 << 100.0 << 50.0 << false << int(BudgetState::OverBudget);
    QTest::newRow("zero budget") << 0.0 << 0.0 << -1.0 << false << int(BudgetState::OverBudget);
    QTest::newRow("blocked wins") << 0.0 << 100.0 << -1.0 << true << int(BudgetState::Blocked);
}

void TestBudgets::states()
{
    QFETCH(double, spend);
    QFETCH(double, max);
    QFETCH(double, soft);
    QFETCH(bool, blocked);
    QFETCH(int, state);
    const auto opt = [](double v) {
        return v < 0 ? std::nullopt : std::optional<double>(v);
    };
    QCOMPARE(int(budgetState(spend, opt(max), opt(soft), blocked)), state);
}

void TestBudgets::treeFromTheCache()
{
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    seedSmallProxy();
    const QDateTime now(QDate(2026, 11, 20), QTime(15, 0), QTimeZone::utc());
    const auto loaded = loadBudgetNodes(Database::connection(), now);
    QVERIFY2(loaded, qPrintable(loaded.message()));
    const QList<BudgetNode> nodes = loaded.value();
    const auto parentOf = [&](const QString &key) {
        const BudgetNode *n = findNode(nodes, key);
        return n ? n->parentKey : QStringLiteral("(missing)");
    };
    // Every node comes after its parent.
    QSet<QString> seen;
    for (const BudgetNode &n : nodes) {
        QVERIFY2(n.parentKey.isEmpty() || seen.contains(n.parentKey), qPrintable(n.key));
        seen.insert(n.key);
    }
    QCOMPARE(parentOf(QStringLiteral("p7/o/org-r")), QStringLiteral("p7"));
    QCOMPARE(parentOf(QStringLiteral("p7/t/t-ml")), QStringLiteral("p7/o/org-r"));
    QCOMPARE(parentOf(QStringLiteral("p7/t/t-web")), QStringLiteral("p7")); // its organization is not synced
    QCOMPARE(parentOf(QStringLiteral("p7/t/t-ml/m/alice")), QStringLiteral("p7/t/t-ml"));
    QCOMPARE(parentOf(QStringLiteral("p7/u/alice")), QStringLiteral("p7/o/org-r"));
    QCOMPARE(parentOf(QStringLiteral("p7/u/bob")), QStringLiteral("p7"));
    QCOMPARE(parentOf(QStringLiteral("p7/k/h1")), QStringLiteral("p7/t/t-ml/m/alice")); // a member's team key
    QCOMPARE(parentOf(QStringLiteral("p7/k/h2")), QStringLiteral("p7/t/t-ml")); // a team's service key
    QCOMPARE(parentOf(QStringLiteral("p7/k/h3")), QStringLiteral("p7/u/bob"));  // a personal key
    QCOMPARE(parentOf(QStringLiteral("p7/k/h4")), QStringLiteral("p7"));        // nobody's
    QCOMPARE(parentOf(QStringLiteral("p7/c/cust-a")), QStringLiteral("p7/c"));
    QCOMPARE(parentOf(QStringLiteral("p8/k/h9")), QStringLiteral("p8")); // the other proxy's, apart
    // Names, figures and states.
    QCOMPARE(findNode(nodes, QStringLiteral("p7/t/t-ml/m/alice"))->name, QStringLiteral("Alice"));
    QCOMPARE(findNode(nodes, QStringLiteral("p7/u/bob"))->name, QStringLiteral("bob@example.com"));
    QCOMPARE(findNode(nodes, QStringLiteral("p7/k/h4"))->name, QStringLiteral("sk-...0004"));
    QCOMPARE(findNode(nodes, QStringLiteral("p7"))->spend, 126.0); // the keys' spend
    QCOMPARE(findNode(nodes, QStringLiteral("p7/c"))->spend, 5.0);
    QCOMPARE(findNode(nodes, QStringLiteral("p7/o/org-r"))->state, BudgetState::OverSoftBudget);
    QCOMPARE(findNode(nodes, QStringLiteral("p7/t/t-ml/m/alice"))->state, BudgetState::OverBudget);
    QCOMPARE(findNode(nodes, QStringLiteral("p7/t/t-web"))->state, BudgetState::Blocked);
    QCOMPARE(findNode(nodes, QStringLiteral("p7/u/bob"))->state, BudgetState::NearBudget);
    QCOMPARE(findNode(nodes, QStringLiteral("p7/k/h1"))->state, BudgetState::NoBudget);
    // The proxy's reset time when it set one; otherwise the next one of the cadence.
    QCOMPARE(findNode(nodes, QStringLiteral("p7/o/org-r"))->nextReset,
             QDateTime(QDate(2026, 12, 1), QTime(0, 0), QTimeZone::utc()));
    QCOMPARE(findNode(nodes, QStringLiteral("p7/t/t-ml"))->nextReset,
             QDateTime(QDate(2026, 12, 1), QTime(0, 0), QTimeZone::utc())); // 30d: the 1st
    QCOMPARE(findNode(nodes, QStringLiteral("p7/t/t-ml/m/alice"))->nextReset,
             QDateTime(QDate(2026, 11, 23), QTime(0, 0), QTimeZone::utc())); // 7d: Monday
    QVERIFY(!findNode(nodes, QStringLiteral("p7/t/t-ml/m/bob"))->nextReset.isValid());

    // The model over it: the same tree, checked by the model tester.
    BudgetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loadedSpy(&model, &BudgetTreeModel::loaded);
    model.reload();
    QTRY_COMPARE(loadedSpy.size(), 1);
    QCOMPARE(model.nodeCount(), int(nodes.size()));
    QCOMPARE(model.rowCount(), 2); // two proxies
    const QModelIndex alice = model.indexOfKey(QStringLiteral("p7/t/t-ml/m/alice"));
    QCOMPARE(model.index(alice.row(), BudgetTreeModel::Remaining, alice.parent()).data().toString(),
             QStringLiteral("−$20.00"));
    QCOMPARE(model.index(alice.row(), BudgetTreeModel::Used, alice.parent()).data().toString(),
             QStringLiteral("120%"));
    QCOMPARE(model.index(alice.row(), BudgetTreeModel::Cadence, alice.parent()).data().toString(),
             QStringLiteral("weekly (on Mondays)"));
    QCOMPARE(model.data(alice, BudgetTreeModel::StateRole).toInt(), int(BudgetState::OverBudget));
    QCOMPARE(model.rowCount(alice), 1); // her team key
    Database::close();
}

void TestBudgets::treeMergesNodeByNode()
{
    // A sync that changes a figure, moves a key, removes a team with what is under it and adds a
    // user: rows change in place, the selection's persistent index follows its node.
    const auto node = [](const QString &key, const QString &parent, BudgetNode::Kind kind, double spend) {
        BudgetNode n;
        n.key = key;
        n.parentKey = parent;
        n.kind = kind;
        n.name = key.section(QLatin1Char('/'), -1);
        n.spend = spend;
        return n;
    };
    using K = BudgetNode::Kind;
    QList<BudgetNode> before = {
        node("p1", "", K::Proxy, 0),         node("p1/t/a", "p1", K::Team, 5),
        node("p1/t/b", "p1", K::Team, 6),    node("p1/t/b/m/x", "p1/t/b", K::Member, 1),
        node("p1/k/1", "p1/t/a", K::Key, 2), node("p1/k/2", "p1/t/b/m/x", K::Key, 3),
        node("p1/u/u", "p1", K::User, 4)};
    BudgetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.merge(before);
    QCOMPARE(model.nodeCount(), 7);
    const QPersistentModelIndex user(model.indexOfKey(QStringLiteral("p1/u/u")));
    const QPersistentModelIndex key1(model.indexOfKey(QStringLiteral("p1/k/1")));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QList<BudgetNode> after = {node("p1", "", K::Proxy, 0),      node("p1/t/a", "p1", K::Team, 9),
                               node("p1/k/1", "p1", K::Key, 2),  node("p1/u/u", "p1", K::User, 4),
                               node("p1/u/v", "p1", K::User, 0), node("p1/k/3", "p1/u/v", K::Key, 0)};
    model.merge(after);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.nodeCount(), 6);
    QVERIFY(!model.indexOfKey(QStringLiteral("p1/t/b")).isValid());
    QVERIFY(!model.indexOfKey(QStringLiteral("p1/k/2")).isValid()); // went with its team
    QVERIFY(user.isValid());
    QCOMPARE(user.data(BudgetTreeModel::KeyRole).toString(), QStringLiteral("p1/u/u"));
    QVERIFY(!key1.isValid()); // moved: removed under its old parent, inserted under the new
    QCOMPARE(model.parent(model.indexOfKey(QStringLiteral("p1/k/1"))),
             model.indexOfKey(QStringLiteral("p1")));
    QCOMPARE(model.parent(model.indexOfKey(QStringLiteral("p1/k/3"))),
             model.indexOfKey(QStringLiteral("p1/u/v")));
    QCOMPARE(changed.size(), 1); // team a's spend
    QCOMPARE(model.node(model.indexOfKey(QStringLiteral("p1/t/a")))->spend, 9.0);
    // The same nodes again: nothing changes.
    changed.clear();
    model.merge(after);
    QCOMPARE(changed.size(), 0);
}

void TestBudgets::chainsFromTheCache_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("team");
    QTest::addColumn<QString>("customer");
    QTest::addColumn<double>("cost");
    QTest::addColumn<QStringList>("levels"); // empty: an error
    QTest::addColumn<QString>("refusing");   // the refusing level, the error code, or "" (passes)
    const int key = int(BudgetSubject::Kind::Key), user = int(BudgetSubject::Kind::User),
              team = int(BudgetSubject::Kind::Team), member = int(BudgetSubject::Kind::Member);
    QTest::newRow("team key: member over her team budget refuses")
        << key << "alice-ci"
        << ""
        << "" << 0.0 << QStringList{"key", "team_member", "team", "organization"} << "team_member";
    QTest::newRow("by abbreviation") << key << "sk-...0001"
                                     << ""
                                     << "" << 0.0 << QStringList{"key", "team_member", "team", "organization"}
                                     << "team_member";
    QTest::newRow("team service key: no member budget")
        << key << "ml-service"
        << ""
        << "" << 0.0 << QStringList{"key", "team", "organization"} << "";
    QTest::newRow("what if: past the key's own $5 left")
        << key << "ml-service"
        << ""
        << "" << 6.0 << QStringList{"key", "team", "organization"} << "key";
    QTest::newRow("personal key: the user's budget") << key << "bob-own"
                                                     << ""
                                                     << "" << 0.0 << QStringList{"key", "user"} << "";
    QTest::newRow("what if: bob's last dollar") << key << "bob-own"
                                                << ""
                                                << "" << 1.5 << QStringList{"key", "user"} << "user";
    QTest::newRow("an end customer nearly spent")
        << key << "ml-service"
        << ""
        << "cust-a" << 2.0 << QStringList{"key", "team", "organization", "end_customer"} << "end_customer";
    QTest::newRow("a blocked end customer")
        << key << "h4"
        << ""
        << "cust-b" << 0.0 << QStringList{"key", "end_customer"} << "end_customer";
    QTest::newRow("team: organization nearly spent")
        << team << "ml"
        << ""
        << "" << 150.0 << QStringList{"team", "organization"} << "organization";
    QTest::newRow("a blocked team") << team << "t-web"
                                    << ""
                                    << "" << 0.0 << QStringList{"team"} << "team";
    QTest::newRow("member within budget")
        << member << "bob"
        << "t-ml"
        << "" << 0.0 << QStringList{"team_member", "team", "organization"} << "";
    QTest::newRow("user with an organization") << user << "alice"
                                               << ""
                                               << "" << 0.0 << QStringList{"user", "organization"} << "";
    QTest::newRow("unknown key") << key << "nope"
                                 << ""
                                 << "" << 0.0 << QStringList() << "budgets.unknown";
    QTest::newRow("another proxy's key is not this one's") << key << "h9"
                                                           << ""
                                                           << "" << 0.0 << QStringList() << "budgets.unknown";
    QTest::newRow("alias of two keys") << key << "same"
                                       << ""
                                       << "" << 0.0 << QStringList() << "budgets.ambiguous";
    QTest::newRow("alias of two teams") << team << "dup"
                                        << ""
                                        << "" << 0.0 << QStringList() << "budgets.ambiguous";
    QTest::newRow("not a member") << member << "carol"
                                  << "t-ml"
                                  << "" << 0.0 << QStringList() << "budgets.unknown";
    QTest::newRow("unknown customer") << key << "h4"
                                      << ""
                                      << "cust-z" << 0.0 << QStringList() << "budgets.unknown";
}

void TestBudgets::chainsFromTheCache()
{
    QFETCH(int, kind);
    QFETCH(QString, id);
    QFETCH(QString, team);
    QFETCH(QString, customer);
    QFETCH(double, cost);
    QFETCH(QStringList, levels);
    QFETCH(QString, refusing);
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    seedSmallProxy();
    const auto chain = loadLimitChain(Database::connection(), 7,
                                      BudgetSubject{BudgetSubject::Kind(kind), id, team, customer},
                                      QDateTime(QDate(2026, 11, 20), QTime(15, 0), QTimeZone::utc()));
    Database::close();
    if (levels.isEmpty()) {
        QVERIFY(!chain);
        QCOMPARE(chain.error().code, refusing);
        QVERIFY(!chain.message().isEmpty());
        return;
    }
    QVERIFY2(chain, qPrintable(chain.message()));
    QStringList got;
    for (const BudgetLimit &l : chain->chain.limits)
        got << l.levelId();
    QCOMPARE(got, levels);
    const BindingVerdict v = resolveBinding(chain->chain, cost);
    QCOMPARE(v.refusing >= 0 ? chain->chain.limits.at(v.refusing).levelId() : QString(), refusing);
    QVERIFY(!v.explanation.isEmpty());
}

namespace {
// Spend logs over November 2026 for the small proxy (seedSmallProxy): every day alice's team key h1
// spends $2 (two requests of $1, gpt-4o), bob's personal key h3 $0.50 (claude), and an unknown key
// $0.25 (no team, no user in the log); on 20 November h1 spends $40 more in one request.
void seedSpend()
{
    QList<SpendLogRow> rows;
    int n = 0;
    const auto add = [&](const QString &key, const QString &model, double spend, const QDate &day, int hour,
                         const QString &user) {
        rows << SpendLogRow{QStringLiteral("r%1").arg(++n),
                            key,
                            model,
                            QStringLiteral("acompletion"),
                            spend,
                            100,
                            60,
                            40,
                            QDateTime(day, QTime(hour, 30), QTimeZone::utc()),
                            {},
                            user};
    };
    for (QDate d(2026, 11, 1); d <= QDate(2026, 11, 30); d = d.addDays(1)) {
        add(QStringLiteral("h1"), QStringLiteral("gpt-4o"), 1.0, d, 9, QString());
        add(QStringLiteral("h1"), QStringLiteral("gpt-4o"), 1.0, d, 23, QString());
        add(QStringLiteral("h3"), QStringLiteral("claude"), 0.5, d, 12, QStringLiteral("bob"));
        add(QStringLiteral("unknown-hash"), QStringLiteral("gpt-4o"), 0.25, d, 0, QString());
    }
    add(QStringLiteral("h1"), QStringLiteral("gpt-4o"), 40.0, QDate(2026, 11, 20), 15, QString());
    QCOMPARE(SpendLogStore::store(Database::connection(), 7, rows).value(), int(rows.size()));
}
} // namespace

void TestBudgets::attribution_data()
{
    QTest::addColumn<int>("dimension");
    QTest::addColumn<int>("bucket");
    QTest::addColumn<QDate>("from");
    QTest::addColumn<QDate>("to");
    QTest::addColumn<QStringList>("names"); // largest first
    QTest::addColumn<QList<double>>("totals");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QList<double>>("firstGroupBuckets"); // the first group's first buckets
    using D = SpendDimension;
    using B = SpendBucket;
    const QDate nov1(2026, 11, 1), nov30(2026, 11, 30);
    QTest::newRow("team by day") << int(D::Team) << int(B::Day) << nov1 << nov30
                                 << QStringList{"ml", "(no team)"} << QList<double>{100.0, 22.5} << 30
                                 << QList<double>{2.0, 2.0};
    QTest::newRow("organization: a team's key in its organization")
        << int(D::Organization) << int(B::Month) << nov1 << nov30
        << QStringList{"Research", "(no organization)"} << QList<double>{100.0, 22.5} << 1
        << QList<double>{100.0};
    QTest::newRow("user: the log's user, else the key's")
        << int(D::User) << int(B::Month) << nov1 << nov30
        << QStringList{"Alice", "bob@example.com", "(no user)"} << QList<double>{100.0, 15.0, 7.5} << 1
        << QList<double>{100.0};
    QTest::newRow("key: alias, hash when not synced")
        << int(D::Key) << int(B::Month) << nov1 << nov30 << QStringList{"alice-ci", "bob-own", "unknown-hash"}
        << QList<double>{100.0, 15.0, 7.5} << 1 << QList<double>{100.0};
    QTest::newRow("model") << int(D::Model) << int(B::Month) << nov1 << nov30
                           << QStringList{"gpt-4o", "claude"} << QList<double>{107.5, 15.0} << 1
                           << QList<double>{107.5};
    // Weeks from Monday: 1 November 2026 is a Sunday, so the first week began 26 October.
    QTest::newRow("team by week") << int(D::Team) << int(B::Week) << nov1 << nov30
                                  << QStringList{"ml", "(no team)"} << QList<double>{100.0, 22.5} << 6
                                  << QList<double>{2.0, 14.0, 14.0, 54.0};
    QTest::newRow("a range inside the month")
        << int(D::Team) << int(B::Day) << QDate(2026, 11, 20) << QDate(2026, 11, 21)
        << QStringList{"ml", "(no team)"} << QList<double>{44.0, 1.5} << 2 << QList<double>{42.0, 2.0};
    QTest::newRow("nothing spent in the range")
        << int(D::Team) << int(B::Day) << QDate(2027, 1, 1) << QDate(2027, 1, 3) << QStringList()
        << QList<double>() << 3 << QList<double>();
}

void TestBudgets::attribution()
{
    QFETCH(int, dimension);
    QFETCH(int, bucket);
    QFETCH(QDate, from);
    QFETCH(QDate, to);
    QFETCH(QStringList, names);
    QFETCH(QList<double>, totals);
    QFETCH(int, buckets);
    QFETCH(QList<double>, firstGroupBuckets);
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    seedSmallProxy();
    seedSpend();
    AttributionQuery query;
    query.connectionId = 7;
    query.dimension = SpendDimension(dimension);
    query.bucket = SpendBucket(bucket);
    query.from = from;
    query.to = to;
    const auto a = attributeSpend(Database::connection(), query);
    Database::close();
    QVERIFY2(a, qPrintable(a.message()));
    QStringList got;
    QList<double> gotTotals;
    double sum = 0;
    for (const AttributionGroup &g : a->groups) {
        got << g.name;
        gotTotals << g.total;
        sum += g.total;
        double inBuckets = 0;
        for (double v : g.perBucket)
            inBuckets += v;
        QVERIFY(qAbs(inBuckets - g.total) < 1e-9); // every dollar in one bucket
    }
    QCOMPARE(got, names);
    QCOMPARE(gotTotals, totals);
    QVERIFY(qAbs(sum - a->total) < 1e-9);
    QCOMPARE(a->buckets.size(), qsizetype(buckets));
    if (!firstGroupBuckets.isEmpty())
        QCOMPARE(a->groups.first().perBucket.mid(0, firstGroupBuckets.size()), firstGroupBuckets);
}

void TestBudgets::attributionAnomaliesAndRequests()
{
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    seedSmallProxy();
    seedSpend();
    AttributionQuery query;
    query.connectionId = 7;
    query.dimension = SpendDimension::Team;
    query.bucket = SpendBucket::Week;
    query.from = QDate(2026, 11, 15);
    query.to = QDate(2026, 11, 30);
    auto a = attributeSpend(Database::connection(), query);
    QVERIFY2(a, qPrintable(a.message()));
    // The flat $2 a day before it: only 20 November stands out, judged on the days before the range.
    QCOMPARE(a->groups.first().name, QStringLiteral("ml"));
    QCOMPARE(a->groups.first().anomalies.size(), 1);
    QCOMPARE(a->groups.first().anomalies.first().day, QDate(2026, 11, 20));
    QCOMPARE(a->groups.first().anomalies.first().spend, 42.0);
    QCOMPARE(a->groups.first().anomalies.first().median, 2.0);
    QVERIFY(a->groups.at(1).anomalies.isEmpty());
    // k = 0: no anomalies at all.
    query.anomalyK = 0;
    QVERIFY(attributeSpend(Database::connection(), query)->groups.first().anomalies.isEmpty());
    // The requests that made the day, costliest first; another day's and team's are not among them.
    const auto requests = spendRequests(Database::connection(), 7, SpendDimension::Team,
                                        QStringLiteral("t-ml"), QDate(2026, 11, 20));
    QVERIFY2(requests, qPrintable(requests.message()));
    QCOMPARE(requests->size(), 3);
    QCOMPARE(requests->first().spend, 40.0);
    QCOMPARE(requests->first().startTime, QDateTime(QDate(2026, 11, 20), QTime(15, 30), QTimeZone::utc()));
    const auto unattributed =
        spendRequests(Database::connection(), 7, SpendDimension::Team, QString(), QDate(2026, 11, 20));
    QCOMPARE(unattributed->size(), 2); // bob's personal key and the unknown key
    // CSV: a header with every bucket (the first holds 15 November only: the range starts on a Sunday),
    // one row per group, amounts to the micro-dollar; names quoted.
    const QStringList lines = a->toCsv().split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.first(),
             QStringLiteral("Team,id,requests,total_usd,2026-11-09,2026-11-16,2026-11-23,2026-11-30"));
    QCOMPARE(lines.at(1), QStringLiteral("ml,t-ml,33,72.000000,2.000000,54.000000,14.000000,2.000000"));
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE litellm_teams SET alias = 'ml, \"core\"' WHERE team_id = 't-ml'")));
    a = attributeSpend(Database::connection(), query);
    QVERIFY(a->toCsv().contains(QStringLiteral("\r\n\"ml, \"\"core\"\"\",t-ml,")));
    // An empty range is refused.
    query.from = QDate(2026, 12, 1);
    QCOMPARE(attributeSpend(Database::connection(), query).error().code, QStringLiteral("budgets.range"));
    Database::close();
}

void TestBudgets::syncFromTheProxy()
{
    // A proxy with every kind of record and 100,000 spend log rows over many pages: the first sync
    // reads them all; after 2,500 new rows the next one adds each exactly once. Every request had
    // the route, the parameters and the master key the spec and the proxy ask for.
    FakeLiteLLM proxy;
    QVERIFY(proxy.listen());
    proxy.setMasterKey("sk-master-1234");
    proxy.addOrganization(
        QJsonObject{{"organization_id", "org-1"},
                    {"organization_alias", "Acme"},
                    {"budget_id", "b1"},
                    {"spend", 250.0},
                    {"models", QJsonArray()},
                    {"created_by", "a"},
                    {"updated_by", "a"},
                    {"created_at", "2026-01-01T00:00:00Z"},
                    {"updated_at", "2026-01-01T00:00:00Z"},
                    {"litellm_budget_table", QJsonObject{{"max_budget", 1000}, {"budget_duration", "1mo"}}}});
    proxy.addTeam(QJsonObject{
        {"team_id", "t-ml"},
        {"team_alias", "ml"},
        {"organization_id", "org-1"},
        {"spend", 120.5},
        {"max_budget", 500},
        {"budget_duration", "30d"},
        {"blocked", false},
        {"members_with_roles", QJsonArray{QJsonObject{{"role", "admin"}, {"user_id", "alice"}}}}});
    for (int i = 0; i < 230; ++i)
        proxy.addUser(
            QJsonObject{{"user_id", QStringLiteral("user-%1").arg(i)}, {"spend", 1.0}, {"key_count", 1}});
    for (int i = 0; i < 120; ++i)
        proxy.addKey(QJsonObject{{"token", QStringLiteral("hash-%1").arg(i)},
                                 {"key_name", "sk-...abcd"},
                                 {"key_alias", QStringLiteral("key-%1").arg(i)},
                                 {"team_id", "t-ml"},
                                 {"spend", 0.5}});
    proxy.addCustomer(QJsonObject{{"user_id", "cust-9"}, {"blocked", true}, {"spend", 4.0}});
    const QDateTime first(QDate(2026, 9, 1), QTime(0, 0), QTimeZone::utc());
    proxy.addSpendLogs(100000, first);

    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    Connection c;
    c.kind = ConnectionKind::LiteLLM;
    c.name = QStringLiteral("llm-proxy");
    c.endpoint = proxy.url().toString();
    c.auth = AuthKind::Token;
    const auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY2(saved, qPrintable(saved.message()));
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("sk-master-1234"));
    ServiceHost host;
    auto *service = host.add(new LiteLLMService, QStringLiteral("litellm"));
    host.startAll();
    const auto sync = [service, id = saved->id] {
        QSignalSpy finished(service, &LiteLLMService::syncFinished);
        QMetaObject::invokeMethod(service, [service, id] { service->syncBudgets(id); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
        }();
        return finished.isEmpty() ? Outcome{false, QStringLiteral("timeout"), QString()}
                                  : finished.first().at(1).value<Outcome>();
    };
    Outcome o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(proxy.violations().isEmpty(), qPrintable(proxy.violations().join(QLatin1Char('\n'))));
    const auto count = [](const QString &sql) {
        QSqlQuery q(Database::connection());
        return q.exec(sql) && q.next() ? q.value(0).toDouble() : -1.0;
    };
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM litellm_spend_logs")), 100000.0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM litellm_users")), 230.0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM litellm_keys")), 120.0);
    QCOMPARE(count(QStringLiteral("SELECT max_budget FROM litellm_organizations")), 1000.0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM litellm_team_members WHERE role = 'admin'")), 1.0);
    QCOMPARE(count(QStringLiteral("SELECT blocked FROM litellm_customers")), 1.0);
    // Pages of 1,000 spend log rows, oldest first; users by 100 (3 pages), keys by 100 (2 pages).
    int spendPages = 0;
    for (const TestRequest &r : proxy.server().requests())
        if (r.path() == QLatin1String("/spend/logs/v2")) {
            ++spendPages;
            QCOMPARE(r.query().queryItemValue(QStringLiteral("sort_order")), QStringLiteral("asc"));
        }
    QCOMPARE(spendPages, 100);
    // The budget tree over what was synced: the team's keys under the team, in its organization.
    const auto tree = loadBudgetNodes(Database::connection(), QDateTime::currentDateTimeUtc());
    QVERIFY2(tree, qPrintable(tree.message()));
    const QString teamKey = QStringLiteral("p%1/t/t-ml").arg(saved->id);
    QCOMPARE(findNode(tree.value(), teamKey)->parentKey, QStringLiteral("p%1/o/org-1").arg(saved->id));
    QCOMPARE(std::count_if(tree->cbegin(), tree->cend(),
                           [&](const BudgetNode &n) { return n.parentKey == teamKey; }),
             121); // 120 keys and alice
    // New rows, the last 10 minutes of them overlapping what the cache holds: each added once.
    proxy.server().clearRequests();
    proxy.addSpendLogs(2500, first.addSecs(60 * 99990), QStringLiteral("late"));
    o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM litellm_spend_logs")), 102500.0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(DISTINCT request_id) FROM litellm_spend_logs")), 102500.0);
    for (const TestRequest &r : proxy.server().requests())
        if (r.path() == QLatin1String("/spend/logs/v2"))
            QVERIFY2(r.query().queryItemValue(QStringLiteral("start_date")) !=
                         QLatin1String("2000-01-01 00:00:00"),
                     "the second sync asks from the latest row, not from the start");
    QVERIFY2(o.message.contains(QStringLiteral("2500 new spend log rows")), qPrintable(o.message));
    // The audit log: two syncs, with what each read and added.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(
        QStringLiteral("SELECT json_extract(details, '$.spend_logs_added') FROM audit_events WHERE action = "
                       "'sync.complete' ORDER BY id")));
    QStringList added;
    while (q.next())
        added << q.value(0).toString();
    QCOMPARE(added, (QStringList{QStringLiteral("100000"), QStringLiteral("2500")}));
    // The proxy's daily totals came too: the attribution of the whole range reconciles with them.
    AttributionQuery all;
    all.connectionId = saved->id;
    all.from = first.date();
    all.to = QDateTime::currentDateTimeUtc().date();
    auto attributed = attributeSpend(Database::connection(), all);
    QVERIFY2(attributed, qPrintable(attributed.message()));
    QCOMPARE(attributed->reconciliation.state, Reconciliation::State::Matches);
    QVERIFY(qAbs(attributed->reconciliation.proxyTotal - attributed->total) < 0.01);
    QVERIFY(count(QStringLiteral("SELECT COUNT(*) FROM litellm_daily_spend")) >= 70);
    // A proxy whose records say $1.25 more on its latest day than its logs: the day is named.
    const QDate off = first.addSecs(60 * 102000).date();
    proxy.offsetDailySpend(off, 1.25);
    o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    attributed = attributeSpend(Database::connection(), all);
    QCOMPARE(attributed->reconciliation.state, Reconciliation::State::Differs);
    QCOMPARE(attributed->reconciliation.differing.size(), 1);
    QCOMPARE(attributed->reconciliation.differing.first().day, off);
    QVERIFY(qAbs(attributed->reconciliation.differing.first().proxy -
                 attributed->reconciliation.differing.first().logs - 1.25) < 1e-6);
    QVERIFY2(attributed->reconciliation.text(attributed->total).contains(QStringLiteral("$1.25 more")),
             qPrintable(attributed->reconciliation.text(attributed->total)));
    // Only the days since two before the latest are asked again: the offset day is old, so the
    // first sync's total stays; a full range from the start is asked only the first time.
    for (const TestRequest &r : proxy.server().requests())
        if (r.path() == QLatin1String("/user/daily/activity"))
            QVERIFY(QDate::fromString(r.query().queryItemValue(QStringLiteral("start_date")), Qt::ISODate) >
                    first.date());
    // A proxy without the route: the sync goes on, and the pane cannot reconcile.
    proxy.setDailyActivityOffered(false);
    o = sync();
    QVERIFY2(o.ok, qPrintable(o.message));
    attributed = attributeSpend(Database::connection(), all);
    QCOMPARE(attributed->reconciliation.state, Reconciliation::State::NotOffered);
    QVERIFY(attributed->reconciliation.text(attributed->total).contains(QStringLiteral("404")));
    proxy.setDailyActivityOffered(true);
    // A wrong master key: the sync fails, says why, and the cache keeps what it had.
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("sk-wrong"));
    o = sync();
    QVERIFY(!o.ok);
    QCOMPARE(o.code, QStringLiteral("http.unauthorized"));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM litellm_spend_logs")), 102500.0);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'sync.failed'")), 1.0);
    host.stopAll();
    Database::close();
}

namespace {
BudgetNode sampleNode(BudgetNode::Kind kind)
{
    BudgetNode n;
    n.kind = kind;
    n.id = kind == BudgetNode::Kind::Key ? QStringLiteral("hash-1") : QStringLiteral("id-1");
    n.name = QStringLiteral("ml");
    n.spend = 300;
    n.maxBudget = 500;
    n.softBudget = kind == BudgetNode::Kind::Team || kind == BudgetNode::Kind::Organization
                       ? std::optional<double>(400)
                       : std::nullopt;
    n.duration = QStringLiteral("30d");
    n.tpmLimit = 1000;
    n.models = {QStringLiteral("gpt-4o")};
    return n;
}

BudgetEdit makeEdit(const std::function<void(BudgetEdit &)> &set)
{
    BudgetEdit e;
    set(e);
    return e;
}
} // namespace

void TestBudgets::changes_data()
{
    // what: 0 edit, 1 block, 2 unblock, 3 delete. body: the JSON sent, or the error code.
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("what");
    QTest::addColumn<BudgetEdit>("edit");
    QTest::addColumn<QString>("route"); // empty: refused
    QTest::addColumn<QString>("body");
    using K = BudgetNode::Kind;
    QTest::newRow("team: a new max budget")
        << int(K::Team) << 0 << makeEdit([](BudgetEdit &e) { e.maxBudget = 600.0; }) << "POST /team/update"
        << R"({"max_budget":600,"team_id":"id-1"})";
    QTest::newRow("team: the same value is no change")
        << int(K::Team) << 0 << makeEdit([](BudgetEdit &e) { e.maxBudget = 500.0; }) << ""
        << "budgets.unchanged";
    QTest::newRow("team: soft budget not below max")
        << int(K::Team) << 0 << makeEdit([](BudgetEdit &e) { e.softBudget = 500.0; }) << ""
        << "budgets.edit";
    QTest::newRow("team: lowering max below the soft budget")
        << int(K::Team) << 0 << makeEdit([](BudgetEdit &e) { e.maxBudget = 300.0; }) << ""
        << "budgets.edit";
    QTest::newRow("team: every field")
        << int(K::Team) << 0 << makeEdit([](BudgetEdit &e) {
               e.maxBudget = 900.0;
               e.softBudget = 700.0;
               e.duration = QStringLiteral("1mo");
               e.tpmLimit = std::optional<qint64>();
               e.rpmLimit = 60;
               e.models =
                   QStringList{QStringLiteral(" gpt-4o-mini "), QStringLiteral("gpt-4o-mini"), QString()};
           })
        << "POST /team/update"
        << R"({"budget_duration":"1mo","max_budget":900,"models":["gpt-4o-mini"],"rpm_limit":60,"soft_budget":700,"team_id":"id-1","tpm_limit":null})";
    QTest::newRow("key: no budget any more, by its hash")
        << int(K::Key) << 0 << makeEdit([](BudgetEdit &e) { e.maxBudget = std::optional<double>(); })
        << "POST /key/update"
        << R"({"key":"hash-1","max_budget":null})";
    QTest::newRow("key: all models") << int(K::Key) << 0
                                     << makeEdit([](BudgetEdit &e) { e.models = QStringList(); })
                                     << "POST /key/update"
                                     << R"({"key":"hash-1","models":[]})";
    QTest::newRow("key: no soft budget in the API")
        << int(K::Key) << 0 << makeEdit([](BudgetEdit &e) { e.softBudget = 10.0; }) << ""
        << "budgets.edit";
    QTest::newRow("user: a cadence") << int(K::User) << 0
                                     << makeEdit([](BudgetEdit &e) { e.duration = QStringLiteral("7d"); })
                                     << "POST /user/update"
                                     << R"({"budget_duration":"7d","user_id":"id-1"})";
    QTest::newRow("user: a cadence the proxy cannot read")
        << int(K::User) << 0 << makeEdit([](BudgetEdit &e) { e.duration = QStringLiteral("monthly"); }) << ""
        << "budgets.edit";
    QTest::newRow("user: negative budget")
        << int(K::User) << 0 << makeEdit([](BudgetEdit &e) { e.maxBudget = -1.0; }) << ""
        << "budgets.edit";
    QTest::newRow("user: negative limit")
        << int(K::User) << 0 << makeEdit([](BudgetEdit &e) { e.rpmLimit = -5; }) << ""
        << "budgets.edit";
    QTest::newRow("a model name with a comma")
        << int(K::User) << 0 << makeEdit([](BudgetEdit &e) { e.models = QStringList{QStringLiteral("a,b")}; })
        << ""
        << "budgets.edit";
    QTest::newRow("organization: PATCH, max and soft")
        << int(K::Organization) << 0 << makeEdit([](BudgetEdit &e) {
               e.maxBudget = 2000.0;
               e.softBudget = 1500.0;
           })
        << "PATCH /organization/update"
        << R"({"max_budget":2000,"organization_id":"id-1","soft_budget":1500})";
    QTest::newRow("organization: no cadence in the API")
        << int(K::Organization) << 0 << makeEdit([](BudgetEdit &e) { e.duration = QStringLiteral("1d"); })
        << ""
        << "budgets.edit";
    QTest::newRow("a member's budget: no route")
        << int(K::Member) << 0 << makeEdit([](BudgetEdit &e) { e.maxBudget = 5.0; }) << ""
        << "budgets.edit";
    QTest::newRow("block a team") << int(K::Team) << 1 << BudgetEdit() << "POST /team/block"
                                  << R"({"team_id":"id-1"})";
    QTest::newRow("unblock a team that is not blocked") << int(K::Team) << 2 << BudgetEdit() << ""
                                                        << "budgets.unchanged";
    QTest::newRow("block a key") << int(K::Key) << 1 << BudgetEdit() << "POST /key/block"
                                 << R"({"key":"hash-1"})";
    QTest::newRow("block a user") << int(K::User) << 1 << BudgetEdit() << "POST /user/update"
                                  << R"({"blocked":true,"user_id":"id-1"})";
    QTest::newRow("block an organization: no route") << int(K::Organization) << 1 << BudgetEdit() << ""
                                                     << "budgets.edit";
    QTest::newRow("delete a user") << int(K::User) << 3 << BudgetEdit() << "POST /user/delete"
                                   << R"({"user_ids":["id-1"]})";
    QTest::newRow("delete a key") << int(K::Key) << 3 << BudgetEdit() << "POST /key/delete"
                                  << R"({"keys":["hash-1"]})";
    QTest::newRow("delete a team: no route") << int(K::Team) << 3 << BudgetEdit() << ""
                                             << "budgets.edit";
}

void TestBudgets::changes()
{
    QFETCH(int, kind);
    QFETCH(int, what);
    QFETCH(BudgetEdit, edit);
    QFETCH(QString, route);
    QFETCH(QString, body);
    const BudgetNode node = sampleNode(BudgetNode::Kind(kind));
    const Result<ProxyChange> c = what == 0   ? editChange(node, edit)
                                  : what == 3 ? deleteChange(node)
                                              : blockChange(node, what == 1);
    if (route.isEmpty()) {
        QVERIFY(!c);
        QCOMPARE(c.error().code, body);
        QVERIFY(!c.message().isEmpty());
        return;
    }
    QVERIFY2(c, qPrintable(c.message()));
    QCOMPARE(QString::fromLatin1(c->method) + QLatin1Char(' ') + c->path, route);
    QCOMPARE(QString::fromUtf8(QJsonDocument(c->body).toJson(QJsonDocument::Compact)), body);
    QVERIFY(!c->summary.isEmpty());
    if (what != 3)
        QVERIFY(!c->changes.isEmpty());
    for (const FieldChange &f : c->changes)
        QVERIFY2(f.before != f.after, qPrintable(f.field));
}

void TestBudgets::changesOnTheProxy()
{
    // Changes through the service to a proxy that checks every body against the spec: the cache
    // follows each one the proxy takes, with one audit event holding both values; a refusal says
    // what the proxy answered, is audited, and leaves the cache as it was.
    FakeLiteLLM proxy;
    QVERIFY(proxy.listen());
    proxy.setMasterKey("sk-master-1234");
    proxy.addTeam(QJsonObject{{"team_id", "t-ml"},
                              {"team_alias", "ml"},
                              {"spend", 120.5},
                              {"max_budget", 500},
                              {"soft_budget", 400},
                              {"budget_duration", "30d"},
                              {"blocked", false}});
    proxy.addUser(QJsonObject{{"user_id", "alice"}, {"spend", 3.0}, {"max_budget", 10}, {"key_count", 2}});
    proxy.addKey(
        QJsonObject{{"token", "hash-a"}, {"key_alias", "alice-ci"}, {"user_id", "alice"}, {"spend", 1.0}});
    proxy.addKey(
        QJsonObject{{"token", "hash-b"}, {"key_alias", "alice-nb"}, {"user_id", "alice"}, {"spend", 2.0}});
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    Connection c;
    c.kind = ConnectionKind::LiteLLM;
    c.name = QStringLiteral("llm-proxy");
    c.endpoint = proxy.url().toString();
    c.auth = AuthKind::Token;
    const auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved);
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("sk-master-1234"));
    ServiceHost host;
    auto *service = host.add(new LiteLLMService, QStringLiteral("litellm"));
    host.startAll();
    {
        QSignalSpy finished(service, &LiteLLMService::syncFinished);
        QMetaObject::invokeMethod(service, [service, id = saved->id] { service->syncBudgets(id); });
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
    }
    const auto node = [](const QString &key) {
        const auto nodes = loadBudgetNodes(Database::connection(), QDateTime::currentDateTimeUtc());
        const BudgetNode *n = findNode(nodes.value(), key);
        return n ? *n : BudgetNode();
    };
    const QString p = QStringLiteral("p%1").arg(saved->id);
    quint64 next = 1;
    const auto apply = [&](const ProxyChange &change) {
        QSignalSpy finished(service, &LiteLLMService::changeFinished);
        const quint64 id = next++;
        QMetaObject::invokeMethod(
            service, [service, id, cid = saved->id, change] { service->applyChange(id, cid, change); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        }();
        return finished.isEmpty() ? Outcome{false, QStringLiteral("timeout"), QString()}
                                  : finished.first().at(1).value<Outcome>();
    };
    const auto lastEvent = [](const QString &action) {
        QSqlQuery q(Database::connection());
        q.prepare(
            QStringLiteral("SELECT outcome, details, comment, target_name FROM audit_events WHERE action = ? "
                           "ORDER BY id DESC LIMIT 1"));
        q.addBindValue(action);
        return q.exec() && q.next() ? QStringList{q.value(0).toString(), q.value(1).toString(),
                                                  q.value(2).toString(), q.value(3).toString()}
                                    : QStringList();
    };

    // The team's max budget and cadence.
    BudgetEdit edit;
    edit.maxBudget = 750.0;
    edit.duration = QStringLiteral("7d");
    auto change = editChange(node(p + QStringLiteral("/t/t-ml")), edit);
    QVERIFY2(change, qPrintable(change.message()));
    Outcome o = apply(change.value());
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(proxy.violations().isEmpty(), qPrintable(proxy.violations().join(QLatin1Char('\n'))));
    QCOMPARE(proxy.teams().first().toObject().value(QLatin1String("max_budget")).toDouble(), 750.0);
    const BudgetNode team = node(p + QStringLiteral("/t/t-ml"));
    QCOMPARE(team.maxBudget, std::optional<double>(750.0));
    QCOMPARE(team.duration, QStringLiteral("7d"));
    QStringList event = lastEvent(QStringLiteral("budget.update"));
    QCOMPARE(event.value(0), QStringLiteral("success"));
    const QJsonObject details = QJsonDocument::fromJson(event.value(1).toUtf8()).object();
    QCOMPARE(details.value(QLatin1String("before")).toObject().value(QLatin1String("max_budget")).toDouble(),
             500.0);
    QCOMPARE(details.value(QLatin1String("after")).toObject().value(QLatin1String("max_budget")).toDouble(),
             750.0);
    QCOMPARE(details.value(QLatin1String("route")).toString(), QStringLiteral("POST /team/update"));

    // Refused: the proxy's words come back and into the audit log; the cache keeps 750.
    proxy.refuseChanges(QStringLiteral("Budget exceeds the organization's max_budget"));
    edit = BudgetEdit();
    edit.maxBudget = 5000.0;
    o = apply(editChange(team, edit).value());
    QVERIFY(!o.ok);
    QVERIFY2(o.message.contains(QStringLiteral("Budget exceeds the organization's max_budget")),
             qPrintable(o.message));
    QCOMPARE(node(p + QStringLiteral("/t/t-ml")).maxBudget, std::optional<double>(750.0));
    event = lastEvent(QStringLiteral("budget.update"));
    QCOMPARE(event.value(0), QStringLiteral("failure"));
    QVERIFY(event.value(2).contains(QStringLiteral("Budget exceeds")));
    proxy.refuseChanges(QString());

    // Block a key, then delete the user: the user's keys go with them.
    o = apply(blockChange(node(p + QStringLiteral("/k/hash-a")), true).value());
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY(node(p + QStringLiteral("/k/hash-a")).blocked);
    QCOMPARE(proxy.changes().last().path(), QStringLiteral("/key/block"));
    o = apply(deleteChange(node(p + QStringLiteral("/u/alice"))).value());
    QVERIFY2(o.ok, qPrintable(o.message));
    QCOMPARE(node(p + QStringLiteral("/u/alice")).key, QString());
    QCOMPARE(node(p + QStringLiteral("/k/hash-b")).key, QString());
    QVERIFY(proxy.keys().isEmpty());
    QCOMPARE(lastEvent(QStringLiteral("budget.delete")).value(3), QStringLiteral("alice"));
    QVERIFY2(proxy.violations().isEmpty(), qPrintable(proxy.violations().join(QLatin1Char('\n'))));
    host.stopAll();
    Database::close();
}

void TestBudgets::theSpecChecksBodies()
{
    // The test proxy refuses a body the API description does not have: the check itself.
    const SpecRoutes spec = SpecRoutes::fromLiteLlmSummary(
        specsDir() + QStringLiteral("/litellm/litellm-proxy-admin-api.summary.yaml"));
    const auto check = [&spec](const char *method, const char *path, const QByteArray &body) {
        return spec.check(method, QLatin1String(path), {}, body);
    };
    QCOMPARE(check("POST", "/team/update", R"({"team_id":"t","max_budget":5,"soft_budget":null})"),
             QString());
    QVERIFY(check("POST", "/team/update", R"({"team_id":"t","budget":5})")
                .contains(QStringLiteral("\"budget\"")));
    QVERIFY(check("POST", "/team/update", R"({"max_budget":5})").contains(QStringLiteral("required")));
    QVERIFY(check("POST", "/team/update", R"({"team_id":"t","max_budget":"5"})")
                .contains(QStringLiteral("type")));
    QVERIFY(
        check("POST", "/team/update", R"({"team_id":"t","tpm_limit":1.5})").contains(QStringLiteral("type")));
    QVERIFY(check("POST", "/team/update", "[1]").contains(QStringLiteral("not a JSON object")));
    QCOMPARE(check("POST", "/key/delete", R"({"keys":["h"]})"), QString());
    QVERIFY(check("POST", "/key/delete", R"({"keys":"h"})").contains(QStringLiteral("type")));
    QVERIFY(check("POST", "/user/delete", R"({})").contains(QStringLiteral("user_ids")));
    QVERIFY(
        check("POST", "/key/block", R"({"key":"h","blocked":true})").contains(QStringLiteral("\"blocked\"")));
    QVERIFY(!check("POST", "/team/delete", R"({"team_ids":["t"]})").isEmpty()); // no such route
}

void TestBudgets::thresholds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("thresholds"); // empty: refused
    QTest::newRow("the defaults") << "" << QList<int>{50, 80, 100};
    QTest::newRow("sorted, once each") << "100, 80,80 , 50%" << QList<int>{50, 80, 100};
    QTest::newRow("past the budget") << "90, 120" << QList<int>{90, 120};
    QTest::newRow("zero") << "0, 50" << QList<int>();
    QTest::newRow("a fraction") << "50.5" << QList<int>();
    QTest::newRow("words") << "half" << QList<int>();
    QTest::newRow("too large") << "5000" << QList<int>();
}

void TestBudgets::thresholds()
{
    QFETCH(QString, text);
    QFETCH(QList<int>, thresholds);
    const auto parsed = BudgetAlerts::parseThresholds(text);
    if (thresholds.isEmpty()) {
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, QStringLiteral("budgets.thresholds"));
        return;
    }
    QVERIFY2(parsed, qPrintable(parsed.message()));
    QCOMPARE(parsed.value(), thresholds);
}

void TestBudgets::alertsOncePerPeriod()
{
    // The small proxy: Research $900 of $1,000, ml $300 of $500, bob $30 of $31, alice's member
    // budget (no alerts: the API has no member thresholds), key ml-service $5 of $10.
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    seedSmallProxy();
    QSqlDatabase db = Database::connection();
    const QDateTime now(QDate(2026, 11, 20), QTime(15, 0), QTimeZone::utc());
    const auto names = [](const QList<BudgetAlert> &alerts) {
        QStringList out;
        for (const BudgetAlert &a : alerts)
            out << QStringLiteral("%1 %2").arg(a.targetName).arg(a.percent);
        out.sort();
        return out;
    };
    auto raised = BudgetAlerts::raise(db, 7, now);
    QVERIFY2(raised, qPrintable(raised.message()));
    QCOMPARE(names(raised.value()), (QStringList{"Research 50", "Research 80", "bob@example.com 50",
                                                 "bob@example.com 80", "ml 50", "ml-service 50"}));
    QVERIFY(raised->first().text().contains(QStringLiteral("%")));
    // Again: nothing new.
    QVERIFY(BudgetAlerts::raise(db, 7, now.addSecs(60))->isEmpty());
    // The team's own thresholds; every other budget of the proxy at 90 %: only what is newly passed.
    QVERIFY(BudgetAlerts::setThresholds(db, 7, QStringLiteral("team"), QStringLiteral("t-ml"), {40, 60}, now)
                .ok());
    QVERIFY(BudgetAlerts::setThresholds(db, 7, QStringLiteral("*"), QString(), {90}, now).ok());
    QCOMPARE(BudgetAlerts::thresholdsFor(db, 7, QStringLiteral("team"), QStringLiteral("t-ml")).value(),
             (QList<int>{40, 60}));
    QCOMPARE(BudgetAlerts::thresholdsFor(db, 7, QStringLiteral("user"), QStringLiteral("bob")).value(),
             QList<int>{90});
    QCOMPARE(names(BudgetAlerts::raise(db, 7, now).value()),
             (QStringList{"Research 90", "bob@example.com 90", "ml 40", "ml 60"}));
    // A new budget period (the proxy reset the team): its thresholds alert again.
    QSqlQuery q(db);
    QVERIFY(
        q.exec(QStringLiteral("UPDATE litellm_teams SET budget_reset_at = '2026-12-01T00:00:00.000Z' WHERE "
                              "team_id = 't-ml'")));
    QCOMPARE(names(BudgetAlerts::raise(db, 7, now).value()), (QStringList{"ml 40", "ml 60"}));
    // Acknowledged alerts leave the open list.
    auto open = BudgetAlerts::list(db, true);
    QCOMPARE(open->size(), 12);
    QVERIFY(BudgetAlerts::acknowledge(db, {open->first().id, open->at(1).id}, now).ok());
    QCOMPARE(BudgetAlerts::list(db, true)->size(), 10);
    QCOMPARE(BudgetAlerts::list(db, false)->size(), 12);
    // The tree shows the thresholds that hold, and whose they are.
    const auto nodes = loadBudgetNodes(db, now).value();
    QCOMPARE(findNode(nodes, QStringLiteral("p7/t/t-ml"))->thresholds, (QList<int>{40, 60}));
    QVERIFY(findNode(nodes, QStringLiteral("p7/t/t-ml"))->ownThresholds);
    QCOMPARE(findNode(nodes, QStringLiteral("p7/o/org-r"))->thresholds, QList<int>{90});
    QVERIFY(
        findNode(nodes, QStringLiteral("p7/k/h1"))->thresholds.isEmpty()); // no budget, nothing to alert on
    Database::close();
}

void TestBudgets::renewals()
{
    // The small proxy on 20 November: what resets within a week, and within a month, soonest first.
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    seedSmallProxy();
    const QDateTime now(QDate(2026, 11, 20), QTime(15, 0), QTimeZone::utc());
    const QList<BudgetNode> nodes = loadBudgetNodes(Database::connection(), now).value();
    Database::close();
    const auto names = [](const QList<Renewal> &list) {
        QStringList out;
        for (const Renewal &r : list)
            out << r.node.name;
        return out;
    };
    // Alice's member budget (7d: Monday the 23rd); bob's member budget has no cadence, the end
    // customers none either.
    QCOMPARE(names(upcomingRenewals(nodes, now, 7 * 86400)), QStringList{QStringLiteral("Alice")});
    // Within a month: then Research, ml (30d: the 1st) and the two users (1mo), on 1 December.
    const QList<Renewal> month = upcomingRenewals(nodes, now, 31 * 86400);
    QCOMPARE(names(month), (QStringList{"Alice", "Alice", "Research", "bob@example.com", "ml"}));
    QCOMPARE(month.first().secondsAway,
             now.secsTo(QDateTime(QDate(2026, 11, 23), QTime(0, 0), QTimeZone::utc())));
    QCOMPARE(renewalDistance(month.first().secondsAway), QStringLiteral("in 2 days"));
    QCOMPARE(renewalDistance(-5), QStringLiteral("overdue"));
    QCOMPARE(renewalDistance(3 * 3600 + 5), QStringLiteral("in 3 h"));
}

void TestBudgets::budgetPlans()
{
    // A proxy with two plans: an account and an end customer on one, a key on the other. The sync
    // keeps the plans and who is on them; the tree shows each plan under "Budget plans" with who it
    // applies to and their spend; the renewals have each plan's next cycle. A change to a plan goes
    // to /budget/update (checked against BudgetNewRequest) and the account on it follows in the cache.
    FakeLiteLLM proxy;
    QVERIFY(proxy.listen());
    proxy.setMasterKey("sk-master-1234");
    const QString reset = QDateTime::currentDateTimeUtc().addDays(3).toString(Qt::ISODate);
    proxy.addBudget(QJsonObject{{"budget_id", "enterprise-30d"},
                                {"max_budget", 1000},
                                {"soft_budget", 800},
                                {"tpm_limit", "200000"},
                                {"budget_duration", "30d"},
                                {"budget_reset_at", reset},
                                {"created_at", "2026-01-01T00:00:00Z"},
                                {"updated_at", "2026-01-01T00:00:00Z"}});
    proxy.addBudget(QJsonObject{{"budget_id", "starter"},
                                {"max_budget", 25},
                                {"created_at", "2026-01-01T00:00:00Z"},
                                {"updated_at", "2026-01-01T00:00:00Z"}});
    proxy.addBudget(QJsonObject{{"budget_id", "unused"},
                                {"max_budget", 5},
                                {"created_at", "2026-01-01T00:00:00Z"},
                                {"updated_at", "2026-01-01T00:00:00Z"}});
    proxy.addOrganization(QJsonObject{
        {"organization_id", "org-1"},
        {"organization_alias", "Acme"},
        {"budget_id", "enterprise-30d"},
        {"spend", 250.0},
        {"models", QJsonArray()},
        {"created_by", "a"},
        {"updated_by", "a"},
        {"created_at", "2026-01-01T00:00:00Z"},
        {"updated_at", "2026-01-01T00:00:00Z"},
        {"litellm_budget_table",
         QJsonObject{{"max_budget", 1000}, {"budget_duration", "30d"}, {"budget_reset_at", reset}}}});
    proxy.addCustomer(QJsonObject{{"user_id", "cust-9"},
                                  {"blocked", false},
                                  {"spend", 4.0},
                                  {"budget_id", "enterprise-30d"},
                                  {"litellm_budget_table", QJsonObject{{"max_budget", 1000}}}});
    proxy.addKey(
        QJsonObject{{"token", "hash-s"}, {"key_alias", "trial"}, {"budget_id", "starter"}, {"spend", 2.5}});
    QTemporaryDir dir;
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    Connection c;
    c.kind = ConnectionKind::LiteLLM;
    c.name = QStringLiteral("llm-proxy");
    c.endpoint = proxy.url().toString();
    c.auth = AuthKind::Token;
    const auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved);
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("sk-master-1234"));
    ServiceHost host;
    auto *service = host.add(new LiteLLMService, QStringLiteral("litellm"));
    host.startAll();
    {
        QSignalSpy finished(service, &LiteLLMService::syncFinished);
        QMetaObject::invokeMethod(service, [service, id = saved->id] { service->syncBudgets(id); });
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        const Outcome o = finished.first().at(1).value<Outcome>();
        QVERIFY2(o.ok, qPrintable(o.message));
    }
    QVERIFY2(proxy.violations().isEmpty(), qPrintable(proxy.violations().join(QLatin1Char('\n'))));
    QVERIFY(std::any_of(proxy.server().requests().cbegin(), proxy.server().requests().cend(),
                        [](const TestRequest &r) { return r.path() == QLatin1String("/budget/list"); }));
    const QString p = QStringLiteral("p%1").arg(saved->id);
    const auto nodes = [] {
        return loadBudgetNodes(Database::connection(), QDateTime::currentDateTimeUtc()).value();
    };
    QList<BudgetNode> tree = nodes();
    const BudgetNode *group = findNode(tree, p + QStringLiteral("/b"));
    QVERIFY(group);
    QCOMPARE(group->kind, BudgetNode::Kind::Plans);
    QCOMPARE(group->parentKey, p);
    const BudgetNode *enterprise = findNode(tree, p + QStringLiteral("/b/enterprise-30d"));
    QVERIFY(enterprise);
    QCOMPARE(enterprise->kind, BudgetNode::Kind::Plan);
    QCOMPARE(enterprise->maxBudget, std::optional<double>(1000.0));
    QCOMPARE(enterprise->softBudget, std::optional<double>(800.0));
    QCOMPARE(enterprise->tpmLimit, std::optional<qint64>(200000));
    QCOMPARE(enterprise->spend, 254.0); // the account's 250 and the end customer's 4
    QCOMPARE(enterprise->detail, QStringLiteral("for account Acme, end customer cust-9"));
    QCOMPARE(findNode(tree, p + QStringLiteral("/b/starter"))->detail, QStringLiteral("for key trial"));
    QCOMPARE(findNode(tree, p + QStringLiteral("/b/unused"))->detail, QStringLiteral("no one is on it"));
    // The plan's next cycle is among the renewals of the week; the group is not.
    const QList<Renewal> week = upcomingRenewals(tree, QDateTime::currentDateTimeUtc(), 7 * 86400);
    QVERIFY(std::any_of(week.cbegin(), week.cend(), [](const Renewal &r) {
        return r.node.kind == BudgetNode::Kind::Plan && r.node.id == QLatin1String("enterprise-30d");
    }));
    QVERIFY(std::none_of(week.cbegin(), week.cend(),
                         [](const Renewal &r) { return r.node.kind == BudgetNode::Kind::Plans; }));
    // What a plan can change, and what it cannot.
    QVERIFY(editableFields(enterprise->kind).maxBudget);
    QVERIFY(editableFields(enterprise->kind).softBudget);
    QVERIFY(!editableFields(enterprise->kind).models);
    QVERIFY(!blockChange(*enterprise, true));
    // The model over it, checked by the model tester through the change below.
    BudgetTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loadedSpy(&model, &BudgetTreeModel::loaded);
    model.reload();
    QTRY_COMPARE(loadedSpy.size(), 1);
    const QPersistentModelIndex planRow(model.indexOfKey(p + QStringLiteral("/b/enterprise-30d")));
    QVERIFY(planRow.isValid());
    QCOMPARE(model.index(planRow.row(), BudgetTreeModel::Remaining, planRow.parent()).data().toString(),
             QString()); // a plan's limits hold for each one on it
    QCOMPARE(model.index(planRow.row(), BudgetTreeModel::Cadence, planRow.parent()).data().toString(),
             QStringLiteral("monthly (on the 1st)")); // LiteLLM resets a 30d budget on the 1st

    const auto apply = [&](const ProxyChange &change) {
        QSignalSpy finished(service, &LiteLLMService::changeFinished);
        QMetaObject::invokeMethod(
            service, [service, cid = saved->id, change] { service->applyChange(1, cid, change); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        }();
        return finished.isEmpty() ? Outcome{false, QStringLiteral("timeout"), QString()}
                                  : finished.first().at(1).value<Outcome>();
    };
    BudgetEdit edit;
    edit.maxBudget = 1500.0;
    edit.duration = QStringLiteral("7d");
    auto change = editChange(*enterprise, edit);
    QVERIFY2(change, qPrintable(change.message()));
    QCOMPARE(change->path, QStringLiteral("/budget/update"));
    Outcome o = apply(change.value());
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(proxy.violations().isEmpty(), qPrintable(proxy.violations().join(QLatin1Char('\n'))));
    const QJsonObject sent = QJsonDocument::fromJson(proxy.changes().last().body).object();
    QCOMPARE(sent.value(QLatin1String("budget_id")).toString(), QStringLiteral("enterprise-30d"));
    QCOMPARE(sent.value(QLatin1String("max_budget")).toDouble(), 1500.0);
    tree = nodes();
    QCOMPARE(findNode(tree, p + QStringLiteral("/b/enterprise-30d"))->maxBudget,
             std::optional<double>(1500.0));
    QCOMPARE(findNode(tree, p + QStringLiteral("/b/enterprise-30d"))->duration, QStringLiteral("7d"));
    QCOMPARE(findNode(tree, p + QStringLiteral("/o/org-1"))->maxBudget, std::optional<double>(1500.0));
    QCOMPARE(findNode(tree, p + QStringLiteral("/o/org-1"))->duration, QStringLiteral("7d"));
    // The model follows the service's change notice on its own, row by row.
    QTRY_COMPARE(model.index(planRow.row(), BudgetTreeModel::MaxBudget, planRow.parent()).data().toString(),
                 QStringLiteral("$1,500.00"));
    QVERIFY(planRow.isValid());
    QVERIFY(loadedSpy.size() >= 2);
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral("SELECT target_kind, json_extract(details, '$.route') FROM audit_events "
                                  "WHERE action = 'budget.update' ORDER BY id DESC LIMIT 1")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("budget"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("POST /budget/update"));
    // A plan the proxy no longer has: its answer is shown, and the cache keeps what it had.
    BudgetNode gone = *findNode(tree, p + QStringLiteral("/b/starter"));
    gone.id = QStringLiteral("deleted-elsewhere");
    edit = BudgetEdit();
    edit.maxBudget = 30.0;
    o = apply(editChange(gone, edit).value());
    QVERIFY(!o.ok);
    QVERIFY2(o.message.contains(QStringLiteral("not found")), qPrintable(o.message));
    QCOMPARE(findNode(nodes(), p + QStringLiteral("/b/starter"))->maxBudget, std::optional<double>(25.0));
    host.stopAll();
    Database::close();
}

QTEST_GUILESS_MAIN(TestBudgets)
#include "tst_budgets.moc"
