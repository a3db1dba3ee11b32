// A GitHub Actions self-hosted runner as the cache keeps it, the mapping from GitHub's JSON
// (components/schemas/runner in the API description), and the cache writes of a sync.
#pragma once

#include "result.h"

#include <QDateTime>
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

// Writes one scope's complete runner list inside the caller's transaction: new runners are
// added, known ones updated, and runners no longer listed are marked removed (kept in history).
Result<RunnerSyncCounts> storeRunners(QSqlDatabase db, qint64 connectionId, const QString &scope,
                                      const QList<Runner> &runners, const QDateTime &now);

} // namespace opsdeck
