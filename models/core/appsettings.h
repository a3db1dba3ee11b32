// Typed settings with change signals, stored in <data dir>/settings.ini (never secrets).
#pragma once

#include "models/core/desktopnotice.h"
#include "models/testruns/insight.h"
#include "models/testruns/retention.h"

#include <QByteArray>
#include <QObject>
#include <QSettings>
#include <QStringList>

namespace opsdeck {

// What a setting is until someone changes it (the Settings dialog's Restore Defaults too).
namespace SettingDefaults {
constexpr int networkTimeoutSec = 30;
constexpr int networkRetries = 3;
constexpr int syncIntervalMin = 5;
constexpr int logLinesKept = 50000;
constexpr int auditKeepDays = 0; // keep every audit event
constexpr int auditKeepDaysMax = 3650;
} // namespace SettingDefaults

class AppSettings : public QObject
{
    Q_OBJECT
public:
    explicit AppSettings(const QString &dataDir, QObject *parent = nullptr);

    QString filePath() const { return m_settings.fileName(); }

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QString lastPane() const;
    void setLastPane(const QString &paneId);
    // [ui] introduction_seen: the workspace logins that have seen the first-run introduction on this
    // desktop. The workspace records it for each person too; this copy keeps it from coming back
    // while the team store is out of reach.
    QStringList introductionSeen() const;
    void addIntroductionSeen(const QString &login);

    // [ui] language: the window's language code (models/core/languages.h); empty: the desktop's.
    // It takes effect at the next start.
    QString language() const;
    void setLanguage(const QString &code);

    // [network] timeout_sec (1–600, default 30) and retries (0–10, default 3): how long a request
    // may stay silent, and how often an idempotent one is tried again.
    int networkTimeoutSec() const;
    int networkRetries() const;
    void setNetwork(int timeoutSec, int retries); // bounded as above; takes effect at once

    // [connections] default_sync_min (1–1440, default 5): how often a new connection syncs unless its
    // own setting says otherwise.
    int defaultSyncIntervalMin() const;
    void setDefaultSyncIntervalMin(int minutes);

    // [logs] lines_kept (1,000–2,000,000, default 50,000): how many lines a log view keeps before it
    // drops the oldest; each view can change its own.
    int logLinesKept() const;
    void setLogLinesKept(int lines);
    // [audit] keep_days (0: keep everything, the default; else 1–3,650): the audit retention of the
    // local cache, how long this desktop keeps audit events (services/store/auditretention.h).
    int auditKeepDays() const;
    void setAuditKeepDays(int days);
    // [notifications] one switch per kind (models/core/desktopnotice.h), all on unless turned off.
    bool notificationEnabled(NoticeKind kind) const;
    void setNotificationEnabled(NoticeKind kind, bool on);
    // [budgets] anomaly_k (0.5–20, default 3.5): how many median absolute deviations above its
    // trailing 14-day median a day's spend must be to be flagged as an anomaly.
    double anomalyK() const;
    void setAnomalyK(double k);

    // [testruns] flaky_by_rerun, flaky_window (3–200 runs), flaky_flip_rate (0.01–1), flaky_minimum_runs
    // (2–200): which cases the Test runs pane marks flaky (models/testruns/insight.h).
    FlakyRules flakyRules() const;
    void setFlakyRules(const FlakyRules &rules);

    // [testruns] keep_days (0–3650, 0: no age limit, default 90) and keep_runs (0–100000 per source,
    // 0: no count limit, default 500): what the test runs' cleanups keep (models/testruns/retention.h).
    RetentionRules retentionRules() const;
    void setRetentionRules(const RetentionRules &rules);

    // [testruns] telemetry_url: where each signed run record is posted (empty: nowhere).
    QString telemetryUrl() const;
    void setTelemetryUrl(const QString &url);

    // [workspace] url: the team workspace this data directory joined (a libpq connection URI without
    // a password); empty: the local store, localWorkspacePath(). desktop_id names this desktop's
    // audit chain in a team store; made once.
    QString workspaceUrl() const;
    void setWorkspaceUrl(const QString &url);
    QString desktopId();
    QString localWorkspacePath() const { return m_dataDir + QStringLiteral("/workspace.sqlite"); }
    // The keychain entry of a team workspace's password.
    static QString workspaceSecretKey(const QString &address)
    {
        return QStringLiteral("workspace/") + address;
    }

    void sync() { m_settings.sync(); }

signals:
    void lastPaneChanged(const QString &paneId);
    void languageChanged(const QString &code);
    void networkChanged(int timeoutSec, int retries);
    void defaultSyncIntervalMinChanged(int minutes);
    void logLinesKeptChanged(int lines);
    void auditKeepDaysChanged(int days);
    void notificationEnabledChanged(opsdeck::NoticeKind kind, bool on);
    void flakyRulesChanged(const opsdeck::FlakyRules &rules);
    void telemetryUrlChanged(const QString &url);
    void retentionRulesChanged(const opsdeck::RetentionRules &rules);

private:
    QString m_dataDir;
    QSettings m_settings;
};

} // namespace opsdeck
