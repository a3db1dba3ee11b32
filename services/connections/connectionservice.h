// Saves, removes and tests connections, and runs the health check behind Refresh. Lives on a
// worker thread; secrets go to the keychain, the rest to the cache.
#pragma once

#include "models/connections/connection.h"
#include "services/connections/probes.h"
#include "services/net/httpclient.h"
#include "services/servicehost.h"

#include <QHash>

namespace opsdeck {

// The outcome of a service call, sent back to the GUI by value.
struct Outcome
{
    bool ok = true;
    QString code;
    QString message;
    static Outcome success(const QString &message = {}) { return {true, {}, message}; }
    static Outcome failure(const Error &e) { return {false, e.code, e.message}; }
};

// What every service answers in the demo workspace instead of contacting a server.
Error demoError();

// A sync of c's scope that failed: its sync.failed audit event and the sync state's error, in one
// cache transaction (the last good copy stays as it was).
Result<void> recordFailedSync(const Connection &c, const QString &scope, const Outcome &outcome);

class ConnectionService : public Service
{
    Q_OBJECT
public:
    explicit ConnectionService(QObject *parent = nullptr);
    ~ConnectionService() override;

    // In the demo workspace no server is contacted: checks answer from the demo data.
    void setDemoMode(bool demo) { m_demo = demo; }

    // The one rule for a connection's secret, for every service: none when its authentication
    // needs none, else read from the keychain. done runs later, on context's thread.
    static void readSecret(const Connection &connection, QObject *context,
                           std::function<void(const Result<QString> &)> done);

public slots:
    void initialize() override;
    void shutdown() override;

    // Saves the connection; with secretChanged, writes the secret to the keychain first. When no
    // keychain is available and memoryOnly is set, keeps the secret in memory for this run.
    void save(quint64 requestId, const opsdeck::Connection &connection, const QString &secret,
              bool secretChanged, bool memoryOnly);
    void remove(quint64 requestId, qint64 connectionId);
    // Runs the connection's cheapest authenticated call. An empty secret with useStoredSecret
    // reads it from the keychain.
    void test(quint64 requestId, const opsdeck::Connection &connection, const QString &secret,
              bool useStoredSecret);
    // A GitHub App connection's installations (GET /app/installations, all pages), for the admin
    // to choose one. An empty secret with useStoredSecret reads the private key from the keychain.
    void listInstallations(quint64 requestId, const opsdeck::Connection &connection, const QString &secret,
                           bool useStoredSecret);
    // The health check behind Refresh: tests each saved connection and records the result.
    void checkHealth(const QList<qint64> &connectionIds);

signals:
    void saved(quint64 requestId, const opsdeck::Connection &connection, const opsdeck::Outcome &outcome);
    void removed(quint64 requestId, qint64 connectionId, const opsdeck::Outcome &outcome);
    void tested(quint64 requestId, const opsdeck::Outcome &outcome);
    void installationsListed(quint64 requestId, const opsdeck::Outcome &outcome,
                             const QList<opsdeck::GitHubInstallation> &installations);
    void syncStarted(qint64 connectionId);
    void syncProgress(qint64 connectionId, int percent);
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    // The API rate limit a connection's server reported with its last answer.
    void rateLimitChanged(qint64 connectionId, const opsdeck::RateLimit &limit);

private:
    void runProbe(const Connection &connection, const QString &secret,
                  std::function<void(const Outcome &)> done);
    void withSecret(const Connection &connection, std::function<void(const Result<QString> &)> done);
    Result<Connection> storeConnection(const Connection &connection);
    // Records the health check's result and its audit event in one transaction.
    void recordHealth(const Connection &connection, const Outcome &outcome, const QString &action);

    bool m_demo = false;
    QSet<QObject *> m_clients; // network clients of running probes, for shutdown
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::Outcome)
