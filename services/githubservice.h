// The GitHub backend: syncs an organization's self-hosted runners into the cache (per_page=100,
// following Link headers) and records the sync in the audit log. Lives on its own worker thread.
#pragma once

#include "connection.h"
#include "connectionservice.h"
#include "httpclient.h"
#include "servicehost.h"

#include <QHash>

namespace opsdeck {

class GitHubService : public Service
{
    Q_OBJECT
public:
    explicit GitHubService(QObject *parent = nullptr);
    void setDemoMode(bool demo) { m_demo = demo; }

    static QString orgScope(const Connection &connection);

public slots:
    void initialize() override;
    void shutdown() override;
    // Syncs every GitHub connection whose sync interval has passed since its last attempt.
    void syncDue();
    void syncRunners(qint64 connectionId);

signals:
    void syncStarted(qint64 connectionId);
    void syncProgress(qint64 connectionId, int percent);
    void syncFinished(qint64 connectionId, const opsdeck::Outcome &outcome);
    void rateLimitChanged(qint64 connectionId, const opsdeck::RateLimit &limit);

private:
    void finishSync(const Connection &connection, const Outcome &outcome, const QJsonObject &details);
    HttpClient *clientFor(const Connection &connection, const QString &secret, Error *error);

    QHash<qint64, HttpClient *> m_clients;
    QSet<qint64> m_running;
    bool m_demo = false;
};

} // namespace opsdeck
