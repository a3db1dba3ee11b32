#include "services/testruns/mockstore.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::MockStore {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::MockStore)
};

QString stamp(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

Error cacheError(const QSqlQuery &q, const QString &what)
{
    return Database::describe(q.lastError(), what);
}

AuditEvent mockEvent(const QString &action, const MockServer &m)
{
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = action;
    e.targetKind = QStringLiteral("mock");
    e.targetId = QString::number(m.id);
    e.targetName = m.name;
    e.details = QJsonObject{{QStringLiteral("url"), m.url},
                            {QStringLiteral("health_path"), m.healthPath},
                            {QStringLiteral("interval_s"), m.intervalSec},
                            {QStringLiteral("container"), m.container}};
    if (m.dockerConnectionId > 0)
        e.connectionId = m.dockerConnectionId;
    return e;
}

const QString mocksTable = QStringLiteral("test_mocks");
const QString healthTable = QStringLiteral("test_mock_health");
} // namespace

Result<QList<MockServer>> all(QSqlDatabase db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT %1 FROM test_mocks ORDER BY name").arg(mockColumns())))
        return cacheError(q, Tr::tr("Reading the mocks"));
    QList<MockServer> out;
    while (q.next())
        out << mockFromQuery(q);
    return out;
}

Result<qint64> save(const MockServer &mock)
{
    MockServer m = mock;
    m.name = m.name.trimmed();
    m.url = m.url.trimmed();
    if (auto ok = m.check(); !ok)
        return ok.error();
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral("SELECT id FROM test_mocks WHERE name = ? AND id <> ?"));
    q.addBindValue(m.name);
    q.addBindValue(m.id);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading mock %1").arg(m.name));
    if (q.next())
        return makeError("validation.name", Tr::tr("There is a mock named \"%1\" already.").arg(m.name));
    const QVariant connection =
        m.dockerConnectionId > 0 ? QVariant(m.dockerConnectionId) : QVariant(QMetaType(QMetaType::LongLong));
    if (m.id == 0) {
        q.prepare(QStringLiteral(
            "INSERT INTO test_mocks (name, url, health_path, interval_s, connection_id, container, "
            "created_at) VALUES (?,?,?,?,?,?,?)"));
        for (const QVariant &v :
             {QVariant(m.name), QVariant(m.url), QVariant(m.healthPath), QVariant(m.intervalSec), connection,
              QVariant(m.container.isNull() ? QStringLiteral("") : m.container),
              QVariant(stamp(QDateTime::currentDateTimeUtc()))})
            q.addBindValue(v);
    } else {
        q.prepare(QStringLiteral("UPDATE test_mocks SET name = ?, url = ?, health_path = ?, interval_s = ?, "
                                 "connection_id = ?, container = ? WHERE id = ?"));
        for (const QVariant &v :
             {QVariant(m.name), QVariant(m.url), QVariant(m.healthPath), QVariant(m.intervalSec), connection,
              QVariant(m.container.isNull() ? QStringLiteral("") : m.container), QVariant(m.id)})
            q.addBindValue(v);
    }
    if (!q.exec())
        return cacheError(q, Tr::tr("Saving mock %1").arg(m.name));
    if (m.id != 0 && q.numRowsAffected() != 1)
        return makeError("validation.name", Tr::tr("There is no mock %1 (removed meanwhile?).").arg(m.id));
    if (m.id == 0)
        m.id = q.lastInsertId().toLongLong();
    if (auto r = AuditLog::append(tx.db(), mockEvent(AuditAction::testrunMockSet, m)); !r)
        return r.error();
    tx.touch(mocksTable);
    tx.touch(AuditLog::table);
    if (auto r = tx.commit(); !r)
        return r.error();
    return m.id;
}

Result<void> remove(qint64 mockId)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    const auto mocks = all(tx.db());
    if (!mocks)
        return mocks.error();
    const auto found = std::find_if(mocks->cbegin(), mocks->cend(),
                                    [mockId](const MockServer &m) { return m.id == mockId; });
    if (found == mocks->cend())
        return makeError("validation.name", Tr::tr("There is no mock %1 (removed meanwhile?).").arg(mockId));
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral("DELETE FROM test_mocks WHERE id = ?"));
    q.addBindValue(mockId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Removing mock %1").arg(found->name));
    if (auto r = AuditLog::append(tx.db(), mockEvent(AuditAction::testrunMockRemove, *found)); !r)
        return r.error();
    tx.touch(mocksTable);
    tx.touch(healthTable);
    tx.touch(AuditLog::table);
    return tx.commit();
}

Result<void> record(qint64 mockId, const HealthCheck &check)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlQuery q(tx.db());
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO test_mock_health (mock_id, checked_at, up, status, latency_ms, "
        "detail) VALUES (?,?,?,?,?,?)"));
    for (const QVariant &v : {QVariant(mockId), QVariant(stamp(check.at)), QVariant(check.up ? 1 : 0),
                              QVariant(check.status), QVariant(check.latencyMs),
                              QVariant(check.detail.isNull() ? QStringLiteral("") : check.detail.left(2000))})
        q.addBindValue(v);
    if (!q.exec())
        return cacheError(q, Tr::tr("Recording a health check"));
    q.prepare(QStringLiteral("DELETE FROM test_mock_health WHERE mock_id = ? AND checked_at < ?"));
    q.addBindValue(mockId);
    q.addBindValue(stamp(check.at.addDays(-35)));
    if (!q.exec())
        return cacheError(q, Tr::tr("Forgetting old health checks"));
    tx.touch(healthTable);
    return tx.commit();
}

QDateTime lastCheck(QSqlDatabase db, qint64 mockId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT MAX(checked_at) FROM test_mock_health WHERE mock_id = ?"));
    q.addBindValue(mockId);
    if (q.exec() && q.next() && !q.value(0).isNull())
        return QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
    return {};
}

} // namespace opsdeck::MockStore
