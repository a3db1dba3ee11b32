// Wires Opsdeck together: data directory, log, cache, services, models and the main window.
#pragma once

#include "commandline.h"

namespace opsdeck {

int runGui(int &argc, char **argv, const CommandLine &options);

} // namespace opsdeck
