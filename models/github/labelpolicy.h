// The runner label policy of a GitHub connection, and the pure logic around it: which labels are
// GitHub's system labels, whether a provisioning request obeys the policy (each offending label
// named with the rule it breaks), and whether a runner has drifted from what was provisioned.
#pragma once

#include "models/core/result.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>

namespace opsdeck {

enum class ProvisioningMode { JitConfig, RegistrationToken };
QString provisioningModeId(ProvisioningMode mode);

// self-hosted; linux, windows, macos; x64, arm, arm64 (case-insensitive).
bool isSystemLabel(const QString &label);
QStringList customLabels(const QStringList &labels);
QStringList systemLabels(const QStringList &labels);

struct LabelPattern
{
    enum Kind { Glob, Regex };
    Kind kind = Glob;
    QString pattern;
    bool operator==(const LabelPattern &) const = default;
};
// "re:^gpu-[0-9]+$" is a regular expression; anything else a glob ("team-*", "gpu-?").
LabelPattern parseLabelPattern(const QString &text);
Result<QRegularExpression> compileLabelPattern(const LabelPattern &pattern);

struct LabelPolicy
{
    QList<LabelPattern> allowed; // custom labels must match one of these (empty: any custom label)
    QStringList required;        // every runner must carry these
    QStringList forbidden;       // no runner may carry these (case-insensitive)
    bool allowJit = true;
    bool allowRegistrationToken = true;
    bool requireEphemeral = false;
    bool deleteBusyDrifted = false;

    QJsonObject toJson() const;
    static Result<LabelPolicy> fromJson(const QJsonObject &json);
    bool operator==(const LabelPolicy &) const = default;
};

// Checks the policy itself (patterns compile, labels are valid, at least one mode allowed).
Result<void> validatePolicy(const LabelPolicy &policy);
// GitHub's rules for a label name, as far as Opsdeck enforces them: 1..100 characters, no
// whitespace or commas.
Result<void> validateLabel(const QString &label);
// A runner name: 1..64 characters of letters, digits, '-', '_' and '.'.
Result<void> validateRunnerName(const QString &name);

struct PolicyViolation
{
    QString label; // empty for a rule that is not about one label (e.g. the mode)
    QString rule;  // machine-readable: not-allowed, forbidden, required-missing, mode, invalid
    QString message;
    bool operator==(const PolicyViolation &) const = default;
};

// Every way a request breaks the policy; empty when it may go to GitHub.
QList<PolicyViolation> checkRequest(const LabelPolicy &policy, const QStringList &labels,
                                    ProvisioningMode mode);
// Labels a JIT runner is created with: the request's plus self-hosted, deduplicated.
QStringList jitLabels(const QStringList &labels);

struct Drift
{
    bool drifted = false;
    QStringList added;   // carried now, not at provisioning
    QStringList removed; // carried at provisioning, not now
    QList<PolicyViolation> violations;
    QString describe() const;
};
// provisioned: the labels recorded when Opsdeck created the runner (empty if it did not).
Drift computeDrift(const LabelPolicy &policy, const QStringList &provisioned, const QStringList &current);

} // namespace opsdeck
