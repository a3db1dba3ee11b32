// GitHub App connections: the installation access token that every API call and git clone uses.
// JWT (signed with the App's private key) -> the installation (configured on the connection, else
// the one on its organization or first repository, else the App's only one) ->
// POST /app/installations/{id}/access_tokens. Shared by the runner sync and template deploys.
#pragma once

#include "models/connections/connection.h"
#include "models/core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QObject>

#include <functional>

namespace opsdeck {

struct InstallationToken
{
    QString token;
    QDateTime expiresAt;
};

class GitHubAppToken
{
    Q_DECLARE_TR_FUNCTIONS(GitHubAppToken)

public:
    // Asynchronous; `done` runs on `context`'s thread, which must have an event loop. The request
    // uses a client of its own: the App's JWT never becomes the default header of a client that
    // other calls use.
    static void request(const Connection &connection, const QString &privateKey, QObject *context,
                        std::function<void(const Result<InstallationToken> &)> done);
};

} // namespace opsdeck
