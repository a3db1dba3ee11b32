// Checks that secrets used in a test end up nowhere they should not: not in any file under the
// test's data directory (the SQLite cache with its WAL, settings, workspaces, logs) and not in any
// log message the process wrote. Each secret is looked for as is, base64 and percent-encoded.
#pragma once

#include <QStringList>

namespace SecretScan {

// Captures every log message from now on (the previous handler still gets them).
void captureLog();
// "secret in FILE" / "secret in the log" findings; empty when clean. paths: files, or directories
// searched with their subdirectories. Files are read whole, so call it after the database is
// closed or checkpointed for the WAL to count too.
QStringList findings(const QStringList &secrets, const QStringList &paths);

} // namespace SecretScan
