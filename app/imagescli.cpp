#include "imagescli.h"

#include "models/images/imagecopy.h"
#include "models/store/database.h"
#include "services/store/demoworkspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
} // namespace

int runImagesCommand(int &argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr(
        "Container images against the workspace's image allowlist.\n\n"
        "  opsdeck images check [--project P] [--json] IMAGE...\n"
        "      one line per image: allowed, with the entry that allows it, or refused, with why; exit 0 only "
        "when every image is allowed, 1 when any is not, 2 for a usage error.\n\n"
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
    parser.addOptions({help, dataDir, demo, project, json});
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
    if (positional.first() != QLatin1String("check")) {
        err(Tr::tr("unknown command \"%1\": use check.").arg(positional.first()));
        return 2;
    }
    const QStringList images = positional.mid(1);
    if (images.isEmpty()) {
        err(Tr::tr("check needs one or more images, e.g. opsdeck images check nginx:1.27 --project shop."));
        return 2;
    }
    QString dir = parser.value(dataDir);
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (parser.isSet(demo))
            dir = DemoWorkspace::dataDir(dir);
    }
    const QString path = QDir(dir).absoluteFilePath(QStringLiteral("cache.sqlite"));
    if (!QFile::exists(path)) {
        err(Tr::tr("there is no Opsdeck cache at %1: start Opsdeck once with this data directory.")
                .arg(path));
        return 2;
    }
    if (auto opened = Database::open(path, Database::Mode::ReadOnly); !opened) {
        err(opened.message());
        return 2;
    }
    const auto copy = readAllowlistCopy(Database::connection());
    Database::close();
    if (!copy) {
        err(copy.message());
        return 2;
    }
    for (const QString &problem : copy->problems)
        err(problem);

    const Allowlist list(copy->entries);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString inProject = parser.value(project).trimmed();
    QJsonArray results;
    int refused = 0;
    for (const QString &image : images) {
        QJsonObject r{{QStringLiteral("image"), image}};
        const auto ref = parseImageReference(image);
        AllowDecision d;
        if (ref) {
            const NormalizedImage normal = normalizeImage(ref.value());
            r.insert(QStringLiteral("normalized"), normal.toString());
            d = list.decide(normal, inProject, now);
        } else {
            d.reason = ref.message();
        }
        refused += d.allowed ? 0 : 1;
        r.insert(QStringLiteral("allowed"), d.allowed);
        r.insert(QStringLiteral("reason"), d.reason);
        if (d.entry) {
            QJsonObject entry{{QStringLiteral("id"), d.entry->id},
                              {QStringLiteral("entry"), d.entry->text()},
                              {QStringLiteral("project"), d.entry->project},
                              {QStringLiteral("added_by"), d.entry->addedBy},
                              {QStringLiteral("reason"), d.entry->reason}};
            if (d.entry->expiresAt.isValid())
                entry.insert(QStringLiteral("expires_at"), d.entry->expiresAt.toUTC().toString(Qt::ISODate));
            r.insert(QStringLiteral("entry"), entry);
        }
        results.append(r);
        if (!parser.isSet(json))
            printf("%s\t%s\t%s\n", d.allowed ? "allowed" : "refused", image.toLocal8Bit().constData(),
                   d.reason.toLocal8Bit().constData());
    }
    if (parser.isSet(json))
        printf("%s\n", QJsonDocument(results).toJson(QJsonDocument::Indented).constData());
    return refused ? 1 : 0;
}

} // namespace opsdeck
