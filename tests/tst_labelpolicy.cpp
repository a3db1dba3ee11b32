// The runner label policy as data tables: system labels, patterns, request checks naming each
// offending label and rule, and drift.
#include "models/github/labelpolicy.h"

#include <QJsonArray>
#include <QTest>

using namespace opsdeck;

class TestLabelPolicy : public QObject
{
    Q_OBJECT
private slots:
    void systemLabels_data();
    void systemLabels();
    void patterns_data();
    void patterns();
    void checkRequest_data();
    void checkRequest();
    void drift_data();
    void drift();
    void policyValidation();
    void jsonRoundTrip();
    void runnerNames_data();
    void runnerNames();
};

void TestLabelPolicy::systemLabels_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("system");
    for (const char *l :
         {"self-hosted", "Self-Hosted", "linux", "LINUX", "windows", "macOS", "x64", "ARM", "arm64"})
        QTest::newRow(l) << QString::fromLatin1(l) << true;
    for (const char *l : {"gpu", "linux-large", "x86", "arm32", "self_hosted", "ubuntu-latest", ""})
        QTest::newRow(l[0] ? l : "empty") << QString::fromLatin1(l) << false;
}

void TestLabelPolicy::systemLabels()
{
    QFETCH(QString, label);
    QFETCH(bool, system);
    QCOMPARE(isSystemLabel(label), system);
    QCOMPARE(customLabels({label}).isEmpty(), system || label.isEmpty() ? system : false);
}

void TestLabelPolicy::patterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("match");
    QTest::newRow("glob star") << "team-*"
                               << "team-infra" << true << true;
    QTest::newRow("glob whole label") << "team-*"
                                      << "my-team-infra" << true << false;
    QTest::newRow("glob question") << "gpu-?"
                                   << "gpu-4" << true << true;
    QTest::newRow("glob case") << "GPU-*"
                               << "gpu-a100" << true << true;
    QTest::newRow("regex anchored") << "re:gpu-[0-9]+"
                                    << "gpu-42" << true << true;
    QTest::newRow("regex whole") << "re:gpu-[0-9]+"
                                 << "gpu-42x" << true << false;
    QTest::newRow("regex alternation") << "re:(linux|win)-big"
                                       << "win-big" << true << true;
    QTest::newRow("regex invalid") << "re:gpu-[0-9"
                                   << "gpu-1" << false << false;
    QTest::newRow("regex breakout") << "re:a)(b"
                                    << "ab" << false << false;
    QTest::newRow("empty") << ""
                           << "x" << false << false;
}

void TestLabelPolicy::patterns()
{
    QFETCH(QString, pattern);
    QFETCH(QString, label);
    QFETCH(bool, valid);
    QFETCH(bool, match);
    const auto re = compileLabelPattern(parseLabelPattern(pattern));
    QCOMPARE(re.ok(), valid);
    if (!valid) {
        QCOMPARE(re.error().code, QStringLiteral("policy.pattern"));
        return;
    }
    QCOMPARE(re->match(label).hasMatch(), match);
}

void TestLabelPolicy::checkRequest_data()
{
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QStringList>("violations"); // "label:rule"
    QTest::newRow("ok") << QStringList{"linux", "team-infra", "gpu-1"} << int(ProvisioningMode::JitConfig)
                        << QStringList{};
    QTest::newRow("system labels are not custom")
        << QStringList{"self-hosted", "X64", "team-a"} << int(ProvisioningMode::RegistrationToken)
        << QStringList{};
    QTest::newRow("not allowed") << QStringList{"team-a", "prod"} << int(ProvisioningMode::JitConfig)
                                 << QStringList{"prod:not-allowed"};
    QTest::newRow("forbidden wins") << QStringList{"team-a", "Privileged"} << int(ProvisioningMode::JitConfig)
                                    << QStringList{"Privileged:forbidden"};
    QTest::newRow("required missing") << QStringList{"team-a"} << int(ProvisioningMode::RegistrationToken)
                                      << QStringList{"self-hosted:required-missing"};
    QTest::newRow("jit carries self-hosted")
        << QStringList{"team-a"} << int(ProvisioningMode::JitConfig) << QStringList{};
    QTest::newRow("invalid label") << QStringList{"team a"} << int(ProvisioningMode::JitConfig)
                                   << QStringList{"team a:invalid"};
    QTest::newRow("several at once") << QStringList{"prod", "privileged", "bad,label"}
                                     << int(ProvisioningMode::JitConfig)
                                     << QStringList{"prod:not-allowed", "privileged:forbidden",
                                                    "bad,label:invalid"};
}

static LabelPolicy samplePolicy()
{
    LabelPolicy p;
    p.allowed = {parseLabelPattern(QStringLiteral("team-*")),
                 parseLabelPattern(QStringLiteral("re:gpu-[0-9]+"))};
    p.required = {QStringLiteral("self-hosted")};
    p.forbidden = {QStringLiteral("privileged")};
    return p;
}

void TestLabelPolicy::checkRequest()
{
    QFETCH(QStringList, labels);
    QFETCH(int, mode);
    QFETCH(QStringList, violations);
    QStringList got;
    for (const PolicyViolation &v : opsdeck::checkRequest(samplePolicy(), labels, ProvisioningMode(mode))) {
        got << v.label + QLatin1Char(':') + v.rule;
        QVERIFY2(v.message.contains(v.label), qPrintable(v.message)); // the message names the label
    }
    QCOMPARE(got, violations);
}

void TestLabelPolicy::drift_data()
{
    QTest::addColumn<QStringList>("provisioned");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<bool>("drifted");
    QTest::addColumn<QStringList>("added");
    QTest::addColumn<QStringList>("removed");
    QTest::addColumn<int>("violations");
    const QStringList base{"self-hosted", "linux", "team-a"};
    QTest::newRow("same") << base << base << false << QStringList{} << QStringList{} << 0;
    QTest::newRow("case only") << base << QStringList{"Self-Hosted", "LINUX", "team-a"} << false
                               << QStringList{} << QStringList{} << 0;
    QTest::newRow("label added") << base << (base + QStringList{"team-b"}) << true << QStringList{"team-b"}
                                 << QStringList{} << 0;
    QTest::newRow("label removed") << base << QStringList{"self-hosted", "linux"} << true << QStringList{}
                                   << QStringList{"team-a"} << 0;
    QTest::newRow("breaks policy") << QStringList{} << QStringList{"self-hosted", "prod"} << true
                                   << QStringList{} << QStringList{} << 1;
    QTest::newRow("not ours, fine") << QStringList{} << QStringList{"self-hosted", "gpu-7"} << false
                                    << QStringList{} << QStringList{} << 0;
}

void TestLabelPolicy::drift()
{
    QFETCH(QStringList, provisioned);
    QFETCH(QStringList, current);
    QFETCH(bool, drifted);
    QFETCH(QStringList, added);
    QFETCH(QStringList, removed);
    QFETCH(int, violations);
    const Drift d = computeDrift(samplePolicy(), provisioned, current);
    QCOMPARE(d.drifted, drifted);
    QCOMPARE(d.added, added);
    QCOMPARE(d.removed, removed);
    QCOMPARE(int(d.violations.size()), violations);
    QCOMPARE(d.describe().isEmpty(), !drifted);
}

void TestLabelPolicy::policyValidation()
{
    LabelPolicy p = samplePolicy();
    QVERIFY(validatePolicy(p).ok());
    p.forbidden << QStringLiteral("SELF-HOSTED");
    QCOMPARE(validatePolicy(p).error().code, QStringLiteral("policy.conflict"));
    p = samplePolicy();
    p.allowJit = p.allowRegistrationToken = false;
    QCOMPARE(validatePolicy(p).error().code, QStringLiteral("policy.modes"));
    p = samplePolicy();
    p.allowed << parseLabelPattern(QStringLiteral("re:[unclosed"));
    QCOMPARE(validatePolicy(p).error().code, QStringLiteral("policy.pattern"));
    QVERIFY(validatePolicy(p).message().contains(QStringLiteral("[unclosed")));

    p = samplePolicy();
    p.allowJit = false;
    const auto v = opsdeck::checkRequest(p, {QStringLiteral("team-a")}, ProvisioningMode::JitConfig);
    QCOMPARE(v.size(), 1);
    QCOMPARE(v.first().rule, QStringLiteral("mode"));
}

void TestLabelPolicy::jsonRoundTrip()
{
    LabelPolicy p = samplePolicy();
    p.requireEphemeral = true;
    p.deleteBusyDrifted = true;
    const auto back = LabelPolicy::fromJson(p.toJson());
    QVERIFY(back.ok());
    QCOMPARE(back.value(), p);
    QJsonObject broken = p.toJson();
    broken.insert(QStringLiteral("allowed"), QJsonArray{QStringLiteral("re:(")});
    QVERIFY(!LabelPolicy::fromJson(broken).ok());
}

void TestLabelPolicy::runnerNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << "ci-linux-x64-001" << true;
    QTest::newRow("dots underscores") << "build_host.7" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("space") << "my runner" << false;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("too long") << QString(65, QLatin1Char('a')) << false;
    QTest::newRow("unicode") << "läufer" << false;
}

void TestLabelPolicy::runnerNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(validateRunnerName(name).ok(), valid);
}

QTEST_GUILESS_MAIN(TestLabelPolicy)
#include "tst_labelpolicy.moc"
