#include "models/github/labelpolicy.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::LabelPolicy)
};

QStringList toStrings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    return out;
}

bool containsInsensitive(const QStringList &list, const QString &label)
{
    for (const QString &l : list)
        if (l.compare(label, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}
} // namespace

QString provisioningModeId(ProvisioningMode mode)
{
    return mode == ProvisioningMode::JitConfig ? QStringLiteral("jit") : QStringLiteral("registration-token");
}

bool isSystemLabel(const QString &label)
{
    static const QSet<QString> system{QStringLiteral("self-hosted"), QStringLiteral("linux"),
                                      QStringLiteral("windows"),     QStringLiteral("macos"),
                                      QStringLiteral("x64"),         QStringLiteral("arm"),
                                      QStringLiteral("arm64")};
    return system.contains(label.trimmed().toLower());
}

QStringList customLabels(const QStringList &labels)
{
    QStringList out;
    for (const QString &l : labels)
        if (!isSystemLabel(l))
            out << l;
    return out;
}

QStringList systemLabels(const QStringList &labels)
{
    QStringList out;
    for (const QString &l : labels)
        if (isSystemLabel(l))
            out << l;
    return out;
}

LabelPattern parseLabelPattern(const QString &text)
{
    const QString t = text.trimmed();
    if (t.startsWith(QLatin1String("re:")))
        return {LabelPattern::Regex, t.mid(3)};
    return {LabelPattern::Glob, t};
}

Result<QRegularExpression> compileLabelPattern(const LabelPattern &p)
{
    if (p.pattern.isEmpty())
        return makeError("policy.pattern", Tr::tr("A label pattern is empty."));
    // Both kinds match the whole label: a glob like a shell does, a regex as if anchored.
    const QString body = p.kind == LabelPattern::Glob
                             ? QRegularExpression::wildcardToRegularExpression(
                                   p.pattern, QRegularExpression::UnanchoredWildcardConversion)
                             : p.pattern;
    const QRegularExpression alone(body); // checked on its own, so "a)(b" cannot pass inside the wrapper
    QRegularExpression re(QStringLiteral("\\A(?:") + body + QStringLiteral(")\\z"),
                          QRegularExpression::CaseInsensitiveOption);
    if (!alone.isValid())
        return makeError(
            "policy.pattern",
            Tr::tr("The label pattern \"%1\" is not valid: %2.").arg(p.pattern, alone.errorString()));
    if (!re.isValid())
        return makeError(
            "policy.pattern",
            Tr::tr("The label pattern \"%1\" is not valid: %2.").arg(p.pattern, re.errorString()));
    return re;
}

Result<void> validateLabel(const QString &label)
{
    if (label.isEmpty())
        return makeError("label.empty", Tr::tr("A label is empty."));
    if (label.size() > 100)
        return makeError("label.long",
                         Tr::tr("The label \"%1…\" is longer than 100 characters.").arg(label.left(20)));
    for (const QChar c : label)
        if (c.isSpace() || c == QLatin1Char(','))
            return makeError("label.invalid",
                             Tr::tr("The label \"%1\" contains a space or a comma.").arg(label));
    return {};
}

Result<void> validateRunnerName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("\\A[A-Za-z0-9._-]{1,64}\\z"));
    if (!valid.match(name).hasMatch())
        return makeError(
            "runner.name",
            Tr::tr("The runner name \"%1\" must be 1 to 64 letters, digits, '-', '_' or '.'.").arg(name));
    return {};
}

Result<void> validatePolicy(const LabelPolicy &p)
{
    for (const LabelPattern &pattern : p.allowed)
        if (auto r = compileLabelPattern(pattern); !r)
            return r.error();
    for (const QString &l : p.required + p.forbidden)
        if (auto r = validateLabel(l); !r)
            return r;
    for (const QString &l : p.required)
        if (containsInsensitive(p.forbidden, l))
            return makeError("policy.conflict",
                             Tr::tr("The label \"%1\" is both required and forbidden.").arg(l));
    if (!p.allowJit && !p.allowRegistrationToken)
        return makeError("policy.modes",
                         Tr::tr("The policy must allow at least one way to provision runners."));
    return {};
}

QJsonObject LabelPolicy::toJson() const
{
    QJsonArray patterns;
    for (const LabelPattern &p : allowed)
        patterns << (p.kind == LabelPattern::Regex ? QStringLiteral("re:") + p.pattern : p.pattern);
    return {{QStringLiteral("allowed"), patterns},
            {QStringLiteral("required"), QJsonArray::fromStringList(required)},
            {QStringLiteral("forbidden"), QJsonArray::fromStringList(forbidden)},
            {QStringLiteral("allow_jit"), allowJit},
            {QStringLiteral("allow_registration_token"), allowRegistrationToken},
            {QStringLiteral("require_ephemeral"), requireEphemeral},
            {QStringLiteral("delete_busy_drifted"), deleteBusyDrifted}};
}

Result<LabelPolicy> LabelPolicy::fromJson(const QJsonObject &o)
{
    LabelPolicy p;
    for (const QString &text : toStrings(o.value(QLatin1String("allowed"))))
        p.allowed << parseLabelPattern(text);
    p.required = toStrings(o.value(QLatin1String("required")));
    p.forbidden = toStrings(o.value(QLatin1String("forbidden")));
    p.allowJit = o.value(QLatin1String("allow_jit")).toBool(true);
    p.allowRegistrationToken = o.value(QLatin1String("allow_registration_token")).toBool(true);
    p.requireEphemeral = o.value(QLatin1String("require_ephemeral")).toBool(false);
    p.deleteBusyDrifted = o.value(QLatin1String("delete_busy_drifted")).toBool(false);
    if (auto r = validatePolicy(p); !r)
        return r.error();
    return p;
}

QStringList jitLabels(const QStringList &labels)
{
    QStringList out{QStringLiteral("self-hosted")};
    for (const QString &l : labels)
        if (!containsInsensitive(out, l))
            out << l;
    return out;
}

QList<PolicyViolation> checkRequest(const LabelPolicy &policy, const QStringList &labels,
                                    ProvisioningMode mode)
{
    QList<PolicyViolation> v;
    if (mode == ProvisioningMode::JitConfig && !policy.allowJit)
        v << PolicyViolation{{},
                             QStringLiteral("mode"),
                             Tr::tr("This connection's policy does not allow just-in-time runners.")};
    if (mode == ProvisioningMode::RegistrationToken && !policy.allowRegistrationToken)
        v << PolicyViolation{{},
                             QStringLiteral("mode"),
                             Tr::tr("This connection's policy does not allow registration tokens.")};
    QList<QRegularExpression> allowed;
    for (const LabelPattern &p : policy.allowed)
        if (auto re = compileLabelPattern(p); re)
            allowed << re.value();
    for (const QString &label : labels) {
        if (auto valid = validateLabel(label); !valid) {
            v << PolicyViolation{label, QStringLiteral("invalid"), valid.message()};
            continue;
        }
        if (containsInsensitive(policy.forbidden, label)) {
            v << PolicyViolation{label, QStringLiteral("forbidden"),
                                 Tr::tr("The label \"%1\" is forbidden by the policy.").arg(label)};
            continue;
        }
        if (isSystemLabel(label) || allowed.isEmpty())
            continue; // system labels are never custom labels
        bool match = false;
        for (const QRegularExpression &re : std::as_const(allowed))
            match = match || re.match(label).hasMatch();
        if (!match) {
            QStringList patterns;
            for (const LabelPattern &p : policy.allowed)
                patterns << (p.kind == LabelPattern::Regex ? QStringLiteral("re:") + p.pattern : p.pattern);
            v << PolicyViolation{label, QStringLiteral("not-allowed"),
                                 Tr::tr("The custom label \"%1\" matches none of the allowed patterns (%2).")
                                     .arg(label, patterns.join(QStringLiteral(", ")))};
        }
    }
    const QStringList effective = mode == ProvisioningMode::JitConfig ? jitLabels(labels) : labels;
    for (const QString &req : policy.required)
        if (!containsInsensitive(effective, req))
            v << PolicyViolation{req, QStringLiteral("required-missing"),
                                 Tr::tr("The label \"%1\" is required by the policy but missing.").arg(req)};
    return v;
}

QString Drift::describe() const
{
    QStringList parts;
    if (!added.isEmpty())
        parts << Tr::tr("added %1").arg(added.join(QStringLiteral(", ")));
    if (!removed.isEmpty())
        parts << Tr::tr("removed %1").arg(removed.join(QStringLiteral(", ")));
    for (const PolicyViolation &pv : violations)
        parts << pv.message;
    return parts.join(QStringLiteral("; "));
}

Drift computeDrift(const LabelPolicy &policy, const QStringList &provisioned, const QStringList &current)
{
    Drift d;
    if (!provisioned.isEmpty()) {
        for (const QString &l : current)
            if (!containsInsensitive(provisioned, l))
                d.added << l;
        for (const QString &l : provisioned)
            if (!containsInsensitive(current, l))
                d.removed << l;
    }
    // Against the current policy: the labels the runner carries (its mode no longer matters).
    for (const PolicyViolation &pv : checkRequest(policy, current, ProvisioningMode::RegistrationToken))
        if (pv.rule != QLatin1String("mode"))
            d.violations << pv;
    d.drifted = !d.added.isEmpty() || !d.removed.isEmpty() || !d.violations.isEmpty();
    return d;
}

} // namespace opsdeck
