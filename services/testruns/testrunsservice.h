// The Test runs pane's worker: imports JUnit reports (files and folders) one transaction per file,
// signing each run with the key from the keychain, and checks runs' signatures against the cache,
// off the GUI thread. Jobs carry an id; a cancelled import keeps nothing of the file it was reading.
#pragma once

#include "models/testruns/goldensuite.h"
#include "models/testruns/mocks.h"
#include "services/servicehost.h"
#include "services/testruns/testrunstore.h"

class QNetworkAccessManager;
class QTimer;

#include <QHash>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace opsdeck {

class HttpClient;

struct ImportJob
{
    QStringList paths; // files or folders
    QString source = QStringLiteral("files");
    QString branch;
    QString commit;
};

// How many of this desktop's newest runs publishEarlierRuns offers to the workspace.
constexpr int publishBackfillRuns = 200;

class TestRunsService : public Service
{
    Q_OBJECT
public:
    TestRunsService();
    ~TestRunsService() override;

    // The demo signs and checks with RunSigningKey::demoKey() and never asks the keychain.
    void setDemoMode(bool demo);
    // Thread-safe: stops the job's import after the batch it is writing (that file is rolled back),
    // or the job's golden run (nothing of it is kept).
    void cancel(quint64 job);
    // Where golden runs keep each case's request and response (the data directory's golden/).
    void setArtifactsDir(const QString &dir) { m_artifactsDir = dir; }
    QString artifactsDir() const { return m_artifactsDir; }

    // How long a notifier may stay silent (default 15 s).
    void setNotifyTimeout(int ms) { m_notifyTimeoutMs = ms; }
    // The keychain entries of a source's Slack webhook and Jira API token.
    static QString slackSecretKey(const QString &source);
    static QString jiraSecretKey(const QString &source);

public slots:
    void initialize() override;
    void importReports(quint64 job, const opsdeck::ImportJob &what);
    // Who hears about a source's runs; a secret given (not empty) goes to the keychain first, and
    // nothing is saved when the keychain refuses it.
    void saveNotifySettings(quint64 job, qint64 sourceId, const QString &source,
                            const opsdeck::NotifySettings &settings, const QString &slackWebhook,
                            const QString &jiraToken);
    // Tells whoever the run's source names, if the run calls for it (a failed run, new failures).
    // A notifier that fails is recorded, audited and announced; the run stays as imported.
    void notifyFor(qint64 runId);
    // Optional telemetry: each signed run's record is posted to url (empty: off), the signature in
    // X-Opsdeck-Signature ("sha256=" and the hex HMAC of the body), after it is checked against
    // resources/schemas/opsdeck-run-1.schema.json. A failed post is audited and announced only.
    void setTelemetryUrl(const QUrl &url);
    void postTelemetry(qint64 runId);
    // Checks the runs' signatures one at a time, in the order given, between other work; a later
    // call replaces what is left of an earlier one.
    void verifyRuns(const QList<qint64> &runIds);

    // Golden suites (testrunsgolden.cpp). Adds (sourceId 0) or changes a golden source, checked and
    // audited; removes any source with its runs.
    void saveGoldenSource(quint64 job, qint64 sourceId, const QString &name,
                          const opsdeck::GoldenSuiteSettings &settings);
    void removeSource(quint64 job, qint64 sourceId);
    // Runs the suite: its cases read (a git suite cloned with libgit2 first, off this thread), sent
    // with bounded concurrency, each case's request and response kept under artifactsDir(), and the
    // run stored like an imported report (signed, audited, notified). One golden run at a time.
    void runGolden(quint64 job, qint64 sourceId);

    // Mock servers (testrunsmocks.cpp): saved and removed with their audit events; each asked for
    // its health on its interval while health checks are on (the application turns them on), or
    // now. A check is up on a 2xx or 3xx answer in time; every outcome is kept for uptime.
    void saveMock(quint64 job, const opsdeck::MockServer &mock);
    void removeMock(quint64 job, qint64 mockId);
    void setHealthChecks(bool on);
    void checkMock(qint64 mockId);
    void checkDueMocks();

    // Retention (testrunsretention.cpp). rules: what automatic cleanups keep; automatic: a cleanup
    // now, and again shortly after each import (the application turns them on). previewRetention
    // says what a cleanup with these rules would remove; cleanUp removes it now (audited).
    void setRetention(const opsdeck::RetentionRules &rules, bool automatic);
    void previewRetention(quint64 job, const opsdeck::RetentionRules &rules);
    void cleanUp(quint64 job, const opsdeck::RetentionRules &rules);
    // A cleanup soon, when automatic cleanups are on (several calls close together make one).
    void retainSoon();
    // Keeps a run through every cleanup, or lets the rules apply to it again (audited).
    void keepRun(quint64 job, qint64 runId, bool kept);

    // The team workspace (testrunspublish.cpp). While publishing is on (the application turns it on
    // beside a workspace), each run imported here is offered to the workspace with runsToPublish:
    // its canonical record and stored signature, several close together in one batch.
    void setPublishing(bool on);
    void publishRun(qint64 runId);
    // Runs of this desktop that the workspace's copy does not hold (imported before joining, by the
    // command line, or while the application was closed): the newest publishBackfillRuns of them,
    // within the retention age, are offered, each once a session (a refused one is not asked again).
    // Called whenever the workspace comes online.
    void publishEarlierRuns();
    // Teammates' runs that arrived in the workspace's copy become runs here, with the signature they
    // were published with (TestRunStore::adoptPublished); those older than the retention age are left
    // out. teamRunsAdopted says how it went.
    void adoptPublished(const QList<opsdeck::TeamRunRecord> &records);
    // The team's sources, notifications and mocks from the workspace's copy, applied here
    // (services/testruns/teamsettings.h); teamSettingsAdopted says what changed.
    void adoptTeamSettings();
    // The run-signing key (testrunskeys.cpp): readSigningKey hands it to the window (to copy it to a
    // teammate); useSigningKey makes another key (the team's) the one that signs from now on, the
    // current one kept among the previous keys so that older runs stay checkable, with a
    // testrun.key.set event naming both keys' ids (never the keys).
    void readSigningKey(quint64 job);
    void useSigningKey(quint64 job, const QByteArray &key);

signals:
    // files: how many reports the job has; file: the one being read (from 0); bytes of it read.
    void importProgress(quint64 job, int file, int files, qint64 bytes, qint64 total);
    // One report: imported (runId), already there (alreadyImported), or refused (error).
    void reportImported(quint64 job, const QString &path, const opsdeck::ImportedRun &run);
    void reportRefused(quint64 job, const QString &path, const QString &code, const QString &message);
    void importFinished(quint64 job, int imported, int already, int refused, bool cancelled);
    // Why runs are imported unsigned (no keychain, say); once per service run.
    void signingUnavailable(const QString &message);
    void runVerified(qint64 runId, int state);
    void notifySettingsSaved(quint64 job, bool ok, const QString &message);
    void telemetrySent(qint64 runId, bool ok, const QString &message);
    // channel: "slack" or "jira"; message: the Jira issue's key, or why it failed.
    void notified(qint64 runId, const QString &channel, bool ok, const QString &message);
    // A run imported here (notifyFor) fails cases that passed in its baseline: their keys.
    void newFailures(qint64 runId, const QString &source, const QString &run, const QStringList &cases);
    void verifyFailed(const QString &message);
    void sourceSaved(quint64 job, bool ok, const QString &message, qint64 sourceId);
    void goldenStarted(quint64 job, qint64 sourceId);
    void goldenProgress(quint64 job, int done, int total);
    // runId: the stored run (0 when nothing was stored: cancelled, or the suite could not run).
    void goldenFinished(quint64 job, qint64 sourceId, bool ok, const QString &message, qint64 runId);
    void mockSaved(quint64 job, bool ok, const QString &message, qint64 mockId);
    void mockChecked(qint64 mockId, bool up, const QString &detail);
    void retentionPreviewed(quint64 job, bool ok, const QString &message,
                            const opsdeck::RetentionSummary &summary);
    // job 0: an automatic cleanup (announced only when it removed something or failed).
    void cleanedUp(quint64 job, bool ok, const QString &message, const opsdeck::RetentionSummary &summary);
    void runKept(quint64 job, qint64 runId, bool ok, const QString &message);
    void runsToPublish(const QList<opsdeck::TeamRunRecord> &records);
    void teamRunsAdopted(int adopted, const QStringList &problems);
    void teamSettingsAdopted(int sources, int mocks, const QStringList &problems);
    // key: empty when there is none (no keychain; the message says why).
    void signingKeyRead(quint64 job, const QByteArray &key, const QString &keyId, const QString &message);
    void signingKeyChanged(quint64 job, bool ok, const QString &message, const QString &keyId);
    // A source (with its notifications) or a mock saved or removed here, for the team workspace; only
    // while publishing is on. Changing one needs testrun.source or testrun.mock (refused, audited).
    void testSettingsToShare(const QList<opsdeck::TestRunRecordChange> &changes);

private:
    // The oldest start the retention age keeps (a null time: no age limit): runs before it are neither
    // published nor adopted.
    QDateTime retentionCutoff() const;
    void runImport(quint64 job, const ImportJob &what);
    void flushPublish();
    void shareSource(qint64 sourceId);
    bool m_publishing = false;
    QList<qint64> m_toPublish;
    QSet<qint64> m_offered;          // runs offered to the workspace this session
    std::optional<QByteArray> m_key; // empty array: obtained and unavailable
    QHash<QString, QByteArray> m_previousKeys;
    bool m_obtaining = false;
    QList<std::function<void()>> m_waiting;
    void verifyNext();
    void send(const RunNotice &notice, const QString &channel, const NotifySettings &settings,
              const QString &secret);
    HttpClient *m_http = nullptr;
    bool m_demo = false;
    int m_notifyTimeoutMs = 15000;
    QUrl m_telemetry;
    void withKey(std::function<void()> then);
    std::atomic<quint64> m_cancelled{0};
    QString m_artifactsDir;
    struct GoldenJob;
    std::shared_ptr<GoldenJob> m_golden;
    void cancelGolden(quint64 job);
    QTimer *m_healthTimer = nullptr;
    QSet<qint64> m_checking;
    QHash<qint64, bool> m_mockUp; // the last state seen, to log changes
    void endGolden(bool ok, const QString &message, qint64 runId = 0);
    void storeGolden(const QList<GoldenResult> &results);
    QList<qint64> m_toVerify;
    RetentionRules m_retention;
    bool m_autoRetention = false;
    QTimer *m_retentionTimer = nullptr;
    void runCleanUp(quint64 job, const RetentionRules &rules);
    bool m_verifyQueued = false;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::ImportJob)
Q_DECLARE_METATYPE(opsdeck::ImportedRun)
Q_DECLARE_METATYPE(opsdeck::NotifySettings)
Q_DECLARE_METATYPE(opsdeck::GoldenSuiteSettings)
Q_DECLARE_METATYPE(opsdeck::RetentionRules)
Q_DECLARE_METATYPE(opsdeck::RetentionSummary)
