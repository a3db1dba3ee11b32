// Finds a compose tool and runs it for a project: `docker compose` (the v2 plugin), then
// `docker-compose`, then `podman-compose`, each through QProcess with an argument list and
// DOCKER_HOST set to the connection's engine. Nothing goes through a shell.
#pragma once

#include "models/connections/connection.h"
#include "models/core/result.h"
#include "models/deploy/composefile.h"

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
// The compose file of a deploy: `chosen`, any file inside the directory (relative to it, as `-f`
// gets it), or the first standard name. Returns the absolute path.
Result<QString> resolveComposeFile(const QString &directory, const QString &chosen);
// What a directory offers to choose from: composeFileCandidates() of its top-level files.
QStringList composeFilesIn(const QString &directory);
// Reads the project of `file` in `directory` as compose will see it: the environment it runs with,
// the directory's .env, and env_file paths inside the directory (one leading outside is refused).
Result<ComposeProject> readComposeIn(const QString &directory, const QString &file,
                                     const QProcessEnvironment &environment);
// The tool's major version: "docker-compose version 1.29.2, build …" -> 1; "Docker Compose version
// v2.29.7" -> 2; 0 when it does not say.
int composeToolMajor(const ComposeTool &tool);
// Before anything runs: a tool older than the file needs (docker-compose 1.x and a file with
// Compose v2 features) is refused, naming the tool, its version and what it would refuse.
Result<void> checkComposeTool(const ComposeTool &tool, const ComposeProject &project);

} // namespace opsdeck
