#include "commandline.h"

#include "models/core/languages.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::CommandLine)
};
// "en, de": the codes --language takes.
QString languageCodes()
{
    QStringList codes;
    for (const Language &l : languages())
        codes << l.code;
    return codes.join(QStringLiteral(", "));
}
} // namespace

CommandLine parseCommandLine(const QStringList &arguments)
{
    CommandLine result;
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "Opsdeck: one native console for GitHub Actions runners, Docker deployments, Harbor images, "
        "LiteLLM budgets and contract-test runs.\n\n"
        "Commands (without a window; the options above may come before or after them):\n"
        "  audit verify|export|prune   check, export or prune the audit log (opsdeck audit --help)\n"
        "  team init|status|person|grant   the team workspace on PostgreSQL (opsdeck team --help)\n"
        "  images check          images against the workspace's allowlist (opsdeck images --help)\n"
        "  budgets explain       which LiteLLM limit binds for a key, user or team (opsdeck budgets "
        "--help)\n"
        "  testruns import       JUnit XML reports into the Test runs pane (opsdeck testruns --help)"));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  Tr::tr("Show this help and exit."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     Tr::tr("Show the version and exit."));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        Tr::tr("Keep the cache, settings and logs in <dir> instead of the default."), Tr::tr("dir"));
    const QCommandLineOption demo(
        QStringLiteral("demo"), Tr::tr("Open the demo workspace: realistic sample data, no server needed."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        Tr::tr("Render every pane offscreen, write one PNG per pane into <dir>, and exit. "
               "Needs no display."),
        Tr::tr("dir"));
    const QCommandLineOption startupProbe(
        QStringLiteral("startup-probe"),
        Tr::tr("Open the main window, print \"first paint\" when it is first painted, and exit (for the "
               "start-up benchmark)."));
    const QCommandLineOption language(
        QStringLiteral("language"),
        Tr::tr("Show the window in <code> (%1) for this run, whatever the desktop's language or View › "
               "Language says.")
            .arg(languageCodes()),
        Tr::tr("code"));
    const QCommandLineOption palette(
        QStringLiteral("palette"),
        Tr::tr("Show the window light or dark (<palette>: light, dark) for this run instead of the desktop's "
               "palette."),
        Tr::tr("palette"));
    parser.addOptions({help, version, dataDir, demo, screenshot, startupProbe, language, palette});

    if (!parser.parse(arguments)) {
        result.action = CommandLine::Action::Error;
        result.text = parser.errorText() + QLatin1Char('\n') + Tr::tr("Run opsdeck --help for the options.");
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.action = CommandLine::Action::Error;
        result.text = Tr::tr("Unknown argument \"%1\". Run opsdeck --help for the options.")
                          .arg(parser.positionalArguments().constFirst());
        return result;
    }
    if (parser.isSet(help)) {
        result.action = CommandLine::Action::Help;
        result.text =
            parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("opsdeck"));
        return result;
    }
    if (parser.isSet(version)) {
        result.action = CommandLine::Action::Version;
        result.text = QStringLiteral("Opsdeck %1 (Qt %2)\n")
                          .arg(QStringLiteral(OPSDECK_VERSION), QString::fromLatin1(qVersion()));
        return result;
    }
    result.dataDir = parser.value(dataDir);
    result.demo = parser.isSet(demo);
    result.screenshotDir = parser.value(screenshot);
    result.startupProbe = parser.isSet(startupProbe);
    result.language = parser.value(language);
    if (parser.isSet(language) && !isLanguage(result.language)) {
        result.action = CommandLine::Action::Error;
        result.text = Tr::tr("--language \"%1\" is not a language of Opsdeck: use %2.")
                          .arg(result.language, languageCodes());
        return result;
    }
    result.palette = parser.value(palette);
    if (parser.isSet(palette) && result.palette != QLatin1String("light") &&
        result.palette != QLatin1String("dark")) {
        result.action = CommandLine::Action::Error;
        result.text = Tr::tr("--palette \"%1\" is not a palette: use light or dark.").arg(result.palette);
        return result;
    }
    if (parser.isSet(screenshot) && result.screenshotDir.isEmpty()) {
        result.action = CommandLine::Action::Error;
        result.text = Tr::tr("--screenshot needs a directory.");
    }
    return result;
}

Subcommand findSubcommand(const QStringList &arguments)
{
    // Global options that take a value as the next argument (--data-dir DIR); --opt=value is one.
    static const QStringList withValue{QStringLiteral("--data-dir"),   QStringLiteral("-data-dir"),
                                       QStringLiteral("--screenshot"), QStringLiteral("-screenshot"),
                                       QStringLiteral("--language"),   QStringLiteral("-language"),
                                       QStringLiteral("--palette"),    QStringLiteral("-palette")};
    static const QStringList known{QStringLiteral("audit"), QStringLiteral("team"), QStringLiteral("images"),
                                   QStringLiteral("budgets"), QStringLiteral("testruns")};
    Subcommand result;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--"))
            break;
        if (a.startsWith(QLatin1Char('-'))) {
            if (withValue.contains(a))
                ++i;
            continue;
        }
        // The first word that is not an option or an option's value.
        if (!known.contains(a))
            break;
        result.name = a;
        result.arguments = arguments.mid(1);
        result.arguments.removeAt(i - 1);
        break;
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
        *message = Tr::tr(
            "Opsdeck needs a display, and none was found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Ways forward:\n"
            "  - run it in a virtual X server:       xvfb-run -a opsdeck --demo\n"
            "  - render every pane to PNG files:     opsdeck --demo --screenshot ./shots\n"
            "  - from the source tree:               scripts/run.sh --xvfb   or   scripts/run.sh "
            "--screenshot ./shots\n");
    return false;
}

} // namespace opsdeck
