// Signs an access review off in a workspace store (models/workspace/accessreview.h), in one
// transaction: the revocations, the review's record and each reviewed person's reviewed_at. On a
// team store through opsdeck_review_sign_off, which only a superuser may call; on a local store the
// same, for its one admin.
#pragma once

#include "models/workspace/accessreview.h"
#include "services/workspace/workspacestore.h"

namespace opsdeck::AccessReviewStore {

// The review's id.
Result<qint64> signOff(const WorkspaceStore &store, const QString &comment,
                       const QList<ReviewDecision> &decisions);

} // namespace opsdeck::AccessReviewStore
