// A change to the image records that a person asks for in the Images pane: add an allowlist entry,
// revoke one, ask for an image, approve or deny a request. Pure: what it says and how it is audited.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace opsdeck {

struct ImageChange
{
    // SetGate: the vulnerability gate of the workspace or a project; GrantException and
    // RevokeException: a CVE exception (models/images/vulngate.h).
    enum class Kind { Allow, Revoke, Request, Approve, Deny, SetGate, GrantException, RevokeException };
    Kind kind = Kind::Allow;
    qint64 id = 0;   // Revoke: the entry; Approve/Deny: the request; RevokeException: the exception
    QString text;    // Allow: the entry; Request: the reference; Approve: the entry to add (empty: as asked);
                     // SetGate: the threshold (empty: none); GrantException: the CVE
    QString image;   // GrantException: the images covered, as an allowlist entry (empty: the project's)
    QString project; // empty: global
    QString reason;  // Allow/Request/GrantException: why; the others: the comment
    bool blockUnscanned = false; // SetGate
    QDateTime expires;           // Allow/Approve: optional; GrantException: required
    QString describe() const;    // "allow nginx:1.27 (global)", "deny request 4"
    QString auditAction() const;
};

// Everything a person can get wrong before the store is asked: an entry or reference that is no
// such thing, an empty reason, an expiry in the past.
Result<void> validateImageChange(const ImageChange &change, const QDateTime &now);

// The audit event of a change made (id: the entry or request it made or touched) or refused.
AuditEvent imageChangeEvent(const ImageChange &change, const QString &actor, const QString &workspace,
                            const Result<qint64> &outcome);

// The image.allow event of one entry added (or refused) by a bulk import or the command line;
// source: the file or "pasted" it came from (empty: none).
AuditEvent allowedEntryEvent(const QString &entry, const QString &project, const QString &reason,
                             const QString &actor, const QString &workspace, const Result<qint64> &outcome,
                             const QString &source = {});

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::ImageChange)
