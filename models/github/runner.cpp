#include "models/github/runner.h"

#include "models/core/validation.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Runner)
};
} // namespace

QString RunnerScope::id() const
{
    return isOrg() ? QStringLiteral("org:") + owner
                   : QStringLiteral("repo:") + owner + QLatin1Char('/') + repo;
}

QString RunnerScope::display() const
{
    return isOrg() ? owner : owner + QLatin1Char('/') + repo;
}

QString RunnerScope::apiPath() const
{
    const auto enc = [](const QString &s) {
        return QString::fromLatin1(QUrl::toPercentEncoding(s));
    };
    return isOrg() ? QStringLiteral("/orgs/") + enc(owner)
                   : QStringLiteral("/repos/") + enc(owner) + QLatin1Char('/') + enc(repo);
}

std::optional<RunnerScope> RunnerScope::fromId(const QString &id)
{
    if (id.startsWith(QLatin1String("org:")) && id.size() > 4)
        return RunnerScope{id.mid(4), {}};
    if (id.startsWith(QLatin1String("repo:"))) {
        const QStringList parts = id.mid(5).split(QLatin1Char('/'));
        if (parts.size() == 2 && !parts.at(0).isEmpty() && !parts.at(1).isEmpty())
            return RunnerScope{parts.at(0), parts.at(1)};
    }
    return std::nullopt;
}

QList<RunnerScope> runnerScopes(const Connection &c)
{
    QList<RunnerScope> scopes;
    const QString org = c.option(QStringLiteral("org")).trimmed();
    if (!org.isEmpty())
        scopes << RunnerScope{org, {}};
    if (auto repos = parseRepositoryList(c.option(QStringLiteral("repos")))) {
        for (const RepositoryId &r : repos.value())
            scopes << RunnerScope{r.owner, r.name};
    }
    return scopes;
}

Result<Runner> runnerFromJson(const QJsonObject &o)
{
    const auto missing = [](const char *field, const char *type) {
        return makeError("github.schema", Tr::tr("GitHub sent a runner without a valid \"%1\" (%2 expected).")
                                              .arg(QLatin1String(field), QLatin1String(type)));
    };
    Runner r;
    if (!o.value(QLatin1String("id")).isDouble())
        return missing("id", "integer");
    r.id = o.value(QLatin1String("id")).toInteger();
    if (!o.value(QLatin1String("name")).isString())
        return missing("name", "string");
    r.name = o.value(QLatin1String("name")).toString();
    if (!o.value(QLatin1String("os")).isString())
        return missing("os", "string");
    r.os = o.value(QLatin1String("os")).toString();
    if (!o.value(QLatin1String("status")).isString())
        return missing("status", "string");
    r.status = o.value(QLatin1String("status")).toString();
    if (!o.value(QLatin1String("busy")).isBool())
        return missing("busy", "boolean");
    r.busy = o.value(QLatin1String("busy")).toBool();
    if (!o.value(QLatin1String("labels")).isArray())
        return missing("labels", "array");
    for (const QJsonValue &l : o.value(QLatin1String("labels")).toArray()) {
        const QString name = l.toObject().value(QLatin1String("name")).toString();
        if (name.isEmpty())
            return missing("labels[].name", "string");
        r.labels << name;
    }
    r.ephemeral = o.value(QLatin1String("ephemeral")).toBool(false);
    if (o.value(QLatin1String("runner_group_id")).isDouble())
        r.groupId = o.value(QLatin1String("runner_group_id")).toInteger();
    return r;
}

Result<RunnerPage> parseRunnerPage(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError("json.malformed", Tr::tr("GitHub's runner list is not valid JSON (%1 at byte %2).")
                                               .arg(error.errorString())
                                               .arg(error.offset));
    const QJsonObject o = doc.object();
    if (!o.value(QLatin1String("runners")).isArray() || !o.value(QLatin1String("total_count")).isDouble())
        return makeError("github.schema",
                         Tr::tr("GitHub's runner list lacks \"runners\" or \"total_count\"."));
    RunnerPage page;
    page.totalCount = o.value(QLatin1String("total_count")).toInteger();
    for (const QJsonValue &v : o.value(QLatin1String("runners")).toArray()) {
        auto r = runnerFromJson(v.toObject());
        if (!r)
            return r.error();
        page.runners << r.value();
    }
    return page;
}

Result<RunnerSyncCounts> storeRunners(QSqlDatabase db, qint64 connectionId, const QString &scope,
                                      const QList<Runner> &runners, const QDateTime &now)
{
    RunnerSyncCounts counts;
    counts.total = int(runners.size());
    const QString stamp = now.toUTC().toString(Qt::ISODateWithMs);
    QSet<qint64> known;
    {
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "SELECT runner_id FROM runners WHERE connection_id = ? AND scope = ? AND removed_at IS NULL"));
        q.addBindValue(connectionId);
        q.addBindValue(scope);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Reading cached runners"));
        while (q.next())
            known.insert(q.value(0).toLongLong());
    }
    QSqlQuery upsert(db);
    upsert.prepare(QStringLiteral(
        "INSERT INTO runners (connection_id, scope, runner_id, name, os, status, busy, ephemeral, "
        "runner_group_id, labels, "
        "first_seen_at, last_seen_at, removed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL) "
        "ON CONFLICT (connection_id, scope, runner_id) DO UPDATE SET name = excluded.name, os = excluded.os, "
        "status = excluded.status, busy = excluded.busy, ephemeral = excluded.ephemeral, "
        "runner_group_id = excluded.runner_group_id, labels = excluded.labels, last_seen_at = "
        "excluded.last_seen_at, "
        "removed_at = NULL"));
    QSet<qint64> seen;
    for (const Runner &r : runners) {
        seen.insert(r.id);
        upsert.addBindValue(connectionId);
        upsert.addBindValue(scope);
        upsert.addBindValue(r.id);
        upsert.addBindValue(r.name);
        upsert.addBindValue(r.os);
        upsert.addBindValue(r.status);
        upsert.addBindValue(r.busy);
        upsert.addBindValue(r.ephemeral);
        upsert.addBindValue(r.groupId ? QVariant(*r.groupId) : QVariant());
        upsert.addBindValue(QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(r.labels)).toJson(QJsonDocument::Compact)));
        upsert.addBindValue(stamp);
        upsert.addBindValue(stamp);
        if (!upsert.exec())
            return Database::describe(upsert.lastError(), Tr::tr("Writing runners to the cache"));
        if (known.contains(r.id))
            ++counts.updated;
        else
            ++counts.added;
    }
    QSqlQuery gone(db);
    gone.prepare(QStringLiteral(
        "UPDATE runners SET removed_at = ? WHERE connection_id = ? AND scope = ? AND runner_id = ?"));
    for (qint64 id : std::as_const(known)) {
        if (seen.contains(id))
            continue;
        gone.addBindValue(stamp);
        gone.addBindValue(connectionId);
        gone.addBindValue(scope);
        gone.addBindValue(id);
        if (!gone.exec())
            return Database::describe(gone.lastError(), Tr::tr("Marking removed runners"));
        ++counts.removed;
    }
    return counts;
}

} // namespace opsdeck
