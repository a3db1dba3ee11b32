// The GitHub backend: syncs an organization's self-hosted runners into the cache (per_page=100,
// following Link headers) and records the sync in the audit log. Lives on its own worker thread.
#pragma once

#include "models/connections/connection.h"
#include "models/core/pageparser.h"
#include "models/github/labelpolicy.h"
#include "models/github/runner.h"
#include "models/testruns/teamrecords.h"
#include "models/testruns/workflowruns.h"
#include "services/connections/connectionservice.h"
#include "services/github/githubapptoken.h"
#include "services/net/httpclient.h"
#include "services/servicehost.h"

#include <QHash>
#include <QSet>

#include <memory>
#include <optional>

namespace opsdeck {

class GitHubService : public Service
{
    Q_OBJECT
public:
    explicit GitHubService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }
    // Periodic sync by each connection's interval (the application turns it on; tests drive syncs).
    void setAutoSync(bool on) { m_autoSync = on; }

    // "acme, acme/app": the organization and repositories whose runners the connection manages.
    static QString scopesText(const Connection &connection);

public slots:
    void initialize() override;
    void shutdown() override;
    // Syncs every GitHub connection whose sync interval has passed since its last attempt.
    void syncDue();
    void syncRunners(qint64 connectionId);
    // Deletes runners on GitHub one by one with the admin's comment: a result and an audit event
    // per runner; the others go on when one fails.
    void removeRunners(quint64 requestId, qint64 connectionId, const QList<qint64> &runnerIds,
                       const QString &comment);
    // Provisions a runner under the connection's label policy, checked before any call to GitHub.
    // The result holds the JIT config or registration token (shown once, never stored) and the
    // command lines to start the runner.
    // scope is "org:…" or "repo:owner/name" (empty: the connection's first).
    void provision(quint64 requestId, qint64 connectionId, const QString &scope, const QString &name,
                   qint64 runnerGroupId, const QStringList &labels, opsdeck::ProvisioningMode mode);
    // Sets a drifted runner's custom labels back to those Opsdeck provisioned it with (PUT
    // .../labels), if they still meet the policy; updates the cache and audits it.
    void restoreLabels(quint64 requestId, qint64 connectionId, qint64 runnerId);
    // Takes a person out of an organization (DELETE /orgs/{org}/memberships/{username}), for
    // offboarding: refused without user.manage over them, audited either way. Someone who is not a
    // member (404) is out already: that counts as done.
    void removeMember(quint64 requestId, qint64 connectionId, const QString &org, const QString &username,
                      const QString &comment);
    // Links the person's GitHub login through the OAuth device flow of the connection's app (its
    // oauth_client_id option): asks GitHub for a code, announces it (deviceCode) for the person to
    // enter at GitHub, polls no faster than GitHub allows, then asks GET /user whom the token
    // belongs to. The token serves that one question and is never kept. identityLinked ends it.
    void linkIdentity(quint64 requestId, qint64 connectionId);
    void cancelLink(quint64 requestId);
    // Tests: the length of GitHub's "second" between polls (default 1000 ms).
    void setDeviceFlowUnit(int ms) { m_deviceUnitMs = ms; }
    // Saves the connection's label policy (validated) and audits the change.
    void savePolicy(quint64 requestId, qint64 connectionId, const opsdeck::LabelPolicy &policy);

    // Test runs from GitHub Actions (githubactions.cpp). A source reads one repository of a
    // connection: its completed workflow runs, and of each run the artifacts whose names match the
    // source's pattern. An artifact's zip is asked for at GitHub, which redirects to its storage on
    // another host: that download carries no credentials. Its XML files become one test run
    // (GitHubRunStore::importArtifact); each artifact is decided once, however often this runs.
    void syncTestSource(qint64 sourceId);
    // Adds (sourceId 0) or changes a GitHub test source, checked and audited.
    void saveTestSource(quint64 requestId, qint64 sourceId, const QString &name, qint64 connectionId,
                        const opsdeck::GitHubTestSource &settings);
    void removeTestSource(quint64 requestId, qint64 sourceId);

signals:
    void syncStarted(qint64 connectionId);
    void syncProgress(qint64 connectionId, int percent);
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void rateLimitChanged(qint64 connectionId, const opsdeck::RateLimit &limit);
    void runnerRemoved(quint64 requestId, qint64 runnerId, const opsdeck::Outcome &outcome);
    void removeProgress(quint64 requestId, int done, int total);
    void removeFinished(quint64 requestId, int removed, int failed);
    void memberRemoved(quint64 requestId, const opsdeck::Outcome &outcome);
    void deviceCode(quint64 requestId, const QString &userCode, const QUrl &verificationUri, int expiresIn);
    void identityLinked(quint64 requestId, const opsdeck::Outcome &outcome, const QString &githubLogin);
    void policySaved(quint64 requestId, const opsdeck::Outcome &outcome);
    void labelsRestored(quint64 requestId, const opsdeck::Outcome &outcome);
    void provisioned(quint64 requestId, const opsdeck::Outcome &outcome, const QJsonObject &result);
    void testSourceSaved(quint64 requestId, const opsdeck::Outcome &outcome, qint64 sourceId);
    // A GitHub test source saved or removed here, for the team workspace's shared settings.
    void testSettingsToShare(const QList<opsdeck::TestRunRecordChange> &changes);
    void testSyncStarted(qint64 sourceId);
    // done of total artifacts decided; text says which one is being read.
    void testSyncProgress(qint64 sourceId, int done, int total, const QString &text);
    void testSyncFinished(qint64 sourceId, const opsdeck::Outcome &outcome, int imported);
    // A new test run from an artifact (for notifications and telemetry).
    void testRunImported(qint64 runId);

private:
    using Done = std::function<void(const Outcome &)>;
    void deleteRunner(const Connection &c, const QString &scopeId, qint64 runnerId, const QString &action,
                      const QString &comment, const QJsonObject &details, Done done);
    void cleanDrift(const Connection &c, Done done);
    void withClient(const Connection &c, std::function<void(HttpClient *, const Error &)> then);
    using ScopePages = std::pair<RunnerScope, std::shared_ptr<PageParser<RunnerPage>>>;
    void storeSync(const Connection &c, const QList<ScopePages> &fetched, int pageCount);
    void finishSync(const Connection &connection, const Outcome &outcome, const QJsonObject &details);
    // The sync of connectionId is over: says so, and starts the one asked for meanwhile, if any.
    void syncEnded(qint64 connectionId, const Outcome &outcome);
    HttpClient *clientFor(const Connection &connection, const QString &secret, Error *error);

    // GitHub App: the installation token (GitHubAppToken), cached until five minutes before it
    // expires.
    void installationToken(const Connection &c, const QString &privateKey,
                           std::function<void(const Result<QString> &)> done);
    QHash<qint64, InstallationToken> m_tokens;
    QHash<qint64, HttpClient *> m_clients;
    QSet<qint64> m_running;
    QSet<qint64> m_syncAgain; // asked for while running: once more when it ends
    bool m_demo = false;
    bool m_autoSync = false;
    // The device flow: the links under way, by request, and a client without the connection's
    // credentials (the OAuth endpoints take none; GET /user takes the new token).
    struct DeviceLink;
    void pollDevice(quint64 requestId);
    void endLink(quint64 requestId, const Outcome &outcome, const QString &login = {});
    QHash<quint64, std::shared_ptr<DeviceLink>> m_links;
    HttpClient *m_deviceClient = nullptr;
    int m_deviceUnitMs = 1000;

    struct TestSync;
    void nextWorkflowRun(std::shared_ptr<TestSync> sync);
    void nextArtifact(std::shared_ptr<TestSync> sync);
    void downloadArtifact(std::shared_ptr<TestSync> sync, const WorkflowArtifact &artifact);
    void endTestSync(std::shared_ptr<TestSync> sync, const Outcome &outcome);
    QSet<qint64> m_testSyncing;
    std::optional<QByteArray> m_runKey; // the run-signing key, once asked for (empty: unavailable)
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::LabelPolicy)
Q_DECLARE_METATYPE(opsdeck::ProvisioningMode)
Q_DECLARE_METATYPE(opsdeck::GitHubTestSource)
