// TestRunStore and the signed record: checking a run's signature, the record as telemetry and the team
// workspace take it, and a teammate's published run adopted into this cache.
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/testrunstore.h"
#include "services/testruns/testrunstore_p.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace opsdeck::TestRunStore {

using namespace TestRunStoreDetail;

Result<SignatureState> verifyRun(QSqlDatabase db, qint64 runId, const QByteArray &key,
                                 const QHash<QString, QByteArray> &previous)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT signature, key_id FROM test_runs WHERE id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test run %1").arg(runId));
    if (!q.next())
        return makeError("testrun.missing", Tr::tr("There is no test run %1 in the cache.").arg(runId));
    const QByteArray stored = q.value(0).toString().toLatin1();
    if (stored.isEmpty())
        return SignatureState::Unsigned;
    // A teammate's run signed with a key this desktop does not hold cannot be checked here.
    const QString keyId = q.value(1).toString();
    QByteArray signer = key;
    if (!keyId.isEmpty() && keyId != runSigningKeyId(key)) {
        if (!previous.contains(keyId))
            return SignatureState::OtherKey;
        signer = previous.value(keyId);
    }
    const auto expected = signCached(db, runId, signer);
    if (!expected) {
        if (expected.error().code == QLatin1String("testrun.order"))
            return SignatureState::Tampered;
        return expected.error();
    }
    unsigned char diff = stored.size() == expected->size() ? 0 : 1;
    for (qsizetype i = 0; i < stored.size() && i < expected->size(); ++i)
        diff |= uchar(stored.at(i)) ^ uchar(expected->at(i));
    return diff == 0 ? SignatureState::Verified : SignatureState::Tampered;
}

Result<SignedRecord> signedRecord(QSqlDatabase db, qint64 runId, const QByteArray &key)
{
    SignedRecord out;
    const auto signature = signCached(db, runId, key, &out.body);
    if (!signature)
        return signature.error();
    out.signature = signature.value();
    return out;
}

Result<TeamRunRecord> publishableRecord(QSqlDatabase db, qint64 runId, const QByteArray &key)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT s.name, r.run_key, r.signature, r.tests, r.key_id, r.published_by FROM "
                             "test_runs r JOIN test_sources s ON s.id = r.source_id WHERE r.id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test run %1").arg(runId));
    if (!q.next())
        return makeError("testrun.missing", Tr::tr("There is no test run %1 in the cache.").arg(runId));
    TeamRunRecord out;
    out.source = q.value(0).toString();
    out.runKey = q.value(1).toString();
    out.signature = q.value(2).toString().toLatin1();
    if (!q.value(5).toString().isEmpty())
        return makeError("testrun.team",
                         Tr::tr("Run %1 of %2 came from the workspace: it is published already.")
                             .arg(out.runKey, out.source));
    // Some 100 bytes a case: a run this large would not fit the workspace's limit anyway.
    if (q.value(3).toLongLong() > teamRecordMaxBytes / 64)
        return makeError(
            "testrun.team-size",
            Tr::tr("Run %1 of %2 has %3 cases, too many for the workspace: it stays on this desktop.")
                .arg(out.runKey, out.source)
                .arg(q.value(3).toLongLong()));
    const QString storedKeyId = q.value(4).toString();
    // The bytes as the cache holds the run now, with the signature it was given when imported: a run
    // changed since then goes out as tampered, never signed again.
    const QByteArray signer = key.size() >= runSigningKeyBytes ? key : QByteArray(runSigningKeyBytes, '\0');
    if (auto bytes = signCached(db, runId, signer, &out.record); !bytes)
        return bytes.error();
    if (!out.signature.isEmpty())
        out.keyId = storedKeyId.isEmpty() ? runSigningKeyId(key) : storedKeyId;
    if (out.keyId.isEmpty())
        out.signature.clear();
    return out;
}

Result<AdoptedRun> adoptPublished(const TeamRunRecord &published, TestSourceKind kind,
                                  const QDateTime &notBefore)
{
    AdoptedRun out;
    const auto record = parseRunRecord(published.record);
    if (!record)
        return record.error();
    if (notBefore.isValid() && record->startedAt < notBefore) {
        out.skipped = true;
        return out;
    }
    if (record->source != published.source || record->run != published.runKey)
        return makeError("testrun.record",
                         Tr::tr("The record published as run %1 of %2 says it is run %3 of %4.")
                             .arg(published.runKey, published.source, record->run, record->source));
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    QSqlDatabase db = tx.db();
    RunImport request;
    request.source = published.source;
    request.sourceKind = kind;
    request.runKey = published.runKey;
    request.title =
        Tr::tr("from %1").arg(published.publishedBy.isEmpty() ? published.desktop : published.publishedBy);
    request.origin =
        Tr::tr("team workspace, published by %1 from %2").arg(published.publishedBy, published.desktop);
    request.branch = record->branch;
    request.commit = record->commit;
    const auto source = sourceIdFor(db, request, true);
    if (!source)
        return source.error();
    if (auto run = runOf(db, source.value(), published.runKey)) {
        out.runId = *run;
        out.already = true;
        return out; // rolled back: nothing was written
    }
    const RunRecord &r = record.value();
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO test_runs (source_id, run_key, title, origin, branch, commit_sha, event, started_at, "
        "imported_at, tests, passed, failed, errors, skipped, flaky, duration_ms, signature, key_id, "
        "published_by) "
        "VALUES (?,?,?,?,?,?,'',?,?,?,?,?,?,?,?,?,?,?,?)"));
    q.addBindValue(source.value());
    for (const QString &s : {published.runKey, request.title, request.origin, r.branch, r.commit,
                             isoMs(r.startedAt), isoMs(QDateTime::currentDateTimeUtc())})
        q.addBindValue(s.isNull() ? QStringLiteral("") : s);
    for (int n : {r.totals.tests, r.totals.passed, r.totals.failed, r.totals.errors, r.totals.skipped,
                  r.totals.flaky})
        q.addBindValue(n);
    q.addBindValue(qint64(std::llround(r.totals.seconds * 1000)));
    q.addBindValue(QString::fromLatin1(published.signature));
    q.addBindValue(published.keyId.isNull() ? QStringLiteral("") : published.keyId);
    q.addBindValue(published.publishedBy.isEmpty() ? QStringLiteral("?") : published.publishedBy);
    if (!q.exec())
        return cacheError(q, Tr::tr("Adding a published test run to the cache"));
    out.runId = q.lastInsertId().toLongLong();
    if (auto written = writeRecordCases(db, source.value(), out.runId, r.cases); !written)
        return written.error();
    // What the cache holds must read back as exactly the bytes published, or the signature would
    // call a faithful copy tampered: such a record is not adopted.
    QByteArray readBack;
    if (auto bytes = signCached(db, out.runId, QByteArray(runSigningKeyBytes, '\0'), &readBack); !bytes)
        return bytes.error();
    if (readBack != published.record)
        return makeError("testrun.record",
                         Tr::tr("Run %1 of %2 from the workspace does not read back as published; it was not "
                                "adopted.")
                             .arg(published.runKey, published.source));
    ImportedRun imported;
    imported.runId = out.runId;
    imported.source = published.source;
    imported.runKey = published.runKey;
    imported.startedAt = r.startedAt;
    imported.totals = r.totals;
    imported.signature = published.signature;
    AuditEvent e = importEventFor(imported, request);
    e.details.insert(QStringLiteral("published_by"), published.publishedBy);
    e.details.insert(QStringLiteral("desktop"), published.desktop);
    e.details.insert(QStringLiteral("key_id"), published.keyId);
    if (auto audited = AuditLog::append(db, e); !audited)
        return audited.error();
    for (const char *table : {"test_sources", "test_runs", "test_cases"})
        tx.touch(QString::fromLatin1(table));
    tx.touch(AuditLog::table);
    if (auto r2 = tx.commit(); !r2)
        return r2.error();
    return out;
}

} // namespace opsdeck::TestRunStore
