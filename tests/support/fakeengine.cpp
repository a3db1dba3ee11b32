#include "fakeengine.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace {
int versionNumber(const QString &v)
{
    const QStringList parts = v.split(QLatin1Char('.'));
    return parts.size() == 2 ? parts.at(0).toInt() * 1000 + parts.at(1).toInt() : 0;
}
} // namespace

void serveAsDockerEngine(TestHttpServer &server, const FakeEngine &engine)
{
    server.setVersionedPaths(true);
    server.setSpec(SpecRoutes::fromSwaggerYaml(
        specsDir() + QStringLiteral("/docker/docker-engine-api-v1.47.subset.yaml")));
    server.setGate([&server, engine](const TestRequest &r) -> std::optional<TestReply> {
        if (r.apiVersion.isEmpty()) {
            if (r.path() != QLatin1String("/_ping") && r.path() != QLatin1String("/version"))
                server.recordViolation(QStringLiteral("%1 %2 is not pinned to an API version")
                                           .arg(QString::fromLatin1(r.method), r.path()));
            return std::nullopt;
        }
        const int asked = versionNumber(r.apiVersion);
        // dockerd's own words (api/server/middleware/version.go).
        if (asked > versionNumber(engine.apiVersion))
            return TestReply::json(
                400, QJsonDocument(QJsonObject{{"message", QStringLiteral("client version %1 is too new. "
                                                                          "Maximum supported API version "
                                                                          "is %2")
                                                               .arg(r.apiVersion, engine.apiVersion)}})
                         .toJson(QJsonDocument::Compact));
        if (asked < versionNumber(engine.minApiVersion))
            return TestReply::json(
                400,
                QJsonDocument(QJsonObject{{"message", QStringLiteral("client version %1 is too old. Minimum "
                                                                     "supported API version is %2, please "
                                                                     "upgrade your client to a newer version")
                                                          .arg(r.apiVersion, engine.minApiVersion)}})
                    .toJson(QJsonDocument::Compact));
        return std::nullopt;
    });
    server.route("GET", QStringLiteral("/version"), [engine](const TestRequest &) {
        QJsonObject o{{"Version", engine.engineVersion},
                      {"ApiVersion", engine.apiVersion},
                      {"Os", "linux"},
                      {"Arch", "amd64"}};
        if (!engine.minApiVersion.isEmpty())
            o.insert(QStringLiteral("MinAPIVersion"), engine.minApiVersion);
        return TestReply::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
    });
    server.route("GET", QStringLiteral("/_ping"), [engine](const TestRequest &) {
        TestReply reply;
        reply.body = "OK";
        reply.header("Content-Type", "text/plain").header("API-Version", engine.apiVersion.toLatin1());
        return reply;
    });
}
