// Compose files: read as a project (YAML 1.2, aliases and merges, interpolation, ports), the same
// bytes as a .env file, and the route choice over what was read. A chosen route always points at
// a fixed host port of a service that runs.
#include "models/deploy/composefile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)opsdeck::parseEnvFile(text, QStringLiteral(".env"),
                                {{QStringLiteral("HOME"), QStringLiteral("/root")}});
    (void)opsdeck::interpolateCompose(text, {{QStringLiteral("A"), QStringLiteral("1")}});
    opsdeck::ComposeInput input;
    input.text = text;
    input.environment = {{QStringLiteral("TAG"), QStringLiteral("1.0")}};
    input.readFile = [&text](const QString &) -> opsdeck::Result<QString> {
        return text;
    };
    const auto project = opsdeck::readComposeProject(input);
    if (!project)
        return 0;
    for (const opsdeck::RouteCandidate &c : opsdeck::routeCandidates(project.value())) {
        const auto chosen = opsdeck::chooseRoute(project.value(), c.service, c.target);
        if (chosen &&
            (!chosen->fixed || chosen->port.publishedPort() < 1 || chosen->port.publishedPort() > 65535 ||
             !project->service(chosen->service) || !project->service(chosen->service)->active))
            __builtin_trap();
    }
    if (const auto proposed = opsdeck::chooseRoute(project.value(), QString(), 0);
        proposed && !proposed->fixed)
        __builtin_trap();
    return 0;
}
