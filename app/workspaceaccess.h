// The team workspace a command acts on: the one given with --url, or the one the data directory
// joined (File › Team Workspace…). Always as the person in the address, under their permissions.
// How they sign in: the client certificate the window keeps in the keychain, if it keeps one; the
// password from PGPASSWORD or ~/.pgpass (libpq), else the keychain entry, else a prompt when
// standard input is a terminal.
#pragma once

#include "models/core/result.h"
#include "services/workspace/workspacestore.h"

namespace opsdeck {

struct TeamAccess
{
    WorkspaceUrl url;
    WorkspaceStore store;
};

// usage: set when the arguments are wrong (exit 2) rather than the store refusing (exit 1).
Result<TeamAccess> openTeamForCommand(const QString &urlOption, const QString &dataDir,
                                      const QString &connectionName, bool *usage);

// The data directory a command uses: --data-dir, or Opsdeck's own.
QString commandDataDir(const QString &option);

} // namespace opsdeck
