#include "services/github/githubapptoken.h"

#include "models/github/githubanswers.h"
#include "models/github/runner.h"
#include "services/connections/probes.h"
#include "services/github/githubappjwt.h"
#include "services/net/httpclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace opsdeck {

void GitHubAppToken::request(const Connection &c, const QString &privateKey, QObject *context,
                             std::function<void(const Result<InstallationToken> &)> done)
{
    const auto jwt = makeGitHubAppJwt(c.username, privateKey.toUtf8(), QDateTime::currentDateTimeUtc());
    if (!jwt)
        return done(jwt.error());
    auto *client = new HttpClient(context);
    if (auto r = client->setCaFile(c.caFile); !r) {
        client->deleteLater();
        return done(r.error());
    }
    Connection app = c;
    app.auth = AuthKind::GitHubApp;
    client->setDefaultHeaders(authHeaders(app, QString::fromLatin1(jwt.value())));
    const auto finish = [client, done](const Result<InstallationToken> &result) {
        client->deleteLater();
        done(result);
    };
    const auto requestToken = [c, client, context, finish](qint64 installationId) {
        HttpRequest r;
        r.method = "POST";
        r.url = apiUrl(c.endpoint, QStringLiteral("/app/installations/%1/access_tokens").arg(installationId));
        r.what = tr("Requesting an installation token for the GitHub App");
        client->send(r, context, [finish](const HttpResponse &response) {
            if (!response.ok())
                return finish(*response.error);
            const auto answer = parseTokenAnswer(response.body);
            if (!answer)
                return finish(answer.error());
            finish(InstallationToken{answer->token, answer->expiresAt});
        });
    };
    const qint64 configured = c.option(QStringLiteral("installation_id")).toLongLong();
    if (configured > 0)
        return requestToken(configured);
    const QList<RunnerScope> scopes = runnerScopes(c);
    if (scopes.isEmpty())
        return finish(makeError("connection.org",
                                tr("The connection %1 names no organization or repository.").arg(c.name)));
    HttpRequest byScope;
    byScope.url = apiUrl(c.endpoint, scopes.first().apiPath() + QStringLiteral("/installation"));
    byScope.what = tr("Looking up the GitHub App's installation on %1").arg(scopes.first().display());
    byScope.maxRetries = 0;
    client->send(byScope, context, [c, client, context, finish, requestToken](const HttpResponse &response) {
        if (response.ok()) {
            const qint64 id =
                QJsonDocument::fromJson(response.body).object().value(QLatin1String("id")).toInteger();
            if (id > 0)
                return requestToken(id);
        }
        HttpRequest all;
        all.url = apiUrl(c.endpoint, QStringLiteral("/app/installations?per_page=100"));
        all.what = tr("Listing the GitHub App's installations");
        client->send(all, context, [finish, requestToken](const HttpResponse &list) {
            if (!list.ok())
                return finish(*list.error);
            const auto installations = parseInstallations(list.body);
            if (!installations)
                return finish(installations.error());
            if (installations->size() == 1)
                return requestToken(installations->first().id);
            QStringList choices;
            for (const GitHubInstallation &i : installations.value())
                choices << i.describe();
            finish(makeError(
                "github.installation",
                installations->isEmpty()
                    ? tr("The GitHub App is not installed anywhere: install it on the organization first.")
                    : tr("The GitHub App has several installations (%1): choose one with \"Find…\" beside "
                         "Installation ID in Connections.")
                          .arg(choices.join(QStringLiteral(", ")))));
        });
    });
}

} // namespace opsdeck
