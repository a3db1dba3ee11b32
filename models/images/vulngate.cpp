#include "models/images/vulngate.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSqlQuery>

#include <algorithm>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::VulnGate)
};

// At most this many findings are named in a verdict; the rest are counted.
constexpr int namedFindings = 5;

QString dateText(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}
} // namespace

QList<Severity> gateThresholds()
{
    return {Severity::Unknown, Severity::Negligible, Severity::Low,
            Severity::Medium,  Severity::High,       Severity::Critical};
}

QString GateSetting::describe() const
{
    return EffectiveGate{threshold, blockUnscanned}.describe();
}

QString EffectiveGate::describe() const
{
    if (threshold && blockUnscanned)
        return Tr::tr("blocks %1 and above, and images never scanned").arg(severityText(*threshold));
    if (threshold)
        return Tr::tr("blocks %1 and above").arg(severityText(*threshold));
    if (blockUnscanned)
        return Tr::tr("blocks images never scanned");
    return Tr::tr("blocks nothing");
}

Result<QString> normalizeCve(const QString &text)
{
    static const QRegularExpression id(
        QStringLiteral("\\A[A-Z][A-Z0-9]{1,15}-[A-Z0-9][A-Z0-9.:_-]{0,62}\\z"));
    const QString upper = text.trimmed().toUpper();
    if (upper.isEmpty())
        return makeError("image.cve", Tr::tr("Name the vulnerability the exception covers (CVE-2024-6119)."));
    if (!id.match(upper).hasMatch())
        return makeError("image.cve",
                         Tr::tr("\"%1\" is not a vulnerability identifier such as CVE-2024-6119 or "
                                "GHSA-xxxx-xxxx-xxxx.")
                             .arg(text.trimmed().left(80)));
    return upper;
}

QString CveException::describe() const
{
    QString scope;
    if (!image.isEmpty() && !project.isEmpty())
        scope = Tr::tr("%1 in project %2").arg(image, project);
    else if (!image.isEmpty())
        scope = image;
    else
        scope = Tr::tr("project %1").arg(project);
    return Tr::tr("exception %1 for %2 on %3 (%4, until %5)")
        .arg(id)
        .arg(cve, scope, grantedBy, dateText(expiresAt));
}

Result<CveException> checkException(const CveException &exception, const QDateTime &now)
{
    CveException e = exception;
    const auto cve = normalizeCve(e.cve);
    if (!cve)
        return cve.error();
    e.cve = cve.value();
    e.image = e.image.trimmed();
    e.project = e.project.trimmed();
    if (e.image.isEmpty() && e.project.isEmpty())
        return makeError("image.exception",
                         Tr::tr("Say which image or which project the exception for %1 covers.").arg(e.cve));
    if (!e.image.isEmpty()) {
        const auto entry = parseAllowEntry(e.image);
        if (!entry)
            return entry.error();
        e.image = entry->text();
    }
    if (e.reason.trimmed().isEmpty())
        return makeError("image.reason",
                         Tr::tr("Say why %1 may run despite %2: the reason is kept with the exception.")
                             .arg(e.image.isEmpty() ? Tr::tr("project %1").arg(e.project) : e.image, e.cve));
    if (e.reason.size() > 2000)
        return makeError("image.reason", Tr::tr("The reason is longer than 2,000 characters."));
    e.reason = e.reason.trimmed();
    if (!e.expiresAt.isValid())
        return makeError(
            "image.expiry",
            Tr::tr("An exception for %1 needs an expiry: exceptions end, findings get fixed.").arg(e.cve));
    if (e.expiresAt <= now)
        return makeError("image.expiry", Tr::tr("The exception for %1 would expire %2, which is past.")
                                             .arg(e.cve, e.expiresAt.toUTC().toString(Qt::ISODate)));
    return e;
}

QString Finding::describe() const
{
    QStringList parts{severityText(severity)};
    if (!package.isEmpty())
        parts << (version.isEmpty() ? package : package + QLatin1Char(' ') + version);
    if (!fixVersion.isEmpty())
        parts << Tr::tr("fixed in %1").arg(fixVersion);
    else if (!package.isEmpty())
        parts << Tr::tr("no fix yet");
    return QStringLiteral("%1 (%2)").arg(cve, parts.join(QStringLiteral(", ")));
}

int ImageScan::countAtOrAbove(Severity threshold) const
{
    int n = 0;
    if (threshold <= Severity::Critical)
        n += critical;
    if (threshold <= Severity::High)
        n += high;
    if (threshold <= Severity::Medium)
        n += medium;
    if (threshold <= Severity::Low)
        n += low;
    if (threshold <= Severity::Negligible)
        n += other;
    return n;
}

ImageScan ImageScans::find(const NormalizedImage &image, const RegistryIndex &index) const
{
    QString digest = image.digest;
    if (digest.isEmpty() && !image.tag.isEmpty())
        digest = index.tagDigests.value(image.name() + QLatin1Char(':') + image.tag);
    if (!digest.isEmpty())
        if (const auto it = byDigest.constFind(image.name() + QLatin1Char('@') + digest);
            it != byDigest.constEnd())
            return *it;
    ImageScan none;
    none.inRegistry =
        index.repositories.contains(image.name()) &&
        (image.digest.isEmpty() ? index.tagDigests.contains(image.name() + QLatin1Char(':') + image.tag)
                                : index.digests.contains(image.name() + QLatin1Char('@') + image.digest));
    none.digest = digest;
    return none;
}

Result<ImageScans> readImageScans(QSqlDatabase cache)
{
    ImageScans scans;
    QHash<qint64, QString> hosts;
    QSqlQuery q(cache);
    q.setForwardOnly(true);
    const auto fail = [&q] {
        return makeError("cache.read",
                         Database::describe(q.lastError(), Tr::tr("Reading the image scans")).message);
    };
    if (!q.exec(QStringLiteral("SELECT id, endpoint FROM connections")))
        return fail();
    while (q.next())
        hosts.insert(q.value(0).toLongLong(), registryHostOf(q.value(1).toString()));
    if (!q.exec(QStringLiteral("SELECT connection_id, repository, digest, scan_status, severity, critical, "
                               "high, medium, low, other FROM registry_tags WHERE digest <> ''")))
        return fail();
    while (q.next()) {
        const QString host = hosts.value(q.value(0).toLongLong());
        if (host.isEmpty())
            continue;
        const QString key =
            host + QLatin1Char('/') + q.value(1).toString() + QLatin1Char('@') + q.value(2).toString();
        ImageScan &s = scans.byDigest[key];
        s.inRegistry = true;
        s.digest = q.value(2).toString();
        s.status = q.value(3).toString();
        s.severity = severityFromText(q.value(4).toString()).value_or(Severity::None);
        s.critical = q.value(5).toInt();
        s.high = q.value(6).toInt();
        s.medium = q.value(7).toInt();
        s.low = q.value(8).toInt();
        s.other = q.value(9).toInt();
    }
    if (!q.exec(QStringLiteral("SELECT connection_id, repository, digest, cve, severity, package, version, "
                               "fix_version FROM image_vulnerabilities ORDER BY connection_id, repository, "
                               "digest, cve")))
        return fail();
    while (q.next()) {
        const QString key = hosts.value(q.value(0).toLongLong()) + QLatin1Char('/') + q.value(1).toString() +
                            QLatin1Char('@') + q.value(2).toString();
        const auto it = scans.byDigest.find(key);
        if (it == scans.byDigest.end())
            continue;
        it->reportRead = true;
        it->findings << Finding{q.value(3).toString(),
                                severityFromText(q.value(4).toString()).value_or(Severity::Unknown),
                                q.value(5).toString(), q.value(6).toString(), q.value(7).toString()};
    }
    return scans;
}

QDateTime GateVerdict::coveredUntil() const
{
    QDateTime until;
    for (const CveException &e : covering)
        if (!until.isValid() || e.expiresAt < until)
            until = e.expiresAt;
    return until;
}

VulnGate::VulnGate(const QList<GateSetting> &settings, const QList<CveException> &exceptions)
    : m_settings(settings), m_exceptions(exceptions)
{
    m_exceptionImages.reserve(m_exceptions.size());
    for (int i = 0; i < m_exceptions.size(); ++i)
        m_exceptionsByCve[m_exceptions.at(i).cve.toUpper()] << i;
    for (const CveException &e : m_exceptions) {
        std::optional<Allowlist> images;
        if (const auto entry = parseAllowEntry(e.image); !e.image.isEmpty() && entry)
            images = Allowlist({entry.value()});
        m_exceptionImages << images;
    }
}

bool VulnGate::active() const
{
    return std::any_of(m_settings.cbegin(), m_settings.cend(),
                       [](const GateSetting &s) { return s.active(); });
}

std::optional<GateSetting> VulnGate::setting(const QString &project) const
{
    for (const GateSetting &s : m_settings)
        if (s.project == project)
            return s;
    return std::nullopt;
}

EffectiveGate VulnGate::effective(const QString &project) const
{
    EffectiveGate gate;
    for (const GateSetting &s : m_settings) {
        if (!s.project.isEmpty() && s.project != project)
            continue;
        if (s.threshold && (!gate.threshold || *s.threshold < *gate.threshold))
            gate.threshold = s.threshold;
        gate.blockUnscanned = gate.blockUnscanned || s.blockUnscanned;
    }
    return gate;
}

VulnGate VulnGate::withSetting(const GateSetting &setting) const
{
    QList<GateSetting> settings;
    for (const GateSetting &s : m_settings)
        if (s.project != setting.project)
            settings << s;
    settings << setting;
    return VulnGate(settings, m_exceptions);
}

bool VulnGate::stricter(const GateSetting &proposed) const
{
    const auto now = setting(proposed.project).value_or(GateSetting{proposed.project, {}, false, {}, {}, {}});
    const bool lowerThreshold =
        proposed.threshold && (!now.threshold || *proposed.threshold < *now.threshold);
    return lowerThreshold || (proposed.blockUnscanned && !now.blockUnscanned);
}

bool VulnGate::covers(const CveException &e, int index, const QString &cve, const NormalizedImage &image,
                      const QString &digest, const QString &project, const QDateTime &now) const
{
    if (e.expired(now) || e.cve.compare(cve, Qt::CaseInsensitive) != 0)
        return false;
    if (!e.project.isEmpty() && e.project != project)
        return false;
    if (e.image.isEmpty())
        return true;
    const auto &images = m_exceptionImages.at(index);
    return images && images->decide(image, QString(), now, digest).allowed;
}

GateVerdict VulnGate::judge(const NormalizedImage &image, const QString &project, const QDateTime &now,
                            const ImageScan &scan) const
{
    GateVerdict v;
    const EffectiveGate gate = effective(project);
    if (!gate.active())
        return v;
    if (!scan.scanned()) {
        const QString why =
            !scan.inRegistry ? Tr::tr("no synced Harbor registry holds this image, so it was never scanned")
            : scan.status.isEmpty() ? Tr::tr("it was never scanned")
                                    : Tr::tr("its scan has no result (%1)").arg(scan.status);
        if (gate.blockUnscanned) {
            v.blocked = true;
            v.reason = Tr::tr("Vulnerability gate: %1, and the gate blocks images never scanned.").arg(why);
        } else {
            v.reason = Tr::tr("Vulnerability gate: %1; the gate lets unscanned images through.").arg(why);
        }
        return v;
    }
    if (!gate.threshold)
        return v;
    const Severity threshold = *gate.threshold;
    const int counted = scan.countAtOrAbove(threshold);
    if (counted == 0) {
        v.reason = Tr::tr("Vulnerability gate: no finding at %1 or above.").arg(severityText(threshold));
        return v;
    }
    if (!scan.reportRead) {
        v.blocked = true;
        v.reason = Tr::tr("Vulnerability gate: findings at %1 or above: %2; the vulnerability report has not "
                          "been read, so neither the findings nor their exceptions can be named (a registry "
                          "sync reads it).")
                       .arg(severityText(threshold))
                       .arg(counted);
        return v;
    }
    QList<Finding> blocking;
    for (const Finding &f : scan.findings) {
        if (f.severity < threshold)
            continue;
        bool covered = false;
        for (const int i : m_exceptionsByCve.value(f.cve.toUpper()))
            if (!covered && covers(m_exceptions.at(i), i, f.cve, image, scan.digest, project, now)) {
                covered = true;
                if (std::none_of(v.covering.cbegin(), v.covering.cend(),
                                 [&](const CveException &c) { return c.id == m_exceptions.at(i).id; }))
                    v.covering << m_exceptions.at(i);
            }
        if (!covered)
            blocking << f;
    }
    std::stable_sort(blocking.begin(), blocking.end(),
                     [](const Finding &a, const Finding &b) { return a.severity > b.severity; });
    v.blocking = blocking;
    std::sort(v.covering.begin(), v.covering.end(),
              [](const CveException &a, const CveException &b) { return a.id < b.id; });
    if (blocking.isEmpty()) {
        QStringList ids;
        for (const CveException &e : v.covering)
            ids << QString::number(e.id);
        v.reason = Tr::tr("Vulnerability gate: every finding at %1 or above is covered by exceptions %2.")
                       .arg(severityText(threshold), ids.join(QStringLiteral(", ")));
        return v;
    }
    v.blocked = true;
    QStringList named;
    for (const Finding &f : blocking.mid(0, namedFindings))
        named << f.describe();
    QString more;
    if (blocking.size() > namedFindings)
        more = Tr::tr(" and %n more", nullptr, int(blocking.size()) - namedFindings);
    v.reason =
        Tr::tr("Vulnerability gate (%1): %2%3.").arg(gate.describe(), named.join(QStringLiteral("; ")), more);
    return v;
}

QList<GatePreviewRow> previewGate(const VulnGate &current, const VulnGate &proposed,
                                  const QList<GateSubject> &subjects, const QDateTime &now)
{
    QList<GatePreviewRow> rows;
    for (const GateSubject &s : subjects) {
        const GateVerdict after = proposed.judge(s.image, s.project, now, s.scan);
        if (!after.blocked || current.judge(s.image, s.project, now, s.scan).blocked)
            continue;
        rows << GatePreviewRow{s, after};
    }
    return rows;
}

QString gateSubjectKindText(GateSubject::Kind kind)
{
    switch (kind) {
    case GateSubject::Kind::Container:
        return Tr::tr("Running container");
    case GateSubject::Kind::Deploy:
        return Tr::tr("Recent deploy");
    case GateSubject::Kind::Entry:
        return Tr::tr("Allowlist entry");
    }
    return {};
}

} // namespace opsdeck
