// The audit log: every action Opsdeck performs against a backend, every connection change and
// every failure of such an action, as one event in the cache. Local events form a SHA-256 hash
// chain (OpenSSL): each stores the previous event's hash and the hash of (previous hash +
// its own canonical serialization), so an edited, deleted, inserted or reordered event is found
// by verify(). Imported events (Harbor, Docker, GitHub audit logs) carry another source and are
// not part of the chain.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"
#include "models/store/batchwriter.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace opsdeck {

struct AuditVerification
{
    bool ok = true;
    qint64 eventsChecked = 0;
    qint64 checkpointsChecked = 0;
    qint64 firstBadId = 0; // the first event that breaks the chain
    QString problem;       // edited, deleted, inserted, reordered, checkpoint
    QString message;       // for people
    qint64 startedAfterId = 0;
    qint64 lastEventId = 0;     // the last event verified
    qint64 prunedThroughId = 0; // events up to it were removed by the audit retention
    QDateTime prunedAt;
};

// Where the chain starts after the audit retention removed its oldest events (audit_prunes).
struct AuditAnchor
{
    qint64 throughId = 0; // the last local event removed
    QString throughHash;  // its hash: the next event's prev_hash
    QDateTime prunedAt;
};

namespace AuditLog {

inline const QString table = QStringLiteral("audit_events");
constexpr qint64 checkpointEvery = 10000;

QString currentOsUser();

// Appends inside the caller's write transaction on db, so that the event lands atomically with
// the action's own cache writes. Fills in id, timestamp (if unset), OS user, prevHash and hash.
Result<AuditEvent> append(QSqlDatabase db, AuditEvent event);
// Appends in a transaction of its own on this thread's connection and announces the change.
Result<AuditEvent> record(AuditEvent event);
// Stores an imported event (source other than "local"): outside the hash chain.
Result<AuditEvent> import(QSqlDatabase db, AuditEvent event);

QByteArray canonical(const AuditEvent &event);
// The event a canonical form describes (as another desktop's chain in the team store holds it).
// Refuses anything that is not exactly that array: "audit.invalid".
Result<AuditEvent> fromCanonical(const QByteArray &canonical);
QString chainHash(const QString &prevHash, const QByteArray &canonical);
QString genesisHash();

// The newest prune's anchor, if the retention ever removed events.
Result<std::optional<AuditAnchor>> anchor(QSqlDatabase db);

// Walks the chain from the start (the anchor, after a prune), or from the newest checkpoint at or
// before fromEventId. From the anchor, it also asks for the chained audit.prune event that records
// the prune: events removed without one count as deleted.
// progress(done, total) may return false to cancel.
Result<AuditVerification> verify(QSqlDatabase db, qint64 fromEventId = 0,
                                 const std::function<bool(qint64, qint64)> &progress = {});

} // namespace AuditLog

// Appends many local events in the caller's transaction, keeping the chain head in memory and
// writing them through the cache's batch writer (BatchWriter::defaultRows per statement): for
// imports, the demo workspace and benchmarks. append() fills in id, prevHash and hash at once;
// finish() writes what is still pending and must be called before the transaction commits.
class AuditAppender
{
public:
    explicit AuditAppender(QSqlDatabase db) : m_db(std::move(db)) {}

    Result<void> start(); // reads the chain head; call inside the write transaction
    Result<AuditEvent> append(AuditEvent event);
    [[nodiscard]] Result<void> finish();

private:
    QSqlDatabase m_db;
    std::optional<BatchWriter> m_writer;
    QList<std::pair<qint64, QString>> m_checkpoints;
    QString m_head;
    qint64 m_headId = 0;
    qint64 m_nextId = 1;
};

} // namespace opsdeck
