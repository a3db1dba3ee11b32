// `opsdeck audit verify` and `opsdeck audit export`: the audit log without a window.
#pragma once

#include <QStringList>

namespace opsdeck {

// arguments: everything after "audit". Returns the process exit code.
int runAuditCommand(int &argc, char **argv, const QStringList &arguments);

} // namespace opsdeck
