// GitHub REST answers -> domain types: the device flow's code and polls, a runners page, workflow
// runs and their artifacts (test runs from GitHub Actions), the App's
// installations, the repository a template deploy creates (with its clone address checked against the
// connection's endpoint), a JIT configuration, a registration or installation token, a runner's labels.
#include "models/github/deviceflow.h"
#include "models/github/githubanswers.h"
#include "models/github/githubrepository.h"
#include "models/github/runner.h"
#include "models/testruns/workflowruns.h"
#include "services/connections/probes.h"

#include <QUrl>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto page = opsdeck::parseRunnerPage(body)) {
        for (const opsdeck::Runner &r : page->runners)
            (void)r.labels.join(QLatin1Char(','));
    }
    if (const auto installations = opsdeck::parseInstallations(body)) {
        for (const opsdeck::GitHubInstallation &i : installations.value())
            (void)i.describe();
    }
    if (const auto repo = opsdeck::parseRepository(body)) {
        for (const char *endpoint : {"https://api.github.com", "http://127.0.0.1:8080/api/v3"}) {
            const QString api = QString::fromLatin1(endpoint);
            if (opsdeck::checkCloneUrl(repo->cloneUrl, api)) {
                // An accepted clone address is on the endpoint's GitHub and carries no credentials.
                const QUrl clone(repo->cloneUrl);
                const QString host = QUrl(api).host();
                if (!clone.userInfo().isEmpty() ||
                    (clone.host().compare(host, Qt::CaseInsensitive) != 0 &&
                     QStringLiteral("api.").append(clone.host().toLower()) != host))
                    __builtin_trap();
            }
        }
    }
    // The device flow: an accepted code is complete; a poll never yields a token and an error at once.
    if (const auto code = opsdeck::parseDeviceCode(body);
        code && (code->deviceCode.isEmpty() || code->userCode.size() != 9 || code->expiresIn <= 0))
        __builtin_trap();
    const opsdeck::DevicePoll poll = opsdeck::parseDevicePoll(body, 5);
    if ((poll.state == opsdeck::DevicePoll::State::Token) == poll.accessToken.isEmpty())
        __builtin_trap();
    if (poll.state == opsdeck::DevicePoll::State::SlowDown && poll.interval <= 5)
        __builtin_trap();
    if (const auto jit = opsdeck::parseJitConfigAnswer(body); jit && jit->encodedJitConfig.isEmpty())
        __builtin_trap(); // an accepted answer always carries the configuration
    if (const auto token = opsdeck::parseTokenAnswer(body);
        token && (token->token.isEmpty() || !token->expiresAt.isValid()))
        __builtin_trap();
    if (const auto labels = opsdeck::parseRunnerLabels(body))
        for (const QString &l : labels.value())
            if (l.isEmpty())
                __builtin_trap();
    // Workflow runs and artifacts: every accepted item has an id, and a run its creation time.
    if (const auto runs = opsdeck::parseWorkflowRunPage(body))
        for (const opsdeck::WorkflowRun &r : runs->runs)
            if (r.id <= 0 || !r.createdAt.isValid() || r.runAttempt < 1)
                __builtin_trap();
    if (const auto artifacts = opsdeck::parseArtifactPage(body))
        for (const opsdeck::WorkflowArtifact &a : artifacts->artifacts)
            if (a.id <= 0 || a.sizeInBytes < 0 ||
                opsdeck::artifactRunKey(a.id) != QStringLiteral("artifact:%1").arg(a.id))
                __builtin_trap();
    return 0;
}
