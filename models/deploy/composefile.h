// A compose project as Opsdeck reads it (the Compose Specification): YAML 1.2 scalars (a port such
// as 22222:22 is a string, never a base-60 number; yes/no are strings), anchors, aliases and "<<"
// merge keys, interpolation (${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?err}, ${VAR?err}, ${VAR:+x},
// ${VAR+x}, $VAR, $$) from the process environment over the project's .env, env_file, and profiles.
// Pure: files come through a reader callback, so the whole thing is fuzzed on text. Used by the
// deploy dialog and job (which service and port a tunnel route points to) and, later, by the image
// check of the Images issue.
#pragma once

#include "models/core/result.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

namespace opsdeck {

struct ComposePort
{
    QString hostIp;    // "127.0.0.1", "::1", or empty (all addresses)
    QString published; // "8080", a range "8000-8010", or empty: the engine picks a host port
    int target = 0;    // the container port (the first of a range)
    QString protocol = QStringLiteral("tcp");
    // A single host port given in the file: the same on every recreate, so a route can point at it.
    bool fixedHostPort() const;
    int publishedPort() const; // 0 unless fixedHostPort()
    QString describe() const;  // "127.0.0.1:8080->80/tcp", "80/tcp (host port picked by the engine)"
    bool operator==(const ComposePort &) const = default;
};

struct ComposeService
{
    QString name;
    QString image; // may be empty when the service is built
    bool build = false;
    QList<ComposePort> ports;
    QList<int> expose; // container ports for other services only
    QMap<QString, QString> labels;
    QMap<QString, QString> environment; // env_file entries, then environment:, as compose merges them
    QStringList profiles;
    bool active = true; // false: it has profiles and none of them is enabled
};

struct ComposeProject
{
    QString file; // as given, for messages
    QString name; // top-level name:, interpolated; empty when the file has none
    QList<ComposeService> services;
    QStringList v2Only;   // what in the file needs Compose v2 (top-level name:, include:, …)
    QStringList warnings; // unset variables taken as empty, …
    const ComposeService *service(const QString &serviceName) const;
};

// Reads a file of the project by its path relative to the project directory; an error when it
// cannot (the caller decides where files may come from).
using ComposeFileReader = std::function<Result<QString>(const QString &relativePath)>;

struct ComposeInput
{
    QString fileName = QStringLiteral("compose.yaml"); // relative to the project directory
    QString text;
    QHash<QString, QString> environment; // the process environment compose will run with
    ComposeFileReader readFile;          // for .env and env_file; none: neither is read
};

Result<ComposeProject> readComposeProject(const ComposeInput &input);

// ${…} interpolation of one value. missing collects variables that were unset and taken as empty.
Result<QString> interpolateCompose(const QString &value, const QHash<QString, QString> &variables,
                                   QStringList *missing = nullptr);
// A .env or env_file text: KEY=VALUE lines, "export " allowed, # comments, single quotes literal,
// double quotes with \n \t \" \\ escapes; unquoted and double-quoted values interpolated from
// `lookup` and the lines before. A KEY line without "=" takes its value from `lookup`, if set.
Result<QHash<QString, QString>> parseEnvFile(const QString &text, const QString &what,
                                             const QHash<QString, QString> &lookup = {});

// Where a tunnel route should point: every TCP port a running service publishes or exposes,
// best first. A service labelled opsdeck.route (its value: the container port, or true/empty for
// its only published port) comes first; then ports that usually serve HTTP; databases, SSH and
// other known non-HTTP ports last.
struct RouteCandidate
{
    QString service;
    int target = 0;
    ComposePort port;   // hostPort() of it when fixed
    bool fixed = false; // published on one fixed host port
    int score = 0;
    QString why; // for people: "labelled opsdeck.route", "port 80 usually serves HTTP", …
};
QList<RouteCandidate> routeCandidates(const ComposeProject &project);
// service empty: the proposal (the best candidate; refused when two are equally good, naming both).
// Otherwise that service's container port (target 0: its only published TCP port). Refused, with
// the fix in words, when the port is not published on a fixed host port.
Result<RouteCandidate> chooseRoute(const ComposeProject &project, const QString &service, int target);

// The compose files a directory offers: the four standard names first, then any other *.yml or
// *.yaml at its top level (docker-compose-dev.yml, a named file), relative names.
QStringList composeFileCandidates(const QStringList &fileNames);

} // namespace opsdeck
