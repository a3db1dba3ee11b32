// `opsdeck testruns import`: JUnit XML reports into this desktop's test runs, for scripts and CI
// jobs. Each file is one run, imported in a transaction of its own with its audit event.
#pragma once

#include <QStringList>

namespace opsdeck {

// arguments: everything after "testruns". Returns the process exit code: 0 when every report was
// imported (or was already), 1 when any was refused, 2 for a usage error.
int runTestRunsCommand(int &argc, char **argv, const QStringList &arguments);

} // namespace opsdeck
