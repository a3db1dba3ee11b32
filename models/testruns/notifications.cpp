#include "models/testruns/notifications.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Notifications)
};

// https, or plain http to this machine (a relay or proxy on the desktop itself).
bool secureEnough(const QUrl &url)
{
    if (url.scheme() == QLatin1String("https"))
        return true;
    const QString host = url.host();
    return url.scheme() == QLatin1String("http") &&
           (host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1") ||
            host == QLatin1String("::1"));
}

QString totalsLine(const JUnitTotals &t)
{
    return Tr::tr("%1 tests: %2 passed, %3 failed, %4 errors, %5 skipped, %6 flaky")
        .arg(t.tests)
        .arg(t.passed)
        .arg(t.failed)
        .arg(t.errors)
        .arg(t.skipped)
        .arg(t.flaky);
}

QString headline(const RunNotice &n)
{
    if (!n.newFailures.isEmpty())
        return Tr::tr("%1: %n new failure(s) in %2", nullptr, int(n.newFailures.size())).arg(n.source, n.run);
    return Tr::tr("%1: run %2 failed").arg(n.source, n.run);
}

QString where(const RunNotice &n)
{
    QStringList parts;
    if (!n.branch.isEmpty())
        parts << Tr::tr("branch %1").arg(n.branch);
    if (!n.commit.isEmpty())
        parts << Tr::tr("commit %1").arg(n.commit.left(12));
    return parts.join(QStringLiteral(", "));
}

QStringList listed(const QStringList &keys, int max)
{
    QStringList out = keys.mid(0, max);
    if (keys.size() > max)
        out << Tr::tr("… and %n more", nullptr, int(keys.size() - max));
    return out;
}

// Slack's mrkdwn needs &, < and > escaped.
QString slackEscaped(QString s)
{
    return s.replace(QLatin1Char('&'), QStringLiteral("&amp;"))
        .replace(QLatin1Char('<'), QStringLiteral("&lt;"))
        .replace(QLatin1Char('>'), QStringLiteral("&gt;"));
}

QJsonObject adfText(const QString &text, bool strong = false)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}};
    if (strong)
        o.insert(QStringLiteral("marks"),
                 QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("strong")}}});
    return o;
}

QJsonObject adfParagraph(const QJsonArray &content)
{
    return {{QStringLiteral("type"), QStringLiteral("paragraph")}, {QStringLiteral("content"), content}};
}
} // namespace

QString notifyWhenId(NotifyWhen when)
{
    switch (when) {
    case NotifyWhen::Off:
        return QStringLiteral("off");
    case NotifyWhen::FailedRun:
        return QStringLiteral("failed");
    case NotifyWhen::NewFailures:
        return QStringLiteral("new-failures");
    }
    return {};
}

NotifyWhen notifyWhenFromId(const QString &id)
{
    if (id == QLatin1String("failed"))
        return NotifyWhen::FailedRun;
    if (id == QLatin1String("new-failures"))
        return NotifyWhen::NewFailures;
    return NotifyWhen::Off;
}

QString notifyWhenText(NotifyWhen when)
{
    switch (when) {
    case NotifyWhen::Off:
        return Tr::tr("Off");
    case NotifyWhen::FailedRun:
        return Tr::tr("When a run fails");
    case NotifyWhen::NewFailures:
        return Tr::tr("When a run has new failures");
    }
    return {};
}

Result<QUrl> checkSlackWebhook(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return makeError("testrun.notify",
                         Tr::tr("The Slack webhook is not a URL: copy it from the app's Incoming "
                                "Webhooks page (https://hooks.slack.com/services/…)."));
    if (!secureEnough(url))
        return makeError("testrun.notify",
                         Tr::tr("The Slack webhook must be an https address: the URL itself is the secret."));
    return url;
}

Result<QUrl> checkTelemetryUrl(const QString &text)
{
    if (text.trimmed().isEmpty())
        return QUrl();
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !secureEnough(url))
        return makeError("testrun.telemetry",
                         Tr::tr("The telemetry receiver is an https address (or http on this "
                                "machine), such as https://ci.example.com/opsdeck/runs."));
    return url;
}

Result<NotifySettings> checkNotifySettings(const NotifySettings &settings)
{
    NotifySettings s = settings;
    s.jiraSite = s.jiraSite.trimmed();
    while (s.jiraSite.endsWith(QLatin1Char('/')))
        s.jiraSite.chop(1);
    s.jiraAccount = s.jiraAccount.trimmed();
    s.jiraProject = s.jiraProject.trimmed();
    s.jiraIssueType = s.jiraIssueType.trimmed();
    if (s.jira == NotifyWhen::Off)
        return s;
    const QUrl site(s.jiraSite, QUrl::StrictMode);
    if (!site.isValid() || !secureEnough(site) || site.host().isEmpty() ||
        (!site.path().isEmpty() && site.path() != QLatin1String("/")))
        return makeError(
            "testrun.notify",
            Tr::tr("The Jira site is its https address, such as https://your-domain.atlassian.net."));
    if (!QRegularExpression(QStringLiteral("^[^@\\s]+@[^@\\s]+$")).match(s.jiraAccount).hasMatch())
        return makeError("testrun.notify",
                         Tr::tr("The Jira account is the e-mail address its API token belongs to."));
    if (!QRegularExpression(QStringLiteral("^[A-Z][A-Z0-9_]{1,9}$")).match(s.jiraProject).hasMatch())
        return makeError("testrun.notify",
                         Tr::tr("A Jira project key is an uppercase letter followed by 1 to 9 "
                                "uppercase letters, digits or underscores (OPS, QA2)."));
    if (s.jiraIssueType.isEmpty() || s.jiraIssueType.size() > 60)
        return makeError("testrun.notify", Tr::tr("Name the issue type to create (Bug, Task)."));
    return s;
}

bool runFailed(const RunNotice &notice)
{
    return notice.totals.failed + notice.totals.errors > 0;
}

bool shouldNotify(NotifyWhen when, const RunNotice &notice)
{
    switch (when) {
    case NotifyWhen::Off:
        return false;
    case NotifyWhen::FailedRun:
        return runFailed(notice);
    case NotifyWhen::NewFailures:
        return !notice.newFailures.isEmpty();
    }
    return false;
}

QByteArray slackMessage(const RunNotice &notice, int listedCases)
{
    const QString head = headline(notice);
    const QString place = where(notice);
    const QString text = head +
                         (place.isEmpty() ? QString() : QStringLiteral(" (") + place + QLatin1Char(')')) +
                         QStringLiteral(". ") + totalsLine(notice.totals) + QLatin1Char('.');
    QJsonArray blocks;
    blocks.append(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("section")},
        {QStringLiteral("text"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                     {QStringLiteral("text"),
                      QStringLiteral("*") + slackEscaped(head) + QStringLiteral("*\n") +
                          slackEscaped(totalsLine(notice.totals)) +
                          (place.isEmpty() ? QString() : QStringLiteral("\n") + slackEscaped(place))}}}});
    const QStringList cases = notice.newFailures.isEmpty() ? notice.failing : notice.newFailures;
    if (!cases.isEmpty()) {
        QStringList lines;
        for (const QString &k : listed(cases, listedCases))
            lines << QStringLiteral("• ") + slackEscaped(k);
        blocks.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("section")},
            {QStringLiteral("text"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                         {QStringLiteral("text"),
                          (notice.newFailures.isEmpty() ? Tr::tr("*Failing:*") : Tr::tr("*New failures:*")) +
                              QLatin1Char('\n') + lines.join(QLatin1Char('\n'))}}}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("text"), text}, {QStringLiteral("blocks"), blocks}})
        .toJson(QJsonDocument::Compact);
}

Result<void> slackAnswer(int status, const QByteArray &body)
{
    const QByteArray answer = body.trimmed();
    if (status == 200 && answer == "ok")
        return {};
    static const QHash<QByteArray, const char *> meanings{
        {"invalid_payload", QT_TRANSLATE_NOOP("opsdeck::Notifications", "Slack could not read the message")},
        {"user_not_found",
         QT_TRANSLATE_NOOP("opsdeck::Notifications", "the user of the webhook does not exist")},
        {"action_prohibited",
         QT_TRANSLATE_NOOP("opsdeck::Notifications", "the workspace restricts posting with this webhook")},
        {"channel_not_found",
         QT_TRANSLATE_NOOP("opsdeck::Notifications", "the webhook's channel does not exist")},
        {"channel_is_archived",
         QT_TRANSLATE_NOOP("opsdeck::Notifications", "the webhook's channel is archived")},
        {"rollup_error", QT_TRANSLATE_NOOP("opsdeck::Notifications", "Slack failed on its side")},
        {"no_service",
         QT_TRANSLATE_NOOP("opsdeck::Notifications", "the webhook is disabled, removed or not a webhook")},
        {"no_text", QT_TRANSLATE_NOOP("opsdeck::Notifications", "the message had no text")},
        {"posting_to_general_channel_denied",
         QT_TRANSLATE_NOOP("opsdeck::Notifications", "posting to #general is not allowed")}};
    const auto it = meanings.constFind(answer);
    const QString why = it != meanings.cend() ? QCoreApplication::translate("opsdeck::Notifications", *it)
                        : answer.isEmpty()    ? Tr::tr("no explanation was given")
                                              : QString::fromUtf8(answer.left(200));
    if (status == 429)
        return makeError("testrun.notify",
                         Tr::tr("Slack refused the message for now (too many messages): %1").arg(why));
    if (status == 200)
        return makeError(
            "testrun.notify",
            Tr::tr("Slack answered \"%1\" instead of ok.").arg(QString::fromUtf8(answer.left(200))));
    return makeError("testrun.notify", Tr::tr("Slack refused the message (HTTP %1): %2 (%3).")
                                           .arg(status)
                                           .arg(why, QString::fromUtf8(answer.left(60))));
}

QByteArray jiraIssue(const RunNotice &notice, const NotifySettings &settings, int listedCases)
{
    QJsonArray content;
    QString intro = totalsLine(notice.totals) + QLatin1Char('.');
    if (!where(notice).isEmpty())
        intro += QLatin1Char(' ') + where(notice) + QLatin1Char('.');
    content.append(adfParagraph({adfText(intro)}));
    const QStringList cases = notice.newFailures.isEmpty() ? notice.failing : notice.newFailures;
    if (!cases.isEmpty()) {
        content.append(adfParagraph(
            {adfText(notice.newFailures.isEmpty() ? Tr::tr("Failing cases:")
                                                  : Tr::tr("New failures (passing in the run before):"),
                     true)}));
        QJsonArray items;
        for (const QString &k : listed(cases, listedCases))
            items.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("listItem")},
                                     {QStringLiteral("content"), QJsonArray{adfParagraph({adfText(k)})}}});
        content.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("bulletList")},
                                   {QStringLiteral("content"), items}});
    }
    content.append(adfParagraph(
        {adfText(Tr::tr("Reported by Opsdeck from run %1 of %2.").arg(notice.run, notice.source))}));
    const QJsonObject description{{QStringLiteral("type"), QStringLiteral("doc")},
                                  {QStringLiteral("version"), 1},
                                  {QStringLiteral("content"), content}};
    QString summary = headline(notice);
    if (summary.size() > 250)
        summary = summary.left(249) + QChar(0x2026);
    const QJsonObject fields{
        {QStringLiteral("project"), QJsonObject{{QStringLiteral("key"), settings.jiraProject}}},
        {QStringLiteral("issuetype"), QJsonObject{{QStringLiteral("name"), settings.jiraIssueType}}},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("description"), description}};
    return QJsonDocument(QJsonObject{{QStringLiteral("fields"), fields}}).toJson(QJsonDocument::Compact);
}

Result<QString> jiraAnswer(int status, const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (status == 201) {
        const QString key = o.value(QStringLiteral("key")).toString();
        if (key.isEmpty())
            return makeError("testrun.notify", Tr::tr("Jira created an issue but did not say its key."));
        return key;
    }
    QStringList reasons;
    for (const QJsonValue &m : o.value(QStringLiteral("errorMessages")).toArray())
        reasons << m.toString();
    const QJsonObject errors = o.value(QStringLiteral("errors")).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it)
        reasons << QStringLiteral("%1: %2").arg(it.key(), it.value().toString());
    QString why = reasons.join(QStringLiteral("; "));
    if (why.isEmpty())
        why = status == 401   ? Tr::tr("the account or its API token is not accepted")
              : status == 403 ? Tr::tr("the account may not create issues in this project")
                              : Tr::tr("no explanation was given");
    return makeError("testrun.notify",
                     Tr::tr("Jira did not create the issue (HTTP %1): %2.").arg(status).arg(why));
}

} // namespace opsdeck
