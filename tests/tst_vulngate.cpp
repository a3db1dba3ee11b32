// The vulnerability gate (models/images/vulngate.h): thresholds global and per project, images never
// scanned, CVE exceptions by image and by project with expiry at its boundary, the findings a block
// names, the preview of a stricter setting, and the gate inside the deploy policy.
#include "models/images/imagepolicy.h"
#include "models/images/vulngate.h"

#include <QTest>
#include <QTimeZone>

using namespace opsdeck;

namespace {
const QDateTime now = QDateTime(QDate(2026, 12, 3), QTime(12, 0), QTimeZone::utc());
const QString digestA = QStringLiteral("sha256:") + QString(64, QLatin1Char('a'));

NormalizedImage image(const QString &reference)
{
    return normalizeImage(parseImageReference(reference).value());
}

// registry.acme.internal/shop/web:2.4.1, scanned: one critical (openssl, fixed), one high (zlib,
// no fix), one medium.
ImageScan webScan()
{
    ImageScan s;
    s.inRegistry = true;
    s.digest = digestA;
    s.status = QStringLiteral("Success");
    s.severity = Severity::Critical;
    s.critical = 1;
    s.high = 1;
    s.medium = 1;
    s.reportRead = true;
    s.findings = {{QStringLiteral("CVE-2024-6119"), Severity::Critical, QStringLiteral("openssl"),
                   QStringLiteral("3.0.2"), QStringLiteral("3.0.15")},
                  {QStringLiteral("CVE-2023-45853"), Severity::High, QStringLiteral("zlib"),
                   QStringLiteral("1.2.13"), QString()},
                  {QStringLiteral("CVE-2024-0001"), Severity::Medium, QStringLiteral("curl"),
                   QStringLiteral("8.0"), QStringLiteral("8.1")}};
    return s;
}

GateSetting setting(const QString &project, std::optional<Severity> threshold, bool unscanned = false)
{
    GateSetting g;
    g.project = project;
    g.threshold = threshold;
    g.blockUnscanned = unscanned;
    return g;
}

CveException exception(qint64 id, const QString &cve, const QString &imageText, const QString &project,
                       const QDateTime &expires)
{
    return CveException{id,
                        cve,
                        imageText,
                        project,
                        QStringLiteral("vendor fix pending"),
                        QStringLiteral("bob"),
                        now.addDays(-1),
                        expires};
}
} // namespace

class TestVulnGate : public QObject
{
    Q_OBJECT
private slots:
    void cveIds_data();
    void cveIds();
    void exceptionsChecked_data();
    void exceptionsChecked();
    void verdicts_data();
    void verdicts();
    void projectOnlyStricter();
    void blockNamesFindings();
    void exceptionExpiryAtTheBoundary();
    void reportNotRead();
    void preview();
    void policyWithGate();
};

void TestVulnGate::cveIds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalised"); // empty: refused
    QTest::newRow("cve") << "CVE-2024-6119"
                         << "CVE-2024-6119";
    QTest::newRow("lower case") << " cve-2024-6119 "
                                << "CVE-2024-6119";
    QTest::newRow("ghsa") << "GHSA-jfh8-c2jp-5v3q"
                          << "GHSA-JFH8-C2JP-5V3Q";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("no dash") << "CVE2024"
                             << "";
    QTest::newRow("space inside") << "CVE-2024 6119"
                                  << "";
    QTest::newRow("sql") << "CVE-1'; DROP TABLE x"
                         << "";
    QTest::newRow("digit first") << "2024-6119"
                                 << "";
}

void TestVulnGate::cveIds()
{
    QFETCH(QString, text);
    QFETCH(QString, normalised);
    const auto r = normalizeCve(text);
    if (normalised.isEmpty()) {
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("image.cve"));
    } else {
        QVERIFY2(r, qPrintable(r.message()));
        QCOMPARE(r.value(), normalised);
    }
}

void TestVulnGate::exceptionsChecked_data()
{
    QTest::addColumn<QString>("cve");
    QTest::addColumn<QString>("imageText");
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("expiresInDays"); // 0: none
    QTest::addColumn<QString>("error");     // empty: accepted
    QTest::newRow("image") << "CVE-2024-6119"
                           << "registry.acme.internal/shop/web:2.4.*"
                           << ""
                           << "fix in 2.4.2" << 30 << "";
    QTest::newRow("project") << "CVE-2024-6119"
                             << ""
                             << "shop"
                             << "fix in 2.4.2" << 30 << "";
    QTest::newRow("neither") << "CVE-2024-6119"
                             << ""
                             << ""
                             << "fix in 2.4.2" << 30 << "image.exception";
    QTest::newRow("bad image") << "CVE-2024-6119"
                               << "registry.acme.internal/Shop/web:2.4.1"
                               << ""
                               << "fix" << 30 << "image.entry";
    QTest::newRow("no reason") << "CVE-2024-6119"
                               << ""
                               << "shop"
                               << "  " << 30 << "image.reason";
    QTest::newRow("no expiry") << "CVE-2024-6119"
                               << ""
                               << "shop"
                               << "fix" << 0 << "image.expiry";
    QTest::newRow("past") << "CVE-2024-6119"
                          << ""
                          << "shop"
                          << "fix" << -1 << "image.expiry";
    QTest::newRow("bad cve") << "openssl"
                             << ""
                             << "shop"
                             << "fix" << 30 << "image.cve";
}

void TestVulnGate::exceptionsChecked()
{
    QFETCH(QString, cve);
    QFETCH(QString, imageText);
    QFETCH(QString, project);
    QFETCH(QString, reason);
    QFETCH(int, expiresInDays);
    QFETCH(QString, error);
    CveException e =
        exception(0, cve, imageText, project, expiresInDays ? now.addDays(expiresInDays) : QDateTime());
    e.reason = reason;
    const auto r = checkException(e, now);
    if (error.isEmpty()) {
        QVERIFY2(r, qPrintable(r.message()));
        QCOMPARE(r->cve, cve.toUpper());
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().code, error);
        QVERIFY(!r.message().isEmpty());
    }
}

void TestVulnGate::verdicts_data()
{
    QTest::addColumn<QString>("threshold"); // empty: none
    QTest::addColumn<bool>("blockUnscanned");
    QTest::addColumn<QString>("scanStatus"); // empty: never scanned
    QTest::addColumn<bool>("inRegistry");
    QTest::addColumn<bool>("blocked");
    QTest::newRow("off") << "" << false << "Success" << true << false;
    QTest::newRow("critical blocks") << "Critical" << false << "Success" << true << true;
    QTest::newRow("low blocks") << "Low" << false << "Success" << true << true;
    QTest::newRow("unscanned let through") << "High" << false << "" << true << false;
    QTest::newRow("unscanned blocked") << "High" << true << "" << true << true;
    QTest::newRow("not in any registry, blocked") << "" << true << "" << false << true;
    QTest::newRow("scan failed counts as unscanned") << "High" << true << "Error" << true << true;
    QTest::newRow("scan running, let through") << "High" << false << "Running" << true << false;
}

void TestVulnGate::verdicts()
{
    QFETCH(QString, threshold);
    QFETCH(bool, blockUnscanned);
    QFETCH(QString, scanStatus);
    QFETCH(bool, inRegistry);
    QFETCH(bool, blocked);
    const VulnGate gate(
        {setting({}, threshold.isEmpty() ? std::nullopt : severityFromText(threshold), blockUnscanned)});
    ImageScan scan = webScan();
    scan.status = scanStatus;
    scan.inRegistry = inRegistry;
    const GateVerdict v =
        gate.judge(image(QStringLiteral("registry.acme.internal/shop/web:2.4.1")), {}, now, scan);
    QCOMPARE(v.blocked, blocked);
    if (blocked)
        QVERIFY(v.reason.startsWith(QStringLiteral("Vulnerability gate")));
}

void TestVulnGate::projectOnlyStricter()
{
    // Global High; shop asks for Critical only (looser): High still holds there. ml asks for Low.
    const VulnGate gate({setting({}, Severity::High), setting(QStringLiteral("shop"), Severity::Critical),
                         setting(QStringLiteral("ml"), Severity::Low, true)});
    QCOMPARE(*gate.effective(QStringLiteral("shop")).threshold, Severity::High);
    QCOMPARE(*gate.effective(QStringLiteral("ml")).threshold, Severity::Low);
    QVERIFY(gate.effective(QStringLiteral("ml")).blockUnscanned);
    QVERIFY(!gate.effective(QStringLiteral("shop")).blockUnscanned);
    QCOMPARE(*gate.effective({}).threshold, Severity::High);
    // An image with only a medium finding: blocked in ml, not in shop.
    ImageScan medium = webScan();
    medium.critical = medium.high = 0;
    medium.findings = {medium.findings.at(2)};
    const auto img = image(QStringLiteral("registry.acme.internal/shop/web:2.4.1"));
    QVERIFY(!gate.judge(img, QStringLiteral("shop"), now, medium).blocked);
    QVERIFY(gate.judge(img, QStringLiteral("ml"), now, medium).blocked);
    QVERIFY(gate.stricter(setting(QStringLiteral("shop"), Severity::Medium)));
    QVERIFY(!gate.stricter(setting({}, Severity::Critical)));
    QVERIFY(gate.stricter(setting({}, Severity::Critical, true)));
}

void TestVulnGate::blockNamesFindings()
{
    const VulnGate gate({setting({}, Severity::High)});
    const GateVerdict v =
        gate.judge(image(QStringLiteral("registry.acme.internal/shop/web:2.4.1")), {}, now, webScan());
    QVERIFY(v.blocked);
    QCOMPARE(v.blocking.size(), 2); // the medium one is under the threshold
    QCOMPARE(v.blocking.at(0).cve, QStringLiteral("CVE-2024-6119"));
    QVERIFY2(v.reason.contains(QStringLiteral("CVE-2024-6119 (Critical, openssl 3.0.2, fixed in 3.0.15)")),
             qPrintable(v.reason));
    QVERIFY2(v.reason.contains(QStringLiteral("CVE-2023-45853 (High, zlib 1.2.13, no fix yet)")),
             qPrintable(v.reason));
    QVERIFY(!v.reason.contains(QStringLiteral("CVE-2024-0001")));
}

void TestVulnGate::exceptionExpiryAtTheBoundary()
{
    const auto web = image(QStringLiteral("registry.acme.internal/shop/web:2.4.1"));
    const QDateTime until = now.addDays(10);
    const VulnGate gate(
        {setting({}, Severity::High)},
        {exception(1, QStringLiteral("CVE-2024-6119"),
                   QStringLiteral("registry.acme.internal/shop/web:2.4.*"), {}, until),
         exception(2, QStringLiteral("CVE-2023-45853"), QString(), QStringLiteral("shop"), until.addDays(5)),
         // A look-alike host is not covered by an image exception.
         exception(3, QStringLiteral("CVE-2024-6119"),
                   QStringLiteral("registry.acme.internal.evil.net/shop/web"), {}, until)});
    // In shop both findings are covered, until the first exception expires.
    GateVerdict v = gate.judge(web, QStringLiteral("shop"), now, webScan());
    QVERIFY2(!v.blocked, qPrintable(v.reason));
    QCOMPARE(v.covering.size(), 2);
    QCOMPARE(v.coveredUntil(), until);
    v = gate.judge(web, QStringLiteral("shop"), until.addMSecs(-1), webScan());
    QVERIFY(!v.blocked);
    v = gate.judge(web, QStringLiteral("shop"), until, webScan());
    QVERIFY(v.blocked); // expired at its moment: the critical one blocks again
    QCOMPARE(v.blocking.size(), 1);
    QCOMPARE(v.blocking.at(0).cve, QStringLiteral("CVE-2024-6119"));
    // Outside shop the project exception does not count.
    v = gate.judge(web, QStringLiteral("ml"), now, webScan());
    QVERIFY(v.blocked);
    QCOMPARE(v.blocking.size(), 1);
    QCOMPARE(v.blocking.at(0).cve, QStringLiteral("CVE-2023-45853"));
    // Another tag of the image is outside exception 1's pattern.
    v = gate.judge(image(QStringLiteral("registry.acme.internal/shop/web:3.0")), QStringLiteral("shop"), now,
                   webScan());
    QVERIFY(v.blocked);
    QCOMPARE(v.blocking.at(0).cve, QStringLiteral("CVE-2024-6119"));
}

void TestVulnGate::reportNotRead()
{
    const VulnGate gate({setting({}, Severity::High)}, {exception(1, QStringLiteral("CVE-2024-6119"), {},
                                                                  QStringLiteral("shop"), now.addDays(3))});
    ImageScan scan = webScan();
    scan.reportRead = false;
    scan.findings.clear();
    const GateVerdict v = gate.judge(image(QStringLiteral("registry.acme.internal/shop/web:2.4.1")),
                                     QStringLiteral("shop"), now, scan);
    QVERIFY(v.blocked); // counted, and no exception can be checked against unnamed findings
    QVERIFY2(v.reason.contains(QStringLiteral("findings at High or above: 2")), qPrintable(v.reason));
    QVERIFY(v.reason.contains(QStringLiteral("report has not been read")));
}

void TestVulnGate::preview()
{
    const VulnGate current({setting({}, Severity::Critical)});
    const VulnGate proposed = current.withSetting(setting({}, Severity::High, true));
    ImageScan highOnly = webScan();
    highOnly.critical = 0;
    highOnly.findings.removeFirst();
    ImageScan clean = webScan();
    clean.critical = clean.high = clean.medium = 0;
    clean.findings.clear();
    ImageScan never;
    never.inRegistry = true;
    const auto web = image(QStringLiteral("registry.acme.internal/shop/web:2.4.1"));
    const QList<GateSubject> subjects{
        {GateSubject::Kind::Container, QStringLiteral("shop-web-1"), QStringLiteral("edge-1"), web,
         QStringLiteral("shop"), webScan()}, // blocked already
        {GateSubject::Kind::Container, QStringLiteral("api-1"), QStringLiteral("edge-1"), web, QString(),
         highOnly},
        {GateSubject::Kind::Deploy, QStringLiteral("job 4"), QString(), web, QString(), clean},
        {GateSubject::Kind::Entry, QStringLiteral("entry 2"), QString(), web, QString(), never}};
    const auto rows = previewGate(current, proposed, subjects, now);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.at(0).subject.name, QStringLiteral("api-1"));
    QVERIFY(rows.at(0).verdict.reason.contains(QStringLiteral("CVE-2023-45853")));
    QCOMPARE(rows.at(1).subject.name, QStringLiteral("entry 2"));
    QVERIFY(rows.at(1).verdict.reason.contains(QStringLiteral("never scanned")));
    // The proposal replaced the global setting, it did not add a second one.
    QCOMPARE(proposed.settings().size(), 1);
    QVERIFY(previewGate(current, current, subjects, now).isEmpty());
}

void TestVulnGate::policyWithGate()
{
    // No allowlist, a gate: the gate alone decides, by the scan of the digest the tag resolves to.
    ImagePolicy policy;
    policy.registries.registries.insert(QStringLiteral("registry.acme.internal"));
    policy.registries.repositories.insert(QStringLiteral("registry.acme.internal/shop/web"));
    policy.registries.tagDigests.insert(QStringLiteral("registry.acme.internal/shop/web:2.4.1"), digestA);
    policy.registries.digests.insert(QStringLiteral("registry.acme.internal/shop/web@") + digestA);
    policy.scans.byDigest.insert(QStringLiteral("registry.acme.internal/shop/web@") + digestA, webScan());
    policy.gate = VulnGate(
        {setting({}, Severity::High, true)},
        {exception(9, QStringLiteral("CVE-2024-6119"), {}, QStringLiteral("shop"), now.addDays(1)),
         exception(10, QStringLiteral("CVE-2023-45853"), {}, QStringLiteral("shop"), now.addDays(1))});
    const QList<PolicyImage> images{
        {QStringLiteral("web"), QStringLiteral("registry.acme.internal/shop/web:2.4.1"), false},
        {QStringLiteral("cache"), QStringLiteral("redis:7"), false},
        {QStringLiteral("app"), QString(), true}};
    PolicyCheck check = checkImages(policy, images, QStringLiteral("ml"), now);
    QVERIFY(check.enforced);
    QVERIFY(!check.allowed());
    QCOMPARE(check.refusals().size(), 2);
    QVERIFY(check.refusals().at(0).contains(QStringLiteral("CVE-2024-6119")));
    QVERIFY2(check.refusals().at(1).contains(QStringLiteral("never scanned")),
             qPrintable(check.refusals().at(1)));
    // In shop the exceptions cover the web image; redis is still never scanned.
    check = checkImages(policy, images, QStringLiteral("shop"), now);
    QVERIFY(check.verdicts.at(0).allowed);
    QCOMPARE(check.verdicts.at(0).gate.covering.size(), 2);
    QVERIFY(!check.verdicts.at(1).allowed);
    QVERIFY(check.verdicts.at(2).allowed); // built locally
    // Gate off and no allowlist: nothing is decided.
    policy.gate = VulnGate();
    check = checkImages(policy, images, QStringLiteral("ml"), now);
    QVERIFY(!check.enforced);
    QVERIFY(check.allowed());
}

QTEST_GUILESS_MAIN(TestVulnGate)
#include "tst_vulngate.moc"
