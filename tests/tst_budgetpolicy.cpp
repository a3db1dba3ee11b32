// Scoped policies, credits and the overflow ledger of the Budgets pane: the effective policy and
// the scope that decides each item, drift and the update that brings a team or key in line (checked
// against the LiteLLM spec by the test proxy), credits, overflow accrual and settlement, and the
// workspace records on both kinds of store, with the team store's rules for who may change them.
// PostgreSQL 15 is started by this test (tests/support/postgres.sh).
#include "fakelitellm.h"
#include "models/budgets/budgetpolicy.h"
#include "models/budgets/budgetrecordchange.h"
#include "models/budgets/litellmanswers.h"
#include "models/budgets/overflow.h"
#include "models/budgets/policymodels.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "postgrestestbed.h"
#include "services/budgets/litellmservice.h"
#include "services/connections/secretstore.h"
#include "services/servicehost.h"
#include "services/workspace/budgetrecords.h"
#include "services/workspace/grantchanges.h"
#include "services/workspace/peoplechanges.h"
#include "services/workspace/workspaceservice.h"
#include "specroutes.h"
#include "testutil.h"
#include "ui/panes/budgets/creditstab.h"
#include "ui/panes/budgets/policiestab.h"
#include "ui/panes/budgets/policydialogs.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

class TestBudgetPolicy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void effective_data();
    void effective();
    void checked_data();
    void checked();
    void storedValues();
    void drift_data();
    void drift();
    void applyThroughTheProxy();
    void credits_data();
    void credits();
    void periods_data();
    void periods();
    void accrual();
    void observed();
    void settlementChecked();
    void modelInfo();
    void recordsOnBothStores_data();
    void recordsOnBothStores();
    void whoMayChangeAndSettle();
    void changesAuditedByTheService();
    void theTabsFollowTheWorkspace();
    void dialogsSayWhatIsWrong();

private:
    QTemporaryDir m_dir{QStringLiteral("/tmp/opsdeck-budgetpolicy-XXXXXX")};
    PostgresTestbed m_pg;
    bool m_pgStarted = false;
};

namespace {
PolicyRecord record(PolicyScope scope, const QString &id, PolicyItem item, const QStringList &values,
                    bool enabled = false, const QString &connection = QStringLiteral("llm"))
{
    PolicyRecord r;
    r.connection = connection;
    r.scope = scope;
    r.scopeId = id;
    r.item = item;
    r.values = values;
    r.enabled = enabled;
    return r;
}

// Policies at every scope of connection llm, and one of another connection that must not mix in.
QList<PolicyRecord> somePolicies()
{
    return {
        record(PolicyScope::Organization, QStringLiteral("org-r"), PolicyItem::Models,
               {QStringLiteral("claude-3"), QStringLiteral("gpt-4o")}),
        record(PolicyScope::Organization, QStringLiteral("org-r"), PolicyItem::Guardrails,
               {QStringLiteral("pii")}),
        record(PolicyScope::Organization, QStringLiteral("org-r"), PolicyItem::CreateAgents, {}, false),
        record(PolicyScope::Group, QStringLiteral("research"), PolicyItem::Models,
               {QStringLiteral("gpt-4o")}),
        record(PolicyScope::Team, QStringLiteral("t-ml"), PolicyItem::ImageGeneration, {}, false),
        record(PolicyScope::Team, QStringLiteral("t-ml"), PolicyItem::Guardrails,
               {QStringLiteral("pii"), QStringLiteral("toxicity")}),
        record(PolicyScope::User, QStringLiteral("alice"), PolicyItem::Models, {QStringLiteral("*")}),
        record(PolicyScope::User, QStringLiteral("alice"), PolicyItem::CreateAgents, {}, true),
        record(PolicyScope::Organization, QStringLiteral("org-r"), PolicyItem::Models, {QStringLiteral("x")},
               false, QStringLiteral("other")),
    };
}

QString queryText(const QString &sql)
{
    QSqlQuery q(Database::connection());
    return q.exec(sql) && q.next() ? q.value(0).toString() : QStringLiteral("<none>");
}
} // namespace

void TestBudgetPolicy::initTestCase()
{
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestBudgetPolicy::cleanupTestCase()
{
    m_pg.stop();
    Database::close();
}

void TestBudgetPolicy::effective_data()
{
    QTest::addColumn<QString>("organization");
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("team");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("item");
    QTest::addColumn<QString>("decided"); // the deciding scope, or "no policy"
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("overridden");

    QTest::newRow("account alone") << "org-r"
                                   << ""
                                   << ""
                                   << ""
                                   << "models"
                                   << "Account org-r"
                                   << "claude-3, gpt-4o"
                                   << "";
    QTest::newRow("group over account") << "org-r"
                                        << "research"
                                        << "t-web"
                                        << ""
                                        << "models"
                                        << "Group research"
                                        << "gpt-4o"
                                        << "Account org-r";
    QTest::newRow("user over group and account") << "org-r"
                                                 << "research"
                                                 << "t-ml"
                                                 << "alice"
                                                 << "models"
                                                 << "User alice"
                                                 << "every model"
                                                 << "Account org-r|Group research";
    QTest::newRow("team guardrails over account") << "org-r"
                                                  << ""
                                                  << "t-ml"
                                                  << "bob"
                                                  << "guardrails"
                                                  << "Team t-ml"
                                                  << "pii, toxicity"
                                                  << "Account org-r";
    QTest::newRow("a flag the account denies") << "org-r"
                                               << ""
                                               << "t-web"
                                               << "bob"
                                               << "create_agents"
                                               << "Account org-r"
                                               << "not allowed"
                                               << "";
    QTest::newRow("a user allowed where the account is not") << "org-r"
                                                             << ""
                                                             << ""
                                                             << "alice"
                                                             << "create_agents"
                                                             << "User alice"
                                                             << "allowed"
                                                             << "Account org-r";
    QTest::newRow("a team flag") << ""
                                 << ""
                                 << "t-ml"
                                 << ""
                                 << "image_generation"
                                 << "Team t-ml"
                                 << "not allowed"
                                 << "";
    QTest::newRow("no scope sets it") << "org-r"
                                      << "research"
                                      << "t-ml"
                                      << "alice"
                                      << "create_connections"
                                      << "no policy"
                                      << "allowed (no policy)"
                                      << "";
    QTest::newRow("no list set: the proxy's own") << "org-x"
                                                  << ""
                                                  << ""
                                                  << "bob"
                                                  << "models"
                                                  << "no policy"
                                                  << "as the proxy has it"
                                                  << "";
    QTest::newRow("another account's user") << "org-x"
                                            << ""
                                            << ""
                                            << "alice"
                                            << "models"
                                            << "User alice"
                                            << "every model"
                                            << "";
}

void TestBudgetPolicy::effective()
{
    QFETCH(QString, organization);
    QFETCH(QString, group);
    QFETCH(QString, team);
    QFETCH(QString, user);
    QFETCH(QString, item);
    QFETCH(QString, decided);
    QFETCH(QString, value);
    QFETCH(QString, overridden);
    const QList<EffectiveItem> items =
        effectivePolicy(somePolicies(), QStringLiteral("llm"), {organization, group, team, user});
    QCOMPARE(items.size(), policyItems().size());
    const auto wanted = policyItemFromKey(item);
    QVERIFY(wanted);
    const EffectiveItem &e = items.at(policyItems().indexOf(*wanted));
    QCOMPARE(e.item, *wanted);
    QCOMPARE(e.decidedText(), decided);
    QCOMPARE(e.valueText(), value);
    QCOMPARE(e.overridden.join(QLatin1Char('|')), overridden);
}

void TestBudgetPolicy::checked_data()
{
    QTest::addColumn<QString>("item");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("scopeId");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QString>("error");      // empty: accepted
    QTest::addColumn<QStringList>("stored"); // when accepted

    QTest::newRow("trimmed, sorted, once") << "models"
                                           << "team"
                                           << " t-ml " << QStringList{" gpt-4o", "claude-3", "gpt-4o", ""}
                                           << "" << QStringList{"claude-3", "gpt-4o"};
    QTest::newRow("every model") << "models"
                                 << "user"
                                 << "alice" << QStringList{"*"} << "" << QStringList{"*"};
    QTest::newRow("no model at all") << "models"
                                     << "user"
                                     << "alice" << QStringList{} << "" << QStringList{};
    QTest::newRow("every model beside names")
        << "models"
        << "team"
        << "t" << QStringList{"*", "gpt-4o"} << "stands alone" << QStringList{};
    QTest::newRow("star guardrail") << "guardrails"
                                    << "team"
                                    << "t" << QStringList{"*"} << "not a guardrail" << QStringList{};
    QTest::newRow("control character")
        << "models"
        << "team"
        << "t" << QStringList{"gpt\x01"} << "control character" << QStringList{};
    QTest::newRow("long name") << "guardrails"
                               << "team"
                               << "t" << QStringList{QString(300, QLatin1Char('g'))} << "longer than 256"
                               << QStringList{};
    QStringList many;
    for (int i = 0; i < 501; ++i)
        many << QStringLiteral("m%1").arg(i);
    QTest::newRow("too many") << "models"
                              << "team"
                              << "t" << many << "at most 500" << QStringList{};
    QTest::newRow("no scope id") << "models"
                                 << "team"
                                 << "  " << QStringList{} << "needs its id" << QStringList{};
    QTest::newRow("bad group name") << "models"
                                    << "group"
                                    << "ops/../x" << QStringList{} << "not a group name" << QStringList{};
    QTest::newRow("a flag keeps no names") << "create_agents"
                                           << "organization"
                                           << "org" << QStringList{"x"} << "" << QStringList{};
}

void TestBudgetPolicy::checked()
{
    QFETCH(QString, item);
    QFETCH(QString, scope);
    QFETCH(QString, scopeId);
    QFETCH(QStringList, values);
    QFETCH(QString, error);
    QFETCH(QStringList, stored);
    const auto r =
        checkPolicy(record(*policyScopeFromKey(scope), scopeId, *policyItemFromKey(item), values, true));
    if (!error.isEmpty()) {
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("budgets.policy"));
        QVERIFY2(r.message().contains(error), qPrintable(r.message()));
        return;
    }
    QVERIFY2(r, r ? "" : qPrintable(r.message()));
    QCOMPARE(r->values, stored);
    QCOMPARE(r->scopeId, scopeId.trimmed());
}

void TestBudgetPolicy::storedValues()
{
    // What the workspace keeps is read back, or refused in words when it is not what the item holds.
    PolicyRecord models = record(PolicyScope::Team, QStringLiteral("t"), PolicyItem::Models, {});
    QVERIFY(readPolicyValue(models, QStringLiteral(R"(["gpt-4o","claude-3","gpt-4o"])")));
    QCOMPARE(models.values, (QStringList{QStringLiteral("claude-3"), QStringLiteral("gpt-4o")}));
    QCOMPARE(QJsonDocument(models.value().toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"(["claude-3","gpt-4o"])"));
    PolicyRecord flag = record(PolicyScope::Team, QStringLiteral("t"), PolicyItem::CreateAgents, {});
    QVERIFY(readPolicyValue(flag, QStringLiteral("true")));
    QVERIFY(flag.enabled);
    QCOMPARE(flag.valueText(), QStringLiteral("allowed"));
    for (const auto &[item, json] :
         {std::pair{PolicyItem::Models, "true"}, std::pair{PolicyItem::Models, R"([1, "x"])"},
          std::pair{PolicyItem::Guardrails, "{"}, std::pair{PolicyItem::CreateAgents, R"(["x"])"},
          std::pair{PolicyItem::CreateAgents, "1 2"}}) {
        PolicyRecord r = record(PolicyScope::Team, QStringLiteral("t"), item, {});
        const auto read = readPolicyValue(r, QLatin1String(json));
        QVERIFY2(!read, json);
        QCOMPARE(read.error().code, QStringLiteral("budgets.policy"));
    }
}

void TestBudgetPolicy::drift_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("team"); // a key's team
    QTest::addColumn<QString>("user"); // a key's user
    QTest::addColumn<QStringList>("onProxy");
    QTest::addColumn<QString>("applied"); // guardrails last applied, JSON; empty: never
    QTest::addColumn<bool>("modelsDrift");
    QTest::addColumn<bool>("guardrailsDrift");
    QTest::addColumn<QString>("body"); // the update, compact JSON; empty: nothing to apply

    // Team t-ml (group research: models gpt-4o; team guardrails pii, toxicity).
    QTest::newRow("team in line") << "team"
                                  << ""
                                  << "" << QStringList{"gpt-4o"} << R"(["pii","toxicity"])" << false << false
                                  << "";
    QTest::newRow("team models drift") << "team"
                                       << ""
                                       << "" << QStringList{"gpt-4o", "o1"} << R"(["pii","toxicity"])" << true
                                       << false << R"({"models":["gpt-4o"],"team_id":"t-ml"})";
    QTest::newRow("team guardrails never applied") << "team"
                                                   << ""
                                                   << "" << QStringList{"gpt-4o"} << "" << false << true
                                                   << R"({"guardrails":["pii","toxicity"],"team_id":"t-ml"})";
    QTest::newRow("team every model on the proxy") << "team"
                                                   << ""
                                                   << "" << QStringList{} << R"(["pii","toxicity"])" << true
                                                   << false << R"({"models":["gpt-4o"],"team_id":"t-ml"})";
    // A key of t-ml with [] takes the team's models and guardrails: in line.
    QTest::newRow("team key inherits") << "key"
                                       << "t-ml"
                                       << "bob" << QStringList{} << "" << false << false << "";
    QTest::newRow("team key narrower")
        << "key"
        << "t-ml"
        << "bob" << QStringList{"claude-3"} << "" << true << false << R"({"key":"h1","models":["gpt-4o"]})";
    // Alice's own key: her user scope decides every model, which the proxy keeps as [].
    QTest::newRow("user every model")
        << "key"
        << "t-ml"
        << "alice" << QStringList{"gpt-4o"} << "" << true << false << R"({"key":"h1","models":[]})";
    QTest::newRow("user every model in line") << "key"
                                              << "t-ml"
                                              << "alice" << QStringList{} << "" << false << false << "";
}

void TestBudgetPolicy::drift()
{
    QFETCH(QString, kind);
    QFETCH(QString, team);
    QFETCH(QString, user);
    QFETCH(QStringList, onProxy);
    QFETCH(QString, applied);
    QFETCH(bool, modelsDrift);
    QFETCH(bool, guardrailsDrift);
    QFETCH(QString, body);
    PolicyTarget t;
    t.kind = kind;
    t.id = kind == QLatin1String("team") ? QStringLiteral("t-ml") : QStringLiteral("h1");
    t.name = kind == QLatin1String("team") ? QStringLiteral("ml") : QStringLiteral("alice-ci");
    t.organization = QStringLiteral("org-r");
    t.team = team;
    t.user = user;
    t.models = onProxy;
    QHash<QString, QStringList> appliedGuardrails;
    if (!applied.isEmpty()) {
        QStringList names;
        for (const QJsonValue &v : QJsonDocument::fromJson(applied.toUtf8()).array())
            names << v.toString();
        appliedGuardrails.insert(kind + QLatin1Char(':') + t.id, names);
    }
    const QList<PolicyDrift> drifts =
        policyDrift(somePolicies(), {{QStringLiteral("t-ml"), QStringLiteral("research")}},
                    QStringLiteral("llm"), {t}, appliedGuardrails);
    QCOMPARE(drifts.size(), 1);
    const PolicyDrift &d = drifts.first();
    QCOMPARE(d.modelsDrift, modelsDrift);
    QCOMPARE(d.guardrailsDrift, guardrailsDrift);
    const auto change = policyChange(d);
    if (body.isEmpty()) {
        QVERIFY(!change);
        QCOMPARE(change.error().code, QStringLiteral("budgets.unchanged"));
        QCOMPARE(d.text(), QStringLiteral("as the policy says"));
        return;
    }
    QVERIFY2(change, change ? "" : qPrintable(change.message()));
    QCOMPARE(QJsonDocument(change->body).toJson(QJsonDocument::Compact), body.toUtf8());
    QCOMPARE(change->path,
             kind == QLatin1String("team") ? QStringLiteral("/team/update") : QStringLiteral("/key/update"));
    QCOMPARE(change->action, AuditAction::budgetPolicyApply);
    QCOMPARE(change->changes.size(), int(modelsDrift) + int(guardrailsDrift));
    QVERIFY(!d.text().isEmpty());
    // What the spec allows in these bodies.
    const SpecRoutes spec = SpecRoutes::fromLiteLlmSummary(
        specsDir() + QStringLiteral("/litellm/litellm-proxy-admin-api.summary.yaml"));
    QCOMPARE(spec.check("POST", change->path, {}, QJsonDocument(change->body).toJson()), QString());
}

void TestBudgetPolicy::applyThroughTheProxy()
{
    // A team that drifted, brought in line through the service against a proxy that checks every
    // body against the spec: the proxy takes the models and guardrails, the cache keeps what was
    // applied, one audit event holds both values, and the drift is gone after the next sync.
    FakeLiteLLM proxy;
    QVERIFY(proxy.listen());
    proxy.setMasterKey("sk-master-1234");
    proxy.addOrganization(QJsonObject{{"organization_id", "org-r"},
                                      {"organization_alias", "Research"},
                                      {"spend", 10.0},
                                      {"models", QJsonArray()}});
    proxy.addTeam(QJsonObject{{"team_id", "t-ml"},
                              {"team_alias", "ml"},
                              {"organization_id", "org-r"},
                              {"spend", 1.0},
                              {"models", QJsonArray{"gpt-4o", "o1"}},
                              {"blocked", false}});
    proxy.addKey(QJsonObject{{"token", "hash-a"},
                             {"key_alias", "ml-ci"},
                             {"team_id", "t-ml"},
                             {"spend", 1.0},
                             {"models", QJsonArray()}});
    proxy.addModel(QStringLiteral("gpt-4o"), QStringLiteral("dep-1"));
    proxy.addModel(QStringLiteral("claude-3"), QStringLiteral("dep-2"), QStringLiteral("anthropic"));
    QTemporaryDir dir;
    Database::close();
    QVERIFY(Database::open(dir.filePath(QStringLiteral("cache.sqlite"))).ok());
    Connection c;
    c.kind = ConnectionKind::LiteLLM;
    c.name = QStringLiteral("llm");
    c.endpoint = proxy.url().toString();
    c.auth = AuthKind::Token;
    const auto saved = ConnectionStore::save(Database::connection(), c);
    QVERIFY(saved);
    SecretStore::keepInMemory(saved->secretKey(), QStringLiteral("sk-master-1234"));
    ServiceHost host;
    auto *service = host.add(new LiteLLMService, QStringLiteral("litellm"));
    host.startAll();
    const auto sync = [&] {
        QSignalSpy finished(service, &LiteLLMService::syncFinished);
        QMetaObject::invokeMethod(service, [service, id = saved->id] { service->syncBudgets(id); });
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        QVERIFY2(finished.first().at(1).value<Outcome>().ok,
                 qPrintable(finished.first().at(1).value<Outcome>().message));
    };
    sync();
    // The models the proxy serves came along.
    QCOMPARE(queryText(QStringLiteral("SELECT group_concat(model_name || '/' || provider, ' ') FROM "
                                      "(SELECT * FROM litellm_models ORDER BY model_name)")),
             QStringLiteral("claude-3/anthropic gpt-4o/openai"));

    // The workspace's copy: the account allows gpt-4o and asks for the pii guardrail.
    QSqlQuery q(Database::connection());
    QVERIFY(q.exec(QStringLiteral(
        "INSERT INTO workspace_budget_policies (connection, scope_kind, scope_id, item, value) VALUES "
        "('llm', 'organization', 'org-r', 'models', '[\"gpt-4o\"]'), "
        "('llm', 'organization', 'org-r', 'guardrails', '[\"pii\"]')")));
    const auto view = [] {
        const auto views = loadPolicyViews(Database::connection());
        return views && !views->isEmpty() ? views->first() : PolicyView();
    };
    PolicyView v = view();
    QCOMPARE(v.models, (QStringList{QStringLiteral("claude-3"), QStringLiteral("gpt-4o")}));
    QList<PolicyDrift> drifts = v.drift();
    QCOMPARE(drifts.size(), 2);
    QVERIFY(drifts.at(0).modelsDrift && drifts.at(0).guardrailsDrift); // the team
    QVERIFY(!drifts.at(1).drifted());                                  // its key inherits

    const auto change = policyChange(drifts.at(0));
    QVERIFY(change);
    QSignalSpy applied(service, &LiteLLMService::changeFinished);
    QMetaObject::invokeMethod(
        service, [service, cid = saved->id, ch = change.value()] { service->applyChange(1, cid, ch); });
    QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty(), 30000);
    const Outcome o = applied.first().at(1).value<Outcome>();
    QVERIFY2(o.ok, qPrintable(o.message));
    QVERIFY2(proxy.violations().isEmpty(), qPrintable(proxy.violations().join(QLatin1Char('\n'))));
    QCOMPARE(proxy.changes().last().path(), QStringLiteral("/team/update"));
    QCOMPARE(proxy.guardrailsOf(QStringLiteral("t-ml")), QJsonArray{QStringLiteral("pii")});
    QCOMPARE(proxy.teams().first().toObject().value(QLatin1String("models")).toArray(),
             QJsonArray{QStringLiteral("gpt-4o")});
    QCOMPARE(queryText(QStringLiteral(
                 "SELECT guardrails FROM litellm_applied_guardrails WHERE target_id = 't-ml'")),
             QStringLiteral(R"(["pii"])"));
    const QString details = queryText(QStringLiteral(
        "SELECT details FROM audit_events WHERE action = 'budget.policy.apply' ORDER BY id DESC"));
    const QJsonObject d = QJsonDocument::fromJson(details.toUtf8()).object();
    QCOMPARE(d.value(QLatin1String("before")).toObject().value(QLatin1String("models")).toArray(),
             (QJsonArray{QStringLiteral("gpt-4o"), QStringLiteral("o1")}));
    QCOMPARE(d.value(QLatin1String("after")).toObject().value(QLatin1String("guardrails")).toArray(),
             QJsonArray{QStringLiteral("pii")});

    sync();
    drifts = view().drift();
    QCOMPARE(drifts.size(), 2);
    QVERIFY2(!drifts.at(0).drifted(), qPrintable(drifts.at(0).text()));
    QVERIFY(!drifts.at(1).drifted());
    host.stopAll();
    Database::close();
    QVERIFY(Database::open(m_dir.filePath(QStringLiteral("cache.sqlite"))).ok());
}

void TestBudgetPolicy::credits_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("spend");
    QTest::addColumn<double>("credits");
    QTest::newRow("one to one") << 1.0 << true << 12.5 << 12.5;
    QTest::newRow("a markup") << 1.25 << true << 100.0 << 125.0;
    QTest::newRow("free") << 0.0 << true << 40.0 << 0.0;
    QTest::newRow("the highest") << 1000.0 << true << 2.0 << 2000.0;
    QTest::newRow("negative") << -0.5 << false << 0.0 << 0.0;
    QTest::newRow("too high") << 1000.5 << false << 0.0 << 0.0;
    QTest::newRow("not a number") << std::nan("") << false << 0.0 << 0.0;
    QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << false << 0.0 << 0.0;
}

void TestBudgetPolicy::credits()
{
    QFETCH(double, factor);
    QFETCH(bool, valid);
    QFETCH(double, spend);
    QFETCH(double, credits);
    const auto checked = checkCreditsFactor(factor);
    QCOMPARE(bool(checked), valid);
    if (!valid) {
        QCOMPARE(checked.error().code, QStringLiteral("budgets.credits"));
        return;
    }
    QCOMPARE(creditsFor(spend, factor), std::optional<double>(credits));
    QCOMPARE(creditsFor(spend, std::nullopt), std::optional<double>());
    QVERIFY(creditsText(credits).endsWith(QLatin1String(" credits")));
}

void TestBudgetPolicy::periods_data()
{
    QTest::addColumn<QDateTime>("end");
    QTest::addColumn<QString>("duration");
    QTest::addColumn<QDateTime>("start");
    const auto at = [](int y, int m, int d, int h = 0) {
        return QDateTime(QDate(y, m, d), QTime(h, 0), Qt::UTC);
    };
    QTest::newRow("a month") << at(2026, 12, 1) << "1mo" << at(2026, 11, 1);
    QTest::newRow("30d is monthly") << at(2026, 3, 1) << "30d" << at(2026, 2, 1);
    QTest::newRow("into a leap February") << at(2028, 3, 1) << "1mo" << at(2028, 2, 1);
    QTest::newRow("31 days") << at(2026, 3, 1) << "31d" << at(2026, 1, 29);
    QTest::newRow("a week") << at(2026, 12, 7) << "7d" << at(2026, 11, 30);
    QTest::newRow("two weeks") << at(2026, 12, 14) << "2w" << at(2026, 11, 30);
    QTest::newRow("hours") << at(2026, 12, 1, 12) << "12h" << at(2026, 12, 1, 0);
    QTest::newRow("three months") << at(2027, 1, 1) << "3mo" << at(2026, 10, 1);
    QTest::newRow("no cadence") << at(2026, 12, 1) << "" << QDateTime();
    QTest::newRow("unreadable") << at(2026, 12, 1) << "monthly-ish" << QDateTime();
    QTest::newRow("no end") << QDateTime() << "1mo" << QDateTime();
}

void TestBudgetPolicy::periods()
{
    QFETCH(QDateTime, end);
    QFETCH(QString, duration);
    QFETCH(QDateTime, start);
    QCOMPARE(periodStartFor(end, duration), start);
}

void TestBudgetPolicy::accrual()
{
    OverflowObservation seen;
    seen.connection = QStringLiteral("llm");
    seen.organization = QStringLiteral("org-r");
    seen.periodEnd = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    seen.periodStart = QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC);
    seen.budget = 100;
    seen.spend = 90;
    QVERIFY(!accrue(std::nullopt, seen)); // within the budget: nothing

    seen.spend = 130;
    auto e = accrue(std::nullopt, seen);
    QVERIFY(e);
    QCOMPARE(e->overflow, 30.0);
    QCOMPARE(e->stateText(), QStringLiteral("open"));
    QCOMPARE(e->open(), 30.0);
    e->id = 4;
    QVERIFY(!accrue(e, seen)); // the same figures change nothing

    // Settled, then more spend: the settled part stays, the rest opens again.
    e->settledAmount = 30;
    QVERIFY(e->settled());
    QCOMPARE(e->stateText(), QStringLiteral("settled"));
    seen.spend = 145;
    auto more = accrue(e, seen);
    QVERIFY(more);
    QCOMPARE(more->id, qint64(4));
    QCOMPARE(more->overflow, 45.0);
    QCOMPARE(more->open(), 15.0);
    QCOMPARE(more->stateText(), QStringLiteral("partly settled"));

    // A lower figure later in the period (spend reset early, a budget raised) never shrinks it.
    seen.spend = 120;
    seen.budget = 110;
    auto lower = accrue(more, seen);
    QVERIFY(lower);
    QCOMPARE(lower->spend, 145.0);
    QCOMPARE(lower->overflow, 45.0);
    QCOMPARE(lower->budget, 110.0);
}

void TestBudgetPolicy::observed()
{
    const auto node = [](qint64 connection, const QString &id, double spend, std::optional<double> budget,
                         const QString &duration, const QDateTime &reset,
                         BudgetNode::Kind kind = BudgetNode::Kind::Organization) {
        BudgetNode n;
        n.kind = kind;
        n.connectionId = connection;
        n.id = id;
        n.name = id.toUpper();
        n.spend = spend;
        n.maxBudget = budget;
        n.duration = duration;
        n.nextReset = reset;
        return n;
    };
    const QDateTime reset(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC);
    const QList<BudgetNode> nodes = {
        node(7, QStringLiteral("over"), 130, 100, QStringLiteral("1mo"), reset),
        node(7, QStringLiteral("within"), 99, 100, QStringLiteral("1mo"), reset),
        node(7, QStringLiteral("no-budget"), 500, std::nullopt, QStringLiteral("1mo"), reset),
        node(7, QStringLiteral("no-reset"), 500, 100, QString(), QDateTime()),
        node(7, QStringLiteral("team-over"), 500, 100, QStringLiteral("1mo"), reset, BudgetNode::Kind::Team),
        node(9, QStringLiteral("unknown-connection"), 500, 100, QStringLiteral("1mo"), reset),
    };
    const auto seen = observeOverflow(nodes, {{7, QStringLiteral("llm")}});
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().connection, QStringLiteral("llm"));
    QCOMPARE(seen.first().organization, QStringLiteral("over"));
    QCOMPARE(seen.first().organizationName, QStringLiteral("OVER"));
    QCOMPARE(seen.first().overflow(), 30.0);
    QCOMPARE(seen.first().periodStart, QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC));
}

void TestBudgetPolicy::settlementChecked()
{
    OverflowEntry e;
    e.organization = QStringLiteral("org-r");
    e.overflow = 20;
    QVERIFY(checkSettlement(e, QStringLiteral("INV-2026-11"), QString()));
    QCOMPARE(checkSettlement(e, QStringLiteral("  "), QString()).error().code,
             QStringLiteral("budgets.settle"));
    QVERIFY(checkSettlement(e, QString(201, QLatin1Char('r')), QString())
                .message()
                .contains(QLatin1String("200")));
    QVERIFY(!checkSettlement(e, QStringLiteral("r"), QString(2001, QLatin1Char('c'))));
    e.settledAmount = 20;
    QVERIFY(checkSettlement(e, QStringLiteral("INV"), QString())
                .message()
                .contains(QLatin1String("settled already")));

    // The change a person asks for says the same before the store is asked.
    BudgetRecordChange settle;
    settle.kind = BudgetRecordChange::Kind::Settle;
    settle.id = 3;
    settle.reference = QStringLiteral(" ");
    QCOMPARE(validateBudgetRecordChange(settle).error().code, QStringLiteral("budgets.settle"));
    BudgetRecordChange credits;
    credits.kind = BudgetRecordChange::Kind::SetCredits;
    credits.connection = QStringLiteral("llm");
    credits.organization = QStringLiteral("org-r");
    credits.factor = -1;
    QCOMPARE(validateBudgetRecordChange(credits).error().code, QStringLiteral("budgets.credits"));
    BudgetRecordChange policy;
    policy.policy =
        record(PolicyScope::Team, QStringLiteral("t"), PolicyItem::Guardrails, {QStringLiteral("*")});
    QCOMPARE(validateBudgetRecordChange(policy).error().code, QStringLiteral("budgets.policy"));
}

void TestBudgetPolicy::modelInfo()
{
    const auto read = parseModelInfo(R"({"data":[
        {"model_name":"gpt-4","litellm_params":{"model":"gpt-4"},
         "model_info":{"id":"e889","litellm_provider":"openai","input_cost_per_token":3.0e-05,
                       "output_cost_per_token":6.0e-05,"mode":"chat"}},
        {"model_name":"local","litellm_params":{"model":"ollama/llama3"},
         "model_info":{"id":"l1","input_cost_per_token":null}}]})");
    QVERIFY2(read, read ? "" : qPrintable(read.message()));
    QCOMPARE(read->size(), 2);
    QCOMPARE(read->at(0).id, QStringLiteral("e889"));
    QCOMPARE(read->at(0).modelName, QStringLiteral("gpt-4"));
    QCOMPARE(read->at(0).provider, QStringLiteral("openai"));
    QCOMPARE(read->at(0).inputCostPerToken, std::optional<double>(3.0e-05));
    QCOMPARE(read->at(0).outputCostPerToken, std::optional<double>(6.0e-05));
    QCOMPARE(read->at(1).inputCostPerToken, std::optional<double>());
    QCOMPARE(read->at(1).provider, QString());
    for (const char *bad :
         {"", "{", "[]", R"({"data":{}})", R"({"data":[1]})", R"({"data":[{"model_name":"x"}]})",
          R"({"data":[{"model_name":7,"litellm_params":{},"model_info":{"id":"i"}}]})",
          R"({"data":[{"model_name":"x","litellm_params":{},"model_info":{}}]})"}) {
        const auto r = parseModelInfo(QByteArray(bad));
        QVERIFY2(!r, bad);
        QVERIFY2(!r.message().isEmpty(), bad);
    }
}

void TestBudgetPolicy::recordsOnBothStores_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("local") << "local";
    QTest::newRow("team") << "team";
}

void TestBudgetPolicy::recordsOnBothStores()
{
    QFETCH(QString, kind);
    if (kind == QLatin1String("team") && !m_pgStarted) {
        QString why;
        const auto started = m_pg.start(m_dir.path(), &why);
        if (started == PostgresTestbed::Start::Missing) {
            OPSDECK_REQUIRE_COMPONENT(false, QStringLiteral("PostgreSQL 15"));
        }
        QVERIFY2(started == PostgresTestbed::Start::Ok, qPrintable(why));
        m_pgStarted = true;
    }
    auto alice = m_pg.storeWithSuperuser(kind, QStringLiteral("budget-") + kind, m_dir.path(),
                                         QStringLiteral("alice"));
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));

    // Policies: checked first, one per scope and item, set again in place, removed.
    const auto models =
        BudgetRecords::setPolicy(*alice, record(PolicyScope::Team, QStringLiteral("t-ml"), PolicyItem::Models,
                                                {QStringLiteral("gpt-4o"), QStringLiteral("claude-3")}));
    QVERIFY2(models, models ? "" : qPrintable(models.message()));
    const auto again =
        BudgetRecords::setPolicy(*alice, record(PolicyScope::Team, QStringLiteral("t-ml"), PolicyItem::Models,
                                                {QStringLiteral("gpt-4o")}));
    QVERIFY(again);
    QCOMPARE(again.value(), models.value());
    QVERIFY(BudgetRecords::setPolicy(*alice, record(PolicyScope::Organization, QStringLiteral("org-r"),
                                                    PolicyItem::CreateAgents, {}, false)));
    QVERIFY(BudgetRecords::setPolicy(*alice, record(PolicyScope::User, QStringLiteral("alice"),
                                                    PolicyItem::Guardrails, {QStringLiteral("pii")})));
    QCOMPARE(
        BudgetRecords::setPolicy(*alice, record(PolicyScope::Team, QStringLiteral("t"), PolicyItem::Models,
                                                {QStringLiteral("*"), QStringLiteral("x")}))
            .error()
            .code,
        QStringLiteral("budgets.policy"));
    QVERIFY(BudgetRecords::setPolicy(
        *alice, record(PolicyScope::User, QStringLiteral("alice"), PolicyItem::Guardrails, {}), true));
    auto policies = BudgetRecords::policies(*alice);
    QVERIFY2(policies, policies ? "" : qPrintable(policies.message()));
    QCOMPARE(policies->size(), 2);
    QList<EffectiveItem> e = effectivePolicy(policies.value(), QStringLiteral("llm"),
                                             {QStringLiteral("org-r"), {}, QStringLiteral("t-ml"), {}});
    QCOMPARE(e.at(0).valueText(), QStringLiteral("gpt-4o"));
    QCOMPARE(e.at(0).decidedText(), QStringLiteral("Team t-ml"));
    QCOMPARE(e.at(3).valueText(), QStringLiteral("not allowed"));
    QCOMPARE(policies->first().updatedBy, QStringLiteral("alice"));

    // Groups.
    QVERIFY(BudgetRecords::setGroup(
        *alice, {QStringLiteral("llm"), QStringLiteral("t-ml"), QStringLiteral("research")}));
    QVERIFY(BudgetRecords::setGroup(*alice,
                                    {QStringLiteral("llm"), QStringLiteral("t-web"), QStringLiteral("web")}));
    QVERIFY(BudgetRecords::setGroup(*alice, {QStringLiteral("llm"), QStringLiteral("t-web"), QString()}));
    QCOMPARE(
        BudgetRecords::setGroup(*alice, {QStringLiteral("llm"), QStringLiteral("t"), QStringLiteral("a/b")})
            .error()
            .code,
        QStringLiteral("budgets.policy"));
    const auto groups = BudgetRecords::groups(*alice);
    QVERIFY(groups);
    QCOMPARE(groups->size(), 1);
    QCOMPARE(groups->first().group, QStringLiteral("research"));

    // Credits factors.
    QVERIFY(BudgetRecords::setCredits(*alice, QStringLiteral("llm"), QStringLiteral("org-r"), 1.5,
                                      QStringLiteral("plan B")));
    QVERIFY(BudgetRecords::setCredits(*alice, QStringLiteral("llm"), QStringLiteral("org-x"), 2.0, {}));
    QVERIFY(
        BudgetRecords::setCredits(*alice, QStringLiteral("llm"), QStringLiteral("org-x"), std::nullopt, {}));
    QCOMPARE(BudgetRecords::setCredits(*alice, QStringLiteral("llm"), QStringLiteral("org-r"), 5000.0, {})
                 .error()
                 .code,
             QStringLiteral("budgets.credits"));
    const auto credits = BudgetRecords::credits(*alice);
    QVERIFY(credits);
    QCOMPARE(credits->size(), 1);
    QCOMPARE(credits->first().factor, 1.5);
    QCOMPARE(credits->first().comment, QStringLiteral("plan B"));

    // The overflow ledger: accrued within a period, settled, opened again by more spend.
    OverflowObservation seen;
    seen.connection = QStringLiteral("llm");
    seen.organization = QStringLiteral("org-r");
    seen.periodEnd = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    seen.periodStart = QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC);
    seen.budget = 100;
    seen.spend = 125;
    const auto id = BudgetRecords::recordOverflow(*alice, seen);
    QVERIFY2(id, id ? "" : qPrintable(id.message()));
    seen.spend = 120; // a lower figure: kept at 25
    QCOMPARE(BudgetRecords::recordOverflow(*alice, seen).value(), id.value());
    seen.spend = 90;
    QCOMPARE(BudgetRecords::recordOverflow(*alice, seen).error().code, QStringLiteral("budgets.overflow"));
    auto ledger = BudgetRecords::overflow(*alice);
    QVERIFY(ledger);
    QCOMPARE(ledger->size(), 1);
    QCOMPARE(ledger->first().overflow, 25.0);
    QCOMPARE(ledger->first().periodEnd, seen.periodEnd);
    QCOMPARE(ledger->first().periodStart, seen.periodStart);
    QCOMPARE(BudgetRecords::settleOverflow(*alice, id.value(), QStringLiteral(" "), {}).error().code,
             QStringLiteral("budgets.settle"));
    const auto settled =
        BudgetRecords::settleOverflow(*alice, id.value(), QStringLiteral("INV-11"), QStringLiteral("paid"));
    QVERIFY2(settled, settled ? "" : qPrintable(settled.message()));
    QCOMPARE(settled.value(), 25.0);
    QCOMPARE(BudgetRecords::settleOverflow(*alice, id.value(), QStringLiteral("INV-12"), {}).error().code,
             QStringLiteral("budgets.settle"));
    QCOMPARE(BudgetRecords::settleOverflow(*alice, 99999, QStringLiteral("INV"), {}).error().code,
             QStringLiteral("workspace.no-record"));
    seen.spend = 140;
    QVERIFY(BudgetRecords::recordOverflow(*alice, seen));
    ledger = BudgetRecords::overflow(*alice);
    QCOMPARE(ledger->first().overflow, 40.0);
    QCOMPARE(ledger->first().settledAmount, 25.0);
    QCOMPARE(ledger->first().open(), 15.0);
    QCOMPARE(ledger->first().reference, QStringLiteral("INV-11"));
    QCOMPARE(ledger->first().settledBy, QStringLiteral("alice"));
    QVERIFY(ledger->first().settledAt.isValid());

    // The copy in the cache reads back as the store has it.
    const auto copy = BudgetRecords::read(*alice, true, true, true, true);
    QVERIFY2(copy, copy ? "" : qPrintable(copy.message()));
    {
        CacheTransaction tx;
        QVERIFY(tx.begin());
        QVERIFY(BudgetRecords::writeCopy(tx.db(), copy.value()));
        QVERIFY(tx.commit());
    }
    const auto cachedLedger = loadOverflow(Database::connection());
    QVERIFY(cachedLedger);
    QCOMPARE(cachedLedger->size(), 1);
    QCOMPARE(cachedLedger->first().open(), 15.0);
    QCOMPARE(cachedLedger->first().periodEnd, seen.periodEnd);
    const auto cachedCredits = loadCreditsFactors(Database::connection());
    QVERIFY(cachedCredits);
    QCOMPARE(cachedCredits->size(), 1);
    QCOMPARE(cachedCredits->first().factor, 1.5);
    QCOMPARE(queryText(QStringLiteral("SELECT value FROM workspace_budget_policies WHERE item = 'models'")),
             QStringLiteral(R"(["gpt-4o"])"));
    QCOMPARE(queryText(QStringLiteral("SELECT group_name FROM workspace_budget_groups")),
             QStringLiteral("research"));
}

void TestBudgetPolicy::whoMayChangeAndSettle()
{
    // On the team store the store decides: a user without budget.policy cannot set a policy, a
    // credits factor or a group; with it on the connection they can, but settling needs
    // budget.settle; a grant on another connection does not reach this one.
    if (!m_pgStarted)
        QSKIP("PostgreSQL did not start in recordsOnBothStores");
    QString database;
    auto alice = m_pg.storeWithSuperuser(QStringLiteral("team"), QStringLiteral("budget-who"), m_dir.path(),
                                         QStringLiteral("alice"), &database);
    QVERIFY2(alice, alice ? "" : qPrintable(alice.message()));
    PersonChange add;
    add.kind = PersonChange::Kind::Add;
    add.login = QStringLiteral("pam");
    add.role = QStringLiteral("user");
    QVERIFY(PeopleChanges::apply(*alice, add));
    auto pam = m_pg.as(QStringLiteral("pam"), database, QStringLiteral("budget-who-pam"));
    QVERIFY(pam);
    const PolicyRecord models =
        record(PolicyScope::Team, QStringLiteral("t-ml"), PolicyItem::Models, {QStringLiteral("gpt-4o")});
    auto refused = BudgetRecords::setPolicy(*pam, models);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QStringLiteral("workspace.denied"));
    QVERIFY2(refused.message().contains(QLatin1String("pam may not change budget policies on llm")),
             qPrintable(refused.message()));
    QCOMPARE(
        BudgetRecords::setCredits(*pam, QStringLiteral("llm"), QStringLiteral("org-r"), 2.0, {}).error().code,
        QStringLiteral("workspace.denied"));
    QCOMPARE(
        BudgetRecords::setGroup(*pam, {QStringLiteral("llm"), QStringLiteral("t-ml"), QStringLiteral("g")})
            .error()
            .code,
        QStringLiteral("workspace.denied"));

    const auto grant = [&](const QString &action, const QString &scope) {
        GrantChange g;
        g.grant.subjectKind = QStringLiteral("person");
        g.grant.subject = QStringLiteral("pam");
        g.grant.action = action;
        g.grant.scope = scope;
        g.grant.allow = true;
        return GrantChanges::apply(*alice, g);
    };
    QVERIFY(grant(QStringLiteral("budget.policy"), QStringLiteral("connection:other")));
    QCOMPARE(BudgetRecords::setPolicy(*pam, models).error().code, QStringLiteral("workspace.denied"));
    QVERIFY(grant(QStringLiteral("budget.policy"), QStringLiteral("connection:llm")));
    const auto set = BudgetRecords::setPolicy(*pam, models);
    QVERIFY2(set, set ? "" : qPrintable(set.message()));
    QCOMPARE(BudgetRecords::policies(*alice)->first().updatedBy, QStringLiteral("pam"));

    // Overflow: recorded by one who may change policies; settled only with budget.settle.
    OverflowObservation seen;
    seen.connection = QStringLiteral("llm");
    seen.organization = QStringLiteral("org-r");
    seen.periodEnd = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    seen.budget = 10;
    seen.spend = 12;
    const auto id = BudgetRecords::recordOverflow(*pam, seen);
    QVERIFY2(id, id ? "" : qPrintable(id.message()));
    QCOMPARE(BudgetRecords::settleOverflow(*pam, id.value(), QStringLiteral("INV"), {}).error().code,
             QStringLiteral("workspace.denied"));
    QCOMPARE(BudgetRecords::overflow(*alice)->first().settledAmount, 0.0);
    QVERIFY(grant(QStringLiteral("budget.settle"), QStringLiteral("connection:llm")));
    const auto settled = BudgetRecords::settleOverflow(*pam, id.value(), QStringLiteral("INV"), {});
    QVERIFY2(settled, settled ? "" : qPrintable(settled.message()));
    QCOMPARE(settled.value(), 2.0);
    QCOMPARE(BudgetRecords::overflow(*alice)->first().settledBy, QStringLiteral("pam"));
}

void TestBudgetPolicy::changesAuditedByTheService()
{
    // Through the workspace service on the local store: each change audited with the value before
    // and after; a refused one audited as refused and changing nothing; the copy follows.
    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    host.startAll();
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("service-local.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));
    const auto change = [&](const QList<BudgetRecordChange> &changes) {
        QSignalSpy done(service, &WorkspaceService::budgetRecordsChanged);
        QMetaObject::invokeMethod(
            service, [service, changes] { service->changeBudgetRecords(changes, QStringLiteral("r")); });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 15000);
        }();
        return done.isEmpty() ? QVariantList() : done.first();
    };
    BudgetRecordChange set;
    set.kind = BudgetRecordChange::Kind::SetPolicy;
    set.policy = record(PolicyScope::Organization, QStringLiteral("org-r"), PolicyItem::Models,
                        {QStringLiteral("gpt-4o")});
    set.comment = QStringLiteral("start small");
    BudgetRecordChange credits;
    credits.kind = BudgetRecordChange::Kind::SetCredits;
    credits.connection = QStringLiteral("llm");
    credits.organization = QStringLiteral("org-r");
    credits.factor = 1.2;
    BudgetRecordChange bad = set;
    bad.policy.values = {QStringLiteral("*"), QStringLiteral("x")};
    QVariantList done = change({set, credits, bad});
    QCOMPARE(done.at(1).toInt(), 2);
    QCOMPARE(done.at(2).toStringList().size(), 1);
    QVERIFY2(done.at(2).toStringList().first().contains(QLatin1String("stands alone")),
             qPrintable(done.at(2).toStringList().first()));
    QTRY_COMPARE_WITH_TIMEOUT(queryText(QStringLiteral("SELECT factor FROM workspace_budget_credits")),
                              QStringLiteral("1.2"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        queryText(QStringLiteral("SELECT value FROM workspace_budget_policies WHERE scope_id = 'org-r'")),
        QStringLiteral(R"(["gpt-4o"])"), 10000);
    QCOMPARE(
        queryText(QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE action = 'budget.policy.set' AND "
                                 "outcome = 'failure'")),
        QStringLiteral("1"));

    // Set again: the event has what was there before.
    set.policy.values = {QStringLiteral("gpt-4o"), QStringLiteral("o1")};
    done = change({set});
    QCOMPARE(done.at(1).toInt(), 1);
    const QJsonObject details =
        QJsonDocument::fromJson(
            queryText(QStringLiteral("SELECT details FROM audit_events WHERE action = "
                                     "'budget.policy.set' AND outcome = 'success' ORDER BY id "
                                     "DESC"))
                .toUtf8())
            .object();
    QCOMPARE(details.value(QLatin1String("before")).toArray(), QJsonArray{QStringLiteral("gpt-4o")});
    QCOMPARE(details.value(QLatin1String("after")).toArray(),
             (QJsonArray{QStringLiteral("gpt-4o"), QStringLiteral("o1")}));
    host.stopAll();
}

void TestBudgetPolicy::theTabsFollowTheWorkspace()
{
    // The Policies and Credits tabs over a local workspace: a policy set from the tab reaches the
    // records, the effective policy and the drift (with the update a dry run would show); a credits
    // factor shows beside spend, in the tab and in the budget tree; an overflow the sync saw is in
    // the ledger and is settled from the tab, audited.
    QSqlQuery q(Database::connection());
    for (const char *sql :
         {"INSERT INTO connections (id, uid, kind, name, endpoint, created_at, updated_at) VALUES "
          "(41, 'p41', 'litellm', 'llm', 'https://llm.example.com', '', '')",
          "INSERT INTO litellm_organizations (connection_id, organization_id, alias, spend, max_budget, "
          "budget_duration, budget_reset_at, synced_at) VALUES (41, 'org-r', 'Research', 150, 100, '1mo', "
          "'2027-01-01T00:00:00.000Z', '')",
          "INSERT INTO litellm_teams (connection_id, team_id, alias, organization_id, spend, models, "
          "blocked, "
          "synced_at) VALUES (41, 't-ml', 'ml', 'org-r', 20, '[\"gpt-4o\",\"o1\"]', 0, '')",
          "INSERT INTO litellm_users (connection_id, user_id, alias, email, organization_id, spend, "
          "synced_at) "
          "VALUES (41, 'alice', 'Alice', 'alice@example.com', 'org-r', 10, '')",
          "INSERT INTO litellm_team_members (connection_id, team_id, user_id, role, spend) VALUES "
          "(41, 't-ml', 'alice', 'user', 10)",
          "INSERT INTO litellm_keys (connection_id, token, key_name, alias, user_id, team_id, "
          "organization_id, "
          "spend, models, synced_at) VALUES (41, 'h-ml', 'sk-...0041', 'ml-ci', 'alice', 't-ml', 'org-r', 4, "
          "'[]', '')"})
        QVERIFY2(q.exec(QLatin1String(sql)), qPrintable(q.lastError().text()));

    ServiceHost host;
    auto *service = host.add(new WorkspaceService, QStringLiteral("workspace"));
    host.startAll();
    QSignalSpy state(service, &WorkspaceService::stateChanged);
    const QString path = m_dir.filePath(QStringLiteral("tabs-local.sqlite"));
    QMetaObject::invokeMethod(service, [service, path] { service->openLocal(path, QStringLiteral("ada")); });
    QTRY_VERIFY_WITH_TIMEOUT(!state.isEmpty(), 10000);
    QVERIFY2(state.last().at(0).toBool(), qPrintable(state.last().at(1).toString()));

    PoliciesTab policies(service, nullptr);
    CreditsTab credits(service);
    QAbstractItemModelTester t1(policies.records(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(policies.drift(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(policies.effective(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t4(credits.credits(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t5(credits.overflow(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy messages(&policies, &PoliciesTab::message);

    BudgetRecordChange set;
    set.kind = BudgetRecordChange::Kind::SetPolicy;
    set.policy = record(PolicyScope::Organization, QStringLiteral("org-r"), PolicyItem::Models,
                        {QStringLiteral("gpt-4o")});
    policies.sendRecordChanges({set});
    QTRY_COMPARE_WITH_TIMEOUT(policies.records()->rowCount(), 1, 10000);
    QCOMPARE(policies.records()->index(0, PolicyRecordsModel::Value).data().toString(),
             QStringLiteral("gpt-4o"));
    QCOMPARE(policies.records()->index(0, PolicyRecordsModel::Scope).data().toString(),
             QStringLiteral("Account"));
    QTRY_COMPARE_WITH_TIMEOUT(policies.drift()->driftedCount(), 1, 10000);
    QVERIFY2(policies.driftSummary().startsWith(QLatin1String("1 of 2")),
             qPrintable(policies.driftSummary()));
    // The drifted team comes first, in bold red; the team's key with no models of its own is held to
    // the team's on the proxy and is in line.
    QTRY_COMPARE_WITH_TIMEOUT(policies.driftView()->model()->rowCount(), 2, 10000);
    const QAbstractItemModel *shown = policies.driftView()->model();
    QCOMPARE(shown->index(0, PolicyDriftModel::Name).data().toString(), QStringLiteral("ml"));
    QCOMPARE(shown->index(0, PolicyDriftModel::Name).data(Qt::ForegroundRole).value<QColor>(),
             QColor(0xcf, 0x22, 0x2e));
    QVERIFY(shown->index(0, PolicyDriftModel::State).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!shown->index(1, PolicyDriftModel::Name).data(Qt::ForegroundRole).isValid());
    QCOMPARE(shown->index(1, PolicyDriftModel::OnProxy).data().toString(),
             QStringLiteral("the team's models"));
    QCOMPARE(shown->index(1, PolicyDriftModel::State).data().toString(),
             QStringLiteral("As the policy says"));
    const auto updates = policies.pendingUpdates();
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.first().first, qint64(41));
    QCOMPARE(QJsonDocument(updates.first().second.body).toJson(QJsonDocument::Compact),
             QByteArray(R"({"models":["gpt-4o"],"team_id":"t-ml"})"));
    QTRY_VERIFY(!messages.isEmpty() &&
                messages.last().at(0).toString().contains(QLatin1String("1 policy change")));

    // Alice's effective policy, in her team and on her own keys: the account decides.
    QTRY_COMPARE_WITH_TIMEOUT(policies.subjectCombo()->count(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(policies.effective()->rowCount(), 2 * int(policyItems().size()), 10000);
    const auto decidedByAccount = [&policies] {
        for (int row = 0; row < policies.effective()->rowCount(); ++row)
            if (policies.effective()->index(row, EffectivePolicyModel::Item).data().toString() ==
                    QStringLiteral("Allowed models") &&
                policies.effective()->index(row, EffectivePolicyModel::DecidedBy).data().toString() ==
                    QStringLiteral("Account org-r"))
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(decidedByAccount(), 10000);

    // A credits factor: beside spend in the tab, and in the tree for the account and its team.
    BudgetRecordChange factor;
    factor.kind = BudgetRecordChange::Kind::SetCredits;
    factor.connection = QStringLiteral("llm");
    factor.organization = QStringLiteral("org-r");
    factor.factor = 1.5;
    credits.sendRecordChanges({factor});
    QTRY_COMPARE_WITH_TIMEOUT(credits.credits()->factorAt(0), std::optional<double>(1.5), 10000);
    QCOMPARE(credits.credits()->index(0, CreditsModel::Credits).data(CacheTableModel::RawRole).toDouble(),
             225.0);
    const auto nodes = loadBudgetNodes(Database::connection(), QDateTime::currentDateTimeUtc());
    QVERIFY(nodes);
    int withFactor = 0;
    for (const BudgetNode &n : nodes.value())
        if (n.connectionId == 41 && n.creditsFactor == std::optional<double>(1.5))
            ++withFactor;
    QCOMPARE(withFactor, 5); // the account, its team, the team's member, her key there and the account's user

    // The overflow the sync saw, then settled from the tab.
    QHash<qint64, QString> names = {{41, QStringLiteral("llm")}};
    QList<BudgetNode> mine;
    for (const BudgetNode &n : nodes.value())
        if (n.connectionId == 41)
            mine << n;
    const QList<OverflowObservation> seen = observeOverflow(mine, names);
    QCOMPARE(seen.size(), 1);
    QMetaObject::invokeMethod(service, [service, seen] { service->recordOverflow(seen); });
    QTRY_COMPARE_WITH_TIMEOUT(credits.overflow()->rowCount(), 1, 10000);
    QVERIFY2(credits.totalsText().contains(QLatin1String("$50.00")), qPrintable(credits.totalsText()));
    const OverflowEntry entry = credits.overflow()->entryAt(0);
    QCOMPARE(entry.overflow, 50.0);
    SettleDialog dialog(entry, QStringLiteral("Research"));
    QVERIFY(!dialog.problemText().isEmpty()); // no reference yet
    dialog.referenceEdit()->setText(QStringLiteral("INV-7"));
    QVERIFY(dialog.problemText().isEmpty());
    credits.sendRecordChanges({dialog.change()});
    QTRY_VERIFY_WITH_TIMEOUT(credits.overflow()->entryAt(0).settled(), 10000);
    QCOMPARE(credits.overflow()->index(0, OverflowModel::Reference).data().toString(),
             QStringLiteral("INV-7"));
    QCOMPARE(
        queryText(QStringLiteral("SELECT outcome || ' ' || backend_identity FROM audit_events WHERE action = "
                                 "'budget.overflow.settle' ORDER BY id DESC")),
        QStringLiteral("success ada"));
    host.stopAll();
}

void TestBudgetPolicy::dialogsSayWhatIsWrong()
{
    BudgetPolicyDialog dialog({QStringLiteral("llm")},
                              {{QStringLiteral("models"), {QStringLiteral("gpt-4o")}}});
    QVERIFY(!dialog.problemText().isEmpty()); // for whom?
    dialog.scopeIdEdit()->setText(QStringLiteral("t-ml"));
    dialog.namesEdit()->setText(QStringLiteral("*, gpt-4o"));
    QVERIFY2(dialog.problemText().contains(QLatin1String("stands alone")), qPrintable(dialog.problemText()));
    dialog.namesEdit()->setText(QStringLiteral("gpt-4o, claude-3"));
    QVERIFY(dialog.problemText().isEmpty());
    const auto change = dialog.change();
    QVERIFY(change);
    QCOMPARE(change->policy.values, (QStringList{QStringLiteral("claude-3"), QStringLiteral("gpt-4o")}));
    // A flag has no names, only allowed or not.
    dialog.itemCombo()->setCurrentIndex(dialog.itemCombo()->findData(int(PolicyItem::CreateAgents)));
    QVERIFY(dialog.allowedCheck()->isVisibleTo(&dialog));
    QVERIFY(!dialog.namesEdit()->isVisibleTo(&dialog));

    CreditsDialog credits(QStringLiteral("llm"), QStringLiteral("org-r"), QStringLiteral("Research"), 200,
                          1.0);
    credits.factorSpin()->setValue(1.25);
    QVERIFY2(credits.previewText().contains(QLatin1String("250.00 credits")),
             qPrintable(credits.previewText()));
    credits.removeCheck()->setChecked(true);
    QCOMPARE(credits.change().kind, BudgetRecordChange::Kind::RemoveCredits);
}

QTEST_MAIN(TestBudgetPolicy)
#include "tst_budgetpolicy.moc"
