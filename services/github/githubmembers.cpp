// GitHubService: organization membership, for offboarding.
#include "models/connections/connectionstore.h"
#include "models/core/validation.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "models/workspace/personchange.h"
#include "services/connections/connectionservice.h"
#include "services/connections/probes.h"
#include "services/github/githubservice.h"
#include "services/github/githubservice_p.h"
#include "services/store/auditlog.h"

#include <QSqlQuery>

namespace opsdeck {

void GitHubService::removeMember(quint64 requestId, qint64 connectionId, const QString &org,
                                 const QString &username, const QString &comment)
{
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit memberRemoved(requestId, Outcome::failure(found.error()));
    const Connection c = found.value();
    const auto finish = [this, c, requestId, org, username, comment](const Outcome &outcome) {
        AuditEvent e = githubEvent(c, AuditAction::memberRemove, QStringLiteral("member"),
                                   org + QLatin1Char('/') + username, username);
        e.comment = comment;
        e.outcome = outcome.ok ? AuditOutcome::Success : AuditOutcome::Failure;
        e.details = QJsonObject{{QStringLiteral("org"), org}};
        if (!outcome.ok)
            e.details.insert(QStringLiteral("error"), outcome.message);
        else if (!outcome.message.isEmpty())
            e.details.insert(QStringLiteral("note"), outcome.message);
        if (auto r = AuditLog::record(e); !r)
            qCWarning(lcGitHub).noquote() << "cannot write the audit log:" << r.message();
        emit memberRemoved(requestId, outcome);
    };
    if (!validateGitHubOwner(org) || !validateGitHubOwner(username))
        return finish(Outcome::failure(
            makeError("github.name",
                      tr("\"%1\" or \"%2\" is not a GitHub organization or login.").arg(org, username))));
    // The person behind the GitHub login decides which user.manage grant applies.
    QString role = QStringLiteral("user");
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT role FROM workspace_people WHERE lower(github_login) = lower(?)"));
        q.addBindValue(username);
        if (q.exec() && q.next())
            role = q.value(0).toString();
    }
    if (auto allowed = checkActing(Database::connection(), QStringLiteral("user.manage"),
                                   connectionFacet(c.name) + QStringLiteral(" role:") + role);
        !allowed)
        return finish(Outcome::failure(allowed.error()));
    if (m_demo)
        return finish(Outcome::failure(demoError()));
    withClient(c, [this, c, org, username, finish](HttpClient *client, const Error &error) {
        if (!client)
            return finish(Outcome::failure(error));
        HttpRequest r;
        r.method = "DELETE";
        r.url = apiUrl(c.endpoint, QStringLiteral("/orgs/%1/memberships/%2").arg(org, username));
        r.what = tr("Removing %1 from the organization %2").arg(username, org);
        r.expectJson = false;
        client->send(r, this, [finish, org, username](const HttpResponse &response) {
            if (response.status == 404)
                return finish(Outcome::success(tr("%1 was not a member of %2.").arg(username, org)));
            finish(response.ok() ? Outcome::success() : Outcome::failure(*response.error));
        });
    });
}

} // namespace opsdeck
