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

// The workspace a command changes: the team store the data directory joined (or --url), or else its
// local store (created as the window would, with the OS user as its superuser). where: what the
// audit events name ("postgresql://…", "local: PATH").
struct WorkspaceAccess
{
    QString where;
    QString actor;
    WorkspaceStore store;
};
Result<WorkspaceAccess> openWorkspaceForCommand(const QString &urlOption, const QString &dataDir,
                                                const QString &connectionName, bool *usage);

// The data directory a command uses: --data-dir, or Opsdeck's own.
QString commandDataDir(const QString &option);

// Opens an existing cache read-only for a command that only reads it (--data-dir, the demo's with
// demo, else Opsdeck's own); "command.nocache" when there is none yet, the database's error else.
Result<void> openCommandCacheReadOnly(const QString &dataDirOption, bool demo);

// Opens the data directory's cache (creating the directory as the window does) for the audit
// events a command records; false, and said on standard error, when it cannot be opened.
bool openCommandAuditLog(const QString &dataDir, const char *command);

} // namespace opsdeck
