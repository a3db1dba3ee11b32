#include "services/connections/secretstore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QHash>
#include <QMutex>
#include <QPointer>

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

SecretStore *SecretStore::instance()
{
    static SecretStore *store = [] {
        auto *st = new SecretStore;
        if (auto *app = QCoreApplication::instance())
            st->moveToThread(app->thread());
        return st;
    }();
    return store;
}

Error SecretStore::describe(int code, const QString &text)
{
    const auto unavailable = [&] {
        return makeError(
            "keychain.unavailable",
            tr("No OS keychain is available (%1). Opsdeck stores secrets only in a keychain such as "
               "GNOME Keyring or KWallet.")
                .arg(text));
    };
    using namespace QKeychain;
    switch (code) {
    case EntryNotFound:
        return makeError("keychain.missing",
                         tr("The keychain holds no secret for this connection. Enter it again."));
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
    static const char *const missingService[] = {"org.freedesktop.secrets",
                                                 "D-Bus",
                                                 "DBus",
                                                 "dbus",
                                                 "kwallet",
                                                 "Could not connect",
                                                 "ServiceUnknown",
                                                 "No such interface",
                                                 "not provided by any .service files"};
    for (const char *needle : missingService)
        if (text.contains(QLatin1String(needle), Qt::CaseInsensitive))
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

namespace {
// Hands a result to the caller's thread.
template<typename T>
void deliver(QObject *context, std::function<void(const Result<T> &)> done, const Result<T> &result)
{
    QMetaObject::invokeMethod(
        context, [done, result] { done(result); }, Qt::QueuedConnection);
}
} // namespace

void SecretStore::write(const QString &key, const QString &secret, QObject *context,
                        std::function<void(const Result<void> &)> done)
{
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        this,
        [this, key, secret, guard, done] {
            auto *job = new QKeychain::WritePasswordJob(QString::fromLatin1(serviceName), this);
            configure(job, key);
            job->setTextData(secret);
            connect(job, &QKeychain::Job::finished, this, [guard, done, key](QKeychain::Job *j) {
                if (!guard)
                    return;
                if (j->error() != QKeychain::NoError)
                    return deliver<void>(guard, done, describe(j->error(), j->errorString()));
                forgetInMemory(key); // the keychain has it now
                deliver<void>(guard, done, {});
            });
            job->start();
        },
        Qt::QueuedConnection);
}

void SecretStore::read(const QString &key, QObject *context,
                       std::function<void(const Result<QString> &)> done)
{
    {
        QMutexLocker lock(&memory().mutex);
        const auto it = memory().secrets.constFind(key);
        if (it != memory().secrets.constEnd()) {
            const QString secret = *it;
            lock.unlock();
            deliver<QString>(context, done, secret);
            return;
        }
    }
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        this,
        [this, key, guard, done] {
            auto *job = new QKeychain::ReadPasswordJob(QString::fromLatin1(serviceName), this);
            configure(job, key);
            connect(job, &QKeychain::Job::finished, this, [guard, done](QKeychain::Job *j) {
                if (!guard)
                    return;
                if (j->error() != QKeychain::NoError)
                    return deliver<QString>(guard, done, describe(j->error(), j->errorString()));
                deliver<QString>(guard, done, static_cast<QKeychain::ReadPasswordJob *>(j)->textData());
            });
            job->start();
        },
        Qt::QueuedConnection);
}

void SecretStore::remove(const QString &key, QObject *context, std::function<void(const Result<void> &)> done)
{
    forgetInMemory(key);
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        this,
        [this, key, guard, done] {
            auto *job = new QKeychain::DeletePasswordJob(QString::fromLatin1(serviceName), this);
            configure(job, key);
            connect(job, &QKeychain::Job::finished, this, [guard, done](QKeychain::Job *j) {
                if (!guard)
                    return;
                if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
                    return deliver<void>(guard, done, describe(j->error(), j->errorString()));
                deliver<void>(guard, done, {});
            });
            job->start();
        },
        Qt::QueuedConnection);
}

} // namespace opsdeck
