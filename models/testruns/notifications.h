// What Opsdeck tells a team about a test run, and how: per source, a Slack incoming-webhook message
// and a Jira issue, each toggled on its own (off, on a failed run, on new failures only). The
// messages and the answers' meanings follow ../shared/specs/notify: Slack answers 200 with the
// plain text "ok" or an error string; Jira's POST /rest/api/3/issue answers 201 with the new issue's
// key or an ErrorCollection. Pure: the service sends, records and audits.
#pragma once

#include "models/core/result.h"
#include "models/testruns/junitreader.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace opsdeck {

enum class NotifyWhen { Off, FailedRun, NewFailures };
QString notifyWhenId(NotifyWhen when); // "off", "failed", "new-failures"
NotifyWhen notifyWhenFromId(const QString &id);
QString notifyWhenText(NotifyWhen when);

struct NotifySettings
{
    NotifyWhen slack = NotifyWhen::Off;
    NotifyWhen jira = NotifyWhen::Off;
    QString jiraSite;    // https://your-domain.atlassian.net
    QString jiraAccount; // the e-mail address the API token belongs to (basic auth)
    QString jiraProject; // a project key: ED, OPS
    QString jiraIssueType = QStringLiteral("Bug");
    bool operator==(const NotifySettings &) const = default;
};
// Checked for saving: the Jira fields are needed only when Jira is on. "testrun.notify" errors.
Result<NotifySettings> checkNotifySettings(const NotifySettings &settings);
// A Slack webhook address is https on hooks.slack.com (or another host for Enterprise Grid); any
// https URL is accepted (and http to this machine, a local relay), anything else refused with why.
// The Jira site likewise.
Result<QUrl> checkSlackWebhook(const QString &text);

// The telemetry receiver: https (or http to this machine); empty turns telemetry off.
Result<QUrl> checkTelemetryUrl(const QString &text);

struct RunNotice
{
    QString source;
    QString run; // its title
    qint64 runId = 0;
    QString branch;
    QString commit;
    JUnitTotals totals;
    QStringList newFailures; // keys of the cases failing now that passed in the baseline
    QStringList failing;     // every failing case's key
};

bool runFailed(const RunNotice &notice);
// Whether a channel set to `when` speaks for this run.
bool shouldNotify(NotifyWhen when, const RunNotice &notice);

// The Slack message: text (the fallback) and blocks, at most `listed` cases named.
QByteArray slackMessage(const RunNotice &notice, int listed = 10);
// The answer: ok, or an error that says what Slack's error string means.
Result<void> slackAnswer(int status, const QByteArray &body);

// The Jira issue (IssueUpdateDetails): project, issue type, summary and an Atlassian Document
// Format description.
QByteArray jiraIssue(const RunNotice &notice, const NotifySettings &settings, int listed = 25);
// The new issue's key, or an error from the ErrorCollection.
Result<QString> jiraAnswer(int status, const QByteArray &body);

} // namespace opsdeck
