#include "auditcli.h"

#include "application.h"

#include "models/core/appsettings.h"
#include "models/store/database.h"
#include "services/store/auditexport.h"
#include "services/store/auditlog.h"
#include "services/store/auditretention.h"
#include "services/store/demoworkspace.h"
#include "services/workspace/teamaudit.h"
#include "workspaceaccess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

#include <cstdio>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AuditCli)
};

void err(const QString &text)
{
    fprintf(stderr, "opsdeck audit: %s\n", text.toLocal8Bit().constData());
}

QDateTime parseTime(const QString &text, bool *ok)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (d.isValid())
            t = d.startOfDay(Qt::UTC);
    }
    *ok = t.isValid();
    return t.toUTC();
}
} // namespace

namespace {
// `audit prune`: the audit retention applied now (the setting's days, or --keep-days), or with
// dry only said.
int prune(const QString &dataDirOption, const QString &keepOption, bool dry)
{
    const QString dir = commandDataDir(dataDirOption);
    const AppSettings settings(dir);
    int days = settings.auditKeepDays();
    if (!keepOption.isEmpty()) {
        bool ok = false;
        days = keepOption.toInt(&ok);
        if (!ok || days < 1 || days > AuditRetention::maxKeepDays) {
            err(Tr::tr("--keep-days takes a whole number of days from 1 to %1, not \"%2\".")
                    .arg(AuditRetention::maxKeepDays)
                    .arg(keepOption));
            return 2;
        }
    }
    if (days <= 0) {
        err(Tr::tr("this desktop keeps every audit event (Settings › Audit Log); name --keep-days N to "
                   "remove older ones."));
        return 2;
    }
    const bool team = !settings.workspaceUrl().isEmpty();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Result<AuditPrunePlan> outcome = AuditPrunePlan{};
    if (dry) {
        if (auto opened = openCommandCacheReadOnly(dataDirOption, false); !opened) {
            err(opened.message());
            return 2;
        }
        outcome = AuditRetention::plan(Database::connection(), days, now, team);
    } else {
        if (!openCommandAuditLog(dir, "audit"))
            return 2;
        outcome = AuditRetention::apply(days, now, team, QStringLiteral("manual"));
        if (!outcome) { // a refused prune is an action too
            const auto r = AuditLog::record(
                AuditRetention::failureEvent(days, outcome.error(), QStringLiteral("manual")));
            if (!r)
                err(Tr::tr("the failure was not recorded in the audit log: %1").arg(r.message()));
        }
    }
    Database::close();
    if (!outcome) {
        err(Tr::tr("nothing was removed: %1").arg(outcome.message()));
        return 1;
    }
    printf("%s\n", AuditRetention::summaryText(*outcome, !dry).toLocal8Bit().constData());
    return 0;
}

// `audit verify --team`: each desktop's chain in the store, and the first bad event of each.
int verifyTeam(const QString &url, const QString &dataDir)
{
    bool usage = false;
    const auto access = openTeamForCommand(url, dataDir, QStringLiteral("audit-cli"), &usage);
    if (!access) {
        err(access.message());
        return 2;
    }
    const auto reports = TeamAudit::verify(access->store);
    if (!reports) {
        err(reports.message());
        return 2;
    }
    int bad = 0;
    qint64 events = 0;
    for (const TeamAudit::ChainReport &r : reports.value()) {
        events += r.events;
        const QString who = r.people.join(QStringLiteral(", "));
        if (r.ok) {
            const QString pruned =
                r.prunedThroughSeq > 0
                    ? QLatin1Char(' ') + Tr::tr("(events up to %1 were removed by that desktop's audit "
                                                "retention before it joined)")
                                             .arg(r.prunedThroughSeq)
                    : QString();
            printf("OK      %s (%s): %lld events%s\n", r.desktopId.toLocal8Bit().constData(),
                   who.toLocal8Bit().constData(), static_cast<long long>(r.events),
                   pruned.toLocal8Bit().constData());
        } else {
            ++bad;
            printf("FAILED  %s (%s): first bad event %lld: %s\n", r.desktopId.toLocal8Bit().constData(),
                   who.toLocal8Bit().constData(), static_cast<long long>(r.firstBadSeq),
                   r.problem.toLocal8Bit().constData());
        }
    }
    printf("%s\n", Tr::tr("%1: %2 desktops, %3 events, %4 chains broken.")
                       .arg(access->url.display())
                       .arg(reports->size())
                       .arg(events)
                       .arg(bad)
                       .toLocal8Bit()
                       .constData());
    return bad == 0 ? 0 : 1;
}
} // namespace

int runAuditCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    installTranslators(app);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Verify, export or prune Opsdeck's audit log.\n\n"
               "  opsdeck audit verify [--data-dir DIR] [--from-event N]\n"
               "  opsdeck audit verify --team [--url URL] [--data-dir DIR]   every desktop's chain in the "
               "team workspace\n"
               "  opsdeck audit export --format csv|jsonl [--since T] [--until T] "
               "[--query Q] [--out FILE] [--data-dir DIR]\n"
               "  opsdeck audit prune [--keep-days N] [--dry-run] [--data-dir DIR]   remove events older "
               "than the audit retention keeps"));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), Tr::tr("The data directory."),
                                     Tr::tr("dir"));
    const QCommandLineOption demo(QStringLiteral("demo"), Tr::tr("Use the demo workspace."));
    const QCommandLineOption from(QStringLiteral("from-event"),
                                  Tr::tr("verify: start at the newest checkpoint at or before event N."),
                                  Tr::tr("N"));
    const QCommandLineOption format(QStringLiteral("format"), Tr::tr("export: csv or jsonl."),
                                    Tr::tr("format"));
    const QCommandLineOption since(QStringLiteral("since"),
                                   Tr::tr("export: events at or after T (ISO 8601, UTC)."), Tr::tr("T"));
    const QCommandLineOption until(QStringLiteral("until"),
                                   Tr::tr("export: events before T (ISO 8601, UTC)."), Tr::tr("T"));
    const QCommandLineOption query(QStringLiteral("query"), Tr::tr("export: full-text search."), Tr::tr("Q"));
    const QCommandLineOption out(QStringLiteral("out"),
                                 Tr::tr("export: write to FILE instead of standard output."), Tr::tr("FILE"));
    const QCommandLineOption team(QStringLiteral("team"),
                                  Tr::tr("verify: the team workspace's trail, every desktop's chain in it."));
    const QCommandLineOption url(
        QStringLiteral("url"),
        Tr::tr("verify --team: the workspace, if not the one the data directory joined."), Tr::tr("URL"));
    const QCommandLineOption keepDays(QStringLiteral("keep-days"),
                                      Tr::tr("prune: keep N days of events (else Settings › Audit Log's)."),
                                      Tr::tr("N"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    Tr::tr("prune: only say what would be removed."));
    parser.addOptions(
        {help, dataDir, demo, from, format, since, until, query, out, team, url, keepDays, dryRun});
    parser.addPositionalArgument(QStringLiteral("command"), Tr::tr("verify, export or prune"));
    if (!parser.parse(QStringList{QStringLiteral("opsdeck audit")} + arguments)) {
        err(parser.errorText());
        return 2;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(help) || positional.isEmpty()) {
        fputs(parser.helpText().toLocal8Bit().constData(),
              positional.isEmpty() && !parser.isSet(help) ? stderr : stdout);
        return parser.isSet(help) ? 0 : 2;
    }
    const QString command = positional.first();
    if (command != QLatin1String("verify") && command != QLatin1String("export") &&
        command != QLatin1String("prune")) {
        err(Tr::tr("unknown command \"%1\": use verify, export or prune.").arg(command));
        return 2;
    }
    if (command == QLatin1String("prune"))
        return prune(parser.value(dataDir), parser.value(keepDays), parser.isSet(dryRun));

    if (command == QLatin1String("verify") && parser.isSet(team))
        return verifyTeam(parser.value(url), parser.value(dataDir));

    if (auto opened = openCommandCacheReadOnly(parser.value(dataDir), parser.isSet(demo)); !opened) {
        err(opened.message());
        return 2;
    }
    QSqlDatabase db = Database::connection();

    if (command == QLatin1String("verify")) {
        const auto result = AuditLog::verify(db, parser.value(from).toLongLong());
        Database::close();
        if (!result) {
            err(result.message());
            return 2;
        }
        if (!result->ok) {
            printf("FAILED at event %lld (%s): %s\n", static_cast<long long>(result->firstBadId),
                   result->problem.toLatin1().constData(), result->message.toLocal8Bit().constData());
            return 1;
        }
        printf("OK: %s (%lld checkpoints%s)\n", result->message.toLocal8Bit().constData(),
               static_cast<long long>(result->checkpointsChecked),
               result->startedAfterId > 0 ? QStringLiteral(", started after checkpoint %1")
                                                .arg(result->startedAfterId)
                                                .toLatin1()
                                                .constData()
                                          : "");
        return 0;
    }

    const auto fmt = AuditExport::formatFromId(parser.value(format));
    if (!fmt) {
        err(Tr::tr("--format must be csv or jsonl."));
        return 2;
    }
    AuditFilter filter;
    filter.text = parser.value(query);
    filter.newestFirst = false; // exports read oldest first
    bool ok = true;
    if (parser.isSet(since) && (filter.since = parseTime(parser.value(since), &ok), !ok)) {
        err(Tr::tr("--since: \"%1\" is not an ISO 8601 time.").arg(parser.value(since)));
        return 2;
    }
    if (parser.isSet(until) && (filter.until = parseTime(parser.value(until), &ok), !ok)) {
        err(Tr::tr("--until: \"%1\" is not an ISO 8601 time.").arg(parser.value(until)));
        return 2;
    }
    Result<qint64> written = qint64(0);
    if (parser.isSet(out)) {
        QSaveFile file(parser.value(out)); // all or nothing: no half-written export
        if (!file.open(QIODevice::WriteOnly)) {
            err(Tr::tr("cannot write %1: %2").arg(parser.value(out), file.errorString()));
            return 2;
        }
        written = AuditExport::write(db, filter, *fmt, &file);
        if (written && !file.commit()) {
            err(Tr::tr("cannot write %1: %2").arg(parser.value(out), file.errorString()));
            return 2;
        }
    } else {
        QFile stdoutFile;
        stdoutFile.open(stdout, QIODevice::WriteOnly);
        written = AuditExport::write(db, filter, *fmt, &stdoutFile);
    }
    Database::close();
    if (!written) {
        err(written.message());
        return 2;
    }
    fprintf(stderr, "opsdeck audit: exported %lld events\n", static_cast<long long>(written.value()));
    return 0;
}

} // namespace opsdeck
