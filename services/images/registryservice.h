// The registries behind the Images pane, on their own worker thread: syncs what each Registry
// (plain OCI distribution) and Harbor connection holds into the cache (scope "images"), reads an
// artifact's vulnerability report, and asks Harbor to scan. A sync is paged, written in one
// transaction with its audit event, and announced; a failed one keeps the last good copy and records
// the failure, as every pane's does.
//
// Plain registries: the catalog and each repository's tags (n/last pages through Link), then every
// tag's manifest digest (HEAD, Docker-Content-Digest); a manifest is read (GET) only when its digest
// is new to the cache: its kind, platforms and size. Harbor: projects with their vulnerability
// settings and CVE allowlists, the system CVE allowlist, repositories, and artifacts with tags,
// digest, size, push time and scan overview (page/page_size through Link).
#pragma once

#include "models/connections/connection.h"
#include "models/images/registryanswers.h"
#include "services/connections/connectionservice.h"
#include "services/servicehost.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>

namespace opsdeck {

class HttpClient;
class RegistrySession;

namespace Tables {
inline const QString registryRepositories = QStringLiteral("registry_repositories");
inline const QString registryTags = QStringLiteral("registry_tags");
inline const QString harborProjects = QStringLiteral("harbor_projects");
inline const QString imageVulnerabilities = QStringLiteral("image_vulnerabilities");
} // namespace Tables

// One tag (or untagged Harbor artifact) as synced.
struct RegistryTag
{
    QString repository;
    QString tag;
    QString digest;
    QString mediaType;
    QString kind; // ManifestInfo::kindText(), or Harbor's "image"/"index" from the media type
    QString platforms;
    qint64 size = 0;
    QDateTime pushed;
    ScanOverview scan;
};

struct RegistrySnapshot
{
    QList<HarborProject> projects;
    std::optional<CveAllowlist> systemCves;
    QList<std::pair<QString, QString>> repositories; // name, project
    QHash<QString, qint64> artifactCounts;
    QList<RegistryTag> tags;
    // Vulnerability reports read during the sync (Harbor): the artifacts with findings whose report
    // the cache lacks or holds from before their last scan.
    struct Report
    {
        QString repository;
        QString digest;
        QList<Vulnerability> findings;
    };
    QList<Report> reports;
};
// The findings of one artifact's report in place of those the cache held; inside the caller's
// transaction. "cache.write" when the cache refuses.
Result<void> writeVulnerabilityReport(QSqlDatabase cache, qint64 connectionId, const QString &repository,
                                      const QString &digest, const QList<Vulnerability> &findings);

class RegistryService : public Service
{
    Q_OBJECT
public:
    explicit RegistryService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }
    void setAutoSync(bool on) { m_autoSync = on; }
    // Requests in flight at once while reading manifests (default 6, QNetworkAccessManager's per host).
    void setParallelRequests(int n) { m_parallel = qMax(1, n); }
    // Items per page asked for (OCI n, Harbor page_size); default 100.
    void setPageSize(int n) { m_pageSize = qBound(1, n, 1000); }
    // Vulnerability reports a Harbor sync reads at most (the rest on the next sync); default 200.
    void setReportsPerSync(int n) { m_reportsPerSync = qMax(0, n); }
    static inline const QString scope = QStringLiteral("images");

public slots:
    void initialize() override;
    void shutdown() override;
    void syncDue();
    void syncImages(qint64 connectionId);
    // Harbor: reads the vulnerability report of repository@digest into the cache.
    void fetchReport(quint64 requestId, qint64 connectionId, const QString &repository,
                     const QString &digest);
    // Harbor: asks for a scan of repository@reference (POST …/scan), audited.
    void requestScan(quint64 requestId, qint64 connectionId, const QString &repository,
                     const QString &reference);

signals:
    void syncStarted(qint64 connectionId);
    void syncProgress(qint64 connectionId, int percent);
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void reportFetched(quint64 requestId, const opsdeck::Outcome &outcome, int findings);
    void scanRequested(quint64 requestId, const opsdeck::Outcome &outcome);

private:
    using SnapshotDone = std::function<void(const Result<RegistrySnapshot> &)>;
    void withSession(const Connection &c, std::function<void(RegistrySession *, const Error &)> then);
    void syncOci(RegistrySession *session, SnapshotDone done);
    void syncHarbor(RegistrySession *session, SnapshotDone done);
    void store(const Connection &c, const RegistrySnapshot &snapshot, int requests);
    void finish(const Connection &c, const Outcome &outcome);
    // Known digests of a connection's tags, with what their manifests said (read before the sync).
    QHash<QString, RegistryTag> knownManifests(qint64 connectionId) const;

    QHash<qint64, HttpClient *> m_clients;
    QHash<qint64, RegistrySession *> m_sessions;
    QSet<qint64> m_running;
    QSet<qint64> m_syncAgain;
    bool m_demo = false;
    bool m_autoSync = false;
    int m_parallel = 6;
    int m_pageSize = 100;
    int m_reportsPerSync = 200;
};

// "project/repo" as a path segment of Harbor's API: encoded twice, as its swagger says.
QString harborRepositoryPath(const QString &project, const QString &repositoryName);

} // namespace opsdeck
