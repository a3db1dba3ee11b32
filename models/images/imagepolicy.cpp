#include "models/images/imagepolicy.h"

#include "models/images/imagecopy.h"

#include <QCoreApplication>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ImagePolicy)
};
} // namespace

QString PolicyVerdict::line() const
{
    const QString who = image.service.isEmpty()
                            ? image.reference
                            : QStringLiteral("%1 (%2)").arg(image.service, image.reference);
    if (image.builtLocally)
        return Tr::tr("%1: built locally, not checked").arg(image.service);
    return allowed ? Tr::tr("%1: allowed. %2").arg(who, reason) : Tr::tr("%1: refused. %2").arg(who, reason);
}

bool PolicyCheck::allowed() const
{
    for (const PolicyVerdict &v : verdicts)
        if (!v.allowed && !v.image.builtLocally)
            return false;
    return true;
}

QStringList PolicyCheck::refusals() const
{
    QStringList lines;
    for (const PolicyVerdict &v : verdicts)
        if (!v.allowed && !v.image.builtLocally)
            lines << v.line();
    return lines;
}

Result<ImagePolicy> readImagePolicy(QSqlDatabase cache)
{
    const auto copy = readAllowlistCopy(cache);
    if (!copy)
        return copy.error();
    const auto index = readRegistryIndex(cache);
    if (!index)
        return index.error();
    const auto gate = readGateCopy(cache);
    if (!gate)
        return gate.error();
    ImagePolicy policy;
    policy.gate = gate.value();
    if (policy.gate.active()) {
        auto scans = readImageScans(cache);
        if (!scans)
            return scans.error();
        policy.scans = std::move(scans.value());
    }
    policy.allowlist = Allowlist(copy->entries);
    policy.registries = index.value();
    policy.enforced = !copy->entries.isEmpty() || !copy->problems.isEmpty();
    policy.problems = copy->problems;
    return policy;
}

PolicyCheck checkImages(const ImagePolicy &policy, const QList<PolicyImage> &images, const QString &project,
                        const QDateTime &now)
{
    PolicyCheck check;
    const bool gated = policy.gate.active();
    check.enforced = policy.enforced || gated;
    for (const PolicyImage &image : images) {
        PolicyVerdict v;
        v.image = image;
        if (image.builtLocally) {
            v.allowed = true;
            check.verdicts << v;
            continue;
        }
        if (!check.enforced) {
            // Nothing to decide by; a reference that is no reference is the deploy's validation's to say.
            v.allowed = true;
            v.reason = Tr::tr("The workspace keeps no image allowlist: not checked.");
            check.verdicts << v;
            continue;
        }
        const auto reference = parseImageReference(image.reference.trimmed());
        if (!reference) {
            v.reason = reference.message();
            check.verdicts << v;
            continue;
        }
        const NormalizedImage normalized = normalizeImage(reference.value());
        if (policy.enforced) {
            const QString resolved = normalized.tag.isEmpty()
                                         ? QString()
                                         : policy.registries.tagDigests.value(
                                               normalized.name() + QLatin1Char(':') + normalized.tag);
            const AllowDecision d = policy.allowlist.decide(normalized, project, now, resolved);
            v.allowed = d.allowed;
            v.reason = d.reason;
        } else {
            v.allowed = true;
            v.reason = Tr::tr("The workspace keeps no image allowlist.");
        }
        if (gated) {
            v.gate =
                policy.gate.judge(normalized, project, now, policy.scans.find(normalized, policy.registries));
            if (v.gate.blocked)
                v.reason = v.allowed ? v.gate.reason : v.reason + QLatin1Char(' ') + v.gate.reason;
            else if (!v.gate.reason.isEmpty())
                v.reason += QLatin1Char(' ') + v.gate.reason;
            v.allowed = v.allowed && !v.gate.blocked;
        }
        check.verdicts << v;
    }
    return check;
}

} // namespace opsdeck
