#include "services/connections/probes.h"

#include "services/net/networkdefaults.h"

#include "services/github/githubappjwt.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Probes)
};
} // namespace

QUrl apiUrl(const QString &base, const QString &path)
{
    QString b = base.trimmed();
    while (b.endsWith(QLatin1Char('/')))
        b.chop(1);
    QString p = path;
    // "https://harbor.example.com/api/v2.0" + "/api/v2.0/users/current"
    const qsizetype q = p.indexOf(QLatin1Char('?'));
    const QString pathOnly = q >= 0 ? p.left(q) : p;
    for (const QString &prefix : {QStringLiteral("/api/v2.0"), QStringLiteral("/v2")}) {
        if (b.endsWith(prefix) && pathOnly.startsWith(prefix + QLatin1Char('/'))) {
            p = p.mid(prefix.size());
            break;
        }
    }
    return QUrl(b + p);
}

HeaderList authHeaders(const Connection &c, const QString &secret)
{
    HeaderList headers;
    if (c.kind == ConnectionKind::GitHub) {
        // GitHub's REST documentation: the JSON media type and a pinned API version on every request.
        headers.emplaceBack("Accept", "application/vnd.github+json");
        headers.emplaceBack("X-GitHub-Api-Version", "2022-11-28");
    }
    switch (c.auth) {
    case AuthKind::None:
        break;
    case AuthKind::Token:
    case AuthKind::GitHubApp:
        headers.emplaceBack("Authorization", "Bearer " + secret.toUtf8());
        break;
    case AuthKind::Basic:
        headers.emplaceBack("Authorization",
                            "Basic " + (c.username.toUtf8() + ':' + secret.toUtf8()).toBase64());
        break;
    }
    return headers;
}

Result<ProbeRequest> probeRequest(const Connection &c, const QString &secret, const QDateTime &now)
{
    if (c.needsSecret() && secret.isEmpty())
        return makeError("connection.secret",
                         Tr::tr("The connection \"%1\" has no secret: enter its %2.")
                             .arg(c.name, c.auth == AuthKind::Basic       ? Tr::tr("password")
                                          : c.auth == AuthKind::GitHubApp ? Tr::tr("private key")
                                                                          : Tr::tr("token")));
    if (c.kind == ConnectionKind::Docker) {
        DockerRequest r;
        r.path = "/_ping";
        r.timeoutMs = qMin(10000, NetworkDefaults::timeoutMs()); // a probe answers quickly or not at all
        r.what = Tr::tr("Pinging the Docker engine");
        return ProbeRequest(r);
    }
    HttpRequest r;
    r.timeoutMs = qMin(15000, NetworkDefaults::timeoutMs());
    r.maxRetries = qMin(1, NetworkDefaults::retries());
    QString credential = secret;
    switch (c.kind) {
    case ConnectionKind::GitHub:
        if (c.auth == AuthKind::GitHubApp) {
            auto jwt = makeGitHubAppJwt(c.username, secret.toUtf8(), now);
            if (!jwt)
                return jwt.error();
            credential = QString::fromLatin1(jwt.value());
            r.url = apiUrl(c.endpoint, QStringLiteral("/app/installations?per_page=1"));
            r.what = Tr::tr("Listing the GitHub App's installations");
        } else {
            r.url = apiUrl(c.endpoint, QStringLiteral("/user"));
            r.what = Tr::tr("Asking GitHub who this token belongs to");
        }
        break;
    case ConnectionKind::Registry:
        r.url = apiUrl(c.endpoint, QStringLiteral("/v2/"));
        r.what = Tr::tr("Checking the registry API");
        break;
    case ConnectionKind::Harbor:
        r.url = apiUrl(c.endpoint, QStringLiteral("/api/v2.0/users/current"));
        r.what = Tr::tr("Asking Harbor for the current user");
        break;
    case ConnectionKind::LiteLLM:
        r.url = apiUrl(c.endpoint, QStringLiteral("/key/info"));
        r.what = Tr::tr("Asking LiteLLM about this key");
        break;
    case ConnectionKind::Cloudflare:
        r.url = apiUrl(c.endpoint, QStringLiteral("/accounts/%1/cfd_tunnel?per_page=1")
                                       .arg(QString::fromLatin1(QUrl::toPercentEncoding(
                                           c.option(QStringLiteral("account_id")).trimmed()))));
        r.what = Tr::tr("Listing Cloudflare tunnels");
        break;
    case ConnectionKind::Docker:
        break;
    }
    r.headers = authHeaders(c, credential);
    return ProbeRequest(r);
}

QString describeProbeSuccess(const Connection &c, const HttpResponse &response)
{
    const QJsonObject o = QJsonDocument::fromJson(response.body).object();
    switch (c.kind) {
    case ConnectionKind::Docker: {
        const QByteArray api = response.header("API-Version");
        return api.isEmpty()
                   ? Tr::tr("The Docker engine answered.")
                   : Tr::tr("The Docker engine answered (API version %1).").arg(QString::fromLatin1(api));
    }
    case ConnectionKind::GitHub:
        if (c.auth == AuthKind::GitHubApp)
            return Tr::tr("The GitHub App is valid.");
        return o.value(QLatin1String("login")).isString()
                   ? Tr::tr("Signed in to GitHub as %1.").arg(o.value(QLatin1String("login")).toString())
                   : Tr::tr("GitHub accepted the token.");
    case ConnectionKind::Registry:
        return Tr::tr("The registry speaks the OCI distribution API.");
    case ConnectionKind::Harbor:
        return o.value(QLatin1String("username")).isString()
                   ? Tr::tr("Signed in to Harbor as %1.").arg(o.value(QLatin1String("username")).toString())
                   : Tr::tr("Harbor accepted the credentials.");
    case ConnectionKind::LiteLLM:
        return Tr::tr("LiteLLM accepted the key.");
    case ConnectionKind::Cloudflare:
        return o.value(QLatin1String("success")).toBool() ? Tr::tr("Cloudflare accepted the token.")
                                                          : Tr::tr("Cloudflare answered.");
    }
    return {};
}

QString GitHubInstallation::describe() const
{
    return targetType.isEmpty() ? QStringLiteral("%1 (%2)").arg(id).arg(account)
                                : QStringLiteral("%1 (%2, %3)").arg(id).arg(account, targetType);
}

Result<QList<GitHubInstallation>> parseInstallations(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return makeError("github.schema", Tr::tr("GitHub's list of App installations is not a JSON array."));
    QList<GitHubInstallation> out;
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        if (!o.value(QLatin1String("id")).isDouble())
            return makeError("github.schema", Tr::tr("GitHub sent an App installation without an \"id\"."));
        const QJsonObject account = o.value(QLatin1String("account")).toObject();
        out << GitHubInstallation{
            o.value(QLatin1String("id")).toInteger(),
            account.value(QLatin1String("login")).toString(account.value(QLatin1String("name")).toString()),
            o.value(QLatin1String("target_type")).toString()};
    }
    return out;
}

} // namespace opsdeck
