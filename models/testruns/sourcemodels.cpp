#include "models/testruns/sourcemodels.h"

#include "models/core/timetext.h"
#include "models/store/database.h"
#include "models/testruns/goldensuite.h"
#include "models/testruns/workflowruns.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
// What became of an artifact, for people.
QString stateText(const QString &state)
{
    if (state == QLatin1String("imported"))
        return QObject::tr("imported");
    if (state == QLatin1String("no-junit"))
        return QObject::tr("no JUnit XML");
    if (state == QLatin1String("refused"))
        return QObject::tr("refused");
    if (state == QLatin1String("expired"))
        return QObject::tr("expired");
    if (state == QLatin1String("too-large"))
        return QObject::tr("too large");
    return QObject::tr("not wanted");
}
} // namespace

GitHubSourcesModel::GitHubSourcesModel(QObject *parent) : CacheTableModel(parent) {}

QStringList GitHubSourcesModel::headers() const
{
    return {tr("Source"),        tr("Repository"), tr("Artifacts"),    tr("Connection"),
            tr("Workflow runs"), tr("Imported"),   tr("Last artifact")};
}

QStringList GitHubSourcesModel::watchedTables() const
{
    return {QStringLiteral("test_sources"), QStringLiteral("test_workflow_runs"),
            QStringLiteral("test_artifacts"), QStringLiteral("connections")};
}

CacheLoader GitHubSourcesModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT s.id, s.name, s.detail, COALESCE(c.name, ''), COALESCE(s.connection_id, 0), "
                "(SELECT COUNT(*) FROM test_workflow_runs w WHERE w.source_id = s.id), "
                "(SELECT COUNT(*) FROM test_artifacts a WHERE a.source_id = s.id AND a.state = 'imported'), "
                "(SELECT MAX(checked_at) FROM test_artifacts a WHERE a.source_id = s.id) "
                "FROM test_sources s LEFT JOIN connections c ON c.id = s.connection_id WHERE s.kind = "
                "'github' "
                "ORDER BY s.name")))
            return Database::describe(q.lastError(), tr("Reading the GitHub test sources"));
        CacheRows rows;
        while (q.next()) {
            const GitHubTestSource s =
                GitHubTestSource::fromJson(QJsonDocument::fromJson(q.value(2).toByteArray()).object());
            CacheRow row;
            row.key = q.value(0);
            row.values = {q.value(1).toString(),
                          s.repo,
                          s.artifacts,
                          q.value(3).toString(),
                          q.value(5).toInt(),
                          q.value(6).toInt(),
                          q.value(7).toString(),
                          q.value(4).toLongLong(),
                          s.firstRuns};
            rows << row;
        }
        return rows;
    };
}

QVariant GitHubSourcesModel::cellData(const CacheRow &row, int column, int role) const
{
    switch (role) {
    case ConnectionIdRole:
        return row.values.value(ColumnCount);
    case PatternRole:
        return row.values.value(Artifacts);
    case FirstRunsRole:
        return row.values.value(ColumnCount + 1);
    case Qt::DisplayRole:
        if (column == LastChecked)
            return localTime(row.values.value(column).toString(), tr("never"));
        if (column == Connection && row.values.value(column).toString().isEmpty())
            return tr("(removed)");
        break;
    default:
        break;
    }
    return CacheTableModel::cellData(row, column, role);
}

GoldenSourcesModel::GoldenSourcesModel(QObject *parent) : CacheTableModel(parent) {}

QStringList GoldenSourcesModel::headers() const
{
    return {tr("Suite"), tr("Cases from"), tr("Base URL"),   tr("At once"),
            tr("Runs"),  tr("Last run"),   tr("Last result")};
}

QStringList GoldenSourcesModel::watchedTables() const
{
    return {QStringLiteral("test_sources"), QStringLiteral("test_runs")};
}

CacheLoader GoldenSourcesModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT s.id, s.name, s.detail, (SELECT COUNT(*) FROM test_runs r WHERE r.source_id = s.id), "
                "l.id, l.started_at, l.tests, l.passed FROM test_sources s LEFT JOIN test_runs l ON l.id = "
                "(SELECT id FROM test_runs r WHERE r.source_id = s.id ORDER BY r.started_at DESC, r.id DESC "
                "LIMIT 1) WHERE s.kind = 'golden' ORDER BY s.name")))
            return Database::describe(q.lastError(), tr("Reading the golden suites"));
        CacheRows rows;
        while (q.next()) {
            const QJsonObject detail = QJsonDocument::fromJson(q.value(2).toByteArray()).object();
            const GoldenSuiteSettings s = GoldenSuiteSettings::fromJson(detail);
            const QString from =
                s.isGit() ? QStringLiteral("%1 @ %2 : %3")
                                .arg(s.gitUrl, s.gitRef.isEmpty() ? tr("default branch") : s.gitRef,
                                     s.folder.isEmpty() ? QStringLiteral(".") : s.folder)
                          : s.folder;
            const QString result =
                q.value(4).isNull() ? QString()
                                    : tr("%1 of %2 passed").arg(q.value(7).toInt()).arg(q.value(6).toInt());
            CacheRow row;
            row.key = q.value(0);
            row.values = {
                q.value(1).toString(), from,   s.baseUrl, s.concurrency,          q.value(3).toInt(),
                q.value(5).toString(), result, detail,    q.value(4).toLongLong()};
            rows << row;
        }
        return rows;
    };
}

QVariant GoldenSourcesModel::cellData(const CacheRow &row, int column, int role) const
{
    switch (role) {
    case SettingsRole:
        return row.values.value(ColumnCount);
    case LastRunIdRole:
        return row.values.value(ColumnCount + 1);
    case Qt::DisplayRole:
        if (column == LastRun)
            return localTime(row.values.value(column).toString(), tr("never"));
        break;
    default:
        break;
    }
    return CacheTableModel::cellData(row, column, role);
}

WorkflowRunsModel::WorkflowRunsModel(QObject *parent) : CacheTableModel(parent) {}

void WorkflowRunsModel::setSource(qint64 sourceId)
{
    if (sourceId == m_source)
        return;
    m_source = sourceId;
    reload();
}

QStringList WorkflowRunsModel::headers() const
{
    return {tr("Created"), tr("Workflow run"), tr("Branch"),   tr("Commit"),
            tr("Event"),   tr("Conclusion"),   tr("Artifacts")};
}

QStringList WorkflowRunsModel::watchedTables() const
{
    return {QStringLiteral("test_workflow_runs"), QStringLiteral("test_artifacts")};
}

CacheLoader WorkflowRunsModel::loader() const
{
    return [source = m_source](QSqlDatabase db) -> Result<CacheRows> {
        CacheRows rows;
        if (source == 0)
            return rows;
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT w.gh_run_id, w.created_at, w.workflow, w.run_number, w.title, "
                                 "w.branch, w.commit_sha, w.event, "
                                 "w.status, w.conclusion, w.html_url, a.name, a.state, a.detail FROM "
                                 "test_workflow_runs w LEFT JOIN "
                                 "test_artifacts a ON a.source_id = w.source_id AND a.gh_run_id = "
                                 "w.gh_run_id WHERE w.source_id = ? "
                                 "ORDER BY w.created_at DESC, w.gh_run_id DESC, a.name"));
        q.addBindValue(source);
        if (!q.exec())
            return Database::describe(q.lastError(), tr("Reading the workflow runs"));
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            if (rows.isEmpty() || rows.last().key.toLongLong() != id) {
                CacheRow row;
                row.key = id;
                const QString conclusion = q.value(8).toString() == QLatin1String("completed")
                                               ? q.value(9).toString()
                                               : q.value(8).toString();
                row.values = {q.value(1).toString(),
                              tr("%1 #%2 · %3")
                                  .arg(q.value(2).toString())
                                  .arg(q.value(3).toLongLong())
                                  .arg(q.value(4).toString()),
                              q.value(5).toString(),
                              q.value(6).toString(),
                              q.value(7).toString(),
                              conclusion,
                              QStringList(),
                              QStringList(),
                              q.value(10).toString()};
                rows << row;
            }
            if (q.value(11).isNull())
                continue;
            CacheRow &row = rows.last();
            QStringList summary = row.values.at(ArtifactsRead).toStringList();
            summary << tr("%1: %2").arg(q.value(11).toString(), stateText(q.value(12).toString()));
            row.values[ArtifactsRead] = summary;
            if (!q.value(13).toString().isEmpty()) {
                QStringList details = row.values.at(ColumnCount).toStringList();
                details << tr("%1: %2").arg(q.value(11).toString(), q.value(13).toString());
                row.values[ColumnCount] = details;
            }
        }
        return rows;
    };
}

QVariant WorkflowRunsModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Created:
            return localTime(raw.toString(), QString());
        case Commit:
            return raw.toString().left(10);
        case ArtifactsRead:
            return raw.toStringList().isEmpty() ? tr("none yet")
                                                : raw.toStringList().join(QStringLiteral(", "));
        default:
            return raw;
        }
    case Qt::ToolTipRole:
        if (column == ArtifactsRead)
            return row.values.value(ColumnCount).toStringList().join(QLatin1Char('\n'));
        if (column == Run)
            return row.values.value(ColumnCount + 1);
        return {};
    case SortRole:
        return column == ArtifactsRead ? QVariant(raw.toStringList().join(QLatin1Char(','))) : raw;
    default:
        return CacheTableModel::cellData(row, column, role);
    }
}

} // namespace opsdeck
