// WorkspaceService: changes to people (the Users pane, batch deactivation), and the demo's store.
#include "models/connections/connectionstore.h"
#include "models/github/runnerpolicystore.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "models/workspace/actingperson.h"
#include "services/store/auditlog.h"
#include "services/workspace/accessreviewstore.h"
#include "services/workspace/grantchanges.h"
#include "services/workspace/peoplechanges.h"
#include "services/workspace/workspaceservice.h"

#include "models/images/registryindex.h"
#include "services/workspace/imagerecords.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

Q_DECLARE_LOGGING_CATEGORY(lcWorkspace)

namespace opsdeck {

void WorkspaceService::changePeople(const QList<PersonChange> &changes, const QString &requestId)
{
    QStringList problems;
    int applied = 0;
    int done = 0;
    for (const PersonChange &change : changes) {
        if (auto r = changePerson(change); r)
            ++applied;
        else
            problems << r.message();
        emit peopleProgress(requestId, ++done, int(changes.size()));
    }
    if (applied > 0)
        sync(); // the copy at once; other desktops hear the store's announcement
    emit peopleChanged(requestId, applied, problems);
}

Result<void> WorkspaceService::changePerson(const PersonChange &change)
{
    // The person as the copy has them: what the change needs permission for, and the "before".
    QString currentRole;
    QJsonObject before;
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT role, active, email, display_name, github_login, harbor_user, "
                                 "litellm_user, oidc_subject FROM workspace_people WHERE login = ?"));
        q.addBindValue(change.login);
        if (q.exec() && q.next()) {
            WorkspacePerson p{change.login, q.value(0).toString(), q.value(1).toBool()};
            p.email = q.value(2).toString();
            p.displayName = q.value(3).toString();
            p.githubLogin = q.value(4).toString();
            p.harborUser = q.value(5).toString();
            p.litellmUser = q.value(6).toString();
            p.oidcSubject = q.value(7).toString();
            currentRole = p.role;
            before = PeopleChanges::personRecord(p);
        }
    }
    Result<void> r = validatePersonChange(change);
    if (r && (!m_store || !m_online))
        r = makeError("workspace.offline", tr("%1: the workspace does not answer, so nobody's record can "
                                              "change now. Try again once it is back online.")
                                               .arg(change.describe()));
    if (r && change.kind != PersonChange::Kind::Add && before.isEmpty())
        r = makeError("workspace.no-person",
                      tr("%1: %2 is not a person of this workspace.").arg(change.describe(), change.login));
    if (r) // refused here before the store is asked, and audited as refused
        for (const QString &scope : personChangeScopes(change, currentRole, m_login))
            if (r = checkActing(Database::connection(), QStringLiteral("user.manage"), scope); !r) {
                r = Error{r.error().code, tr("%1: %2").arg(change.describe(), r.message())};
                break;
            }
    if (r)
        r = PeopleChanges::apply(*m_store, change);

    const AuditEvent e = PeopleChanges::auditEvent(change, m_login, m_address, before, r);
    if (auto audited = AuditLog::record(e); !audited)
        qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    if (!r)
        qCWarning(lcWorkspace).noquote() << r.message();
    return r;
}

void WorkspaceService::changeGrants(const QList<GrantChange> &changes, const QString &requestId)
{
    QStringList problems;
    int applied = 0;
    int done = 0;
    for (const GrantChange &change : changes) {
        if (auto r = changeGrant(change); r)
            ++applied;
        else
            problems << r.message();
        emit peopleProgress(requestId, ++done, int(changes.size()));
    }
    if (applied > 0)
        sync();
    emit peopleChanged(requestId, applied, problems);
}

Result<qint64> WorkspaceService::changeGrant(GrantChange change)
{
    Result<qint64> r = qint64(0);
    const auto acting = readActing(Database::connection());
    if (!acting)
        r = acting.error();
    // A revoked grant as the copy has it: what it was, for the check and the audit event.
    if (r && change.kind == GrantChange::Kind::Revoke) {
        const auto found =
            std::find_if(acting->grants.cbegin(), acting->grants.cend(),
                         [&change](const WorkspaceGrant &g) { return g.id == change.grant.id; });
        if (found != acting->grants.cend())
            change.grant = *found;
        else
            r = makeError(
                "workspace.no-grant",
                tr("There is no grant %1 in this workspace (revoked already?).").arg(change.grant.id));
    }
    if (r)
        if (auto valid = validateGrantChange(change); !valid)
            r = valid.error();
    if (r && (!m_store || !m_online))
        r = makeError("workspace.offline",
                      tr("%1: the workspace does not answer, so no grant can change now. "
                         "Try again once it is back online.")
                          .arg(change.describe()));
    QString subjectRole = change.grant.subject;
    if (r && change.grant.subjectKind == QLatin1String("person")) {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT role FROM workspace_people WHERE login = ?"));
        q.addBindValue(change.grant.subject);
        if (q.exec() && q.next())
            subjectRole = q.value(0).toString();
        else
            r = makeError(
                "workspace.no-person",
                tr("%1: %2 is not a person of this workspace.").arg(change.describe(), change.grant.subject));
    }
    // Refused here before the store is asked, and audited as refused. The desktop's own workspace
    // (nobody named yet) is its one superuser's.
    if (r && acting->person)
        if (auto may = mayChangeGrant(*acting->person, acting->grants, subjectRole, change); !may)
            r = may.error();
    if (r)
        r = GrantChanges::apply(*m_store, change);

    if (auto audited = AuditLog::record(GrantChanges::auditEvent(change, m_login, m_address, r)); !audited)
        qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    if (!r)
        qCWarning(lcWorkspace).noquote() << r.message();
    return r;
}

void WorkspaceService::changeImages(const QList<ImageChange> &changes, const QString &requestId)
{
    QStringList problems;
    int applied = 0;
    for (const ImageChange &change : changes) {
        if (auto r = changeImage(change); r)
            ++applied;
        else
            problems << r.message();
    }
    if (applied > 0)
        sync();
    emit imagesChanged(requestId, applied, problems);
}

void WorkspaceService::importImages(const QString &content, const QString &project,
                                    const QString &defaultReason, const QDateTime &expires,
                                    const QString &source, const QString &requestId)
{
    const auto fail = [&](const Error &e) {
        if (auto audited = AuditLog::record(
                allowedEntryEvent(source, project, defaultReason, m_login, m_address, e, source));
            !audited)
            qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
        emit imagesChanged(requestId, 0, {e.message});
    };
    if (!m_store || !m_online)
        return fail(
            makeError("workspace.offline", tr("The workspace does not answer, so nothing can be imported "
                                              "now. Try again once it is back online.")));
    if (expires.isValid() && expires <= QDateTime::currentDateTimeUtc())
        return fail(makeError("image.expires", tr("The expiry is not in the future.")));
    const auto index = readRegistryIndex(Database::connection());
    const auto plan = ImageRecords::planImportFor(*m_store, content, project, defaultReason,
                                                  index ? &index.value() : nullptr);
    if (!plan)
        return fail(plan.error());
    const auto ids = ImageRecords::applyImport(*m_store, plan.value(), project, expires);
    if (!ids)
        return fail(ids.error());
    int i = 0;
    for (const ImportLine &l : plan.value())
        if (l.state == ImportLine::State::New)
            if (auto audited = AuditLog::record(
                    allowedEntryEvent(l.entry, project, l.reason, m_login, m_address, ids->at(i++), source));
                !audited)
                qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    if (!ids->isEmpty())
        sync();
    emit imagesChanged(requestId, int(ids->size()), {});
}

namespace {
// An exact tag is approved as it is now: the digest a synced registry resolves it to is kept, so
// that the Images pane can say when the tag moves on. Empty for other entries.
QString approvedDigest(const QString &entryText)
{
    const auto entry = parseAllowEntry(entryText);
    if (!entry || entry->kind != AllowEntry::Kind::Tag)
        return {};
    const auto index = readRegistryIndex(Database::connection());
    return index ? index->tagDigests.value(entry->registry + QLatin1Char('/') + entry->repository +
                                           QLatin1Char(':') + entry->tag)
                 : QString();
}
} // namespace

Result<qint64> WorkspaceService::changeImage(const ImageChange &change)
{
    Result<qint64> r = qint64(0);
    if (auto valid = validateImageChange(change, QDateTime::currentDateTimeUtc()); !valid)
        r = valid.error();
    if (r && (!m_store || !m_online))
        r = makeError("workspace.offline",
                      tr("%1: the workspace does not answer, so the image records cannot change "
                         "now. Try again once it is back online.")
                          .arg(change.describe()));
    if (r) {
        switch (change.kind) {
        case ImageChange::Kind::Allow:
            r = ImageRecords::allow(*m_store, change.text.trimmed(), change.project, change.reason,
                                    change.expires, approvedDigest(change.text));
            break;
        case ImageChange::Kind::Revoke:
            if (auto revoked = ImageRecords::revoke(*m_store, change.id); !revoked)
                r = revoked.error();
            else
                r = change.id;
            break;
        case ImageChange::Kind::Request:
            r = ImageRecords::request(*m_store, change.text.trimmed(), change.project, change.reason);
            break;
        case ImageChange::Kind::Approve:
        case ImageChange::Kind::Deny: {
            QString digest;
            if (change.kind == ImageChange::Kind::Approve) {
                // The entry an approval adds: the one given, else the reference asked for.
                QString entry = change.text.trimmed();
                if (entry.isEmpty()) {
                    QSqlQuery q(Database::connection());
                    q.prepare(QStringLiteral("SELECT reference FROM workspace_image_requests WHERE id = ?"));
                    q.addBindValue(change.id);
                    if (q.exec() && q.next())
                        entry = q.value(0).toString();
                }
                digest = approvedDigest(entry);
            }
            r = ImageRecords::decide(*m_store, change.id, change.kind == ImageChange::Kind::Approve,
                                     change.reason, change.text.trimmed(), change.expires, digest);
        } break;
        case ImageChange::Kind::SetGate: {
            GateSetting setting;
            setting.project = change.project;
            setting.threshold = change.text.isEmpty() ? std::nullopt : severityFromText(change.text);
            setting.blockUnscanned = change.blockUnscanned;
            setting.comment = change.reason;
            if (auto set = ImageRecords::setGate(*m_store, setting); !set)
                r = set.error();
            break;
        }
        case ImageChange::Kind::GrantException: {
            CveException e;
            e.cve = change.text;
            e.image = change.image;
            e.project = change.project;
            e.reason = change.reason;
            e.expiresAt = change.expires;
            r = ImageRecords::grantException(*m_store, e);
            break;
        }
        case ImageChange::Kind::RevokeException:
            if (auto revoked = ImageRecords::revokeException(*m_store, change.id); !revoked)
                r = revoked.error();
            else
                r = change.id;
            break;
        }
    }
    if (auto audited = AuditLog::record(imageChangeEvent(change, m_login, m_address, r)); !audited)
        qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    if (!r)
        qCWarning(lcWorkspace).noquote() << r.message();
    return r;
}

void WorkspaceService::openDemo(const QString &path)
{
    // The demo team as the cache's copy has it (services/store/demoworkspace.cpp seeds it).
    QSqlQuery q(Database::connection());
    if (q.exec(QStringLiteral("SELECT address, desktop_id, login FROM workspace_state WHERE id = 1")) &&
        q.next()) {
        m_demoAddress = q.value(0).toString();
        m_desktopId = q.value(1).toString();
        m_shownKind = QStringLiteral("team");
        return openLocal(path, q.value(2).toString());
    }
    openLocal(path, QStringLiteral("alice"));
}

Result<void> WorkspaceService::seedDemoStore()
{
    QSqlDatabase store = m_store->db();
    QSqlQuery count(store);
    if (!count.exec(QStringLiteral("SELECT COUNT(*) FROM people")) || !count.next())
        return Database::describe(count.lastError(), tr("Reading the demo workspace"));
    if (count.value(0).toInt() > 1)
        return {}; // seeded on an earlier start, and perhaps changed since: kept
    QSqlQuery people(Database::connection());
    QSqlQuery grants(Database::connection());
    if (!people.exec(QStringLiteral(
            "SELECT login, email, display_name, role, active, github_login, "
            "created_at, last_seen_at, json_object('harbor', harbor_user, 'litellm', "
            "litellm_user, 'oidc', oidc_subject) FROM workspace_people ORDER BY role DESC, login")) ||
        !grants.exec(QStringLiteral("SELECT subject_kind, subject, action, scope, effect, granted_by FROM "
                                    "workspace_grants ORDER BY id")))
        return Database::describe(people.lastError(), tr("Reading the demo team"));
    if (!store.transaction())
        return Database::describe(store.lastError(), tr("Seeding the demo workspace"));
    QSqlQuery in(store);
    in.prepare(QStringLiteral(
        "INSERT INTO people (login, email, display_name, role, active, github_login, created_at, "
        "last_seen_at, identities) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (login) DO UPDATE SET email = "
        "excluded.email, display_name = excluded.display_name, github_login = excluded.github_login, "
        "last_seen_at = excluded.last_seen_at, identities = excluded.identities"));
    while (people.next()) {
        for (int c = 0; c < 9; ++c)
            in.bindValue(c, people.value(c));
        if (!in.exec()) {
            store.rollback();
            return WorkspaceStore::refusal(in.lastError(), tr("Seeding the demo workspace"));
        }
    }
    in.prepare(QStringLiteral("INSERT OR IGNORE INTO grants (subject_kind, subject, action, scope, effect, "
                              "granted_by, created_at) VALUES (?,?,?,?,?,?,?)"));
    while (grants.next()) {
        for (int c = 0; c < 6; ++c)
            in.bindValue(c, grants.value(c));
        in.bindValue(6, toStoredTime(QDateTime::currentDateTimeUtc()));
        if (!in.exec()) {
            store.rollback();
            return WorkspaceStore::refusal(in.lastError(), tr("Seeding the demo workspace"));
        }
    }
    if (auto images = seedDemoImages(store); !images) {
        store.rollback();
        return images;
    }
    if (!store.commit())
        return Database::describe(store.lastError(), tr("Seeding the demo workspace"));
    return {};
}

Result<void> WorkspaceService::seedDemoImages(QSqlDatabase store)
{
    // The demo team's projects, allowlist and requests, as the demo's cache has them.
    QSqlQuery from(Database::connection());
    QSqlQuery in(store);
    const auto fail = [](const QSqlQuery &q) {
        return WorkspaceStore::refusal(q.lastError(), tr("Seeding the demo workspace"));
    };
    if (!from.exec(QStringLiteral("SELECT name, managers, members FROM workspace_projects")))
        return fail(from);
    while (from.next()) {
        in.prepare(QStringLiteral(
            "INSERT OR IGNORE INTO projects (name, created_by, created_at) VALUES (?, 'alice', ?)"));
        in.addBindValue(from.value(0));
        in.addBindValue(toStoredTime(QDateTime::currentDateTimeUtc()));
        if (!in.exec())
            return fail(in);
        for (const auto &[column, role] :
             {std::pair{1, QStringLiteral("manager")}, std::pair{2, QStringLiteral("member")}})
            for (const QJsonValue &login :
                 QJsonDocument::fromJson(from.value(column).toString().toUtf8()).array()) {
                in.prepare(QStringLiteral("INSERT OR IGNORE INTO project_members (project_id, login, role) "
                                          "SELECT id, ?, ? FROM projects WHERE name = ?"));
                in.addBindValue(login.toString());
                in.addBindValue(role);
                in.addBindValue(from.value(0));
                if (!in.exec())
                    return fail(in);
            }
    }
    // Rows of one table of the copy into the store's table, column for column.
    const auto copyRows = [&](const QString &select, const QString &insert) -> Result<void> {
        if (!from.exec(select))
            return fail(from);
        in.prepare(insert);
        while (from.next()) {
            for (int c = 0; c < from.record().count(); ++c)
                in.bindValue(c, from.value(c));
            if (!in.exec())
                return fail(in);
        }
        return {};
    };
    const std::pair<QString, QString> tables[] = {
        {QStringLiteral("SELECT id, entry, project, reason, added_by, added_at, nullif(expires_at, ''), "
                        "approved_digest FROM workspace_image_allowlist ORDER BY id"),
         QStringLiteral(
             "INSERT OR IGNORE INTO image_allowlist (id, entry, project, reason, added_by, added_at, "
             "expires_at, approved_digest) VALUES (?,?,?,?,?,?,?,?)")},
        {QStringLiteral("SELECT id, reference, project, reason, requested_by, requested_at, state, "
                        "decided_by, nullif(decided_at, ''), answer, nullif(entry_id, 0) FROM "
                        "workspace_image_requests ORDER BY id"),
         QStringLiteral("INSERT OR IGNORE INTO image_requests (id, reference, project, reason, requested_by, "
                        "requested_at, state, decided_by, decided_at, answer, entry_id) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?)")},
        {QStringLiteral("SELECT project, threshold, block_unscanned, comment, updated_by, updated_at FROM "
                        "workspace_image_gate"),
         QStringLiteral("INSERT OR IGNORE INTO image_gate (project, threshold, block_unscanned, comment, "
                        "updated_by, updated_at) VALUES (?,?,?,?,?,?)")},
        {QStringLiteral("SELECT id, cve, image, project, reason, granted_by, granted_at, expires_at FROM "
                        "workspace_cve_exceptions ORDER BY id"),
         QStringLiteral("INSERT OR IGNORE INTO image_cve_exceptions (id, cve, image, project, reason, "
                        "granted_by, granted_at, expires_at) VALUES (?,?,?,?,?,?,?,?)")},
        // The demo proxy's budget records (services/store/demobudgets.cpp).
        {QStringLiteral(
             "SELECT connection, scope_kind, scope_id, item, value, comment, updated_by, updated_at "
             "FROM workspace_budget_policies ORDER BY id"),
         QStringLiteral(
             "INSERT OR IGNORE INTO budget_policies (connection, scope_kind, scope_id, item, value, "
             "comment, updated_by, updated_at) VALUES (?,?,?,?,?,?,?,?)")},
        {QStringLiteral("SELECT connection, team_id, group_name, updated_by, updated_at FROM "
                        "workspace_budget_groups"),
         QStringLiteral("INSERT OR IGNORE INTO budget_groups (connection, team_id, group_name, updated_by, "
                        "updated_at) VALUES (?,?,?,?,?)")},
        {QStringLiteral("SELECT connection, organization_id, factor, comment, updated_by, updated_at FROM "
                        "workspace_budget_credits"),
         QStringLiteral("INSERT OR IGNORE INTO budget_credits (connection, organization_id, factor, comment, "
                        "updated_by, updated_at) VALUES (?,?,?,?,?,?)")},
        {QStringLiteral(
             "SELECT id, connection, organization_id, nullif(period_start, ''), period_end, budget, "
             "spend, overflow, settled_amount, reference, comment, settled_by, nullif(settled_at, ''), "
             "recorded_at FROM workspace_budget_overflow ORDER BY id"),
         QStringLiteral(
             "INSERT OR IGNORE INTO budget_overflow (id, connection, organization_id, period_start, "
             "period_end, budget, spend, overflow, settled_amount, reference, comment, settled_by, "
             "settled_at, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")},
    };
    for (const auto &[select, insert] : tables)
        if (auto copied = copyRows(select, insert); !copied)
            return copied;
    return {};
}

} // namespace opsdeck

namespace opsdeck {

void WorkspaceService::setIntroductionDone(bool done)
{
    const Result<void> r =
        m_store && m_online ? m_store->setIntroductionDone(done)
                            : Result<void>(makeError("workspace.offline",
                                                     tr("The workspace does not answer, so the introduction "
                                                        "cannot be recorded now.")));
    if (r)
        syncTables({QStringLiteral("people")});
    else
        qCWarning(lcWorkspace).noquote() << r.message();
    emit introductionRecorded(bool(r), r ? QString() : r.message());
}

bool WorkspaceService::sendPendingPolicies()
{
    if (!m_store || !m_online)
        return false;
    struct Pending
    {
        qint64 connectionId;
        QString connection;
        QString policy;
        QString savedAt;
    };
    QList<Pending> pending;
    {
        QSqlQuery q(Database::connection());
        if (!q.exec(
                QStringLiteral("SELECT c.id, c.name, p.policy_json, p.updated_at FROM runner_policies p JOIN "
                               "connections c ON c.id = p.connection_id WHERE p.pending = 1"))) {
            qCWarning(lcWorkspace).noquote()
                << "cannot read the label policies saved here:" << q.lastError().text();
            return false;
        }
        while (q.next())
            pending << Pending{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                               q.value(3).toString()};
    }
    bool sent = false;
    for (const Pending &p : std::as_const(pending)) {
        const Result<void> r = m_store->saveRunnerPolicy(p.connection, p.policy);
        if (!r && r.error().code != QLatin1String("workspace.denied")) {
            qCWarning(lcWorkspace).noquote() << "a label policy waits for the workspace:" << r.message();
            continue; // offline or failing: it stays pending and goes with the next exchange
        }
        if (!r) {
            // The store's last word: the change is given up here, and the workspace's policy applies.
            AuditEvent e;
            e.system = QStringLiteral("github");
            e.action = AuditAction::policyUpdate;
            e.connectionId = p.connectionId;
            e.backendIdentity = m_login;
            e.targetKind = QStringLiteral("label-policy");
            e.targetName = p.connection;
            e.outcome = AuditOutcome::Failure;
            e.details =
                QJsonObject{{QStringLiteral("workspace"), m_address}, {QStringLiteral("error"), r.message()}};
            if (auto audited = AuditLog::record(e); !audited)
                qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
            qCWarning(lcWorkspace).noquote() << r.message();
        }
        CacheTransaction tx;
        if (!tx.begin())
            continue;
        QSqlQuery done(tx.db());
        done.prepare(QStringLiteral("UPDATE runner_policies SET pending = 0 WHERE connection_id = ? AND "
                                    "updated_at = ? AND pending = 1"));
        done.addBindValue(p.connectionId);
        done.addBindValue(p.savedAt); // a newer change made meanwhile stays pending
        if (done.exec())
            tx.touch(Tables::runnerPolicies, p.connectionId);
        (void)tx.commit();
        sent = sent || r;
    }
    return sent || !pending.isEmpty();
}

bool WorkspaceService::recordOwnedRunners()
{
    if (!m_store || !m_online || m_login.isEmpty())
        return false;
    QList<RunnerOwner> missing;
    {
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral(
            "SELECT c.name, p.runner_id, p.mode FROM runner_provisioning p JOIN connections c ON c.id = "
            "p.connection_id WHERE p.runner_id > 0 AND p.requested_by = ? AND NOT EXISTS (SELECT 1 FROM "
            "workspace_runner_owners o WHERE o.connection = c.name AND o.runner = CAST(p.runner_id AS "
            "TEXT))"));
        q.addBindValue(m_login);
        if (!q.exec()) {
            qCWarning(lcWorkspace).noquote()
                << "cannot read the runners provisioned here:" << q.lastError().text();
            return false;
        }
        while (q.next())
            missing << RunnerOwner{q.value(0).toString(),
                                   q.value(1).toString(),
                                   m_login,
                                   q.value(2).toString() == QLatin1String("jit")
                                       ? QStringLiteral("jit")
                                       : QStringLiteral("registration"),
                                   {}};
    }
    if (missing.isEmpty())
        return false;
    if (auto r = m_store->recordRunnerOwners(missing); !r) {
        qCWarning(lcWorkspace).noquote() << r.message();
        return false;
    }
    return true;
}

} // namespace opsdeck

namespace opsdeck {

void WorkspaceService::signOffReview(const QString &comment, const QList<ReviewDecision> &decisions,
                                     const QString &requestId)
{
    Result<qint64> r =
        Result<qint64>(makeError("workspace.offline", tr("The workspace does not answer, so the "
                                                         "review cannot be signed off now.")));
    if (auto valid = validateReview(comment, decisions); !valid)
        r = valid.error();
    else if (m_store && m_online)
        r = checkActing(Database::connection(), QStringLiteral("user.manage"),
                        QStringLiteral("role:superuser"))
                ? AccessReviewStore::signOff(*m_store, comment, decisions)
                : Result<qint64>(
                      makeError("permission.denied", tr("Only a superuser signs off an access review.")));
    // Each decision, then the sign-off, in the audit log.
    const auto record = [this](AuditEvent e) {
        e.system = QStringLiteral("opsdeck");
        e.action = AuditAction::userReview;
        e.backendIdentity = m_login;
        if (auto audited = AuditLog::record(e); !audited)
            qCWarning(lcWorkspace).noquote() << "cannot write the audit log:" << audited.message();
    };
    if (r)
        for (const ReviewDecision &d : decisions) {
            AuditEvent e;
            e.targetKind =
                d.kind == ReviewDecision::Kind::Role ? QStringLiteral("person") : QStringLiteral("grant");
            e.targetId = d.kind == ReviewDecision::Kind::Role ? d.person : QString::number(d.grantId);
            e.targetName = d.person;
            e.comment = d.comment;
            e.details = QJsonObject{
                {QStringLiteral("review"), r.value()},
                {QStringLiteral("what"), d.what},
                {QStringLiteral("decision"), d.revoke ? QStringLiteral("revoke") : QStringLiteral("keep")}};
            record(e);
        }
    AuditEvent signOff;
    signOff.targetKind = QStringLiteral("review");
    signOff.targetId = r ? QString::number(r.value()) : QString();
    signOff.targetName = tr("access review");
    signOff.comment = comment;
    signOff.outcome = r ? AuditOutcome::Success : AuditOutcome::Failure;
    int revoked = 0;
    for (const ReviewDecision &d : decisions)
        revoked += d.revoke;
    signOff.details = QJsonObject{{QStringLiteral("decisions"), int(decisions.size())},
                                  {QStringLiteral("revoked"), revoked}};
    if (!r)
        signOff.details.insert(QStringLiteral("error"), r.message());
    record(signOff);
    if (!r) {
        qCWarning(lcWorkspace).noquote() << r.message();
        return emit reviewFinished(requestId, false, r.message());
    }
    sync();
    emit reviewFinished(
        requestId, true,
        tr("Review %1 signed off: %n item(s) decided, %2 revoked.", nullptr, int(decisions.size()))
            .arg(r.value())
            .arg(revoked));
}

} // namespace opsdeck
