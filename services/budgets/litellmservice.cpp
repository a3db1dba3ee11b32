#include "services/budgets/litellmservice.h"

#include "models/audit/auditevent.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/budgets/budgetalerts.h"
#include "services/budgets/spendlogstore.h"
#include "services/connections/secretstore.h"
#include "services/net/httpclient.h"
#include "services/store/auditlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QTimer>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcLiteLLM, "opsdeck.litellm")

namespace opsdeck {

namespace {
constexpr int listPageSize = 100; // users (page_size) and keys (size): the proxy's maximum
constexpr int maxPages = 100000;  // a proxy that pages forever is stopped here

enum class Stage {
    Organizations,
    Teams,
    Customers,
    Budgets,
    Users,
    Keys,
    Models,
    SpendLogs,
    DailyActivity,
    Done
};

// The proxy's spend log dates: "2025-11-25 00:00:00", UTC.
QString proxyTime(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString json(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QVariant amount(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::Double));
}

QVariant limit(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString stored(const QDateTime &t)
{
    return t.isValid() ? toStoredTime(t) : QStringLiteral("");
}
} // namespace

struct LiteLLMService::Walk
{
    Connection connection;
    QString secret;
    HttpClient *client = nullptr;
    Stage stage = Stage::Organizations;
    int page = 1;
    QDateTime spendFrom;
    QDateTime spendTo;
    QDate dailyFrom;
    LiteLLMSnapshot snapshot;
};

LiteLLMService::LiteLLMService(QObject *parent) : Service(parent) {}

void LiteLLMService::initialize()
{
    if (!m_autoSync)
        return;
    auto *timer = new QTimer(this);
    timer->setInterval(30 * 1000);
    connect(timer, &QTimer::timeout, this, &LiteLLMService::syncDue);
    timer->start();
    QTimer::singleShot(4000, this, &LiteLLMService::syncDue);
}

void LiteLLMService::shutdown()
{
    for (HttpClient *client : std::as_const(m_clients))
        client->cancelAll();
}

void LiteLLMService::syncDue()
{
    if (!m_autoSync || m_demo)
        return;
    const auto all = ConnectionStore::all(Database::connection());
    if (!all)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Connection &c : all.value())
        if (c.kind == ConnectionKind::LiteLLM && !m_running.contains(c.id) &&
            ConnectionStore::isSyncDue(Database::connection(), c, scope, now))
            syncBudgets(c.id);
}

void LiteLLMService::syncBudgets(qint64 connectionId)
{
    if (m_running.contains(connectionId)) {
        m_syncAgain.insert(connectionId);
        return;
    }
    const auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit syncFinished(connectionId, Outcome::failure(found.error()));
    const Connection c = found.value();
    if (c.kind != ConnectionKind::LiteLLM)
        return;
    emit syncStarted(connectionId);
    if (m_demo)
        return emit syncFinished(connectionId, Outcome::success(tr("Demo data")));
    m_running.insert(connectionId);
    {
        CacheTransaction tx;
        if (tx.begin() &&
            ConnectionStore::recordAttempt(tx.db(), connectionId, scope, QDateTime::currentDateTimeUtc()))
            (void)tx.commit();
    }
    const auto latest = SpendLogStore::latest(Database::connection(), connectionId);
    if (!latest)
        return finish(c, Outcome::failure(latest.error()));
    withClient(
        c, [this, c, latest](HttpClient *client, const QString &secret, const std::optional<Error> &error) {
            if (error)
                return finish(c, Outcome::failure(*error));
            auto walk = std::make_shared<Walk>();
            walk->connection = c;
            walk->secret = secret;
            walk->client = client;
            // A first sync reads every row the proxy keeps; later ones from the latest row held, less
            // the overlap in which late rows of earlier requests arrive.
            walk->spendFrom = latest->isValid() ? SpendLogStore::nextStart(latest.value())
                                                : QDateTime(QDate(2000, 1, 1), QTime(0, 0), QTimeZone::utc());
            walk->spendTo = QDateTime::currentDateTimeUtc().addDays(1);
            // The proxy's daily totals: again from two days before the latest it gave (today's and
            // yesterday's grow), the first time from the first spend log day (known after the logs).
            QSqlQuery q(Database::connection());
            q.prepare(QStringLiteral("SELECT MAX(day) FROM litellm_daily_spend WHERE connection_id = ?"));
            q.addBindValue(c.id);
            if (q.exec() && q.next() && !q.value(0).isNull())
                walk->dailyFrom = QDate::fromString(q.value(0).toString(), Qt::ISODate).addDays(-2);
            step(walk);
        });
}

void LiteLLMService::withClient(
    const Connection &c,
    std::function<void(HttpClient *, const QString &, const std::optional<Error> &)> then)
{
    SecretStore::instance()->read(c.secretKey(), this, [this, c, then](const Result<QString> &secret) {
        if (!secret)
            return then(nullptr, QString(), secret.error());
        HttpClient *client = m_clients.value(c.id);
        if (!client) {
            client = new HttpClient(this);
            m_clients.insert(c.id, client);
        }
        if (auto r = client->setCaFile(c.caFile); !r)
            return then(nullptr, QString(), r.error());
        then(client, secret.value(), std::nullopt);
    });
}

void LiteLLMService::applyChange(quint64 requestId, qint64 connectionId, const ProxyChange &change)
{
    const auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit changeFinished(requestId, Outcome::failure(found.error()));
    const Connection c = found.value();
    const auto audit = [c, change](const Outcome &outcome) {
        // Refused or failed: the event alone, the cache as it was.
        AuditEvent e = changeEvent(c, change, outcome);
        return AuditLog::record(e);
    };
    if (m_demo) {
        const Outcome refused = Outcome::failure(makeError(
            "demo.readonly", tr("The demo's proxy is not real: %1 was not sent.").arg(change.summary)));
        (void)audit(refused);
        return emit changeFinished(requestId, refused);
    }
    withClient(c, [this, c, change, requestId, audit](HttpClient *client, const QString &secret,
                                                      const std::optional<Error> &error) {
        if (error) {
            const Outcome failed = Outcome::failure(*error);
            (void)audit(failed);
            return emit changeFinished(requestId, failed);
        }
        QUrl url(c.endpoint.trimmed());
        url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + change.path);
        HttpRequest r;
        r.method = change.method;
        r.url = url;
        r.body = QJsonDocument(change.body).toJson(QJsonDocument::Compact);
        r.headers = {{"Authorization", "Bearer " + secret.toUtf8()}, {"Content-Type", "application/json"}};
        r.idempotent = false;
        r.what = change.summary;
        client->send(r, this, [this, c, change, requestId, audit](const HttpResponse &response) {
            if (!response.ok()) {
                const Outcome refused = Outcome::failure(response.error.value());
                if (auto recorded = audit(refused); !recorded)
                    qCWarning(lcLiteLLM).noquote() << "not in the audit log:" << recorded.message();
                qCWarning(lcLiteLLM).noquote() << change.path << "refused:" << refused.message;
                return emit changeFinished(requestId, refused);
            }
            const Outcome done = storeChange(c, change);
            emit changeFinished(requestId, done);
        });
    });
}

Outcome LiteLLMService::storeChange(const Connection &c, const ProxyChange &change)
{
    // The proxy took it: the cache follows in one transaction with the audit event.
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return Outcome::failure(r.error());
    const QHash<QString, std::pair<QString, QString>> tables = {
        {QStringLiteral("organization"),
         {QStringLiteral("litellm_organizations"), QStringLiteral("organization_id")}},
        {QStringLiteral("team"), {QStringLiteral("litellm_teams"), QStringLiteral("team_id")}},
        {QStringLiteral("user"), {QStringLiteral("litellm_users"), QStringLiteral("user_id")}},
        {QStringLiteral("key"), {QStringLiteral("litellm_keys"), QStringLiteral("token")}},
        {QStringLiteral("budget"), {QStringLiteral("litellm_budgets"), QStringLiteral("budget_id")}}};
    const auto [table, idColumn] = tables.value(change.targetKind);
    QSqlQuery q(tx.db());
    const auto exec = [&q](const QString &sql, const QVariantList &values) {
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        return q.exec();
    };
    QStringList touched{table};
    bool ok = true;
    if (change.kind == ProxyChange::Kind::Delete) {
        if (change.targetKind == QLatin1String("user")) {
            // The proxy deletes a user's keys with the user.
            ok = exec(QStringLiteral("DELETE FROM litellm_keys WHERE connection_id = ? AND user_id = ?"),
                      {c.id, change.targetId}) &&
                 exec(QStringLiteral(
                          "DELETE FROM litellm_team_members WHERE connection_id = ? AND user_id = ?"),
                      {c.id, change.targetId});
            touched << QStringLiteral("litellm_keys") << QStringLiteral("litellm_team_members");
        }
        ok = ok &&
             exec(QStringLiteral("DELETE FROM %1 WHERE connection_id = ? AND %2 = ?").arg(table, idColumn),
                  {c.id, change.targetId});
    } else {
        for (const FieldChange &f : change.changes) {
            QVariant value;
            if (f.field == QLatin1String("models"))
                value = QString::fromUtf8(QJsonDocument(f.after.toArray()).toJson(QJsonDocument::Compact));
            else if (f.field == QLatin1String("blocked"))
                value = f.after.toBool() ? 1 : 0;
            else if (f.field == QLatin1String("budget_duration"))
                value = f.after.toString(); // "" when cleared
            else if (f.after.isNull())
                value = QVariant(QMetaType(QMetaType::Double));
            else
                value = f.after.toVariant();
            // Only the columns budgetedit.h names, each in this table.
            static const QStringList columns = {
                QStringLiteral("max_budget"),      QStringLiteral("soft_budget"),
                QStringLiteral("budget_duration"), QStringLiteral("tpm_limit"),
                QStringLiteral("rpm_limit"),       QStringLiteral("models"),
                QStringLiteral("blocked")};
            if (f.field == QLatin1String("guardrails")) {
                // The proxy's records do not report guardrails: what was applied is kept here.
                ok =
                    ok &&
                    exec(QStringLiteral("INSERT OR REPLACE INTO litellm_applied_guardrails (connection_id, "
                                        "target_kind, target_id, guardrails, applied_at) VALUES (?,?,?,?,?)"),
                         {c.id, change.targetKind, change.targetId,
                          QString::fromUtf8(QJsonDocument(f.after.toArray()).toJson(QJsonDocument::Compact)),
                          toStoredTime(QDateTime::currentDateTimeUtc())});
                touched << QStringLiteral("litellm_applied_guardrails");
                continue;
            }
            if (!columns.contains(f.field))
                continue;
            ok = ok && exec(QStringLiteral("UPDATE %1 SET %2 = ? WHERE connection_id = ? AND %3 = ?")
                                .arg(table, f.field, idColumn),
                            {value, c.id, change.targetId});
            // The accounts and end customers on a plan read their limits from it.
            if (change.targetKind == QLatin1String("budget")) {
                ok = ok &&
                     exec(QStringLiteral("UPDATE litellm_organizations SET %1 = ? WHERE connection_id = ? "
                                         "AND budget_id = ?")
                              .arg(f.field),
                          {value, c.id, change.targetId});
                if (f.field == QLatin1String("max_budget") || f.field == QLatin1String("budget_duration"))
                    ok = ok &&
                         exec(QStringLiteral("UPDATE litellm_customers SET %1 = ? WHERE connection_id = ? "
                                             "AND budget_id = ?")
                                  .arg(f.field),
                              {value, c.id, change.targetId});
                if (f.field == QLatin1String("budget_duration"))
                    for (const char *onPlan : {"litellm_organizations", "litellm_customers"})
                        ok = ok &&
                             exec(QStringLiteral("UPDATE %1 SET budget_reset_at = '' WHERE connection_id = ? "
                                                 "AND budget_id = ?")
                                      .arg(QLatin1String(onPlan)),
                                  {c.id, change.targetId});
                touched << QStringLiteral("litellm_organizations") << QStringLiteral("litellm_customers");
            }
            if (f.field == QLatin1String("budget_duration"))
                ok = ok && exec(QStringLiteral(
                                    "UPDATE %1 SET budget_reset_at = '' WHERE connection_id = ? AND %2 = ?")
                                    .arg(table, idColumn),
                                {c.id, change.targetId});
        }
    }
    if (!ok) {
        const Error e = makeError(
            "cache.write", tr("The proxy made the change, but the cache could not follow: %1 (the next sync "
                              "brings it)")
                               .arg(q.lastError().text()));
        tx.rollback();
        (void)AuditLog::record(changeEvent(c, change, Outcome::success(QString())));
        return Outcome::failure(e);
    }
    if (auto r = AuditLog::append(tx.db(), changeEvent(c, change, Outcome::success(QString()))); !r) {
        tx.rollback();
        return Outcome::failure(r.error());
    }
    for (const QString &t : std::as_const(touched))
        tx.touch(t, c.id);
    tx.touch(AuditLog::table, c.id);
    if (auto r = tx.commit(); !r)
        return Outcome::failure(r.error());
    qCInfo(lcLiteLLM).noquote() << c.name << change.method << change.path << "done:" << change.summary;
    return Outcome::success(change.kind == ProxyChange::Kind::Delete
                                ? tr("Deleted %1 %2.").arg(change.targetKind, change.targetName)
                                : tr("Done: %1").arg(change.summary));
}

AuditEvent LiteLLMService::changeEvent(const Connection &c, const ProxyChange &change, const Outcome &outcome)
{
    AuditEvent e = connectionEvent(c, change.action, change.targetKind, change.targetId, change.targetName);
    QJsonObject before;
    QJsonObject after;
    for (const FieldChange &f : change.changes) {
        before.insert(f.field, f.before);
        after.insert(f.field, f.after);
    }
    e.details = QJsonObject{
        {QStringLiteral("route"), QString::fromLatin1(change.method) + QLatin1Char(' ') + change.path},
        {QStringLiteral("before"), before},
        {QStringLiteral("after"), after}};
    if (!outcome.ok) {
        e.outcome = AuditOutcome::Failure;
        e.comment = outcome.message;
        e.details.insert(QStringLiteral("error"), outcome.code);
    }
    return e;
}

void LiteLLMService::setThresholds(qint64 connectionId, const QString &targetKind, const QString &targetId,
                                   const QList<int> &thresholds)
{
    CacheTransaction tx;
    Result<void> r = tx.begin();
    if (r)
        r = BudgetAlerts::setThresholds(tx.db(), connectionId, targetKind, targetId, thresholds,
                                        QDateTime::currentDateTimeUtc());
    // The new thresholds judge the figures at once.
    if (r) {
        const auto raised = BudgetAlerts::raise(tx.db(), connectionId, QDateTime::currentDateTimeUtc());
        r = raised ? Result<void>() : Result<void>(raised.error());
    }
    if (r) {
        tx.touch(QStringLiteral("budget_thresholds"), connectionId);
        tx.touch(QStringLiteral("budget_alerts"), connectionId);
        r = tx.commit();
    }
    emit thresholdsSet(connectionId,
                       r ? Outcome::success(tr("Alert thresholds kept.")) : Outcome::failure(r.error()));
}

void LiteLLMService::acknowledgeAlerts(const QList<qint64> &ids)
{
    CacheTransaction tx;
    Result<void> r = tx.begin();
    if (r)
        r = BudgetAlerts::acknowledge(tx.db(), ids, QDateTime::currentDateTimeUtc());
    if (r) {
        tx.touch(QStringLiteral("budget_alerts"));
        r = tx.commit();
    }
    if (!r)
        qCWarning(lcLiteLLM).noquote() << "cannot acknowledge the alerts:" << r.message();
}

void LiteLLMService::step(const std::shared_ptr<Walk> &walk)
{
    if (walk->stage == Stage::Done)
        return store(walk->connection, walk->snapshot);
    if (walk->page > maxPages)
        return finish(walk->connection,
                      Outcome::failure(makeError(
                          "litellm.pages", tr("The proxy answered with more than %1 pages.").arg(maxPages))));
    QUrl url(walk->connection.endpoint.trimmed());
    QString path;
    QUrlQuery query;
    QString what;
    switch (walk->stage) {
    case Stage::Organizations:
        path = QStringLiteral("/organization/list");
        what = tr("Listing the organizations of %1").arg(walk->connection.name);
        break;
    case Stage::Teams:
        path = QStringLiteral("/team/list");
        what = tr("Listing the teams of %1").arg(walk->connection.name);
        break;
    case Stage::Customers:
        path = QStringLiteral("/customer/list");
        what = tr("Listing the end customers of %1").arg(walk->connection.name);
        break;
    case Stage::Budgets:
        path = QStringLiteral("/budget/list");
        what = tr("Listing the budget plans of %1").arg(walk->connection.name);
        break;
    case Stage::Users:
        path = QStringLiteral("/user/list");
        query.addQueryItem(QStringLiteral("page"), QString::number(walk->page));
        query.addQueryItem(QStringLiteral("page_size"), QString::number(listPageSize));
        what = tr("Listing the users of %1 (page %2)").arg(walk->connection.name).arg(walk->page);
        break;
    case Stage::Keys:
        path = QStringLiteral("/key/list");
        query.addQueryItem(QStringLiteral("page"), QString::number(walk->page));
        query.addQueryItem(QStringLiteral("size"), QString::number(listPageSize));
        query.addQueryItem(QStringLiteral("return_full_object"), QStringLiteral("true"));
        what = tr("Listing the keys of %1 (page %2)").arg(walk->connection.name).arg(walk->page);
        break;
    case Stage::Models:
        path = QStringLiteral("/model/info");
        what = tr("Reading the models of %1").arg(walk->connection.name);
        break;
    case Stage::SpendLogs:
        path = QStringLiteral("/spend/logs/v2");
        query.addQueryItem(QStringLiteral("start_date"), proxyTime(walk->spendFrom));
        query.addQueryItem(QStringLiteral("end_date"), proxyTime(walk->spendTo));
        query.addQueryItem(QStringLiteral("page"), QString::number(walk->page));
        query.addQueryItem(QStringLiteral("page_size"), QString::number(m_spendPageSize));
        // Oldest first: rows written while the sync pages are added at the end, not shifted in.
        query.addQueryItem(QStringLiteral("sort_by"), QStringLiteral("startTime"));
        query.addQueryItem(QStringLiteral("sort_order"), QStringLiteral("asc"));
        what = tr("Reading the spend logs of %1 (page %2)").arg(walk->connection.name).arg(walk->page);
        break;
    case Stage::DailyActivity: {
        if (!walk->dailyFrom.isValid()) {
            QDate first = walk->snapshot.spendLogs.isEmpty()
                              ? QDate()
                              : walk->snapshot.spendLogs.first().startTime.date();
            for (const SpendLogRow &r : std::as_const(walk->snapshot.spendLogs))
                first = qMin(first, r.startTime.toUTC().date());
            walk->dailyFrom = first.isValid() ? first : QDateTime::currentDateTimeUtc().date().addDays(-30);
        }
        path = QStringLiteral("/user/daily/activity");
        query.addQueryItem(QStringLiteral("start_date"), walk->dailyFrom.toString(Qt::ISODate));
        query.addQueryItem(QStringLiteral("end_date"),
                           QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate));
        query.addQueryItem(QStringLiteral("page"), QString::number(walk->page));
        query.addQueryItem(QStringLiteral("page_size"), QString::number(1000));
        what = tr("Reading the daily spend of %1 (page %2)").arg(walk->connection.name).arg(walk->page);
        break;
    }
    case Stage::Done:
        break;
    }
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    url.setQuery(query);
    HttpRequest r;
    r.url = url;
    r.what = what;
    r.headers = {{"Authorization", "Bearer " + walk->secret.toUtf8()}};
    ++walk->snapshot.requests;
    walk->client->send(r, this, [this, walk](const HttpResponse &response) {
        // A proxy without daily activity (older releases answer 404): the sync goes on without
        // the proxy's own totals, and the pane says it cannot reconcile.
        if (!response.ok() && walk->stage == Stage::DailyActivity && response.status == 404) {
            walk->snapshot.dailyOffered = false;
            walk->snapshot.dailyNote = response.error->message;
            walk->stage = Stage::Done;
            return step(walk);
        }
        if (!response.ok())
            return finish(walk->connection, Outcome::failure(response.error.value()));
        const auto next = [&](bool morePages) {
            if (morePages) {
                ++walk->page;
            } else {
                walk->stage = Stage(int(walk->stage) + 1);
                walk->page = 1;
            }
            emit syncProgress(walk->connection.id, int(walk->stage) * 100 / int(Stage::Done));
            step(walk);
        };
        switch (walk->stage) {
        case Stage::Organizations: {
            const auto list = parseLiteLLMOrganizations(response.body);
            if (!list)
                return finish(walk->connection, Outcome::failure(list.error()));
            walk->snapshot.organizations = list.value();
            return next(false);
        }
        case Stage::Teams: {
            const auto list = parseLiteLLMTeams(response.body);
            if (!list)
                return finish(walk->connection, Outcome::failure(list.error()));
            walk->snapshot.teams = list.value();
            return next(false);
        }
        case Stage::Customers: {
            const auto list = parseLiteLLMCustomers(response.body);
            if (!list)
                return finish(walk->connection, Outcome::failure(list.error()));
            walk->snapshot.customers = list.value();
            return next(false);
        }
        case Stage::Budgets: {
            const auto list = parseBudgetPlans(response.body);
            if (!list)
                return finish(walk->connection, Outcome::failure(list.error()));
            walk->snapshot.budgets = list.value();
            return next(false);
        }
        case Stage::Users: {
            const auto page = parseLiteLLMUsers(response.body);
            if (!page)
                return finish(walk->connection, Outcome::failure(page.error()));
            walk->snapshot.users << page->items;
            return next(!page->items.isEmpty() && walk->page < page->totalPages);
        }
        case Stage::Keys: {
            const auto page = parseLiteLLMKeys(response.body);
            if (!page)
                return finish(walk->connection, Outcome::failure(page.error()));
            walk->snapshot.keys << page->items;
            return next(!page->items.isEmpty() && walk->page < page->totalPages);
        }
        case Stage::Models: {
            const auto list = parseModelInfo(response.body);
            if (!list)
                return finish(walk->connection, Outcome::failure(list.error()));
            walk->snapshot.models = list.value();
            return next(false);
        }
        case Stage::SpendLogs: {
            const auto page = parseSpendLogs(response.body);
            if (!page)
                return finish(walk->connection, Outcome::failure(page.error()));
            walk->snapshot.spendLogs << page->items;
            return next(!page->items.isEmpty() && walk->page < page->totalPages);
        }
        case Stage::DailyActivity: {
            const auto page = parseDailyActivity(response.body);
            if (!page)
                return finish(walk->connection, Outcome::failure(page.error()));
            walk->snapshot.daily << page->items;
            return next(!page->items.isEmpty() && walk->page < page->totalPages);
        }
        case Stage::Done:
            break;
        }
    });
}

void LiteLLMService::store(const Connection &c, const LiteLLMSnapshot &s)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return finish(c, Outcome::failure(r.error()));
    const QString now = toStoredTime(QDateTime::currentDateTimeUtc());
    QSqlQuery q(tx.db());
    const auto failed = [&]() {
        const Error e = makeError(
            "cache.write", tr("Cannot write the proxy's budgets to the cache: %1").arg(q.lastError().text()));
        tx.rollback();
        finish(c, Outcome::failure(e));
    };
    for (const char *table :
         {"litellm_organizations", "litellm_teams", "litellm_team_members", "litellm_users", "litellm_keys",
          "litellm_customers", "litellm_models", "litellm_budgets"}) {
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE connection_id = ?").arg(QLatin1String(table)));
        q.addBindValue(c.id);
        if (!q.exec())
            return failed();
    }
    const auto run = [&q](const QVariantList &values) {
        for (const QVariant &v : values)
            q.addBindValue(v);
        return q.exec();
    };
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_organizations (connection_id, organization_id, alias, "
        "budget_id, spend, max_budget, soft_budget, budget_duration, budget_reset_at, tpm_limit, "
        "rpm_limit, models, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const LiteLLMOrganization &o : s.organizations)
        if (!run({c.id, o.id, text(o.alias), text(o.budgetId), o.spend, amount(o.budget.maxBudget),
                  amount(o.budget.softBudget), text(o.budget.duration), stored(o.budget.resetAt),
                  limit(o.budget.tpmLimit), limit(o.budget.rpmLimit), json(o.models), now}))
            return failed();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_teams (connection_id, team_id, alias, organization_id, "
        "spend, max_budget, soft_budget, budget_duration, budget_reset_at, tpm_limit, rpm_limit, "
        "models, blocked, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const LiteLLMTeam &t : s.teams)
        if (!run({c.id, t.id, text(t.alias), text(t.organizationId), t.spend, amount(t.budget.maxBudget),
                  amount(t.budget.softBudget), text(t.budget.duration), stored(t.budget.resetAt),
                  limit(t.budget.tpmLimit), limit(t.budget.rpmLimit), json(t.models), t.blocked ? 1 : 0,
                  now}))
            return failed();
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO litellm_team_members (connection_id, team_id, user_id, role, "
                       "spend, max_budget, budget_duration, budget_reset_at) VALUES (?,?,?,?,?,?,?,?)"));
    for (const LiteLLMTeam &t : s.teams)
        for (const LiteLLMMember &m : t.members)
            if (!run({c.id, t.id, m.userId, text(m.role), m.spend, amount(m.budget.maxBudget),
                      text(m.budget.duration), stored(m.budget.resetAt)}))
                return failed();
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO litellm_users (connection_id, user_id, alias, email, role, "
                       "organization_id, teams, spend, max_budget, soft_budget, budget_duration, "
                       "budget_reset_at, tpm_limit, rpm_limit, models, key_count, synced_at) VALUES "
                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const LiteLLMUser &u : s.users)
        if (!run({c.id, u.id, text(u.alias), text(u.email), text(u.role), text(u.organizationId),
                  json(u.teams), u.spend, amount(u.budget.maxBudget), amount(u.budget.softBudget),
                  text(u.budget.duration), stored(u.budget.resetAt), limit(u.budget.tpmLimit),
                  limit(u.budget.rpmLimit), json(u.models), u.keyCount, now}))
            return failed();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_keys (connection_id, token, key_name, alias, user_id, "
        "team_id, organization_id, spend, max_budget, soft_budget, budget_duration, "
        "budget_reset_at, tpm_limit, rpm_limit, models, blocked, expires_at, synced_at, budget_id) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const LiteLLMKey &k : s.keys)
        if (!run({c.id, k.token, text(k.keyName), text(k.alias), text(k.userId), text(k.teamId),
                  text(k.organizationId), k.spend, amount(k.budget.maxBudget), amount(k.budget.softBudget),
                  text(k.budget.duration), stored(k.budget.resetAt), limit(k.budget.tpmLimit),
                  limit(k.budget.rpmLimit), json(k.models), k.blocked ? 1 : 0, stored(k.expires), now,
                  text(k.budgetId)}))
            return failed();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_customers (connection_id, customer_id, alias, blocked, "
        "spend, max_budget, budget_duration, budget_reset_at, synced_at, budget_id) VALUES "
        "(?,?,?,?,?,?,?,?,?,?)"));
    for (const LiteLLMCustomer &cu : s.customers)
        if (!run({c.id, cu.id, text(cu.alias), cu.blocked ? 1 : 0, cu.spend, amount(cu.budget.maxBudget),
                  text(cu.budget.duration), stored(cu.budget.resetAt), now, text(cu.budgetId)}))
            return failed();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_budgets (connection_id, budget_id, max_budget, soft_budget, "
        "budget_duration, budget_reset_at, tpm_limit, rpm_limit, tpd_limit, created_at, updated_at, "
        "synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const LiteLLMBudgetPlan &b : s.budgets)
        if (!run({c.id, b.id, amount(b.budget.maxBudget), amount(b.budget.softBudget),
                  text(b.budget.duration), stored(b.budget.resetAt), limit(b.budget.tpmLimit),
                  limit(b.budget.rpmLimit), limit(b.tpdLimit), stored(b.createdAt), stored(b.updatedAt),
                  now}))
            return failed();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_models (connection_id, model_id, model_name, provider, "
        "input_cost, output_cost) VALUES (?,?,?,?,?,?)"));
    for (const ModelDeployment &m : s.models)
        if (!run({c.id, m.id, m.modelName, text(m.provider), amount(m.inputCostPerToken),
                  amount(m.outputCostPerToken)}))
            return failed();
    const auto added = SpendLogStore::store(tx.db(), c.id, s.spendLogs);
    if (!added) {
        tx.rollback();
        return finish(c, Outcome::failure(added.error()));
    }
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO litellm_daily_spend (connection_id, day, spend, api_requests, "
                       "successful_requests, failed_requests, prompt_tokens, completion_tokens) VALUES "
                       "(?,?,?,?,?,?,?,?)"));
    for (const DailyActivity &d : s.daily)
        if (!run({c.id, d.date.toString(Qt::ISODate), d.spend, d.apiRequests, d.successfulRequests,
                  d.failedRequests, d.promptTokens, d.completionTokens}))
            return failed();
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO litellm_proxy_state (connection_id, daily_activity, daily_note, "
        "checked_at) VALUES (?,?,?,?)"));
    if (!run({c.id, s.dailyOffered ? 1 : 0, text(s.dailyNote), now}))
        return failed();
    q.finish();
    // The soft-limit thresholds the new figures have passed, once a budget period each.
    const auto alerts = BudgetAlerts::raise(tx.db(), c.id, QDateTime::currentDateTimeUtc());
    if (!alerts) {
        tx.rollback();
        return finish(c, Outcome::failure(alerts.error()));
    }
    AuditEvent e = connectionEvent(c, AuditAction::syncComplete, scope, QString(), c.name);
    e.details = QJsonObject{{QStringLiteral("organizations"), int(s.organizations.size())},
                            {QStringLiteral("teams"), int(s.teams.size())},
                            {QStringLiteral("users"), int(s.users.size())},
                            {QStringLiteral("keys"), int(s.keys.size())},
                            {QStringLiteral("customers"), int(s.customers.size())},
                            {QStringLiteral("budgets"), int(s.budgets.size())},
                            {QStringLiteral("models"), int(s.models.size())},
                            {QStringLiteral("spend_logs_read"), int(s.spendLogs.size())},
                            {QStringLiteral("spend_logs_added"), added.value()},
                            {QStringLiteral("daily_days"), int(s.daily.size())},
                            {QStringLiteral("alerts_raised"), int(alerts->size())},
                            {QStringLiteral("requests"), s.requests}};
    if (auto r = AuditLog::append(tx.db(), e); !r) {
        tx.rollback();
        return finish(c, Outcome::failure(r.error()));
    }
    if (auto r = ConnectionStore::recordSuccess(tx.db(), c.id, scope, QDateTime::currentDateTimeUtc()); !r) {
        tx.rollback();
        return finish(c, Outcome::failure(r.error()));
    }
    for (const char *table :
         {"litellm_organizations", "litellm_teams", "litellm_team_members", "litellm_users", "litellm_keys",
          "litellm_customers", "litellm_spend_logs", "litellm_daily_spend", "litellm_proxy_state",
          "litellm_models", "litellm_budgets"})
        tx.touch(QLatin1String(table), c.id);
    tx.touch(Tables::syncState, c.id);
    tx.touch(AuditLog::table, c.id);
    tx.touch(QStringLiteral("budget_alerts"), c.id);
    if (auto r = tx.commit(); !r)
        return finish(c, Outcome::failure(r.error()));
    // Accounts past their budget, for the workspace's overflow ledger.
    if (const auto nodes = loadBudgetNodes(Database::connection(), QDateTime::currentDateTimeUtc()); nodes) {
        QList<BudgetNode> mine;
        for (const BudgetNode &n : nodes.value())
            if (n.connectionId == c.id)
                mine << n;
        const auto seen = observeOverflow(mine, {{c.id, c.name}});
        if (!seen.isEmpty())
            emit overflowObserved(seen);
    }
    if (!alerts->isEmpty()) {
        QStringList texts;
        QList<qint64> ids;
        for (const BudgetAlert &a : alerts.value()) {
            texts << a.text();
            ids << a.id;
        }
        emit alertsRaised(c.id, texts, ids);
    }
    qCInfo(lcLiteLLM).noquote() << "synced" << c.name << "in" << s.requests << "requests," << added.value()
                                << "new spend log rows";
    finish(c, Outcome::success(tr("%1 teams, %2 users, %3 keys; %4 new spend log rows")
                                   .arg(s.teams.size())
                                   .arg(s.users.size())
                                   .arg(s.keys.size())
                                   .arg(added.value())));
}

void LiteLLMService::finish(const Connection &c, const Outcome &outcome)
{
    if (!outcome.ok) {
        if (auto r = recordFailedSync(c, scope, outcome); !r)
            qCWarning(lcLiteLLM).noquote() << "cannot record the failed sync:" << r.message();
        qCWarning(lcLiteLLM).noquote() << "sync of" << c.name << "failed:" << outcome.message;
    }
    m_running.remove(c.id);
    emit syncFinished(c.id, outcome);
    if (m_syncAgain.remove(c.id))
        QMetaObject::invokeMethod(
            this, [this, id = c.id] { syncBudgets(id); }, Qt::QueuedConnection);
}

} // namespace opsdeck
