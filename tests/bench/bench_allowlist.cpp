// Allowlist checks: 10,000 image references checked against 5,000 entries of every kind (exact
// tags, tag patterns, repositories, digest pins, namespaces; global and per project), as a
// pipeline's `opsdeck images check` or a deploy of many services asks. Prints checks per second;
// never fails.
#include "benchreport.h"
#include "models/images/allowlist.h"

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
    return 0;
}
