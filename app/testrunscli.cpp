#include "testrunscli.h"

#include "application.h"

#include "models/audit/auditevent.h"
#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunstore.h"
#include "workspaceaccess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <tuple>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsCli)
};

void err(const QString &text)
{
    fprintf(stderr, "opsdeck testruns: %s\n", text.toLocal8Bit().constData());
}

QJsonObject totalsJson(const JUnitTotals &t)
{
    return {{QStringLiteral("tests"), t.tests},
            {QStringLiteral("passed"), t.passed},
            {QStringLiteral("failed"), t.failed},
            {QStringLiteral("errors"), t.errors},
            {QStringLiteral("skipped"), t.skipped},
            {QStringLiteral("flaky"), t.flaky},
            {QStringLiteral("seconds"), std::round(t.seconds * 1000) / 1000}};
}

QString totalsText(const JUnitTotals &t)
{
    return Tr::tr("%1 tests, %2 passed, %3 failed, %4 errors, %5 skipped, %6 flaky, %7 s")
        .arg(t.tests)
        .arg(t.passed)
        .arg(t.failed)
        .arg(t.errors)
        .arg(t.skipped)
        .arg(t.flaky)
        .arg(t.seconds, 0, 'f', 3);
}

// A refused report in the audit log: which file, which source, and why.
void auditRefusal(const QString &file, const RunImport &request, const Error &why)
{
    const AuditEvent e = TestRunStore::refusalEvent(file, request.source, why);
    if (auto r = AuditLog::record(e); !r)
        err(Tr::tr("%1: the refusal was not recorded in the audit log: %2").arg(file, r.message()));
}
} // namespace

// `opsdeck testruns cleanup`: the retention limits applied to the cache now (or, dry, said).
int cleanUp(const QString &dir, const RetentionRules &rules, bool dry, bool json)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString artifacts = QDir(dir).filePath(QStringLiteral("golden"));
    RetentionSummary summary;
    QStringList problems;
    if (dry) {
        if (auto opened = openCommandCacheReadOnly(dir, false); !opened) {
            err(opened.message());
            return 1;
        }
        const auto plan = TestRunStore::planRetention(Database::connection(), rules, now, artifacts);
        if (!plan) {
            err(plan.message());
            return 1;
        }
        summary = plan->summary;
    } else {
        if (!openCommandAuditLog(dir, "testruns"))
            return 1;
        const auto done = TestRunStore::applyRetention(rules, now, artifacts, QStringLiteral("manual"));
        if (!done) {
            err(Tr::tr("the cleanup failed, nothing was removed: %1").arg(done.message()));
            Database::close();
            return 1;
        }
        summary = done->summary;
        problems = done->folderProblems;
    }
    Database::close();
    if (json) {
        QJsonObject bySource;
        for (const auto &[name, count] : summary.bySource)
            bySource.insert(name, count);
        const QJsonObject o{{QStringLiteral("dry_run"), dry},
                            {QStringLiteral("max_age_days"), rules.maxAgeDays},
                            {QStringLiteral("max_runs_per_source"), rules.maxRunsPerSource},
                            {QStringLiteral("runs"), summary.runs},
                            {QStringLiteral("by_source"), bySource},
                            {QStringLiteral("kept_runs"), summary.keptRuns},
                            {QStringLiteral("remaining_runs"), summary.remainingRuns},
                            {QStringLiteral("artifact_folders"), summary.artifactFolders},
                            {QStringLiteral("artifact_bytes"), double(summary.artifactBytes)},
                            {QStringLiteral("health_samples"), summary.healthSamples},
                            {QStringLiteral("folder_problems"), QJsonArray::fromStringList(problems)}};
        fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        printf("%s\n", qPrintable(retentionSummaryText(summary, dry)));
    }
    for (const QString &folder : std::as_const(problems))
        err(Tr::tr("could not remove the artifact folder %1").arg(folder));
    return 0;
}

int runTestRunsCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    installTranslators(app);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "Test runs from JUnit XML reports (pytest, Maven Surefire and Failsafe, Gradle, jest-junit, "
        "go-junit-report, cargo-nextest, TestNG, CTest, PHPUnit).\n\n"
        "  opsdeck testruns import [--dry-run] [--json] [--source NAME] [--branch B] [--commit SHA] PATH...\n"
        "      each report file, and each .xml file under a folder, becomes one run of the source (\"files\" "
        "unless given), imported in a transaction of its own with its audit event and signed with the key in "
        "the keychain; a report imported before is not imported again. One line per file with its totals "
        "(tests, passed, failed, errors, skipped, flaky, time), or why it was refused. Exit 0 when every "
        "report was imported, 1 when any was refused (nothing of a refused report is kept), 2 for a usage "
        "error.\n\n"
        "  opsdeck testruns cleanup [--dry-run] [--json] [--days N] [--runs N]\n"
        "      removes runs older than N days and, of each source, all but its newest N runs (default: the "
        "limits saved in Settings › Retention…; 0 lifts a limit), with their golden artifact folders and old "
        "mock health samples, in one transaction with a testrun.retention event. Kept runs stay. --dry-run "
        "says what would go. Exit 0, or 1 when the cache could not be cleaned, 2 for a usage error."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), Tr::tr("The data directory."),
                                     Tr::tr("dir"));
    const QCommandLineOption source(
        QStringLiteral("source"), Tr::tr("The source the runs belong to (default: files)."), Tr::tr("NAME"));
    const QCommandLineOption branch(QStringLiteral("branch"), Tr::tr("The branch the runs tested."),
                                    Tr::tr("BRANCH"));
    const QCommandLineOption commit(QStringLiteral("commit"), Tr::tr("The commit the runs tested."),
                                    Tr::tr("SHA"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    Tr::tr("Read and count each report; import nothing."));
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print the outcome as JSON."));
    const QCommandLineOption days(QStringLiteral("days"),
                                  Tr::tr("cleanup: keep runs for N days (0: any age)."), QStringLiteral("N"));
    const QCommandLineOption runs(QStringLiteral("runs"),
                                  Tr::tr("cleanup: keep the newest N runs of each source (0: all)."),
                                  QStringLiteral("N"));
    parser.addOptions({help, dataDir, source, branch, commit, dryRun, json, days, runs});
    parser.addPositionalArgument(QStringLiteral("import"), Tr::tr("import"));
    parser.addPositionalArgument(QStringLiteral("PATH"), Tr::tr("Report files or folders."),
                                 QStringLiteral("PATH..."));
    if (!parser.parse(QStringList{QStringLiteral("opsdeck testruns")} + arguments)) {
        err(parser.errorText());
        return 2;
    }
    QStringList positional = parser.positionalArguments();
    if (parser.isSet(help) || positional.isEmpty()) {
        fputs(parser.helpText().toLocal8Bit().constData(), parser.isSet(help) ? stdout : stderr);
        return parser.isSet(help) ? 0 : 2;
    }
    const QString command = positional.takeFirst();
    if (command == QLatin1String("cleanup")) {
        if (!positional.isEmpty()) {
            err(Tr::tr("cleanup takes no paths."));
            return 2;
        }
        const QString dir = commandDataDir(parser.value(dataDir));
        RetentionRules rules = AppSettings(dir).retentionRules();
        for (const auto &[option, limit, most] : {std::tuple{&days, &rules.maxAgeDays, 3650},
                                                  std::tuple{&runs, &rules.maxRunsPerSource, 100000}}) {
            if (!parser.isSet(*option))
                continue;
            bool ok = false;
            *limit = parser.value(*option).toInt(&ok);
            if (!ok || *limit < 0 || *limit > most) {
                err(Tr::tr("--%1 takes a whole number from 0 to %2, not \"%3\".")
                        .arg(option->names().first())
                        .arg(most)
                        .arg(parser.value(*option)));
                return 2;
            }
        }
        return cleanUp(dir, rules, parser.isSet(dryRun), parser.isSet(json));
    }
    if (command != QLatin1String("import")) {
        err(Tr::tr("unknown command \"%1\": use import or cleanup.").arg(command));
        return 2;
    }
    if (positional.isEmpty()) {
        err(Tr::tr("which reports? Give one or more files or folders."));
        return 2;
    }
    const auto files = TestRunStore::reportFiles(positional);
    if (!files) {
        err(files.message());
        return 2;
    }
    RunImport request;
    if (parser.isSet(source))
        request.source = parser.value(source).trimmed();
    if (request.source.isEmpty() || request.source.size() > 200) {
        err(Tr::tr("a source needs a name of 1 to 200 characters."));
        return 2;
    }
    request.branch = parser.value(branch).trimmed();
    request.commit = parser.value(commit).trimmed();
    request.dryRun = parser.isSet(dryRun);

    const QString dir = commandDataDir(parser.value(dataDir));
    QByteArray key;
    if (request.dryRun) {
        // Only to say which reports are there already; a missing cache is fine.
        if (QFile::exists(QDir(dir).filePath(QStringLiteral("cache.sqlite"))))
            if (auto opened = openCommandCacheReadOnly(dir, false); !opened)
                err(opened.message());
    } else {
        if (!openCommandAuditLog(dir, "testruns"))
            return 1;
        const auto obtained = RunSigningKey::obtainNow();
        if (obtained)
            key = obtained.value();
        else
            err(Tr::tr("the runs are imported unsigned: the run-signing key is not available (%1)")
                    .arg(obtained.message()));
    }

    QJsonArray out;
    int refused = 0;
    for (const QString &file : files.value()) {
        const auto run = TestRunStore::importFile(file, request, key);
        QJsonObject o{{QStringLiteral("file"), file}};
        if (!run) {
            ++refused;
            o.insert(QStringLiteral("status"), QStringLiteral("refused"));
            o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), run.error().code},
                                                          {QStringLiteral("message"), run.message()}});
            if (!parser.isSet(json))
                printf("%s\n", qPrintable(Tr::tr("%1: refused: %2").arg(file, run.message())));
            if (!request.dryRun)
                auditRefusal(file, request, run.error());
            out.append(o);
            continue;
        }
        const QString status = run->alreadyImported ? QStringLiteral("already-imported")
                               : request.dryRun     ? QStringLiteral("would-import")
                                                    : QStringLiteral("imported");
        o.insert(QStringLiteral("status"), status);
        o.insert(QStringLiteral("source"), run->source);
        o.insert(QStringLiteral("run_key"), run->runKey);
        if (run->runId)
            o.insert(QStringLiteral("run_id"), run->runId);
        if (!run->alreadyImported) {
            o.insert(QStringLiteral("totals"), totalsJson(run->totals));
            o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(run->notes));
            if (!request.dryRun)
                o.insert(QStringLiteral("signed"), !run->signature.isEmpty());
        }
        out.append(o);
        if (parser.isSet(json))
            continue;
        if (run->alreadyImported)
            printf("%s\n", qPrintable(Tr::tr("%1: already imported as run %2 of %3")
                                          .arg(file)
                                          .arg(run->runId)
                                          .arg(run->source)));
        else
            printf("%s\n",
                   qPrintable(Tr::tr("%1: %2%3")
                                  .arg(file, totalsText(run->totals),
                                       request.dryRun
                                           ? Tr::tr(" (dry run: not imported)")
                                           : Tr::tr(" (run %1 of %2)").arg(run->runId).arg(run->source))));
        for (const QString &note : std::as_const(run->notes))
            printf("  %s\n", qPrintable(Tr::tr("note: %1").arg(note)));
    }
    if (parser.isSet(json))
        fputs(QJsonDocument(out).toJson(QJsonDocument::Indented).constData(), stdout);
    Database::close();
    if (refused)
        err(Tr::tr("%n report(s) refused; nothing of a refused report was kept.", nullptr, refused));
    return refused ? 1 : 0;
}

} // namespace opsdeck
