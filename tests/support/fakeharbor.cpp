#include "fakeharbor.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>

namespace {
TestReply notFound()
{
    return TestReply::json(404, R"({"errors":[{"code":"NOT_FOUND","message":"not found"}]})");
}
} // namespace

FakeHarbor::FakeHarbor()
{
    const SpecRoutes spec = SpecRoutes::fromSwaggerYaml(
        specsDir() + QStringLiteral("/harbor/harbor-api-v2.0.v2.15.2.subset.yaml"));
    m_server.setSpec(spec, spec.basePath());
    m_server.setFallback([this](const TestRequest &request) {
        TestReply reply = answer(request);
        reply.delayMs = m_latencyMs;
        return reply;
    });
    setSystemCves({});
}

void FakeHarbor::setCredentials(const QByteArray &user, const QByteArray &password)
{
    m_auth = "Basic " + (user + ':' + password).toBase64();
}

void FakeHarbor::addProject(qint64 id, const QString &name, const QJsonObject &metadata,
                            const QStringList &cves)
{
    QJsonArray items;
    for (const QString &cve : cves)
        items.append(QJsonObject{{QStringLiteral("cve_id"), cve}});
    QJsonObject project{{QStringLiteral("project_id"), id},
                        {QStringLiteral("name"), name},
                        {QStringLiteral("repo_count"), 0},
                        {QStringLiteral("metadata"), metadata},
                        {QStringLiteral("cve_allowlist"),
                         QJsonObject{{QStringLiteral("project_id"), id}, {QStringLiteral("items"), items}}}};
    m_projects.append(project);
}

QJsonObject FakeHarbor::addArtifact(const QString &repository, const QString &digest, const QStringList &tags,
                                    const QString &scanSeverity, const QJsonObject &counts, qint64 size)
{
    QJsonArray tagList;
    for (const QString &t : tags)
        tagList.append(QJsonObject{{QStringLiteral("name"), t}, {QStringLiteral("immutable"), false}});
    QJsonObject artifact{
        {QStringLiteral("id"), int(m_artifacts.value(repository).size()) + 1},
        {QStringLiteral("type"), QStringLiteral("IMAGE")},
        {QStringLiteral("manifest_media_type"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
        {QStringLiteral("repository_name"), repository},
        {QStringLiteral("digest"), digest},
        {QStringLiteral("size"), size},
        {QStringLiteral("push_time"), QStringLiteral("2026-11-30T10:00:00.000Z")},
        {QStringLiteral("tags"), tagList}};
    if (!scanSeverity.isEmpty()) {
        int total = 0;
        for (const QJsonValue &v : counts)
            total += v.toInt();
        artifact.insert(
            QStringLiteral("scan_overview"),
            QJsonObject{{QStringLiteral("application/vnd.security.vulnerability.report; version=1.1"),
                         QJsonObject{{QStringLiteral("scan_status"), QStringLiteral("Success")},
                                     {QStringLiteral("severity"), scanSeverity},
                                     {QStringLiteral("complete_percent"), 100},
                                     {QStringLiteral("end_time"), QStringLiteral("2026-11-30T10:05:00Z")},
                                     {QStringLiteral("scanner"),
                                      QJsonObject{{QStringLiteral("name"), QStringLiteral("Trivy")},
                                                  {QStringLiteral("version"), QStringLiteral("v0.50.1")}}},
                                     {QStringLiteral("summary"),
                                      QJsonObject{{QStringLiteral("total"), total},
                                                  {QStringLiteral("fixable"), total / 2},
                                                  {QStringLiteral("summary"), counts}}}}}});
    }
    m_artifacts[repository].append(artifact);
    return artifact;
}

void FakeHarbor::clearArtifacts(const QString &repository)
{
    m_artifacts.remove(repository);
}

void FakeHarbor::setSystemCves(const QStringList &cves, qint64 expiresAt)
{
    QJsonArray items;
    for (const QString &cve : cves)
        items.append(QJsonObject{{QStringLiteral("cve_id"), cve}});
    m_systemCves = QJsonObject{
        {QStringLiteral("id"), 1}, {QStringLiteral("project_id"), 0}, {QStringLiteral("items"), items}};
    if (expiresAt > 0)
        m_systemCves.insert(QStringLiteral("expires_at"), expiresAt);
}

void FakeHarbor::setReport(const QString &digest, const QJsonArray &vulnerabilities)
{
    m_reports[digest] = vulnerabilities;
}

TestReply FakeHarbor::page(const TestRequest &request, const QJsonArray &all)
{
    const QUrlQuery query = request.query();
    const int number = qMax(1, query.queryItemValue(QStringLiteral("page")).toInt());
    const int size = qBound(1,
                            query.queryItemValue(QStringLiteral("page_size")).isEmpty()
                                ? 10
                                : query.queryItemValue(QStringLiteral("page_size")).toInt(),
                            100);
    QJsonArray slice;
    for (qsizetype i = qsizetype(number - 1) * size; i < all.size() && i < qsizetype(number) * size; ++i)
        slice.append(all.at(i));
    TestReply reply = TestReply::json(200, QJsonDocument(slice).toJson(QJsonDocument::Compact));
    reply.header("X-Total-Count", QByteArray::number(all.size()));
    if (qsizetype(number) * size < all.size()) {
        // Harbor's Link: the path and query of the next page, relative to the server.
        QUrl next(QString::fromUtf8(request.target));
        QUrlQuery q(next);
        q.removeAllQueryItems(QStringLiteral("page"));
        q.addQueryItem(QStringLiteral("page"), QString::number(number + 1));
        next.setQuery(q);
        reply.header("Link", "<" + next.toString(QUrl::FullyEncoded).toUtf8() + ">; rel=\"next\"");
    }
    return reply;
}

TestReply FakeHarbor::answer(const TestRequest &request)
{
    if (!m_auth.isEmpty() && request.header("Authorization") != m_auth)
        return TestReply::json(401, R"({"errors":[{"code":"UNAUTHORIZED","message":"unauthorized"}]})");
    const QString path = request.path();
    if (request.method == "GET" && path == QLatin1String("/api/v2.0/projects"))
        return page(request, m_projects);
    if (request.method == "GET" && path == QLatin1String("/api/v2.0/system/CVEAllowlist"))
        return TestReply::json(200, QJsonDocument(m_systemCves).toJson(QJsonDocument::Compact));
    // The repository segment arrives encoded twice over (a/b -> a%252Fb): decoded once by the path.
    static const QRegularExpression repositories(QStringLiteral("^/api/v2.0/projects/([^/]+)/repositories$"));
    static const QRegularExpression artifacts(
        QStringLiteral("^/api/v2.0/projects/([^/]+)/repositories/([^/]+)/artifacts(?:/([^/]+)(/scan|/"
                       "additions/vulnerabilities))?$"));
    if (const auto m = repositories.match(path); m.hasMatch() && request.method == "GET") {
        const QString project = m.captured(1);
        QJsonArray list;
        for (auto it = m_artifacts.cbegin(); it != m_artifacts.cend(); ++it)
            if (it.key().startsWith(project + QLatin1Char('/')))
                list.append(
                    QJsonObject{{QStringLiteral("name"), it.key()},
                                {QStringLiteral("artifact_count"), int(it.value().size())},
                                {QStringLiteral("update_time"), QStringLiteral("2026-11-30T10:00:00Z")}});
        return page(request, list);
    }
    if (const auto m = artifacts.match(path); m.hasMatch()) {
        const QString inProject = QUrl::fromPercentEncoding(m.captured(2).toUtf8());
        const QString repository = m.captured(1) + QLatin1Char('/') + inProject;
        if (!m_artifacts.contains(repository))
            return notFound();
        const QString reference = QUrl::fromPercentEncoding(m.captured(3).toUtf8());
        if (m.captured(4) == QLatin1String("/scan") && request.method == "POST") {
            m_scanned << repository + QLatin1Char('@') + reference;
            TestReply r;
            r.status = 202;
            return r;
        }
        if (m.captured(4) == QLatin1String("/additions/vulnerabilities") && request.method == "GET") {
            if (!m_reports.contains(reference))
                return TestReply::json(200, "{}");
            const QJsonObject report{{QStringLiteral("generated_at"), QStringLiteral("2026-11-30T10:05:00Z")},
                                     {QStringLiteral("severity"), QStringLiteral("Critical")},
                                     {QStringLiteral("vulnerabilities"), m_reports.value(reference)}};
            return TestReply::json(
                200,
                QJsonDocument(
                    QJsonObject{{QStringLiteral("application/vnd.security.vulnerability.report; version=1.1"),
                                 report}})
                    .toJson(QJsonDocument::Compact));
        }
        if (m.captured(3).isEmpty() && request.method == "GET")
            return page(request, m_artifacts.value(repository));
    }
    return notFound();
}
