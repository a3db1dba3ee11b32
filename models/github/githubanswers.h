// GitHub's answers to Opsdeck's writes, mapped to what Opsdeck uses (pure; fuzzed in tests/fuzz):
// a JIT runner configuration, a registration or installation token, a runner's labels. Each names
// the first missing or mistyped field the API description makes required.
#pragma once

#include "models/github/runner.h"

#include <QDateTime>
#include <QStringList>

namespace opsdeck {

// POST …/actions/runners/generate-jitconfig: {"runner": {…}, "encoded_jit_config": "…"}.
struct JitConfigAnswer
{
    Runner runner;
    QString encodedJitConfig;
};
Result<JitConfigAnswer> parseJitConfigAnswer(const QByteArray &body);

// A registration token (POST …/actions/runners/registration-token) or an App installation token
// (POST /app/installations/{id}/access_tokens): {"token": "…", "expires_at": "…", …}.
struct GitHubToken
{
    QString token;
    QDateTime expiresAt;
};
Result<GitHubToken> parseTokenAnswer(const QByteArray &body);

// PUT/POST …/actions/runners/{id}/labels: {"total_count": n, "labels": [{"name": …}, …]}.
Result<QStringList> parseRunnerLabels(const QByteArray &body);

} // namespace opsdeck
