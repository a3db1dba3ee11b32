// `opsdeck images check`: image references checked against the workspace's image allowlist, from
// the cache's copy (offline too), for pipelines.
#pragma once

#include <QStringList>

namespace opsdeck {

// arguments: everything after "images". Returns the process exit code: 0 when every image is
// allowed, 1 when any is not, 2 for a usage error or no cache to read.
int runImagesCommand(int &argc, char **argv, const QStringList &arguments);

} // namespace opsdeck
