#include "models/workspace/offboarding.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::Offboarding)
};

const QString stepsTable = QStringLiteral("offboarding_steps");
const QString offboardingsTable = QStringLiteral("offboardings");

OffboardingStep step(const QString &kind, qint64 connectionId, const QString &target, const QString &title,
                     const QString &skippedBecause = {})
{
    OffboardingStep s;
    s.kind = kind;
    s.connectionId = connectionId;
    s.target = target.isNull() ? QStringLiteral("") : target; // a null QString binds as SQL NULL
    s.title = title;
    if (!skippedBecause.isEmpty()) {
        s.state = OffboardingState::skipped;
        s.detail = skippedBecause;
    }
    return s;
}

struct Conn
{
    qint64 id;
    QString name;
    QJsonObject options;
};

Result<QList<Conn>> connectionsOf(QSqlDatabase db, const QString &kind)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, name, options_json FROM connections WHERE kind = ? ORDER BY name"));
    q.addBindValue(kind);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the connections"));
    QList<Conn> out;
    while (q.next())
        out << Conn{q.value(0).toLongLong(), q.value(1).toString(),
                    QJsonDocument::fromJson(q.value(2).toByteArray()).object()};
    return out;
}
} // namespace

int Offboarding::finishedSteps() const
{
    return int(
        std::count_if(steps.cbegin(), steps.cend(), [](const OffboardingStep &s) { return s.finished(); }));
}

Result<QList<OffboardingStep>> planOffboarding(QSqlDatabase db, const QString &login)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT github_login, active, harbor_user, litellm_user FROM workspace_people WHERE login = ?"));
    q.addBindValue(login);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading %1").arg(login));
    if (!q.next())
        return makeError("workspace.no-person", Tr::tr("%1 is not a person of this workspace.").arg(login));
    const QString github = q.value(0).toString();
    const QString harborUser = q.value(2).toString();
    const QString litellmUser = q.value(3).toString();
    QList<OffboardingStep> steps;
    steps << step(OffboardingKind::workspace, 0, login,
                  Tr::tr("Deactivate %1 in the workspace and revoke their sign-in").arg(login));

    // GitHub: each connection's organization.
    const auto githubs = connectionsOf(db, QStringLiteral("github"));
    if (!githubs)
        return githubs.error();
    if (githubs->isEmpty())
        steps << step(OffboardingKind::githubMember, 0, {}, Tr::tr("Remove %1 from GitHub").arg(login),
                      Tr::tr("No GitHub connection: there is no organization to remove them from."));
    for (const Conn &c : githubs.value()) {
        const QString org = c.options.value(QStringLiteral("org")).toString();
        const QString title =
            Tr::tr("Remove %1 from the GitHub organization %2 (%3)")
                .arg(github.isEmpty() ? login : github, org.isEmpty() ? QStringLiteral("—") : org, c.name);
        steps << step(OffboardingKind::githubMember, c.id, org, title,
                      org.isEmpty() ? Tr::tr("%1 names no organization, only repositories.").arg(c.name)
                      : github.isEmpty()
                          ? Tr::tr("No GitHub login is linked to %1 in the workspace.").arg(login)
                          : QString());
    }

    // Their runners: the idle ones go, the busy ones are recorded and left to finish their job.
    q.prepare(QStringLiteral(
        "SELECT n.connection_id, n.runner_id, n.name, c.name, n.busy FROM runners n JOIN connections c ON "
        "c.id = "
        "n.connection_id LEFT JOIN workspace_runner_owners o ON o.connection = c.name AND o.runner = "
        "CAST(n.runner_id AS TEXT) LEFT JOIN runner_provisioning p ON p.connection_id = n.connection_id AND "
        "p.runner_id = n.runner_id WHERE n.removed_at IS NULL AND COALESCE(o.owner_login, p.requested_by) = "
        "? "
        "ORDER BY c.name, n.name"));
    q.addBindValue(login);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading %1's runners").arg(login));
    bool anyRunner = false;
    while (q.next()) {
        anyRunner = true;
        const bool busy = q.value(4).toBool();
        steps << step(
            busy ? OffboardingKind::runnerBusy : OffboardingKind::runnerDelete, q.value(0).toLongLong(),
            q.value(1).toString(),
            busy
                ? Tr::tr("Record the busy runner %1 (%2)").arg(q.value(2).toString(), q.value(3).toString())
                : Tr::tr("Delete the idle runner %1 (%2)").arg(q.value(2).toString(), q.value(3).toString()));
    }
    if (!anyRunner)
        steps << step(OffboardingKind::runnerDelete, 0, {}, Tr::tr("Delete their runners"),
                      Tr::tr("%1 owns no runner.").arg(login));

    // Their deployments: the projects they last deployed, stopped where anything runs.
    q.prepare(QStringLiteral(
        "SELECT d.connection_id, d.project, c.name, (SELECT COUNT(*) FROM containers k WHERE k.connection_id "
        "= "
        "d.connection_id AND k.project = d.project AND k.state IN ('running', 'restarting', 'paused')) FROM "
        "deployment_owners d JOIN connections c ON c.id = d.connection_id WHERE d.owner_login = ? ORDER BY "
        "c.name, "
        "d.project"));
    q.addBindValue(login);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading %1's deployments").arg(login));
    bool anyDeployment = false;
    while (q.next()) {
        anyDeployment = true;
        const int running = q.value(3).toInt();
        steps << step(
            OffboardingKind::deploymentStop, q.value(0).toLongLong(), q.value(1).toString(),
            Tr::tr("Stop the deployment %1 on %2").arg(q.value(1).toString(), q.value(2).toString()),
            running == 0 ? Tr::tr("Nothing of it runs.") : QString());
    }
    if (!anyDeployment)
        steps << step(OffboardingKind::deploymentStop, 0, {}, Tr::tr("Stop their deployments"),
                      Tr::tr("%1 deployed nothing that is still there.").arg(login));

    // Harbor and LiteLLM: through the identities the workspace links to the person.
    for (const auto &[kind, system, stepKind, identity] :
         {std::tuple{QStringLiteral("harbor"), QStringLiteral("Harbor"), OffboardingKind::harborMember,
                     harborUser},
          std::tuple{QStringLiteral("litellm"), QStringLiteral("LiteLLM"), OffboardingKind::litellmBlock,
                     litellmUser}}) {
        const auto conns = connectionsOf(db, kind);
        if (!conns)
            return conns.error();
        const QString who = identity.isEmpty() ? login : identity;
        const QString title = stepKind == OffboardingKind::harborMember
                                  ? Tr::tr("Remove %1 from every Harbor project").arg(who)
                                  : Tr::tr("Block the LiteLLM user %1 and their keys").arg(who);
        if (conns->isEmpty())
            steps << step(stepKind, 0, {}, title, Tr::tr("No %1 connection.").arg(system));
        for (const Conn &c : conns.value())
            steps << step(stepKind, c.id, identity, QStringLiteral("%1 (%2)").arg(title, c.name),
                          identity.isEmpty()
                              ? Tr::tr("No %1 user is linked to %2 in the workspace.").arg(system, login)
                              : QString());
    }
    int seq = 0;
    for (OffboardingStep &s : steps)
        s.seq = ++seq;
    return steps;
}

namespace OffboardingStore {

Result<qint64> start(const QString &login, const QString &comment, const QString &startedBy,
                     const QList<OffboardingStep> &steps)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    const QString now = toStoredTime(QDateTime::currentDateTimeUtc());
    QSqlQuery q(tx.db());
    q.prepare(
        QStringLiteral("INSERT INTO offboardings (login, comment, started_by, started_at, state) VALUES "
                       "(?, ?, ?, ?, 'running')"));
    q.addBindValue(login);
    q.addBindValue(comment);
    q.addBindValue(startedBy.isNull() ? QStringLiteral("") : startedBy);
    q.addBindValue(now);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording the offboarding of %1").arg(login));
    const qint64 id = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral(
        "INSERT INTO offboarding_steps (offboarding_id, seq, kind, connection_id, target, title, "
        "state, detail, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"));
    for (const OffboardingStep &s : steps) {
        q.addBindValue(id);
        q.addBindValue(s.seq);
        q.addBindValue(s.kind);
        q.addBindValue(s.connectionId ? QVariant(s.connectionId) : QVariant(QMetaType::fromType<qint64>()));
        q.addBindValue(s.target.isNull() ? QStringLiteral("") : s.target);
        q.addBindValue(s.title);
        q.addBindValue(s.state);
        q.addBindValue(s.detail.isNull() ? QStringLiteral("") : s.detail);
        q.addBindValue(now);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Recording the offboarding of %1").arg(login));
    }
    tx.touch(offboardingsTable);
    tx.touch(stepsTable);
    if (auto r = tx.commit(); !r)
        return r.error();
    return id;
}

Result<Offboarding> load(QSqlDatabase db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT login, comment, started_by, started_at, finished_at, state FROM offboardings WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading offboarding %1").arg(id));
    if (!q.next())
        return makeError("offboarding.missing", Tr::tr("There is no offboarding %1.").arg(id));
    Offboarding o;
    o.id = id;
    o.login = q.value(0).toString();
    o.comment = q.value(1).toString();
    o.startedBy = q.value(2).toString();
    o.startedAt = fromStoredTime(q.value(3).toString());
    o.finishedAt = fromStoredTime(q.value(4).toString());
    o.state = q.value(5).toString();
    q.prepare(
        QStringLiteral("SELECT seq, kind, connection_id, target, title, state, detail FROM offboarding_steps "
                       "WHERE offboarding_id = ? ORDER BY seq"));
    q.addBindValue(id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading offboarding %1").arg(id));
    while (q.next()) {
        OffboardingStep s;
        s.seq = q.value(0).toInt();
        s.kind = q.value(1).toString();
        s.connectionId = q.value(2).toLongLong();
        s.target = q.value(3).toString();
        s.title = q.value(4).toString();
        s.state = q.value(5).toString();
        s.detail = q.value(6).toString();
        o.steps << s;
    }
    return o;
}

Result<std::optional<qint64>> unfinished(QSqlDatabase db, const QString &login)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT id FROM offboardings WHERE login = ? AND state <> 'done' ORDER BY id DESC LIMIT 1"));
    q.addBindValue(login);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the offboardings of %1").arg(login));
    if (!q.next())
        return std::optional<qint64>();
    return std::optional<qint64>(q.value(0).toLongLong());
}

Result<void> setStep(qint64 id, int seq, const QString &state, const QString &detail)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r;
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral("UPDATE offboarding_steps SET state = ?, detail = ?, updated_at = ? WHERE "
                             "offboarding_id = ? AND seq = ?"));
    q.addBindValue(state);
    q.addBindValue(detail.isNull() ? QStringLiteral("") : detail);
    q.addBindValue(toStoredTime(QDateTime::currentDateTimeUtc()));
    q.addBindValue(id);
    q.addBindValue(seq);
    if (!q.exec())
        return Database::describe(q.lastError(),
                                  Tr::tr("Recording step %1 of offboarding %2").arg(seq).arg(id));
    if (q.numRowsAffected() != 1)
        return makeError("offboarding.missing", Tr::tr("Offboarding %1 has no step %2.").arg(id).arg(seq));
    if (state == OffboardingState::running) {
        q.prepare(QStringLiteral("UPDATE offboardings SET state = 'running', finished_at = '' WHERE id = ?"));
        q.addBindValue(id);
        if (!q.exec())
            return Database::describe(q.lastError(), Tr::tr("Recording offboarding %1").arg(id));
        tx.touch(offboardingsTable);
    }
    tx.touch(stepsTable);
    return tx.commit();
}

Result<QString> finish(qint64 id)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(
        QStringLiteral("SELECT COUNT(*) FROM offboarding_steps WHERE offboarding_id = ? AND state NOT IN "
                       "('done', 'skipped')"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return Database::describe(q.lastError(), Tr::tr("Reading offboarding %1").arg(id));
    const QString state = q.value(0).toInt() == 0 ? QStringLiteral("done") : QStringLiteral("incomplete");
    q.prepare(QStringLiteral("UPDATE offboardings SET state = ?, finished_at = ? WHERE id = ?"));
    q.addBindValue(state);
    q.addBindValue(toStoredTime(QDateTime::currentDateTimeUtc()));
    q.addBindValue(id);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Recording offboarding %1").arg(id));
    tx.touch(offboardingsTable);
    if (auto r = tx.commit(); !r)
        return r.error();
    return state;
}

} // namespace OffboardingStore

} // namespace opsdeck
