// Renders every pane of a main window (and the Connections and Settings dialogs and the quick switcher) to
// PNG files: what `opsdeck --screenshot DIR` and the UI smoke test write. With clipped given, it also
// collects the text each shot shows cut off (ui/common/clippedtext.h), one line each, named by file;
// with access given, what a screen reader could not use in it (ui/common/accessibility.h).
#pragma once

#include "models/core/result.h"

#include <QStringList>

namespace opsdeck {

class MainWindow;

Result<QStringList> saveScreenshots(MainWindow *window, const QString &directory,
                                    QStringList *clipped = nullptr, QStringList *access = nullptr);

} // namespace opsdeck
