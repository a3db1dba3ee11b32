// cloudflared's locally managed tunnel configuration (config.yml): read the ingress rules, add,
// update or remove the rule hostname -> http://localhost:PORT, keep the catch-all rule last, and
// validate the result by cloudflared's own rules (shared/specs/cloudflare/cloudflared-2026.8.2
// .ingress.excerpt.md). Edits change only the lines of the affected rule, so the admin's comments,
// layout and unrelated keys stay as they were; yaml-cpp parses the result to validate it.
#pragma once

#include "models/core/result.h"

#include <QList>
#include <QString>

namespace opsdeck {

struct IngressRule
{
    QString hostname;
    QString path;
    QString service;
    bool hasService = false; // a rule may omit service when originRequest.bastionMode is set
    bool bastionMode = false;
    bool operator==(const IngressRule &) const = default;
};

struct TunnelConfig
{
    QString tunnel; // the tunnel's id or name ("tunnel:")
    QString credentialsFile;
    QList<IngressRule> rules;
};

// Parses config.yml; a YAML syntax error names its line.
Result<TunnelConfig> parseTunnelConfig(const QString &text);
// cloudflared's validation of an ingress list: names the rule and the rule it breaks.
Result<void> validateIngress(const QList<IngressRule> &rules);
// Both: the text parses and its ingress rules pass.
Result<TunnelConfig> checkTunnelConfig(const QString &text);

// The route edits. Each returns the new text (validated) or why it cannot be made:
// adding a hostname that has a rule already is refused, as is updating or removing one that has none.
Result<QString> addRoute(const QString &text, const QString &hostname, int port);
Result<QString> updateRoute(const QString &text, const QString &hostname, int port);
Result<QString> removeRoute(const QString &text, const QString &hostname);

// A unified diff (3 lines of context) of two texts, for the confirmation before writing.
QString unifiedDiff(const QString &before, const QString &after, const QString &name);

// Writes text to path atomically (QSaveFile), after copying the current file to
// path + ".opsdeck-backup-<UTC time>"; returns the backup's path (empty when there was no file).
Result<QString> writeTunnelConfig(const QString &path, const QString &text);

} // namespace opsdeck
