#include "services/images/registrysession.h"

#include "services/connections/probes.h"

#include <QUrlQuery>

namespace opsdeck {

RegistrySession::RegistrySession(HttpClient *client, const Connection &connection, const QString &secret,
                                 QObject *parent)
    : QObject(parent), m_client(client), m_connection(connection), m_secret(secret)
{
}

QUrl RegistrySession::url(const QString &pathAndQuery) const
{
    return apiUrl(m_connection.endpoint, pathAndQuery);
}

HeaderList RegistrySession::credentials() const
{
    return authHeaders(m_connection, m_secret);
}

void RegistrySession::send(HttpRequest request, const QString &scope, Done done)
{
    attempt(std::move(request), scope, false, std::move(done));
}

void RegistrySession::attempt(HttpRequest request, const QString &scope, bool retried, Done done)
{
    HttpRequest r = request;
    const auto token = m_tokens.constFind(scope);
    if (token != m_tokens.constEnd() && token->expires > QDateTime::currentDateTimeUtc())
        r.headers << HeaderList{{"Authorization", "Bearer " + token->value.toUtf8()}};
    else
        r.headers << credentials();
    ++m_requests;
    m_client->send(r, this, [this, request, scope, retried, done](const HttpResponse &response) {
        if (response.status != 401 || retried)
            return done(response);
        const auto challenge = parseAuthChallenge(response.header("WWW-Authenticate"));
        if (!challenge || challenge->scheme != QLatin1String("bearer"))
            return done(response); // Basic credentials refused, or no way to get a token
        fetchToken(*challenge, scope, [this, request, scope, response, done](const Result<QString> &t) {
            if (!t) {
                HttpResponse failed = response;
                failed.error = t.error();
                return done(failed);
            }
            attempt(request, scope, true, done);
        });
    });
}

void RegistrySession::fetchToken(const AuthChallenge &challenge, const QString &scope,
                                 std::function<void(const Result<QString> &)> done)
{
    // The token endpoint of the challenge, asked for the challenge's scope (the registry says what
    // it needs), or for ours when it names none.
    QUrl realm(challenge.realm);
    QUrlQuery query(realm);
    if (!challenge.service.isEmpty())
        query.addQueryItem(QStringLiteral("service"), challenge.service);
    const QString wanted = challenge.scope.isEmpty() ? scope : challenge.scope;
    for (const QString &s : wanted.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        query.addQueryItem(QStringLiteral("scope"), s);
    query.addQueryItem(QStringLiteral("client_id"), QStringLiteral("opsdeck"));
    realm.setQuery(query);
    HttpRequest r;
    r.url = realm;
    r.what = tr("Asking %1 for a registry token").arg(realm.host());
    // The registry's credentials go to its token server only when the connection has a user and
    // password; a token connection's token is for the registry itself.
    if (m_connection.auth == AuthKind::Basic)
        r.headers = credentials();
    ++m_requests;
    m_client->send(r, this, [this, scope, done](const HttpResponse &response) {
        if (!response.ok())
            return done(response.status == 401
                            ? makeError("registry.token",
                                        tr("The registry's token server refused the credentials of %1.")
                                            .arg(m_connection.name))
                            : response.error.value());
        const auto token = parseRegistryToken(response.body);
        if (!token)
            return done(token.error());
        // Kept until ten seconds before it expires (the spec's minimum lifetime is 60 s).
        m_tokens.insert(scope,
                        {token->token, QDateTime::currentDateTimeUtc().addSecs(token->expiresIn - 10)});
        done(token->token);
    });
}

void RegistrySession::pages(const HttpRequest &first, const QString &scope, int maxPages, OnPage onPage,
                            std::function<void(const Result<int> &)> done)
{
    auto step = std::make_shared<std::function<void(HttpRequest, int)>>();
    std::weak_ptr<std::function<void(HttpRequest, int)>> weak = step;
    *step = [this, scope, maxPages, onPage, done, weak](HttpRequest request, int count) {
        send(request, scope,
             [request, count, maxPages, onPage, done, self = weak.lock()](const HttpResponse &r) {
                 if (!r.ok())
                     return done(r.error.value());
                 if (auto taken = onPage(r); !taken)
                     return done(taken.error());
                 const QUrl next = r.links().value(QStringLiteral("next"));
                 if (!next.isValid() || next.isEmpty())
                     return done(count + 1);
                 if (count + 1 >= maxPages)
                     return done(
                         makeError("registry.pages",
                                   RegistrySession::tr("%1 went on for more than %2 pages; stopped there.")
                                       .arg(request.what)
                                       .arg(maxPages)));
                 // A next page on another host would take the credentials elsewhere: refused.
                 if (next.host() != request.url.host() || next.port() != request.url.port())
                     return done(makeError("registry.pages",
                                           RegistrySession::tr("%1: the next page is on another host (%2).")
                                               .arg(request.what, next.host())));
                 HttpRequest following = request;
                 following.url = next;
                 (*self)(following, count + 1);
             });
    };
    (*step)(first, 0);
}

} // namespace opsdeck
