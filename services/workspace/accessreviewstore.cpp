#include "services/workspace/accessreviewstore.h"

#include "models/store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlQuery>

namespace opsdeck::AccessReviewStore {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::AccessReview)
};

// The local store: the same rules as opsdeck_review_sign_off, for its one admin.
Result<qint64> signOffLocal(const WorkspaceStore &store, const QString &comment,
                            const QList<ReviewDecision> &decisions)
{
    const auto me = store.actingLogin();
    if (!me)
        return me.error();
    QSqlDatabase db = store.db();
    if (!db.transaction())
        return Database::describe(db.lastError(), Tr::tr("Signing the access review off"));
    const auto fail = [&db](const Error &e) -> Result<qint64> {
        db.rollback();
        return e;
    };
    QSqlQuery q(db);
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    for (const ReviewDecision &d : decisions) {
        if (!d.revoke)
            continue;
        if (d.kind == ReviewDecision::Kind::Grant) {
            q.prepare(QStringLiteral("DELETE FROM grants WHERE id = ?"));
            q.addBindValue(d.grantId);
        } else {
            if (d.person == me.value())
                return fail(makeError("workspace.denied", Tr::tr("Nobody revokes their own role.")));
            const auto target = store.person(d.person);
            if (!target)
                return fail(target.error());
            q.prepare(target->role == QLatin1String("user")
                          ? QStringLiteral("UPDATE people SET active = 0 WHERE login = ?")
                          : QStringLiteral("UPDATE people SET role = 'user' WHERE login = ?"));
            q.addBindValue(d.person);
        }
        if (!q.exec())
            return fail(
                WorkspaceStore::refusal(q.lastError(), Tr::tr("Revoking %1 of %2").arg(d.what, d.person)));
    }
    q.prepare(
        QStringLiteral("INSERT INTO access_reviews (signed_off_by, signed_off_at, comment, decisions) VALUES "
                       "(?, ?, ?, ?)"));
    q.addBindValue(me.value());
    q.addBindValue(now);
    q.addBindValue(comment);
    q.addBindValue(decisionsJson(decisions));
    if (!q.exec())
        return fail(WorkspaceStore::refusal(q.lastError(), Tr::tr("Recording the access review")));
    const qint64 id = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral("UPDATE people SET reviewed_at = ? WHERE login = ?"));
    for (const ReviewDecision &d : decisions) {
        if (d.kind != ReviewDecision::Kind::Role)
            continue;
        q.addBindValue(now);
        q.addBindValue(d.person);
        if (!q.exec())
            return fail(WorkspaceStore::refusal(q.lastError(), Tr::tr("Recording the access review")));
    }
    if (!db.commit())
        return fail(Database::describe(db.lastError(), Tr::tr("Signing the access review off")));
    return id;
}
} // namespace

Result<qint64> signOff(const WorkspaceStore &store, const QString &comment,
                       const QList<ReviewDecision> &decisions)
{
    if (auto valid = validateReview(comment, decisions); !valid)
        return valid.error();
    if (store.kind() == WorkspaceStore::Kind::Local)
        return signOffLocal(store, comment, decisions);
    QSqlQuery q(store.db());
    q.prepare(QStringLiteral("SELECT opsdeck_review_sign_off(?, ?::jsonb)"));
    q.addBindValue(comment);
    q.addBindValue(decisionsJson(decisions));
    if (!q.exec() || !q.next())
        return WorkspaceStore::refusal(q.lastError(), Tr::tr("Signing the access review off"));
    return q.value(0).toLongLong();
}

} // namespace opsdeck::AccessReviewStore
