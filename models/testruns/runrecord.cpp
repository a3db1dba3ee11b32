#include "models/testruns/runrecord.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::RunRecord)
};

QString utc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QLatin1Char('Z')
                       : QStringLiteral("");
}

QByteArray caseJson(const RunCaseRecord &c)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("suite"), c.suite},
                                     {QStringLiteral("classname"), c.classname},
                                     {QStringLiteral("name"), c.name},
                                     {QStringLiteral("outcome"), caseOutcomeId(c.outcome)},
                                     {QStringLiteral("flaky"), c.flaky},
                                     {QStringLiteral("duration_ms"), c.durationMs}})
        .toJson(QJsonDocument::Compact);
}

// The record without its cases, split where they go: {"branch":…,"cases":[ and ],"commit":…}.
std::pair<QByteArray, QByteArray> headerParts(const RunRecord &record)
{
    const JUnitTotals &t = record.totals;
    // QJsonObject keeps its keys in ascending order, so the compact form is canonical.
    const QJsonObject o{{QStringLiteral("format"), QStringLiteral("opsdeck-run/1")},
                        {QStringLiteral("source"), record.source},
                        {QStringLiteral("run"), record.run},
                        {QStringLiteral("branch"), record.branch},
                        {QStringLiteral("commit"), record.commit},
                        {QStringLiteral("started_at"), utc(record.startedAt)},
                        {QStringLiteral("totals"), QJsonObject{{QStringLiteral("tests"), t.tests},
                                                               {QStringLiteral("passed"), t.passed},
                                                               {QStringLiteral("failed"), t.failed},
                                                               {QStringLiteral("errors"), t.errors},
                                                               {QStringLiteral("skipped"), t.skipped},
                                                               {QStringLiteral("flaky"), t.flaky},
                                                               {QStringLiteral("duration_ms"),
                                                                qint64(std::llround(t.seconds * 1000))}}},
                        {QStringLiteral("cases"), QJsonArray()}};
    const QByteArray whole = QJsonDocument(o).toJson(QJsonDocument::Compact);
    // A string value cannot hold this with its quotes unescaped, so the first one is the key's.
    static const QByteArray marker = QByteArrayLiteral("\"cases\":[");
    const qsizetype at = whole.indexOf(marker) + marker.size();
    return {whole.left(at), whole.mid(at)};
}

int compareUtf8(const QString &a, const QString &b)
{
    if (a == b)
        return 0;
    // UTF-16 code units order differently from UTF-8 bytes only around surrogates; compare bytes.
    return a.toUtf8().compare(b.toUtf8());
}
} // namespace

bool canonicalCaseLess(const RunCaseRecord &a, const RunCaseRecord &b)
{
    for (const auto &[x, y] :
         {std::pair{&a.suite, &b.suite}, std::pair{&a.classname, &b.classname}, std::pair{&a.name, &b.name}})
        if (const int c = compareUtf8(*x, *y))
            return c < 0;
    return std::make_tuple(int(a.outcome), a.durationMs, a.flaky) <
           std::make_tuple(int(b.outcome), b.durationMs, b.flaky);
}

QByteArray canonicalRunRecord(const RunRecord &record)
{
    QList<RunCaseRecord> cases = record.cases;
    std::sort(cases.begin(), cases.end(), canonicalCaseLess);
    auto [out, tail] = headerParts(record);
    for (qsizetype i = 0; i < cases.size(); ++i) {
        if (i)
            out += ',';
        out += caseJson(cases.at(i));
    }
    return out + tail;
}

struct RunRecordSigner::Private
{
    QMessageAuthenticationCode mac{QCryptographicHash::Sha256};
    QByteArray tail;
    QByteArray *copy = nullptr;
    bool keyOk = false;
    bool inOrder = true;
    qint64 cases = 0;
    RunCaseRecord last;
};

RunRecordSigner::RunRecordSigner(const RunRecord &header, const QByteArray &key, QByteArray *copy)
    : d(std::make_unique<Private>())
{
    d->keyOk = key.size() >= runSigningKeyBytes;
    d->mac.setKey(key);
    d->copy = copy;
    auto [head, tail] = headerParts(header);
    d->mac.addData(head);
    if (copy)
        *copy = head;
    d->tail = tail;
}

RunRecordSigner::~RunRecordSigner() = default;

void RunRecordSigner::addCase(const RunCaseRecord &c)
{
    if (d->cases) {
        if (canonicalCaseLess(c, d->last))
            d->inOrder = false;
        d->mac.addData(",", 1);
        if (d->copy)
            *d->copy += ',';
    }
    const QByteArray json = caseJson(c);
    d->mac.addData(json);
    if (d->copy)
        *d->copy += json;
    d->last = c;
    ++d->cases;
}

Result<QByteArray> RunRecordSigner::finish()
{
    if (!d->keyOk)
        return makeError(
            "testrun.key",
            Tr::tr("The run-signing key has too few bytes; it needs %1 or more.").arg(runSigningKeyBytes));
    if (!d->inOrder)
        return makeError("testrun.order",
                         Tr::tr("The cases of the run did not come in their canonical order, "
                                "so the record was not signed."));
    d->mac.addData(d->tail);
    if (d->copy)
        *d->copy += d->tail;
    return d->mac.result().toHex();
}

Result<QByteArray> signRunRecord(const RunRecord &record, const QByteArray &key)
{
    if (key.size() < runSigningKeyBytes)
        return makeError("testrun.key", Tr::tr("The run-signing key has %1 bytes; it needs %2 or more.")
                                            .arg(key.size())
                                            .arg(runSigningKeyBytes));
    return QMessageAuthenticationCode::hash(canonicalRunRecord(record), key, QCryptographicHash::Sha256)
        .toHex();
}

SignatureState verifyRunRecord(const RunRecord &record, const QByteArray &signature, const QByteArray &key)
{
    if (signature.isEmpty())
        return SignatureState::Unsigned;
    const auto expected = signRunRecord(record, key);
    if (!expected || expected->size() != signature.size())
        return SignatureState::Tampered;
    // Constant time: every byte is compared, whatever the first difference.
    unsigned char diff = 0;
    for (qsizetype i = 0; i < signature.size(); ++i)
        diff |= uchar(expected->at(i)) ^ uchar(signature.at(i));
    return diff == 0 ? SignatureState::Verified : SignatureState::Tampered;
}

QByteArray newRunSigningKey()
{
    QByteArray key(runSigningKeyBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()), key.size() / 4);
    return key;
}

RunCaseRecord caseRecordOf(const JUnitCase &c)
{
    RunCaseRecord r;
    r.suite = c.suite;
    r.classname = c.classname;
    r.name = c.name;
    r.outcome = c.outcome;
    r.flaky = c.flaky;
    r.durationMs = std::llround(c.seconds * 1000);
    return r;
}

Result<RunRecord> parseRunRecord(const QByteArray &bytes)
{
    const auto refuse = [](const QString &why) {
        return makeError("testrun.record", Tr::tr("Not an opsdeck-run/1 record: %1.").arg(why));
    };
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return refuse(Tr::tr("%1 at byte %2").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return refuse(Tr::tr("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("format")).toString() != QLatin1String("opsdeck-run/1"))
        return refuse(Tr::tr("the format is not opsdeck-run/1"));
    RunRecord r;
    r.source = o.value(QLatin1String("source")).toString();
    r.run = o.value(QLatin1String("run")).toString();
    r.branch = o.value(QLatin1String("branch")).toString();
    r.commit = o.value(QLatin1String("commit")).toString();
    const QString started = o.value(QLatin1String("started_at")).toString();
    r.startedAt = QDateTime::fromString(started, Qt::ISODateWithMs).toUTC();
    if (r.source.isEmpty() || r.run.isEmpty() || !r.startedAt.isValid())
        return refuse(Tr::tr("the source, run or start time is missing"));
    const QJsonObject t = o.value(QLatin1String("totals")).toObject();
    const auto count = [&t](const char *key) {
        return t.value(QLatin1String(key)).toInt(-1);
    };
    r.totals.tests = count("tests");
    r.totals.passed = count("passed");
    r.totals.failed = count("failed");
    r.totals.errors = count("errors");
    r.totals.skipped = count("skipped");
    r.totals.flaky = count("flaky");
    const qint64 totalMs = t.value(QLatin1String("duration_ms")).toInteger(-1);
    if (r.totals.tests < 0 || r.totals.passed < 0 || r.totals.failed < 0 || r.totals.errors < 0 ||
        r.totals.skipped < 0 || r.totals.flaky < 0 || totalMs < 0)
        return refuse(Tr::tr("the totals are not counts"));
    r.totals.seconds = double(totalMs) / 1000.0;
    const QJsonArray cases = o.value(QLatin1String("cases")).toArray();
    r.cases.reserve(cases.size());
    static const QStringList outcomes{caseOutcomeId(CaseOutcome::Passed), caseOutcomeId(CaseOutcome::Failed),
                                      caseOutcomeId(CaseOutcome::Errored),
                                      caseOutcomeId(CaseOutcome::Skipped)};
    for (const QJsonValue &v : cases) {
        const QJsonObject c = v.toObject();
        RunCaseRecord rc;
        rc.suite = c.value(QLatin1String("suite")).toString();
        rc.classname = c.value(QLatin1String("classname")).toString();
        rc.name = c.value(QLatin1String("name")).toString();
        const qsizetype outcome = outcomes.indexOf(c.value(QLatin1String("outcome")).toString());
        rc.durationMs = c.value(QLatin1String("duration_ms")).toInteger(-1);
        if (outcome < 0 || rc.durationMs < 0 || !c.value(QLatin1String("flaky")).isBool())
            return refuse(Tr::tr("case %1 has no outcome, duration or flakiness").arg(r.cases.size() + 1));
        rc.outcome = CaseOutcome(outcome);
        rc.flaky = c.value(QLatin1String("flaky")).toBool();
        r.cases << rc;
    }
    return r;
}

QString signatureStateText(SignatureState s)
{
    switch (s) {
    case SignatureState::OtherKey:
        return Tr::tr("another key");
    case SignatureState::Verified:
        return Tr::tr("verified");
    case SignatureState::Tampered:
        return Tr::tr("tampered");
    case SignatureState::Unsigned:
        return Tr::tr("unsigned");
    }
    return {};
}

} // namespace opsdeck
