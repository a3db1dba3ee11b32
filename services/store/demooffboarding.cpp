// The demo's offboarding half done: Farid left; his deactivation and his removal from one GitHub
// organization are done, the other organization's server could not be reached, and his monitoring
// deployment still waits to be stopped. Resume it from the Users pane (the demo refuses the calls
// with its usual message).
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "models/workspace/offboarding.h"
#include "services/store/demoworkspace.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::DemoWorkspace {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DemoWorkspace)
};
} // namespace

Result<void> seedOffboarding(QSqlDatabase db, const QDateTime &now)
{
    auto plan = planOffboarding(db, QStringLiteral("farid"));
    if (!plan)
        return plan.error();
    bool firstOrg = true;
    for (OffboardingStep &s : plan.value()) {
        if (s.kind == OffboardingKind::workspace) {
            s.state = OffboardingState::done;
            s.detail = Tr::tr("farid is deactivated and can no longer sign in.");
        } else if (s.kind == OffboardingKind::githubMember && s.state == OffboardingState::pending) {
            s.state = firstOrg ? OffboardingState::done : OffboardingState::failed;
            s.detail = firstOrg ? Tr::tr("fhaddad is out of %1.").arg(s.target)
                                : Tr::tr("Removing fhaddad from the organization %1: cannot reach the server "
                                         "(connection refused).")
                                      .arg(s.target);
            firstOrg = false;
        }
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO offboardings (login, comment, started_by, started_at, finished_at, state) "
        "VALUES ('farid', ?, 'alice', ?, ?, 'incomplete')"));
    q.addBindValue(Tr::tr("Left Acme at the end of November."));
    q.addBindValue(toStoredTime(now.addSecs(-3 * 3600)));
    q.addBindValue(toStoredTime(now.addSecs(-3 * 3600 + 40)));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the demo offboarding"));
    const qint64 id = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral(
        "INSERT INTO offboarding_steps (offboarding_id, seq, kind, connection_id, target, title, "
        "state, detail, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"));
    for (const OffboardingStep &s : plan.value()) {
        q.addBindValue(id);
        q.addBindValue(s.seq);
        q.addBindValue(s.kind);
        q.addBindValue(s.connectionId ? QVariant(s.connectionId) : QVariant(QMetaType::fromType<qint64>()));
        q.addBindValue(s.target);
        q.addBindValue(s.title);
        q.addBindValue(s.state);
        q.addBindValue(s.detail.isNull() ? QStringLiteral("") : s.detail);
        q.addBindValue(toStoredTime(now.addSecs(-3 * 3600 + 10 * s.seq)));
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Writing the demo offboarding"));
    }
    return {};
}

} // namespace opsdeck::DemoWorkspace
