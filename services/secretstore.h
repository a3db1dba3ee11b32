// Secrets (tokens, passwords, private keys) live only in the OS keychain, through QtKeychain with
// the plaintext fallback off: one entry per connection. When no keychain is there, the caller may
// choose to keep a secret in memory for this run only; nothing is ever written anywhere else.
#pragma once

#include "result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace opsdeck {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *serviceName = "Opsdeck";

    explicit SecretStore(QObject *parent = nullptr);

    // All calls are asynchronous; done runs on this object's thread.
    void write(const QString &key, const QString &secret, std::function<void(const Result<void> &)> done);
    // An in-memory secret for this run (if one was kept) wins over the keychain.
    void read(const QString &key, std::function<void(const Result<QString> &)> done);
    void remove(const QString &key, std::function<void(const Result<void> &)> done);

    // The admin's choice when the keychain is missing: keep the secret in memory for this run.
    static void keepInMemory(const QString &key, const QString &secret);
    static void forgetInMemory(const QString &key);
    static bool hasInMemory(const QString &key);

    // Turns a QtKeychain error into a message for people. Error codes: keychain.unavailable,
    // keychain.denied, keychain.missing, keychain.error.
    static Error describe(int keychainError, const QString &text);
};

} // namespace opsdeck
