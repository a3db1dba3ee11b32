// The shared HTTP layer against a local test server: retries for idempotent requests only,
// Retry-After, Link pagination, ETag reuse, timeouts, size cap, readable errors, cancellation.
#include "services/net/httpclient.h"
#include "testhttpserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;

class TestHttp : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void retriesIdempotentOnly();
    void honoursRetryAfter();
    void retryAfterTooLongFails();
    void linkPagination();
    void pageNumberPagination();
    void etagReuse();
    void timeout();
    void sizeCap();
    void resetMidBody();
    void malformedJson();
    void errorMessages_data();
    void errorMessages();
    void rateLimitSurfaced();
    void primaryRateLimitRespected();
    void unreachable();
    void cancel();
    void linkHeaderParsing_data();
    void linkHeaderParsing();
    void retryAfterParsing();

private:
    HttpResponse run(const HttpRequest &request);
    std::unique_ptr<TestHttpServer> m_server;
    std::unique_ptr<HttpClient> m_client;
};

void TestHttp::init()
{
    m_server = std::make_unique<TestHttpServer>();
    QVERIFY(m_server->listen());
    m_client = std::make_unique<HttpClient>();
    m_client->setBackoff(20, 100); // keep tests fast; the policy is the same
}

void TestHttp::cleanup()
{
    m_client.reset();
    m_server.reset();
}

HttpResponse TestHttp::run(const HttpRequest &request)
{
    std::optional<HttpResponse> result;
    m_client->send(request, this, [&](const HttpResponse &r) { result = r; });
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
    }();
    return result.value_or(HttpResponse{});
}

void TestHttp::retriesIdempotentOnly()
{
    int calls = 0;
    m_server->route("*", QStringLiteral("/flaky"), [&](const TestRequest &) {
        ++calls;
        return calls < 3 ? TestReply::json(503, R"({"message":"busy"})")
                         : TestReply::json(200, R"({"ok":true})");
    });
    HttpRequest get;
    get.url = m_server->url(QStringLiteral("/flaky"));
    const HttpResponse r = run(get);
    QVERIFY2(r.ok(), qPrintable(r.error ? r.error->message : QString()));
    QCOMPARE(r.attempts, 3);
    QCOMPARE(calls, 3);

    calls = 0;
    HttpRequest post;
    post.method = "POST";
    post.url = m_server->url(QStringLiteral("/flaky"));
    post.body = "{}";
    const HttpResponse p = run(post);
    QVERIFY(!p.ok());
    QCOMPARE(p.attempts, 1);
    QCOMPARE(calls, 1);
    QCOMPARE(p.error->code, QStringLiteral("http.server"));
    QVERIFY(p.error->message.contains(QStringLiteral("503")));

    // A 404 is final even for GET.
    calls = 0;
    m_server->route("GET", QStringLiteral("/gone"), [&](const TestRequest &) {
        ++calls;
        return TestReply::json(404, R"({"message":"Not Found"})");
    });
    get.url = m_server->url(QStringLiteral("/gone"));
    QCOMPARE(run(get).attempts, 1);
    QCOMPARE(calls, 1);
}

void TestHttp::honoursRetryAfter()
{
    int calls = 0;
    m_server->route("GET", QStringLiteral("/limited"), [&](const TestRequest &) {
        ++calls;
        if (calls == 1)
            return TestReply::json(429, R"({"message":"slow down"})").header("Retry-After", "1");
        return TestReply::json(200, "[]");
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/limited"));
    QElapsedTimer timer;
    timer.start();
    const HttpResponse response = run(r);
    QVERIFY(response.ok());
    QCOMPARE(calls, 2);
    QVERIFY2(timer.elapsed() >= 950, qPrintable(QString::number(timer.elapsed())));
}

void TestHttp::retryAfterTooLongFails()
{
    m_server->route("GET", QStringLiteral("/limited"), [](const TestRequest &) {
        return TestReply::json(429, R"({"message":"API rate limit exceeded"})").header("Retry-After", "3600");
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/limited"));
    const HttpResponse response = run(r);
    QVERIFY(!response.ok());
    QCOMPARE(response.attempts, 1);
    QCOMPARE(response.error->code, QStringLiteral("http.rate-limited"));
    QVERIFY(response.error->message.contains(QStringLiteral("API rate limit exceeded")));
}

void TestHttp::linkPagination()
{
    m_server->route("GET", QStringLiteral("/items"), [this](const TestRequest &req) {
        const int page = req.query().queryItemValue(QStringLiteral("page")).toInt() > 0
                             ? req.query().queryItemValue(QStringLiteral("page")).toInt()
                             : 1;
        TestReply reply = TestReply::json(200, QStringLiteral("[%1]").arg(page).toUtf8());
        QByteArray link;
        if (page < 5)
            link =
                "<" + m_server->url(QStringLiteral("/items?per_page=100&page=%1").arg(page + 1)).toEncoded() +
                ">; rel=\"next\", <" +
                m_server->url(QStringLiteral("/items?per_page=100&page=5")).toEncoded() + ">; rel=\"last\"";
        if (!link.isEmpty())
            reply.header("Link", link);
        return reply;
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/items?per_page=100"));
    std::optional<Result<QList<HttpResponse>>> result;
    m_client->fetchPages(r, 50, this, [&](const Result<QList<HttpResponse>> &pages) { result = pages; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(result->value().size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(result->value().at(i).json().value().array().at(0).toInt(), i + 1);
    QCOMPARE(m_server->requestCount(QStringLiteral("/items")), 5);

    // A cap on pages stops early.
    result.reset();
    m_client->fetchPages(r, 2, this, [&](const Result<QList<HttpResponse>> &pages) { result = pages; });
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->value().size(), 2);
}

void TestHttp::pageNumberPagination()
{
    m_server->route("GET", QStringLiteral("/list"), [](const TestRequest &req) {
        const int page = req.query().queryItemValue(QStringLiteral("page")).toInt();
        // 2 full pages of 3, then a page of 1
        const QByteArray body = page < 3 ? "[1,2,3]" : "[1]";
        return TestReply::json(200, body);
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/list?page=1&page_size=3"));
    std::optional<Result<QList<HttpResponse>>> result;
    m_client->fetchPages(
        r, 10, this, [&](const Result<QList<HttpResponse>> &pages) { result = pages; },
        HttpClient::pageNumberNext(QStringLiteral("page"), 3, [](const HttpResponse &resp) {
            return int(resp.json().value().array().size());
        }));
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(result->value().size(), 3);
    QCOMPARE(result->value().last().url.query(), QStringLiteral("page_size=3&page=3"));
}

void TestHttp::etagReuse()
{
    m_server->route("GET", QStringLiteral("/etag"), [](const TestRequest &req) {
        if (req.header("If-None-Match") == "\"v1\"")
            return TestReply::json(304, {}).header("ETag", "\"v1\"");
        return TestReply::json(200, R"({"value":1})").header("ETag", "\"v1\"");
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/etag"));
    r.useEtag = true;
    const HttpResponse first = run(r);
    QVERIFY(first.ok());
    QVERIFY(!first.notModified);
    const HttpResponse second = run(r);
    QVERIFY(second.ok());
    QVERIFY(second.notModified);
    QCOMPARE(second.status, 200);
    QCOMPARE(second.body, QByteArray(R"({"value":1})"));
    QCOMPARE(m_server->requests().last().header("If-None-Match"), QByteArray("\"v1\""));
}

void TestHttp::timeout()
{
    m_server->route("GET", QStringLiteral("/stall"), [](const TestRequest &) {
        TestReply reply = TestReply::json(200, R"({"never":"sent"})");
        reply.stallAfterHeaders = true;
        return reply;
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/stall"));
    r.timeoutMs = 300;
    r.maxRetries = 1;
    r.what = QStringLiteral("Listing runners");
    QElapsedTimer timer;
    timer.start();
    const HttpResponse response = run(r);
    QVERIFY(!response.ok());
    QCOMPARE(response.error->code, QStringLiteral("net.timeout"));
    QCOMPARE(response.attempts, 2); // GET: retried once, then given up
    QVERIFY(response.error->message.startsWith(QStringLiteral("Listing runners: ")));
    QVERIFY(response.error->message.contains(QStringLiteral("0.3 seconds")));
    QVERIFY(timer.elapsed() < 10000);
}

void TestHttp::sizeCap()
{
    m_server->route("GET", QStringLiteral("/big"), [](const TestRequest &) {
        return TestReply::json(200, QByteArray(3 * 1024 * 1024, 'x'));
    });
    m_server->route("GET", QStringLiteral("/big-chunked"), [](const TestRequest &) {
        TestReply reply = TestReply::json(200, {});
        reply.chunked = true;
        for (int i = 0; i < 12; ++i)
            reply.chunks << QByteArray(256 * 1024, 'y');
        return reply;
    });
    for (const QString &path : {QStringLiteral("/big"), QStringLiteral("/big-chunked")}) {
        HttpRequest r;
        r.url = m_server->url(path);
        r.maxBytes = 1024 * 1024;
        const HttpResponse response = run(r);
        QVERIFY2(!response.ok(), qPrintable(path));
        QCOMPARE(response.error->code, QStringLiteral("http.too-large"));
        QVERIFY(response.error->message.contains(QStringLiteral("1.0 MB")));
        QCOMPARE(response.attempts, 1);
    }
}

void TestHttp::resetMidBody()
{
    m_server->route("GET", QStringLiteral("/reset"), [](const TestRequest &) {
        TestReply reply = TestReply::json(200, QByteArray(20000, 'r'));
        reply.resetMidBody = true;
        return reply;
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/reset"));
    r.maxRetries = 0;
    const HttpResponse response = run(r);
    QVERIFY(!response.ok());
    QVERIFY2(response.error->code.startsWith(QStringLiteral("net.")), qPrintable(response.error->code));
    QVERIFY(!response.error->message.isEmpty());
}

void TestHttp::malformedJson()
{
    m_server->route("GET", QStringLiteral("/bad"), [](const TestRequest &) {
        return TestReply::json(200, R"({"total_count": 2, "runners": [)");
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/bad"));
    const HttpResponse response = run(r);
    QVERIFY(response.ok());
    const auto json = response.json();
    QVERIFY(!json.ok());
    QCOMPARE(json.error().code, QStringLiteral("json.malformed"));
    QVERIFY(json.message().contains(QStringLiteral("not valid JSON")));
    QVERIFY(json.message().contains(QStringLiteral("127.0.0.1")));
}

void TestHttp::errorMessages_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("contains");
    QTest::newRow("github 401") << 401
                                << QByteArray(R"({"message":"Bad credentials","documentation_url":"x"})")
                                << "http.unauthorized"
                                << "Bad credentials";
    QTest::newRow("harbor 403") << 403
                                << QByteArray(R"({"errors":[{"code":"FORBIDDEN","message":"forbidden"}]})")
                                << "http.forbidden"
                                << "FORBIDDEN: forbidden";
    QTest::newRow("litellm 400") << 400
                                 << QByteArray(R"({"detail":{"error":"Invalid proxy server token passed"}})")
                                 << "http.status"
                                 << "Invalid proxy server token passed";
    QTest::newRow("cloudflare 409") << 409
                                    << QByteArray(
                                           R"({"success":false,"errors":[{"code":1003,"message":"exists"}]})")
                                    << "http.conflict"
                                    << "exists";
    QTest::newRow("github 422") << 422 << QByteArray(R"({"message":"Validation Failed"})") << "http.invalid"
                                << "Validation Failed";
    QTest::newRow("html 500") << 500 << QByteArray("<html>oops</html>") << "http.server"
                              << "500 Internal Server Error";
}

void TestHttp::errorMessages()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, contains);
    m_server->route("*", QStringLiteral("/err"),
                    [=](const TestRequest &) { return TestReply::json(status, body); });
    HttpRequest r;
    r.method = "POST"; // no retries, so 500 answers at once
    r.url = m_server->url(QStringLiteral("/err"));
    r.what = QStringLiteral("Doing a thing");
    const HttpResponse response = run(r);
    QVERIFY(!response.ok());
    QCOMPARE(response.error->code, code);
    QVERIFY2(response.error->message.contains(contains), qPrintable(response.error->message));
    QVERIFY(response.error->message.startsWith(QStringLiteral("Doing a thing: 127.0.0.1:")));
}

void TestHttp::rateLimitSurfaced()
{
    m_server->route("GET", QStringLiteral("/rl"), [](const TestRequest &) {
        return TestReply::json(200, "{}")
            .header("X-RateLimit-Limit", "5000")
            .header("X-RateLimit-Remaining", "4987")
            .header("X-RateLimit-Reset", "1795406400")
            .header("X-RateLimit-Resource", "core");
    });
    QSignalSpy spy(m_client.get(), &HttpClient::rateLimitChanged);
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/rl"));
    const HttpResponse response = run(r);
    QVERIFY(response.rateLimit.has_value());
    QCOMPARE(response.rateLimit->remaining, 4987);
    QCOMPARE(response.rateLimit->limit, 5000);
    QCOMPARE(response.rateLimit->reset.toSecsSinceEpoch(), 1795406400);
    QCOMPARE(spy.count(), 1);
}

void TestHttp::primaryRateLimitRespected()
{
    // The limit is used up and resets in about a second: the next request waits for it.
    const qint64 reset = QDateTime::currentSecsSinceEpoch() + 1;
    QList<qint64> arrivals;
    m_server->route("GET", QStringLiteral("/limited-primary"), [&](const TestRequest &) {
        arrivals << QDateTime::currentMSecsSinceEpoch();
        return TestReply::json(200, "{}")
            .header("X-RateLimit-Limit", "5000")
            .header("X-RateLimit-Remaining", arrivals.size() == 1 ? "0" : "4999")
            .header("X-RateLimit-Reset", QByteArray::number(reset));
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/limited-primary"));
    QVERIFY(run(r).ok());
    QVERIFY(run(r).ok());
    QCOMPARE(arrivals.size(), 2);
    QVERIFY2(arrivals.at(1) >= reset * 1000, qPrintable(QString::number(reset * 1000 - arrivals.at(1))));

    // Used up for an hour: requests fail at once with the reason, and never reach the server.
    m_server->route("GET", QStringLiteral("/exhausted"), [&](const TestRequest &) {
        return TestReply::json(403, R"({"message":"API rate limit exceeded"})")
            .header("X-RateLimit-Limit", "5000")
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", QByteArray::number(QDateTime::currentSecsSinceEpoch() + 3600));
    });
    r.url = m_server->url(QStringLiteral("/exhausted"));
    const HttpResponse first = run(r);
    QCOMPARE(first.error->code, QStringLiteral("http.forbidden"));
    QVERIFY(first.error->message.contains(QStringLiteral("API rate limit exceeded")));
    const int before = m_server->requestCount(QStringLiteral("/exhausted"));
    const HttpResponse held = run(r);
    QCOMPARE(held.error->code, QStringLiteral("http.rate-limited"));
    QVERIFY(held.error->message.contains(QStringLiteral("used up until")));
    QCOMPARE(m_server->requestCount(QStringLiteral("/exhausted")), before);
}

void TestHttp::unreachable()
{
    HttpRequest r;
    const quint16 closedPort = m_server->port();
    m_server.reset(); // nothing listens there now
    r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(closedPort));
    r.maxRetries = 1;
    const HttpResponse response = run(r);
    QVERIFY(!response.ok());
    QCOMPARE(response.error->code, QStringLiteral("net.unreachable"));
    QVERIFY(response.error->message.contains(QStringLiteral("cannot reach")));
    QCOMPARE(response.attempts, 2);
}

void TestHttp::cancel()
{
    m_server->route("GET", QStringLiteral("/slow"), [](const TestRequest &) {
        TestReply reply = TestReply::json(200, "{}");
        reply.delayMs = 5000;
        return reply;
    });
    HttpRequest r;
    r.url = m_server->url(QStringLiteral("/slow"));
    std::optional<HttpResponse> result;
    const quint64 id = m_client->send(r, this, [&](const HttpResponse &resp) { result = resp; });
    QTRY_COMPARE(m_server->requestCount(QStringLiteral("/slow")), 1);
    m_client->cancel(id);
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->error->code, QStringLiteral("http.cancelled"));
    QCOMPARE(m_client->pendingCount(), 0);

    // A destroyed context gets no callback.
    bool called = false;
    auto *context = new QObject;
    m_client->send(r, context, [&](const HttpResponse &) { called = true; });
    delete context;
    m_client->cancelAll();
    QTest::qWait(50);
    QVERIFY(!called);
}

void TestHttp::linkHeaderParsing_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("next");
    QTest::addColumn<QString>("last");
    QTest::newRow("github")
        << QByteArray(
               R"(<https://api.github.com/orgs/acme/actions/runners?per_page=100&page=2>; rel="next", <https://api.github.com/orgs/acme/actions/runners?per_page=100&page=7>; rel="last")")
        << "https://api.github.com/orgs/acme/actions/runners?per_page=100&page=2"
        << "https://api.github.com/orgs/acme/actions/runners?per_page=100&page=7";
    QTest::newRow("relative harbor") << QByteArray(R"(</api/v2.0/projects?page=2&page_size=10>; rel="next")")
                                     << "https://harbor.example.com/api/v2.0/projects?page=2&page_size=10"
                                     << "";
    QTest::newRow("unquoted, several rels")
        << QByteArray("<https://x.test/p2>; rel=next, <https://x.test/p1>; rel=\"prev first\"")
        << "https://x.test/p2"
        << "";
    QTest::newRow("comma inside quotes")
        << QByteArray(R"(<https://x.test/a>; title="a, b"; rel="next")") << "https://x.test/a"
        << "";
    QTest::newRow("garbage") << QByteArray("not a link header") << ""
                             << "";
    QTest::newRow("empty") << QByteArray() << ""
                           << "";
}

void TestHttp::linkHeaderParsing()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, next);
    QFETCH(QString, last);
    const auto links =
        parseLinkHeader(header, QUrl(QStringLiteral("https://harbor.example.com/api/v2.0/projects")));
    QCOMPARE(links.value(QStringLiteral("next")).toString(), next);
    QCOMPARE(links.value(QStringLiteral("last")).toString(), last);
}

void TestHttp::retryAfterParsing()
{
    const QDateTime now = QDateTime::fromString(QStringLiteral("2015-10-21T07:27:00Z"), Qt::ISODate);
    QCOMPARE(parseRetryAfter("120", now), std::optional<qint64>(120));
    QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), std::optional<qint64>(60));
    QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), std::optional<qint64>(0));
    QVERIFY(!parseRetryAfter("soon", now).has_value());
    QVERIFY(!parseRetryAfter("-5", now).has_value());
    QVERIFY(!parseRetryAfter("", now).has_value());
}

QTEST_GUILESS_MAIN(TestHttp)
#include "tst_http.moc"
