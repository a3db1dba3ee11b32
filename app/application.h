// Wires Opsdeck together: data directory, log, cache, services, models and the main window.
#pragma once

#include "commandline.h"

class QCoreApplication;

namespace opsdeck {

int runGui(int &argc, char **argv, const CommandLine &options);
// Opsdeck's translations in the desktop's language (English supplies the plural forms), and Qt's.
// Installs Qt's and Opsdeck's translations for the chosen language code (empty: the desktop's);
// returns the language the texts come out in.
QString installTranslators(QCoreApplication &app, const QString &chosen = {});

// After runGui() returned: starts Opsdeck again if the window asked for it (View › Language).
void restartIfAsked();

} // namespace opsdeck
