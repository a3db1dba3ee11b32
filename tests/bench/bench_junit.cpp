// The JUnit reader on a report of 100,000 cases (a tenth failing with a stack trace, some skipped,
// every case with a line of output), written to a file first: cases per second, against
// `xmllint --stream --noout` reading the same file (the ratio of the two times; xmllint only
// checks the XML, the reader also builds every case), and how much the peak resident size grew
// while reading. Then the whole import of the same file into a new cache (read, cases written in
// batches, the run signed from the cache, its audit event, one transaction): cases per second
// against xmllint, and the peak memory. Prints figures; never fails on a time.
//   bench_junit [--cases N]
#include "benchreport.h"
#include "models/store/database.h"
#include "models/testruns/junitreader.h"
#include "services/testruns/testrunstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace opsdeck;

namespace {
long peakKilobytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int cases = 100000;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--cases")); at >= 0 && at + 1 < args.size())
        cases = qMax(1, args.at(at + 1).toInt());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.xml"));
    {
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly)) {
            std::fprintf(stderr, "bench_junit: cannot write %s\n", qPrintable(path));
            return 1;
        }
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bench\">\n");
        for (int s = 0; s < cases / 100; ++s) {
            out.write(QStringLiteral("<testsuite name=\"com.acme.Suite%1\" tests=\"100\" "
                                     "timestamp=\"2026-11-25T10:00:00Z\" time=\"1.5\">\n")
                          .arg(s)
                          .toUtf8());
            for (int c = 0; c < 100; ++c) {
                const int n = s * 100 + c;
                QByteArray body;
                if (n % 10 == 0)
                    body = "<failure message=\"expected 200 but was 500\" type=\"java.lang.AssertionError\">"
                           "java.lang.AssertionError: expected 200 but was 500\n\tat "
                           "com.acme.Api.call(Api.java:42)\n"
                           "\tat com.acme.ApiTest.test(ApiTest.java:17)\n</failure>";
                else if (n % 25 == 0)
                    body = "<skipped message=\"needs a GPU\"/>";
                out.write(QStringLiteral(
                              "<testcase name=\"test_%1\" classname=\"com.acme.Suite%2\" time=\"0.015\">")
                              .arg(n)
                              .arg(s)
                              .toUtf8() +
                          body + "<system-out>request " + QByteArray::number(n) +
                          " answered in 12 ms</system-out></testcase>\n");
            }
            out.write("</testsuite>\n");
        }
        out.write("</testsuites>\n");
    }
    const qint64 bytes = QFileInfo(path).size();

    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return 1;
    const long before = peakKilobytes();
    QElapsedTimer clock;
    clock.start();
    qint64 read = 0;
    const auto report = readJUnit(in, [&read](JUnitCase &&) { ++read; });
    const double seconds = clock.nsecsElapsed() / 1e9;
    const long grown = peakKilobytes() - before;
    if (!report) {
        std::fprintf(stderr, "bench_junit: %s\n", qPrintable(report.message()));
        return 1;
    }
    const double perSecond = read / seconds;
    std::printf(
        "JUnit reader: %lld cases (%.1f MB) in %.0f ms: %.0f cases/s; peak resident size grew by %ld KiB\n",
        read, bytes / 1e6, seconds * 1000, perSecond, grown);

    double xmllintSeconds = NAN;
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (xmllint.isEmpty()) {
        std::printf("  xmllint is not installed (Debian: libxml2-utils): no reference figure\n");
    } else {
        QProcess p;
        clock.restart();
        p.start(xmllint, {QStringLiteral("--stream"), QStringLiteral("--noout"), path});
        p.waitForFinished(-1);
        xmllintSeconds = clock.nsecsElapsed() / 1e9;
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            std::printf("  xmllint refused the report (exit %d): no reference figure\n", p.exitCode());
            xmllintSeconds = NAN;
        } else {
            std::printf(
                "  xmllint --stream --noout on the same file: %.0f ms (%.0f cases/s; the reader takes "
                "%.2f× its time)\n",
                xmllintSeconds * 1000, read / xmllintSeconds, seconds / xmllintSeconds);
        }
    }
    benchFigure(QStringLiteral("junit"), QStringLiteral("import of a %1-case report").arg(read), perSecond,
                QStringLiteral("cases/s"), std::isnan(xmllintSeconds) ? NAN : read / xmllintSeconds,
                QStringLiteral("xmllint --stream --noout"));
    benchFigure(QStringLiteral("junit"), QStringLiteral("peak memory growth while reading"), grown / 1024.0,
                QStringLiteral("MiB"));

    // The import as the pane and `opsdeck testruns import` do it.
    if (auto opened = Database::open(dir.filePath(QStringLiteral("cache.sqlite"))); !opened) {
        std::fprintf(stderr, "bench_junit: %s\n", qPrintable(opened.message()));
        return 1;
    }
    const long beforeImport = peakKilobytes();
    clock.restart();
    const auto imported = TestRunStore::importFile(path, {}, QByteArray(32, 'k'));
    const double importSeconds = clock.nsecsElapsed() / 1e9;
    const long importGrown = peakKilobytes() - beforeImport;
    if (!imported) {
        std::fprintf(stderr, "bench_junit: %s\n", qPrintable(imported.message()));
        return 1;
    }
    const double importPerSecond = imported->totals.tests / importSeconds;
    std::printf(
        "Import into the cache (signed, audited, one transaction): %d cases in %.0f ms: %.0f cases/s; "
        "peak resident size grew by %ld KiB (%.1f MiB peak in all)\n",
        imported->totals.tests, importSeconds * 1000, importPerSecond, importGrown, peakKilobytes() / 1024.0);
    if (!std::isnan(xmllintSeconds))
        std::printf("  the import takes %.2f× the time of xmllint --stream --noout\n",
                    importSeconds / xmllintSeconds);
    benchFigure(QStringLiteral("junit"),
                QStringLiteral("import into the cache of a %1-case report").arg(read), importPerSecond,
                QStringLiteral("cases/s"), std::isnan(xmllintSeconds) ? NAN : read / xmllintSeconds,
                QStringLiteral("xmllint --stream --noout"));
    benchFigure(QStringLiteral("junit"), QStringLiteral("peak memory of the import"),
                peakKilobytes() / 1024.0, QStringLiteral("MiB"));
    Database::close();
    return 0;
}
