#include "testcerts.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>

namespace {

QByteArray pemOf(X509 *cert)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    QByteArray out(data, n);
    BIO_free(bio);
    return out;
}

QByteArray pemOf(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    QByteArray out(data, n);
    BIO_free(bio);
    return out;
}

void addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

X509 *newCertificate(EVP_PKEY *key, const QByteArray &commonName, long serial, int notBeforeDays,
                     int notAfterDays)
{
    X509 *cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), long(notBeforeDays) * 86400);
    X509_gmtime_adj(X509_getm_notAfter(cert), long(notAfterDays) * 86400);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    return cert;
}

} // namespace

struct TestCa::Private
{
    EVP_PKEY *key = nullptr;
    X509 *cert = nullptr;
    mutable long serial = 2;
};

TestCa::TestCa() : d(new Private)
{
    d->key = EVP_RSA_gen(2048);
    d->cert = newCertificate(d->key, "Opsdeck Test CA", 1, -1, 365);
    X509_set_issuer_name(d->cert, X509_get_subject_name(d->cert));
    addExtension(d->cert, d->cert, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(d->cert, d->cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    addExtension(d->cert, d->cert, NID_subject_key_identifier, "hash");
    X509_sign(d->cert, d->key, EVP_sha256());
}

TestCa::~TestCa()
{
    X509_free(d->cert);
    EVP_PKEY_free(d->key);
    delete d;
}

QByteArray TestCa::certificatePem() const
{
    return pemOf(d->cert);
}

TestCertificate TestCa::issue(const QStringList &names, int notBeforeDays, int notAfterDays) const
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *cert = newCertificate(key, names.value(0).toUtf8(), ++d->serial, notBeforeDays, notAfterDays);
    X509_set_issuer_name(cert, X509_get_subject_name(d->cert));
    QStringList alt;
    for (const QString &n : names)
        alt << (QHostAddress(n).isNull() ? QStringLiteral("DNS:") : QStringLiteral("IP:")) + n;
    addExtension(cert, d->cert, NID_subject_alt_name, alt.join(QLatin1Char(',')).toUtf8());
    addExtension(cert, d->cert, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert, d->cert, NID_ext_key_usage, "serverAuth");
    addExtension(cert, d->cert, NID_authority_key_identifier, "keyid:always");
    X509_sign(cert, d->key, EVP_sha256());
    TestCertificate out{pemOf(cert), pemOf(key)};
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

TestCertificate TestCa::issueClient(const QString &commonName) const
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *cert = newCertificate(key, commonName.toUtf8(), ++d->serial, -1, 30);
    X509_set_issuer_name(cert, X509_get_subject_name(d->cert));
    addExtension(cert, d->cert, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert, d->cert, NID_ext_key_usage, "clientAuth");
    addExtension(cert, d->cert, NID_authority_key_identifier, "keyid:always");
    X509_sign(cert, d->key, EVP_sha256());
    TestCertificate out{pemOf(cert), pemOf(key)};
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

QSslConfiguration TestCertificate::serverConfiguration() const
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    c.setLocalCertificate(QSslCertificate(certificatePem, QSsl::Pem));
    c.setPrivateKey(QSslKey(keyPem, QSsl::Rsa, QSsl::Pem));
    c.setPeerVerifyMode(QSslSocket::VerifyNone);
    return c;
}
