// A scriptable local HTTP/1.1 server on 127.0.0.1 for tests: routes answer with canned replies or
// faults (delays, stalls, resets mid-body, chunked bodies). Optionally checks every request against
// an API description and records what does not match it.
#pragma once

#include "specroutes.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

struct TestRequest
{
    QByteArray method;
    QByteArray target; // path with query, as sent
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QString apiVersion; // "1.47" for /v1.47/..., when the server takes versioned paths
    QString path() const
    {
        const QString full = QUrl(QString::fromUtf8(target)).path();
        return apiVersion.isEmpty() ? full : full.mid(2 + apiVersion.size());
    }
    QUrlQuery query() const { return QUrlQuery(QUrl(QString::fromUtf8(target))); }
    QByteArray header(const QByteArray &name) const;
};

struct TestReply
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0;      // wait before answering
    bool chunked = false; // send body in chunks (chunks or body split in 3)
    QList<QByteArray> chunks;
    int chunkDelayMs = 0;
    bool resetMidBody = false;      // announce the full length, send half, close
    bool stallAfterHeaders = false; // headers, then silence

    static TestReply json(int status, const QByteArray &body);
    TestReply &header(const QByteArray &name, const QByteArray &value)
    {
        headers.emplaceBack(name, value);
        return *this;
    }
};

class TestHttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<TestReply(const TestRequest &)>;

    explicit TestHttpServer(QObject *parent = nullptr);
    bool listen();
    // HTTPS: the server presents the configuration's certificate (url() then says https).
    bool listenTls(const QSslConfiguration &configuration);
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path = {}) const;

    // Exact path match (no query); method "*" matches any method. Setting a route again replaces it.
    void route(const QByteArray &method, const QString &path, Handler handler);
    void setFallback(Handler handler) { m_fallback = std::move(handler); }

    // Requests are checked against spec (paths below basePath); mismatches answer 400 and are recorded.
    void setSpec(const SpecRoutes &spec, const QString &basePath = {});
    // As a Docker engine: a leading /vMAJOR.MINOR is taken off the path before routing and the spec
    // check and kept in TestRequest::apiVersion, so that handlers can answer in that version's shape.
    void setVersionedPaths(bool on) { m_versionedPaths = on; }
    // Asked before the spec check and the routes: a reply answers the request instead of them.
    void setGate(std::function<std::optional<TestReply>(const TestRequest &)> gate)
    {
        m_gate = std::move(gate);
    }
    void recordViolation(const QString &problem) { m_violations << problem; }
    QStringList specViolations() const { return m_violations; }

    QList<TestRequest> requests() const { return m_requests; }
    int requestCount(const QString &path) const;
    void clearRequests() { m_requests.clear(); }

private:
    void onConnection();
    void handle(QTcpSocket *socket, const TestRequest &request);
    void send(QPointer<QTcpSocket> socket, const TestReply &reply);

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    QList<std::tuple<QByteArray, QString, Handler>> m_routes;
    Handler m_fallback;
    std::optional<SpecRoutes> m_spec;
    QString m_specBase;
    bool m_versionedPaths = false;
    std::function<std::optional<TestReply>(const TestRequest &)> m_gate;
    QStringList m_violations;
    QList<TestRequest> m_requests;
};
