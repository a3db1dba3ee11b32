// The image allowlist's records in the workspace store (schema 7): projects with their managers
// and members, allowlist entries, and requests with their answers. On a team store every change
// goes through the store's functions (opsdeck_image_allow, _revoke, _request, _decide,
// opsdeck_project_save, _member_set), which decide as the login signed in; on the local store the
// same rules as plain statements, for its one admin. Entries are checked and normalised here
// (models/images/allowlist.h) before the store sees them.
#pragma once

#include "models/core/result.h"
#include "models/images/allowimport.h"
#include "models/images/vulngate.h"
#include "services/workspace/workspacestore.h"

#include <QDateTime>
#include <QSqlDatabase>

#include <optional>

namespace opsdeck::ImageRecords {

struct StoredEntry
{
    qint64 id = 0;
    QString entry;   // AllowEntry::text()
    QString project; // empty: global
    QString reason;
    QString addedBy;
    QString addedAt;   // UTC, ISO 8601
    QString expiresAt; // UTC, ISO 8601, or empty: never
    QString approvedDigest;
};

struct StoredRequest
{
    qint64 id = 0;
    QString reference;
    QString project;
    QString reason;
    QString requestedBy;
    QString requestedAt;
    QString state; // pending, approved, denied
    QString decidedBy;
    QString decidedAt;
    QString answer;
    qint64 entryId = 0;
};

struct StoredProject
{
    QString name;
    QStringList managers;
    QStringList members;
};

// A project by name (lower-case letters, digits, '.', '_', '-'); its id. Admins and superusers.
Result<qint64> saveProject(const WorkspaceStore &store, const QString &name);
// role: manager or member; empty takes the person out of the project.
Result<void> setMember(const WorkspaceStore &store, const QString &project, const QString &login,
                       const QString &role);
// Adds an entry (its text as written; checked and normalised first); its id. "image.entry" for
// text that is no entry; "workspace.denied" when the person may not; "workspace.exists" when the
// same entry is there for that project already.
Result<qint64> allow(const WorkspaceStore &store, const QString &entryText, const QString &project,
                     const QString &reason, const QDateTime &expires = {}, const QString &digest = {});
Result<void> revoke(const WorkspaceStore &store, qint64 id);
// Several entries (text, reason) for one project in one transaction: all added, or none (the error
// names the entry that could not be). Their ids, in order.
Result<QList<qint64>> allowAll(const WorkspaceStore &store, const QList<std::pair<QString, QString>> &entries,
                               const QString &project, const QDateTime &expires = {});
// A bulk import (models/images/allowimport.h) planned against the store's entries of project and,
// when given, the synced registries.
Result<QList<ImportLine>> planImportFor(const WorkspaceStore &store, const QString &content,
                                        const QString &project, const QString &defaultReason,
                                        const RegistryIndex *registries);
// Every new line of plan in one transaction, or none: "image.import" when a line is invalid or not
// found (nothing is asked of the store then). The ids of the new lines' entries, in the plan's order.
Result<QList<qint64>> applyImport(const WorkspaceStore &store, const QList<ImportLine> &plan,
                                  const QString &project, const QDateTime &expires = {});
// Asks for an image (a reference, checked); the request's id.
Result<qint64> request(const WorkspaceStore &store, const QString &reference, const QString &project,
                       const QString &reason);
// Approves (adding the entry for the request's reference, or entryText when given: a tag pattern
// instead of the exact tag, say) or denies, with an answer; the new entry's id when approved.
// "workspace.exists" when the request was decided already.
// digest: what an exact tag entry's tag points to now in a synced registry (kept as approved).
Result<qint64> decide(const WorkspaceStore &store, qint64 id, bool approve, const QString &answer,
                      const QString &entryText = {}, const QDateTime &expires = {},
                      const QString &digest = {});

// The vulnerability gate (schema 8): a setting for the workspace (project empty) or a project, and
// CVE exceptions (checked first: models/images/vulngate.h) with their ids.
Result<void> setGate(const WorkspaceStore &store, const GateSetting &setting);
Result<qint64> grantException(const WorkspaceStore &store, const CveException &exception);
Result<void> revokeException(const WorkspaceStore &store, qint64 id);

Result<QList<StoredEntry>> entries(const WorkspaceStore &store);
Result<QList<GateSetting>> gateSettings(const WorkspaceStore &store);
Result<QList<CveException>> exceptions(const WorkspaceStore &store);
Result<QList<StoredRequest>> requests(const WorkspaceStore &store);
Result<QList<StoredProject>> projects(const WorkspaceStore &store);

// What the workspace service copies into the cache (workspace_projects, workspace_image_allowlist,
// workspace_image_requests, workspace_image_gate, workspace_cve_exceptions), each list replacing its table;
// inside the caller's cache transaction.
struct Copy
{
    std::optional<QList<StoredEntry>> entries; // none: that table is not rewritten
    std::optional<QList<StoredRequest>> requests;
    std::optional<QList<StoredProject>> projects;
    std::optional<QList<GateSetting>> gate;
    std::optional<QList<CveException>> exceptions;
};
Result<void> writeCopy(QSqlDatabase cache, const Copy &copy);

} // namespace opsdeck::ImageRecords
