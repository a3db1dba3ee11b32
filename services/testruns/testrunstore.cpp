#include "services/testruns/testrunstore.h"

#include "models/audit/auditevent.h"
#include "models/store/batchwriter.h"
#include "models/store/database.h"
#include "models/testruns/insight.h"
#include "models/testruns/testrunmodels.h"
#include "services/store/auditlog.h"
#include "services/testruns/testrunstore_p.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>
#include <vector>

namespace opsdeck {

using TestRunStoreDetail::cacheError;
using TestRunStoreDetail::isoMs;
using TestRunStoreDetail::Tr;

namespace {

constexpr int casesPerBatch = 256;

// Passes reads through, counting them, and hashes what passed when asked to, so that a report read
// once has its SHA-256 too.
class HashingDevice : public QIODevice
{
public:
    explicit HashingDevice(QIODevice &inner, bool hashing = true) : m_inner(inner), m_hashing(hashing)
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_inner.bytesAvailable() + QIODevice::bytesAvailable(); }
    QByteArray hash() const { return m_hash.result().toHex(); }
    qint64 bytesRead() const { return m_read; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = m_inner.read(data, maxSize);
        if (n > 0) {
            m_read += n;
            if (m_hashing)
                m_hash.addData(QByteArrayView(data, n));
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }
    bool atEnd() const override { return m_inner.atEnd(); }

private:
    QIODevice &m_inner;
    bool m_hashing;
    qint64 m_read = 0;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

// The source's id, created if new; a source of another kind with the name is refused.
Result<qint64> sourceId(QSqlDatabase db, const RunImport &r, bool create)
{
    const QString what = Tr::tr("Reading test source %1").arg(r.source);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, kind FROM test_sources WHERE name = ?"));
    q.addBindValue(r.source);
    if (!q.exec())
        return cacheError(q, what);
    if (q.next()) {
        if (q.value(1).toString() != testSourceKindId(r.sourceKind))
            return makeError("testrun.source",
                             Tr::tr("The test source \"%1\" gathers %2 runs; choose another name for these.")
                                 .arg(r.source, q.value(1).toString()));
        return q.value(0).toLongLong();
    }
    if (!create)
        return qint64(0);
    q.prepare(
        QStringLiteral("INSERT INTO test_sources (name, kind, connection_id, created_at) VALUES (?,?,?,?)"));
    q.addBindValue(r.source);
    q.addBindValue(testSourceKindId(r.sourceKind));
    q.addBindValue(r.connectionId ? QVariant(*r.connectionId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(isoMs(QDateTime::currentDateTimeUtc()));
    if (!q.exec())
        return cacheError(q, Tr::tr("Adding test source %1").arg(r.source));
    return q.lastInsertId().toLongLong();
}

std::optional<qint64> existingRun(QSqlDatabase db, qint64 source, const QString &runKey)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id FROM test_runs WHERE source_id = ? AND run_key = ?"));
    q.addBindValue(source);
    q.addBindValue(runKey);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return std::nullopt;
}

// Writes the cases of a run in batches: their keys (one row per case of the source, a name
// repeated within the run numbered " #2", " #3"), outcomes and what failing cases left behind.
class CaseWriter
{
public:
    CaseWriter(QSqlDatabase db, qint64 source, qint64 run)
        : m_db(db), m_source(source), m_run(run),
          m_keys(db,
                 QStringLiteral(
                     "INSERT INTO test_case_keys (source_id, case_key, suite, classname, name) VALUES"),
                 5, QStringLiteral("ON CONFLICT (source_id, case_key) DO NOTHING"),
                 Tr::tr("Writing test case names to the cache")),
          m_cases(db,
                  QStringLiteral(
                      "INSERT INTO test_cases (run_id, key_id, outcome, flaky, duration_ms, message) VALUES"),
                  6, {}, Tr::tr("Writing test cases to the cache")),
          m_details(
              db,
              QStringLiteral("INSERT INTO test_case_details (run_id, key_id, type, details, file, line, "
                             "system_out, system_err) VALUES"),
              8, {}, Tr::tr("Writing test case details to the cache"), 16)
    {
    }

    Result<void> add(JUnitCase &&c)
    {
        m_batch.push_back(std::move(c));
        if (m_batch.size() >= size_t(casesPerBatch))
            return flush();
        return {};
    }

    Result<void> flush()
    {
        if (m_batch.empty())
            return {};
        QStringList keys;
        keys.reserve(qsizetype(m_batch.size()));
        for (const JUnitCase &c : m_batch) {
            keys << caseKey(c.suite, c.classname, c.name);
            if (auto r = addKey(keys.last(), c); !r)
                return r;
        }
        if (auto r = m_keys.finish(); !r)
            return r;
        auto ids = idsOf(keys);
        if (!ids)
            return ids.error();
        for (size_t i = 0; i < m_batch.size(); ++i) {
            const JUnitCase &c = m_batch[i];
            qint64 id = ids->value(keys.at(qsizetype(i)));
            if (m_seen.contains(id)) {
                // The same name again in this run: the next free number.
                int &n = m_repeats[keys.at(qsizetype(i))];
                n = qMax(n, 1);
                QString numbered;
                do {
                    numbered = keys.at(qsizetype(i)) + QStringLiteral(" #%1").arg(++n);
                    if (auto r = addKey(numbered, c); !r)
                        return r;
                    if (auto r = m_keys.finish(); !r)
                        return r;
                    auto one = idsOf({numbered});
                    if (!one)
                        return one.error();
                    id = one->value(numbered);
                } while (m_seen.contains(id));
            }
            m_seen.insert(id);
            m_cases.add(m_run);
            m_cases.add(id);
            m_cases.add(int(c.outcome));
            m_cases.add(c.flaky);
            m_cases.add(qint64(std::llround(c.seconds * 1000)));
            m_cases.add(c.message);
            if (auto r = m_cases.endRow(); !r)
                return r;
            // What a passing case printed is noise, and most of a large report's bytes.
            if (c.outcome != CaseOutcome::Passed || c.flaky) {
                m_details.add(m_run);
                m_details.add(id);
                m_details.add(c.type);
                m_details.add(c.details);
                m_details.add(c.file);
                m_details.add(c.line);
                m_details.add(c.systemOut);
                m_details.add(c.systemErr);
                if (auto r = m_details.endRow(); !r)
                    return r;
            }
        }
        m_batch.clear();
        return {};
    }

    Result<void> finish()
    {
        if (auto r = flush(); !r)
            return r;
        if (auto r = m_cases.finish(); !r)
            return r;
        return m_details.finish();
    }

private:
    Result<void> addKey(const QString &key, const JUnitCase &c)
    {
        m_keys.add(m_source);
        m_keys.add(key);
        m_keys.add(c.suite);
        m_keys.add(c.classname);
        m_keys.add(c.name);
        return m_keys.endRow();
    }

    Result<QHash<QString, qint64>> idsOf(const QStringList &keys)
    {
        QStringList unique = keys;
        unique.removeDuplicates();
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        QString marks = QStringLiteral("?");
        for (qsizetype i = 1; i < unique.size(); ++i)
            marks += QStringLiteral(",?");
        q.prepare(
            QStringLiteral("SELECT case_key, id FROM test_case_keys WHERE source_id = ? AND case_key IN (%1)")
                .arg(marks));
        q.addBindValue(m_source);
        for (const QString &k : std::as_const(unique))
            q.addBindValue(k);
        if (!q.exec())
            return cacheError(q, Tr::tr("Reading test case names"));
        QHash<QString, qint64> out;
        while (q.next())
            out.insert(q.value(0).toString(), q.value(1).toLongLong());
        return out;
    }

    QSqlDatabase m_db;
    qint64 m_source;
    qint64 m_run;
    BatchWriter m_keys;
    BatchWriter m_cases;
    BatchWriter m_details;
    std::vector<JUnitCase> m_batch;
    QSet<qint64> m_seen;
    QHash<QString, int> m_repeats;
};

// The signed part of a run, as the cache holds it (cases not included).
Result<RunRecord> recordHeader(QSqlDatabase db, qint64 runId)
{
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT s.name, r.run_key, r.branch, r.commit_sha, r.started_at, r.tests, r.passed, "
                       "r.failed, r.errors, r.skipped, r.flaky, r.duration_ms FROM test_runs r JOIN "
                       "test_sources s ON s.id = r.source_id WHERE r.id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading test run %1").arg(runId));
    if (!q.next())
        return makeError("testrun.missing", Tr::tr("There is no test run %1 in the cache.").arg(runId));
    RunRecord r;
    r.source = q.value(0).toString();
    r.run = q.value(1).toString();
    r.branch = q.value(2).toString();
    r.commit = q.value(3).toString();
    r.startedAt = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
    r.totals.tests = q.value(5).toInt();
    r.totals.passed = q.value(6).toInt();
    r.totals.failed = q.value(7).toInt();
    r.totals.errors = q.value(8).toInt();
    r.totals.skipped = q.value(9).toInt();
    r.totals.flaky = q.value(10).toInt();
    r.totals.seconds = q.value(11).toLongLong() / 1000.0;
    return r;
}

// Feeds the run's cases to the signer in canonical order (UTF-8 bytes: SQLite's BINARY collation).
Result<QByteArray> signFromCache(QSqlDatabase db, qint64 runId, const QByteArray &key,
                                 QByteArray *copy = nullptr)
{
    const auto header = recordHeader(db, runId);
    if (!header)
        return header.error();
    RunRecordSigner signer(header.value(), key, copy);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT k.suite, k.classname, k.name, c.outcome, c.duration_ms, c.flaky FROM test_cases c "
        "JOIN test_case_keys k ON k.id = c.key_id WHERE c.run_id = ? ORDER BY k.suite, "
        "k.classname, k.name, c.outcome, c.duration_ms, c.flaky"));
    q.addBindValue(runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Reading the cases of test run %1").arg(runId));
    RunCaseRecord c;
    while (q.next()) {
        c.suite = q.value(0).toString();
        c.classname = q.value(1).toString();
        c.name = q.value(2).toString();
        c.outcome = CaseOutcome(qBound(0, q.value(3).toInt(), 3));
        c.durationMs = q.value(4).toLongLong();
        c.flaky = q.value(5).toBool();
        signer.addCase(c);
    }
    return signer.finish();
}

AuditEvent importEvent(const ImportedRun &run, const RunImport &request)
{
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunImport;
    e.targetKind = QStringLiteral("run");
    e.targetId = QString::number(run.runId);
    e.targetName = request.source + QStringLiteral(" › ") + request.title;
    if (request.connectionId)
        e.connectionId = *request.connectionId;
    const JUnitTotals &t = run.totals;
    e.details = QJsonObject{
        {QStringLiteral("source"), request.source}, {QStringLiteral("run_key"), run.runKey},
        {QStringLiteral("origin"), request.origin}, {QStringLiteral("tests"), t.tests},
        {QStringLiteral("passed"), t.passed},       {QStringLiteral("failed"), t.failed},
        {QStringLiteral("errors"), t.errors},       {QStringLiteral("skipped"), t.skipped},
        {QStringLiteral("flaky"), t.flaky},         {QStringLiteral("signed"), !run.signature.isEmpty()}};
    if (!run.notes.isEmpty())
        e.details.insert(QStringLiteral("notes"), QJsonArray::fromStringList(run.notes));
    return e;
}
} // namespace

namespace TestRunStoreDetail {
Result<qint64> sourceIdFor(QSqlDatabase db, const RunImport &r, bool create)
{
    return sourceId(db, r, create);
}

std::optional<qint64> runOf(QSqlDatabase db, qint64 source, const QString &runKey)
{
    return existingRun(db, source, runKey);
}

Result<QByteArray> signCached(QSqlDatabase db, qint64 runId, const QByteArray &key, QByteArray *copy)
{
    return signFromCache(db, runId, key, copy);
}

Result<void> writeRecordCases(QSqlDatabase db, qint64 source, qint64 run, const QList<RunCaseRecord> &cases)
{
    CaseWriter writer(db, source, run);
    for (const RunCaseRecord &rc : cases) {
        JUnitCase c;
        c.suite = rc.suite;
        c.classname = rc.classname;
        c.name = rc.name;
        c.outcome = rc.outcome;
        c.flaky = rc.flaky;
        c.seconds = double(rc.durationMs) / 1000.0;
        if (auto r = writer.add(std::move(c)); !r)
            return r;
    }
    return writer.finish();
}

AuditEvent importEventFor(const ImportedRun &run, const RunImport &request)
{
    return importEvent(run, request);
}
} // namespace TestRunStoreDetail

QString testSourceKindId(TestSourceKind kind)
{
    switch (kind) {
    case TestSourceKind::Files:
        return QStringLiteral("files");
    case TestSourceKind::GitHub:
        return QStringLiteral("github");
    case TestSourceKind::Golden:
        return QStringLiteral("golden");
    }
    return {};
}

namespace TestRunStore {

Result<ImportedRun> importReportIn(QSqlDatabase db, QIODevice &in, const RunImport &request,
                                   const QByteArray &key, const Progress &progress)
{
    return importReportsIn(db, {ReportPart{QString(), &in, in.isSequential() ? 0 : in.size()}}, request, key,
                           progress);
}

Result<ImportedRun> importReportsIn(QSqlDatabase db, const QList<ReportPart> &parts, const RunImport &request,
                                    const QByteArray &key, const Progress &progress)
{
    if (request.source.trimmed().isEmpty() || request.source.size() > 200)
        return makeError("testrun.source", Tr::tr("A test source needs a name of 1 to 200 characters."));
    if (parts.isEmpty() || (parts.size() > 1 && request.runKey.isEmpty()))
        return makeError("testrun.parts", Tr::tr("A run read from several reports needs its run key."));
    // The run key of a single report without one is its SHA-256, hashed as it is read.
    const bool hashing = request.runKey.isEmpty();
    qint64 total = 0;
    for (const ReportPart &part : parts)
        total += part.size;
    qint64 partsRead = 0; // the bytes of the parts read before the current one
    HashingDevice *current = nullptr;
    bool cancelled = false;
    qint64 sinceProgress = 0;
    const auto tick = [&] {
        if (progress && ++sinceProgress >= casesPerBatch) {
            sinceProgress = 0;
            if (!progress(partsRead + (current ? current->bytesRead() : 0), total))
                cancelled = true;
        }
    };
    // A part's refusal names the part, when there are several.
    const auto partError = [&](const ReportPart &part, Error e) {
        if (!part.name.isEmpty())
            e.message = Tr::tr("%1: %2").arg(part.name, e.message);
        return e;
    };
    QByteArray hash;
    JUnitTotals totals;
    QStringList notes;
    QDateTime firstTimestamp;
    int junitParts = 0;
    // Reads every part, handing each case to onCase; the figures are summed over the parts.
    const auto readAll = [&](const std::function<void(JUnitCase &&)> &onCase) -> Result<void> {
        for (const ReportPart &part : parts) {
            HashingDevice device(*part.device, hashing);
            current = &device;
            const auto report = readJUnit(device, onCase);
            current = nullptr;
            partsRead += part.size;
            if (!report) {
                if (parts.size() > 1 && report.error().code == QLatin1String("junit.notjunit")) {
                    notes << Tr::tr("%1 is not a JUnit report; it was left out.").arg(part.name);
                    continue;
                }
                return partError(part, report.error());
            }
            ++junitParts;
            if (hashing)
                hash = device.hash();
            const JUnitTotals &t = report->totals;
            totals.tests += t.tests;
            totals.passed += t.passed;
            totals.failed += t.failed;
            totals.errors += t.errors;
            totals.skipped += t.skipped;
            totals.flaky += t.flaky;
            totals.seconds += t.seconds;
            for (const QString &note : report->notes)
                notes << (part.name.isEmpty() ? note : Tr::tr("%1: %2").arg(part.name, note));
            if (!firstTimestamp.isValid() ||
                (report->timestamp.isValid() && report->timestamp < firstTimestamp))
                firstTimestamp = report->timestamp;
        }
        if (junitParts == 0)
            return makeError("testrun.nojunit",
                             Tr::tr("None of the %n file(s) is a JUnit report.", nullptr, int(parts.size())));
        return {};
    };

    ImportedRun out;
    out.source = request.source;
    out.runKey = request.runKey;
    if (request.dryRun) {
        if (auto read = readAll([&](JUnitCase &&) { tick(); }); !read)
            return read.error();
        out.totals = totals;
        out.notes = notes;
        out.startedAt = request.startedAt.isValid() ? request.startedAt : firstTimestamp;
        if (out.runKey.isEmpty())
            out.runKey = QStringLiteral("sha256:") + QString::fromLatin1(hash);
        if (db.isValid()) {
            if (auto source = sourceId(db, request, false); source && source.value())
                if (auto run = existingRun(db, source.value(), out.runKey)) {
                    out.runId = *run;
                    out.alreadyImported = true;
                }
        }
        return out;
    }

    const auto source = sourceId(db, request, true);
    if (!source)
        return source.error();
    if (!request.runKey.isEmpty())
        if (auto run = existingRun(db, source.value(), request.runKey)) {
            out.runId = *run;
            out.alreadyImported = true;
            return out;
        }

    // The run's row first (its cases refer to it), with its figures once they are known.
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("INSERT INTO test_runs (source_id, run_key, title, origin, branch, commit_sha, event, "
                       "started_at, imported_at, tests, passed, failed, errors, skipped, flaky, duration_ms) "
                       "VALUES (?,?,?,?,?,?,?,?,?,0,0,0,0,0,0,0)"));
    const QString now = isoMs(QDateTime::currentDateTimeUtc());
    q.addBindValue(source.value());
    // A placeholder key while the report's hash is not known yet; no real key starts with a space.
    q.addBindValue(request.runKey.isEmpty() ? QStringLiteral(" importing") : request.runKey);
    for (const QString &s :
         {request.title, request.origin, request.branch, request.commit, request.event, now, now})
        q.addBindValue(s.isNull() ? QStringLiteral("") : s);
    if (!q.exec())
        return cacheError(q, Tr::tr("Adding a test run to the cache"));
    out.runId = q.lastInsertId().toLongLong();

    CaseWriter writer(db, source.value(), out.runId);
    std::optional<Error> writeError;
    const auto read = readAll([&](JUnitCase &&c) {
        if (writeError || cancelled)
            return;
        if (auto r = writer.add(std::move(c)); !r)
            writeError = r.error();
        tick();
    });
    if (!read)
        return read.error();
    if (writeError)
        return *writeError;
    if (cancelled)
        return makeError("testrun.cancelled", Tr::tr("The import was cancelled; nothing of it was kept."));
    if (auto r = writer.finish(); !r)
        return r.error();

    out.totals = totals;
    out.notes = notes;
    out.startedAt = request.startedAt.isValid()   ? request.startedAt
                    : firstTimestamp.isValid()    ? firstTimestamp
                    : request.undatedAt.isValid() ? request.undatedAt
                                                  : QDateTime::currentDateTimeUtc();
    if (out.runKey.isEmpty()) {
        out.runKey = QStringLiteral("sha256:") + QString::fromLatin1(hash);
        if (auto run = existingRun(db, source.value(), out.runKey)) {
            // The caller rolls back what was written: the report was there already.
            out.runId = *run;
            out.alreadyImported = true;
            return out;
        }
    }
    const JUnitTotals &t = out.totals;
    q.prepare(
        QStringLiteral("UPDATE test_runs SET run_key = ?, started_at = ?, tests = ?, passed = ?, failed = ?, "
                       "errors = ?, skipped = ?, flaky = ?, duration_ms = ?, notes = ? WHERE id = ?"));
    q.addBindValue(out.runKey);
    q.addBindValue(isoMs(out.startedAt));
    for (int n : {t.tests, t.passed, t.failed, t.errors, t.skipped, t.flaky})
        q.addBindValue(n);
    q.addBindValue(qint64(std::llround(t.seconds * 1000)));
    q.addBindValue(QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(out.notes)).toJson(QJsonDocument::Compact)));
    q.addBindValue(out.runId);
    if (!q.exec())
        return cacheError(q, Tr::tr("Writing the figures of test run %1").arg(out.runId));

    if (!key.isEmpty()) {
        const auto signature = signFromCache(db, out.runId, key);
        if (!signature)
            return signature.error();
        out.signature = signature.value();
        q.prepare(QStringLiteral("UPDATE test_runs SET signature = ? WHERE id = ?"));
        q.addBindValue(QString::fromLatin1(out.signature));
        q.addBindValue(out.runId);
        if (!q.exec())
            return cacheError(q, Tr::tr("Writing the signature of test run %1").arg(out.runId));
    }
    if (auto audited = AuditLog::append(db, importEvent(out, request)); !audited)
        return audited.error();
    return out;
}

Result<ImportedRun> importReport(QIODevice &in, const RunImport &request, const QByteArray &key,
                                 const Progress &progress)
{
    if (request.dryRun)
        return importReportIn(Database::isOpen() ? Database::connection() : QSqlDatabase(), in, request, key,
                              progress);
    CacheTransaction tx;
    if (auto begun = tx.begin(); !begun)
        return begun.error();
    auto run = importReportIn(tx.db(), in, request, key, progress);
    if (!run)
        return run.error();
    if (run->alreadyImported)
        return run; // the transaction rolls back whatever was written before that was known
    for (const char *table : {"test_sources", "test_runs", "test_cases"})
        tx.touch(QString::fromLatin1(table));
    tx.touch(AuditLog::table);
    if (auto committed = tx.commit(); !committed)
        return committed.error();
    return run;
}

Result<ImportedRun> importFile(const QString &path, RunImport request, const QByteArray &key,
                               const Progress &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError("junit.read", Tr::tr("%1 cannot be read: %2").arg(path, file.errorString()));
    const QFileInfo info(path);
    if (request.runKey.isEmpty()) {
        // Hashed first, so that a report imported before is known before it is read again.
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!hash.addData(&file))
            return makeError("junit.read", Tr::tr("%1 cannot be read: %2").arg(path, file.errorString()));
        request.runKey = QStringLiteral("sha256:") + QString::fromLatin1(hash.result().toHex());
        file.seek(0);
    }
    if (request.title.isEmpty())
        request.title = info.fileName();
    if (request.origin.isEmpty())
        request.origin = info.absoluteFilePath();
    if (!request.undatedAt.isValid())
        request.undatedAt = info.lastModified().toUTC();
    auto imported = importReport(file, request, key, progress);
    if (!imported) {
        Error e = imported.error();
        if (e.code.startsWith(QLatin1String("junit.")))
            e.message = Tr::tr("%1: %2").arg(info.fileName(), e.message);
        return e;
    }
    return imported;
}

AuditEvent refusalEvent(const QString &file, const QString &source, const Error &why)
{
    AuditEvent e;
    e.system = QStringLiteral("testruns");
    e.action = AuditAction::testrunImport;
    e.targetKind = QStringLiteral("run");
    e.targetName = source + QStringLiteral(" › ") + QFileInfo(file).fileName();
    e.outcome = AuditOutcome::Failure;
    e.comment = why.message;
    e.details = QJsonObject{{QStringLiteral("source"), source},
                            {QStringLiteral("origin"), QFileInfo(file).absoluteFilePath()},
                            {QStringLiteral("code"), why.code}};
    return e;
}

Result<QStringList> reportFiles(const QStringList &paths)
{
    QStringList out;
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (!info.exists())
            return makeError("testrun.path", Tr::tr("%1 does not exist.").arg(p));
        if (info.isFile()) {
            out << info.absoluteFilePath();
            continue;
        }
        QStringList found;
        QDirIterator it(info.absoluteFilePath(), {QStringLiteral("*.xml")}, QDir::Files | QDir::Readable,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            found << it.next();
        if (found.isEmpty())
            return makeError("testrun.path", Tr::tr("The folder %1 holds no .xml files.").arg(p));
        found.sort();
        out << found;
    }
    return out;
}

} // namespace TestRunStore
} // namespace opsdeck
