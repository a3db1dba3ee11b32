// The HTTP/1.1 response parser of the Docker transport, fed in every possible split.
#include "httpresponseparser.h"

#include <QTest>

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
};

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

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_httpparser.moc"
