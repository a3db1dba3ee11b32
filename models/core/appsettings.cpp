#include "models/core/appsettings.h"

#include "models/core/languages.h"

#include <cmath>

#include <QRegularExpression>
#include <QSysInfo>
#include <QUuid>

namespace opsdeck {

namespace {
const QString geometryKey = QStringLiteral("window/geometry");
const QString stateKey = QStringLiteral("window/state");
const QString paneKey = QStringLiteral("window/lastPane");
const QString languageKey = QStringLiteral("ui/language");
} // namespace

AppSettings::AppSettings(const QString &dataDir, QObject *parent)
    : QObject(parent), m_dataDir(dataDir),
      m_settings(dataDir + QStringLiteral("/settings.ini"), QSettings::IniFormat)
{
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(geometryKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(geometryKey, geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings.value(stateKey).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings.setValue(stateKey, state);
}

QString AppSettings::lastPane() const
{
    return m_settings.value(paneKey).toString();
}

void AppSettings::setLastPane(const QString &paneId)
{
    if (lastPane() == paneId)
        return;
    m_settings.setValue(paneKey, paneId);
    emit lastPaneChanged(paneId);
}

bool AppSettings::notificationEnabled(NoticeKind kind) const
{
    return m_settings.value(QStringLiteral("notifications/") + noticeKindId(kind), true).toBool();
}

void AppSettings::setNotificationEnabled(NoticeKind kind, bool on)
{
    if (notificationEnabled(kind) == on)
        return;
    m_settings.setValue(QStringLiteral("notifications/") + noticeKindId(kind), on);
    emit notificationEnabledChanged(kind, on);
}

QStringList AppSettings::introductionSeen() const
{
    return m_settings.value(QStringLiteral("ui/introduction_seen")).toStringList();
}

void AppSettings::addIntroductionSeen(const QString &login)
{
    QStringList seen = introductionSeen();
    if (login.isEmpty() || seen.contains(login))
        return;
    seen << login;
    m_settings.setValue(QStringLiteral("ui/introduction_seen"), seen);
}

QString AppSettings::language() const
{
    const QString code = m_settings.value(languageKey).toString();
    return isLanguage(code) ? code : QString();
}

void AppSettings::setLanguage(const QString &code)
{
    const QString known = isLanguage(code) ? code : QString();
    if (language() == known)
        return;
    if (known.isEmpty())
        m_settings.remove(languageKey);
    else
        m_settings.setValue(languageKey, known);
    emit languageChanged(known);
}

int AppSettings::networkTimeoutSec() const
{
    return qBound(
        1,
        m_settings.value(QStringLiteral("network/timeout_sec"), SettingDefaults::networkTimeoutSec).toInt(),
        600);
}

int AppSettings::networkRetries() const
{
    return qBound(
        0, m_settings.value(QStringLiteral("network/retries"), SettingDefaults::networkRetries).toInt(), 10);
}

void AppSettings::setNetwork(int timeoutSec, int retries)
{
    timeoutSec = qBound(1, timeoutSec, 600);
    retries = qBound(0, retries, 10);
    if (timeoutSec == networkTimeoutSec() && retries == networkRetries())
        return;
    m_settings.setValue(QStringLiteral("network/timeout_sec"), timeoutSec);
    m_settings.setValue(QStringLiteral("network/retries"), retries);
    emit networkChanged(timeoutSec, retries);
}

int AppSettings::defaultSyncIntervalMin() const
{
    return qBound(
        1,
        m_settings.value(QStringLiteral("connections/default_sync_min"), SettingDefaults::syncIntervalMin)
            .toInt(),
        24 * 60);
}

void AppSettings::setDefaultSyncIntervalMin(int minutes)
{
    minutes = qBound(1, minutes, 24 * 60);
    if (minutes == defaultSyncIntervalMin())
        return;
    m_settings.setValue(QStringLiteral("connections/default_sync_min"), minutes);
    emit defaultSyncIntervalMinChanged(minutes);
}

int AppSettings::logLinesKept() const
{
    return qBound(1000,
                  m_settings.value(QStringLiteral("logs/lines_kept"), SettingDefaults::logLinesKept).toInt(),
                  2000000);
}

void AppSettings::setLogLinesKept(int lines)
{
    lines = qBound(1000, lines, 2000000);
    if (lines == logLinesKept())
        return;
    m_settings.setValue(QStringLiteral("logs/lines_kept"), lines);
    emit logLinesKeptChanged(lines);
}

int AppSettings::auditKeepDays() const
{
    bool ok = false;
    const int days =
        m_settings.value(QStringLiteral("audit/keep_days"), SettingDefaults::auditKeepDays).toInt(&ok);
    return ok && days > 0 ? qMin(days, SettingDefaults::auditKeepDaysMax) : 0;
}

void AppSettings::setAuditKeepDays(int days)
{
    days = days > 0 ? qMin(days, SettingDefaults::auditKeepDaysMax) : 0;
    if (days == auditKeepDays())
        return;
    m_settings.setValue(QStringLiteral("audit/keep_days"), days);
    emit auditKeepDaysChanged(days);
}

double AppSettings::anomalyK() const
{
    bool ok = false;
    const double k = m_settings.value(QStringLiteral("budgets/anomaly_k"), 3.5).toDouble(&ok);
    return ok && std::isfinite(k) ? qBound(0.5, k, 20.0) : 3.5;
}

void AppSettings::setAnomalyK(double k)
{
    m_settings.setValue(QStringLiteral("budgets/anomaly_k"), qBound(0.5, k, 20.0));
}

FlakyRules AppSettings::flakyRules() const
{
    FlakyRules r;
    r.byRerun = m_settings.value(QStringLiteral("testruns/flaky_by_rerun"), r.byRerun).toBool();
    r.window = qBound(3, m_settings.value(QStringLiteral("testruns/flaky_window"), r.window).toInt(), 200);
    bool ok = false;
    const double rate =
        m_settings.value(QStringLiteral("testruns/flaky_flip_rate"), r.flipRate).toDouble(&ok);
    r.flipRate = ok && std::isfinite(rate) ? qBound(0.01, rate, 1.0) : r.flipRate;
    r.minimumRuns = qBound(
        2, m_settings.value(QStringLiteral("testruns/flaky_minimum_runs"), r.minimumRuns).toInt(), 200);
    return r;
}

void AppSettings::setFlakyRules(const FlakyRules &rules)
{
    m_settings.setValue(QStringLiteral("testruns/flaky_by_rerun"), rules.byRerun);
    m_settings.setValue(QStringLiteral("testruns/flaky_window"), qBound(3, rules.window, 200));
    m_settings.setValue(QStringLiteral("testruns/flaky_flip_rate"), qBound(0.01, rules.flipRate, 1.0));
    m_settings.setValue(QStringLiteral("testruns/flaky_minimum_runs"), qBound(2, rules.minimumRuns, 200));
    emit flakyRulesChanged(flakyRules());
}

RetentionRules AppSettings::retentionRules() const
{
    RetentionRules r;
    // A value that is not a number (edited by hand) keeps the default rather than lifting the limit.
    const auto number = [this](const QString &key, int fallback, int most) {
        bool ok = false;
        const int n = m_settings.value(key, fallback).toInt(&ok);
        return ok ? qBound(0, n, most) : fallback;
    };
    r.maxAgeDays = number(QStringLiteral("testruns/keep_days"), r.maxAgeDays, 3650);
    r.maxRunsPerSource = number(QStringLiteral("testruns/keep_runs"), r.maxRunsPerSource, 100000);
    return r;
}

void AppSettings::setRetentionRules(const RetentionRules &rules)
{
    m_settings.setValue(QStringLiteral("testruns/keep_days"), qBound(0, rules.maxAgeDays, 3650));
    m_settings.setValue(QStringLiteral("testruns/keep_runs"), qBound(0, rules.maxRunsPerSource, 100000));
    emit retentionRulesChanged(retentionRules());
}

QString AppSettings::telemetryUrl() const
{
    return m_settings.value(QStringLiteral("testruns/telemetry_url")).toString();
}

void AppSettings::setTelemetryUrl(const QString &url)
{
    m_settings.setValue(QStringLiteral("testruns/telemetry_url"), url.trimmed());
    emit telemetryUrlChanged(url.trimmed());
}

QString AppSettings::workspaceUrl() const
{
    return m_settings.value(QStringLiteral("workspace/url")).toString();
}

void AppSettings::setWorkspaceUrl(const QString &url)
{
    if (url.isEmpty())
        m_settings.remove(QStringLiteral("workspace/url"));
    else
        m_settings.setValue(QStringLiteral("workspace/url"), url);
    m_settings.sync();
}

QString AppSettings::desktopId()
{
    QString id = m_settings.value(QStringLiteral("workspace/desktop_id")).toString();
    if (id.isEmpty()) {
        // Readable in the Audit log pane's filter, unique across the team.
        QString host = QSysInfo::machineHostName().toLower();
        host.replace(QRegularExpression(QStringLiteral("[^a-z0-9-]")), QStringLiteral("-"));
        id = (host.isEmpty() ? QStringLiteral("desktop") : host.left(40)) + QLatin1Char('-') +
             QUuid::createUuid().toString(QUuid::Id128).left(8);
        m_settings.setValue(QStringLiteral("workspace/desktop_id"), id);
        m_settings.sync();
    }
    return id;
}

} // namespace opsdeck
