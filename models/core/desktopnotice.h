// Desktop notifications: what Opsdeck tells the person at this desktop without being asked, each
// kind of which can be turned off ([notifications] in settings.ini), and where a click on one leads
// (a pane and the key of a row in it). Pure: which events deserve a notice, and their words; the
// window's DesktopNotifier (ui/desktopnotifier.h) shows them.
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <utility>

namespace opsdeck {

enum class NoticeKind { DeployFinished, DeployFailed, SyncFailed, ImageRequest, BudgetAlert, TestFailures };
QList<NoticeKind> allNoticeKinds();
QString noticeKindId(NoticeKind kind); // "deploy-finished", … (settings keys)
// What the kind is about, for the Settings dialog's switches: "A deploy job finished".
QString noticeKindText(NoticeKind kind);

struct DesktopNotice
{
    NoticeKind kind = NoticeKind::DeployFinished;
    QString title;
    QString body;
    // Where a click leads: a pane ("deployments") and the key of its row ("job:12"); a connection's
    // notice (paneId "connections") opens the Connections dialog on connectionId.
    QString paneId;
    QString target;
    qint64 connectionId = 0;
};

// A deploy job that ended: finished or failed; none for a cancelled or interrupted one (the admin
// stopped it, or Opsdeck did while closing).
std::optional<DesktopNotice> deployNotice(qint64 jobId, const QString &title, bool succeeded,
                                          const QString &message);

// Sync outcomes per connection: a notice only when a connection fails after working (or on its
// first sync), not for every failed retry after that.
class SyncFailureWatch
{
public:
    std::optional<DesktopNotice> see(qint64 connectionId, const QString &name, bool ok,
                                     const QString &message);

private:
    QSet<qint64> m_failing;
};

// An image request as the workspace's copy holds it.
struct RequestSnapshot
{
    qint64 id = 0;
    QString reference;
    QString project; // empty: global
    QString requestedBy;
    QString state; // pending, approved, denied
    QString decidedBy;
    QString answer;
};

// Image requests between two reads of the copy, for the person `me`: a new request waiting that
// they may decide (mayDecide(project)), and their own requests answered since. The first read
// (first == true) only sets the baseline: nothing that was already there is announced at start.
class RequestWatch
{
public:
    QList<DesktopNotice> see(const QList<RequestSnapshot> &now, const QString &me,
                             const std::function<bool(const QString &project)> &mayDecide);

private:
    bool m_seen = false;
    QHash<qint64, QString> m_states; // id → state at the last read
};

// A budget that passed one of its soft-limit thresholds (services/budgets/budgetalerts.h): one
// notice per alert, or one for all when a sync raised more than `grouped`.
QList<DesktopNotice> budgetNotices(const QList<std::pair<QString, QString>> &targetsAndTexts,
                                   const QString &connectionName, int grouped = 3);

// More than `grouped` notices at once (a first read of a team's requests) become one, with this
// title, naming the first few and leading to their pane.
QList<DesktopNotice> collapseNotices(const QList<DesktopNotice> &notices, const QString &title,
                                     int grouped = 3);

// A test run with cases failing that passed in its baseline.
std::optional<DesktopNotice> testRunNotice(qint64 runId, const QString &source, const QString &run,
                                           const QStringList &newFailures);

} // namespace opsdeck
