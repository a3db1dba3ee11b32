// Wires Opsdeck together: data directory, log, cache, services, models and the main window.
#pragma once

#include "commandline.h"

class QCoreApplication;

namespace opsdeck {

int runGui(int &argc, char **argv, const CommandLine &options);
// Opsdeck's translations in the desktop's language (English supplies the plural forms), and Qt's.
void installTranslators(QCoreApplication &app);

} // namespace opsdeck
