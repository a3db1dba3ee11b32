#include "application.h"
#include "auditcli.h"
#include "budgetscli.h"
#include "commandline.h"
#include "imagescli.h"
#include "teamcli.h"
#include "testrunscli.h"

#include <QStringList>

#include <cstdio>

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    // Subcommands without a window; global options may come before or after the subcommand.
    if (const opsdeck::Subcommand sub = opsdeck::findSubcommand(arguments);
        sub.name == QLatin1String("audit"))
        return opsdeck::runAuditCommand(argc, argv, sub.arguments);
    else if (sub.name == QLatin1String("team"))
        return opsdeck::runTeamCommand(argc, argv, sub.arguments);
    else if (sub.name == QLatin1String("images"))
        return opsdeck::runImagesCommand(argc, argv, sub.arguments);
    else if (sub.name == QLatin1String("budgets"))
        return opsdeck::runBudgetsCommand(argc, argv, sub.arguments);
    else if (sub.name == QLatin1String("testruns"))
        return opsdeck::runTestRunsCommand(argc, argv, sub.arguments);

    const opsdeck::CommandLine options = opsdeck::parseCommandLine(arguments);
    switch (options.action) {
    case opsdeck::CommandLine::Action::Help:
    case opsdeck::CommandLine::Action::Version:
        fputs(options.text.toLocal8Bit().constData(), stdout);
        return 0;
    case opsdeck::CommandLine::Action::Error:
        fprintf(stderr, "opsdeck: %s\n", options.text.toLocal8Bit().constData());
        return 2;
    case opsdeck::CommandLine::Action::Gui:
        break;
    }

    if (!options.screenshotDir.isEmpty()) {
        qputenv("QT_QPA_PLATFORM", "offscreen"); // screenshots never need a display
    } else {
        QString message;
        if (!opsdeck::hasDisplay(&message)) {
            fputs(message.toLocal8Bit().constData(), stderr);
            return 3;
        }
    }
    const int result = opsdeck::runGui(argc, argv, options);
    opsdeck::restartIfAsked();
    return result;
}
