#include "models/images/imagesmodels.h"
#include "models/core/timetext.h"

#include "models/connections/connectionstore.h"
#include "models/images/gatemodels.h"
#include "models/images/imagepolicy.h"
#include "models/images/registryanswers.h"
#include "models/images/registryindex.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
QString joined(const QString &json)
{
    QStringList names;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        names << v.toString();
    return names.join(QStringLiteral(", "));
}
} // namespace

// ---- the allowlist ----

AllowlistModel::AllowlistModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList AllowlistModel::headers() const
{
    return {tr("Entry"),  tr("Scope"),    tr("Registry"), tr("Expires"),
            tr("Reason"), tr("Added by"), tr("Added")};
}

QStringList AllowlistModel::watchedTables() const
{
    return {QStringLiteral("workspace_image_allowlist"), QStringLiteral("registry_tags"),
            QStringLiteral("registry_repositories"), QStringLiteral("sync_state")};
}

CacheLoader AllowlistModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const auto index = readRegistryIndex(db);
        if (!index)
            return index.error();
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT id, entry, project, reason, added_by, added_at, expires_at, approved_digest "
                "FROM workspace_image_allowlist ORDER BY id")))
            return Database::describe(q.lastError(), QObject::tr("Reading the image allowlist"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        CacheRows rows;
        while (q.next()) {
            const auto entry = parseAllowEntry(q.value(1).toString());
            EntryMark mark;
            if (entry)
                mark = markEntry(entry.value(), q.value(7).toString(), index.value());
            const QDateTime expires = QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs);
            CacheRow row;
            row.key = q.value(0);
            row.values = {entry ? entry->text() : q.value(1).toString(),
                          q.value(2).toString(),
                          int(mark.mark),
                          q.value(6).toString(),
                          q.value(3).toString(),
                          q.value(4).toString(),
                          q.value(5).toString(),
                          mark.detail,
                          expires.isValid() && expires <= now};
            rows << row;
        }
        return rows;
    };
}

QVariant AllowlistModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    if (role == MarkRole)
        return row.values.value(Registry);
    if (role == MarkDetailRole)
        return row.values.value(ColumnCount);
    if (role == ExpiredRole)
        return row.values.value(ColumnCount + 1);
    const auto mark = RegistryMark(row.values.value(Registry).toInt());
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Scope:
            return raw.toString().isEmpty() ? tr("Global") : tr("Project %1").arg(raw.toString());
        case Registry:
            return markText(mark);
        case Expires:
            if (raw.toString().isEmpty())
                return tr("never");
            return row.values.value(ColumnCount + 1).toBool()
                       ? tr("expired %1").arg(localDate(raw.toString(), {}))
                       : localDate(raw.toString(), tr("never"));
        case Added:
            return localDate(raw.toString(), QString());
        default:
            return raw;
        }
    }
    if (role == Qt::ToolTipRole && column == Registry)
        return row.values.value(ColumnCount).toString().isEmpty() ? markText(mark)
                                                                  : row.values.value(ColumnCount).toString();
    return CacheTableModel::cellData(row, column, role);
}

// ---- requests ----

ImageRequestsModel::ImageRequestsModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList ImageRequestsModel::headers() const
{
    return {tr("Image"),     tr("Project"), tr("State"),      tr("Requested by"),
            tr("Requested"), tr("Reason"),  tr("Decided by"), tr("Answer")};
}

QStringList ImageRequestsModel::watchedTables() const
{
    return {QStringLiteral("workspace_image_requests")};
}

CacheLoader ImageRequestsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(
                QStringLiteral("SELECT id, reference, project, state, requested_by, requested_at, reason, "
                               "decided_by, answer FROM workspace_image_requests ORDER BY id")))
            return Database::describe(q.lastError(), QObject::tr("Reading the image requests"));
        CacheRows rows;
        while (q.next()) {
            CacheRow row;
            row.key = q.value(0);
            for (int i = 1; i <= 8; ++i)
                row.values << q.value(i);
            rows << row;
        }
        return rows;
    };
}

QVariant ImageRequestsModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    if (role == StateRole)
        return row.values.value(State);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Project:
            return raw.toString().isEmpty() ? tr("Global") : raw;
        case State: {
            const QString s = raw.toString();
            return s == QLatin1String("approved") ? tr("approved")
                   : s == QLatin1String("denied") ? tr("denied")
                                                  : tr("waiting");
        }
        case Requested:
            return localTime(raw.toString(), QString());
        default:
            return raw;
        }
    }
    return CacheTableModel::cellData(row, column, role);
}

// ---- projects ----

ProjectsModel::ProjectsModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList ProjectsModel::headers() const
{
    return {tr("Project"), tr("Managers"), tr("Members"), tr("Entries"), tr("Harbor project"), tr("Running")};
}

QStringList ProjectsModel::watchedTables() const
{
    return {QStringLiteral("workspace_projects"), QStringLiteral("workspace_image_allowlist"),
            QStringLiteral("harbor_projects"), QStringLiteral("containers"), QStringLiteral("jobs")};
}

CacheLoader ProjectsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        const auto projects = ContainerProjects::read(db);
        if (!projects)
            return projects.error();
        // Running containers by the project they were deployed for.
        QHash<QString, int> running;
        QSqlQuery c(db);
        c.setForwardOnly(true);
        if (!c.exec(QStringLiteral(
                "SELECT labels FROM containers WHERE state IN ('running', 'restarting', 'paused')")))
            return Database::describe(c.lastError(), QObject::tr("Reading the containers"));
        while (c.next())
            ++running[projects->of(QJsonDocument::fromJson(c.value(0).toString().toUtf8()).object())];
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT p.name, p.managers, p.members, (SELECT COUNT(*) FROM workspace_image_allowlist a "
                "WHERE "
                "a.project = p.name), (SELECT group_concat(n.name || CASE WHEN h.prevent_vul THEN ' "
                "(prevents ' || "
                "h.severity || ' and above)' ELSE '' END, ', ') FROM harbor_projects h JOIN connections n ON "
                "n.id = "
                "h.connection_id WHERE h.name = p.name) FROM workspace_projects p ORDER BY p.name")))
            return Database::describe(q.lastError(), QObject::tr("Reading the projects"));
        CacheRows rows;
        while (q.next()) {
            CacheRow row;
            row.key = q.value(0);
            row.values = {q.value(0), joined(q.value(1).toString()), joined(q.value(2).toString()),
                          q.value(3), q.value(4).toString(),         running.value(q.value(0).toString())};
            rows << row;
        }
        return rows;
    };
}

// ---- registry contents ----

RegistryTagsModel::RegistryTagsModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList RegistryTagsModel::headers() const
{
    return {tr("Registry"),  tr("Repository"), tr("Tag"),    tr("Digest"), tr("Kind"),
            tr("Platforms"), tr("Size"),       tr("Pushed"), tr("Scan"),   tr("Findings")};
}

QStringList RegistryTagsModel::watchedTables() const
{
    return {QStringLiteral("registry_tags"), QStringLiteral("connections")};
}

CacheLoader RegistryTagsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT t.connection_id, c.name, t.repository, t.tag, t.digest, t.kind, t.platforms, t.size, "
                "t.pushed_at, t.scan_status, t.severity, t.critical, t.high, t.medium, t.low, t.other, "
                "c.endpoint "
                "FROM registry_tags t JOIN connections c ON c.id = t.connection_id "
                "ORDER BY c.name, t.repository, t.tag")))
            return Database::describe(q.lastError(), QObject::tr("Reading what the registries hold"));
        CacheRows rows;
        while (q.next()) {
            const QString digest = q.value(4).toString();
            const QString status = q.value(9).toString();
            const auto severity = severityFromText(q.value(10).toString());
            const int rank = status.compare(QLatin1String("Success"), Qt::CaseInsensitive) == 0 && severity
                                 ? int(*severity)
                                 : -1;
            QStringList findings;
            const QStringList names{QObject::tr("critical"), QObject::tr("high"), QObject::tr("medium"),
                                    QObject::tr("low"), QObject::tr("other")};
            for (int i = 0; i < 5; ++i)
                if (q.value(11 + i).toInt() > 0)
                    findings << QStringLiteral("%1 %2").arg(q.value(11 + i).toInt()).arg(names.at(i));
            CacheRow row;
            row.key = QStringLiteral("%1|%2|%3|%4")
                          .arg(q.value(0).toString(), q.value(2).toString(), q.value(3).toString(), digest);
            const QString host = registryHostOf(q.value(16).toString());
            const QString reference =
                host + QLatin1Char('/') + q.value(2).toString() +
                (q.value(3).toString().isEmpty() ? QLatin1Char('@') + digest
                                                 : QLatin1Char(':') + q.value(3).toString());
            row.values = {q.value(1),
                          q.value(2),
                          q.value(3),
                          digest,
                          q.value(5),
                          q.value(6),
                          q.value(7),
                          q.value(8),
                          status.isEmpty() ? QString() : (rank >= 0 ? severityText(*severity) : status),
                          findings.join(QStringLiteral(", ")),
                          q.value(0),
                          rank,
                          reference};
            rows << row;
        }
        return rows;
    };
}

QVariant RegistryTagsModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    if (role == ConnectionRole)
        return row.values.value(ColumnCount);
    if (role == DigestRole)
        return row.values.value(Digest);
    if (role == SeverityRankRole)
        return row.values.value(ColumnCount + 1);
    if (role == ReferenceRole)
        return row.values.value(ColumnCount + 2);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Tag:
            return raw.toString().isEmpty() ? tr("(untagged)") : raw;
        case Digest:
            return raw.toString().left(19);
        case Size:
            return raw.toLongLong() > 0 ? QLocale().formattedDataSize(raw.toLongLong()) : QString();
        case Pushed:
            return localTime(raw.toString(), QString());
        case Scan:
            return raw.toString().isEmpty() ? tr("not scanned") : raw;
        default:
            return raw;
        }
    }
    if (role == SortRole && column == Scan)
        return row.values.value(ColumnCount + 1);
    if (role == Qt::ToolTipRole && column == Digest)
        return raw;
    return CacheTableModel::cellData(row, column, role);
}

// ---- images on the hosts ----

HostImagesModel::HostImagesModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList HostImagesModel::headers() const
{
    return {tr("Host"), tr("Image"), tr("ID"), tr("Size"), tr("Created"), tr("Used by"), tr("State")};
}

QStringList HostImagesModel::watchedTables() const
{
    return {QStringLiteral("host_images"), QStringLiteral("containers"), QStringLiteral("connections")};
}

CacheLoader HostImagesModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QHash<QString, QStringList> users; // "connection|image id" -> container names
        QSqlQuery c(db);
        c.setForwardOnly(true);
        if (!c.exec(
                QStringLiteral("SELECT connection_id, image_id, name FROM containers WHERE image_id <> ''")))
            return Database::describe(c.lastError(), QObject::tr("Reading the containers"));
        while (c.next())
            users[c.value(0).toString() + QLatin1Char('|') + c.value(1).toString()] << c.value(2).toString();
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT i.connection_id, n.name, i.image_id, i.tags, i.size, i.created_at FROM "
                "host_images i JOIN connections n ON n.id = i.connection_id ORDER BY n.name")))
            return Database::describe(q.lastError(), QObject::tr("Reading the hosts' images"));
        CacheRows rows;
        while (q.next()) {
            const QString id = q.value(2).toString();
            QStringList tags;
            for (const QJsonValue &t : QJsonDocument::fromJson(q.value(3).toString().toUtf8()).array())
                tags << t.toString();
            const QStringList usedBy = users.value(q.value(0).toString() + QLatin1Char('|') + id);
            const QString state = !usedBy.isEmpty() ? QStringLiteral("in use")
                                  : tags.isEmpty()  ? QStringLiteral("dangling")
                                                    : QStringLiteral("unused");
            CacheRow row;
            row.key = q.value(0).toString() + QLatin1Char('|') + id;
            row.values = {q.value(1),
                          tags.isEmpty() ? QStringLiteral("<none>") : tags.join(QStringLiteral(", ")),
                          id.mid(7, 12),
                          q.value(4),
                          q.value(5),
                          usedBy.join(QStringLiteral(", ")),
                          state,
                          q.value(0),
                          id};
            rows << row;
        }
        return rows;
    };
}

QVariant HostImagesModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    if (role == ConnectionRole)
        return row.values.value(ColumnCount);
    if (role == ImageIdRole)
        return row.values.value(ColumnCount + 1);
    if (role == StateRole)
        return row.values.value(State);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Size:
            return QLocale().formattedDataSize(raw.toLongLong());
        case Created:
            return localDate(raw.toString(), QString());
        case State: {
            const QString s = raw.toString();
            return s == QLatin1String("in use")     ? tr("in use")
                   : s == QLatin1String("dangling") ? tr("dangling")
                                                    : tr("unused");
        }
        default:
            return raw;
        }
    }
    return CacheTableModel::cellData(row, column, role);
}

// ---- exposure ----

ExposureModel::ExposureModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

void ExposureModel::setThreshold(int severity)
{
    if (m_threshold != severity) {
        m_threshold = severity;
        reload();
    }
}

void ExposureModel::setDays(int days)
{
    if (m_days != days) {
        m_days = days;
        reload();
    }
}

QStringList ExposureModel::headers() const
{
    return {tr("Host"), tr("Container"), tr("Image"), tr("Allowlist"), tr("Scan"), tr("Exposure")};
}

QStringList ExposureModel::watchedTables() const
{
    return {QStringLiteral("containers"),
            QStringLiteral("host_images"),
            QStringLiteral("registry_tags"),
            QStringLiteral("workspace_image_allowlist"),
            QStringLiteral("connections"),
            QStringLiteral("workspace_image_gate"),
            QStringLiteral("workspace_cve_exceptions"),
            QStringLiteral("image_vulnerabilities")};
}

CacheLoader ExposureModel::loader() const
{
    const int threshold = m_threshold;
    const int days = m_days;
    return [threshold, days](QSqlDatabase db) -> Result<CacheRows> {
        const auto policy = readImagePolicy(db);
        if (!policy)
            return policy.error();
        const auto projects = ContainerProjects::read(db);
        if (!projects)
            return projects.error();
        // Scans by digest: the worst scanned severity and its counts.
        struct WorstScan
        {
            int rank = -1;
            QString text;
        };
        QHash<QString, WorstScan> scans;
        QSqlQuery t(db);
        t.setForwardOnly(true);
        if (!t.exec(QStringLiteral("SELECT digest, severity, critical, high, medium, low FROM registry_tags "
                                   "WHERE scan_status = 'Success' AND digest <> ''")))
            return Database::describe(t.lastError(), QObject::tr("Reading the scans"));
        while (t.next()) {
            const auto severity = severityFromText(t.value(1).toString());
            if (!severity)
                continue;
            WorstScan scan{int(*severity), severityText(*severity)};
            QStringList counts;
            const QStringList names{QObject::tr("critical"), QObject::tr("high"), QObject::tr("medium"),
                                    QObject::tr("low")};
            for (int k = 0; k < 4; ++k)
                if (t.value(2 + k).toInt() > 0)
                    counts << QStringLiteral("%1 %2").arg(t.value(2 + k).toInt()).arg(names.at(k));
            if (!counts.isEmpty())
                scan.text += QStringLiteral(" (%1)").arg(counts.join(QStringLiteral(", ")));
            if (scan.rank > scans.value(t.value(0).toString()).rank)
                scans.insert(t.value(0).toString(), scan);
        }
        // The digests each host image is known by (RepoDigests: "name@sha256:…").
        QHash<QString, QStringList> digests; // "connection|image id" -> digests
        QSqlQuery h(db);
        h.setForwardOnly(true);
        if (!h.exec(QStringLiteral("SELECT connection_id, image_id, digests FROM host_images")))
            return Database::describe(h.lastError(), QObject::tr("Reading the hosts' images"));
        while (h.next())
            for (const QJsonValue &d : QJsonDocument::fromJson(h.value(2).toString().toUtf8()).array())
                digests[h.value(0).toString() + QLatin1Char('|') + h.value(1).toString()]
                    << d.toString().section(QLatin1Char('@'), 1);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral(
                "SELECT c.connection_id, n.name, c.container_id, c.name, c.image, c.image_id, "
                "c.labels FROM containers c JOIN connections n ON n.id = c.connection_id "
                "WHERE c.state IN ('running', 'restarting', 'paused') ORDER BY n.name, c.name")))
            return Database::describe(q.lastError(), QObject::tr("Reading the containers"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        CacheRows rows;
        while (q.next()) {
            const QString reference = q.value(4).toString();
            const QJsonObject labels = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object();
            const QString project = projects->of(labels);
            QStringList reasons;
            QString allowText;
            const auto parsed = parseImageReference(reference);
            if (!policy->enforced) {
                allowText = QObject::tr("no allowlist");
            } else if (!parsed) {
                allowText = QObject::tr("not a reference");
                reasons << QObject::tr("never allowed");
            } else {
                const NormalizedImage image = normalizeImage(parsed.value());
                const AllowDecision d = policy->allowlist.decide(
                    image, project, now,
                    policy->registries.tagDigests.value(image.name() + QLatin1Char(':') + image.tag));
                if (d.allowed) {
                    allowText = QObject::tr("allowed by entry %1").arg(d.entry->id);
                    if (d.entry->expiresAt.isValid() && d.entry->expiresAt <= now.addDays(days)) {
                        const qint64 left = now.secsTo(d.entry->expiresAt) / 86400;
                        allowText = QObject::tr("allowed, entry %1 expires in %n day(s)", nullptr, int(left))
                                        .arg(d.entry->id);
                        reasons << QObject::tr("allowing entry expires in %n day(s)", nullptr, int(left));
                    }
                } else if (d.entry) {
                    allowText = QObject::tr("not allowed now: entry %1 expired").arg(d.entry->id);
                    reasons << QObject::tr("not allowed now");
                } else {
                    allowText = QObject::tr("never allowed");
                    reasons << QObject::tr("never allowed");
                }
            }
            WorstScan worst;
            for (const QString &digest :
                 digests.value(q.value(0).toString() + QLatin1Char('|') + q.value(5).toString()))
                if (scans.value(digest).rank > worst.rank)
                    worst = scans.value(digest);
            if (worst.rank >= threshold)
                reasons << QObject::tr("%1 findings").arg(worst.text.section(QLatin1Char(' '), 0, 0));
            // The vulnerability gate as a deploy of this image now would meet it: by the digest the
            // host runs where a synced registry knows it.
            if (parsed && policy->gate.active()) {
                NormalizedImage image;
                const ImageScan scan = scanOfHostImage(
                    policy.value(), normalizeImage(parsed.value()),
                    digests.value(q.value(0).toString() + QLatin1Char('|') + q.value(5).toString()), &image);
                const GateVerdict gate = policy->gate.judge(image, project, now, scan);
                if (gate.blocked)
                    reasons << QObject::tr("the vulnerability gate blocks it: %1")
                                   .arg(gate.blocking.isEmpty()
                                            ? gate.reason.section(QLatin1String(": "), 1)
                                            : gate.blocking.constFirst().describe() +
                                                  (gate.blocking.size() > 1
                                                       ? QObject::tr(" and %n more", nullptr,
                                                                     int(gate.blocking.size()) - 1)
                                                       : QString()));
                else if (gate.coveredUntil().isValid() && gate.coveredUntil() <= now.addDays(days))
                    reasons << QObject::tr("exception %1 expires in %n day(s)", nullptr,
                                           int(now.secsTo(gate.coveredUntil()) / 86400))
                                   .arg(gate.covering.constFirst().id);
            }
            CacheRow row;
            row.key = q.value(0).toString() + QLatin1Char('|') + q.value(2).toString();
            row.values = {q.value(1),
                          q.value(3),
                          reference,
                          allowText,
                          worst.rank >= 0 ? worst.text : QObject::tr("no scan"),
                          reasons.join(QStringLiteral("; ")),
                          q.value(0),
                          q.value(2),
                          !reasons.isEmpty(),
                          reference};
            rows << row;
        }
        return rows;
    };
}

QVariant ExposureModel::cellData(const CacheRow &row, int column, int role) const
{
    if (role == ConnectionRole)
        return row.values.value(ColumnCount);
    if (role == ContainerIdRole)
        return row.values.value(ColumnCount + 1);
    if (role == ExposedRole)
        return row.values.value(ColumnCount + 2);
    if (role == ReferenceRole)
        return row.values.value(ColumnCount + 3);
    if (role == Qt::DisplayRole && column == Exposure && row.values.value(Exposure).toString().isEmpty())
        return tr("not exposed");
    if (role == Qt::ToolTipRole && (column == Exposure || column == Scan || column == Image))
        return row.values.value(column); // the whole of what the column cuts short
    return CacheTableModel::cellData(row, column, role);
}

} // namespace opsdeck
