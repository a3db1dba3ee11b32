#include "models/images/imagechange.h"

#include "models/images/allowlist.h"
#include "models/images/vulngate.h"

#include <QCoreApplication>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::ImageChange)
};
} // namespace

QString ImageChange::describe() const
{
    const QString where = project.isEmpty() ? Tr::tr("global") : Tr::tr("project %1").arg(project);
    switch (kind) {
    case Kind::Allow:
        return Tr::tr("allow %1 (%2)").arg(text, where);
    case Kind::Revoke:
        return Tr::tr("revoke entry %1").arg(id);
    case Kind::Request:
        return Tr::tr("request %1 (%2)").arg(text, where);
    case Kind::Approve:
        return Tr::tr("approve request %1").arg(id);
    case Kind::Deny:
        return Tr::tr("deny request %1").arg(id);
    case Kind::SetGate:
        return Tr::tr("set the vulnerability gate (%1)").arg(where);
    case Kind::GrantException:
        return Tr::tr("grant an exception for %1 (%2)").arg(text, image.isEmpty() ? where : image);
    case Kind::RevokeException:
        return Tr::tr("revoke exception %1").arg(id);
    }
    return {};
}

QString ImageChange::auditAction() const
{
    switch (kind) {
    case Kind::Allow:
        return AuditAction::imageAllow;
    case Kind::Revoke:
        return AuditAction::imageRevoke;
    case Kind::Request:
        return AuditAction::imageRequest;
    case Kind::Approve:
        return AuditAction::imageApprove;
    case Kind::Deny:
        return AuditAction::imageDeny;
    case Kind::SetGate:
        return AuditAction::imageGate;
    case Kind::GrantException:
        return AuditAction::imageExceptionGrant;
    case Kind::RevokeException:
        return AuditAction::imageExceptionRevoke;
    }
    return {};
}

Result<void> validateImageChange(const ImageChange &change, const QDateTime &now)
{
    if (change.kind == ImageChange::Kind::Allow ||
        (change.kind == ImageChange::Kind::Approve && !change.text.trimmed().isEmpty())) {
        if (auto entry = parseAllowEntry(change.text); !entry)
            return entry.error();
    }
    if (change.kind == ImageChange::Kind::Request) {
        const auto reference = parseImageReference(change.text.trimmed());
        if (!reference)
            return reference.error();
    }
    if (change.kind == ImageChange::Kind::SetGate && !change.text.isEmpty() &&
        (!severityFromText(change.text) || !gateThresholds().contains(*severityFromText(change.text))))
        return makeError(
            "image.threshold",
            Tr::tr("\"%1\" is not a threshold: Unknown, Negligible, Low, Medium, High or Critical.")
                .arg(change.text.left(40)));
    if (change.kind == ImageChange::Kind::GrantException) {
        CveException e;
        e.cve = change.text;
        e.image = change.image;
        e.project = change.project;
        e.reason = change.reason;
        e.expiresAt = change.expires;
        if (auto checked = checkException(e, now); !checked)
            return checked.error();
    }
    if ((change.kind == ImageChange::Kind::Revoke || change.kind == ImageChange::Kind::Approve ||
         change.kind == ImageChange::Kind::Deny || change.kind == ImageChange::Kind::RevokeException) &&
        change.id <= 0)
        return makeError("image.change", Tr::tr("%1: nothing is chosen.").arg(change.describe()));
    if (change.reason.trimmed().isEmpty())
        return makeError(
            "image.reason",
            change.kind == ImageChange::Kind::Allow || change.kind == ImageChange::Kind::Request
                ? Tr::tr("Say why the image is needed: the reason is kept with it.")
            : change.kind == ImageChange::Kind::SetGate
                ? Tr::tr("Say why the gate changes: the comment is kept with it and in the audit log.")
                : Tr::tr("Write a comment: it is kept with the decision."));
    if (change.reason.size() > 2000)
        return makeError("image.reason", Tr::tr("The reason is longer than 2,000 characters."));
    if (change.expires.isValid() && change.expires <= now)
        return makeError(
            "image.expires",
            Tr::tr("The expiry (%1) is not in the future.").arg(change.expires.toString(Qt::ISODate)));
    return {};
}

AuditEvent imageChangeEvent(const ImageChange &change, const QString &actor, const QString &workspace,
                            const Result<qint64> &outcome)
{
    AuditEvent e;
    e.system = QStringLiteral("opsdeck");
    e.action = change.auditAction();
    e.backendIdentity = actor;
    const bool aboutRequest = change.kind == ImageChange::Kind::Request ||
                              change.kind == ImageChange::Kind::Approve ||
                              change.kind == ImageChange::Kind::Deny;
    const bool aboutGate = change.kind == ImageChange::Kind::SetGate;
    const bool aboutException =
        change.kind == ImageChange::Kind::GrantException || change.kind == ImageChange::Kind::RevokeException;
    e.targetKind = aboutRequest     ? QStringLiteral("image-request")
                   : aboutGate      ? QStringLiteral("image-gate")
                   : aboutException ? QStringLiteral("cve-exception")
                                    : QStringLiteral("image-entry");
    const qint64 target = change.id > 0 ? change.id : (outcome ? outcome.value() : 0);
    e.targetId = target > 0 ? QString::number(target) : QString();
    e.targetName = change.text;
    e.comment = change.reason;
    e.outcome = outcome ? AuditOutcome::Success : AuditOutcome::Failure;
    e.details = QJsonObject{
        {QStringLiteral("workspace"), workspace},
        {QStringLiteral("project"), change.project.isEmpty() ? QStringLiteral("global") : change.project}};
    if (change.expires.isValid())
        e.details.insert(QStringLiteral("expires"), change.expires.toUTC().toString(Qt::ISODate));
    if (aboutGate) {
        e.targetName = change.project.isEmpty() ? QStringLiteral("global") : change.project;
        e.details.insert(QStringLiteral("threshold"),
                         change.text.isEmpty() ? QStringLiteral("none") : change.text);
        e.details.insert(QStringLiteral("block_unscanned"), change.blockUnscanned);
    }
    if (change.kind == ImageChange::Kind::GrantException && !change.image.isEmpty())
        e.details.insert(QStringLiteral("image"), change.image);
    if (change.kind == ImageChange::Kind::Approve && outcome)
        e.details.insert(QStringLiteral("entry"), outcome.value());
    if (!outcome)
        e.details.insert(QStringLiteral("error"), outcome.message());
    return e;
}

AuditEvent allowedEntryEvent(const QString &entry, const QString &project, const QString &reason,
                             const QString &actor, const QString &workspace, const Result<qint64> &outcome,
                             const QString &source)
{
    ImageChange change;
    change.kind = ImageChange::Kind::Allow;
    change.text = entry;
    change.project = project;
    change.reason = reason;
    AuditEvent e = imageChangeEvent(change, actor, workspace, outcome);
    if (!source.isEmpty())
        e.details.insert(QStringLiteral("import"), source);
    return e;
}

} // namespace opsdeck
