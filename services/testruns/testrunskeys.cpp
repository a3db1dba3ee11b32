// TestRunsService and the run-signing key: handing it to the window (to give a teammate), and taking
// the team's key instead of this desktop's own, the old one kept for the runs it signed.
#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/testrunsservice.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsService)
};
} // namespace

void TestRunsService::readSigningKey(quint64 job)
{
    withKey([this, job] {
        const QByteArray key = m_key.value_or(QByteArray());
        emit signingKeyRead(job, key, runSigningKeyId(key),
                            key.isEmpty()
                                ? Tr::tr("There is no run-signing key: the keychain is not available.")
                                : QString());
    });
}

void TestRunsService::useSigningKey(quint64 job, const QByteArray &key)
{
    if (m_demo)
        return emit signingKeyChanged(job, false,
                                      Tr::tr("The demo signs with its own key, which does not change."),
                                      runSigningKeyId(m_key.value_or(QByteArray())));
    withKey([this, job, key] {
        const QByteArray current = m_key.value_or(QByteArray());
        const QString oldId = runSigningKeyId(current);
        const QString newId = runSigningKeyId(key);
        AuditEvent e;
        e.system = QStringLiteral("testruns");
        e.action = AuditAction::testrunKeySet;
        e.targetKind = QStringLiteral("signing-key");
        e.targetId = newId;
        e.targetName = newId;
        e.details =
            QJsonObject{{QStringLiteral("previous_key_id"), oldId}, {QStringLiteral("key_id"), newId}};
        const auto fail = [this, job, oldId, e](const QString &why) {
            AuditEvent refused = e;
            refused.outcome = AuditOutcome::Failure;
            refused.comment = why;
            if (auto r = AuditLog::record(refused); !r)
                qWarning("testruns: a refused key change was not audited: %s", qPrintable(r.message()));
            emit signingKeyChanged(job, false, why, oldId);
        };
        if (current.isEmpty())
            return fail(Tr::tr("The keychain is not available, so no key can be kept."));
        if (!newId.isEmpty() && newId == oldId)
            return emit signingKeyChanged(job, true, Tr::tr("This desktop signs with that key already."),
                                          oldId);
        RunSigningKey::replace(
            this, current, key,
            [this, job, key, current, oldId, newId, e, fail](const Result<void> &done) mutable {
                if (!done)
                    return fail(Tr::tr("The key was not changed: %1").arg(done.message()));
                // The runs signed so far name the key that signed them, which stays among the previous keys.
                CacheTransaction tx;
                Result<void> stamped = tx.begin();
                QSqlQuery q(tx.db());
                if (stamped) {
                    q.prepare(QStringLiteral(
                        "UPDATE test_runs SET key_id = ? WHERE key_id = '' AND signature <> ''"));
                    q.addBindValue(oldId);
                    if (!q.exec())
                        stamped = Database::describe(q.lastError(),
                                                     Tr::tr("Recording which key signed the runs so far"));
                }
                if (stamped) {
                    e.details.insert(QStringLiteral("runs_signed_before"), q.numRowsAffected());
                    if (auto r = AuditLog::append(tx.db(), e); !r)
                        stamped = r.error();
                }
                if (stamped) {
                    tx.touch(QStringLiteral("test_runs"));
                    tx.touch(AuditLog::table);
                    stamped = tx.commit();
                }
                m_previousKeys.insert(oldId, current);
                m_key = key;
                if (!stamped)
                    qWarning("testruns: %s", qPrintable(stamped.message()));
                emit signingKeyChanged(
                    job, true,
                    Tr::tr("Runs are signed with key %1 from now on; those signed before with key %2 "
                           "stay checkable.")
                        .arg(newId, oldId),
                    newId);
            });
    });
}

} // namespace opsdeck
