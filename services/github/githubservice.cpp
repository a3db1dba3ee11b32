#include "services/github/githubservice.h"
#include "services/github/githubservice_p.h"

#include "models/connections/connectionstore.h"
#include "models/github/githubanswers.h"
#include "models/github/runner.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/database.h"
#include "services/connections/probes.h"
#include "services/connections/secretstore.h"
#include "services/github/githubapptoken.h"
#include "services/store/auditlog.h"
#include "services/testruns/githubrunstore.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTimer>

Q_LOGGING_CATEGORY(lcGitHub, "opsdeck.github", QtInfoMsg)

namespace opsdeck {

namespace {
const QString runnersScope = QStringLiteral("runners");
}

GitHubService::GitHubService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::Outcome>();
    qRegisterMetaType<opsdeck::RateLimit>();
    qRegisterMetaType<opsdeck::LabelPolicy>();
    qRegisterMetaType<QList<qint64>>();
    qRegisterMetaType<opsdeck::ProvisioningMode>();
}

// An audit event about something of this GitHub connection.
AuditEvent githubEvent(const Connection &c, const QString &action, const QString &targetKind,
                       const QString &targetId, const QString &targetName)
{
    return connectionEvent(c, action, targetKind, targetId, targetName);
}

QString GitHubService::scopesText(const Connection &c)
{
    QStringList names;
    for (const RunnerScope &scope : runnerScopes(c))
        names << scope.display();
    return names.join(QStringLiteral(", "));
}

void GitHubService::initialize()
{
    if (!m_autoSync)
        return;
    auto *timer = new QTimer(this);
    timer->setInterval(30 * 1000);
    connect(timer, &QTimer::timeout, this, &GitHubService::syncDue);
    timer->start();
    QTimer::singleShot(2000, this, &GitHubService::syncDue); // soon after start
}

void GitHubService::syncDue()
{
    if (m_demo)
        return;
    auto all = ConnectionStore::all(Database::connection());
    if (!all)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Connection &c : all.value()) {
        if (c.kind != ConnectionKind::GitHub || m_running.contains(c.id))
            continue;
        if (ConnectionStore::isSyncDue(Database::connection(), c, runnersScope, now))
            syncRunners(c.id);
        // The test runs of its repositories, if it has any, on the same interval.
        const auto sources = GitHubRunStore::sources(Database::connection(), c.id);
        if (sources && !sources->isEmpty() &&
            ConnectionStore::isSyncDue(Database::connection(), c, QStringLiteral("testruns"), now)) {
            CacheTransaction tx;
            if (tx.begin() && ConnectionStore::recordAttempt(tx.db(), c.id, QStringLiteral("testruns"), now))
                (void)tx.commit();
            for (const GitHubSourceRow &s : sources.value())
                syncTestSource(s.id);
        }
    }
}

void GitHubService::shutdown()
{
    for (HttpClient *client : std::as_const(m_clients))
        client->cancelAll();
}

HttpClient *GitHubService::clientFor(const Connection &c, const QString &secret, Error *error)
{
    HttpClient *client = m_clients.value(c.id);
    if (!client) {
        client = new HttpClient(this);
        connect(client, &HttpClient::rateLimitChanged, this,
                [this, id = c.id](const RateLimit &limit) { emit rateLimitChanged(id, limit); });
        m_clients.insert(c.id, client);
    }
    if (auto r = client->setCaFile(c.caFile); !r) {
        *error = r.error();
        return nullptr;
    }
    client->setDefaultHeaders(authHeaders(c, secret));
    return client;
}

void GitHubService::syncRunners(qint64 connectionId)
{
    if (m_running.contains(connectionId)) {
        // One sync per connection at a time; one asked for meanwhile (an admin's refresh right
        // after a change) runs once more when this one ends, so it sees the change.
        m_syncAgain.insert(connectionId);
        return;
    }
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit syncFinished(connectionId, Outcome::failure(found.error()));
    const Connection c = found.value();
    if (c.kind != ConnectionKind::GitHub)
        return;
    emit syncStarted(connectionId);
    if (m_demo)
        return emit syncFinished(connectionId, Outcome::success(tr("Demo data")));
    m_running.insert(connectionId);
    {
        CacheTransaction tx;
        if (tx.begin() && ConnectionStore::recordAttempt(tx.db(), connectionId, runnersScope,
                                                         QDateTime::currentDateTimeUtc()))
            (void)tx.commit();
    }
    withClient(c, [this, c](HttpClient *client, const Error &error) {
        if (!client)
            return finishSync(c, Outcome::failure(error), {});
        const QList<RunnerScope> scopes = runnerScopes(c);
        auto fetched = std::make_shared<QList<ScopePages>>();
        auto pageCount = std::make_shared<int>(0);
        // The scopes one after another, each with its pages; the cache is written once, at the end.
        auto step = std::make_shared<std::function<void()>>();
        std::weak_ptr<std::function<void()>> weak = step;
        *step = [this, c, client, scopes, fetched, pageCount, weak] {
            if (fetched->size() == scopes.size())
                return storeSync(c, *fetched, *pageCount);
            const int index = int(fetched->size());
            const RunnerScope scope = scopes.at(index);
            HttpRequest first;
            first.url = apiUrl(c.endpoint, scope.apiPath() + QStringLiteral("/actions/runners?per_page=100"));
            first.what = tr("Listing the runners of %1").arg(scope.display());
            // Each page is parsed on the thread pool as it arrives (the shared ingest path);
            // progress follows total_count across the scopes as the pages are parsed.
            struct Progress
            {
                std::atomic<qint64> parsed = 0;
                std::atomic<qint64> total = 0;
            };
            auto progress = std::make_shared<Progress>();
            auto parser =
                std::make_shared<PageParser<RunnerPage>>(parseRunnerPage, [progress](const RunnerPage &p) {
                    progress->total.store(p.totalCount);
                    progress->parsed.fetch_add(p.runners.size());
                });
            const auto next = [parser, progress, this, id = c.id, index, n = int(scopes.size())](
                                  const HttpResponse &r, int pages) -> std::optional<QUrl> {
                parser->add(r.body);
                if (parser->failed())
                    return std::nullopt; // a page was refused: the write reports which
                if (const qint64 total = progress->total.load(); total > 0)
                    emit syncProgress(
                        id,
                        int((index * 100 + qMin<qint64>(100, progress->parsed.load() * 100 / total)) / n));
                return HttpClient::linkNext()(r, pages);
            };
            client->fetchPages(
                first, 1000, this,
                [this, c, scope, parser, fetched, pageCount,
                 self = weak.lock()](const Result<QList<HttpResponse>> &pages) {
                    if (!pages)
                        return finishSync(c, Outcome::failure(pages.error()), {});
                    *pageCount += int(pages->size());
                    fetched->append({scope, parser});
                    (*self)();
                },
                next);
        };
        (*step)();
    });
}

void GitHubService::storeSync(const Connection &c, const QList<ScopePages> &fetched, int pageCount)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return finishSync(c, Outcome::failure(r.error()), {});
    // A failure rolls the sync back before it is recorded (in a transaction of its own).
    const auto fail = [&](const Error &error) {
        tx.rollback();
        finishSync(c, Outcome::failure(error), {});
    };
    const QDateTime now = QDateTime::currentDateTimeUtc();
    RunnerSyncCounts counts;
    QStringList scopeIds;
    for (const auto &[scope, parser] : fetched) {
        // Written page by page as the pool finishes parsing them; a refused page rolls all back.
        RunnerWriter writer(tx.db(), c.id, scope.id(), now);
        if (auto r = writer.start(); !r)
            return fail(r.error());
        for (qsizetype i = 0; i < parser->size(); ++i) {
            const auto page = parser->take(i);
            if (!page)
                return fail(page.error());
            if (auto r = writer.add(page->runners); !r)
                return fail(r.error());
        }
        const auto stored = writer.finish();
        if (!stored)
            return fail(stored.error());
        counts.total += stored->total;
        counts.added += stored->added;
        counts.updated += stored->updated;
        counts.removed += stored->removed;
        scopeIds << scope.id();
    }
    // Scopes no longer configured on the connection: their runners leave the list (kept in history).
    {
        QSqlQuery q(tx.db());
        q.prepare(QStringLiteral(
            "SELECT DISTINCT scope FROM runners WHERE connection_id = ? AND removed_at IS NULL"));
        q.addBindValue(c.id);
        QStringList dropped;
        if (q.exec())
            while (q.next())
                if (!scopeIds.contains(q.value(0).toString()))
                    dropped << q.value(0).toString();
        q.finish();
        for (const QString &scope : std::as_const(dropped)) {
            const auto stored = storeRunners(tx.db(), c.id, scope, {}, now);
            if (!stored)
                return fail(stored.error());
            counts.removed += stored->removed;
        }
    }
    const auto linked = RunnerPolicyStore::matchPendingByName(tx.db(), c.id);
    if (!linked)
        return fail(linked.error());
    const QJsonObject details{{QStringLiteral("scopes"), QJsonArray::fromStringList(scopeIds)},
                              {QStringLiteral("runners"), counts.total},
                              {QStringLiteral("added"), counts.added},
                              {QStringLiteral("updated"), counts.updated},
                              {QStringLiteral("removed"), counts.removed},
                              {QStringLiteral("linked"), linked.value()},
                              {QStringLiteral("pages"), pageCount}};
    AuditEvent e = githubEvent(c, AuditAction::syncComplete, runnersScope, QString(), scopesText(c));
    e.details = details;
    if (auto r = AuditLog::append(tx.db(), e); !r)
        return fail(r.error());
    if (auto r = ConnectionStore::recordSuccess(tx.db(), c.id, runnersScope, now); !r)
        return fail(r.error());
    tx.touch(Tables::runners, c.id);
    tx.touch(Tables::runnerProvisioning, c.id);
    tx.touch(Tables::syncState, c.id);
    tx.touch(AuditLog::table, c.id);
    if (auto r = tx.commit(); !r)
        return fail(r.error());
    qCInfo(lcGitHub).noquote() << "synced" << counts.total << "runners of" << scopesText(c);
    const QString summary =
        tr("%1 runners (%2 new, %3 removed)").arg(counts.total).arg(counts.added).arg(counts.removed);
    cleanDrift(c, [this, c, summary](const Outcome &drift) {
        syncEnded(c.id, drift.ok
                            ? Outcome::success(summary)
                            : Outcome{false, drift.code, summary + QStringLiteral("; ") + drift.message});
    });
}

void GitHubService::withClient(const Connection &c, std::function<void(HttpClient *, const Error &)> then)
{
    SecretStore::instance()->read(c.secretKey(), this, [this, c, then](const Result<QString> &secret) {
        if (!secret)
            return then(nullptr, secret.error());
        const auto withToken = [this, c, then](const QString &token) {
            Connection asToken = c;
            asToken.auth = AuthKind::Token; // an installation token is used like a personal one
            Error error;
            HttpClient *client = clientFor(asToken, token, &error);
            then(client, error);
        };
        if (c.auth != AuthKind::GitHubApp)
            return withToken(secret.value());
        installationToken(c, secret.value(), [then, withToken](const Result<QString> &token) {
            if (!token)
                return then(nullptr, token.error());
            withToken(token.value());
        });
    });
}

void GitHubService::installationToken(const Connection &c, const QString &privateKey,
                                      std::function<void(const Result<QString> &)> done)
{
    const auto cached = m_tokens.constFind(c.id);
    if (cached != m_tokens.constEnd() && cached->expiresAt > QDateTime::currentDateTimeUtc().addSecs(300))
        return done(cached->token);
    GitHubAppToken::request(c, privateKey, this,
                            [this, id = c.id, done](const Result<InstallationToken> &token) {
                                if (!token)
                                    return done(token.error());
                                m_tokens.insert(id, token.value());
                                done(token->token);
                            });
}

void GitHubService::cleanDrift(const Connection &c, Done done)
{
    auto plan = driftPlan(Database::connection(), c.id);
    if (!plan)
        return done(Outcome::failure(plan.error()));
    auto items = std::make_shared<QList<DriftItem>>(plan.value());
    auto failures = std::make_shared<QStringList>();
    auto step = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weak = step;
    *step = [this, c, items, failures, done, weak] {
        if (items->isEmpty()) {
            return done(failures->isEmpty()
                            ? Outcome::success()
                            : Outcome::failure(
                                  makeError("runner.drift", tr("Could not remove drifted runners: %1")
                                                                .arg(failures->join(QStringLiteral("; "))))));
        }
        const DriftItem item = items->takeFirst();
        const QJsonObject details{{QStringLiteral("drift"), item.drift.describe()},
                                  {QStringLiteral("added"), QJsonArray::fromStringList(item.drift.added)},
                                  {QStringLiteral("removed"), QJsonArray::fromStringList(item.drift.removed)},
                                  {QStringLiteral("busy"), item.busy},
                                  {QStringLiteral("deleted"), item.willDelete}};
        if (!item.willDelete) {
            // Busy, and "also delete busy drifted runners" is off: recorded, kept.
            AuditEvent e = githubEvent(c, AuditAction::runnerDrift, QStringLiteral("runner"),
                                       QString::number(item.runnerId), item.name);
            e.outcome = AuditOutcome::Partial;
            e.comment = tr("Drifted but busy: kept");
            e.details = details;
            if (auto r = AuditLog::record(e); !r)
                qCWarning(lcGitHub).noquote() << "cannot write the audit log:" << r.message();
            return (*weak.lock())();
        }
        deleteRunner(c, item.scope, item.runnerId, AuditAction::runnerDrift,
                     tr("Drifted from the label policy: deleted by sync"), details,
                     [failures, item, self = weak.lock()](const Outcome &outcome) {
                         if (!outcome.ok)
                             *failures << item.name + QStringLiteral(": ") + outcome.message;
                         (*self)();
                     });
    };
    (*step)();
}

void GitHubService::syncEnded(qint64 connectionId, const Outcome &outcome)
{
    m_running.remove(connectionId);
    emit syncFinished(connectionId, outcome);
    if (m_syncAgain.remove(connectionId))
        QMetaObject::invokeMethod(
            this, [this, connectionId] { syncRunners(connectionId); }, Qt::QueuedConnection);
}

void GitHubService::finishSync(const Connection &c, const Outcome &outcome, const QJsonObject &details)
{
    if (!outcome.ok) {
        // The cache keeps its last good runners; the failure is recorded and audited.
        CacheTransaction tx;
        if (tx.begin()) {
            AuditEvent e = githubEvent(c, AuditAction::syncFailed, runnersScope, QString(), scopesText(c));
            e.outcome = AuditOutcome::Failure;
            QJsonObject d = details;
            d.insert(QStringLiteral("error"), outcome.message);
            d.insert(QStringLiteral("error_code"), outcome.code);
            e.details = d;
            const bool written =
                AuditLog::append(tx.db(), e).ok() &&
                ConnectionStore::recordFailure(tx.db(), c.id, runnersScope, QDateTime::currentDateTimeUtc(),
                                               Error{outcome.code, outcome.message})
                    .ok();
            tx.touch(AuditLog::table, c.id);
            tx.touch(Tables::syncState, c.id);
            if (!written || !tx.commit())
                qCWarning(lcGitHub).noquote() << "cannot record the failed sync:" << outcome.message;
        }
        qCWarning(lcGitHub).noquote() << "sync of" << scopesText(c) << "failed:" << outcome.message;
    }
    syncEnded(c.id, outcome);
}

} // namespace opsdeck
