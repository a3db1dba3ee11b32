// `opsdeck budgets explain`: which LiteLLM limit binds for a key, a user, a team or a team member,
// from the cache (offline too), for scripts.
#pragma once

#include <QStringList>

namespace opsdeck {

// arguments: everything after "budgets". Returns the process exit code: 0 when requests (of the
// given cost) pass, 1 when a limit refuses them, 2 for a usage error, an unknown subject or no
// cache to read.
int runBudgetsCommand(int &argc, char **argv, const QStringList &arguments);

} // namespace opsdeck
