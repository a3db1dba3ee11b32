#include "models/core/desktopnotice.h"

#include <QCoreApplication>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DesktopNotice)
};
} // namespace

QList<NoticeKind> allNoticeKinds()
{
    return {NoticeKind::DeployFinished, NoticeKind::DeployFailed, NoticeKind::SyncFailed,
            NoticeKind::ImageRequest,   NoticeKind::BudgetAlert,  NoticeKind::TestFailures};
}

QString noticeKindId(NoticeKind kind)
{
    switch (kind) {
    case NoticeKind::DeployFinished:
        return QStringLiteral("deploy-finished");
    case NoticeKind::DeployFailed:
        return QStringLiteral("deploy-failed");
    case NoticeKind::SyncFailed:
        return QStringLiteral("sync-failed");
    case NoticeKind::ImageRequest:
        return QStringLiteral("image-request");
    case NoticeKind::BudgetAlert:
        return QStringLiteral("budget-alert");
    case NoticeKind::TestFailures:
        return QStringLiteral("test-failures");
    }
    return {};
}

QString noticeKindText(NoticeKind kind)
{
    switch (kind) {
    case NoticeKind::DeployFinished:
        return Tr::tr("A deploy job finished");
    case NoticeKind::DeployFailed:
        return Tr::tr("A deploy job failed");
    case NoticeKind::SyncFailed:
        return Tr::tr("A connection's sync failed for the first time");
    case NoticeKind::ImageRequest:
        return Tr::tr("An image request waits for my decision, or mine was answered");
    case NoticeKind::BudgetAlert:
        return Tr::tr("A budget passed a soft limit");
    case NoticeKind::TestFailures:
        return Tr::tr("A test run has new failures");
    }
    return {};
}

std::optional<DesktopNotice> deployNotice(qint64 jobId, const QString &title, bool succeeded,
                                          const QString &message)
{
    DesktopNotice n;
    n.kind = succeeded ? NoticeKind::DeployFinished : NoticeKind::DeployFailed;
    n.title = succeeded ? Tr::tr("Deployed: %1").arg(title) : Tr::tr("Deploy failed: %1").arg(title);
    n.body = message;
    n.paneId = QStringLiteral("deployments");
    n.target = QStringLiteral("job:%1").arg(jobId);
    return n;
}

std::optional<DesktopNotice> SyncFailureWatch::see(qint64 connectionId, const QString &name, bool ok,
                                                   const QString &message)
{
    if (ok) {
        m_failing.remove(connectionId);
        return std::nullopt;
    }
    if (m_failing.contains(connectionId))
        return std::nullopt;
    m_failing.insert(connectionId);
    DesktopNotice n;
    n.kind = NoticeKind::SyncFailed;
    n.title = Tr::tr("%1 does not sync").arg(name);
    n.body = message;
    n.paneId = QStringLiteral("connections");
    n.connectionId = connectionId;
    return n;
}

QList<DesktopNotice> RequestWatch::see(const QList<RequestSnapshot> &now, const QString &me,
                                       const std::function<bool(const QString &)> &mayDecide)
{
    QList<DesktopNotice> out;
    const bool first = !m_seen;
    m_seen = true;
    QHash<qint64, QString> states;
    for (const RequestSnapshot &r : now) {
        states.insert(r.id, r.state);
        if (first)
            continue;
        const QString before = m_states.value(r.id);
        const QString where =
            r.project.isEmpty() ? Tr::tr("every project") : Tr::tr("project %1").arg(r.project);
        DesktopNotice n;
        n.kind = NoticeKind::ImageRequest;
        n.paneId = QStringLiteral("images");
        n.target = QStringLiteral("request:%1").arg(r.id);
        if (r.state == QLatin1String("pending") && before.isEmpty() && r.requestedBy != me &&
            mayDecide(r.project)) {
            n.title = Tr::tr("Image request from %1").arg(r.requestedBy);
            n.body = Tr::tr("%1 for %2 waits for your decision.").arg(r.reference, where);
            out << n;
        } else if (r.requestedBy == me && before == QLatin1String("pending") && r.state != before) {
            const bool approved = r.state == QLatin1String("approved");
            n.title = approved ? Tr::tr("Image request approved: %1").arg(r.reference)
                               : Tr::tr("Image request denied: %1").arg(r.reference);
            n.body = r.answer.isEmpty() ? Tr::tr("Decided by %1.").arg(r.decidedBy)
                                        : Tr::tr("%1: “%2”").arg(r.decidedBy, r.answer);
            out << n;
        }
    }
    m_states = states;
    return out;
}

QList<DesktopNotice> budgetNotices(const QList<std::pair<QString, QString>> &targetsAndTexts,
                                   const QString &connectionName, int grouped)
{
    QList<DesktopNotice> out;
    DesktopNotice n;
    n.kind = NoticeKind::BudgetAlert;
    n.paneId = QStringLiteral("budgets");
    if (targetsAndTexts.size() > grouped) {
        n.title = Tr::tr("%n budget(s) on %1 passed a soft limit", nullptr, int(targetsAndTexts.size()))
                      .arg(connectionName);
        QStringList lines;
        for (qsizetype i = 0; i < qMin<qsizetype>(grouped, targetsAndTexts.size()); ++i)
            lines << targetsAndTexts.at(i).second;
        lines << Tr::tr("and %n more", nullptr, int(targetsAndTexts.size() - grouped));
        n.body = lines.join(QLatin1Char('\n'));
        n.target = QStringLiteral("alerts");
        out << n;
        return out;
    }
    for (const auto &[target, text] : targetsAndTexts) {
        n.title = Tr::tr("Budget soft limit on %1").arg(connectionName);
        n.body = text;
        n.target = target;
        out << n;
    }
    return out;
}

QList<DesktopNotice> collapseNotices(const QList<DesktopNotice> &notices, const QString &title, int grouped)
{
    if (notices.size() <= grouped)
        return notices;
    DesktopNotice one = notices.first();
    one.title = title;
    QStringList lines;
    for (qsizetype i = 0; i < grouped; ++i)
        lines << notices.at(i).title;
    lines << Tr::tr("and %n more", nullptr, int(notices.size() - grouped));
    one.body = lines.join(QLatin1Char('\n'));
    one.target.clear(); // the pane, not one of its rows
    return {one};
}

std::optional<DesktopNotice> testRunNotice(qint64 runId, const QString &source, const QString &run,
                                           const QStringList &newFailures)
{
    if (newFailures.isEmpty())
        return std::nullopt;
    DesktopNotice n;
    n.kind = NoticeKind::TestFailures;
    n.title = Tr::tr("%n new failure(s) in %1", nullptr, int(newFailures.size())).arg(source);
    QStringList named = newFailures.mid(0, 3);
    if (newFailures.size() > 3)
        named << Tr::tr("and %n more", nullptr, int(newFailures.size() - 3));
    n.body = run + QLatin1Char('\n') + named.join(QLatin1Char('\n'));
    n.paneId = QStringLiteral("testruns");
    n.target = QStringLiteral("run:%1").arg(runId);
    return n;
}

} // namespace opsdeck
