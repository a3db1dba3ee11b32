// Allowlist checks: 10,000 image references checked against 5,000 entries of every kind (exact
// tags, tag patterns, repositories, digest pins, namespaces; global and per project), as a
// pipeline's `opsdeck images check` or a deploy of many services asks; then the same through the
// whole policy with the vulnerability gate on (every image scanned, half with findings named in
// their reports, 500 CVE exceptions). Prints checks per second; never fails.
#include "benchreport.h"
#include "models/images/allowlist.h"
#include "models/images/imagepolicy.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace opsdeck;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QList<AllowEntry> entries;
    const QString digest = QStringLiteral("sha256:") + QString(64, QLatin1Char('c'));
    for (int i = 0; i < 5000; ++i) {
        QString text;
        switch (i % 5) {
        case 0:
            text = QStringLiteral("registry.example.com/team%1/app%2:1.%3").arg(i % 50).arg(i).arg(i % 30);
            break;
        case 1:
            text = QStringLiteral("registry.example.com/team%1/app%2:1.%3-*").arg(i % 50).arg(i).arg(i % 30);
            break;
        case 2:
            text = QStringLiteral("ghcr.io/org%1/svc%2").arg(i % 20).arg(i);
            break;
        case 3:
            text = QStringLiteral("docker.io/library/base%1@%2").arg(i).arg(digest);
            break;
        default:
            text = QStringLiteral("registry.example.com/shared%1/*").arg(i % 100);
            break;
        }
        const auto parsed = parseAllowEntry(text);
        if (!parsed) {
            fprintf(stderr, "%s\n", qPrintable(parsed.message()));
            return 1;
        }
        AllowEntry e = parsed.value();
        e.id = i + 1;
        e.project = i % 4 == 0 ? QStringLiteral("project%1").arg(i % 10) : QString();
        entries << e;
    }
    QList<NormalizedImage> images;
    for (int r = 0; r < 10000; ++r) {
        const QString text =
            r % 3 == 0 ? QStringLiteral("registry.example.com/team%1/app%2:1.%3-alpine")
                             .arg(r % 50)
                             .arg(r % 5000)
                             .arg(r % 30)
            : r % 3 == 1 ? QStringLiteral("registry.example.com/shared%1/tool%2:2").arg(r % 150).arg(r)
                         : QStringLiteral("ghcr.io/org%1/svc%2:v%3").arg(r % 20).arg(r % 5000).arg(r);
        images << normalizeImage(parseImageReference(text).value());
    }
    QElapsedTimer clock;
    clock.start();
    const Allowlist list(entries); // built once for the run, as a check of many references does
    const QDateTime now = QDateTime::currentDateTimeUtc();
    int allowed = 0;
    for (int r = 0; r < images.size(); ++r)
        allowed += list.decide(images.at(r), QStringLiteral("project%1").arg(r % 10), now).allowed ? 1 : 0;
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double perSecond = images.size() / seconds;
    printf("allowlist checks: %lld references against %lld entries in %.1f ms (%.0f checks/s; %d allowed)\n",
           qint64(images.size()), qint64(entries.size()), seconds * 1000, perSecond, allowed);
    benchFigure(QStringLiteral("allowlist"), QStringLiteral("references checked (5,000 entries)"), perSecond,
                QStringLiteral("checks/s"));

    // The policy with the gate: High and above blocked, never scanned too.
    ImagePolicy policy;
    policy.allowlist = Allowlist(entries);
    policy.enforced = true;
    QList<PolicyImage> references;
    for (int r = 0; r < images.size(); ++r) {
        const NormalizedImage &image = images.at(r);
        const QString digestR = QStringLiteral("sha256:%1").arg(r, 64, 10, QLatin1Char('0'));
        policy.registries.repositories.insert(image.name());
        policy.registries.tagDigests.insert(image.name() + QLatin1Char(':') + image.tag, digestR);
        ImageScan scan;
        scan.inRegistry = true;
        scan.digest = digestR;
        scan.status = QStringLiteral("Success");
        scan.reportRead = true;
        if (r % 2 == 0) {
            scan.high = 2;
            scan.findings = {{QStringLiteral("CVE-2024-%1").arg(r % 1000), Severity::High,
                              QStringLiteral("libfoo"), QStringLiteral("1.0"), QStringLiteral("1.1")},
                             {QStringLiteral("CVE-2023-%1").arg(r % 700), Severity::High,
                              QStringLiteral("libbar"), QStringLiteral("2.0"), QString()}};
        }
        policy.scans.byDigest.insert(image.name() + QLatin1Char('@') + digestR, scan);
        references << PolicyImage{QString(), image.toString(), false};
    }
    QList<CveException> exceptions;
    for (int i = 0; i < 500; ++i)
        exceptions << CveException{i + 1,
                                   QStringLiteral("CVE-2024-%1").arg(i * 2),
                                   i % 2 ? QStringLiteral("registry.example.com/shared%1/*").arg(i % 150)
                                         : QString(),
                                   i % 2 ? QString() : QStringLiteral("project%1").arg(i % 10),
                                   QStringLiteral("bench"),
                                   QStringLiteral("bench"),
                                   now,
                                   now.addDays(30)};
    GateSetting gate;
    gate.threshold = Severity::High;
    gate.blockUnscanned = true;
    policy.gate = VulnGate({gate}, exceptions);
    clock.restart();
    int passed = 0;
    for (int p = 0; p < 10; ++p) {
        const PolicyCheck check =
            checkImages(policy, references.mid(p * 1000, 1000), QStringLiteral("project%1").arg(p), now);
        for (const PolicyVerdict &v : check.verdicts)
            passed += v.allowed ? 1 : 0;
    }
    const double gated = clock.nsecsElapsed() / 1e9;
    printf("policy with the vulnerability gate: %lld references in %.1f ms (%.0f checks/s; %d allowed)\n",
           qint64(references.size()), gated * 1000, references.size() / gated, passed);
    benchFigure(QStringLiteral("allowlist"), QStringLiteral("references checked with the vulnerability gate"),
                references.size() / gated, QStringLiteral("checks/s"));
    return 0;
}
