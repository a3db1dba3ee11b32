#include "services/connections/connectionservice.h"

#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/connections/probes.h"
#include "services/connections/secretstore.h"
#include "services/docker/dockerclient.h"
#include "services/github/githubappjwt.h"
#include "services/net/httpclient.h"
#include "services/store/auditlog.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QUuid>

Q_LOGGING_CATEGORY(lcConnections, "opsdeck.connections", QtInfoMsg)

namespace opsdeck {

namespace {
const QString healthScope = QStringLiteral("health");

AuditEvent connectionEvent(const Connection &c, const QString &action, const Outcome &outcome,
                           QJsonObject details = {})
{
    AuditEvent e;
    e.action = action;
    e.system = kindId(c.kind);
    if (c.id != 0)
        e.connectionId = c.id;
    e.connectionName = c.name;
    e.targetKind = QStringLiteral("connection");
    e.targetId = c.id != 0 ? QString::number(c.id) : QString();
    e.targetName = c.name;
    e.outcome = outcome.ok ? AuditOutcome::Success : AuditOutcome::Failure;
    details.insert(QStringLiteral("endpoint"), c.endpoint);
    details.insert(QStringLiteral("auth"), authId(c.auth));
    if (!outcome.ok) {
        details.insert(QStringLiteral("error"), outcome.message);
        details.insert(QStringLiteral("error_code"), outcome.code);
    } else if (!outcome.message.isEmpty()) {
        details.insert(QStringLiteral("result"), outcome.message);
    }
    e.details = details;
    return e;
}

// Failures are audited in a transaction of their own; a failing audit write is logged, not lost silently.
void auditFailure(const AuditEvent &event)
{
    if (auto r = AuditLog::record(event); !r)
        qCWarning(lcConnections).noquote() << "cannot write the audit log:" << r.message();
}
} // namespace

Error demoError()
{
    return makeError("demo", ConnectionService::tr(
                                 "This is the demo workspace: Opsdeck does not contact any server here."));
}

Result<void> recordFailedSync(const Connection &c, const QString &scope, const Outcome &outcome)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    AuditEvent e = connectionEvent(c, AuditAction::syncFailed, scope, QString(), c.name);
    e.outcome = AuditOutcome::Failure;
    e.details =
        QJsonObject{{QStringLiteral("error"), outcome.message}, {QStringLiteral("error_code"), outcome.code}};
    if (auto r = AuditLog::append(tx.db(), e); !r) {
        tx.rollback();
        return r.error();
    }
    if (auto r = ConnectionStore::recordFailure(tx.db(), c.id, scope, QDateTime::currentDateTimeUtc(),
                                                Error{outcome.code, outcome.message});
        !r) {
        tx.rollback();
        return r.error();
    }
    tx.touch(AuditLog::table, c.id);
    tx.touch(Tables::syncState, c.id);
    return tx.commit();
}

ConnectionService::ConnectionService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::Connection>();
    qRegisterMetaType<opsdeck::Outcome>();
    qRegisterMetaType<QList<qint64>>();
    qRegisterMetaType<QList<opsdeck::GitHubInstallation>>();
}

ConnectionService::~ConnectionService() = default;

void ConnectionService::initialize() {}

void ConnectionService::shutdown()
{
    for (QObject *client : std::as_const(m_clients)) {
        if (auto *http = qobject_cast<HttpClient *>(client))
            http->cancelAll();
        else if (auto *docker = qobject_cast<DockerClient *>(client))
            docker->cancelAll();
    }
}

Result<Connection> ConnectionService::storeConnection(const Connection &connection)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return r.error();
    auto stored = ConnectionStore::save(tx.db(), connection);
    if (!stored)
        return stored.error();
    // The audit event lands in the same transaction as the change it records.
    const AuditEvent event = connectionEvent(
        stored.value(), connection.id == 0 ? AuditAction::connectionCreate : AuditAction::connectionUpdate,
        Outcome::success());
    if (auto audited = AuditLog::append(tx.db(), event); !audited)
        return audited.error();
    tx.touch(Tables::connections, stored->id);
    tx.touch(AuditLog::table, stored->id);
    if (auto r = tx.commit(); !r)
        return r.error();
    return stored;
}

void ConnectionService::save(quint64 requestId, const Connection &connection, const QString &secret,
                             bool secretChanged, bool memoryOnly)
{
    const QString action = connection.id == 0 ? AuditAction::connectionCreate : AuditAction::connectionUpdate;
    const auto fail = [this, requestId, action](const Connection &c, const Error &error) {
        auditFailure(connectionEvent(c, action, Outcome::failure(error)));
        emit saved(requestId, c, Outcome::failure(error));
    };
    if (auto valid = validateConnection(connection); !valid)
        return fail(connection, valid.error());
    Connection c = connection;
    if (c.uid.isEmpty())
        c.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);

    auto finishSave = [this, requestId, c, fail](const QString &note) {
        auto stored = storeConnection(c);
        if (!stored)
            return fail(c, stored.error());
        qCInfo(lcConnections).noquote() << "saved connection" << stored->id << kindId(stored->kind);
        emit saved(requestId, stored.value(), Outcome::success(note));
    };

    if (!secretChanged || !c.needsSecret())
        return finishSave({});
    if (memoryOnly) {
        SecretStore::keepInMemory(c.secretKey(), secret);
        return finishSave(
            tr("The secret is kept in memory for this session only; enter it again after a restart."));
    }
    SecretStore::instance()->write(c.secretKey(), secret, this,
                                   [c, finishSave, fail](const Result<void> &written) {
                                       if (!written)
                                           return fail(c, written.error()); // nothing saved
                                       finishSave({});
                                   });
}

void ConnectionService::remove(quint64 requestId, qint64 connectionId)
{
    auto existing = ConnectionStore::byId(Database::connection(), connectionId);
    if (!existing)
        return emit removed(requestId, connectionId, Outcome::failure(existing.error()));
    const Connection c = existing.value();
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return emit removed(requestId, connectionId, Outcome::failure(r.error()));
    if (auto r = ConnectionStore::remove(tx.db(), connectionId); !r) {
        tx.rollback();
        auditFailure(connectionEvent(c, AuditAction::connectionDelete, Outcome::failure(r.error())));
        return emit removed(requestId, connectionId, Outcome::failure(r.error()));
    }
    if (auto audited =
            AuditLog::append(tx.db(), connectionEvent(c, AuditAction::connectionDelete, Outcome::success()));
        !audited)
        return emit removed(requestId, connectionId, Outcome::failure(audited.error()));
    tx.touch(AuditLog::table, connectionId);
    tx.touch(Tables::connections, connectionId);
    tx.touch(Tables::syncState, connectionId);
    if (auto r = tx.commit(); !r)
        return emit removed(requestId, connectionId, Outcome::failure(r.error()));
    if (!c.needsSecret())
        return emit removed(requestId, connectionId, Outcome::success());
    SecretStore::instance()->remove(
        c.secretKey(), this, [this, requestId, connectionId](const Result<void> &r) {
            // The connection is gone either way; say so if its secret could not be deleted.
            emit removed(
                requestId, connectionId,
                r ? Outcome::success()
                  : Outcome::success(tr("The connection was removed, but its keychain entry could not be "
                                        "deleted: %1")
                                         .arg(r.message())));
        });
}

void ConnectionService::readSecret(const Connection &c, QObject *context,
                                   std::function<void(const Result<QString> &)> done)
{
    if (!c.needsSecret())
        return done(QString());
    SecretStore::instance()->read(c.secretKey(), context, std::move(done));
}

void ConnectionService::withSecret(const Connection &c, std::function<void(const Result<QString> &)> done)
{
    readSecret(c, this, std::move(done));
}

void ConnectionService::runProbe(const Connection &c, const QString &secret,
                                 std::function<void(const Outcome &)> done)
{
    auto probe = probeRequest(c, secret, QDateTime::currentDateTimeUtc());
    if (!probe)
        return done(Outcome::failure(probe.error()));
    if (std::holds_alternative<DockerRequest>(probe.value())) {
        auto *client = new DockerClient(this);
        if (auto r = client->configure(c); !r) {
            delete client;
            return done(Outcome::failure(r.error()));
        }
        m_clients.insert(client);
        client->request(
            std::get<DockerRequest>(probe.value()), this, [this, client, c, done](const HttpResponse &r) {
                m_clients.remove(client);
                client->deleteLater();
                done(r.ok() ? Outcome::success(describeProbeSuccess(c, r)) : Outcome::failure(*r.error));
            });
        return;
    }
    auto *client = new HttpClient(this);
    if (auto r = client->setCaFile(c.caFile); !r) {
        delete client;
        return done(Outcome::failure(r.error()));
    }
    m_clients.insert(client);
    connect(client, &HttpClient::rateLimitChanged, this,
            [this, id = c.id](const RateLimit &limit) { emit rateLimitChanged(id, limit); });
    client->send(std::get<HttpRequest>(probe.value()), this, [this, client, c, done](const HttpResponse &r) {
        m_clients.remove(client);
        client->deleteLater();
        if (!r.ok())
            return done(Outcome::failure(*r.error));
        if (c.kind != ConnectionKind::Docker && c.kind != ConnectionKind::Registry) {
            if (auto json = r.json(); !json)
                return done(Outcome::failure(json.error()));
        }
        done(Outcome::success(describeProbeSuccess(c, r)));
    });
}

void ConnectionService::test(quint64 requestId, const Connection &connection, const QString &secret,
                             bool useStoredSecret)
{
    if (auto valid = validateConnection(connection); !valid)
        return emit tested(requestId, Outcome::failure(valid.error()));
    if (m_demo)
        return emit tested(requestId, Outcome::failure(demoError()));
    auto run = [this, requestId, connection](const QString &s) {
        runProbe(connection, s, [this, requestId, connection](const Outcome &outcome) {
            if (connection.id != 0)
                recordHealth(connection, outcome, AuditAction::connectionTest);
            else
                auditFailure(connectionEvent(connection, AuditAction::connectionTest, outcome));
            emit tested(requestId, outcome);
        });
    };
    if (!useStoredSecret || !secret.isEmpty())
        return run(secret);
    withSecret(connection, [this, requestId, run](const Result<QString> &s) {
        if (!s)
            return emit tested(requestId, Outcome::failure(s.error()));
        run(s.value());
    });
}

void ConnectionService::listInstallations(quint64 requestId, const Connection &connection,
                                          const QString &secret, bool useStoredSecret)
{
    const auto fail = [this, requestId](const Error &e) {
        emit installationsListed(requestId, Outcome::failure(e), {});
    };
    if (connection.kind != ConnectionKind::GitHub || connection.auth != AuthKind::GitHubApp)
        return fail(makeError("github.installation", tr("Only a GitHub App connection has installations.")));
    if (m_demo)
        return fail(demoError());
    auto run = [this, requestId, connection, fail](const QString &key) {
        const auto jwt = makeGitHubAppJwt(connection.username, key.toUtf8(), QDateTime::currentDateTimeUtc());
        if (!jwt)
            return fail(jwt.error());
        auto *client = new HttpClient(this);
        if (auto r = client->setCaFile(connection.caFile); !r) {
            delete client;
            return fail(r.error());
        }
        m_clients.insert(client);
        client->setDefaultHeaders(authHeaders(connection, QString::fromLatin1(jwt.value())));
        HttpRequest first;
        first.url = apiUrl(connection.endpoint, QStringLiteral("/app/installations?per_page=100"));
        first.what = tr("Listing the GitHub App's installations");
        client->fetchPages(
            first, 100, this,
            [this, client, requestId, fail](const Result<QList<HttpResponse>> &pages) {
                m_clients.remove(client);
                client->deleteLater();
                if (!pages)
                    return fail(pages.error());
                QList<GitHubInstallation> all;
                for (const HttpResponse &page : pages.value()) {
                    auto parsed = parseInstallations(page.body);
                    if (!parsed)
                        return fail(parsed.error());
                    all += parsed.value();
                }
                emit installationsListed(
                    requestId,
                    all.isEmpty()
                        ? Outcome::failure(makeError("github.installation",
                                                     tr("The GitHub App is not installed anywhere yet.")))
                        : Outcome::success(),
                    all);
            },
            HttpClient::linkNext());
    };
    if (!useStoredSecret || !secret.isEmpty())
        return run(secret);
    withSecret(connection, [run, fail](const Result<QString> &s) {
        if (!s)
            return fail(s.error());
        run(s.value());
    });
}

void ConnectionService::checkHealth(const QList<qint64> &connectionIds)
{
    for (qint64 id : connectionIds) {
        auto c = ConnectionStore::byId(Database::connection(), id);
        if (!c)
            continue;
        emit syncStarted(id);
        if (m_demo) {
            emit syncFinished(id, Outcome::success(tr("Demo data")));
            continue;
        }
        const Connection connection = c.value();
        withSecret(connection, [this, connection](const Result<QString> &secret) {
            auto finish = [this, connection](const Outcome &outcome) {
                recordHealth(connection, outcome,
                             outcome.ok ? AuditAction::syncComplete : AuditAction::syncFailed);
                emit syncFinished(connection.id, outcome);
            };
            if (!secret)
                return finish(Outcome::failure(secret.error()));
            runProbe(connection, secret.value(), finish);
        });
    }
}

void ConnectionService::recordHealth(const Connection &connection, const Outcome &outcome,
                                     const QString &action)
{
    const qint64 connectionId = connection.id;
    CacheTransaction tx;
    if (!tx.begin())
        return;
    AuditEvent event =
        connectionEvent(connection, action, outcome, QJsonObject{{QStringLiteral("scope"), healthScope}});
    if (auto audited = AuditLog::append(tx.db(), event); !audited) {
        qCWarning(lcConnections).noquote() << "cannot write the audit log:" << audited.message();
        return;
    }
    tx.touch(AuditLog::table, connectionId);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const Result<void> r = outcome.ok
                               ? ConnectionStore::recordSuccess(tx.db(), connectionId, healthScope, now)
                               : ConnectionStore::recordFailure(tx.db(), connectionId, healthScope, now,
                                                                Error{outcome.code, outcome.message});
    if (!r) {
        qCWarning(lcConnections).noquote() << "cannot record health:" << r.message();
        return;
    }
    tx.touch(Tables::syncState, connectionId);
    if (auto c = tx.commit(); !c)
        qCWarning(lcConnections).noquote() << "cannot record health:" << c.message();
}

} // namespace opsdeck
