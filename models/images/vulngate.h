// The vulnerability gate, pure: a setting global and per project (block images whose scan shows a
// finding at or above a threshold on Harbor's scale, and optionally images never scanned), CVE
// exceptions that let named findings through for an image or a project until they expire, and the
// verdict for one image with the findings that decide it.
//
// A project's setting can only make its gate stricter than the global one: the threshold in force
// is the lower of the two, and "block never scanned" holds when either says so. An image is judged
// by the scan of the digest it is (or its tag resolves to in a synced registry); findings are
// counted from the scan overview and named from the vulnerability report, which the registry sync
// reads for every scanned artifact with findings (services/images/registryharbor.cpp).
#pragma once

#include "models/images/allowlist.h"
#include "models/images/registryanswers.h"
#include "models/images/registryindex.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace opsdeck {

// The levels a threshold may name (Harbor's scale, models/images/registryanswers.h), lowest first.
QList<Severity> gateThresholds();

struct GateSetting
{
    QString project;                   // empty: global
    std::optional<Severity> threshold; // none: no severity blocks
    bool blockUnscanned = false;
    QString comment;
    QString updatedBy;
    QDateTime updatedAt;
    bool active() const { return threshold.has_value() || blockUnscanned; }
    QString describe() const; // "block High and above, and images never scanned"
};

// A vulnerability identifier as Harbor's scanners report them ("CVE-2024-6119", "GHSA-…"),
// upper-cased; "image.cve" for text that is none.
Result<QString> normalizeCve(const QString &text);

struct CveException
{
    qint64 id = 0;
    QString cve;
    QString image;   // an allowlist entry's text: the images covered; empty: every image of the project
    QString project; // empty: every project
    QString reason;
    QString grantedBy;
    QDateTime grantedAt;
    QDateTime expiresAt; // always set
    bool expired(const QDateTime &now) const { return !expiresAt.isValid() || now >= expiresAt; }
    QString describe() const; // "exception 4 for CVE-2024-6119 on …/shop/web:* (bob, until 2027-01-31)"
};
// Whether the exception text is well formed: a CVE id, an image as an allowlist entry or a project
// (at least one of them), a reason, an expiry later than now.
Result<CveException> checkException(const CveException &exception, const QDateTime &now);

struct Finding
{
    QString cve;
    Severity severity = Severity::Unknown;
    QString package;
    QString version;
    QString fixVersion;
    QString describe() const; // "CVE-2024-6119 (Critical, openssl 3.0.2, fixed in 3.0.15)"
};

struct ImageScan
{
    bool inRegistry = false; // a synced registry holds the image (by tag or digest)
    QString digest;
    QString status; // empty: never scanned; Harbor's scan status otherwise
    Severity severity = Severity::None;
    int critical = 0, high = 0, medium = 0, low = 0, other = 0;
    bool reportRead = false;
    QList<Finding> findings;
    bool scanned() const { return status.compare(QLatin1String("Success"), Qt::CaseInsensitive) == 0; }
    int countAtOrAbove(Severity threshold) const;
};

// The scans the cache holds (registry_tags, image_vulnerabilities), by "registry/repository@digest".
struct ImageScans
{
    QHash<QString, ImageScan> byDigest;
    // The scan of image: by its digest, or the digest its tag resolves to in index.
    ImageScan find(const NormalizedImage &image, const RegistryIndex &index) const;
};
Result<ImageScans> readImageScans(QSqlDatabase cache);

struct EffectiveGate
{
    std::optional<Severity> threshold;
    bool blockUnscanned = false;
    bool active() const { return threshold.has_value() || blockUnscanned; }
    QString describe() const;
};

struct GateVerdict
{
    bool blocked = false;
    QString reason;                 // empty when the gate has nothing to say
    QList<Finding> blocking;        // the findings that block, named
    QList<CveException> covering;   // the exceptions that let findings through
    QDateTime coveredUntil() const; // the earliest expiry among covering (invalid: none)
};

class VulnGate
{
public:
    explicit VulnGate(const QList<GateSetting> &settings = {}, const QList<CveException> &exceptions = {});
    bool active() const; // some setting blocks something
    EffectiveGate effective(const QString &project) const;
    GateVerdict judge(const NormalizedImage &image, const QString &project, const QDateTime &now,
                      const ImageScan &scan) const;
    const QList<GateSetting> &settings() const { return m_settings; }
    const QList<CveException> &exceptions() const { return m_exceptions; }
    std::optional<GateSetting> setting(const QString &project) const;
    VulnGate withSetting(const GateSetting &setting) const; // for a preview of a change
    // Whether proposed blocks anything in project that the setting in force now does not.
    bool stricter(const GateSetting &proposed) const;

private:
    bool covers(const CveException &e, int index, const QString &cve, const NormalizedImage &image,
                const QString &digest, const QString &project, const QDateTime &now) const;
    QList<GateSetting> m_settings;
    QList<CveException> m_exceptions;
    QList<std::optional<Allowlist>> m_exceptionImages; // one per exception: the images it names
    QHash<QString, QList<int>> m_exceptionsByCve;      // upper-cased CVE -> exceptions
};

// What a preview judges: a running container, a recent deploy or an allowlist entry's image.
struct GateSubject
{
    enum class Kind { Container, Deploy, Entry };
    Kind kind = Kind::Container;
    QString name;  // the container, the deploy, the entry
    QString where; // the host, the deploy's time, the entry's scope
    NormalizedImage image;
    QString project;
    ImageScan scan;
};
struct GatePreviewRow
{
    GateSubject subject;
    GateVerdict verdict; // under the proposed setting
};
// The subjects that proposed blocks and current does not.
QList<GatePreviewRow> previewGate(const VulnGate &current, const VulnGate &proposed,
                                  const QList<GateSubject> &subjects, const QDateTime &now);
QString gateSubjectKindText(GateSubject::Kind kind);

} // namespace opsdeck
