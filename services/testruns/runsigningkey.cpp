#include "services/testruns/runsigningkey.h"

#include "models/testruns/runrecord.h"
#include "models/testruns/teamrecords.h"
#include "services/connections/secretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace opsdeck::RunSigningKey {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::RunSigningKey)
};
} // namespace

void obtain(QObject *context, std::function<void(const Result<QByteArray> &)> done)
{
    QPointer<QObject> guard(context);
    SecretStore::instance()->read(keychainKey, context, [guard, done](const Result<QString> &secret) {
        if (secret) {
            const QByteArray key = QByteArray::fromBase64(secret->toLatin1());
            if (key.size() < runSigningKeyBytes)
                return done(makeError(
                    "testrun.key",
                    Tr::tr("The keychain entry %1 does not hold a run-signing key.").arg(keychainKey)));
            return done(key);
        }
        if (secret.error().code != QLatin1String("keychain.missing") || !guard)
            return done(secret.error());
        // The first signed run: a new key, kept only once the keychain has it.
        const QByteArray fresh = newRunSigningKey();
        SecretStore::instance()->write(keychainKey, QString::fromLatin1(fresh.toBase64()), guard,
                                       [fresh, done](const Result<void> &written) {
                                           if (!written)
                                               return done(written.error());
                                           done(fresh);
                                       });
    });
}

void obtainPrevious(QObject *context, std::function<void(const Result<QHash<QString, QByteArray>> &)> done)
{
    SecretStore::instance()->read(previousKeysKey, context, [done](const Result<QString> &secret) {
        QHash<QString, QByteArray> keys;
        if (!secret) {
            // None yet; or no keychain, where the admin keeps the current key in memory.
            if (secret.error().code == QLatin1String("keychain.missing") ||
                SecretStore::hasInMemory(keychainKey))
                return done(keys);
            return done(secret.error());
        }
        const QJsonObject o = QJsonDocument::fromJson(secret->toUtf8()).object();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QByteArray key = QByteArray::fromBase64(it.value().toString().toLatin1());
            if (key.size() >= runSigningKeyBytes && runSigningKeyId(key) == it.key())
                keys.insert(it.key(), key);
        }
        done(keys);
    });
}

void replace(QObject *context, const QByteArray &current, const QByteArray &key,
             std::function<void(const Result<void> &)> done)
{
    if (key.size() < runSigningKeyBytes)
        return done(
            makeError("testrun.key", Tr::tr("A run-signing key has %1 bytes or more; this one has %2.")
                                         .arg(runSigningKeyBytes)
                                         .arg(key.size())));
    QPointer<QObject> guard(context);
    obtainPrevious(context, [guard, current, key, done](const Result<QHash<QString, QByteArray>> &held) {
        if (!held)
            return done(held.error());
        QJsonObject previous;
        for (auto it = held->begin(); it != held->end(); ++it)
            previous.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        if (current.size() >= runSigningKeyBytes)
            previous.insert(runSigningKeyId(current), QString::fromLatin1(current.toBase64()));
        const QString previousText =
            QString::fromUtf8(QJsonDocument(previous).toJson(QJsonDocument::Compact));
        const QString keyText = QString::fromLatin1(key.toBase64());
        if (SecretStore::hasInMemory(keychainKey)) {
            SecretStore::keepInMemory(previousKeysKey, previousText);
            SecretStore::keepInMemory(keychainKey, keyText);
            return done({});
        }
        if (!guard)
            return;
        SecretStore::instance()->write(previousKeysKey, previousText, guard,
                                       [guard, keyText, done](const Result<void> &kept) {
                                           if (!kept)
                                               return done(kept.error());
                                           if (!guard)
                                               return;
                                           SecretStore::instance()->write(keychainKey, keyText, guard, done);
                                       });
    });
}

QByteArray demoKey()
{
    return QByteArrayLiteral("opsdeck-demo-run-signing-key-not-a-secret");
}

Result<QByteArray> obtainNow(int timeoutMs)
{
    Result<QByteArray> out =
        makeError("keychain.unavailable", Tr::tr("The keychain did not answer in time."));
    QEventLoop loop;
    obtain(&loop, [&](const Result<QByteArray> &key) {
        out = key;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return out;
}

} // namespace opsdeck::RunSigningKey
