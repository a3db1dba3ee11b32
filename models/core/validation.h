// Validation of the identifiers an admin types: each refusal names the rule it applies.
#pragma once

#include "models/core/result.h"

#include <QString>

namespace opsdeck {

// A GitHub user or organization login: 1 to 39 letters, digits or single hyphens, not starting
// or ending with a hyphen.
Result<void> validateGitHubOwner(const QString &owner);
// A GitHub repository name: 1 to 100 letters, digits, '.', '-' or '_', and not "." or "..".
Result<void> validateRepositoryName(const QString &name);

struct RepositoryId
{
    QString owner;
    QString name;
    QString fullName() const { return owner + QLatin1Char('/') + name; }
    bool operator==(const RepositoryId &) const = default;
};
// "owner/repo", both parts validated.
Result<RepositoryId> parseRepositoryId(const QString &text);
// A list of "owner/repo" separated by commas, spaces or new lines; duplicates are dropped.
Result<QList<RepositoryId>> parseRepositoryList(const QString &text);

// A Docker container name: starts with a letter or digit, then letters, digits, '_', '.' or '-'
// (the engine's own rule), at most 128 characters.
Result<void> validateContainerName(const QString &name);
// A TCP/UDP port: 1 to 65535. what names the field in the message ("host port").
Result<int> parsePort(const QString &text, const QString &what);
// A host name by RFC 1123: labels of 1 to 63 letters, digits or hyphens, not starting or ending
// with a hyphen, separated by dots; 253 characters at most. A subdomain is one such label.
Result<void> validateHostname(const QString &hostname);
Result<void> validateSubdomain(const QString &label);
// The hostname of a tunnel ingress rule: a host name, or one with a single leading "*." label
// ("*.example.com"), which cloudflared accepts as a wildcard for the subdomains. A bare "*" is the
// catch-all rule, not a route.
Result<void> validateRouteHostname(const QString &hostname);
// An environment variable name: a letter or '_', then letters, digits or '_'.
Result<void> validateEnvName(const QString &name);
// A path inside root: relative, no "..", no absolute part, and after resolving symbolic links
// still inside root. Returns the absolute, clean path.
Result<QString> pathInside(const QString &root, const QString &relative);

} // namespace opsdeck
