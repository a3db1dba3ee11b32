// A backend connection: what Opsdeck talks to and how. Secrets are never part of this type;
// they live in the OS keychain under secretKey().
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace opsdeck {

enum class ConnectionKind { GitHub, Docker, Registry, Harbor, LiteLLM, Cloudflare };
enum class AuthKind { None, Token, Basic, GitHubApp };

QString kindId(ConnectionKind kind); // "github", "docker", ... (stored in the cache)
std::optional<ConnectionKind> kindFromId(const QString &id);
QString kindDisplayName(ConnectionKind kind); // translated, for people
QList<ConnectionKind> allKinds();
QString authId(AuthKind kind);
std::optional<AuthKind> authFromId(const QString &id);
QString authDisplayName(AuthKind kind);
// Auth kinds that make sense for a connection kind, first one is the default.
QList<AuthKind> authKindsFor(ConnectionKind kind);
QString defaultBaseUrl(ConnectionKind kind);

struct Connection
{
    qint64 id = 0; // row id in the cache; 0 = not saved yet
    QString uid;   // stable identifier, also the keychain entry name
    ConnectionKind kind = ConnectionKind::GitHub;
    QString name;     // display name, unique
    QString endpoint; // base URL, or for docker a DOCKER_HOST value (unix://..., tcp://...)
    AuthKind auth = AuthKind::None;
    QString username;       // basic auth user, or GitHub App id
    QString caFile;         // optional custom CA bundle (PEM)
    QString clientCertFile; // docker tcp:// with TLS client certificate
    QString clientKeyFile;
    int syncIntervalSec = 300;
    QJsonObject options; // kind-specific, non-secret: {"org": ...}, {"account_id": ...}
    QDateTime createdAt;
    QDateTime updatedAt;

    QString secretKey() const { return QStringLiteral("connection/") + uid; }
    bool needsSecret() const { return auth != AuthKind::None; }
    QString option(const QString &key) const { return options.value(key).toString(); }
    bool operator==(const Connection &) const = default;
};

// Checks everything a person can get wrong in the Connections dialog. The message names the field.
Result<void> validateConnection(const Connection &connection);

// Parses a DOCKER_HOST-style endpoint: unix:///path, /path, tcp://host:port (TLS when cert files are set).
struct DockerEndpoint
{
    enum Transport { Unix, Tcp };
    Transport transport = Unix;
    QString socketPath;
    QString host;
    quint16 port = 0;
    bool tls = false;
};
Result<DockerEndpoint> parseDockerEndpoint(const QString &endpoint, bool tls);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::Connection)
