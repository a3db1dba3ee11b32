// The registry service's Harbor side (services/images/registryservice.h): the sync of projects,
// CVE allowlists, repositories and artifacts, the vulnerability report, and scan requests.
#include "services/images/registryservice.h"
#include "services/images/registryservice_p.h"

#include "models/audit/auditevent.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/images/registrysession.h"
#include "services/net/httpclient.h"
#include "services/store/auditlog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
// Harbor says "image" or "index" in the artifact's manifest media type.
QString harborKind(const QString &mediaType)
{
    if (mediaType.contains(QLatin1String("index")) || mediaType.contains(QLatin1String("manifest.list")))
        return mediaType.contains(QLatin1String("docker")) ? QStringLiteral("Docker manifest list")
                                                           : QStringLiteral("OCI index");
    if (mediaType.contains(QLatin1String("docker")))
        return QStringLiteral("Docker v2 schema 2");
    return mediaType.isEmpty() ? QString() : QStringLiteral("OCI image");
}
} // namespace

QString harborRepositoryPath(const QString &project, const QString &repositoryName)
{
    // Harbor names repositories "project/repo…"; the route wants the part after the project, with a
    // slash encoded twice (a/b -> a%2Fb -> a%252Fb).
    QString inProject = repositoryName;
    if (inProject.startsWith(project + QLatin1Char('/')))
        inProject = inProject.mid(project.size() + 1);
    return encoded(encoded(inProject));
}

namespace {
// The artifacts whose report a sync reads: scanned, with findings, and without a report in the
// cache fetched since their scan ended; at most limit of them.
QList<std::pair<QString, QString>> reportsWanted(qint64 connectionId, const QList<RegistryTag> &tags,
                                                 int limit)
{
    QHash<QString, QDateTime> fetched;
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT digest, MAX(fetched_at) FROM image_vulnerabilities WHERE connection_id = ? GROUP BY digest"));
    q.addBindValue(connectionId);
    if (q.exec())
        while (q.next())
            fetched.insert(q.value(0).toString(), fromStoredTime(q.value(1).toString()));
    QList<std::pair<QString, QString>> wanted;
    QSet<QString> seen;
    for (const RegistryTag &t : tags) {
        if (wanted.size() >= limit)
            break;
        if (!t.scan.scanned() || t.scan.total <= 0 || t.digest.isEmpty() || seen.contains(t.digest))
            continue;
        seen.insert(t.digest);
        const auto at = fetched.constFind(t.digest);
        if (at != fetched.constEnd() && (!t.scan.endTime.isValid() || *at >= t.scan.endTime))
            continue;
        wanted.append({t.repository, t.digest});
    }
    return wanted;
}
} // namespace

Result<void> writeVulnerabilityReport(QSqlDatabase cache, qint64 connectionId, const QString &repository,
                                      const QString &digest, const QList<Vulnerability> &findings)
{
    QSqlQuery q(cache);
    const auto fail = [&q, &repository] {
        return makeError("cache.write",
                         RegistryService::tr("Cannot keep the vulnerability report of %1 in the "
                                             "cache: %2")
                             .arg(repository, q.lastError().text()));
    };
    q.prepare(QStringLiteral("DELETE FROM image_vulnerabilities WHERE connection_id = ? AND digest = ?"));
    q.addBindValue(connectionId);
    q.addBindValue(digest);
    if (!q.exec())
        return fail();
    const QString now = toStoredTime(QDateTime::currentDateTimeUtc());
    q.prepare(
        QStringLiteral("INSERT OR REPLACE INTO image_vulnerabilities (connection_id, repository, digest, "
                       "cve, package, version, fix_version, severity, description, fetched_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const auto text = [](const QString &s) {
        return s.isNull() ? QStringLiteral("") : s;
    };
    for (const Vulnerability &v : findings) {
        q.addBindValue(connectionId);
        for (const QString &value : {repository, digest, v.id, v.package, v.version, v.fixVersion,
                                     severityText(v.severity), v.description, now})
            q.addBindValue(text(value));
        if (!q.exec())
            return fail();
    }
    return {};
}

void RegistryService::syncHarbor(RegistrySession *session, SnapshotDone done)
{
    struct HarborWalk
    {
        RegistrySession *session;
        RegistrySnapshot snapshot;
        int nextProject = 0;
        int nextRepository = 0;
        int pageSize = 100;
        int reportLimit = 200;
        QList<std::pair<QString, QString>> wanted; // reports to read: repository, digest
        std::function<void(int)> progress;
        SnapshotDone done;
    };
    auto walk = std::make_shared<HarborWalk>();
    walk->session = session;
    walk->pageSize = m_pageSize;
    walk->reportLimit = m_reportsPerSync;
    walk->progress = [this, id = session->connection().id](int percent) {
        emit syncProgress(id, percent);
    };
    walk->done = std::move(done);

    // Artifacts of every repository, one repository after another.
    auto artifacts = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakArtifacts = artifacts;
    // Then the reports of scanned artifacts with findings that the cache lacks, one after another.
    auto reports = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakReports = reports;
    *reports = [walk, weakReports] {
        if (walk->wanted.isEmpty())
            return walk->done(walk->snapshot);
        const auto next = walk->wanted.takeFirst();
        const QString repository = next.first;
        const QString digest = next.second;
        const QString project = repository.section(QLatin1Char('/'), 0, 0);
        HttpRequest r;
        r.url = walk->session->url(
            QStringLiteral("/api/v2.0/projects/%1/repositories/%2/artifacts/%3/additions/vulnerabilities")
                .arg(encoded(project), harborRepositoryPath(project, repository), encoded(digest)));
        r.headers = {{"X-Accept-Vulnerabilities", vulnerabilityReportTypes()}};
        r.what = RegistrySession::tr("Reading the vulnerability report of %1").arg(repository);
        walk->session->send(
            r, QString(),
            [walk, repository, digest, self = weakReports.lock()](const HttpResponse &response) {
                // A report that cannot be read leaves the artifact's findings unnamed: the gate then
                // blocks what they count, and says the report is missing.
                const auto report = response.ok() ? parseVulnerabilityReport(response.body)
                                                  : Result<QList<Vulnerability>>(response.error.value());
                if (report)
                    walk->snapshot.reports << RegistrySnapshot::Report{repository, digest, report.value()};
                else
                    qCWarning(lcRegistry).noquote() << report.message();
                (*self)();
            });
    };

    *artifacts = [walk, weakArtifacts, reports] {
        if (walk->nextRepository >= walk->snapshot.repositories.size()) {
            walk->wanted =
                reportsWanted(walk->session->connection().id, walk->snapshot.tags, walk->reportLimit);
            return (*reports)();
        }
        const auto repository = walk->snapshot.repositories.at(walk->nextRepository++);
        const QString name = repository.first;
        const QString project = repository.second;
        HttpRequest first;
        first.url = walk->session->url(
            QStringLiteral("/api/v2.0/projects/%1/repositories/%2/artifacts?page=1&page_size=%3&with_tag=true"
                           "&with_scan_overview=true")
                .arg(encoded(project), harborRepositoryPath(project, name))
                .arg(walk->pageSize));
        first.headers = {{"X-Accept-Vulnerabilities", vulnerabilityReportTypes()}};
        first.what = RegistrySession::tr("Listing the artifacts of %1").arg(name);
        walk->session->pages(
            first, QString(), maxRegistryPages,
            [walk, name](const HttpResponse &r) -> Result<void> {
                const auto list = parseHarborArtifacts(r.body);
                if (!list)
                    return list.error();
                for (const HarborArtifact &a : list.value()) {
                    RegistryTag t;
                    t.repository = name;
                    t.digest = a.digest;
                    t.mediaType = a.mediaType;
                    t.kind = harborKind(a.mediaType);
                    t.size = a.size;
                    t.pushed = a.pushed;
                    t.scan = a.scan;
                    if (a.tags.isEmpty())
                        walk->snapshot.tags << t;
                    for (const QString &tag : a.tags) {
                        t.tag = tag;
                        walk->snapshot.tags << t;
                    }
                }
                return {};
            },
            [walk, self = weakArtifacts.lock()](const Result<int> &pages) {
                if (!pages && pages.error().code != QLatin1String("http.not-found"))
                    return walk->done(pages.error());
                walk->progress(40 +
                               walk->nextRepository * 60 / qMax(1, int(walk->snapshot.repositories.size())));
                (*self)();
            });
    };

    // Repositories of every project.
    auto repositories = std::make_shared<std::function<void()>>();
    std::weak_ptr<std::function<void()>> weakRepositories = repositories;
    *repositories = [walk, weakRepositories, artifacts] {
        if (walk->nextProject >= walk->snapshot.projects.size())
            return (*artifacts)();
        const HarborProject project = walk->snapshot.projects.at(walk->nextProject++);
        HttpRequest first;
        first.url =
            walk->session->url(QStringLiteral("/api/v2.0/projects/%1/repositories?page=1&page_size=%2")
                                   .arg(encoded(project.name))
                                   .arg(walk->pageSize));
        first.what =
            RegistrySession::tr("Listing the repositories of the Harbor project %1").arg(project.name);
        walk->session->pages(
            first, QString(), maxRegistryPages,
            [walk, project](const HttpResponse &r) -> Result<void> {
                const auto list = parseHarborRepositories(r.body);
                if (!list)
                    return list.error();
                for (const HarborRepository &repo : list.value()) {
                    walk->snapshot.repositories.append({repo.name, project.name});
                    walk->snapshot.artifactCounts.insert(repo.name, repo.artifactCount);
                }
                return {};
            },
            [walk, self = weakRepositories.lock()](const Result<int> &pages) {
                if (!pages && pages.error().code != QLatin1String("http.not-found"))
                    return walk->done(pages.error());
                walk->progress(10 + walk->nextProject * 30 / qMax(1, int(walk->snapshot.projects.size())));
                (*self)();
            });
    };

    HttpRequest first;
    first.url = session->url(QStringLiteral("/api/v2.0/projects?page=1&page_size=%1").arg(m_pageSize));
    first.what = tr("Listing the Harbor projects of %1").arg(session->connection().name);
    session->pages(
        first, QString(), maxRegistryPages,
        [walk](const HttpResponse &r) -> Result<void> {
            const auto list = parseHarborProjects(r.body);
            if (!list)
                return list.error();
            walk->snapshot.projects << list.value();
            return {};
        },
        [walk, repositories, session](const Result<int> &pages) {
            if (!pages)
                return walk->done(pages.error());
            HttpRequest cves;
            cves.url = session->url(QStringLiteral("/api/v2.0/system/CVEAllowlist"));
            cves.what = RegistrySession::tr("Reading Harbor's system CVE allowlist");
            session->send(cves, QString(), [walk, repositories](const HttpResponse &r) {
                if (!r.ok())
                    return walk->done(r.error.value());
                const auto list = parseCveAllowlist(r.body);
                if (!list)
                    return walk->done(list.error());
                walk->snapshot.systemCves = list.value();
                walk->progress(10);
                (*repositories)();
            });
        });
}

void RegistryService::fetchReport(quint64 requestId, qint64 connectionId, const QString &repository,
                                  const QString &digest)
{
    const auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit reportFetched(requestId, Outcome::failure(found.error()), 0);
    const Connection c = found.value();
    if (c.kind != ConnectionKind::Harbor)
        return emit reportFetched(
            requestId,
            Outcome::failure(
                makeError("registry.no-scans",
                          tr("%1 is a plain registry: it keeps no vulnerability scans.").arg(c.name))),
            0);
    if (!isDigest(digest) || !isRepositoryName(repository) || !repository.contains(QLatin1Char('/')))
        return emit reportFetched(
            requestId,
            Outcome::failure(
                makeError("registry.reference",
                          tr("\"%1@%2\" is not an artifact of a Harbor project.").arg(repository, digest))),
            0);
    if (m_demo) {
        // The demo answers with the report it has in the cache, and says so for the others.
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral(
            "SELECT COUNT(*) FROM image_vulnerabilities WHERE connection_id = ? AND digest = ?"));
        q.addBindValue(connectionId);
        q.addBindValue(digest);
        const int findings = q.exec() && q.next() ? q.value(0).toInt() : 0;
        return emit reportFetched(
            requestId, findings > 0 ? Outcome::success() : Outcome::failure(demoError()), findings);
    }
    withSession(c, [this, c, requestId, repository, digest](RegistrySession *session, const Error &error) {
        if (!session)
            return emit reportFetched(requestId, Outcome::failure(error), 0);
        const QString project = repository.section(QLatin1Char('/'), 0, 0);
        HttpRequest r;
        r.url = session->url(
            QStringLiteral("/api/v2.0/projects/%1/repositories/%2/artifacts/%3/additions/vulnerabilities")
                .arg(encoded(project), harborRepositoryPath(project, repository), encoded(digest)));
        r.headers = {{"X-Accept-Vulnerabilities", vulnerabilityReportTypes()}};
        r.what = tr("Reading the vulnerability report of %1").arg(repository);
        session->send(r, QString(), [this, c, requestId, repository, digest](const HttpResponse &response) {
            if (!response.ok())
                return emit reportFetched(requestId, Outcome::failure(response.error.value()), 0);
            const auto report = parseVulnerabilityReport(response.body);
            if (!report)
                return emit reportFetched(requestId, Outcome::failure(report.error()), 0);
            CacheTransaction tx;
            const bool ok = tx.begin().ok() &&
                            writeVulnerabilityReport(tx.db(), c.id, repository, digest, report.value()).ok();
            tx.touch(Tables::imageVulnerabilities, c.id);
            if (!ok || !tx.commit()) {
                tx.rollback();
                return emit reportFetched(
                    requestId,
                    Outcome::failure(
                        makeError("cache.write", tr("Cannot keep the vulnerability report in the cache."))),
                    0);
            }
            emit reportFetched(requestId, Outcome::success(), int(report->size()));
        });
    });
}

void RegistryService::requestScan(quint64 requestId, qint64 connectionId, const QString &repository,
                                  const QString &reference)
{
    const auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit scanRequested(requestId, Outcome::failure(found.error()));
    const Connection c = found.value();
    if (c.kind != ConnectionKind::Harbor || !isRepositoryName(repository) ||
        !repository.contains(QLatin1Char('/')) || (!isDigest(reference) && !isTag(reference)))
        return emit scanRequested(
            requestId,
            Outcome::failure(
                makeError("registry.reference", tr("Only an artifact of a Harbor project can be scanned."))));
    if (m_demo)
        return emit scanRequested(requestId, Outcome::failure(demoError()));
    withSession(c, [this, c, requestId, repository, reference](RegistrySession *session, const Error &error) {
        if (!session)
            return emit scanRequested(requestId, Outcome::failure(error));
        const QString project = repository.section(QLatin1Char('/'), 0, 0);
        HttpRequest r;
        r.method = "POST";
        r.url = session->url(
            QStringLiteral("/api/v2.0/projects/%1/repositories/%2/artifacts/%3/scan")
                .arg(encoded(project), harborRepositoryPath(project, repository), encoded(reference)));
        r.headers = {{"Content-Type", "application/json"}};
        r.body = "{\"scan_type\":\"vulnerability\"}";
        r.expectJson = false;
        r.what = tr("Asking Harbor to scan %1").arg(repository);
        session->send(
            r, QString(), [this, c, requestId, repository, reference](const HttpResponse &response) {
                AuditEvent e = connectionEvent(c, AuditAction::imageScan, QStringLiteral("artifact"),
                                               reference, repository);
                if (!response.ok()) {
                    e.outcome = AuditOutcome::Failure;
                    e.details = QJsonObject{{QStringLiteral("error"), response.error->message}};
                }
                if (auto w = AuditLog::record(e); !w)
                    qCWarning(lcRegistry).noquote() << "cannot write the audit log:" << w.message();
                emit scanRequested(
                    requestId, response.ok() ? Outcome::success(tr("Harbor is scanning %1.").arg(repository))
                                             : Outcome::failure(response.error.value()));
            });
    });
}

} // namespace opsdeck
