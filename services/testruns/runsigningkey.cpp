#include "services/testruns/runsigningkey.h"

#include "models/testruns/runrecord.h"
#include "services/connections/secretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
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
