// A Harbor for tests and benchmarks that answers only the routes, parameters and shapes of
// ../shared/specs/harbor (the spec check records any other request): projects with metadata and CVE
// allowlists, repositories, artifacts with tags and scan overviews, paged by page/page_size with
// Link rel="next" and X-Total-Count as Harbor sends them; the system CVE allowlist; vulnerability
// reports; scan requests. Basic credentials are required.
#pragma once

#include "testhttpserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

class FakeHarbor
{
public:
    FakeHarbor();
    bool listen() { return m_server.listen(); }
    QUrl url() const { return m_server.url(); }
    TestHttpServer &server() { return m_server; }
    void setCredentials(const QByteArray &user, const QByteArray &password);
    void setLatency(int ms) { m_latencyMs = ms; }

    // metadata as Harbor keeps it (strings "true"/"false", severity "none" … "critical").
    void addProject(qint64 id, const QString &name, const QJsonObject &metadata = {},
                    const QStringList &cveAllowlist = {});
    // repository: "project/repo"; scanSeverity empty: never scanned. counts: {"Critical": 1, …}
    QJsonObject addArtifact(const QString &repository, const QString &digest, const QStringList &tags,
                            const QString &scanSeverity = {}, const QJsonObject &counts = {},
                            qint64 size = 1000);
    void setSystemCves(const QStringList &cves, qint64 expiresAt = 0);
    // The vulnerability report of digest: items of the documented VulnerabilityItem shape.
    void setReport(const QString &digest, const QJsonArray &vulnerabilities);
    void clearArtifacts(const QString &repository);
    QStringList scanned() const { return m_scanned; }
    QStringList violations() const { return m_server.specViolations(); }

private:
    TestReply page(const TestRequest &request, const QJsonArray &all);
    TestReply answer(const TestRequest &request);
    TestHttpServer m_server;
    QByteArray m_auth;
    int m_latencyMs = 0;
    QJsonArray m_projects;
    QMap<QString, QJsonArray> m_artifacts; // by repository, in insertion order
    QJsonObject m_systemCves;
    QMap<QString, QJsonArray> m_reports;
    QStringList m_scanned;
};
