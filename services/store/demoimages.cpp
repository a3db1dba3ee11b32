// The demo's images: services/store/demoworkspace.h, seedImages().
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/store/demoworkspace.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

namespace opsdeck::DemoWorkspace {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DemoWorkspace)
};

QString digestOf(const QString &seed)
{
    return QStringLiteral("sha256:") +
           QString::fromLatin1(QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<void> run(QSqlQuery &q, const QVariantList &values)
{
    // A null string would be bound as NULL: the demo's empty texts are empty.
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values.at(i).typeId() == QMetaType::QString && values.at(i).toString().isNull()
                           ? QVariant(QStringLiteral(""))
                           : values.at(i));
    if (!q.exec())
        return Database::describe(q.lastError(), Tr::tr("Writing the demo images"));
    return {};
}
} // namespace

Result<void> seedImages(QSqlDatabase db, const QDateTime &now, qint64 harborId, qint64 mirrorId)
{
    const QString synced = toStoredTime(now.addSecs(-25 * 60));
    const auto ago = [&now](int hours) {
        return toStoredTime(now.addSecs(-3600 * qint64(hours)));
    };
    QSqlQuery q(db);
    struct Tag
    {
        qint64 connection;
        const char *repository, *tag, *kind, *platforms;
        qint64 size;
        int pushedHoursAgo;
        const char *status, *severity;
        int critical, high, medium, low, other;
    };
    const qint64 mb = 1024 * 1024;
    const Tag tags[] = {
        {harborId, "shop/web", "2.4.1", "OCI image", "", 182 * mb, 20, "Success", "Critical", 2, 5, 9, 14, 3},
        {harborId, "shop/web", "2.4.0", "OCI image", "", 181 * mb, 24 * 9, "Success", "High", 0, 3, 8, 12, 2},
        {harborId, "shop/web", "2.3.9", "OCI image", "", 179 * mb, 24 * 30, "Success", "None", 0, 0, 0, 0, 0},
        {harborId, "shop/web", "", "OCI image", "", 175 * mb, 24 * 80, "", "", 0, 0, 0, 0, 0},
        {harborId, "shop/api", "1.8.0", "OCI image", "", 96 * mb, 48, "Success", "Medium", 0, 0, 2, 6, 1},
        {harborId, "shop/api", "1.7.2", "OCI image", "", 95 * mb, 24 * 12, "Success", "Low", 0, 0, 0, 4, 0},
        {harborId, "platform/nginx", "1.27.3", "OCI index", "linux/amd64, linux/arm64", 71 * mb, 24 * 4,
         "Success", "None", 0, 0, 0, 0, 0},
        {harborId, "platform/nginx", "1.27.2", "OCI index", "linux/amd64, linux/arm64", 71 * mb, 24 * 20,
         "Success", "High", 0, 1, 3, 2, 0},
        {harborId, "platform/nginx", "1.25", "Docker v2 schema 2", "", 68 * mb, 24 * 200, "Success",
         "Critical", 1, 7, 19, 22, 6},
        {harborId, "platform/postgres", "16.4", "OCI index", "linux/amd64, linux/arm64", 152 * mb, 24 * 6,
         "Success", "Low", 0, 0, 0, 3, 1},
        {harborId, "platform/postgres", "16.3", "OCI index", "linux/amd64, linux/arm64", 151 * mb, 24 * 40,
         "Success", "Medium", 0, 0, 4, 7, 2},
        {harborId, "platform/postgres", "15.8", "Docker v2 schema 2", "", 148 * mb, 3, "Running", "", 0, 0, 0,
         0, 0},
        {harborId, "ml/trainer", "0.9.0", "OCI image", "", 2900 * mb, 30, "Success", "Critical", 4, 11, 20,
         31, 9},
        {harborId, "ml/trainer", "0.8.5", "OCI image", "", 2800 * mb, 24 * 15, "", "", 0, 0, 0, 0, 0},
        {mirrorId, "library/alpine", "3.20", "OCI index", "linux/amd64, linux/arm64/v8, linux/arm/v7", 3 * mb,
         24 * 25, "", "", 0, 0, 0, 0, 0},
        {mirrorId, "library/alpine", "3.19", "OCI index", "linux/amd64, linux/arm64/v8", 3 * mb, 24 * 120, "",
         "", 0, 0, 0, 0, 0},
        {mirrorId, "library/busybox", "1.36", "Docker manifest list", "linux/amd64, linux/arm64", 2 * mb,
         24 * 300, "", "", 0, 0, 0, 0, 0},
        {mirrorId, "library/redis", "7.2", "Docker v2 schema 2", "", 41 * mb, 24 * 60, "", "", 0, 0, 0, 0, 0},
    };
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO registry_tags (connection_id, repository, tag, digest, media_type, "
        "kind, platforms, size, pushed_at, scan_status, severity, critical, high, medium, low, "
        "other, fixable, scanned_at, synced_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    QHash<QString, int> counts;
    for (const Tag &t : tags) {
        if (t.connection <= 0)
            continue;
        const QString repository = QLatin1String(t.repository);
        ++counts[QString::number(t.connection) + QLatin1Char('|') + repository];
        if (auto r = run(
                q, {t.connection, repository, QLatin1String(t.tag),
                    digestOf(repository + QLatin1Char(':') + QLatin1String(t.tag) + QStringLiteral("@demo")),
                    QString(), QLatin1String(t.kind), QLatin1String(t.platforms), t.size,
                    ago(t.pushedHoursAgo), QLatin1String(t.status), QLatin1String(t.severity), t.critical,
                    t.high, t.medium, t.low, t.other, (t.critical + t.high + t.medium) / 2,
                    QLatin1String(t.status).isEmpty() ? QString() : ago(t.pushedHoursAgo - 1), synced});
            !r)
            return r;
    }
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO registry_repositories (connection_id, name, project, "
                             "artifact_count, tag_count, synced_at) VALUES (?,?,?,?,?,?)"));
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        const qint64 id = it.key().section(QLatin1Char('|'), 0, 0).toLongLong();
        const QString name = it.key().section(QLatin1Char('|'), 1);
        if (auto r = run(q, {id, name, id == harborId ? name.section(QLatin1Char('/'), 0, 0) : QString(),
                             it.value(), it.value(), synced});
            !r)
            return r;
    }
    if (harborId > 0) {
        q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO harbor_projects (connection_id, name, project_id, public, "
                           "repo_count, prevent_vul, severity, auto_scan, reuse_sys_cve, cve_allowlist, "
                           "cve_expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
        for (const QVariantList &p :
             {QVariantList{harborId, QStringLiteral("shop"), 2, 0, 2, 1, QStringLiteral("high"), 1, 0,
                           QStringLiteral("[\"CVE-2024-6387\"]"), toStoredTime(now.addDays(20))},
              QVariantList{harborId, QStringLiteral("platform"), 3, 1, 2, 0, QString(), 1, 1,
                           QStringLiteral("[]"), QString()},
              QVariantList{harborId, QStringLiteral("ml"), 4, 0, 1, 1, QStringLiteral("critical"), 0, 1,
                           QStringLiteral("[]"), QString()}})
            if (auto r = run(q, p); !r)
                return r;
        q.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO harbor_system_cves (connection_id, cves, expires_at) VALUES (?,?,?)"));
        if (auto r = run(q, {harborId, QStringLiteral("[\"CVE-2023-44487\"]"), QString()}); !r)
            return r;
        // The report of shop/web:2.4.1, as the pane shows it after "Vulnerabilities…".
        q.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO image_vulnerabilities (connection_id, repository, digest, cve, "
            "package, version, fix_version, severity, description, fetched_at) VALUES "
            "(?,?,?,?,?,?,?,?,?,?)"));
        const QString web = digestOf(QStringLiteral("shop/web:2.4.1@demo"));
        const char *findings[][6] = {
            {"CVE-2024-3094", "xz-utils", "5.6.0-0.2", "5.6.1+really5.4.5-1", "Critical",
             "Malicious code in the xz upstream tarballs (liblzma backdoor)."},
            {"CVE-2024-45491", "libexpat1", "2.5.0-1", "2.5.0-1+deb12u1", "Critical",
             "Integer overflow in XML_Parse on 32-bit platforms."},
            {"CVE-2024-6387", "openssh-client", "1:9.2p1-2", "1:9.2p1-2+deb12u3", "High",
             "regreSSHion: signal handler race in sshd."},
            {"CVE-2023-44487", "libnghttp2-14", "1.52.0-1", "1.52.0-1+deb12u1", "High",
             "HTTP/2 rapid reset can exhaust server resources."},
            {"CVE-2024-2511", "libssl3", "3.0.11-1", "3.0.13-1~deb12u1", "Medium",
             "Unbounded memory growth with session handling in TLSv1.3."},
        };
        for (const auto &f : findings)
            if (auto r = run(q, {harborId, QStringLiteral("shop/web"), web, QLatin1String(f[0]),
                                 QLatin1String(f[1]), QLatin1String(f[2]), QLatin1String(f[3]),
                                 QLatin1String(f[4]), QLatin1String(f[5]), synced});
                !r)
                return r;
    }
    for (const qint64 id : {harborId, mirrorId})
        if (id > 0)
            if (auto r =
                    ConnectionStore::recordSuccess(db, id, QStringLiteral("images"), now.addSecs(-25 * 60));
                !r)
                return r;

    // The team's projects, allowlist and requests, as the workspace's copy has them.
    for (const char *table : {"workspace_projects", "workspace_image_allowlist", "workspace_image_requests",
                              "workspace_image_gate", "workspace_cve_exceptions"})
        if (!q.exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table))))
            return Database::describe(q.lastError(), Tr::tr("Writing the demo images"));
    q.prepare(QStringLiteral("INSERT INTO workspace_projects (name, managers, members) VALUES (?,?,?)"));
    for (const QVariantList &p :
         {QVariantList{QStringLiteral("shop"), QStringLiteral("[\"bob\"]"),
                       QStringLiteral("[\"erin\",\"gwen\"]")},
          QVariantList{QStringLiteral("ml"), QStringLiteral("[\"dana\"]"), QStringLiteral("[\"erin\"]")},
          QVariantList{QStringLiteral("platform"), QStringLiteral("[\"alice\"]"), QStringLiteral("[]")}})
        if (auto r = run(q, p); !r)
            return r;
    const QString harborHost = QStringLiteral("registry.acme.internal");
    const QString mirrorHost = QStringLiteral("mirror.acme.internal");
    struct Entry
    {
        QString entry, project, reason, by;
        int addedHoursAgo;
        int expiresInHours; // 0: never
        QString approvedDigest;
    };
    const QList<Entry> entries{
        {harborHost + QStringLiteral("/platform/*"),
         QString(),
         QStringLiteral("The platform team's base images"),
         QStringLiteral("alice"),
         24 * 90,
         0,
         {}},
        {harborHost + QStringLiteral("/shop/web:2.4.1"), QStringLiteral("shop"),
         QStringLiteral("Release 2.4.1"), QStringLiteral("bob"), 24 * 3, 0,
         digestOf(QStringLiteral("shop/web:2.4.1@approved"))},
        {harborHost + QStringLiteral("/shop/api:1.8.0"), QStringLiteral("shop"),
         QStringLiteral("Approved request from erin"), QStringLiteral("bob"), 40, 0,
         digestOf(QStringLiteral("shop/api:1.8.0@demo"))},
        {harborHost + QStringLiteral("/ml/trainer:0.*"),
         QStringLiteral("ml"),
         QStringLiteral("Training images"),
         QStringLiteral("dana"),
         24 * 20,
         24 * 5,
         {}},
        {harborHost + QStringLiteral("/ml/legacy:1.0"),
         QStringLiteral("ml"),
         QStringLiteral("Old pipeline, until it is retired"),
         QStringLiteral("dana"),
         24 * 120,
         -72,
         {}},
        {mirrorHost + QStringLiteral("/library/alpine:3.18"),
         QString(),
         QStringLiteral("Build stages"),
         QStringLiteral("chen"),
         24 * 200,
         0,
         {}},
        {mirrorHost + QStringLiteral("/library/redis"),
         QString(),
         QStringLiteral("Caches"),
         QStringLiteral("chen"),
         24 * 50,
         24 * 4,
         {}},
        {QStringLiteral("docker.io/library/nginx:1.27-*"),
         QString(),
         QStringLiteral("Reverse proxies"),
         QStringLiteral("alice"),
         24 * 60,
         0,
         {}},
        {QStringLiteral("docker.io/library/postgres:16"),
         QString(),
         QStringLiteral("Databases of the quick services"),
         QStringLiteral("bob"),
         24 * 45,
         24 * 30,
         {}},
    };
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_image_allowlist (id, entry, project, reason, added_by, added_at, "
        "expires_at, approved_digest) VALUES (?,?,?,?,?,?,?,?)"));
    int id = 0;
    for (const Entry &e : entries)
        if (auto r =
                run(q, {++id, e.entry, e.project, e.reason, e.by, ago(e.addedHoursAgo),
                        e.expiresInHours == 0 ? QString()
                                              : toStoredTime(now.addSecs(3600 * qint64(e.expiresInHours))),
                        e.approvedDigest});
            !r)
            return r;
    struct Request
    {
        QString reference, project, reason, by;
        int hoursAgo;
        QString state, decidedBy, answer;
        int entry;
    };
    const QList<Request> requests{
        {harborHost + QStringLiteral("/ml/trainer:0.9.0"),
         QStringLiteral("ml"),
         QStringLiteral("New training run for the Q1 model"),
         QStringLiteral("erin"),
         5,
         QStringLiteral("pending"),
         {},
         {},
         0},
        {QStringLiteral("docker.io/grafana/grafana:11.2.0"),
         QString(),
         QStringLiteral("Dashboards for the build farm"),
         QStringLiteral("gwen"),
         26,
         QStringLiteral("pending"),
         {},
         {},
         0},
        {harborHost + QStringLiteral("/shop/api:1.8.0"), QStringLiteral("shop"),
         QStringLiteral("The new checkout API"), QStringLiteral("erin"), 44, QStringLiteral("approved"),
         QStringLiteral("bob"), QStringLiteral("Scanned: medium findings only"), 3},
        {QStringLiteral("docker.io/library/ubuntu:latest"), QString(), QStringLiteral("Debugging"),
         QStringLiteral("gwen"), 24 * 8, QStringLiteral("denied"), QStringLiteral("alice"),
         QStringLiteral("Pin a version; use the mirror's alpine for debugging"), 0},
    };
    q.prepare(QStringLiteral(
        "INSERT INTO workspace_image_requests (id, reference, project, reason, requested_by, "
        "requested_at, state, decided_by, decided_at, answer, entry_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    id = 0;
    for (const Request &r : requests)
        if (auto w =
                run(q, {++id, r.reference, r.project, r.reason, r.by, ago(r.hoursAgo), r.state, r.decidedBy,
                        r.decidedBy.isEmpty() ? QString() : ago(r.hoursAgo - 2), r.answer, r.entry});
            !w)
            return w;

    // The vulnerability gate: Critical everywhere, High and never-scanned blocked in ml; exceptions
    // in force, about to expire and expired (shop-web-1's xz finding is excepted for five more days,
    // its expat one no longer, so its next deploy is refused).
    q.prepare(
        QStringLiteral("INSERT INTO workspace_image_gate (project, threshold, block_unscanned, comment, "
                       "updated_by, updated_at) VALUES (?,?,?,?,?,?)"));
    for (const QVariantList &g :
         {QVariantList{QString(), QStringLiteral("Critical"), 0,
                       QStringLiteral("No critical findings in production after the xz backdoor"),
                       QStringLiteral("alice"), ago(24 * 30)},
          QVariantList{QStringLiteral("ml"), QStringLiteral("High"), 1,
                       QStringLiteral("The trainers see customer data"), QStringLiteral("dave"),
                       ago(24 * 9)}})
        if (auto w = run(q, g); !w)
            return w;
    q.prepare(
        QStringLiteral("INSERT INTO workspace_cve_exceptions (id, cve, image, project, reason, granted_by, "
                       "granted_at, expires_at) VALUES (?,?,?,?,?,?,?,?)"));
    for (const QVariantList &e :
         {QVariantList{
              1, QStringLiteral("CVE-2024-3094"), harborHost + QStringLiteral("/shop/web:2.4.*"),
              QStringLiteral("shop"),
              QStringLiteral("No sshd in the image, so the backdoor is unreachable; 2.4.2 ships Friday"),
              QStringLiteral("bob"), ago(24 * 9), toStoredTime(now.addDays(5))},
          QVariantList{2, QStringLiteral("CVE-2024-45491"), QString(), QStringLiteral("shop"),
                       QStringLiteral("32-bit only; our hosts are 64-bit"), QStringLiteral("bob"),
                       ago(24 * 40), toStoredTime(now.addDays(-3))},
          QVariantList{3, QStringLiteral("CVE-2023-44487"),
                       harborHost + QStringLiteral("/platform/nginx:1.27.*"), QString(),
                       QStringLiteral("HTTP/2 is off at the edge proxy"), QStringLiteral("alice"),
                       ago(24 * 20), toStoredTime(now.addDays(70))}})
        if (auto w = run(q, e); !w)
            return w;
    return {};
}

} // namespace opsdeck::DemoWorkspace
