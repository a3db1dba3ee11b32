// GitHub App authentication: an RS256 JSON Web Token signed with the App's private key (OpenSSL),
// issued 60 s in the past and valid for 9 minutes, as GitHub's App documentation requires.
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QDateTime>

namespace opsdeck {

Result<QByteArray> makeGitHubAppJwt(const QString &appId, const QByteArray &privateKeyPem,
                                    const QDateTime &now);

} // namespace opsdeck
