// Opsdeck's command line: parsed without a QApplication, so that --help, --version and the
// display check work on a machine without a display.
#pragma once

#include <QString>
#include <QStringList>

namespace opsdeck {

struct CommandLine
{
    enum class Action { Gui, Help, Version, Error };
    Action action = Action::Gui;
    QString dataDir; // empty: the platform default
    bool demo = false;
    QString language;          // set: the window's language for this run (models/core/languages.h)
    QString palette;           // "light" or "dark": instead of the desktop's palette; empty: the desktop's
    QString screenshotDir;     // set: render every pane offscreen into PNGs and exit
    bool startupProbe = false; // print when the main window is first painted, then exit (benchmarks)
    QString text;              // help text, version text or error message
};

CommandLine parseCommandLine(const QStringList &arguments);

// A subcommand ("audit") and its arguments. Global options may stand before or after the
// subcommand, as with git and docker: "opsdeck --data-dir D audit verify" gives name "audit" and
// arguments {"--data-dir", "D", "verify"}. No subcommand: name is empty.
struct Subcommand
{
    QString name;
    QStringList arguments; // everything after the program name except the subcommand itself
};
Subcommand findSubcommand(const QStringList &arguments);

// Whether a GUI can open here; if not, the message says what to do instead.
bool hasDisplay(QString *message);

} // namespace opsdeck
