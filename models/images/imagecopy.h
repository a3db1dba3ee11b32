// The cache's copy of the workspace's image allowlist (workspace_image_allowlist, written by the
// workspace service), read as entries to decide with (models/images/allowlist.h): what deploys,
// the Images pane and `opsdeck images check` ask, offline too.
#pragma once

#include "models/images/allowlist.h"
#include "models/images/vulngate.h"

#include <QSqlDatabase>

namespace opsdeck {

struct AllowlistCopy
{
    QList<AllowEntry> entries;
    QStringList problems; // rows that no longer read as entries, each named with why
};
// "workspace.read" when the copy cannot be read.
Result<AllowlistCopy> readAllowlistCopy(QSqlDatabase cache);

// The copy of the vulnerability gate (workspace_image_gate, workspace_cve_exceptions).
Result<VulnGate> readGateCopy(QSqlDatabase cache);

} // namespace opsdeck
