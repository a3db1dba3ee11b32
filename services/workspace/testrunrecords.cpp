#include "services/workspace/testrunrecords.h"

#include "models/store/database.h"
#include "services/workspace/records_p.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlQuery>

namespace opsdeck::TestRunRecords {

using namespace WorkspaceRecords;

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunRecords)
};

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject object(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

// The plain statements of the local store, as its one admin: who that is.
Result<QString> admin(const WorkspaceStore &store)
{
    return store.actingLogin();
}

Result<bool> removeNamed(const WorkspaceStore &store, const char *function, const char *table,
                         const QString &name, const QString &what)
{
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT %1(?)").arg(QLatin1String(function)));
        q.addBindValue(text(name));
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toBool();
    }
    q.prepare(QStringLiteral("DELETE FROM %1 WHERE name = ?").arg(QLatin1String(table)));
    q.addBindValue(text(name));
    if (!q.exec())
        return refused(q.lastError(), what);
    return q.numRowsAffected() > 0;
}
} // namespace

Result<void> setSource(const WorkspaceStore &store, const TeamTestSource &s)
{
    if (auto valid = checkTeamSource(s); !valid)
        return valid.error();
    const QString what = Tr::tr("Sharing the test-run source %1").arg(s.name);
    const QStringList values{s.name,
                             s.kind,
                             json(s.detail),
                             notifyWhenId(s.slack),
                             notifyWhenId(s.jira),
                             s.jiraSite.trimmed(),
                             s.jiraProject.trimmed(),
                             s.jiraIssueType.trimmed()};
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_testrun_source_set(?, ?, ?::jsonb, ?, ?, ?, ?, ?)"));
        for (const QString &v : values)
            q.addBindValue(text(v));
        if (!q.exec())
            return refused(q.lastError(), what);
        return {};
    }
    const auto login = admin(store);
    if (!login)
        return login.error();
    // The team store's rule: a source keeps the kind it was created as.
    q.prepare(QStringLiteral("SELECT kind FROM testrun_sources WHERE name = ?"));
    q.addBindValue(s.name);
    if (!q.exec())
        return refused(q.lastError(), what);
    if (q.next() && q.value(0).toString() != s.kind)
        return makeError("workspace.sql", Tr::tr("%1: the test-run source %2 is a %3 source, not %4")
                                              .arg(what, s.name, q.value(0).toString(), s.kind));
    q.prepare(QStringLiteral(
        "INSERT INTO testrun_sources (name, kind, detail, slack_when, jira_when, jira_site, jira_project, "
        "jira_issue_type, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (name) DO UPDATE "
        "SET detail = excluded.detail, slack_when = excluded.slack_when, jira_when = excluded.jira_when, "
        "jira_site = excluded.jira_site, jira_project = excluded.jira_project, jira_issue_type = "
        "excluded.jira_issue_type, updated_by = excluded.updated_by, updated_at = excluded.updated_at"));
    for (const QString &v : values)
        q.addBindValue(text(v));
    q.addBindValue(login.value());
    q.addBindValue(now());
    if (!q.exec())
        return refused(q.lastError(), what);
    return {};
}

Result<bool> removeSource(const WorkspaceStore &store, const QString &name)
{
    return removeNamed(store, "opsdeck_testrun_source_remove", "testrun_sources", name,
                       Tr::tr("Removing the test-run source %1").arg(name));
}

Result<void> setMock(const WorkspaceStore &store, const TeamMock &m)
{
    if (auto valid = checkTeamMock(m); !valid)
        return valid.error();
    const QString what = Tr::tr("Sharing the mock %1").arg(m.name);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_testrun_mock_set(?, ?, ?, ?, ?, ?)"));
    } else {
        const auto login = admin(store);
        if (!login)
            return login.error();
        q.prepare(QStringLiteral(
            "INSERT INTO testrun_mocks (name, url, health_path, interval_s, docker_connection, container, "
            "updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET url = "
            "excluded.url, health_path = excluded.health_path, interval_s = excluded.interval_s, "
            "docker_connection = excluded.docker_connection, container = excluded.container, updated_by = "
            "excluded.updated_by, updated_at = excluded.updated_at"));
        q.bindValue(6, login.value());
        q.bindValue(7, now());
    }
    q.bindValue(0, m.name);
    q.bindValue(1, m.url.trimmed());
    q.bindValue(2, m.healthPath.isEmpty() ? QStringLiteral("/") : m.healthPath);
    q.bindValue(3, m.intervalSec);
    q.bindValue(4, text(m.dockerConnection.trimmed()));
    q.bindValue(5, text(m.container.trimmed()));
    if (!q.exec())
        return refused(q.lastError(), what);
    return {};
}

Result<bool> removeMock(const WorkspaceStore &store, const QString &name)
{
    return removeNamed(store, "opsdeck_testrun_mock_remove", "testrun_mocks", name,
                       Tr::tr("Removing the mock %1").arg(name));
}

Result<bool> publish(const WorkspaceStore &store, const TeamRunRecord &r)
{
    if (auto valid = checkTeamRunRecord(r); !valid)
        return valid.error();
    const QString what = Tr::tr("Publishing run %1 of %2").arg(r.runKey, r.source);
    const QString record = QString::fromUtf8(r.record);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_testrun_record_publish(?, ?, ?, ?, ?, ?)"));
        for (const QString &v :
             {r.source, r.runKey, record, QString::fromLatin1(r.signature), r.keyId, r.desktop})
            q.addBindValue(text(v));
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toBool();
    }
    const auto login = admin(store);
    if (!login)
        return login.error();
    q.prepare(QStringLiteral("SELECT record FROM testrun_records WHERE source = ? AND run_key = ?"));
    q.addBindValue(r.source);
    q.addBindValue(r.runKey);
    if (!q.exec())
        return refused(q.lastError(), what);
    if (q.next()) {
        if (q.value(0).toString() == record)
            return false;
        return makeError("workspace.exists", Tr::tr("%1: run %2 of %3 was published already with another "
                                                    "record: a published record never changes")
                                                 .arg(what, r.runKey, r.source));
    }
    q.prepare(
        QStringLiteral("INSERT INTO testrun_records (source, run_key, record, signature, key_id, desktop, "
                       "published_by, published_at) VALUES (?,?,?,?,?,?,?,?)"));
    for (const QString &v : {r.source, r.runKey, record, QString::fromLatin1(r.signature), r.keyId, r.desktop,
                             login.value(), now()})
        q.addBindValue(text(v));
    if (!q.exec())
        return refused(q.lastError(), what);
    return true;
}

Result<QList<TeamTestSource>> sources(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    if (!q.exec(QStringLiteral("SELECT name, kind, detail, slack_when, jira_when, jira_site, jira_project, "
                               "jira_issue_type, updated_by, updated_at FROM testrun_sources ORDER BY name")))
        return Database::describe(q.lastError(), Tr::tr("Reading the shared test-run sources"));
    QList<TeamTestSource> out;
    while (q.next()) {
        TeamTestSource s;
        s.name = q.value(0).toString();
        s.kind = q.value(1).toString();
        s.detail = object(q.value(2));
        s.slack = notifyWhenFromId(q.value(3).toString());
        s.jira = notifyWhenFromId(q.value(4).toString());
        s.jiraSite = q.value(5).toString();
        s.jiraProject = q.value(6).toString();
        s.jiraIssueType = q.value(7).toString();
        s.updatedBy = q.value(8).toString();
        s.updatedAt = timeOf(q.value(9));
        out << s;
    }
    return out;
}

Result<QList<TeamMock>> mocks(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    if (!q.exec(QStringLiteral("SELECT name, url, health_path, interval_s, docker_connection, container, "
                               "updated_by, updated_at FROM testrun_mocks ORDER BY name")))
        return Database::describe(q.lastError(), Tr::tr("Reading the shared mocks"));
    QList<TeamMock> out;
    while (q.next()) {
        TeamMock m;
        m.name = q.value(0).toString();
        m.url = q.value(1).toString();
        m.healthPath = q.value(2).toString();
        m.intervalSec = q.value(3).toInt();
        m.dockerConnection = q.value(4).toString();
        m.container = q.value(5).toString();
        m.updatedBy = q.value(6).toString();
        m.updatedAt = timeOf(q.value(7));
        out << m;
    }
    return out;
}

Result<QSet<RunKey>> readCopiedKeys(QSqlDatabase cache)
{
    QSqlQuery q(cache);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT source, run_key FROM workspace_testrun_records")))
        return Database::describe(q.lastError(), Tr::tr("Reading the copy of the published test runs"));
    QSet<RunKey> keys;
    while (q.next())
        keys.insert({q.value(0).toString(), q.value(1).toString()});
    return keys;
}

Result<Copy> read(const WorkspaceStore &store, bool withSources, bool withMocks, bool withRecords,
                  const QSet<RunKey> &held)
{
    Copy c;
    if (withSources) {
        auto r = sources(store);
        if (!r)
            return r.error();
        c.sources = r.value();
    }
    if (withMocks) {
        auto r = mocks(store);
        if (!r)
            return r.error();
        c.mocks = r.value();
    }
    if (!withRecords)
        return c;
    // The keys first (small rows), then the bodies of the records the copy lacks.
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT source, run_key FROM testrun_records")))
        return Database::describe(q.lastError(), Tr::tr("Reading the published test runs"));
    QSet<RunKey> there;
    QList<RunKey> wanted;
    while (q.next()) {
        const RunKey key{q.value(0).toString(), q.value(1).toString()};
        there.insert(key);
        if (!held.contains(key))
            wanted << key;
    }
    for (const RunKey &key : held)
        if (!there.contains(key))
            c.goneRecords << key;
    c.newRecords = QList<TeamRunRecord>();
    q.prepare(QStringLiteral("SELECT record, signature, key_id, desktop, published_by, published_at FROM "
                             "testrun_records WHERE source = ? AND run_key = ?"));
    for (const RunKey &key : std::as_const(wanted)) {
        q.addBindValue(key.first);
        q.addBindValue(key.second);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Reading the published test runs"));
        if (!q.next())
            continue; // gone since the keys were read
        TeamRunRecord r;
        r.source = key.first;
        r.runKey = key.second;
        r.record = q.value(0).toString().toUtf8();
        r.signature = q.value(1).toString().toLatin1();
        r.keyId = q.value(2).toString();
        r.desktop = q.value(3).toString();
        r.publishedBy = q.value(4).toString();
        r.publishedAt = timeOf(q.value(5));
        c.newRecords->append(r);
    }
    return c;
}

Result<void> writeCopy(QSqlDatabase cache, const Copy &copy)
{
    QSqlQuery q(cache);
    const auto fail = [&q] {
        return Database::describe(q.lastError(), Tr::tr("Copying the shared test-run records"));
    };
    if (copy.sources) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_testrun_sources")))
            return fail();
        q.prepare(QStringLiteral(
            "INSERT INTO workspace_testrun_sources (name, kind, detail, slack_when, jira_when, jira_site, "
            "jira_project, jira_issue_type, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)"));
        for (const TeamTestSource &s : *copy.sources) {
            for (const QString &v :
                 {s.name, s.kind, json(s.detail), notifyWhenId(s.slack), notifyWhenId(s.jira), s.jiraSite,
                  s.jiraProject, s.jiraIssueType, s.updatedBy, stamp(s.updatedAt)})
                q.addBindValue(text(v));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.mocks) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_testrun_mocks")))
            return fail();
        q.prepare(
            QStringLiteral("INSERT INTO workspace_testrun_mocks (name, url, health_path, interval_s, "
                           "docker_connection, container, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?)"));
        for (const TeamMock &m : *copy.mocks) {
            q.bindValue(0, text(m.name));
            q.bindValue(1, text(m.url));
            q.bindValue(2, text(m.healthPath));
            q.bindValue(3, m.intervalSec);
            q.bindValue(4, text(m.dockerConnection));
            q.bindValue(5, text(m.container));
            q.bindValue(6, text(m.updatedBy));
            q.bindValue(7, stamp(m.updatedAt));
            if (!q.exec())
                return fail();
        }
    }
    q.prepare(QStringLiteral("DELETE FROM workspace_testrun_records WHERE source = ? AND run_key = ?"));
    for (const RunKey &key : copy.goneRecords) {
        q.addBindValue(key.first);
        q.addBindValue(key.second);
        if (!q.exec())
            return fail();
    }
    if (copy.newRecords) {
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO workspace_testrun_records (source, run_key, record, "
                                 "signature, key_id, desktop, published_by, published_at) VALUES "
                                 "(?,?,?,?,?,?,?,?)"));
        for (const TeamRunRecord &r : *copy.newRecords) {
            for (const QString &v :
                 {r.source, r.runKey, QString::fromUtf8(r.record), QString::fromLatin1(r.signature), r.keyId,
                  r.desktop, r.publishedBy, stamp(r.publishedAt)})
                q.addBindValue(text(v));
            if (!q.exec())
                return fail();
        }
    }
    return {};
}

} // namespace opsdeck::TestRunRecords
