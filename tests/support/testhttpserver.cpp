#include "testhttpserver.h"

#include <QRegularExpression>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

QByteArray TestRequest::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

TestReply TestReply::json(int status, const QByteArray &body)
{
    TestReply r;
    r.status = status;
    r.body = body;
    r.headers.emplaceBack("Content-Type", "application/json; charset=utf-8");
    return r;
}

TestHttpServer::TestHttpServer(QObject *parent) : QObject(parent), m_server(std::make_unique<QTcpServer>())
{
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &TestHttpServer::onConnection);
    m_fallback = [](const TestRequest &) {
        return TestReply::json(404, R"({"message":"Not Found"})");
    };
}

bool TestHttpServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool TestHttpServer::listenTls(const QSslConfiguration &configuration)
{
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(configuration);
    server->setHandshakeTimeout(10000);
    m_server = std::move(server);
    m_tls = true;
    // A connection appears once its handshake succeeded; a client that refuses the certificate
    // never becomes one.
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &TestHttpServer::onConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl TestHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(port())
                    .arg(path));
}

void TestHttpServer::route(const QByteArray &method, const QString &path, Handler handler)
{
    for (auto &[m, p, h] : m_routes)
        if (m == method && p == path) {
            h = std::move(handler); // a route set again replaces the earlier one
            return;
        }
    m_routes.append({method, path, std::move(handler)});
}

void TestHttpServer::setSpec(const SpecRoutes &spec, const QString &basePath)
{
    m_spec = spec;
    m_specBase = basePath;
}

int TestHttpServer::requestCount(const QString &path) const
{
    int n = 0;
    for (const TestRequest &r : m_requests)
        if (r.path() == path)
            ++n;
    return n;
}

void TestHttpServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        const auto readRequests = [this, socket, buffer] {
            *buffer += socket->readAll();
            for (;;) {
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                TestRequest request;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                request.method = first.value(0);
                request.target = first.value(1);
                qsizetype length = 0;
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const QByteArray line = lines.at(i).trimmed();
                    const qsizetype colon = line.indexOf(':');
                    if (colon <= 0)
                        continue;
                    request.headers.emplaceBack(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
                    if (line.left(colon).trimmed().toLower() == "content-length")
                        length = line.mid(colon + 1).trimmed().toLongLong();
                }
                if (buffer->size() < end + 4 + length)
                    return;
                request.body = buffer->mid(end + 4, length);
                buffer->remove(0, end + 4 + length);
                handle(socket, request);
            }
        };
        connect(socket, &QTcpSocket::readyRead, this, readRequests);
        if (socket->bytesAvailable() > 0) // bytes that came with the end of a TLS handshake
            readRequests();
    }
}

void TestHttpServer::handle(QTcpSocket *socket, const TestRequest &received)
{
    TestRequest request = received;
    if (m_versionedPaths) {
        static const QRegularExpression versioned(QStringLiteral("^/v([0-9]+\\.[0-9]+)/"));
        const auto m = versioned.match(request.path());
        if (m.hasMatch())
            request.apiVersion = m.captured(1);
    }
    m_requests.append(request);
    if (m_gate) {
        if (const std::optional<TestReply> reply = m_gate(request)) {
            send(socket, *reply);
            return;
        }
    }
    if (m_spec) {
        QString path = request.path();
        if (!m_specBase.isEmpty() && path.startsWith(m_specBase))
            path = path.mid(m_specBase.size());
        const QString problem = m_spec->check(request.method, path, request.query(), request.body);
        if (!problem.isEmpty()) {
            m_violations << problem;
            send(socket, TestReply::json(400, R"({"message":"request does not match the API description"})"));
            return;
        }
    }
    Handler handler = m_fallback;
    for (const auto &[method, path, h] : m_routes) {
        if ((method == "*" || method == request.method) && path == request.path()) {
            handler = h;
            break;
        }
    }
    const TestReply reply = handler(request);
    QPointer<QTcpSocket> guard(socket);
    if (reply.delayMs > 0)
        QTimer::singleShot(reply.delayMs, this, [this, guard, reply] { send(guard, reply); });
    else
        send(guard, reply);
}

void TestHttpServer::send(QPointer<QTcpSocket> socket, const TestReply &reply)
{
    if (!socket)
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\n";
    for (const auto &[name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    if (reply.chunked) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        socket->write(head);
        QList<QByteArray> chunks = reply.chunks;
        if (chunks.isEmpty()) {
            const qsizetype third = qMax<qsizetype>(1, reply.body.size() / 3);
            for (qsizetype i = 0; i < reply.body.size(); i += third)
                chunks << reply.body.mid(i, third);
        }
        auto remaining = std::make_shared<QList<QByteArray>>(chunks);
        auto step = std::make_shared<std::function<void()>>();
        *step = [socket, remaining, step, delay = reply.chunkDelayMs]() {
            if (!socket) {
                *step = nullptr;
                return;
            }
            if (remaining->isEmpty()) {
                socket->write("0\r\n\r\n");
                socket->flush();
                *step = nullptr;
                return;
            }
            const QByteArray c = remaining->takeFirst();
            socket->write(QByteArray::number(c.size(), 16) + "\r\n" + c + "\r\n");
            socket->flush();
            QTimer::singleShot(delay, socket, [step] {
                if (*step)
                    (*step)();
            });
        };
        // Break the self-reference if the client goes away mid-stream.
        QObject::connect(socket, &QObject::destroyed, [step] { *step = nullptr; });
        (*step)();
        return;
    }
    head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
    if (reply.stallAfterHeaders) {
        socket->write(head);
        socket->flush();
        return;
    }
    if (reply.resetMidBody) {
        socket->write(head + reply.body.left(reply.body.size() / 2));
        socket->flush();
        QTimer::singleShot(20, socket, [socket] { socket->abort(); });
        return;
    }
    socket->write(head + reply.body);
    socket->flush();
}
