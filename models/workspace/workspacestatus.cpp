#include "models/workspace/workspacestatus.h"

#include "models/connections/connectionstore.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::WorkspaceStatus)
};
} // namespace

WorkspaceStatus readWorkspaceStatus(QSqlDatabase db)
{
    WorkspaceStatus s;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT kind, address, online, problem, synced_at, audit_pushed FROM "
                               "workspace_state WHERE id = 1")) ||
        !q.next())
        return s;
    s.known = true;
    s.team = q.value(0).toString() == QLatin1String("team");
    s.address = q.value(1).toString();
    s.online = q.value(2).toBool();
    s.problem = q.value(3).toString();
    s.syncedAt = fromStoredTime(q.value(4).toString());
    if (s.team) {
        QSqlQuery pending(db);
        pending.prepare(
            QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE source = 'local' AND id > ?"));
        pending.addBindValue(q.value(5).toLongLong());
        if (pending.exec() && pending.next())
            s.pendingAudit = pending.value(0).toLongLong();
    }
    return s;
}

QString WorkspaceStatus::describe() const
{
    if (!known)
        return Tr::tr("The workspace has not been read yet.");
    const QString age = syncedAt.isValid() ? QLocale().toString(syncedAt.toLocalTime(), QLocale::ShortFormat)
                                           : Tr::tr("never");
    if (!team)
        return online ? Tr::tr("This desktop's own workspace (%1). File › Team workspace… joins a team's.")
                            .arg(address.section(QLatin1Char(' '), 1))
                      : Tr::tr("The local workspace cannot be opened: %1").arg(problem);
    const QString outbox = pendingAudit > 0 ? Tr::tr(" %n audit event(s) wait to be sent.", nullptr,
                                                     int(qMin<qint64>(pendingAudit, INT_MAX)))
                                            : QString();
    return online ? Tr::tr("Team workspace %1: online, up to date (read %2).%3").arg(address, age, outbox)
                  : Tr::tr("Team workspace %1 is offline (%2): showing the copy read %3. Changes to people "
                           "and grants are refused until it answers.%4")
                        .arg(address, problem, age, outbox);
}

} // namespace opsdeck
