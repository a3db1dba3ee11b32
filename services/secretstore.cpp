#include "secretstore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QHash>
#include <QMutex>

namespace opsdeck {

namespace {
struct MemorySecrets
{
    QMutex mutex;
    QHash<QString, QString> secrets;
};

MemorySecrets &memory()
{
    static MemorySecrets m;
    return m;
}

void configure(QKeychain::Job *job, const QString &key)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext file
    job->setKey(key);
}
} // namespace

SecretStore::SecretStore(QObject *parent) : QObject(parent) {}

Error SecretStore::describe(int code, const QString &text)
{
    const auto unavailable = [&] {
        return makeError("keychain.unavailable",
                         tr("No OS keychain is available (%1). Opsdeck stores secrets only in a keychain such as "
                            "GNOME Keyring or KWallet.").arg(text));
    };
    using namespace QKeychain;
    switch (code) {
    case EntryNotFound:
        return makeError("keychain.missing", tr("The keychain holds no secret for this connection. Enter it again."));
    case AccessDenied:
    case AccessDeniedByUser:
        return makeError("keychain.denied", tr("Access to the keychain was denied (%1).").arg(text));
    case NoBackendAvailable:
    case NotImplemented:
        return unavailable();
    default:
        break;
    }
    // QtKeychain reports a missing Secret Service as OtherError with a D-Bus message.
    if (text.contains(QLatin1String("org.freedesktop.secrets")) || text.contains(QLatin1String("D-Bus")) ||
        text.contains(QLatin1String("DBus")) || text.contains(QLatin1String("dbus")) ||
        text.contains(QLatin1String("kwallet"), Qt::CaseInsensitive))
        return unavailable();
    return makeError("keychain.error", tr("The keychain failed: %1").arg(text));
}

void SecretStore::keepInMemory(const QString &key, const QString &secret)
{
    QMutexLocker lock(&memory().mutex);
    memory().secrets.insert(key, secret);
}

void SecretStore::forgetInMemory(const QString &key)
{
    QMutexLocker lock(&memory().mutex);
    memory().secrets.remove(key);
}

bool SecretStore::hasInMemory(const QString &key)
{
    QMutexLocker lock(&memory().mutex);
    return memory().secrets.contains(key);
}

void SecretStore::write(const QString &key, const QString &secret, std::function<void(const Result<void> &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(QString::fromLatin1(serviceName), this);
    configure(job, key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [done, key](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            return done(describe(j->error(), j->errorString()));
        forgetInMemory(key); // the keychain has it now
        done({});
    });
    job->start();
}

void SecretStore::read(const QString &key, std::function<void(const Result<QString> &)> done)
{
    {
        QMutexLocker lock(&memory().mutex);
        const auto it = memory().secrets.constFind(key);
        if (it != memory().secrets.constEnd()) {
            const QString secret = *it;
            lock.unlock();
            QMetaObject::invokeMethod(this, [done, secret] { done(secret); }, Qt::QueuedConnection);
            return;
        }
    }
    auto *job = new QKeychain::ReadPasswordJob(QString::fromLatin1(serviceName), this);
    configure(job, key);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            return done(describe(j->error(), j->errorString()));
        done(static_cast<QKeychain::ReadPasswordJob *>(j)->textData());
    });
    job->start();
}

void SecretStore::remove(const QString &key, std::function<void(const Result<void> &)> done)
{
    forgetInMemory(key);
    auto *job = new QKeychain::DeletePasswordJob(QString::fromLatin1(serviceName), this);
    configure(job, key);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
            return done(describe(j->error(), j->errorString()));
        done({});
    });
    job->start();
}

} // namespace opsdeck
