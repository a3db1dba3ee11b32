// Finds a compose tool and runs it for a project: `docker compose` (the v2 plugin), then
// `docker-compose`, then `podman-compose`, each through QProcess with an argument list and
// DOCKER_HOST set to the connection's engine. Nothing goes through a shell.
#pragma once

#include "models/connections/connection.h"
#include "models/core/result.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

namespace opsdeck {

struct ComposeTool
{
    QString program;    // "docker", "docker-compose" or "podman-compose"
    QStringList prefix; // {"compose"} for the plugin
    QString version;
    QString display() const { return (QStringList{program} + prefix).join(QLatin1Char(' ')); }
};

// Asks each candidate for its version (15 s at most each), without blocking; the first that
// answers wins. `done` runs on `context`'s thread.
void findComposeTool(const QProcessEnvironment &environment, QObject *context,
                     std::function<void(const Result<ComposeTool> &)> done);
// DOCKER_HOST for the connection: unix:///path or tcp://host:port. An engine with TLS client
// certificates also gets DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=tlsDirectory, where ca.pem,
// cert.pem and key.pem are made links to the connection's files (the system CA bundle when the
// connection names no CA file).
Result<QProcessEnvironment> composeEnvironment(const Connection &docker, const QString &tlsDirectory = {});
// The compose file in a directory: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml.
QString findComposeFile(const QString &directory);

} // namespace opsdeck
