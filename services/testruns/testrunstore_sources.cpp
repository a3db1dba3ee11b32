// TestRunStore, second part: the sources of runs, added, changed and removed.
#include "services/testruns/testrunstore.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "models/testruns/insight.h"
#include "models/testruns/testrunmodels.h"
#include "services/store/auditlog.h"
#include "services/testruns/testrunstore_p.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

using TestRunStoreDetail::cacheError;
using TestRunStoreDetail::isoMs;
using TestRunStoreDetail::Tr;

namespace TestRunStore {

Result<qint64> saveSourceIn(QSqlDatabase db, qint64 sourceId, const QString &name, TestSourceKind kind,
                            qint64 connectionId, const QJsonObject &detail)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 200)
        return makeError("testrun.source", Tr::tr("A test source needs a name of 1 to 200 characters."));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM test_sources WHERE name = ? AND id <> ?"));
    q.addBindValue(trimmed);
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test source %1").arg(trimmed));
    if (q.next())
        return makeError(
            "testrun.source",
            Tr::tr("There is a test source named \"%1\" already; choose another name.").arg(trimmed));
    const QString kindId = testSourceKindId(kind);
    const QVariant connection =
        connectionId > 0 ? QVariant(connectionId) : QVariant(QMetaType(QMetaType::LongLong));
    const QString detailText = QString::fromUtf8(QJsonDocument(detail).toJson(QJsonDocument::Compact));
    if (sourceId == 0) {
        q.prepare(QStringLiteral("INSERT INTO test_sources (name, kind, connection_id, detail, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)"));
        for (const QVariant &v : {QVariant(trimmed), QVariant(kindId), connection, QVariant(detailText),
                                  QVariant(isoMs(QDateTime::currentDateTimeUtc()))})
            q.addBindValue(v);
    } else {
        q.prepare(QStringLiteral(
            "UPDATE test_sources SET name = ?, connection_id = ?, detail = ? WHERE id = ? AND kind = ?"));
        for (const QVariant &v :
             {QVariant(trimmed), connection, QVariant(detailText), QVariant(sourceId), QVariant(kindId)})
            q.addBindValue(v);
    }
    if (!q.exec())
        return cacheError(q, Tr::tr("Saving test source %1").arg(trimmed));
    if (sourceId != 0 && q.numRowsAffected() != 1)
        return makeError(
            "testrun.source",
            Tr::tr("There is no test source %1 of that kind (removed meanwhile?).").arg(sourceId));
    const qint64 id = sourceId ? sourceId : q.lastInsertId().toLongLong();
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunSourceSet;
    e.targetKind = QStringLiteral("source");
    e.targetId = QString::number(id);
    e.targetName = trimmed;
    if (connectionId > 0)
        e.connectionId = connectionId;
    e.details = detail;
    e.details.insert(QStringLiteral("kind"), kindId);
    if (auto r = AuditLog::append(db, e); !r)
        return r.error();
    return id;
}

Result<void> removeSource(qint64 sourceId)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral("SELECT name, kind, COALESCE(connection_id, 0) FROM test_sources WHERE id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test source %1").arg(sourceId));
    if (!q.next())
        return makeError("testrun.source",
                         Tr::tr("There is no test source %1 (removed meanwhile?).").arg(sourceId));
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunSourceRemove;
    e.targetKind = QStringLiteral("source");
    e.targetId = QString::number(sourceId);
    e.targetName = q.value(0).toString();
    if (q.value(2).toLongLong() > 0)
        e.connectionId = q.value(2).toLongLong();
    e.details = QJsonObject{{QStringLiteral("kind"), q.value(1).toString()}};
    q.finish();
    q.prepare(QStringLiteral("DELETE FROM test_sources WHERE id = ?"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Removing test source %1").arg(e.targetName));
    if (auto r = AuditLog::append(tx.db(), e); !r)
        return r.error();
    for (const char *table :
         {"test_sources", "test_runs", "test_cases", "test_workflow_runs", "test_artifacts"})
        tx.touch(QString::fromLatin1(table));
    tx.touch(AuditLog::table);
    return tx.commit();
}

} // namespace TestRunStore
} // namespace opsdeck
