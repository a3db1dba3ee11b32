// An access review: everyone's role and every grant, each kept or revoked with a comment, then
// signed off by a superuser. Pure: the items from the copy, what makes a review valid, and the
// decisions as the store records them. Revoking a role makes an admin or superuser a user and
// deactivates a user; revoking a grant deletes it.
#pragma once

#include "models/core/result.h"
#include "models/workspace/permissions.h"

#include <QMetaType>

namespace opsdeck {

struct ReviewDecision
{
    enum class Kind { Role, Grant };
    Kind kind = Kind::Role;
    QString person;     // Role: the person; Grant: the grant's subject ("role admin", "person bob")
    qint64 grantId = 0; // Grant
    QString what;       // "admin", or the grant as people read it
    bool revoke = false;
    QString comment; // required to revoke
};

// Each person's role (by login), then each grant (by id).
QList<ReviewDecision> reviewItems(const QList<WorkspacePerson> &people, const QList<WorkspaceGrant> &grants);
// "review.invalid": no comment for the review, or a revocation without one, or nothing to decide.
Result<void> validateReview(const QString &comment, const QList<ReviewDecision> &decisions);
// [{"kind", "person", "grant_id", "what", "decision", "comment"}], as the store keeps them.
QString decisionsJson(const QList<ReviewDecision> &decisions);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::ReviewDecision)
