// What the two halves of GitHubService (githubservice.cpp: sync; githubprovisioning.cpp:
// provisioning) share and nobody else uses.
#pragma once

#include "models/audit/auditevent.h"
#include "models/connections/connection.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcGitHub)

namespace opsdeck {

// An audit event about something of this GitHub connection.
AuditEvent githubEvent(const Connection &c, const QString &action, const QString &targetKind,
                       const QString &targetId, const QString &targetName);

} // namespace opsdeck
