#include "models/testruns/workflowruns.h"

#include "models/core/validation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace opsdeck {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::WorkflowRuns)
};

QDateTime timeOf(const QJsonValue &v)
{
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

// The top-level object of a list answer with its count and array, or why it is not one.
Result<std::pair<qint64, QJsonArray>> listOf(const QByteArray &body, const char *arrayKey,
                                             const QString &what)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError("json.malformed", Tr::tr("GitHub's %1 is not valid JSON (%2 at byte %3).")
                                               .arg(what, error.errorString())
                                               .arg(error.offset));
    const QJsonObject o = doc.object();
    const QJsonValue list = o.value(QLatin1String(arrayKey));
    if (!doc.isObject() || !list.isArray() || !o.value(QLatin1String("total_count")).isDouble())
        return makeError(
            "github.schema",
            Tr::tr("GitHub's %1 lacks \"%2\" or \"total_count\".").arg(what, QLatin1String(arrayKey)));
    return std::pair{o.value(QLatin1String("total_count")).toInteger(), list.toArray()};
}

bool isId(const QJsonValue &v)
{
    return v.isDouble() && v.toInteger() > 0;
}

Error schemaError(const QString &what, qsizetype index, const QString &field)
{
    return makeError("github.schema",
                     Tr::tr("GitHub's %1: item %2 has no valid \"%3\".").arg(what).arg(index + 1).arg(field));
}

} // namespace

Result<WorkflowRunPage> parseWorkflowRunPage(const QByteArray &body)
{
    const QString what = Tr::tr("list of workflow runs");
    auto list = listOf(body, "workflow_runs", what);
    if (!list)
        return list.error();
    WorkflowRunPage page;
    page.totalCount = list->first;
    page.runs.reserve(list->second.size());
    for (qsizetype i = 0; i < list->second.size(); ++i) {
        const QJsonObject o = list->second.at(i).toObject();
        if (!isId(o.value(QLatin1String("id"))))
            return schemaError(what, i, QStringLiteral("id"));
        for (const char *field : {"status", "head_sha", "event"})
            if (!o.value(QLatin1String(field)).isString())
                return schemaError(what, i, QLatin1String(field));
        WorkflowRun r;
        r.id = o.value(QLatin1String("id")).toInteger();
        r.name = o.value(QLatin1String("name")).toString();
        r.displayTitle = o.value(QLatin1String("display_title")).toString();
        r.branch = o.value(QLatin1String("head_branch")).toString(); // null for some events
        r.commit = o.value(QLatin1String("head_sha")).toString();
        r.event = o.value(QLatin1String("event")).toString();
        r.status = o.value(QLatin1String("status")).toString();
        r.conclusion = o.value(QLatin1String("conclusion")).toString();
        r.runNumber = o.value(QLatin1String("run_number")).toInteger();
        r.runAttempt = qMax(1, o.value(QLatin1String("run_attempt")).toInt(1));
        r.htmlUrl = o.value(QLatin1String("html_url")).toString();
        r.createdAt = timeOf(o.value(QLatin1String("created_at")));
        r.updatedAt = timeOf(o.value(QLatin1String("updated_at")));
        if (!r.createdAt.isValid())
            return schemaError(what, i, QStringLiteral("created_at"));
        page.runs.append(std::move(r));
    }
    return page;
}

Result<ArtifactPage> parseArtifactPage(const QByteArray &body)
{
    const QString what = Tr::tr("list of artifacts");
    auto list = listOf(body, "artifacts", what);
    if (!list)
        return list.error();
    ArtifactPage page;
    page.totalCount = list->first;
    page.artifacts.reserve(list->second.size());
    for (qsizetype i = 0; i < list->second.size(); ++i) {
        const QJsonObject o = list->second.at(i).toObject();
        if (!isId(o.value(QLatin1String("id"))))
            return schemaError(what, i, QStringLiteral("id"));
        if (!o.value(QLatin1String("name")).isString())
            return schemaError(what, i, QStringLiteral("name"));
        if (!o.value(QLatin1String("size_in_bytes")).isDouble() ||
            o.value(QLatin1String("size_in_bytes")).toDouble() < 0)
            return schemaError(what, i, QStringLiteral("size_in_bytes"));
        if (!o.value(QLatin1String("expired")).isBool())
            return schemaError(what, i, QStringLiteral("expired"));
        WorkflowArtifact a;
        a.id = o.value(QLatin1String("id")).toInteger();
        a.name = o.value(QLatin1String("name")).toString();
        a.sizeInBytes = o.value(QLatin1String("size_in_bytes")).toInteger();
        a.expired = o.value(QLatin1String("expired")).toBool();
        a.createdAt = timeOf(o.value(QLatin1String("created_at")));
        a.digest = o.value(QLatin1String("digest")).toString();
        a.workflowRunId =
            o.value(QLatin1String("workflow_run")).toObject().value(QLatin1String("id")).toInteger();
        page.artifacts.append(std::move(a));
    }
    return page;
}

QJsonObject GitHubTestSource::toJson() const
{
    return {{QStringLiteral("repo"), repo},
            {QStringLiteral("artifacts"), artifacts},
            {QStringLiteral("first_runs"), firstRuns}};
}

GitHubTestSource GitHubTestSource::fromJson(const QJsonObject &o)
{
    GitHubTestSource s;
    s.repo = o.value(QLatin1String("repo")).toString();
    s.artifacts = o.value(QLatin1String("artifacts")).toString(QStringLiteral("*"));
    s.firstRuns = o.value(QLatin1String("first_runs")).toInt(30);
    return s;
}

Result<void> GitHubTestSource::check() const
{
    auto repos = parseRepositoryList(repo);
    if (!repos)
        return makeError("validation.repo", repos.error().message);
    if (repos->size() != 1 || repo.contains(QLatin1Char(',')))
        return makeError(
            "validation.repo",
            Tr::tr("Name one repository as owner/name, such as acme/api (got \"%1\").").arg(repo));
    const QString pattern = artifacts.trimmed();
    if (pattern.isEmpty() || pattern.size() > 200)
        return makeError("validation.pattern",
                         Tr::tr("The artifact pattern needs 1 to 200 characters; * reads every artifact."));
    const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(pattern));
    if (!re.isValid())
        return makeError(
            "validation.pattern",
            Tr::tr("The artifact pattern \"%1\" is not a valid wildcard: %2").arg(pattern, re.errorString()));
    if (firstRuns < 1 || firstRuns > 100)
        return makeError("validation.range",
                         Tr::tr("The first sync reads 1 to 100 workflow runs (got %1).").arg(firstRuns));
    return {};
}

bool GitHubTestSource::wants(const QString &artifactName) const
{
    const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(artifacts.trimmed()));
    return re.isValid() && re.match(artifactName).hasMatch();
}

QString artifactRunKey(qint64 artifactId)
{
    return QStringLiteral("artifact:%1").arg(artifactId);
}

QString artifactRunTitle(const WorkflowRun &run, const QString &artifact)
{
    const QString workflow = run.name.isEmpty() ? Tr::tr("Workflow run") : run.name;
    return Tr::tr("%1 #%2 · %3").arg(workflow).arg(run.runNumber).arg(artifact);
}

} // namespace opsdeck
