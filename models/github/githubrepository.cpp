#include "models/github/githubrepository.h"

#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QUrl>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GitHubRepository)
};
} // namespace

Result<GitHubRepository> parseRepository(const QByteArray &body)
{
    const auto parsed = jsonObjectAnswer(body, Tr::tr("GitHub's repository answer"), "github.schema");
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = parsed.value();
    const auto text = [&](const char *field, QString *out) -> Result<void> {
        const QJsonValue v = o.value(QLatin1String(field));
        if (!v.isString() || v.toString().isEmpty())
            return makeError("github.schema",
                             Tr::tr("GitHub sent a repository without a valid \"%1\" (string expected).")
                                 .arg(QLatin1String(field)));
        *out = v.toString();
        return {};
    };
    GitHubRepository repo;
    for (const auto &[field, out] :
         {std::pair{"full_name", &repo.fullName}, std::pair{"clone_url", &repo.cloneUrl}})
        if (auto r = text(field, out); !r)
            return r.error();
    repo.htmlUrl = o.value(QLatin1String("html_url")).toString(); // shown only
    // May be missing or empty while GitHub is still creating the repository. ("size" is not read:
    // GitHub reports 0 for a small repository long after it is filled.)
    repo.defaultBranch = o.value(QLatin1String("default_branch")).toString();
    return repo;
}

Result<void> checkCloneUrl(const QString &cloneUrl, const QString &apiEndpoint)
{
    const QUrl clone(cloneUrl, QUrl::StrictMode);
    const QUrl api(apiEndpoint.trimmed());
    const QString scheme = clone.scheme().toLower();
    const bool secureApi = api.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    const bool schemeOk = scheme == QLatin1String("https") ||
                          (!secureApi && (scheme == QLatin1String("http") || scheme == QLatin1String("git")));
    if (!clone.isValid() || clone.host().isEmpty() || !schemeOk)
        return makeError("github.clone_url",
                         Tr::tr("GitHub gave the clone address \"%1\", which is not an %2 URL: not cloned.")
                             .arg(cloneUrl.left(200),
                                  secureApi ? QStringLiteral("https") : QStringLiteral("http(s) or git")));
    QString apiHost = api.host().toLower();
    const QString cloneHost = clone.host().toLower();
    if (cloneHost != apiHost && !(apiHost.startsWith(QLatin1String("api.")) && cloneHost == apiHost.mid(4)))
        return makeError("github.clone_url",
                         Tr::tr("GitHub gave the clone address \"%1\" on %2, which is not the GitHub of this "
                                "connection (%3): not cloned, so the token is not sent there.")
                             .arg(cloneUrl.left(200), cloneHost, apiHost));
    if (!clone.userInfo().isEmpty())
        return makeError("github.clone_url",
                         Tr::tr("GitHub gave a clone address with credentials in it: not cloned."));
    return {};
}

} // namespace opsdeck
