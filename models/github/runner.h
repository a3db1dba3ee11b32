// A GitHub Actions self-hosted runner as the cache keeps it, the mapping from GitHub's JSON
// (components/schemas/runner in the API description), and the cache writes of a sync.
#pragma once

#include "models/connections/connection.h"
#include "models/core/result.h"
#include "models/store/batchwriter.h"

#include <QDateTime>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>

namespace opsdeck {

struct Runner
{
    qint64 connectionId = 0;
    QString scope; // "org:acme" or "repo:acme/app"
    qint64 id = 0;
    QString name;
    QString os;
    QString status; // online, offline
    bool busy = false;
    bool ephemeral = false;
    std::optional<qint64> groupId;
    QStringList labels;
    QDateTime removedAt;
    bool operator==(const Runner &) const = default;
};

// Where runners are registered: an organization, or one repository.
struct RunnerScope
{
    QString owner; // the organization, or the repository's owner
    QString repo;  // empty for an organization
    bool isOrg() const { return repo.isEmpty(); }
    QString id() const;      // "org:acme" or "repo:acme/app", as the cache keeps it
    QString display() const; // "acme" or "acme/app"
    // "/orgs/acme" or "/repos/acme/app", percent-encoded, to put before "/actions/runners".
    QString apiPath() const;
    static std::optional<RunnerScope> fromId(const QString &id);
    bool operator==(const RunnerScope &) const = default;
};
// The connection's scopes: its organization (when set) and each repository of its "repos" option.
QList<RunnerScope> runnerScopes(const Connection &connection);

// One runner object; names the first missing or mistyped required field.
Result<Runner> runnerFromJson(const QJsonObject &object);
// A page of GET .../actions/runners: {"total_count": n, "runners": [...]}.
struct RunnerPage
{
    qint64 totalCount = 0;
    QList<Runner> runners;
};
Result<RunnerPage> parseRunnerPage(const QByteArray &body);

namespace Tables {
inline const QString runners = QStringLiteral("runners");
} // namespace Tables

struct RunnerSyncCounts
{
    int total = 0;
    int added = 0;
    int updated = 0;
    int removed = 0;
};

// Writes one scope's complete runner list inside the caller's transaction, page by page as the
// pages are parsed: new runners are added, known ones updated, and at finish() runners no longer
// listed are marked removed (kept in history).
class RunnerWriter
{
public:
    RunnerWriter(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &now);
    Result<void> start(); // reads which runners the cache lists now
    Result<void> add(const QList<Runner> &runners);
    Result<RunnerSyncCounts> finish();

private:
    QSqlDatabase m_db;
    qint64 m_connectionId;
    QString m_scope;
    QByteArray m_scopeText, m_stamp;
    BatchWriter m_upsert;
    QSet<qint64> m_known, m_seen;
    RunnerSyncCounts m_counts;
};

// The same for a list at hand.
Result<RunnerSyncCounts> storeRunners(QSqlDatabase db, qint64 connectionId, const QString &scope,
                                      const QList<Runner> &runners, const QDateTime &now);

} // namespace opsdeck
