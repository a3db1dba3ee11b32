// Routes from the official API descriptions in ../shared/specs, so that the local test servers
// can refuse any request whose method, path or query parameter the real service does not have.
#pragma once

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QUrlQuery>

class SpecRoutes
{
public:
    // OpenAPI 3 JSON (GitHub, Cloudflare).
    static SpecRoutes fromOpenApiJson(const QString &file);
    // Swagger 2 YAML (Harbor, Docker Engine): paths, methods, and query parameters.
    static SpecRoutes fromSwaggerYaml(const QString &file);
    // The LiteLLM summary: "- method: GET / path: /key/info / query: {...}".
    static SpecRoutes fromLiteLlmSummary(const QString &file);

    bool isEmpty() const { return m_routes.isEmpty(); }
    int size() const { return int(m_routes.size()); }
    QString basePath() const { return m_basePath; }
    // Empty when the request matches a documented route; otherwise what is wrong with it. A route
    // whose description names its body's schema (the LiteLLM summary's "body: UpdateTeamRequest")
    // has the body checked too: a JSON object with only the schema's fields, its required ones,
    // each of its declared type (or null where the type allows it).
    QString check(const QByteArray &method, const QString &path, const QUrlQuery &query = {},
                  const QByteArray &body = {}) const;

private:
    struct Route
    {
        QString method;
        QString path;
        QRegularExpression pattern;
        QSet<QString> query;
        QString bodySchema;
    };
    struct Schema
    {
        QHash<QString, QString> fields; // name -> type ("number|null", "array<string>", …)
        QStringList required;
    };
    void add(const QString &method, const QString &path, const QSet<QString> &query,
             const QString &bodySchema = {});
    QString checkBody(const Route &route, const QByteArray &body) const;
    QList<Route> m_routes;
    QHash<QString, Schema> m_schemas;
    QString m_basePath;
};

// ../shared/specs as seen from the source tree (set by CMake).
QString specsDir();
