// The key that signs test-run records (models/testruns/runrecord.h): 32 random bytes kept in the OS
// keychain, made on first use. Without a keychain runs are imported unsigned, and say so.
#pragma once

#include "models/core/result.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace opsdeck::RunSigningKey {

inline const QString keychainKey = QStringLiteral("testruns/run-signing-key");
// The keys this desktop signed with before (a JSON object of key id → base64), so that its older runs
// stay checkable after it took the team's key.
inline const QString previousKeysKey = QStringLiteral("testruns/run-signing-keys-previous");

// The key from the keychain, a new one stored there when there is none yet. done runs on
// context's thread; errors are the keychain's (keychain.unavailable, keychain.denied, …) and
// "testrun.key" for an entry that is not a key.
void obtain(QObject *context, std::function<void(const Result<QByteArray> &)> done);

// The previous keys (none when the entry is missing). done runs on context's thread.
void obtainPrevious(QObject *context, std::function<void(const Result<QHash<QString, QByteArray>> &)> done);

// Makes key the one that signs from now on, the current one kept among the previous keys first, so
// that no key is ever lost. Where the admin chose to keep the current key in memory (no keychain),
// both are kept in memory for this run. "testrun.key" for a key shorter than runSigningKeyBytes.
void replace(QObject *context, const QByteArray &current, const QByteArray &key,
             std::function<void(const Result<void> &)> done);

// The demo workspace's key: fixed and public (it protects nothing), so that the demo shows verified
// and tampered runs without touching the keychain.
QByteArray demoKey();

// The same, waiting for the answer (for the command line, which has no window to keep responsive).
Result<QByteArray> obtainNow(int timeoutMs = 10000);

} // namespace opsdeck::RunSigningKey
