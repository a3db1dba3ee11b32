#include "models/images/imagechange.h"

#include "models/images/allowlist.h"

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
    if ((change.kind == ImageChange::Kind::Revoke || change.kind == ImageChange::Kind::Approve ||
         change.kind == ImageChange::Kind::Deny) &&
        change.id <= 0)
        return makeError("image.change", Tr::tr("%1: nothing is chosen.").arg(change.describe()));
    if (change.reason.trimmed().isEmpty())
        return makeError("image.reason",
                         change.kind == ImageChange::Kind::Allow || change.kind == ImageChange::Kind::Request
                             ? Tr::tr("Say why the image is needed: the reason is kept with it.")
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
    e.targetKind = aboutRequest ? QStringLiteral("image-request") : QStringLiteral("image-entry");
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
    if (change.kind == ImageChange::Kind::Approve && outcome)
        e.details.insert(QStringLiteral("entry"), outcome.value());
    if (!outcome)
        e.details.insert(QStringLiteral("error"), outcome.message());
    return e;
}

} // namespace opsdeck
