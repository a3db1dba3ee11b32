#include "appkey.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

QString jwtProblem(const QByteArray &authorization, EVP_PKEY *key, const QString &appId)
{
    if (!authorization.startsWith("Bearer "))
        return QStringLiteral("no bearer token");
    const QList<QByteArray> parts = authorization.mid(7).split('.');
    if (parts.size() != 3)
        return QStringLiteral("not a JWT");
    const auto decode = [](const QByteArray &b) {
        return QByteArray::fromBase64(b, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray input = parts[0] + '.' + parts[1];
    const QByteArray signature = decode(parts[2]);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                         size_t(signature.size()), reinterpret_cast<const unsigned char *>(input.constData()),
                         size_t(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return QStringLiteral("bad signature");
    const QJsonObject claims = QJsonDocument::fromJson(decode(parts[1])).object();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 iat = qint64(claims.value("iat").toDouble()), exp = qint64(claims.value("exp").toDouble());
    if (claims.value("iss").toString() != appId || iat > now - 30 || iat < now - 120 || exp > now + 600 ||
        exp <= now)
        return QStringLiteral("bad claims");
    return {};
}

// A new RSA key for a GitHub App, and its PEM text.
std::pair<EVP_PKEY *, QString> makeAppKey()
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    const QString pem = QString::fromLatin1(data, length);
    BIO_free(bio);
    return {key, pem};
}
