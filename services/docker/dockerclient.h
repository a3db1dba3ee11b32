// The Docker Engine API transport: HTTP/1.1 over a unix socket (QLocalSocket) or over TCP, with
// TLS client certificates for tcp:// hosts (DOCKER_HOST conventions). Each request has its own
// connection, so long streams (/events, logs, pull progress) run beside short calls. Bodies are
// delivered whole or streamed chunk by chunk; errors travel as values like in HttpClient.
#pragma once

#include "models/connections/connection.h"
#include "models/docker/engineapi.h"
#include "services/net/httpclient.h"
#include "services/net/httpresponseparser.h"

#include <QHash>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>

class QIODevice;

namespace opsdeck {

struct DockerRequest
{
    QByteArray method = "GET";
    QByteArray path; // with query, e.g. "/containers/json?all=1"
    QByteArray body;
    QByteArray contentType = "application/json";
    int timeoutMs = -1;                 // inactivity timeout; 0 = none (event streams); -1: NetworkDefaults
    qint64 maxBytes = 64 * 1024 * 1024; // for bodies that are not streamed
    QString what;
};

class DockerClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const HttpResponse &)>;
    using DataHandler = std::function<void(const QByteArray &)>;

    explicit DockerClient(QObject *parent = nullptr);
    ~DockerClient() override;

    // Reads the endpoint and, for tcp:// with TLS, the CA, certificate and key files.
    Result<void> configure(const Connection &connection);
    Result<void> configure(const QString &endpoint); // plain unix socket or tcp without TLS
    const DockerEndpoint &endpoint() const { return m_endpoint; }
    // By default the first request asks the engine's GET /version and pins every later request to
    // the API version negotiated from it (EngineApi::negotiate); requests made meanwhile wait for it,
    // and all of them fail with its message when the engine is refused. /_ping and /version are
    // sent without a version prefix. A network failure, or an
    // engine that no longer accepts the pinned version, makes the next request negotiate again.
    // setApiVersion fixes the version instead ("1.41" -> /v1.41/...; empty = unversioned paths).
    void setApiVersion(const QByteArray &version);
    // The version requests go to now: fixed, negotiated, or empty (not negotiated yet).
    QByteArray apiVersion() const;
    // What the last negotiation learnt about the engine, if it succeeded.
    std::optional<EngineApi::Negotiated> negotiated() const { return m_negotiated; }

    // onData set: the body is streamed to it (decoded from chunked framing) and not kept.
    quint64 request(const DockerRequest &request, QObject *context, Callback done, DataHandler onData = {});
    void cancel(quint64 id);
    void cancelAll();

private:
    struct Call;
    void start(Call *call);
    void negotiate();
    void onReadable(quint64 id);
    void onClosed(quint64 id);
    void finish(Call *call, std::optional<Error> error);

    DockerEndpoint m_endpoint;
    QByteArray m_apiVersion;
    bool m_fixedVersion = false;
    std::optional<EngineApi::Negotiated> m_negotiated;
    bool m_negotiating = false;
    QList<quint64> m_waiting; // calls held until the negotiation ends
    QString m_configuredFrom;
    QList<QSslCertificate> m_caCerts;
    QSslCertificate m_clientCert;
    QSslKey m_clientKey;
    QHash<quint64, Call *> m_calls;
    quint64 m_nextId = 1;
};

} // namespace opsdeck
