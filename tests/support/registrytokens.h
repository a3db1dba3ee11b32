// A registry token server for tests (the flow of ../shared/specs/oci/distribution-v3.1.1.auth-token.md):
// GET /token?service=…&scope=… answers {"token": …, "expires_in": …} with a JWS that Debian's
// docker-registry accepts: RS256, signed by a certificate (x5c) that a private CA issued, whose
// certificate is the registry's rootcertbundle; claims iss, sub, aud, exp, nbf, iat, jti and access
// entries for the scopes asked for. With a user set, the request must carry that user's Basic
// credentials (401 otherwise).
#pragma once

#include "testcerts.h"
#include "testhttpserver.h"

#include <QStringList>

class RegistryTokenServer
{
public:
    static inline const QString issuer = QStringLiteral("opsdeck-test-tokens");
    static inline const QString service = QStringLiteral("opsdeck-test-registry");

    RegistryTokenServer();
    bool listen();
    QUrl realm() const { return m_server.url(QStringLiteral("/token")); }
    // Writes the CA certificate (the registry's rootcertbundle) to path.
    bool writeRootBundle(const QString &path) const;
    void requireUser(const QString &user, const QString &password);
    // What was asked for, one entry per request: "scope=…;user=…" (user empty when anonymous).
    QStringList requests() const { return m_requests; }
    int refused() const { return m_refused; }

private:
    TestCa m_ca;
    TestCertificate m_signer;
    TestHttpServer m_server;
    QString m_user;
    QString m_password;
    QStringList m_requests;
    int m_refused = 0;
};
