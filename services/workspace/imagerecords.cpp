#include "services/workspace/imagerecords.h"

#include "models/images/allowlist.h"
#include "models/store/database.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>

namespace opsdeck::ImageRecords {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ImageRecords)
};

bool team(const WorkspaceStore &store)
{
    return store.kind() == WorkspaceStore::Kind::Team;
}

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString timeText(const QVariant &v)
{
    if (v.isNull())
        return QStringLiteral("");
    if (v.metaType().id() == QMetaType::QDateTime)
        return v.toDateTime().toUTC().toString(Qt::ISODateWithMs);
    return v.toString();
}

Result<void> checkReason(const QString &reason, const QString &what)
{
    if (reason.trimmed().isEmpty())
        return makeError("image.reason", Tr::tr("Say why %1: the reason is kept with it.").arg(what));
    if (reason.size() > 2000)
        return makeError("image.reason", Tr::tr("The reason is longer than 2,000 characters."));
    return {};
}

Result<void> checkProject(const QString &project)
{
    static const QRegularExpression name(QStringLiteral("\\A[a-z0-9][a-z0-9_.-]{0,62}\\z"));
    if (!project.isEmpty() && !name.match(project).hasMatch())
        return makeError("image.project",
                         Tr::tr("\"%1\" is not a project name: lower-case letters, digits, '.', "
                                "'_' and '-', at most 63.")
                             .arg(project));
    return {};
}

// The local store: the project must exist (the team store's functions say the same).
Result<void> projectExists(const WorkspaceStore &store, const QString &project)
{
    if (project.isEmpty())
        return {};
    QSqlQuery q(store.db());
    q.prepare(QStringLiteral("SELECT 1 FROM projects WHERE name = ?"));
    q.addBindValue(project);
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Reading the projects"));
    if (!q.next())
        return makeError("workspace.no-project",
                         Tr::tr("There is no project %1 in this workspace.").arg(project));
    return {};
}

Result<QString> normalisedEntry(const QString &entryText)
{
    const auto e = parseAllowEntry(entryText);
    if (!e)
        return e.error();
    return e->text();
}

// A refusal in the store's words, with "no project" and "no request" said plainly.
Error refused(const QSqlError &error, const QString &what)
{
    if (error.nativeErrorCode() == QLatin1String("P0002"))
        return makeError("workspace.no-record",
                         Tr::tr("%1: %2").arg(what, error.databaseText().section(QLatin1Char('\n'), 0, 0)));
    return WorkspaceStore::refusal(error, what);
}
} // namespace

Result<qint64> saveProject(const WorkspaceStore &store, const QString &name)
{
    if (name.isEmpty())
        return makeError("image.project", Tr::tr("A project needs a name."));
    if (auto valid = checkProject(name); !valid)
        return valid.error();
    const QString what = Tr::tr("Saving the project %1").arg(name);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_project_save(?)"));
        q.addBindValue(name);
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toLongLong();
    }
    const auto me = store.actingLogin();
    if (!me)
        return me.error();
    q.prepare(QStringLiteral(
        "INSERT INTO projects (name, created_by, created_at) VALUES (?, ?, ?) ON CONFLICT (name) "
        "DO UPDATE SET name = excluded.name RETURNING id"));
    q.addBindValue(name);
    q.addBindValue(me.value());
    q.addBindValue(now());
    if (!q.exec() || !q.next())
        return refused(q.lastError(), what);
    return q.value(0).toLongLong();
}

Result<void> setMember(const WorkspaceStore &store, const QString &project, const QString &login,
                       const QString &role)
{
    if (!role.isEmpty() && role != QLatin1String("manager") && role != QLatin1String("member"))
        return makeError("image.project",
                         Tr::tr("\"%1\" is not a project role: manager or member.").arg(role));
    const QString what = role.isEmpty() ? Tr::tr("Taking %1 out of project %2").arg(login, project)
                                        : Tr::tr("Making %1 a %2 of project %3").arg(login, role, project);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_project_member_set(?, ?, ?)"));
        q.addBindValue(project);
        q.addBindValue(login);
        q.addBindValue(role.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(role));
        if (!q.exec())
            return refused(q.lastError(), what);
        return {};
    }
    if (auto exists = projectExists(store, project); !exists)
        return exists.error();
    if (auto person = store.person(login); !person)
        return person.error();
    if (role.isEmpty()) {
        q.prepare(QStringLiteral("DELETE FROM project_members WHERE project_id = (SELECT id FROM projects "
                                 "WHERE name = ?) AND login = ?"));
        q.addBindValue(project);
        q.addBindValue(login);
    } else {
        q.prepare(
            QStringLiteral("INSERT INTO project_members (project_id, login, role) VALUES ((SELECT id FROM "
                           "projects WHERE name = ?), ?, ?) ON CONFLICT (project_id, login) DO UPDATE SET "
                           "role = excluded.role"));
        q.addBindValue(project);
        q.addBindValue(login);
        q.addBindValue(role);
    }
    if (!q.exec())
        return refused(q.lastError(), what);
    return {};
}

Result<qint64> allow(const WorkspaceStore &store, const QString &entryText, const QString &project,
                     const QString &reason, const QDateTime &expires, const QString &digest)
{
    const auto entry = normalisedEntry(entryText);
    if (!entry)
        return entry.error();
    if (auto valid = checkProject(project); !valid)
        return valid.error();
    if (auto valid = checkReason(reason, Tr::tr("%1 is allowed").arg(entry.value())); !valid)
        return valid.error();
    const QString what = project.isEmpty() ? Tr::tr("Allowing %1").arg(entry.value())
                                           : Tr::tr("Allowing %1 in project %2").arg(entry.value(), project);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_image_allow(?, ?, ?, ?, ?)"));
        q.addBindValue(entry.value());
        q.addBindValue(text(project));
        q.addBindValue(reason.trimmed());
        q.addBindValue(store.timeValue(expires));
        q.addBindValue(text(digest));
    } else {
        if (auto exists = projectExists(store, project); !exists)
            return exists.error();
        const auto me = store.actingLogin();
        if (!me)
            return me.error();
        q.prepare(QStringLiteral(
            "INSERT INTO image_allowlist (entry, project, reason, added_by, added_at, expires_at, "
            "approved_digest) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
        q.addBindValue(entry.value());
        q.addBindValue(text(project));
        q.addBindValue(reason.trimmed());
        q.addBindValue(me.value());
        q.addBindValue(now());
        q.addBindValue(store.timeValue(expires));
        q.addBindValue(text(digest));
    }
    if (!q.exec() || !q.next()) {
        const Error e = refused(q.lastError(), what);
        if (e.code == QLatin1String("workspace.exists"))
            return makeError("workspace.exists", Tr::tr("%1: it is on the allowlist already.").arg(what));
        return e;
    }
    return q.value(0).toLongLong();
}

Result<QList<qint64>> allowAll(const WorkspaceStore &store, const QList<std::pair<QString, QString>> &entries,
                               const QString &project, const QDateTime &expires)
{
    QSqlDatabase db = store.db();
    if (!db.transaction())
        return Database::describe(db.lastError(), Tr::tr("Starting the import"));
    QList<qint64> ids;
    for (const auto &[entry, reason] : entries) {
        const auto id = allow(store, entry, project, reason, expires);
        if (!id) {
            db.rollback();
            return id.error();
        }
        ids << id.value();
    }
    if (!db.commit()) {
        const Error e = Database::describe(db.lastError(), Tr::tr("Finishing the import"));
        db.rollback();
        return e;
    }
    return ids;
}

Result<QList<ImportLine>> planImportFor(const WorkspaceStore &store, const QString &content,
                                        const QString &project, const QString &defaultReason,
                                        const RegistryIndex *registries)
{
    const auto stored = entries(store);
    if (!stored)
        return stored.error();
    QSet<QString> existing;
    for (const StoredEntry &e : stored.value())
        if (e.project == project)
            existing.insert(e.entry);
    return planImport(content, existing, defaultReason, registries);
}

Result<QList<qint64>> applyImport(const WorkspaceStore &store, const QList<ImportLine> &plan,
                                  const QString &project, const QDateTime &expires)
{
    QList<std::pair<QString, QString>> toAdd;
    int refused = 0;
    for (const ImportLine &l : plan) {
        if (l.state == ImportLine::State::Invalid || l.state == ImportLine::State::NotFound)
            ++refused;
        else if (l.state == ImportLine::State::New)
            toAdd << std::pair{l.entry, l.reason};
    }
    if (refused)
        return makeError(
            "image.import",
            Tr::tr("%n line(s) cannot be imported; nothing was changed. Correct them and import again.",
                   nullptr, refused));
    return allowAll(store, toAdd, project, expires);
}

Result<void> revoke(const WorkspaceStore &store, qint64 id)
{
    const QString what = Tr::tr("Removing allowlist entry %1").arg(id);
    QSqlQuery q(store.db());
    q.prepare(team(store) ? QStringLiteral("SELECT opsdeck_image_revoke(?)")
                          : QStringLiteral("DELETE FROM image_allowlist WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return refused(q.lastError(), what);
    if (!team(store) && q.numRowsAffected() == 0)
        return makeError("workspace.no-record",
                         Tr::tr("%1: there is no such entry (removed already?).").arg(what));
    return {};
}

Result<qint64> request(const WorkspaceStore &store, const QString &reference, const QString &project,
                       const QString &reason)
{
    const auto ref = parseImageReference(reference);
    if (!ref)
        return ref.error();
    const QString image = normalizeImage(ref.value()).toString();
    if (auto valid = checkProject(project); !valid)
        return valid.error();
    if (auto valid = checkReason(reason, Tr::tr("you ask for %1").arg(image)); !valid)
        return valid.error();
    const QString what = Tr::tr("Asking for %1").arg(image);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_image_request(?, ?, ?)"));
        q.addBindValue(image);
        q.addBindValue(text(project));
        q.addBindValue(reason.trimmed());
    } else {
        if (auto exists = projectExists(store, project); !exists)
            return exists.error();
        const auto me = store.actingLogin();
        if (!me)
            return me.error();
        q.prepare(QStringLiteral(
            "INSERT INTO image_requests (reference, project, reason, requested_by, requested_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id"));
        q.addBindValue(image);
        q.addBindValue(text(project));
        q.addBindValue(reason.trimmed());
        q.addBindValue(me.value());
        q.addBindValue(now());
    }
    if (!q.exec() || !q.next())
        return refused(q.lastError(), what);
    return q.value(0).toLongLong();
}

Result<qint64> decide(const WorkspaceStore &store, qint64 id, bool approve, const QString &answer,
                      const QString &entryText, const QDateTime &expires, const QString &digest)
{
    const QString what =
        approve ? Tr::tr("Approving image request %1").arg(id) : Tr::tr("Denying image request %1").arg(id);
    if (answer.trimmed().isEmpty())
        return makeError("image.reason",
                         Tr::tr("%1: answer the requester; the answer is kept with the request.").arg(what));
    // What the request asks for, for the entry an approval adds.
    QString reference;
    QString state;
    QString decidedBy;
    {
        QSqlQuery r(store.db());
        r.prepare(QStringLiteral("SELECT reference, state, decided_by FROM image_requests WHERE id = ?"));
        r.addBindValue(id);
        if (!r.exec())
            return refused(r.lastError(), what);
        if (!r.next())
            return makeError("workspace.no-record", Tr::tr("%1: there is no such request.").arg(what));
        reference = r.value(0).toString();
        state = r.value(1).toString();
        decidedBy = r.value(2).toString();
    }
    QString entry;
    if (approve) {
        const auto normalised = normalisedEntry(entryText.isEmpty() ? reference : entryText);
        if (!normalised)
            return normalised.error();
        entry = normalised.value();
    }
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_image_decide(?, ?, ?, ?, ?, ?)"));
        q.addBindValue(id);
        q.addBindValue(approve);
        q.addBindValue(answer.trimmed());
        q.addBindValue(text(entry));
        q.addBindValue(store.timeValue(expires));
        q.addBindValue(text(digest));
        if (!q.exec() || !q.next())
            return refused(q.lastError(), what);
        return q.value(0).toLongLong();
    }
    if (state != QLatin1String("pending"))
        return makeError("workspace.exists",
                         Tr::tr("%1: it was %2 already by %3.").arg(what, state, decidedBy));
    const auto me = store.actingLogin();
    if (!me)
        return me.error();
    QSqlDatabase db = store.db();
    if (!db.transaction())
        return Database::describe(db.lastError(), what);
    qint64 entryId = 0;
    if (approve) {
        q.prepare(QStringLiteral("INSERT INTO image_allowlist (entry, project, reason, added_by, added_at, "
                                 "expires_at, approved_digest) "
                                 "SELECT ?, project, reason || ' (requested by ' || requested_by || ')', ?, "
                                 "?, ?, ? FROM image_requests "
                                 "WHERE id = ? ON CONFLICT (entry, project) DO UPDATE SET expires_at = "
                                 "excluded.expires_at RETURNING id"));
        q.addBindValue(entry);
        q.addBindValue(me.value());
        q.addBindValue(now());
        q.addBindValue(store.timeValue(expires));
        q.addBindValue(text(digest));
        q.addBindValue(id);
        if (!q.exec() || !q.next()) {
            const Error e = refused(q.lastError(), what);
            db.rollback();
            return e;
        }
        entryId = q.value(0).toLongLong();
        q.finish();
    }
    q.prepare(
        QStringLiteral("UPDATE image_requests SET state = ?, decided_by = ?, decided_at = ?, answer = ?, "
                       "entry_id = ? WHERE id = ?"));
    q.addBindValue(approve ? QStringLiteral("approved") : QStringLiteral("denied"));
    q.addBindValue(me.value());
    q.addBindValue(now());
    q.addBindValue(answer.trimmed());
    q.addBindValue(entryId ? QVariant(entryId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(id);
    if (!q.exec() || !db.commit()) {
        const Error e = refused(q.lastError(), what);
        db.rollback();
        return e;
    }
    return entryId;
}

Result<void> setGate(const WorkspaceStore &store, const GateSetting &setting)
{
    if (auto valid = checkProject(setting.project); !valid)
        return valid.error();
    if (setting.comment.size() > 2000)
        return makeError("image.reason", Tr::tr("The comment is longer than 2,000 characters."));
    const QString what = setting.project.isEmpty()
                             ? Tr::tr("Setting the workspace's vulnerability gate")
                             : Tr::tr("Setting the vulnerability gate of project %1").arg(setting.project);
    const QString threshold = setting.threshold ? severityText(*setting.threshold) : QStringLiteral("");
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_image_gate_set(?, ?, ?, ?)"));
        q.addBindValue(text(setting.project));
        q.addBindValue(threshold);
        q.addBindValue(setting.blockUnscanned);
        q.addBindValue(text(setting.comment.trimmed()));
    } else {
        if (auto exists = projectExists(store, setting.project); !exists)
            return exists.error();
        const auto me = store.actingLogin();
        if (!me)
            return me.error();
        q.prepare(QStringLiteral(
            "INSERT INTO image_gate (project, threshold, block_unscanned, comment, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project) DO UPDATE SET threshold = excluded.threshold, "
            "block_unscanned = excluded.block_unscanned, comment = excluded.comment, updated_by = "
            "excluded.updated_by, updated_at = excluded.updated_at"));
        q.addBindValue(text(setting.project));
        q.addBindValue(threshold);
        q.addBindValue(setting.blockUnscanned ? 1 : 0);
        q.addBindValue(text(setting.comment.trimmed()));
        q.addBindValue(me.value());
        q.addBindValue(now());
    }
    if (!q.exec())
        return refused(q.lastError(), what);
    return {};
}

Result<qint64> grantException(const WorkspaceStore &store, const CveException &exception)
{
    const auto checked = checkException(exception, QDateTime::currentDateTimeUtc());
    if (!checked)
        return checked.error();
    const CveException &e = checked.value();
    if (auto valid = checkProject(e.project); !valid)
        return valid.error();
    const QString what = Tr::tr("Granting an exception for %1").arg(e.cve);
    QSqlQuery q(store.db());
    if (team(store)) {
        q.prepare(QStringLiteral("SELECT opsdeck_cve_exception_grant(?, ?, ?, ?, ?)"));
        q.addBindValue(e.cve);
        q.addBindValue(text(e.image));
        q.addBindValue(text(e.project));
        q.addBindValue(e.reason);
        q.addBindValue(store.timeValue(e.expiresAt));
    } else {
        if (auto exists = projectExists(store, e.project); !exists)
            return exists.error();
        const auto me = store.actingLogin();
        if (!me)
            return me.error();
        q.prepare(QStringLiteral("INSERT INTO image_cve_exceptions (cve, image, project, reason, granted_by, "
                                 "granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
        q.addBindValue(e.cve);
        q.addBindValue(text(e.image));
        q.addBindValue(text(e.project));
        q.addBindValue(e.reason);
        q.addBindValue(me.value());
        q.addBindValue(now());
        q.addBindValue(store.timeValue(e.expiresAt));
    }
    if (!q.exec() || !q.next())
        return refused(q.lastError(), what);
    return q.value(0).toLongLong();
}

Result<void> revokeException(const WorkspaceStore &store, qint64 id)
{
    const QString what = Tr::tr("Revoking vulnerability exception %1").arg(id);
    QSqlQuery q(store.db());
    q.prepare(team(store) ? QStringLiteral("SELECT opsdeck_cve_exception_revoke(?)")
                          : QStringLiteral("DELETE FROM image_cve_exceptions WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return refused(q.lastError(), what);
    if (!team(store) && q.numRowsAffected() == 0)
        return makeError("workspace.no-record",
                         Tr::tr("%1: there is no such exception (revoked already?).").arg(what));
    return {};
}

Result<QList<GateSetting>> gateSettings(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT project, threshold, block_unscanned, comment, updated_by, updated_at "
                               "FROM image_gate ORDER BY project")))
        return Database::describe(q.lastError(), Tr::tr("Reading the vulnerability gate"));
    QList<GateSetting> out;
    while (q.next())
        out << GateSetting{q.value(0).toString(),
                           q.value(1).toString().isEmpty() ? std::nullopt
                                                           : severityFromText(q.value(1).toString()),
                           q.value(2).toBool(),
                           q.value(3).toString(),
                           q.value(4).toString(),
                           QDateTime::fromString(timeText(q.value(5)), Qt::ISODateWithMs)};
    return out;
}

Result<QList<CveException>> exceptions(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, cve, image, project, reason, granted_by, granted_at, expires_at "
                               "FROM image_cve_exceptions ORDER BY id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the vulnerability exceptions"));
    QList<CveException> out;
    while (q.next())
        out << CveException{q.value(0).toLongLong(),
                            q.value(1).toString(),
                            q.value(2).toString(),
                            q.value(3).toString(),
                            q.value(4).toString(),
                            q.value(5).toString(),
                            QDateTime::fromString(timeText(q.value(6)), Qt::ISODateWithMs),
                            QDateTime::fromString(timeText(q.value(7)), Qt::ISODateWithMs)};
    return out;
}

Result<QList<StoredEntry>> entries(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT id, entry, project, reason, added_by, added_at, expires_at, approved_digest "
            "FROM image_allowlist ORDER BY id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the image allowlist"));
    QList<StoredEntry> out;
    while (q.next())
        out << StoredEntry{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                           q.value(3).toString(),   q.value(4).toString(), timeText(q.value(5)),
                           timeText(q.value(6)),    q.value(7).toString()};
    return out;
}

Result<QList<StoredRequest>> requests(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "SELECT id, reference, project, reason, requested_by, requested_at, state, decided_by, "
            "decided_at, answer, entry_id FROM image_requests ORDER BY id")))
        return Database::describe(q.lastError(), Tr::tr("Reading the image requests"));
    QList<StoredRequest> out;
    while (q.next())
        out << StoredRequest{q.value(0).toLongLong(), q.value(1).toString(),   q.value(2).toString(),
                             q.value(3).toString(),   q.value(4).toString(),   timeText(q.value(5)),
                             q.value(6).toString(),   q.value(7).toString(),   timeText(q.value(8)),
                             q.value(9).toString(),   q.value(10).toLongLong()};
    return out;
}

Result<void> writeCopy(QSqlDatabase cache, const Copy &copy)
{
    QSqlQuery q(cache);
    const auto fail = [&q] {
        return Database::describe(q.lastError(), Tr::tr("Copying the image records"));
    };
    if (copy.entries) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_image_allowlist")))
            return fail();
        q.prepare(
            QStringLiteral("INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, "
                           "added_at, expires_at, approved_digest) VALUES (?,?,?,?,?,?,?,?)"));
        for (const StoredEntry &e : *copy.entries) {
            q.addBindValue(e.id);
            for (const QString &s :
                 {e.entry, e.project, e.reason, e.addedBy, e.addedAt, e.expiresAt, e.approvedDigest})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.requests) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_image_requests")))
            return fail();
        q.prepare(QStringLiteral(
            "INSERT INTO workspace_image_requests (id, reference, project, reason, requested_by, "
            "requested_at, state, decided_by, decided_at, answer, entry_id) VALUES "
            "(?,?,?,?,?,?,?,?,?,?,?)"));
        for (const StoredRequest &r : *copy.requests) {
            q.addBindValue(r.id);
            for (const QString &s : {r.reference, r.project, r.reason, r.requestedBy, r.requestedAt, r.state,
                                     r.decidedBy, r.decidedAt, r.answer})
                q.addBindValue(text(s));
            q.addBindValue(r.entryId);
            if (!q.exec())
                return fail();
        }
    }
    const auto stamp = [](const QDateTime &t) {
        return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("");
    };
    if (copy.gate) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_image_gate")))
            return fail();
        q.prepare(
            QStringLiteral("INSERT INTO workspace_image_gate (project, threshold, block_unscanned, comment, "
                           "updated_by, updated_at) VALUES (?,?,?,?,?,?)"));
        for (const GateSetting &g : *copy.gate) {
            q.addBindValue(text(g.project));
            q.addBindValue(g.threshold ? severityText(*g.threshold) : QStringLiteral(""));
            q.addBindValue(g.blockUnscanned ? 1 : 0);
            for (const QString &s : {g.comment, g.updatedBy, stamp(g.updatedAt)})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.exceptions) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_cve_exceptions")))
            return fail();
        q.prepare(QStringLiteral("INSERT INTO workspace_cve_exceptions (id, cve, image, project, reason, "
                                 "granted_by, granted_at, expires_at) VALUES (?,?,?,?,?,?,?,?)"));
        for (const CveException &e : *copy.exceptions) {
            q.addBindValue(e.id);
            for (const QString &s :
                 {e.cve, e.image, e.project, e.reason, e.grantedBy, stamp(e.grantedAt), stamp(e.expiresAt)})
                q.addBindValue(text(s));
            if (!q.exec())
                return fail();
        }
    }
    if (copy.projects) {
        if (!q.exec(QStringLiteral("DELETE FROM workspace_projects")))
            return fail();
        q.prepare(QStringLiteral("INSERT INTO workspace_projects (name, managers, members) VALUES (?,?,?)"));
        const auto array = [](const QStringList &logins) {
            return QString::fromUtf8(
                QJsonDocument(QJsonArray::fromStringList(logins)).toJson(QJsonDocument::Compact));
        };
        for (const StoredProject &p : *copy.projects) {
            q.addBindValue(p.name);
            q.addBindValue(array(p.managers));
            q.addBindValue(array(p.members));
            if (!q.exec())
                return fail();
        }
    }
    return {};
}

Result<QList<StoredProject>> projects(const WorkspaceStore &store)
{
    QSqlQuery q(store.db());
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT p.name, m.login, m.role FROM projects p LEFT JOIN project_members m ON "
                           "m.project_id = p.id ORDER BY p.name, m.login")))
        return Database::describe(q.lastError(), Tr::tr("Reading the projects"));
    QList<StoredProject> out;
    while (q.next()) {
        if (out.isEmpty() || out.constLast().name != q.value(0).toString())
            out << StoredProject{q.value(0).toString(), {}, {}};
        if (q.value(1).isNull())
            continue;
        (q.value(2).toString() == QLatin1String("manager") ? out.last().managers : out.last().members)
            << q.value(1).toString();
    }
    return out;
}

} // namespace opsdeck::ImageRecords
