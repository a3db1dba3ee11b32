#include "models/images/registryanswers.h"

#include "models/core/jsonanswer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::RegistryAnswers)
};

constexpr int maxListed = 1000000; // a catalog or tag page longer than this is not an answer

const QString dockerV2 = QStringLiteral("application/vnd.docker.distribution.manifest.v2+json");
const QString dockerList = QStringLiteral("application/vnd.docker.distribution.manifest.list.v2+json");
const QString ociManifest = QStringLiteral("application/vnd.oci.image.manifest.v1+json");
const QString ociIndex = QStringLiteral("application/vnd.oci.image.index.v1+json");

QDateTime isoTime(const QJsonValue &v)
{
    if (!v.isString())
        return {};
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

Error schema(const QString &source, const QString &what)
{
    return makeError("registry.schema",
                     Tr::tr("%1 does not have the documented shape: %2.").arg(source, what));
}

Error harborSchema(const QString &what)
{
    return makeError("harbor.schema",
                     Tr::tr("Harbor's answer does not have the documented shape: %1.").arg(what));
}

// Harbor's metadata flags are the strings "true" and "false".
bool flag(const QJsonObject &metadata, const char *key, bool fallback)
{
    const QJsonValue v = metadata.value(QLatin1String(key));
    if (v.isString())
        return v.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    if (v.isBool())
        return v.toBool();
    return fallback;
}

qint64 nonNegative(const QJsonValue &v)
{
    const double d = v.toDouble(0);
    return d > 0 && d < 9.0e15 ? qint64(d) : 0;
}

Result<CveAllowlist> cveAllowlistFrom(const QJsonObject &o)
{
    CveAllowlist list;
    const QJsonValue items = o.value(QLatin1String("items"));
    if (!items.isArray() && !items.isNull() && !items.isUndefined())
        return harborSchema(Tr::tr("the CVE allowlist's \"items\" is not a list"));
    QSet<QString> seen;
    for (const QJsonValue &item : items.toArray()) {
        const QString cve = item.toObject().value(QLatin1String("cve_id")).toString().trimmed();
        if (cve.isEmpty() || cve.size() > 64)
            return harborSchema(Tr::tr("a CVE allowlist item has no usable \"cve_id\""));
        if (!seen.contains(cve)) {
            seen.insert(cve);
            list.cves << cve;
        }
    }
    const QJsonValue expires = o.value(QLatin1String("expires_at"));
    if (expires.isDouble() && expires.toDouble() > 0 && expires.toDouble() < 1.0e11)
        list.expires = QDateTime::fromSecsSinceEpoch(qint64(expires.toDouble()), Qt::UTC);
    return list;
}
} // namespace

// ---- OCI ----

std::optional<AuthChallenge> parseAuthChallenge(const QByteArray &header)
{
    const QString text = QString::fromLatin1(header).trimmed();
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    const QString scheme = (space < 0 ? text : text.left(space)).toLower();
    if (scheme != QLatin1String("bearer") && scheme != QLatin1String("basic"))
        return std::nullopt;
    AuthChallenge c;
    c.scheme = scheme;
    // auth-param = token "=" ( token / quoted-string ), separated by commas.
    const QString params = space < 0 ? QString() : text.mid(space + 1);
    qsizetype i = 0;
    const qsizetype n = params.size();
    while (i < n) {
        while (i < n && (params.at(i) == QLatin1Char(',') || params.at(i).isSpace()))
            ++i;
        const qsizetype eq = params.indexOf(QLatin1Char('='), i);
        if (eq < 0)
            break;
        const QString key = params.mid(i, eq - i).trimmed().toLower();
        i = eq + 1;
        QString value;
        if (i < n && params.at(i) == QLatin1Char('"')) {
            ++i;
            while (i < n && params.at(i) != QLatin1Char('"')) {
                if (params.at(i) == QLatin1Char('\\') && i + 1 < n)
                    ++i;
                value += params.at(i++);
            }
            ++i; // the closing quote
        } else {
            const qsizetype comma = params.indexOf(QLatin1Char(','), i);
            value = params.mid(i, comma < 0 ? -1 : comma - i).trimmed();
            i = comma < 0 ? n : comma;
        }
        if (key == QLatin1String("realm"))
            c.realm = value;
        else if (key == QLatin1String("service"))
            c.service = value;
        else if (key == QLatin1String("scope"))
            c.scope = value;
        else if (key == QLatin1String("error"))
            c.error = value;
    }
    if (c.scheme == QLatin1String("bearer")) {
        const QUrl realm(c.realm);
        if (!realm.isValid() || realm.host().isEmpty() ||
            (realm.scheme() != QLatin1String("https") && realm.scheme() != QLatin1String("http")))
            return std::nullopt; // nowhere to ask for a token
    }
    return c;
}

Result<RegistryToken> parseRegistryToken(const QByteArray &body)
{
    const QString source = Tr::tr("The registry's token server's answer");
    const auto o = jsonObjectAnswer(body, source, "registry.schema");
    if (!o)
        return o.error();
    RegistryToken t;
    t.token = o->value(QLatin1String("token")).toString();
    if (t.token.isEmpty())
        t.token = o->value(QLatin1String("access_token")).toString();
    if (t.token.isEmpty())
        return schema(source, Tr::tr("it has neither \"token\" nor \"access_token\""));
    for (const QChar ch : std::as_const(t.token))
        if (ch.unicode() <= 0x20 || ch.unicode() >= 0x7f)
            return schema(source, Tr::tr("the token has characters a header cannot carry"));
    const QJsonValue expires = o->value(QLatin1String("expires_in"));
    if (expires.isDouble() && expires.toDouble() >= 60 && expires.toDouble() < 1.0e7)
        t.expiresIn = int(expires.toDouble());
    return t;
}

bool isRepositoryName(const QString &name)
{
    static const QRegularExpression grammar(QStringLiteral(
        "^[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*$"));
    return !name.isEmpty() && name.size() <= 255 && grammar.match(name).hasMatch();
}

bool isTag(const QString &tag)
{
    static const QRegularExpression grammar(QStringLiteral("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$"));
    return grammar.match(tag).hasMatch();
}

bool isDigest(const QString &digest)
{
    static const QRegularExpression grammar(QStringLiteral("^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$"));
    return grammar.match(digest).hasMatch();
}

Result<QStringList> parseCatalog(const QByteArray &body)
{
    const QString source = Tr::tr("The registry's catalog");
    const auto o = jsonObjectAnswer(body, source, "registry.schema");
    if (!o)
        return o.error();
    const QJsonValue list = o->value(QLatin1String("repositories"));
    if (!list.isArray())
        return schema(source, Tr::tr("\"repositories\" is not a list"));
    QStringList names;
    const QJsonArray array = list.toArray();
    if (array.size() > maxListed)
        return schema(source, Tr::tr("it lists more names than any page holds"));
    for (const QJsonValue &v : array) {
        if (!isRepositoryName(v.toString()))
            return schema(source, Tr::tr("\"%1\" is not a repository name").arg(v.toString().left(80)));
        names << v.toString();
    }
    return names;
}

Result<QStringList> parseTagList(const QByteArray &body, const QString &expectedName)
{
    const QString source = Tr::tr("The tag list of %1").arg(expectedName);
    const auto o = jsonObjectAnswer(body, source, "registry.schema");
    if (!o)
        return o.error();
    if (o->value(QLatin1String("name")).toString() != expectedName)
        return schema(source, Tr::tr("it names another repository (\"%1\")")
                                  .arg(o->value(QLatin1String("name")).toString().left(80)));
    const QJsonValue list = o->value(QLatin1String("tags"));
    if (list.isNull() || list.isUndefined())
        return QStringList();
    if (!list.isArray())
        return schema(source, Tr::tr("\"tags\" is not a list"));
    const QJsonArray array = list.toArray();
    if (array.size() > maxListed)
        return schema(source, Tr::tr("it lists more tags than any page holds"));
    QStringList tags;
    for (const QJsonValue &v : array) {
        if (!isTag(v.toString()))
            return schema(source, Tr::tr("\"%1\" is not a tag").arg(v.toString().left(80)));
        tags << v.toString();
    }
    return tags;
}

QByteArray manifestAcceptHeader()
{
    return (QStringList{ociIndex, dockerList, ociManifest, dockerV2}.join(QStringLiteral(", "))).toLatin1();
}

QString ManifestPlatform::text() const
{
    QString t = os + QLatin1Char('/') + architecture;
    if (!variant.isEmpty())
        t += QLatin1Char('/') + variant;
    return t;
}

QString ManifestInfo::kindText() const
{
    switch (kind) {
    case Kind::DockerV2:
        return Tr::tr("Docker v2 schema 2");
    case Kind::OciManifest:
        return Tr::tr("OCI image");
    case Kind::OciIndex:
        return Tr::tr("OCI index");
    case Kind::DockerList:
        return Tr::tr("Docker manifest list");
    }
    return {};
}

QString ManifestInfo::platformsText() const
{
    QStringList texts;
    for (const ManifestPlatform &p : platforms)
        texts << p.text();
    return texts.join(QStringLiteral(", "));
}

Result<ManifestInfo> parseManifest(const QByteArray &contentType, const QByteArray &body)
{
    const QString source = Tr::tr("The registry's manifest");
    const auto o = jsonObjectAnswer(body, source, "registry.schema");
    if (!o)
        return o.error();
    QString header = QString::fromLatin1(contentType).section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    const QString inBody = o->value(QLatin1String("mediaType")).toString();
    const auto known = [](const QString &t) {
        return t == dockerV2 || t == dockerList || t == ociManifest || t == ociIndex;
    };
    QString type;
    if (known(header) && !inBody.isEmpty() && inBody != header)
        return schema(
            source, Tr::tr("its Content-Type (%1) and mediaType (%2) disagree").arg(header, inBody.left(80)));
    if (known(header))
        type = header;
    else if (known(inBody))
        type = inBody;
    else if (!o->value(QLatin1String("manifests")).isUndefined())
        type = ociIndex; // an OCI index may leave mediaType out
    else if (!o->value(QLatin1String("layers")).isUndefined() &&
             !o->value(QLatin1String("config")).isUndefined())
        type = ociManifest;
    else
        return makeError("registry.manifest-kind",
                         Tr::tr("The registry answered with a manifest of a kind Opsdeck does not read (%1).")
                             .arg((inBody.isEmpty() ? header : inBody).left(80)));
    if (o->value(QLatin1String("schemaVersion")).toInt() != 2)
        return schema(source, Tr::tr("\"schemaVersion\" is not 2"));
    ManifestInfo info;
    info.mediaType = type;
    info.kind = type == dockerV2     ? ManifestInfo::Kind::DockerV2
                : type == dockerList ? ManifestInfo::Kind::DockerList
                : type == ociIndex   ? ManifestInfo::Kind::OciIndex
                                     : ManifestInfo::Kind::OciManifest;
    const auto descriptor = [&](const QJsonValue &v, QString *digest, qint64 *size) -> Result<void> {
        const QJsonObject d = v.toObject();
        *digest = d.value(QLatin1String("digest")).toString();
        if (!isDigest(*digest))
            return schema(source, Tr::tr("a descriptor has no valid digest"));
        const double s = d.value(QLatin1String("size")).toDouble(-1);
        if (s < 0 || s > 9.0e15)
            return schema(source, Tr::tr("a descriptor has no valid size"));
        *size = qint64(s);
        return {};
    };
    if (info.isIndex()) {
        const QJsonValue list = o->value(QLatin1String("manifests"));
        if (!list.isArray())
            return schema(source, Tr::tr("\"manifests\" is not a list"));
        for (const QJsonValue &m : list.toArray()) {
            ManifestPlatform p;
            if (auto r = descriptor(m, &p.digest, &p.size); !r)
                return r.error();
            const QJsonObject platform = m.toObject().value(QLatin1String("platform")).toObject();
            p.os = platform.value(QLatin1String("os")).toString().left(64);
            p.architecture = platform.value(QLatin1String("architecture")).toString().left(64);
            p.variant = platform.value(QLatin1String("variant")).toString().left(64);
            if (p.os == QLatin1String("unknown") && p.architecture == QLatin1String("unknown"))
                continue; // an attestation manifest (BuildKit), not a platform
            info.platforms << p;
            info.size += p.size;
        }
        return info;
    }
    qint64 configSize = 0;
    if (auto r = descriptor(o->value(QLatin1String("config")), &info.configDigest, &configSize); !r)
        return r.error();
    const QJsonValue layers = o->value(QLatin1String("layers"));
    if (!layers.isArray())
        return schema(source, Tr::tr("\"layers\" is not a list"));
    info.size = configSize;
    for (const QJsonValue &layer : layers.toArray()) {
        QString digest;
        qint64 size = 0;
        if (auto r = descriptor(layer, &digest, &size); !r)
            return r.error();
        if (info.size > qint64(9.0e15) - size)
            return schema(source, Tr::tr("the layers' sizes overflow"));
        info.size += size;
        ++info.layers;
    }
    return info;
}

// ---- Harbor ----

std::optional<Severity> severityFromText(const QString &text)
{
    static const QList<std::pair<QString, Severity>> names{
        {QStringLiteral("none"), Severity::None},
        {QStringLiteral("unknown"), Severity::Unknown},
        {QStringLiteral("negligible"), Severity::Negligible},
        {QStringLiteral("low"), Severity::Low},
        {QStringLiteral("medium"), Severity::Medium},
        {QStringLiteral("high"), Severity::High},
        {QStringLiteral("critical"), Severity::Critical}};
    const QString lower = text.trimmed().toLower();
    for (const auto &[name, severity] : names)
        if (name == lower)
            return severity;
    return std::nullopt;
}

QString severityText(Severity severity)
{
    switch (severity) {
    case Severity::None:
        return QStringLiteral("None");
    case Severity::Unknown:
        return QStringLiteral("Unknown");
    case Severity::Negligible:
        return QStringLiteral("Negligible");
    case Severity::Low:
        return QStringLiteral("Low");
    case Severity::Medium:
        return QStringLiteral("Medium");
    case Severity::High:
        return QStringLiteral("High");
    case Severity::Critical:
        return QStringLiteral("Critical");
    }
    return {};
}

Result<QList<HarborProject>> parseHarborProjects(const QByteArray &body)
{
    const auto array = jsonArrayAnswer(body, Tr::tr("Harbor's project list"), "harbor.schema");
    if (!array)
        return array.error();
    QList<HarborProject> projects;
    for (const QJsonValue &v : array.value()) {
        const QJsonObject o = v.toObject();
        HarborProject p;
        p.id = qint64(o.value(QLatin1String("project_id")).toDouble(0));
        p.name = o.value(QLatin1String("name")).toString();
        if (p.id <= 0 || p.name.isEmpty() || p.name.size() > 255 || p.name.contains(QLatin1Char('/')))
            return harborSchema(Tr::tr("a project has no usable \"project_id\" and \"name\""));
        p.repoCount = int(qMin<qint64>(nonNegative(o.value(QLatin1String("repo_count"))), 1 << 30));
        const QJsonObject metadata = o.value(QLatin1String("metadata")).toObject();
        p.isPublic = flag(metadata, "public", false);
        p.preventVulnerable = flag(metadata, "prevent_vul", false);
        p.autoScan = flag(metadata, "auto_scan", false);
        p.reuseSystemCveAllowlist = flag(metadata, "reuse_sys_cve_allowlist", true);
        const QString severity = metadata.value(QLatin1String("severity")).toString().toLower();
        if (!severity.isEmpty() && !severityFromText(severity))
            return harborSchema(
                Tr::tr("the project %1 has an unknown severity \"%2\"").arg(p.name, severity.left(40)));
        p.severity = severity;
        if (o.value(QLatin1String("cve_allowlist")).isObject()) {
            const auto list = cveAllowlistFrom(o.value(QLatin1String("cve_allowlist")).toObject());
            if (!list)
                return list.error();
            p.cveAllowlist = list->cves;
            p.cveAllowlistExpires = list->expires;
        }
        projects << p;
    }
    return projects;
}

Result<QList<HarborRepository>> parseHarborRepositories(const QByteArray &body)
{
    const auto array = jsonArrayAnswer(body, Tr::tr("Harbor's repository list"), "harbor.schema");
    if (!array)
        return array.error();
    QList<HarborRepository> repositories;
    for (const QJsonValue &v : array.value()) {
        const QJsonObject o = v.toObject();
        HarborRepository r;
        r.name = o.value(QLatin1String("name")).toString();
        if (!isRepositoryName(r.name) || !r.name.contains(QLatin1Char('/')))
            return harborSchema(Tr::tr("\"%1\" is not a repository name of a project").arg(r.name.left(80)));
        r.artifactCount = nonNegative(o.value(QLatin1String("artifact_count")));
        r.updated = isoTime(o.value(QLatin1String("update_time")));
        repositories << r;
    }
    return repositories;
}

Result<QList<HarborArtifact>> parseHarborArtifacts(const QByteArray &body)
{
    const auto array = jsonArrayAnswer(body, Tr::tr("Harbor's artifact list"), "harbor.schema");
    if (!array)
        return array.error();
    QList<HarborArtifact> artifacts;
    for (const QJsonValue &v : array.value()) {
        const QJsonObject o = v.toObject();
        HarborArtifact a;
        a.repository = o.value(QLatin1String("repository_name")).toString();
        a.digest = o.value(QLatin1String("digest")).toString();
        if (!isDigest(a.digest))
            return harborSchema(Tr::tr("an artifact has no valid digest"));
        if (!a.repository.isEmpty() && !isRepositoryName(a.repository))
            return harborSchema(Tr::tr("\"%1\" is not a repository name").arg(a.repository.left(80)));
        a.mediaType = o.value(QLatin1String("manifest_media_type")).toString().left(200);
        a.size = nonNegative(o.value(QLatin1String("size")));
        a.pushed = isoTime(o.value(QLatin1String("push_time")));
        a.pulled = isoTime(o.value(QLatin1String("pull_time")));
        const QJsonValue tags = o.value(QLatin1String("tags"));
        if (!tags.isArray() && !tags.isNull() && !tags.isUndefined())
            return harborSchema(Tr::tr("an artifact's \"tags\" is not a list"));
        for (const QJsonValue &t : tags.toArray()) {
            const QString name = t.toObject().value(QLatin1String("name")).toString();
            if (!isTag(name))
                return harborSchema(Tr::tr("\"%1\" is not a tag").arg(name.left(80)));
            a.tags << name;
        }
        // scan_overview: {"<report MIME type>": NativeReportSummary}; the first one with a status.
        const QJsonObject overview = o.value(QLatin1String("scan_overview")).toObject();
        for (auto it = overview.begin(); it != overview.end(); ++it) {
            const QJsonObject s = it.value().toObject();
            if (s.isEmpty())
                continue;
            ScanOverview &scan = a.scan;
            scan.status = s.value(QLatin1String("scan_status")).toString().left(40);
            scan.severity = severityFromText(s.value(QLatin1String("severity")).toString());
            scan.completePercent =
                qBound(0, s.value(QLatin1String("complete_percent")).toInt(scan.scanned() ? 100 : 0), 100);
            scan.endTime = isoTime(s.value(QLatin1String("end_time")));
            const QJsonObject scanner = s.value(QLatin1String("scanner")).toObject();
            scan.scanner = (scanner.value(QLatin1String("name")).toString() + QLatin1Char(' ') +
                            scanner.value(QLatin1String("version")).toString())
                               .trimmed()
                               .left(80);
            const QJsonObject summary = s.value(QLatin1String("summary")).toObject();
            scan.total = int(qMin<qint64>(nonNegative(summary.value(QLatin1String("total"))), 1 << 30));
            scan.fixable = int(qMin<qint64>(nonNegative(summary.value(QLatin1String("fixable"))), 1 << 30));
            const QJsonObject counts = summary.value(QLatin1String("summary")).toObject();
            for (auto c = counts.begin(); c != counts.end(); ++c)
                if (const auto severity = severityFromText(c.key()))
                    scan.counts[*severity] = int(qMin<qint64>(nonNegative(c.value()), 1 << 30));
            break;
        }
        artifacts << a;
    }
    return artifacts;
}

QByteArray vulnerabilityReportTypes()
{
    return "application/vnd.security.vulnerability.report; version=1.1, "
           "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0";
}

Result<QList<Vulnerability>> parseVulnerabilityReport(const QByteArray &body)
{
    const auto o = jsonObjectAnswer(body, Tr::tr("Harbor's vulnerability report"), "harbor.schema");
    if (!o)
        return o.error();
    QList<Vulnerability> found;
    for (auto it = o->begin(); it != o->end(); ++it) {
        const QJsonObject report = it.value().toObject();
        const QJsonValue list = report.value(QLatin1String("vulnerabilities"));
        if (!list.isArray() && !list.isNull() && !list.isUndefined())
            return harborSchema(Tr::tr("the report's \"vulnerabilities\" is not a list"));
        for (const QJsonValue &v : list.toArray()) {
            const QJsonObject item = v.toObject();
            Vulnerability vuln;
            vuln.id = item.value(QLatin1String("id")).toString().trimmed().left(80);
            if (vuln.id.isEmpty())
                return harborSchema(Tr::tr("a vulnerability has no \"id\""));
            vuln.package = item.value(QLatin1String("package")).toString().left(200);
            vuln.version = item.value(QLatin1String("version")).toString().left(120);
            vuln.fixVersion = item.value(QLatin1String("fix_version")).toString().left(120);
            vuln.severity = severityFromText(item.value(QLatin1String("severity")).toString())
                                .value_or(Severity::Unknown);
            vuln.description = item.value(QLatin1String("description")).toString().left(2000);
            for (const QJsonValue &link : item.value(QLatin1String("links")).toArray())
                if (link.isString() && vuln.links.size() < 10)
                    vuln.links << link.toString().left(500);
            found << vuln;
        }
        break; // Harbor sends one report: the first MIME type that has one
    }
    return found;
}

Result<CveAllowlist> parseCveAllowlist(const QByteArray &body)
{
    const auto o = jsonObjectAnswer(body, Tr::tr("Harbor's CVE allowlist"), "harbor.schema");
    if (!o)
        return o.error();
    return cveAllowlistFrom(o.value());
}

} // namespace opsdeck
