// The cheapest authenticated call of each backend, used by "Test connection" and by the health
// check behind Refresh for panes whose sync is not built yet. Every route here is in
// ../shared/specs: docker GET /_ping; registry GET /v2/; GitHub GET /user (token) or
// GET /app/installations (App JWT); Harbor GET /api/v2.0/users/current; LiteLLM GET /key/info;
// Cloudflare GET /accounts/{account_id}/cfd_tunnel?per_page=1.
#pragma once

#include "models/connections/connection.h"
#include "services/docker/dockerclient.h"
#include "services/net/httpclient.h"

#include <variant>

namespace opsdeck {

// Joins a base URL and an API path without doubling slashes or a base path the admin typed.
QUrl apiUrl(const QString &base, const QString &path);

// Authentication headers for a connection's kind and auth kind (GitHub App: pass the JWT as secret).
HeaderList authHeaders(const Connection &connection, const QString &secret);

using ProbeRequest = std::variant<HttpRequest, DockerRequest>;
Result<ProbeRequest> probeRequest(const Connection &connection, const QString &secret, const QDateTime &now);

// What a successful probe answer says, e.g. "Signed in as octocat" or "Docker API 1.41".
QString describeProbeSuccess(const Connection &connection, const HttpResponse &response);

// A GitHub App installation from GET /app/installations (components/schemas/installation).
struct GitHubInstallation
{
    qint64 id = 0;
    QString account;          // account.login
    QString targetType;       // "Organization" or "User"
    QString describe() const; // "77 (acme, Organization)"
    bool operator==(const GitHubInstallation &) const = default;
};
// The installations in an answer of GET /app/installations; names a missing id.
Result<QList<GitHubInstallation>> parseInstallations(const QByteArray &body);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::GitHubInstallation)
