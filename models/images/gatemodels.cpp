#include "models/images/gatemodels.h"
#include "models/core/timetext.h"

#include "models/images/imagecopy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
// No entry contributes more of its synced tags to a preview than this.
constexpr int tagsPerEntry = 200;
} // namespace

// ---- settings ----

GateSettingsModel::GateSettingsModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList GateSettingsModel::headers() const
{
    return {tr("Scope"),      tr("Threshold"), tr("Never scanned"), tr("In force"),
            tr("Changed by"), tr("Changed"),   tr("Comment")};
}

QStringList GateSettingsModel::watchedTables() const
{
    return {QStringLiteral("workspace_image_gate"), QStringLiteral("workspace_projects")};
}

CacheLoader GateSettingsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const auto gate = readGateCopy(db);
        if (!gate)
            return gate.error();
        // The workspace, then every project (with a setting of its own or not), then settings of
        // projects no longer in the workspace.
        QStringList scopes{QString()};
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT name FROM workspace_projects ORDER BY name")))
            return Database::describe(q.lastError(), QObject::tr("Reading the projects"));
        while (q.next())
            scopes << q.value(0).toString();
        for (const GateSetting &s : gate->settings())
            if (!scopes.contains(s.project))
                scopes << s.project;
        CacheRows rows;
        for (const QString &scope : scopes) {
            const GateSetting s = gate->setting(scope).value_or(GateSetting{scope, {}, false, {}, {}, {}});
            CacheRow row;
            row.key = scope;
            row.values = {QVariant(scope),
                          QVariant(s.threshold ? severityText(*s.threshold) : QString()),
                          QVariant(s.blockUnscanned),
                          gate->effective(scope).describe(),
                          s.updatedBy,
                          s.updatedAt.isValid() ? s.updatedAt.toUTC().toString(Qt::ISODateWithMs) : QString(),
                          s.comment};
            rows << row;
        }
        return rows;
    };
}

QVariant GateSettingsModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role == ProjectRole)
        return row.values.value(Scope);
    if (role == ThresholdRole)
        return row.values.value(Threshold);
    if (role == BlockUnscannedRole)
        return row.values.value(NeverScanned);
    if (role == Qt::DisplayRole) {
        const QVariant raw = row.values.value(column);
        switch (column) {
        case Scope:
            return raw.toString().isEmpty() ? tr("Workspace (every project)")
                                            : tr("Project %1").arg(raw.toString());
        case Threshold:
            return raw.toString().isEmpty() ? tr("none") : tr("%1 and above").arg(raw.toString());
        case NeverScanned:
            return raw.toBool() ? tr("blocked") : tr("let through");
        case Changed:
            return localTime(raw.toString(), QString());
        default:
            return raw;
        }
    }
    return CacheTableModel::cellData(row, column, role);
}

// ---- exceptions ----

CveExceptionsModel::CveExceptionsModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList CveExceptionsModel::headers() const
{
    return {tr("CVE"),     tr("Covers"),     tr("Project"), tr("State"),
            tr("Expires"), tr("Granted by"), tr("Reason")};
}

QStringList CveExceptionsModel::watchedTables() const
{
    return {QStringLiteral("workspace_cve_exceptions")};
}

CacheLoader CveExceptionsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const auto gate = readGateCopy(db);
        if (!gate)
            return gate.error();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        CacheRows rows;
        for (const CveException &e : gate->exceptions()) {
            const qint64 days = now.secsTo(e.expiresAt) / 86400;
            CacheRow row;
            row.key = e.id;
            row.values = {e.cve,
                          e.image,
                          e.project,
                          e.expired(now) ? QObject::tr("expired")
                          : days < 7     ? QObject::tr("expires in %n day(s)", nullptr, int(days))
                                         : QObject::tr("in force"),
                          e.expiresAt.toUTC().toString(Qt::ISODateWithMs),
                          e.grantedBy,
                          e.reason,
                          e.expired(now)};
            rows << row;
        }
        return rows;
    };
}

QVariant CveExceptionsModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role == ExpiredRole)
        return row.values.value(ColumnCount);
    if (role == ProjectRole)
        return row.values.value(Project);
    if (role == Qt::DisplayRole) {
        const QVariant raw = row.values.value(column);
        switch (column) {
        case Covers:
            return raw.toString().isEmpty() ? tr("every image of the project") : raw;
        case Project:
            return raw.toString().isEmpty() ? tr("every project") : raw;
        case Expires:
            return localDate(raw.toString(), QString());
        default:
            return raw;
        }
    }
    return CacheTableModel::cellData(row, column, role);
}

// ---- what a setting would block ----

ImageScan scanOfHostImage(const ImagePolicy &policy, const NormalizedImage &image, const QStringList &digests,
                          NormalizedImage *pinned)
{
    for (const QString &digest : digests) {
        NormalizedImage candidate = image;
        candidate.digest = digest;
        if (const ImageScan s = policy.scans.find(candidate, policy.registries); s.scanned()) {
            *pinned = candidate;
            return s;
        }
    }
    *pinned = image;
    return policy.scans.find(image, policy.registries);
}

Result<ContainerProjects> ContainerProjects::read(QSqlDatabase cache)
{
    ContainerProjects projects;
    QSqlQuery q(cache);
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT result FROM jobs WHERE state = 'succeeded' AND kind <> 'quick-service' "
                           "ORDER BY finished_at")))
        return Database::describe(q.lastError(), QObject::tr("Reading the deploys"));
    while (q.next()) {
        const QJsonObject result = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
        const QString compose = result.value(QLatin1String("project")).toString();
        if (!compose.isEmpty() && result.contains(QLatin1String("image_project")))
            projects.m_composeProjects.insert(compose,
                                              result.value(QLatin1String("image_project")).toString());
    }
    return projects;
}

QString ContainerProjects::of(const QJsonObject &labels) const
{
    if (const QJsonValue label = labels.value(QLatin1String("opsdeck.image-project")); label.isString())
        return label.toString();
    return m_composeProjects.value(labels.value(QLatin1String("com.docker.compose.project")).toString());
}

Result<QList<GateSubject>> readGateSubjects(QSqlDatabase cache, const ImagePolicy &policy,
                                            const QDateTime &since)
{
    QList<GateSubject> subjects;
    const auto fail = [](const QSqlQuery &q, const QString &what) {
        return Database::describe(q.lastError(), what);
    };
    const auto projects = ContainerProjects::read(cache);
    if (!projects)
        return projects.error();
    // Running containers, judged by the digests their hosts know their images by.
    QHash<QString, QStringList> digests; // "connection|image id" -> digests
    QSqlQuery q(cache);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT connection_id, image_id, digests FROM host_images")))
        return fail(q, QObject::tr("Reading the hosts' images"));
    while (q.next())
        for (const QJsonValue &d : QJsonDocument::fromJson(q.value(2).toString().toUtf8()).array())
            digests[q.value(0).toString() + QLatin1Char('|') + q.value(1).toString()]
                << d.toString().section(QLatin1Char('@'), 1);
    if (!q.exec(QStringLiteral("SELECT c.connection_id, n.name, c.name, c.image, c.image_id, c.labels FROM "
                               "containers c JOIN connections n ON n.id = c.connection_id WHERE c.state IN "
                               "('running', 'restarting', 'paused') ORDER BY n.name, c.name")))
        return fail(q, QObject::tr("Reading the containers"));
    while (q.next()) {
        const auto reference = parseImageReference(q.value(3).toString());
        if (!reference)
            continue;
        GateSubject s;
        s.kind = GateSubject::Kind::Container;
        s.name = q.value(2).toString();
        s.where = q.value(1).toString();
        s.project = projects->of(QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object());
        s.scan = scanOfHostImage(
            policy, normalizeImage(reference.value()),
            digests.value(q.value(0).toString() + QLatin1Char('|') + q.value(4).toString()), &s.image);
        subjects << s;
    }
    // Deploys that succeeded lately: a quick service's image, a compose project's images.
    q.prepare(QStringLiteral(
        "SELECT id, kind, title, spec, result, finished_at FROM jobs WHERE state = 'succeeded' "
        "AND finished_at >= ? ORDER BY finished_at DESC"));
    q.addBindValue(toStoredTime(since));
    if (!q.exec())
        return fail(q, QObject::tr("Reading the recent deploys"));
    while (q.next()) {
        const QJsonObject spec = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
        const QJsonObject result = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
        QStringList images;
        QString project;
        if (q.value(1).toString() == QLatin1String("quick-service")) {
            images << spec.value(QLatin1String("image")).toString();
            project = spec.value(QLatin1String("image_project")).toString();
        } else {
            for (const QJsonValue &v : result.value(QLatin1String("images")).toArray())
                images << v.toString();
            project = result.value(QLatin1String("image_project")).toString();
        }
        for (const QString &text : images) {
            const auto reference = parseImageReference(text);
            if (!reference)
                continue;
            GateSubject s;
            s.kind = GateSubject::Kind::Deploy;
            s.name = QObject::tr("%1 (job %2)").arg(q.value(2).toString()).arg(q.value(0).toLongLong());
            s.where = localTime(q.value(5).toString(), QString());
            s.image = normalizeImage(reference.value());
            s.project = project;
            s.scan = policy.scans.find(s.image, policy.registries);
            subjects << s;
        }
    }
    // The allowlist's entries, by the images they name or the synced tags they cover.
    QHash<QString, QStringList> tagsByName; // "registry/repository" -> tags
    for (auto it = policy.registries.tagDigests.cbegin(); it != policy.registries.tagDigests.cend(); ++it) {
        const qsizetype colon = it.key().lastIndexOf(QLatin1Char(':'));
        tagsByName[it.key().left(colon)] << it.key().mid(colon + 1);
    }
    for (const AllowEntry &e : policy.allowlist.entries()) {
        const QString scope =
            e.project.isEmpty() ? QObject::tr("global") : QObject::tr("project %1").arg(e.project);
        const auto add = [&](const NormalizedImage &image) {
            GateSubject s;
            s.kind = GateSubject::Kind::Entry;
            s.name = QObject::tr("entry %1: %2").arg(e.id).arg(e.text());
            s.where = scope;
            s.image = image;
            s.project = e.project;
            s.scan = policy.scans.find(image, policy.registries);
            subjects << s;
        };
        if (e.kind == AllowEntry::Kind::Tag || e.kind == AllowEntry::Kind::Digest) {
            add(NormalizedImage{e.registry, e.repository, e.tag, e.digest});
            continue;
        }
        const Allowlist one({e});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        int added = 0;
        for (auto it = tagsByName.cbegin(); it != tagsByName.cend() && added < tagsPerEntry; ++it) {
            const QString registry = it.key().section(QLatin1Char('/'), 0, 0);
            if (registry != e.registry)
                continue;
            for (const QString &tag : it.value()) {
                const NormalizedImage image{registry, it.key().section(QLatin1Char('/'), 1), tag, {}};
                if (!one.decide(image, e.project, now, QString()).allowed)
                    continue;
                add(image);
                if (++added >= tagsPerEntry)
                    break;
            }
        }
    }
    return subjects;
}

Result<QList<GatePreviewRow>> previewGateChange(QSqlDatabase cache, const GateSetting &proposed,
                                                const QDateTime &now)
{
    const auto read = readImagePolicy(cache);
    if (!read)
        return read.error();
    ImagePolicy policy = read.value();
    // The scans are read whether or not the gate in force needs them.
    if (policy.scans.byDigest.isEmpty()) {
        const auto scans = readImageScans(cache);
        if (!scans)
            return scans.error();
        policy.scans = scans.value();
    }
    const auto subjects = readGateSubjects(cache, policy, now.addDays(-30));
    if (!subjects)
        return subjects.error();
    return previewGate(policy.gate, policy.gate.withSetting(proposed), subjects.value(), now);
}

} // namespace opsdeck
