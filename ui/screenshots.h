// Renders every pane of a main window (and the Connections dialog and quick switcher) to PNG
// files: what `opsdeck --screenshot DIR` and the UI smoke test write.
#pragma once

#include "models/core/result.h"

#include <QStringList>

namespace opsdeck {

class MainWindow;

Result<QStringList> saveScreenshots(MainWindow *window, const QString &directory);

} // namespace opsdeck
