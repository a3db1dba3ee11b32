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

Result<QByteArray> makeGitHubAppJwt(const QString &appId, const QByteArray &privateKeyPem,
                                    const QDateTime &now)
{
    if (appId.trimmed().isEmpty())
        return makeError("github.app", Tr::tr("The GitHub App ID is empty."));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(privateKeyPem.constData(), int(privateKeyPem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key)
        return makeError(
            "github.app-key",
            Tr::tr("The GitHub App private key is not a PEM private key (%1).").arg(opensslError()));
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
        return makeError("github.app-key", Tr::tr("The GitHub App private key must be an RSA key."));

    const qint64 t = now.toSecsSinceEpoch();
    const QByteArray header = b64url(R"({"alg":"RS256","typ":"JWT"})");
    QJsonObject claims{{QStringLiteral("iat"), t - 60},
                       {QStringLiteral("exp"), t + 9 * 60},
                       {QStringLiteral("iss"), appId.trimmed()}};
    const QByteArray payload = b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signingInput = header + '.' + payload;

    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size())) != 1)
        return makeError("github.app-sign",
                         Tr::tr("Signing the GitHub App token failed: %1").arg(opensslError()));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(signingInput.constData()),
                       size_t(signingInput.size())) != 1)
        return makeError("github.app-sign",
                         Tr::tr("Signing the GitHub App token failed: %1").arg(opensslError()));
    signature.resize(qsizetype(length));
    return signingInput + '.' + b64url(signature);
}

} // namespace opsdeck
