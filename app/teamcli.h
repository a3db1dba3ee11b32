// `opsdeck team …`: the team workspace without a window (init, status, person add), always as the
// login in the workspace URL and under that person's permissions.
#pragma once

#include <QStringList>

namespace opsdeck {

// arguments: everything after "team". Returns the process exit code (0 done, 1 refused or failed,
// 2 a usage error).
int runTeamCommand(int &argc, char **argv, const QStringList &arguments);

} // namespace opsdeck
