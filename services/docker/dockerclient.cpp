#include "services/docker/dockerclient.h"

#include "services/net/networkdefaults.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QPointer>
#include <QSslSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcDocker, "opsdeck.docker", QtInfoMsg)

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DockerClient)
};

Result<QByteArray> readFile(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError("tls.file", Tr::tr("Cannot read the %1 %2: %3").arg(what, path, file.errorString()));
    return file.readAll();
}
} // namespace

struct DockerClient::Call
{
    quint64 id = 0;
    DockerRequest request;
    QPointer<QObject> context;
    bool hasContext = false;
    Callback done;
    DataHandler onData;
    QIODevice *socket = nullptr;
    HttpResponseParser parser;
    QByteArray body;
    QByteArray sentPath; // with the version prefix; empty until sent
    QTimer timer;
    bool finished = false;
};

DockerClient::DockerClient(QObject *parent) : QObject(parent) {}

DockerClient::~DockerClient()
{
    const auto calls = m_calls;
    m_calls.clear();
    for (Call *call : calls) {
        if (call->socket) {
            call->socket->disconnect(this);
            call->socket->deleteLater();
        }
        delete call;
    }
}

Result<void> DockerClient::configure(const QString &endpoint)
{
    auto parsed = parseDockerEndpoint(endpoint, false);
    if (!parsed)
        return parsed.error();
    m_endpoint = parsed.value();
    if (m_configuredFrom != endpoint)
        m_negotiated.reset(); // another engine
    m_configuredFrom = endpoint;
    return {};
}

void DockerClient::setApiVersion(const QByteArray &version)
{
    m_apiVersion = version;
    m_fixedVersion = true;
}

QByteArray DockerClient::apiVersion() const
{
    if (m_fixedVersion)
        return m_apiVersion;
    return m_negotiated ? m_negotiated->version : QByteArray();
}

Result<void> DockerClient::configure(const Connection &c)
{
    const bool tls = !c.clientCertFile.isEmpty() || !c.caFile.isEmpty();
    auto parsed = parseDockerEndpoint(c.endpoint, tls);
    if (!parsed)
        return parsed.error();
    m_endpoint = parsed.value();
    const QString from = QStringList{c.endpoint, c.caFile, c.clientCertFile, c.clientKeyFile}.join(QChar(0));
    if (m_configuredFrom != from)
        m_negotiated.reset(); // another engine, or the same one seen through other credentials
    m_configuredFrom = from;
    m_caCerts.clear();
    m_clientCert = QSslCertificate();
    m_clientKey = {};
    if (m_endpoint.transport == DockerEndpoint::Tcp && m_endpoint.tls) {
        if (!c.caFile.isEmpty()) {
            auto ca = readFile(c.caFile, Tr::tr("CA file"));
            if (!ca)
                return ca.error();
            m_caCerts = QSslCertificate::fromData(ca.value(), QSsl::Pem);
            if (m_caCerts.isEmpty())
                return makeError("tls.file",
                                 Tr::tr("The CA file %1 holds no PEM certificate.").arg(c.caFile));
        }
        if (!c.clientCertFile.isEmpty()) {
            auto cert = readFile(c.clientCertFile, Tr::tr("client certificate"));
            if (!cert)
                return cert.error();
            m_clientCert = QSslCertificate(cert.value(), QSsl::Pem);
            if (m_clientCert.isNull())
                return makeError("tls.file", Tr::tr("%1 is not a PEM certificate.").arg(c.clientCertFile));
            auto key = readFile(c.clientKeyFile, Tr::tr("client key"));
            if (!key)
                return key.error();
            for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
                m_clientKey = QSslKey(key.value(), algorithm, QSsl::Pem);
                if (!m_clientKey.isNull())
                    break;
            }
            if (m_clientKey.isNull())
                return makeError("tls.file",
                                 Tr::tr("%1 is not an unencrypted PEM RSA or EC key.").arg(c.clientKeyFile));
        }
    }
    return {};
}

quint64 DockerClient::request(const DockerRequest &request, QObject *context, Callback done,
                              DataHandler onData)
{
    auto *call = new Call;
    call->id = m_nextId++;
    call->request = request;
    if (call->request.timeoutMs < 0)
        call->request.timeoutMs = NetworkDefaults::timeoutMs();
    call->context = context;
    call->hasContext = context != nullptr;
    call->done = std::move(done);
    call->onData = std::move(onData);
    call->parser.setNoBody(request.method == "HEAD");
    m_calls.insert(call->id, call);
    const quint64 id = call->id;
    // GET /version is the negotiation itself. Everything else waits for it, /_ping included: it goes
    // unversioned, but in order, so that a ping answered says the requests before it were sent.
    if (m_fixedVersion || m_negotiated || request.path == "/version") {
        start(call);
    } else {
        m_waiting << id;
        negotiate();
    }
    return id; // call may be gone already
}

void DockerClient::negotiate()
{
    if (m_negotiating)
        return;
    m_negotiating = true;
    DockerRequest version;
    version.path = "/version";
    version.what = Tr::tr("Asking the Docker engine which API versions it speaks");
    const QString engineName =
        m_endpoint.transport == DockerEndpoint::Unix
            ? Tr::tr("The Docker engine at %1").arg(m_endpoint.socketPath)
            : Tr::tr("The Docker engine at %1:%2").arg(m_endpoint.host).arg(m_endpoint.port);
    request(version, this, [this, engineName](const HttpResponse &answer) {
        m_negotiating = false;
        std::optional<Error> failed = answer.error;
        if (!failed) {
            auto negotiated = EngineApi::negotiate(answer.body, engineName);
            if (negotiated) {
                m_negotiated = negotiated.value();
                qCInfo(lcDocker).noquote()
                    << engineName << "speaks API" << m_negotiated->engineMinApi << "to"
                    << m_negotiated->engineApi << "; requests go to /v" + m_negotiated->version;
            } else {
                failed = negotiated.error();
            }
        }
        const QList<quint64> waiting = std::exchange(m_waiting, {});
        for (quint64 id : waiting) {
            Call *call = m_calls.value(id);
            if (!call)
                continue; // cancelled meanwhile
            if (failed) {
                Error e = *failed;
                if (!call->request.what.isEmpty())
                    e.message = Tr::tr("%1: %2").arg(call->request.what, e.message);
                finish(call, e);
            } else {
                start(call);
            }
        }
    });
}

void DockerClient::start(Call *call)
{
    const DockerRequest &request = call->request;
    const quint64 id = call->id;
    QByteArray path = request.path;
    const QByteArray version = apiVersion();
    if (!version.isEmpty() && path != "/_ping" && path != "/version")
        path = "/v" + version + path;
    call->sentPath = path;
    QByteArray head = request.method + ' ' + path + " HTTP/1.1\r\n";
    head += "Host: " +
            (m_endpoint.transport == DockerEndpoint::Tcp ? m_endpoint.host.toUtf8() : QByteArray("docker")) +
            "\r\n";
    head += "User-Agent: Opsdeck/" OPSDECK_VERSION "\r\n";
    head += "Connection: close\r\n";
    if (!request.body.isEmpty() || request.method == "POST" || request.method == "PUT") {
        head += "Content-Type: " + request.contentType + "\r\n";
        head += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    }
    head += "\r\n";
    const QByteArray wire = head + request.body;

    call->timer.setSingleShot(true);
    if (call->request.timeoutMs > 0) {
        call->timer.setInterval(call->request.timeoutMs);
        connect(&call->timer, &QTimer::timeout, this, [this, call] {
            finish(call, // the timer dies with the call, so call is alive here
                   makeError("net.timeout",
                             Tr::tr("%1: the Docker engine did not answer within %2 seconds.")
                                 .arg(call->request.what.isEmpty() ? QString::fromUtf8(call->request.path)
                                                                   : call->request.what)
                                 .arg(call->request.timeoutMs / 1000.0, 0, 'g', 3)));
        });
        call->timer.start();
    }

    if (m_endpoint.transport == DockerEndpoint::Unix) {
        auto *socket = new QLocalSocket(this);
        call->socket = socket;
        connect(socket, &QLocalSocket::connected, this, [socket, wire] { socket->write(wire); });
        connect(socket, &QLocalSocket::readyRead, this, [this, id] { onReadable(id); });
        connect(socket, &QLocalSocket::disconnected, this, [this, id] { onClosed(id); });
        connect(
            socket, &QLocalSocket::errorOccurred, this, [this, id, socket](QLocalSocket::LocalSocketError e) {
                Call *c = m_calls.value(id);
                if (e == QLocalSocket::PeerClosedError || !c)
                    return;
                finish(c,
                       makeError("net.unreachable", Tr::tr("Cannot reach the Docker engine at %1: %2")
                                                        .arg(m_endpoint.socketPath, socket->errorString())));
            });
        // Connect from the event loop: a failure then always arrives after request() returned.
        QMetaObject::invokeMethod(
            socket, [socket, path = m_endpoint.socketPath] { socket->connectToServer(path); },
            Qt::QueuedConnection);
    } else {
        auto *socket = new QSslSocket(this);
        call->socket = socket;
        const QString where = QStringLiteral("%1:%2").arg(m_endpoint.host).arg(m_endpoint.port);
        connect(socket, &QSslSocket::readyRead, this, [this, id] { onReadable(id); });
        connect(socket, &QSslSocket::disconnected, this, [this, id] { onClosed(id); });
        connect(socket, &QSslSocket::errorOccurred, this,
                [this, id, socket, where](QAbstractSocket::SocketError e) {
                    Call *c = m_calls.value(id);
                    if (e == QAbstractSocket::RemoteHostClosedError || !c)
                        return;
                    finish(c, makeError("net.unreachable", Tr::tr("Cannot reach the Docker engine at %1: %2")
                                                               .arg(where, socket->errorString())));
                });
        if (m_endpoint.tls) {
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
            if (!m_caCerts.isEmpty())
                ssl.setCaCertificates(m_caCerts); // DOCKER_CERT_PATH/ca.pem replaces the system CAs
            if (!m_clientCert.isNull()) {
                ssl.setLocalCertificate(m_clientCert);
                ssl.setPrivateKey(m_clientKey);
            }
            socket->setSslConfiguration(ssl);
            connect(socket, &QSslSocket::encrypted, this, [socket, wire] { socket->write(wire); });
            connect(socket, &QSslSocket::sslErrors, this, [this, id, where](const QList<QSslError> &errors) {
                Call *c = m_calls.value(id);
                if (!c)
                    return;
                QStringList texts;
                for (const QSslError &e : errors)
                    texts << e.errorString();
                finish(c, makeError("net.tls",
                                    Tr::tr("The TLS certificate of the Docker engine at %1 was refused: %2")
                                        .arg(where, texts.join(QStringLiteral("; ")))));
            });
            QMetaObject::invokeMethod(
                socket,
                [socket, host = m_endpoint.host, port = m_endpoint.port] {
                    socket->connectToHostEncrypted(host, port);
                },
                Qt::QueuedConnection);
        } else {
            connect(socket, &QSslSocket::connected, this, [socket, wire] { socket->write(wire); });
            QMetaObject::invokeMethod(
                socket,
                [socket, host = m_endpoint.host, port = m_endpoint.port] {
                    socket->connectToHost(host, port);
                },
                Qt::QueuedConnection);
        }
    }
}

void DockerClient::onClosed(quint64 id)
{
    onReadable(id);
    Call *call = m_calls.value(id);
    if (!call)
        return;
    call->parser.finishOnClose();
    finish(call, call->parser.hasError()
                     ? std::optional<Error>(makeError("net.reset", call->parser.errorString()))
                     : std::nullopt);
}

void DockerClient::onReadable(quint64 id)
{
    Call *call = m_calls.value(id);
    if (!call || !call->socket)
        return;
    const QByteArray data = call->socket->readAll();
    if (data.isEmpty())
        return;
    if (call->request.timeoutMs > 0)
        call->timer.start();
    const QByteArray decoded = call->parser.feed(data);
    if (call->parser.hasError())
        return finish(call, makeError("docker.protocol", call->parser.errorString()));
    if (!decoded.isEmpty()) {
        const bool stream = call->onData && call->parser.status() < 400;
        if (stream) {
            QPointer<QObject> guard = call->context;
            if (!call->hasContext || guard)
                call->onData(decoded);
            if (!m_calls.contains(id))
                return; // cancelled from inside the handler
        } else {
            call->body += decoded;
            if (call->body.size() > call->request.maxBytes)
                return finish(call,
                              makeError("http.too-large",
                                        Tr::tr("The answer from the Docker engine is larger than %1 MB.")
                                            .arg(call->request.maxBytes / (1024 * 1024))));
        }
    }
    if (call->parser.isDone())
        finish(call, std::nullopt);
}

void DockerClient::finish(Call *call, std::optional<Error> error)
{
    if (call->finished)
        return;
    call->finished = true;
    call->timer.stop();
    m_calls.remove(call->id);

    HttpResponse response;
    response.status = call->parser.status();
    response.headers = call->parser.headers();
    response.body = call->body;
    response.attempts = 1;
    const QString what = call->request.what.isEmpty()
                             ? QStringLiteral("%1 %2").arg(QString::fromLatin1(call->request.method),
                                                           QString::fromUtf8(call->request.path))
                             : call->request.what;
    if (error) {
        response.error = error;
    } else if (response.status >= 300 && response.status < 400) {
        // An engine does not redirect; something in between (a proxy) does. Not followed.
        response.error = makeError(
            "http.redirects",
            Tr::tr("%1: the Docker engine's address answered %2, a redirect to %3; Opsdeck does not follow "
                   "redirects from an engine: check the endpoint.")
                .arg(what)
                .arg(response.status)
                .arg(QString::fromUtf8(call->parser.header("Location"))));
    } else if (response.status >= 400) {
        QString detail = errorMessageFromBody(call->body);
        response.error = makeError(httpStatusErrorCode(response.status),
                                   Tr::tr("%1: the Docker engine answered %2%3")
                                       .arg(what)
                                       .arg(response.status)
                                       .arg(detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
    }
    // An engine that went away may come back as another version; one that refuses the pinned
    // version ("client version 1.47 is too old") was upgraded under us: negotiate again.
    if (response.error && !m_fixedVersion &&
        (response.error->code.startsWith(QLatin1String("net.")) ||
         (response.status == 400 &&
          response.error->message.contains(QLatin1String("version"), Qt::CaseInsensitive))))
        m_negotiated.reset();
    qCInfo(lcDocker).noquote() << call->request.method
                               << (call->sentPath.isEmpty() ? call->request.path : call->sentPath)
                               << response.status
                               << (response.error
                                       ? response.error->code + QStringLiteral(": ") + response.error->message
                                       : QStringLiteral("ok"));
    if (call->socket) {
        call->socket->disconnect(this);
        call->socket->close();
        call->socket->deleteLater();
        call->socket = nullptr;
    }
    const bool deliver = !call->hasContext || !call->context.isNull();
    Callback done = std::move(call->done);
    delete call;
    if (deliver && done)
        done(response);
}

void DockerClient::cancel(quint64 id)
{
    if (Call *call = m_calls.value(id))
        finish(call, makeError("http.cancelled", Tr::tr("The request was cancelled.")));
}

void DockerClient::cancelAll()
{
    const auto ids = m_calls.keys();
    for (quint64 id : ids)
        cancel(id);
}

} // namespace opsdeck
