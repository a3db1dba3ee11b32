// Certificates for TLS tests, made with OpenSSL at run time: a private CA, and server certificates
// it signs for chosen names and validity (an expired one among them), or self-signed ones.
#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QStringList>

struct TestCertificate
{
    QByteArray certificatePem;
    QByteArray keyPem;
    // A server configuration presenting this certificate (for QSslServer).
    QSslConfiguration serverConfiguration() const;
};

class TestCa
{
public:
    TestCa(); // a new CA key and self-signed CA certificate
    ~TestCa();
    TestCa(const TestCa &) = delete;
    TestCa &operator=(const TestCa &) = delete;

    QByteArray certificatePem() const;
    // A server certificate signed by this CA. names: DNS names or IP addresses (subjectAltName).
    // Valid from now + notBeforeDays to now + notAfterDays (negative: in the past).
    TestCertificate issue(const QStringList &names, int notBeforeDays = -1, int notAfterDays = 30) const;
    // A client certificate signed by this CA for commonName (which PostgreSQL's cert
    // authentication takes as the login).
    TestCertificate issueClient(const QString &commonName) const;

private:
    struct Private;
    Private *d;
};
