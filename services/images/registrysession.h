// Requests to one registry connection (a plain OCI registry or Harbor) with its credentials:
//   - Harbor's API and registries that take them directly get Basic or Bearer credentials;
//   - a registry that answers 401 with "WWW-Authenticate: Bearer realm=…,service=…,scope=…" gets a
//     token from that realm (the connection's user and password as Basic credentials there, or
//     anonymous), kept per scope until shortly before it expires, and the request again with it;
//   - lists are followed page by page through Link rel="next" (OCI's n/last and Harbor's page/page_size
//     alike), with every page handed over as it arrives.
// Lives on its service's thread; the HttpClient is the service's.
#pragma once

#include "models/connections/connection.h"
#include "models/images/registryanswers.h"
#include "services/net/httpclient.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

#include <functional>

namespace opsdeck {

class RegistrySession : public QObject
{
    Q_OBJECT
public:
    RegistrySession(HttpClient *client, const Connection &connection, const QString &secret, QObject *parent);

    using Done = std::function<void(const HttpResponse &)>;
    // scope: the token scope the request needs ("repository:team/app:pull", "registry:catalog:*").
    void send(HttpRequest request, const QString &scope, Done done);
    // Every page from first on, each to onPage (false stops with the error it set), then done with the
    // number of pages or the first error. maxPages guards against a registry that links forever.
    using OnPage = std::function<Result<void>(const HttpResponse &)>;
    void pages(const HttpRequest &first, const QString &scope, int maxPages, OnPage onPage,
               std::function<void(const Result<int> &)> done);

    // The URL of path (with query) under the connection's endpoint ("/v2/…", "/api/v2.0/…").
    QUrl url(const QString &pathAndQuery) const;
    const Connection &connection() const { return m_connection; }
    // Whether this session speaks for exactly that connection with that secret.
    bool uses(const Connection &connection, const QString &secret) const
    {
        return m_connection == connection && m_secret == secret;
    }
    int requestCount() const { return m_requests; }

private:
    void attempt(HttpRequest request, const QString &scope, bool retried, Done done);
    void fetchToken(const AuthChallenge &challenge, const QString &scope,
                    std::function<void(const Result<QString> &)> done);
    HeaderList credentials() const;

    HttpClient *m_client;
    Connection m_connection;
    QString m_secret;
    struct Token
    {
        QString value;
        QDateTime expires;
    };
    QHash<QString, Token> m_tokens; // by scope
    int m_requests = 0;
};

} // namespace opsdeck
