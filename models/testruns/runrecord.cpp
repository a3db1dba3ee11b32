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

QString signatureStateText(SignatureState s)
{
    switch (s) {
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
