#include "models/connections/connection.h"

#include "models/core/validation.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Connection)
};
} // namespace

QString kindId(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::GitHub:
        return QStringLiteral("github");
    case ConnectionKind::Docker:
        return QStringLiteral("docker");
    case ConnectionKind::Registry:
        return QStringLiteral("registry");
    case ConnectionKind::Harbor:
        return QStringLiteral("harbor");
    case ConnectionKind::LiteLLM:
        return QStringLiteral("litellm");
    case ConnectionKind::Cloudflare:
        return QStringLiteral("cloudflare");
    }
    return {};
}

std::optional<ConnectionKind> kindFromId(const QString &id)
{
    for (ConnectionKind kind : allKinds())
        if (kindId(kind) == id)
            return kind;
    return std::nullopt;
}

QString kindDisplayName(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::GitHub:
        return Tr::tr("GitHub");
    case ConnectionKind::Docker:
        return Tr::tr("Docker host");
    case ConnectionKind::Registry:
        return Tr::tr("OCI registry");
    case ConnectionKind::Harbor:
        return Tr::tr("Harbor");
    case ConnectionKind::LiteLLM:
        return Tr::tr("LiteLLM proxy");
    case ConnectionKind::Cloudflare:
        return Tr::tr("Cloudflare");
    }
    return {};
}

QList<ConnectionKind> allKinds()
{
    return {ConnectionKind::GitHub, ConnectionKind::Docker,  ConnectionKind::Registry,
            ConnectionKind::Harbor, ConnectionKind::LiteLLM, ConnectionKind::Cloudflare};
}

QString authId(AuthKind kind)
{
    switch (kind) {
    case AuthKind::None:
        return QStringLiteral("none");
    case AuthKind::Token:
        return QStringLiteral("token");
    case AuthKind::Basic:
        return QStringLiteral("basic");
    case AuthKind::GitHubApp:
        return QStringLiteral("github-app");
    }
    return {};
}

std::optional<AuthKind> authFromId(const QString &id)
{
    for (AuthKind kind : {AuthKind::None, AuthKind::Token, AuthKind::Basic, AuthKind::GitHubApp})
        if (authId(kind) == id)
            return kind;
    return std::nullopt;
}

QString authDisplayName(AuthKind kind)
{
    switch (kind) {
    case AuthKind::None:
        return Tr::tr("No authentication");
    case AuthKind::Token:
        return Tr::tr("Token");
    case AuthKind::Basic:
        return Tr::tr("User name and password");
    case AuthKind::GitHubApp:
        return Tr::tr("GitHub App (private key)");
    }
    return {};
}

QList<AuthKind> authKindsFor(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::GitHub:
        return {AuthKind::Token, AuthKind::GitHubApp};
    case ConnectionKind::Docker:
        return {AuthKind::None};
    case ConnectionKind::Registry:
        return {AuthKind::None, AuthKind::Basic, AuthKind::Token};
    case ConnectionKind::Harbor:
        return {AuthKind::Basic};
    case ConnectionKind::LiteLLM:
        return {AuthKind::Token};
    case ConnectionKind::Cloudflare:
        return {AuthKind::Token};
    }
    return {};
}

QString defaultBaseUrl(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::GitHub:
        return QStringLiteral("https://api.github.com");
    case ConnectionKind::Docker:
        return QStringLiteral("unix:///var/run/docker.sock");
    case ConnectionKind::Registry:
        return QStringLiteral("https://registry.example.com");
    case ConnectionKind::Harbor:
        return QStringLiteral("https://harbor.example.com");
    case ConnectionKind::LiteLLM:
        return QStringLiteral("https://litellm.example.com");
    case ConnectionKind::Cloudflare:
        return QStringLiteral("https://api.cloudflare.com/client/v4");
    }
    return {};
}

Result<DockerEndpoint> parseDockerEndpoint(const QString &endpoint, bool tls)
{
    const QString value = endpoint.trimmed();
    DockerEndpoint result;
    if (value.isEmpty())
        return makeError(
            "docker.endpoint",
            Tr::tr("The Docker host is empty. Use unix:///var/run/docker.sock or tcp://host:2376."));
    if (value.startsWith(QLatin1Char('/')) || value.startsWith(QLatin1String("unix://"))) {
        result.transport = DockerEndpoint::Unix;
        result.socketPath = value.startsWith(QLatin1Char('/')) ? value : value.mid(7);
        if (!result.socketPath.startsWith(QLatin1Char('/')))
            return makeError(
                "docker.endpoint",
                Tr::tr("The Docker socket path \"%1\" must be absolute, as in unix:///var/run/docker.sock.")
                    .arg(result.socketPath));
        return result;
    }
    if (value.startsWith(QLatin1String("tcp://"))) {
        const QUrl url(QStringLiteral("http://") + value.mid(6));
        if (!url.isValid() || url.host().isEmpty())
            return makeError("docker.endpoint",
                             Tr::tr("\"%1\" is not a valid tcp:// Docker host.").arg(value));
        if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
            return makeError("docker.endpoint",
                             Tr::tr("A tcp:// Docker host has no path: \"%1\".").arg(value));
        result.transport = DockerEndpoint::Tcp;
        result.host = url.host();
        result.tls = tls;
        const int port = url.port(tls ? 2376 : 2375);
        result.port = quint16(port);
        return result;
    }
    return makeError(
        "docker.endpoint",
        Tr::tr("Unsupported Docker host \"%1\": use unix:///path/to/docker.sock or tcp://host:port.")
            .arg(value));
}

Result<void> validateConnection(const Connection &c)
{
    if (c.name.trimmed().isEmpty())
        return makeError("connection.name", Tr::tr("Give the connection a name."));
    if (c.name.size() > 80)
        return makeError("connection.name", Tr::tr("The name is longer than 80 characters."));
    if (!authKindsFor(c.kind).contains(c.auth))
        return makeError("connection.auth", Tr::tr("%1 connections do not support \"%2\".")
                                                .arg(kindDisplayName(c.kind), authDisplayName(c.auth)));
    if (c.syncIntervalSec < 30 || c.syncIntervalSec > 24 * 3600)
        return makeError("connection.interval",
                         Tr::tr("The sync interval must be between 30 seconds and 24 hours."));

    if (c.kind == ConnectionKind::Docker) {
        const bool tls = !c.clientCertFile.isEmpty() || !c.clientKeyFile.isEmpty();
        auto endpoint = parseDockerEndpoint(c.endpoint, tls);
        if (!endpoint)
            return endpoint.error();
        if (tls && (c.clientCertFile.isEmpty() || c.clientKeyFile.isEmpty()))
            return makeError(
                "connection.tls",
                Tr::tr("A TLS client certificate needs both the certificate file and the key file."));
        if (endpoint->transport == DockerEndpoint::Unix && tls)
            return makeError("connection.tls",
                             Tr::tr("Client certificates apply to tcp:// Docker hosts only."));
        for (const QString &file : {c.clientCertFile, c.clientKeyFile})
            if (!file.isEmpty() && !QFileInfo(file).isReadable())
                return makeError("connection.tls", Tr::tr("Cannot read the file \"%1\".").arg(file));
    } else {
        const QUrl url(c.endpoint.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            return makeError("connection.url",
                             Tr::tr("\"%1\" is not a valid URL. Use the form https://host[:port][/path].")
                                 .arg(c.endpoint));
        if (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
            return makeError(
                "connection.url",
                Tr::tr("The URL must start with https:// (or http:// for a server on this machine)."));
        if (!url.userInfo().isEmpty())
            return makeError("connection.url",
                             Tr::tr("Do not put credentials in the URL; use the authentication fields."));
    }
    if (!c.caFile.isEmpty() && !QFileInfo(c.caFile).isReadable())
        return makeError("connection.ca", Tr::tr("Cannot read the CA file \"%1\".").arg(c.caFile));
    if (c.auth == AuthKind::Basic && c.username.trimmed().isEmpty())
        return makeError("connection.user", Tr::tr("Enter the user name for basic authentication."));
    if (c.auth == AuthKind::GitHubApp) {
        bool ok = false;
        c.username.toLongLong(&ok);
        if (!ok)
            return makeError("connection.app", Tr::tr("The GitHub App ID must be a number."));
    }
    if (c.kind == ConnectionKind::GitHub) {
        const QString org = c.option(QStringLiteral("org")).trimmed();
        const auto repos = parseRepositoryList(c.option(QStringLiteral("repos")));
        if (!repos)
            return repos.error();
        if (org.isEmpty() && repos->isEmpty())
            return makeError("connection.org",
                             Tr::tr("Enter the GitHub organization, or the repositories (owner/name), whose "
                                    "runners Opsdeck manages."));
        if (!org.isEmpty())
            if (auto r = validateGitHubOwner(org); !r)
                return r;
        static const QRegularExpression clientId(QStringLiteral("\\A[A-Za-z0-9._-]{1,100}\\z"));
        const QString oauth = c.option(QStringLiteral("oauth_client_id"));
        if (!oauth.isEmpty() && !clientId.match(oauth).hasMatch())
            return makeError(
                "connection.oauth",
                Tr::tr("\"%1\" is not an OAuth client ID: letters, digits, '.', '_' and '-', as GitHub "
                       "shows it in the app's settings.")
                    .arg(oauth));
    }
    if (c.kind == ConnectionKind::Cloudflare && c.option(QStringLiteral("account_id")).trimmed().isEmpty())
        return makeError("connection.account",
                         Tr::tr("Enter the Cloudflare account ID that owns the tunnel."));
    return {};
}

} // namespace opsdeck
