// GitHub App authentication: an RS256 JSON Web Token signed with the App's private key (OpenSSL),
// issued 60 s in the past and valid for 9 minutes, as GitHub's App documentation requires.
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>

namespace opsdeck {

// A JSON Web Signature over claims with RS256 (RSASSA-PKCS1-v1_5 with SHA-256): the header as given,
// with "alg" set. "jwt.key" when the key is not an RSA private key in PEM.
Result<QByteArray> signJwtRs256(QJsonObject header, const QJsonObject &claims,
                                const QByteArray &privateKeyPem);

Result<QByteArray> makeGitHubAppJwt(const QString &appId, const QByteArray &privateKeyPem,
                                    const QDateTime &now);

} // namespace opsdeck
