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

auto order(const RunCaseRecord &c)
{
    return std::make_tuple(c.suite, c.classname, c.name, int(c.outcome), c.durationMs, c.flaky);
}
} // namespace

QByteArray canonicalRunRecord(const RunRecord &record)
{
    QList<RunCaseRecord> cases = record.cases;
    std::sort(cases.begin(), cases.end(),
              [](const RunCaseRecord &a, const RunCaseRecord &b) { return order(a) < order(b); });
    QJsonArray list;
    for (const RunCaseRecord &c : std::as_const(cases))
        list.append(QJsonObject{{QStringLiteral("suite"), c.suite},
                                {QStringLiteral("classname"), c.classname},
                                {QStringLiteral("name"), c.name},
                                {QStringLiteral("outcome"), caseOutcomeId(c.outcome)},
                                {QStringLiteral("flaky"), c.flaky},
                                {QStringLiteral("duration_ms"), c.durationMs}});
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
                        {QStringLiteral("cases"), list}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
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
