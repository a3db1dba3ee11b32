#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace opsdeck {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("opsdeck::CommandLine", text);
}
} // namespace

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Opsdeck: one native console for GitHub Actions runners, Docker deployments, Harbor images, "
           "LiteLLM budgets and contract-test runs."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, tr("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")}, tr("Show the version and exit."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     tr("Keep the cache, settings and logs in <dir> instead of the default."),
                                     tr("dir"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  tr("Open the demo workspace: realistic sample data, no server needed."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                       tr("Render every pane offscreen, write one PNG per pane into <dir>, and exit. "
                                          "Needs no display."),
                                       tr("dir"));
    parser.addOptions({help, version, dataDir, demo, screenshot});

    if (!parser.parse(arguments)) {
        result.action = CommandLine::Action::Error;
        result.text = parser.errorText() + QLatin1Char('\n') + tr("Run opsdeck --help for the options.");
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.action = CommandLine::Action::Error;
        result.text = tr("Unknown argument \"%1\". Run opsdeck --help for the options.")
                          .arg(parser.positionalArguments().constFirst());
        return result;
    }
    if (parser.isSet(help)) {
        result.action = CommandLine::Action::Help;
        result.text = parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("opsdeck"));
        return result;
    }
    if (parser.isSet(version)) {
        result.action = CommandLine::Action::Version;
        result.text = QStringLiteral("Opsdeck %1 (Qt %2)\n").arg(QStringLiteral(OPSDECK_VERSION), QString::fromLatin1(qVersion()));
        return result;
    }
    result.dataDir = parser.value(dataDir);
    result.demo = parser.isSet(demo);
    result.screenshotDir = parser.value(screenshot);
    if (parser.isSet(screenshot) && result.screenshotDir.isEmpty()) {
        result.action = CommandLine::Action::Error;
        result.text = tr("--screenshot needs a directory.");
    }
    return result;
}

bool hasDisplay(QString *message)
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (!platform.isEmpty())
        return true; // the user chose a platform (offscreen, xcb, wayland, ...)
    if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        return true;
    if (message)
        *message = tr("Opsdeck needs a display, and none was found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                      "Ways forward:\n"
                      "  - run it in a virtual X server:       xvfb-run -a opsdeck --demo\n"
                      "  - render every pane to PNG files:     opsdeck --demo --screenshot ./shots\n"
                      "  - from the source tree:               scripts/run.sh --xvfb   or   scripts/run.sh --screenshot ./shots\n");
    return false;
}

} // namespace opsdeck
