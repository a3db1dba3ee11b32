#include "registrytokens.h"

#include "services/github/githubappjwt.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QUuid>

RegistryTokenServer::RegistryTokenServer() : m_signer(m_ca.issue({QStringLiteral("tokens.test")}))
{
    m_server.route("GET", QStringLiteral("/token"), [this](const TestRequest &request) {
        const QUrlQuery query = request.query();
        QString user;
        const QByteArray auth = request.header("Authorization");
        if (auth.startsWith("Basic "))
            user = QString::fromUtf8(QByteArray::fromBase64(auth.mid(6))).section(QLatin1Char(':'), 0, 0);
        const QStringList scopes = query.allQueryItemValues(QStringLiteral("scope"), QUrl::FullyDecoded);
        m_requests << QStringLiteral("scope=%1;user=%2").arg(scopes.join(QLatin1Char(' ')), user);
        if (!m_user.isEmpty() &&
            auth != "Basic " + (m_user.toUtf8() + ':' + m_password.toUtf8()).toBase64()) {
            ++m_refused;
            return TestReply::json(401,
                                   R"({"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]})");
        }
        if (query.queryItemValue(QStringLiteral("service")) != service)
            return TestReply::json(400, R"({"errors":[{"code":"DENIED","message":"unknown service"}]})");
        QJsonArray access;
        for (const QString &scope : scopes) {
            // type:name:actions, where the name may hold a port's colon (scope.md): split at the ends.
            const qsizetype first = scope.indexOf(QLatin1Char(':'));
            const qsizetype last = scope.lastIndexOf(QLatin1Char(':'));
            if (first < 0 || last <= first)
                return TestReply::json(400, R"({"errors":[{"code":"DENIED","message":"bad scope"}]})");
            access.append(
                QJsonObject{{QStringLiteral("type"), scope.left(first)},
                            {QStringLiteral("name"), scope.mid(first + 1, last - first - 1)},
                            {QStringLiteral("actions"),
                             QJsonArray::fromStringList(scope.mid(last + 1).split(QLatin1Char(',')))}});
        }
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{QStringLiteral("iss"), issuer},
                                 {QStringLiteral("sub"), user},
                                 {QStringLiteral("aud"), service},
                                 {QStringLiteral("exp"), now + 300},
                                 {QStringLiteral("nbf"), now - 10},
                                 {QStringLiteral("iat"), now},
                                 {QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                                 {QStringLiteral("access"), access}};
        const QSslCertificate certificate(m_signer.certificatePem, QSsl::Pem);
        const QJsonObject header{
            {QStringLiteral("typ"), QStringLiteral("JWT")},
            {QStringLiteral("x5c"), QJsonArray{QString::fromLatin1(certificate.toDer().toBase64())}}};
        const auto token = opsdeck::signJwtRs256(header, claims, m_signer.keyPem);
        if (!token)
            return TestReply::json(500, R"({"errors":[{"code":"UNKNOWN","message":"cannot sign"}]})");
        return TestReply::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("token"), QString::fromLatin1(token.value())},
                                           {QStringLiteral("expires_in"), 300}})
                     .toJson(QJsonDocument::Compact));
    });
}

bool RegistryTokenServer::listen()
{
    return m_server.listen();
}

bool RegistryTokenServer::writeRootBundle(const QString &path) const
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(m_ca.certificatePem()) > 0;
}

void RegistryTokenServer::requireUser(const QString &user, const QString &password)
{
    m_user = user;
    m_password = password;
}
