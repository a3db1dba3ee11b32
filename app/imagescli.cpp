#include "imagescli.h"

#include "application.h"

#include "models/audit/auditevent.h"
#include "models/deploy/composefile.h"
#include "models/images/allowimport.h"
#include "models/images/imagechange.h"
#include "models/images/imagecopy.h"
#include "models/images/imagepolicy.h"
#include "models/images/registryindex.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/store/demoworkspace.h"
#include "services/workspace/imagerecords.h"
#include "workspaceaccess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <cstdio>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ImagesCli)
};

void err(const QString &text)
{
    fprintf(stderr, "opsdeck images: %s\n", text.toLocal8Bit().constData());
}

// One image.allow audit event: an entry added (or refused) by this command.
void audit(const WorkspaceAccess &access, const QString &entry, const QString &project, const QString &reason,
           const Result<qint64> &outcome, const QString &source = {})
{
    const AuditEvent e =
        allowedEntryEvent(entry, project, reason, access.actor, access.where, outcome, source);
    if (auto r = AuditLog::record(e); !r)
        err(Tr::tr("%1: not recorded in the audit log: %2").arg(entry, r.message()));
}

// After a change, this data directory's copy of the allowlist follows at once (the window's
// workspace service does the same on the store's announcement), so that `images check` sees it.
void refreshCopy(const WorkspaceAccess &access)
{
    const auto entries = ImageRecords::entries(access.store);
    if (!entries)
        return err(Tr::tr("the local copy of the allowlist was not refreshed: %1").arg(entries.message()));
    CacheTransaction tx;
    if (auto begun = tx.begin(); !begun)
        return err(begun.message());
    ImageRecords::Copy copy;
    copy.entries = entries.value();
    if (auto written = ImageRecords::writeCopy(tx.db(), copy); !written)
        return err(Tr::tr("the local copy of the allowlist was not refreshed: %1").arg(written.message()));
    tx.touch(QStringLiteral("workspace_image_allowlist"));
    if (auto r = tx.commit(); !r)
        err(r.message());
}

// `images allow REF --reason R [--project P] [--expires DATE]`.
int allowOne(const QString &ref, const QString &project, const QString &reason, const QDateTime &expires,
             const QString &url, const QString &dataDir)
{
    bool usage = false;
    auto access = openWorkspaceForCommand(url, dataDir, QStringLiteral("images-cli"), &usage);
    if (!access) {
        err(access.message());
        return usage ? 2 : 1;
    }
    if (!openCommandAuditLog(dataDir, "images"))
        return 1;
    const auto id = ImageRecords::allow(access->store, ref, project, reason, expires);
    const auto entry = parseAllowEntry(ref);
    audit(access.value(), entry ? entry->text() : ref, project, reason, id);
    if (id)
        refreshCopy(access.value());
    Database::close();
    if (!id) {
        err(id.message());
        return 1;
    }
    printf("%s\n",
           qPrintable(Tr::tr("Allowed %1%2 (entry %3).")
                          .arg(entry->text(), project.isEmpty() ? Tr::tr(" everywhere")
                                                                : Tr::tr(" in project %1").arg(project))
                          .arg(id.value())));
    return 0;
}

// `images import FILE [--project P] [--reason R] [--dry-run]`: the plan, then all or nothing.
int importFile(const QString &file, const QString &project, const QString &reason, bool dryRun,
               const QString &url, const QString &dataDir)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        err(Tr::tr("cannot read %1: %2").arg(file, in.errorString()));
        return 2;
    }
    if (in.size() > 4 * 1024 * 1024) {
        err(Tr::tr("%1 is larger than 4 MiB: not a list of images.").arg(file));
        return 2;
    }
    const QString content = QString::fromUtf8(in.readAll());
    bool usage = false;
    auto access = openWorkspaceForCommand(url, dataDir, QStringLiteral("images-cli"), &usage);
    if (!access) {
        err(access.message());
        return usage ? 2 : 1;
    }
    // What the synced registries hold, where this data directory has synced any.
    std::optional<RegistryIndex> registries;
    if (Database::isOpen())
        if (auto index = readRegistryIndex(Database::connection()))
            registries = index.value();
    const auto planned = ImageRecords::planImportFor(access->store, content, project, reason,
                                                     registries ? &*registries : nullptr);
    if (!planned) {
        err(planned.message());
        return 1;
    }
    const QList<ImportLine> plan = planned.value();
    QList<std::pair<QString, QString>> toAdd;
    int invalid = 0;
    for (const ImportLine &l : plan) {
        printf("%d\t%s\t%s\t%s\n", l.line, qPrintable(importStateName(l.state)),
               qPrintable(l.entry.isEmpty() ? l.text : l.entry),
               qPrintable(l.problem.isEmpty() ? l.reason : l.problem));
        invalid += l.state == ImportLine::State::Invalid || l.state == ImportLine::State::NotFound ? 1 : 0;
        if (l.state == ImportLine::State::New)
            toAdd << std::pair{l.entry, l.reason};
    }
    if (invalid) {
        err(Tr::tr("%n line(s) cannot be imported; nothing was changed. Correct them and import again.",
                   nullptr, invalid));
        return 1;
    }
    if (dryRun) {
        printf("%s\n", qPrintable(Tr::tr("Dry run: %n entry(ies) would be added; nothing was changed.",
                                         nullptr, int(toAdd.size()))));
        return 0;
    }
    if (toAdd.isEmpty()) {
        printf("%s\n", qPrintable(Tr::tr("Nothing to add: every entry is on the list already.")));
        return 0;
    }
    if (!openCommandAuditLog(dataDir, "images"))
        return 1;
    const auto ids = ImageRecords::applyImport(access->store, plan, project);
    if (!ids) {
        audit(access.value(), QFileInfo(file).fileName(), project, reason, ids.error(), file);
        Database::close();
        err(Tr::tr("nothing was imported: %1").arg(ids.message()));
        return 1;
    }
    for (qsizetype i = 0; i < toAdd.size(); ++i)
        audit(access.value(), toAdd.at(i).first, project, toAdd.at(i).second, ids->at(i), file);
    refreshCopy(access.value());
    Database::close();
    printf("%s\n", qPrintable(Tr::tr("Imported %n entry(ies).", nullptr, int(toAdd.size()))));
    return 0;
}
} // namespace

int runImagesCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    installTranslators(app);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "Container images against the workspace's image allowlist and vulnerability gate.\n\n"
        "  opsdeck images check [--project P] [--compose FILE [--env-file F]] [--json] [IMAGE...]\n"
        "      one line per image: allowed, with the entry that allows it, or refused, with why (a compose "
        "service that is built locally: built); the vulnerability gate judges too, naming the findings that "
        "block an image (overridden: findings let through by CVE exceptions); exit 0 only when every image "
        "is "
        "allowed, 1 when any is not, 2 for a usage error or a compose file that cannot be read (a required "
        "variable unset, say).\n"
        "  opsdeck images allow REF --reason TEXT [--project P] [--expires DATE]\n"
        "      an entry: a tag, a tag pattern (nginx:1.27-*), a repository, NAME@sha256:… or "
        "REGISTRY/NAMESPACE/*\n"
        "  opsdeck images import FILE [--project P] [--reason TEXT] [--dry-run]\n"
        "      one reference a line with an optional \"# reason\"; every line checked first, then all added "
        "in "
        "one transaction or none\n"
        "allow and import act on the workspace the data directory uses (or --url), under your permissions, "
        "and "
        "record what they do in its audit log.\n\n"
        "It reads this desktop's copy of the workspace (kept up to date by the window), so it works offline; "
        "the copy's age is that of the workspace shown in the window."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, Tr::tr("Show this help."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), Tr::tr("The data directory."),
                                     Tr::tr("dir"));
    const QCommandLineOption demo(QStringLiteral("demo"), Tr::tr("Use the demo's data directory."));
    const QCommandLineOption project(
        QStringLiteral("project"),
        Tr::tr("The project the images run in: its entries apply besides the global "
               "ones."),
        Tr::tr("P"));
    const QCommandLineOption json(QStringLiteral("json"), Tr::tr("Print the results as a JSON array."));
    const QCommandLineOption reason(QStringLiteral("reason"),
                                    Tr::tr("allow, import: why, kept with the entry."), Tr::tr("TEXT"));
    const QCommandLineOption expires(
        QStringLiteral("expires"),
        Tr::tr("allow: when the entry stops allowing (YYYY-MM-DD, or an ISO 8601 time)."), Tr::tr("DATE"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
                                    Tr::tr("import: show the plan, change nothing."));
    const QCommandLineOption url(QStringLiteral("url"),
                                 Tr::tr("allow, import: a team workspace (libpq URI)."), Tr::tr("URL"));
    const QCommandLineOption compose(
        QStringLiteral("compose"), Tr::tr("check: also every image of this compose file's active services."),
        Tr::tr("FILE"));
    const QCommandLineOption envFileOption(
        QStringLiteral("env-file"),
        Tr::tr("check --compose: the variables file (instead of the project's .env)."), Tr::tr("F"));
    parser.addOptions(
        {help, dataDir, demo, project, json, reason, expires, dryRun, url, compose, envFileOption});
    parser.addPositionalArgument(QStringLiteral("check"), Tr::tr("check, then the images"));
    if (!parser.parse(QStringList{QStringLiteral("opsdeck images")} + arguments)) {
        err(parser.errorText());
        return 2;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(help) || positional.isEmpty()) {
        fputs(parser.helpText().toLocal8Bit().constData(), parser.isSet(help) ? stdout : stderr);
        return parser.isSet(help) ? 0 : 2;
    }
    const QString command = positional.first();
    if (command == QLatin1String("allow") || command == QLatin1String("import")) {
        if (positional.size() != 2) {
            err(command == QLatin1String("allow") ? Tr::tr("allow needs one entry, e.g. opsdeck images allow "
                                                           "nginx:1.27-* --reason \"base image\".")
                                                  : Tr::tr("import needs one FILE."));
            return 2;
        }
        const QString inProject = parser.value(project).trimmed();
        if (command == QLatin1String("import"))
            return importFile(positional.at(1), inProject, parser.value(reason), parser.isSet(dryRun),
                              parser.value(url), parser.value(dataDir));
        if (parser.value(reason).trimmed().isEmpty()) {
            err(Tr::tr("allow needs --reason: why, kept with the entry."));
            return 2;
        }
        QDateTime until;
        if (parser.isSet(expires)) {
            const QString text = parser.value(expires).trimmed();
            until = QDateTime::fromString(text, Qt::ISODateWithMs);
            if (!until.isValid())
                until = QDateTime::fromString(text, Qt::ISODate);
            if (!until.isValid())
                if (const QDate d = QDate::fromString(text, Qt::ISODate); d.isValid())
                    until = d.startOfDay(Qt::UTC);
            if (!until.isValid() || until <= QDateTime::currentDateTimeUtc()) {
                err(Tr::tr("--expires \"%1\" is not a date in the future (YYYY-MM-DD or an ISO 8601 time).")
                        .arg(text));
                return 2;
            }
        }
        return allowOne(positional.at(1), inProject, parser.value(reason).trimmed(), until, parser.value(url),
                        parser.value(dataDir));
    }
    if (command != QLatin1String("check")) {
        err(Tr::tr("unknown command \"%1\": use check, allow or import.").arg(command));
        return 2;
    }
    QList<PolicyImage> images;
    for (const QString &image : positional.mid(1))
        images << PolicyImage{QString(), image, false};
    if (parser.isSet(compose)) {
        // Every active service's image as compose resolves it: the process environment over the
        // --env-file (or the project's .env), interpolation and profiles as in a deploy.
        const QFileInfo file(parser.value(compose));
        QFile in(file.absoluteFilePath());
        if (!in.open(QIODevice::ReadOnly)) {
            err(Tr::tr("cannot read the compose file %1: %2").arg(file.filePath(), in.errorString()));
            return 2;
        }
        ComposeInput input;
        input.fileName = file.fileName();
        input.text = QString::fromUtf8(in.readAll());
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys())
            input.environment.insert(key, env.value(key));
        const QDir projectDir = file.absoluteDir();
        const QString envFile = parser.value(envFileOption);
        input.readFile = [projectDir, envFile](const QString &relative) -> Result<QString> {
            // The project's .env is the --env-file when one is given.
            const QString path = relative == QLatin1String(".env") && !envFile.isEmpty()
                                     ? QFileInfo(envFile).absoluteFilePath()
                                     : projectDir.absoluteFilePath(relative);
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return makeError("compose.file", Tr::tr("cannot read %1: %2").arg(path, f.errorString()));
            return QString::fromUtf8(f.readAll());
        };
        if (!envFile.isEmpty() && !QFileInfo::exists(envFile)) {
            err(Tr::tr("the --env-file %1 does not exist.").arg(envFile));
            return 2;
        }
        const auto composed = readComposeProject(input);
        if (!composed) {
            err(Tr::tr("%1: %2").arg(file.filePath(), composed.message()));
            return 2;
        }
        for (const QString &warning : composed->warnings)
            err(warning);
        for (const ComposeService &service : composed->services)
            if (service.active)
                images << PolicyImage{service.name, service.image, service.build && service.image.isEmpty()};
    }
    if (images.isEmpty()) {
        err(Tr::tr("check needs one or more images or --compose FILE, e.g. opsdeck images check nginx:1.27 "
                   "--project shop."));
        return 2;
    }
    if (auto opened = openCommandCacheReadOnly(parser.value(dataDir), parser.isSet(demo)); !opened) {
        err(opened.message());
        return 2;
    }
    const auto policy = readImagePolicy(Database::connection());
    Database::close();
    if (!policy) {
        err(policy.message());
        return 2;
    }
    for (const QString &problem : policy->problems)
        err(problem);
    // Without any allowlist there is nothing to allow by: a pipeline's check refuses then, where a
    // deploy would not be gated (the Images pane says the same).
    ImagePolicy strict = policy.value();
    strict.enforced = true;
    const QString inProject = parser.value(project).trimmed();
    const PolicyCheck check = checkImages(strict, images, inProject, QDateTime::currentDateTimeUtc());
    QJsonArray results;
    int refused = 0;
    for (const PolicyVerdict &v : check.verdicts) {
        QJsonObject r{{QStringLiteral("image"), v.image.reference}};
        if (!v.image.service.isEmpty())
            r.insert(QStringLiteral("service"), v.image.service);
        if (v.image.builtLocally) {
            r.insert(QStringLiteral("built_locally"), true);
            r.insert(QStringLiteral("allowed"), true);
            r.insert(QStringLiteral("reason"), Tr::tr("built locally by compose: not checked"));
        } else {
            if (const auto ref = parseImageReference(v.image.reference.trimmed()))
                r.insert(QStringLiteral("normalized"), normalizeImage(ref.value()).toString());
            r.insert(QStringLiteral("allowed"), v.allowed);
            r.insert(QStringLiteral("reason"), v.reason);
            refused += v.allowed ? 0 : 1;
            // The deciding entry, as the allowlist names it.
            if (const auto ref = parseImageReference(v.image.reference.trimmed())) {
                const AllowDecision d = strict.allowlist.decide(
                    normalizeImage(ref.value()), inProject, QDateTime::currentDateTimeUtc(),
                    strict.registries.tagDigests.value(normalizeImage(ref.value()).name() + QLatin1Char(':') +
                                                       normalizeImage(ref.value()).tag));
                if (d.entry) {
                    QJsonObject entry{{QStringLiteral("id"), d.entry->id},
                                      {QStringLiteral("entry"), d.entry->text()},
                                      {QStringLiteral("project"), d.entry->project},
                                      {QStringLiteral("added_by"), d.entry->addedBy},
                                      {QStringLiteral("reason"), d.entry->reason}};
                    if (d.entry->expiresAt.isValid())
                        entry.insert(QStringLiteral("expires_at"),
                                     d.entry->expiresAt.toUTC().toString(Qt::ISODate));
                    r.insert(QStringLiteral("entry"), entry);
                }
            }
            // What the vulnerability gate found: the findings that block, the exceptions that let
            // findings through (the check then allows the image as overridden).
            QJsonArray blocking;
            for (const Finding &f : v.gate.blocking)
                blocking.append(QJsonObject{{QStringLiteral("id"), f.cve},
                                            {QStringLiteral("severity"), severityText(f.severity)},
                                            {QStringLiteral("package"), f.package},
                                            {QStringLiteral("version"), f.version},
                                            {QStringLiteral("fixed_version"), f.fixVersion}});
            QJsonArray covering;
            for (const CveException &e : v.gate.covering)
                covering.append(
                    QJsonObject{{QStringLiteral("id"), e.id},
                                {QStringLiteral("cve"), e.cve},
                                {QStringLiteral("granted_by"), e.grantedBy},
                                {QStringLiteral("reason"), e.reason},
                                {QStringLiteral("expires_at"), e.expiresAt.toUTC().toString(Qt::ISODate)}});
            if (!v.gate.reason.isEmpty())
                r.insert(QStringLiteral("gate"), QJsonObject{{QStringLiteral("blocked"), v.gate.blocked},
                                                             {QStringLiteral("reason"), v.gate.reason},
                                                             {QStringLiteral("vulnerabilities"), blocking},
                                                             {QStringLiteral("exceptions"), covering}});
        }
        results.append(r);
        if (!parser.isSet(json)) {
            const QString who = v.image.service.isEmpty()
                                    ? v.image.reference
                                    : QStringLiteral("%1=%2").arg(
                                          v.image.service, v.image.builtLocally ? QStringLiteral("(build)")
                                                                                : v.image.reference);
            printf("%s\t%s\t%s\n",
                   v.image.builtLocally                      ? "built"
                   : v.allowed && !v.gate.covering.isEmpty() ? "overridden"
                   : v.allowed                               ? "allowed"
                                                             : "refused",
                   who.toLocal8Bit().constData(),
                   (v.image.builtLocally ? Tr::tr("built locally by compose: not checked") : v.reason)
                       .toLocal8Bit()
                       .constData());
        }
    }
    if (parser.isSet(json))
        printf("%s\n", QJsonDocument(results).toJson(QJsonDocument::Indented).constData());
    return refused ? 1 : 0;
}

} // namespace opsdeck
