// The HTTP/1.1 response parser of the Docker transport and the Docker log stream decoder, fed
// in every possible split.
#include "models/core/jsonlines.h"
#include "services/docker/dockerlogs.h"
#include "services/net/httpresponseparser.h"

#include <QJsonDocument>
#include <QTest>
#include <limits>

using namespace opsdeck;

class TestHttpParser : public QObject
{
    Q_OBJECT
private slots:
    void splits_data();
    void splits();
    void errors_data();
    void errors();
    void closeDelimited();
    void truncatedChunkedFailsOnClose();
    void logFramesInEverySplit();
    void logRawAndLongLines();
    void logBadFrame();
    void logTimestamps_data();
    void logTimestamps();
    void jsonLinesAndPullProgress();
};

static QByteArray frame(quint8 stream, const QByteArray &payload)
{
    QByteArray f(8, '\0');
    f[0] = char(stream);
    const quint32 n = quint32(payload.size());
    f[4] = char(n >> 24);
    f[5] = char(n >> 16);
    f[6] = char(n >> 8);
    f[7] = char(n);
    return f + payload;
}

void TestHttpParser::logFramesInEverySplit()
{
    // A line split across frames, two lines in one frame, stderr between, no final newline.
    const QByteArray wire = frame(1, "2026-11-23T07:00:00.123456789Z hel") +
                            frame(1, "lo\n2026-11-23T07:00:01Z two\n") +
                            frame(2, "2026-11-23T07:00:02.5Z oops\n") + frame(1, "2026-11-23T07:00:03Z tail");
    for (int cut = 0; cut <= wire.size(); ++cut) {
        DockerLogDecoder d(true, true, "web");
        QList<LogLine> lines;
        QVERIFY(d.feed(wire.left(cut), lines).ok());
        QVERIFY(d.feed(wire.mid(cut), lines).ok());
        d.finish(lines);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0).text, QStringLiteral("hello"));
        QCOMPARE(lines.at(0).time, QDateTime(QDate(2026, 11, 23), QTime(7, 0, 0, 123), Qt::UTC));
        QCOMPARE(lines.at(1).text, QStringLiteral("two"));
        QCOMPARE(lines.at(2).stream, LogLine::Stderr);
        QCOMPARE(lines.at(2).time.time().msec(), 500);
        QCOMPARE(lines.at(3).text, QStringLiteral("tail"));
        QCOMPARE(lines.at(3).source, QStringLiteral("web"));
    }
}

void TestHttpParser::logRawAndLongLines()
{
    DockerLogDecoder d(false, false);
    QList<LogLine> lines;
    QVERIFY(d.feed("a\r\nb\n\xff\xfe\n", lines).ok()); // TTY: CRLF, invalid UTF-8
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0).text, QStringLiteral("a"));
    QCOMPARE(lines.at(0).stream, LogLine::Raw);
    QVERIFY(lines.at(2).text.contains(QChar(0xfffd)));
    lines.clear();
    // A CR alone ends a line too (a progress bar's redraw; a line break podman's TTY log lost),
    // wherever the reads are cut; CR LF stays one line break.
    const QByteArray tty = "2026-12-04T14:36:59Z a\rb\r\n10%\r20%\r\n\rend\r";
    for (int cut = 0; cut <= tty.size(); ++cut) {
        DockerLogDecoder t(false, true);
        QList<LogLine> got;
        QVERIFY(t.feed(tty.left(cut), got).ok());
        QVERIFY(t.feed(tty.mid(cut), got).ok());
        t.finish(got);
        QStringList texts;
        for (const LogLine &l : got)
            texts << l.text;
        QCOMPARE(texts, (QStringList{"a", "b", "10%", "20%", "", "end"}));
        QCOMPARE(got.first().time, QDateTime(QDate(2026, 12, 4), QTime(14, 36, 59), Qt::UTC));
    }
    const QByteArray huge(DockerLogDecoder::maxLineBytes * 2 + 10, 'x');
    QVERIFY(d.feed(huge, lines).ok());
    QCOMPARE(lines.size(), 2); // cut, the rest waits for its line break
    d.finish(lines);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(2).text.size(), 10);
}

void TestHttpParser::logBadFrame()
{
    DockerLogDecoder d(true, false);
    QList<LogLine> lines;
    QVERIFY(d.feed(frame(1, "ok\n"), lines).ok());
    const auto bad = d.feed(QByteArray("HTTP/1.1 junk that is not a frame\n"), lines);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, QStringLiteral("docker.logs"));
    QCOMPARE(lines.size(), 1);
    QVERIFY(!d.feed(frame(1, "more\n"), lines).ok()); // nothing after a bad frame is trusted
}

void TestHttpParser::logTimestamps_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("hasTime");
    QTest::addColumn<QByteArray>("rest");
    QTest::newRow("nanoseconds") << QByteArray("2026-11-23T07:00:00.123456789Z x") << true << QByteArray("x");
    QTest::newRow("offset") << QByteArray("2026-11-23T08:00:00.1+01:00 y") << true << QByteArray("y");
    QTest::newRow("none") << QByteArray("plain text") << false << QByteArray("plain text");
    QTest::newRow("date-like text") << QByteArray("2026-11-23 is a date") << false
                                    << QByteArray("2026-11-23 is a date");
    QTest::newRow("empty") << QByteArray() << false << QByteArray();
}

void TestHttpParser::logTimestamps()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, hasTime);
    QFETCH(QByteArray, rest);
    const auto [time, text] = splitTimestamp(line);
    QCOMPARE(time.isValid(), hasTime);
    QCOMPARE(text, rest);
    if (hasTime)
        QCOMPARE(time.toUTC().time().hour(), 7);
}

void TestHttpParser::splits_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nApi-Version: 1.41\r\n\r\nhello") << 200
        << QByteArray("hello");
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n")
                             << 200 << QByteArray("hello, world");
    QTest::newRow("no body 204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << 204 << QByteArray();
    QTest::newRow("interim 100")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}")
        << 201 << QByteArray("{}");
    QTest::newRow("error body")
        << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 25\r\n\r\n{\"message\":\"no such one\"}")
        << 404 << QByteArray("{\"message\":\"no such one\"}");
}

void TestHttpParser::splits()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    // Every split point, and byte by byte.
    for (int cut = 0; cut <= wire.size(); ++cut) {
        HttpResponseParser p;
        QByteArray out = p.feed(wire.left(cut));
        out += p.feed(wire.mid(cut));
        QVERIFY2(p.isDone(), qPrintable(QStringLiteral("cut %1: %2").arg(cut).arg(p.errorString())));
        QCOMPARE(p.status(), status);
        QCOMPARE(out, body);
    }
    HttpResponseParser bytewise;
    QByteArray out;
    for (char c : wire)
        out += bytewise.feed(QByteArray(1, c));
    QVERIFY(bytewise.isDone());
    QCOMPARE(out, body);
}

void TestHttpParser::errors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n");
    QTest::newRow("bad status") << QByteArray("HTTP/1.1 abc OK\r\n\r\n");
    QTest::newRow("bad header") << QByteArray("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n");
    QTest::newRow("bad length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n");
    QTest::newRow("bad chunk size") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    QTest::newRow("huge chunk size") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n");
    QTest::newRow("chunk without crlf")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY");
    QTest::newRow("endless header") << (QByteArray("HTTP/1.1 200 OK\r\nX: ") + QByteArray(70000, 'a'));
}

void TestHttpParser::errors()
{
    QFETCH(QByteArray, wire);
    HttpResponseParser p;
    p.feed(wire);
    QVERIFY(p.hasError());
    QVERIFY(!p.errorString().isEmpty());
    QVERIFY(p.feed("more").isEmpty()); // stays failed
}

void TestHttpParser::closeDelimited()
{
    HttpResponseParser p;
    QByteArray out = p.feed("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one ");
    out += p.feed("part two");
    QVERIFY(!p.isDone());
    p.finishOnClose();
    QVERIFY(p.isDone());
    QCOMPARE(out, QByteArray("part one part two"));
}

void TestHttpParser::truncatedChunkedFailsOnClose()
{
    HttpResponseParser p;
    p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
    p.finishOnClose();
    QVERIFY(p.hasError());
    QVERIFY(p.errorString().contains(QStringLiteral("closed")));
}

void TestHttpParser::jsonLinesAndPullProgress()
{
    // Objects across reads, a line that is not an object skipped, a runaway line dropped.
    JsonLineStream stream(64);
    const QByteArray start = "{\"status\":\"Pulling";
    QCOMPARE(stream.feed(start).size(), 0);
    const QList<QJsonObject> first =
        stream.feed(" from x\"}\nnot json\n[1,2]\n{\"error\":\"manifest unknown\"}\n{\"id\":");
    QCOMPARE(first.size(), 2);
    QCOMPARE(parsePullUpdate(first.at(0)).status, QStringLiteral("Pulling from x"));
    QCOMPARE(parsePullUpdate(first.at(1)).error, QStringLiteral("manifest unknown"));
    QCOMPARE(stream.feed(QByteArray(100, 'x')).size(), 0);
    QCOMPARE(stream.pendingBytes(), 0); // over the limit without a line break: dropped

    // Progress: current clamped to the layer's size, sizes that would overflow a sum still give a
    // percentage in range; no sizes yet: unknown.
    PullUpdate u = parsePullUpdate(
        QJsonDocument::fromJson(
            R"({"status":"Downloading","id":"a","progressDetail":{"current":9000,"total":4096}})")
            .object());
    QVERIFY(u.hasProgress);
    QCOMPARE(u.current, 4096);
    QHash<QString, std::pair<qint64, qint64>> layers;
    QCOMPARE(pullPercent(layers), -1);
    layers.insert(QStringLiteral("a"), {1024, 4096});
    layers.insert(QStringLiteral("b"), {0, 4096});
    QCOMPARE(pullPercent(layers), 12);
    for (int i = 0; i < 2000; ++i)
        layers.insert(QString::number(i),
                      {std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max()});
    QVERIFY(pullPercent(layers) >= 0 && pullPercent(layers) <= 99);
    const QByteArray negative = "{\"id\":\"a\",\"progressDetail\":{\"total\":-5}}";
    QVERIFY(!parsePullUpdate(QJsonDocument::fromJson(negative).object()).hasProgress);
}

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
