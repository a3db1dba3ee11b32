#include "models/workspace/accessreview.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AccessReview)
};
} // namespace

QList<ReviewDecision> reviewItems(const QList<WorkspacePerson> &people, const QList<WorkspaceGrant> &grants)
{
    QList<ReviewDecision> out;
    for (const WorkspacePerson &p : people) {
        if (!p.active)
            continue; // nothing left to revoke
        ReviewDecision d;
        d.kind = ReviewDecision::Kind::Role;
        d.person = p.login;
        d.what = p.role;
        out << d;
    }
    for (const WorkspaceGrant &g : grants) {
        ReviewDecision d;
        d.kind = ReviewDecision::Kind::Grant;
        d.person = g.subjectKind + QLatin1Char(' ') + g.subject;
        d.grantId = g.id;
        d.what = g.describe();
        out << d;
    }
    return out;
}

Result<void> validateReview(const QString &comment, const QList<ReviewDecision> &decisions)
{
    if (decisions.isEmpty())
        return makeError("review.invalid", Tr::tr("There is nothing to review."));
    if (comment.trimmed().isEmpty())
        return makeError("review.invalid",
                         Tr::tr("Sign the review off with a comment: it goes into the audit log."));
    for (const ReviewDecision &d : decisions)
        if (d.revoke && d.comment.trimmed().isEmpty())
            return makeError("review.invalid",
                             Tr::tr("Say why %1 of %2 is revoked.").arg(d.what.left(80), d.person));
    return {};
}

QString decisionsJson(const QList<ReviewDecision> &decisions)
{
    QJsonArray out;
    for (const ReviewDecision &d : decisions)
        out << QJsonObject{
            {QStringLiteral("kind"),
             d.kind == ReviewDecision::Kind::Role ? QStringLiteral("role") : QStringLiteral("grant")},
            {QStringLiteral("person"), d.person},
            {QStringLiteral("grant_id"), d.grantId},
            {QStringLiteral("what"), d.what},
            {QStringLiteral("decision"), d.revoke ? QStringLiteral("revoke") : QStringLiteral("keep")},
            {QStringLiteral("comment"), d.comment}};
    return QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Compact));
}

} // namespace opsdeck
