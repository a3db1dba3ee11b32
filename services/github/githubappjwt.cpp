#include "services/github/githubappjwt.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::GitHubApp)
};

QByteArray b64url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString opensslError()
{
    char buffer[256] = {};
    ERR_error_string_n(ERR_get_error(), buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}
} // namespace

Result<QByteArray> signJwtRs256(QJsonObject header, const QJsonObject &claims,
                                const QByteArray &privateKeyPem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(privateKeyPem.constData(), int(privateKeyPem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key)
        return makeError("jwt.key",
                         Tr::tr("The private key is not a PEM private key (%1).").arg(opensslError()));
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
        return makeError("jwt.key", Tr::tr("The private key must be an RSA key."));
    header.insert(QStringLiteral("alg"), QStringLiteral("RS256"));
    const QByteArray signingInput = b64url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                                    b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size())) != 1)
        return makeError("jwt.sign", Tr::tr("Signing the token failed: %1").arg(opensslError()));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size())) != 1)
        return makeError("jwt.sign", Tr::tr("Signing the token failed: %1").arg(opensslError()));
    signature.resize(qsizetype(length));
    return signingInput + '.' + b64url(signature);
}

Result<QByteArray> makeGitHubAppJwt(const QString &appId, const QByteArray &privateKeyPem,
                                    const QDateTime &now)
{
    if (appId.trimmed().isEmpty())
        return makeError("github.app", Tr::tr("The GitHub App ID is empty."));
    const qint64 t = now.toSecsSinceEpoch();
    const QJsonObject claims{{QStringLiteral("iat"), t - 60},
                             {QStringLiteral("exp"), t + 9 * 60},
                             {QStringLiteral("iss"), appId.trimmed()}};
    auto jwt =
        signJwtRs256(QJsonObject{{QStringLiteral("typ"), QStringLiteral("JWT")}}, claims, privateKeyPem);
    if (!jwt && jwt.error().code == QLatin1String("jwt.key"))
        return makeError("github.app-key", Tr::tr("The GitHub App private key: %1").arg(jwt.error().message));
    if (!jwt)
        return makeError("github.app-sign", jwt.error().message);
    return jwt;
}

} // namespace opsdeck
