// Secrets (tokens, passwords, private keys) live only in the OS keychain, through QtKeychain with
// the plaintext fallback off: one entry per connection. When no keychain is there, the caller may
// choose to keep a secret in memory for this run only; nothing is ever written anywhere else.
#pragma once

#include "models/core/result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace opsdeck {

// QtKeychain's Secret Service backend delivers its answers through the GLib main context of the
// application's main thread, so every keychain job runs there: any thread may call, the work is
// started through a queued call on the main thread, and done runs on the thread of `context`
// (dropped if context is gone by then).
class SecretStore : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *serviceName = "Opsdeck";

    // The one store, living in the application's main thread.
    static SecretStore *instance();

    void write(const QString &key, const QString &secret, QObject *context,
               std::function<void(const Result<void> &)> done);
    // An in-memory secret for this run (if one was kept) wins over the keychain.
    void read(const QString &key, QObject *context, std::function<void(const Result<QString> &)> done);
    void remove(const QString &key, QObject *context, std::function<void(const Result<void> &)> done);

    // The admin's choice when the keychain is missing: keep the secret in memory for this run.
    static void keepInMemory(const QString &key, const QString &secret);
    static void forgetInMemory(const QString &key);
    static bool hasInMemory(const QString &key);

    // Turns a QtKeychain error into a message for people. Error codes: keychain.unavailable,
    // keychain.denied, keychain.missing, keychain.error.
    static Error describe(int keychainError, const QString &text);

private:
    SecretStore() = default;
};

} // namespace opsdeck
