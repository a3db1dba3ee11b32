// The demo workspace: a separate data directory seeded from resources/demo through the same cache
// and models as real data, so a new user can explore Opsdeck without any server.
#pragma once

#include "result.h"

#include <QString>

namespace opsdeck::DemoWorkspace {

// The demo's own data directory under the normal one.
QString dataDir(const QString &baseDataDir);
// Seeds an open, empty cache with the demo data; does nothing when it holds connections already.
// Runs on the calling thread's connection in one transaction.
Result<void> seed();

} // namespace opsdeck::DemoWorkspace
