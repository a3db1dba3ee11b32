// Registry answers -> domain types, pure: the OCI distribution API (catalog, tag lists, manifests of
// every kind, the bearer-token challenge and the token server's answer) and Harbor's v2.0 API
// (projects with their vulnerability settings, repositories, artifacts with their scan overview, the
// vulnerability report, the CVE allowlists). Every mapper refuses what does not have the documented
// shape with a message that names the answer; nothing here trusts a field it has not checked.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace opsdeck {

// ---- OCI distribution ----

// WWW-Authenticate of a 401: "Bearer realm=…,service=…,scope=…" (RFC 6750 section 3) or "Basic realm=…".
struct AuthChallenge
{
    QString scheme; // "bearer" or "basic", lower case
    QString realm;
    QString service;
    QString scope; // may hold several scopes separated by spaces
    QString error; // "invalid_token", "insufficient_scope", when given
};
std::optional<AuthChallenge> parseAuthChallenge(const QByteArray &header);

struct RegistryToken
{
    QString token;
    int expiresIn = 60; // seconds; the spec's default when the field is missing, and its minimum
};
// The token server's answer: "token" or (OAuth 2.0) "access_token", "expires_in".
Result<RegistryToken> parseRegistryToken(const QByteArray &body);

// GET /v2/_catalog: {"repositories": [...]}. Every name is checked against the spec's grammar.
Result<QStringList> parseCatalog(const QByteArray &body);
// GET /v2/NAME/tags/list: {"name": NAME, "tags": [...]}; "tags" may be null (a repository without tags).
Result<QStringList> parseTagList(const QByteArray &body, const QString &expectedName);
// The repository name grammar of the distribution spec: path components of [a-z0-9] separated by
// '.', '_', '__' or runs of '-', joined by '/'.
bool isRepositoryName(const QString &name);
// A tag: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
bool isTag(const QString &tag);
// "sha256:" + 64 lower-case hex digits, or "sha512:" + 128 (the algorithms registries use).
bool isDigest(const QString &digest);

// The Accept header for manifest requests: every manifest kind there is, indexes first.
QByteArray manifestAcceptHeader();

struct ManifestPlatform
{
    QString os;
    QString architecture;
    QString variant;
    QString digest;
    qint64 size = 0;
    QString text() const; // "linux/arm64/v8"
};

struct ManifestInfo
{
    enum class Kind { DockerV2, OciManifest, OciIndex, DockerList };
    Kind kind = Kind::OciManifest;
    QString mediaType;
    QString configDigest;              // image manifests
    qint64 size = 0;                   // config and layers of an image manifest (what a pull fetches)
    int layers = 0;                    // image manifests
    QList<ManifestPlatform> platforms; // indexes and manifest lists: one entry per platform
    bool isIndex() const { return kind == Kind::OciIndex || kind == Kind::DockerList; }
    QString kindText() const; // "Docker v2 schema 2", "OCI image", "OCI index", "Docker manifest list"
    QString platformsText() const;
};
// A manifest with the Content-Type it came with (the body's mediaType wins when both are there and the
// header is generic; a contradiction is refused). "registry.schema" when it is none of the four kinds.
Result<ManifestInfo> parseManifest(const QByteArray &contentType, const QByteArray &body);

// ---- Harbor ----

// Harbor's severity scale, lowest first. "None" means scanned and clean.
enum class Severity { None = 0, Unknown, Negligible, Low, Medium, High, Critical };
std::optional<Severity> severityFromText(const QString &text); // case-insensitive
QString severityText(Severity severity);                       // "Critical", as Harbor writes it

struct HarborProject
{
    qint64 id = 0;
    QString name;
    bool isPublic = false;
    int repoCount = 0;
    // metadata (strings "true"/"false" upstream)
    bool preventVulnerable = false;
    QString severity; // "none", "low", "medium", "high", "critical", or empty
    bool autoScan = false;
    bool reuseSystemCveAllowlist = true;
    QStringList cveAllowlist;
    QDateTime cveAllowlistExpires; // invalid: never
};
// GET /projects: an array of projects.
Result<QList<HarborProject>> parseHarborProjects(const QByteArray &body);

struct HarborRepository
{
    QString name; // "project/repo" as Harbor names it
    qint64 artifactCount = 0;
    QDateTime updated;
};
Result<QList<HarborRepository>> parseHarborRepositories(const QByteArray &body);

struct ScanOverview
{
    QString status; // "Success", "Running", "Pending", "Error", "Stopped", … or empty: never scanned
    std::optional<Severity> severity;
    int total = 0;
    int fixable = 0;
    QMap<Severity, int> counts;
    int completePercent = 0;
    QDateTime endTime;
    QString scanner; // "Trivy v0.50"
    bool scanned() const { return status.compare(QLatin1String("Success"), Qt::CaseInsensitive) == 0; }
};

struct HarborArtifact
{
    QString repository; // "project/repo"
    QString digest;
    QString mediaType; // the manifest's
    QStringList tags;
    qint64 size = 0;
    QDateTime pushed;
    QDateTime pulled;
    ScanOverview scan;
};
// GET .../artifacts?with_tag=true&with_scan_overview=true: an array of artifacts.
Result<QList<HarborArtifact>> parseHarborArtifacts(const QByteArray &body);

struct Vulnerability
{
    QString id; // "CVE-2024-1234"
    QString package;
    QString version;
    QString fixVersion;
    Severity severity = Severity::Unknown;
    QString description;
    QStringList links;
    bool operator==(const Vulnerability &) const = default;
};
// The vulnerabilities addition: {"<report MIME type>": {"severity": …, "vulnerabilities": [...]}}
// (vulnerability-addition-report.md). An empty object: no report yet.
Result<QList<Vulnerability>> parseVulnerabilityReport(const QByteArray &body);
// The X-Accept-Vulnerabilities value Opsdeck asks with (the generic report first, then the native one).
QByteArray vulnerabilityReportTypes();

struct CveAllowlist
{
    QStringList cves;
    QDateTime expires; // invalid: never
    bool expired(const QDateTime &now) const { return expires.isValid() && now >= expires; }
};
// GET /system/CVEAllowlist (and a project's cve_allowlist).
Result<CveAllowlist> parseCveAllowlist(const QByteArray &body);

} // namespace opsdeck
