#include "models/github/runner.h"

#include "models/core/jsonwrite.h"
#include "models/core/validation.h"
#include "models/store/batchwriter.h"
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
    // Each member looked up once (a runner list is the biggest answer Opsdeck reads).
    Runner r;
    const QJsonValue id = o.value(QLatin1String("id"));
    if (!id.isDouble())
        return missing("id", "integer");
    r.id = id.toInteger();
    const QJsonValue name = o.value(QLatin1String("name"));
    if (!name.isString())
        return missing("name", "string");
    r.name = name.toString();
    const QJsonValue os = o.value(QLatin1String("os"));
    if (!os.isString())
        return missing("os", "string");
    r.os = os.toString();
    const QJsonValue status = o.value(QLatin1String("status"));
    if (!status.isString())
        return missing("status", "string");
    r.status = status.toString();
    const QJsonValue busy = o.value(QLatin1String("busy"));
    if (!busy.isBool())
        return missing("busy", "boolean");
    r.busy = busy.toBool();
    const QJsonValue labels = o.value(QLatin1String("labels"));
    if (!labels.isArray())
        return missing("labels", "array");
    const QJsonArray list = labels.toArray();
    r.labels.reserve(list.size());
    for (const QJsonValue &l : list) {
        QString label = l.toObject().value(QLatin1String("name")).toString();
        if (label.isEmpty())
            return missing("labels[].name", "string");
        r.labels << std::move(label);
    }
    r.ephemeral = o.value(QLatin1String("ephemeral")).toBool(false);
    const QJsonValue group = o.value(QLatin1String("runner_group_id"));
    if (group.isDouble())
        r.groupId = group.toInteger();
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
    const QJsonArray list = o.value(QLatin1String("runners")).toArray();
    page.runners.reserve(list.size());
    for (const QJsonValue &v : list) {
        auto r = runnerFromJson(v.toObject());
        if (!r)
            return r.error();
        page.runners.append(std::move(r).value());
    }
    return page;
}

RunnerWriter::RunnerWriter(QSqlDatabase db, qint64 connectionId, const QString &scope, const QDateTime &now)
    : m_db(db), m_connectionId(connectionId), m_scope(scope), m_scopeText(scope.toUtf8()),
      m_stamp(now.toUTC().toString(Qt::ISODateWithMs).toUtf8()),
      m_upsert(
          db,
          QStringLiteral("INSERT INTO runners (connection_id, scope, runner_id, name, os, status, busy, "
                         "ephemeral, runner_group_id, labels, first_seen_at, last_seen_at, removed_at) "
                         "VALUES"),
          13,
          QStringLiteral("ON CONFLICT (connection_id, scope, runner_id) DO UPDATE SET name = excluded.name, "
                         "os = excluded.os, status = excluded.status, busy = excluded.busy, ephemeral = "
                         "excluded.ephemeral, runner_group_id = excluded.runner_group_id, labels = "
                         "excluded.labels, last_seen_at = excluded.last_seen_at, removed_at = NULL"),
          Tr::tr("Writing runners to the cache"), 256)
{
}

Result<void> RunnerWriter::start()
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "SELECT runner_id FROM runners WHERE connection_id = ? AND scope = ? AND removed_at IS NULL"));
    q.addBindValue(m_connectionId);
    q.addBindValue(m_scope);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading cached runners"));
    while (q.next())
        m_known.insert(q.value(0).toLongLong());
    return {};
}

Result<void> RunnerWriter::add(const QList<Runner> &runners)
{
    // The labels column is written as JSON text directly, without a QJsonDocument per row.
    m_counts.total += int(runners.size());
    for (const Runner &r : runners) {
        m_seen.insert(r.id);
        m_upsert.add(m_connectionId);
        m_upsert.add(m_scopeText);
        m_upsert.add(r.id);
        m_upsert.add(r.name);
        m_upsert.add(r.os);
        m_upsert.add(r.status);
        m_upsert.add(r.busy);
        m_upsert.add(r.ephemeral);
        m_upsert.add(r.groupId);
        m_upsert.add(JsonWrite::stringArray(r.labels));
        m_upsert.add(m_stamp);
        m_upsert.add(m_stamp);
        m_upsert.addNull();
        if (auto w = m_upsert.endRow(); !w)
            return w;
        if (m_known.contains(r.id))
            ++m_counts.updated;
        else
            ++m_counts.added;
    }
    return {};
}

Result<RunnerSyncCounts> RunnerWriter::finish()
{
    if (auto w = m_upsert.finish(); !w)
        return w.error();
    QSqlQuery gone(m_db);
    gone.prepare(QStringLiteral(
        "UPDATE runners SET removed_at = ? WHERE connection_id = ? AND scope = ? AND runner_id = ?"));
    for (qint64 id : std::as_const(m_known)) {
        if (m_seen.contains(id))
            continue;
        gone.addBindValue(QString::fromUtf8(m_stamp));
        gone.addBindValue(m_connectionId);
        gone.addBindValue(m_scope);
        gone.addBindValue(id);
        if (!gone.exec())
            return Database::describe(gone.lastError(), Tr::tr("Marking removed runners"));
        ++m_counts.removed;
    }
    return m_counts;
}

Result<RunnerSyncCounts> storeRunners(QSqlDatabase db, qint64 connectionId, const QString &scope,
                                      const QList<Runner> &runners, const QDateTime &now)
{
    RunnerWriter writer(db, connectionId, scope, now);
    if (auto r = writer.start(); !r)
        return r.error();
    if (auto r = writer.add(runners); !r)
        return r.error();
    return writer.finish();
}

} // namespace opsdeck
