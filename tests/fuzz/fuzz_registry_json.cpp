// Registry answers -> domain types: the OCI catalog, tag list, manifests of every kind with their
// Content-Type, the token server's answer and the WWW-Authenticate challenge; Harbor's projects,
// repositories, artifacts with scan overviews, vulnerability reports and CVE allowlists.
// The input's first line is the Content-Type (or header) and the rest the body.
#include "models/images/registryanswers.h"

#include <QUrl>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray header = newline < 0 ? input : input.left(newline);
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);
    if (const auto challenge = opsdeck::parseAuthChallenge(header))
        if (challenge->scheme == QLatin1String("bearer") && QUrl(challenge->realm).host().isEmpty())
            __builtin_trap(); // a Bearer challenge is taken only with somewhere to ask
    if (const auto names = opsdeck::parseCatalog(body))
        for (const QString &name : names.value())
            if (!opsdeck::isRepositoryName(name) || name.contains(QLatin1String("..")))
                __builtin_trap(); // a name goes into request paths
    if (const auto tags = opsdeck::parseTagList(body, QStringLiteral("team/app")))
        for (const QString &tag : tags.value())
            if (!opsdeck::isTag(tag) || tag.contains(QLatin1Char('/')))
                __builtin_trap();
    if (const auto token = opsdeck::parseRegistryToken(body))
        for (const QChar ch : token->token)
            if (ch.unicode() <= 0x20 || ch.unicode() >= 0x7f)
                __builtin_trap(); // a token goes into a header
    if (const auto manifest = opsdeck::parseManifest(header, body)) {
        if (manifest->size < 0)
            __builtin_trap();
        for (const opsdeck::ManifestPlatform &p : manifest->platforms)
            if (!opsdeck::isDigest(p.digest))
                __builtin_trap();
    }
    if (const auto artifacts = opsdeck::parseHarborArtifacts(body))
        for (const opsdeck::HarborArtifact &a : artifacts.value())
            if (!opsdeck::isDigest(a.digest) || a.scan.completePercent < 0 || a.scan.completePercent > 100)
                __builtin_trap();
    (void)opsdeck::parseHarborProjects(body);
    (void)opsdeck::parseHarborRepositories(body);
    (void)opsdeck::parseVulnerabilityReport(body);
    (void)opsdeck::parseCveAllowlist(body);
    return 0;
}
