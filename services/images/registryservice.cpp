#include "services/images/registryservice.h"
#include "services/images/registryservice_p.h"

#include "models/audit/auditevent.h"
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/connections/secretstore.h"
#include "services/images/registrysession.h"
#include "services/net/httpclient.h"
#include "services/store/auditlog.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTimer>
#include <QUrl>

#include <deque>

Q_LOGGING_CATEGORY(lcRegistry, "opsdeck.registry")

namespace opsdeck {

namespace {
// The walk over a plain registry: the catalog, then each repository's tags, then the manifests,
// with at most `parallel` requests in flight while reading manifests.
struct OciWalk
{
    RegistrySession *session;
    QHash<QString, RegistryTag> known;
    int parallel;
    int pageSize;
    std::function<void(int)> progress;
    std::function<void(const Result<RegistrySnapshot> &)> done;
    RegistrySnapshot snapshot;
    QStringList repositories;
    int nextRepository = 0;
    std::deque<int> pendingManifests; // indexes into snapshot.tags
    int inFlight = 0;
    int manifestsDone = 0;
    std::optional<Error> failed;
    bool finished = false;
};

void ociFinish(const std::shared_ptr<OciWalk> &walk, const std::optional<Error> &error)
{
    if (walk->finished)
        return;
    walk->finished = true;
    if (error)
        return walk->done(*error);
    walk->done(walk->snapshot);
}

void ociManifests(const std::shared_ptr<OciWalk> &walk)
{
    if (walk->finished)
        return;
    if (walk->failed && walk->inFlight == 0)
        return ociFinish(walk, walk->failed);
    if (walk->pendingManifests.empty() && walk->inFlight == 0)
        return ociFinish(walk, std::nullopt);
    while (!walk->failed && walk->inFlight < walk->parallel && !walk->pendingManifests.empty()) {
        const int index = walk->pendingManifests.front();
        walk->pendingManifests.pop_front();
        ++walk->inFlight;
        const RegistryTag tag = walk->snapshot.tags.at(index);
        const QString scope = QStringLiteral("repository:%1:pull").arg(tag.repository);
        HttpRequest head;
        head.method = "HEAD";
        head.url = walk->session->url(QStringLiteral("/v2/%1/manifests/%2").arg(tag.repository, tag.tag));
        head.expectJson = false;
        head.headers = {{"Accept", manifestAcceptHeader()}};
        head.what = RegistrySession::tr("Resolving %1:%2").arg(tag.repository, tag.tag);
        walk->session->send(head, scope, [walk, index, scope, head](const HttpResponse &r) {
            const auto settle = [walk](const std::optional<Error> &error) {
                --walk->inFlight;
                ++walk->manifestsDone;
                if (error && !walk->failed)
                    walk->failed = error;
                const int total = int(walk->snapshot.tags.size());
                if (total > 0)
                    walk->progress(30 + walk->manifestsDone * 70 / total);
                ociManifests(walk);
            };
            RegistryTag &entry = walk->snapshot.tags[index];
            if (!r.ok()) {
                if (r.status == 404)
                    return settle(std::nullopt); // the tag went away between the list and now
                return settle(r.error);
            }
            const QString digest = QString::fromLatin1(r.header("Docker-Content-Digest")).trimmed();
            const auto cached = walk->known.constFind(entry.repository + QLatin1Char(':') + digest);
            if (isDigest(digest) && cached != walk->known.constEnd()) {
                entry.digest = digest;
                entry.mediaType = cached->mediaType;
                entry.kind = cached->kind;
                entry.platforms = cached->platforms;
                entry.size = cached->size;
                return settle(std::nullopt);
            }
            // New to the cache (or the registry gave no digest): the manifest itself.
            HttpRequest get = head;
            get.method = "GET";
            get.maxBytes = 4 * 1024 * 1024; // the distribution spec's limit for a manifest
            walk->session->send(get, scope, [walk, index, settle, digest](const HttpResponse &m) {
                RegistryTag &t = walk->snapshot.tags[index];
                if (!m.ok())
                    return settle(m.status == 404 ? std::nullopt : m.error);
                const auto info = parseManifest(m.header("Content-Type"), m.body);
                if (!info)
                    return settle(info.error());
                QString d = QString::fromLatin1(m.header("Docker-Content-Digest")).trimmed();
                if (!isDigest(d))
                    d = digest;
                if (!isDigest(d)) // no header: the digest of the bytes, as the spec defines it
                    d = QStringLiteral("sha256:") +
                        QString::fromLatin1(
                            QCryptographicHash::hash(m.body, QCryptographicHash::Sha256).toHex());
                t.digest = d;
                t.mediaType = info->mediaType;
                t.kind = info->kindText();
                t.platforms = info->platformsText();
                t.size = info->size;
                settle(std::nullopt);
            });
        });
    }
}

void ociTags(const std::shared_ptr<OciWalk> &walk)
{
    if (walk->nextRepository >= walk->repositories.size()) {
        for (int i = 0; i < walk->snapshot.tags.size(); ++i)
            walk->pendingManifests.push_back(i);
        return ociManifests(walk);
    }
    const QString name = walk->repositories.at(walk->nextRepository++);
    walk->snapshot.repositories.append({name, QString()});
    HttpRequest first;
    first.url = walk->session->url(QStringLiteral("/v2/%1/tags/list?n=%2").arg(name).arg(walk->pageSize));
    first.what = RegistrySession::tr("Listing the tags of %1").arg(name);
    auto count = std::make_shared<qint64>(0);
    walk->session->pages(
        first, QStringLiteral("repository:%1:pull").arg(name), maxRegistryPages,
        [walk, name, count](const HttpResponse &r) -> Result<void> {
            const auto tags = parseTagList(r.body, name);
            if (!tags)
                return tags.error();
            for (const QString &t : tags.value()) {
                RegistryTag tag;
                tag.repository = name;
                tag.tag = t;
                walk->snapshot.tags << tag;
            }
            *count += tags->size();
            return {};
        },
        [walk, name, count](const Result<int> &pages) {
            if (!pages && pages.error().code != QLatin1String("http.not-found"))
                return ociFinish(walk, pages.error());
            walk->snapshot.artifactCounts.insert(name, *count);
            walk->progress(walk->nextRepository * 30 / qMax(1, int(walk->repositories.size())));
            ociTags(walk);
        });
}
} // namespace

RegistryService::RegistryService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::Outcome>();
}

void RegistryService::initialize()
{
    if (!m_autoSync)
        return;
    auto *timer = new QTimer(this);
    timer->setInterval(30 * 1000);
    connect(timer, &QTimer::timeout, this, &RegistryService::syncDue);
    timer->start();
    QTimer::singleShot(3000, this, &RegistryService::syncDue);
}

void RegistryService::shutdown()
{
    for (HttpClient *client : std::as_const(m_clients))
        client->cancelAll();
}

void RegistryService::syncDue()
{
    if (m_demo)
        return;
    const auto all = ConnectionStore::all(Database::connection());
    if (!all)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Connection &c : all.value()) {
        if ((c.kind != ConnectionKind::Registry && c.kind != ConnectionKind::Harbor) ||
            m_running.contains(c.id))
            continue;
        if (ConnectionStore::isSyncDue(Database::connection(), c, scope, now))
            syncImages(c.id);
    }
}

void RegistryService::withSession(const Connection &c,
                                  std::function<void(RegistrySession *, const Error &)> then)
{
    const auto start = [this, c, then](const QString &secret) {
        HttpClient *client = m_clients.value(c.id);
        if (!client) {
            client = new HttpClient(this);
            m_clients.insert(c.id, client);
        }
        if (auto r = client->setCaFile(c.caFile); !r)
            return then(nullptr, r.error());
        // The same connection and secret keep their session (and its tokens), so that a sync does
        // not drop a report or scan still on its way; a changed one gets a new session.
        RegistrySession *session = m_sessions.value(c.id);
        if (!session || !session->uses(c, secret)) {
            if (session)
                session->deleteLater();
            session = new RegistrySession(client, c, secret, this);
            m_sessions.insert(c.id, session);
        }
        then(session, {});
    };
    if (!c.needsSecret())
        return start(QString());
    SecretStore::instance()->read(c.secretKey(), this, [start, then](const Result<QString> &secret) {
        if (!secret)
            return then(nullptr, secret.error());
        start(secret.value());
    });
}

QHash<QString, RegistryTag> RegistryService::knownManifests(qint64 connectionId) const
{
    QHash<QString, RegistryTag> known;
    QSqlQuery q(Database::connection());
    q.prepare(
        QStringLiteral("SELECT repository, digest, media_type, kind, platforms, size FROM registry_tags "
                       "WHERE connection_id = ? AND digest <> '' AND kind <> ''"));
    q.addBindValue(connectionId);
    if (q.exec())
        while (q.next()) {
            RegistryTag t;
            t.repository = q.value(0).toString();
            t.digest = q.value(1).toString();
            t.mediaType = q.value(2).toString();
            t.kind = q.value(3).toString();
            t.platforms = q.value(4).toString();
            t.size = q.value(5).toLongLong();
            known.insert(t.repository + QLatin1Char(':') + t.digest, t);
        }
    return known;
}

void RegistryService::syncImages(qint64 connectionId)
{
    if (m_running.contains(connectionId)) {
        m_syncAgain.insert(connectionId);
        return;
    }
    const auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found)
        return emit syncFinished(connectionId, Outcome::failure(found.error()));
    const Connection c = found.value();
    if (c.kind != ConnectionKind::Registry && c.kind != ConnectionKind::Harbor)
        return;
    emit syncStarted(connectionId);
    if (m_demo)
        return emit syncFinished(connectionId, Outcome::success(tr("Demo data")));
    m_running.insert(connectionId);
    {
        CacheTransaction tx;
        if (tx.begin() &&
            ConnectionStore::recordAttempt(tx.db(), connectionId, scope, QDateTime::currentDateTimeUtc()))
            (void)tx.commit();
    }
    withSession(c, [this, c](RegistrySession *session, const Error &error) {
        if (!session)
            return finish(c, Outcome::failure(error));
        // The session outlives one sync: this sync's requests are those counted from here.
        const int before = session->requestCount();
        auto done = [this, c, session, before](const Result<RegistrySnapshot> &snapshot) {
            if (!snapshot)
                return finish(c, Outcome::failure(snapshot.error()));
            store(c, snapshot.value(), session->requestCount() - before);
        };
        if (c.kind == ConnectionKind::Harbor)
            syncHarbor(session, done);
        else
            syncOci(session, done);
    });
}

void RegistryService::syncOci(RegistrySession *session, SnapshotDone done)
{
    auto walk = std::make_shared<OciWalk>();
    walk->session = session;
    walk->known = knownManifests(session->connection().id);
    walk->parallel = m_parallel;
    walk->pageSize = m_pageSize;
    walk->progress = [this, id = session->connection().id](int percent) {
        emit syncProgress(id, percent);
    };
    walk->done = std::move(done);
    HttpRequest first;
    first.url = session->url(QStringLiteral("/v2/_catalog?n=%1").arg(m_pageSize));
    first.what = tr("Listing the repositories of %1").arg(session->connection().name);
    session->pages(
        first, QStringLiteral("registry:catalog:*"), maxRegistryPages,
        [walk](const HttpResponse &r) -> Result<void> {
            const auto names = parseCatalog(r.body);
            if (!names)
                return names.error();
            walk->repositories << names.value();
            return {};
        },
        [walk](const Result<int> &pages) {
            if (!pages)
                return ociFinish(walk, pages.error());
            walk->repositories.removeDuplicates();
            ociTags(walk);
        });
}

void RegistryService::store(const Connection &c, const RegistrySnapshot &snapshot, int requests)
{
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return finish(c, Outcome::failure(r.error()));
    const auto fail = [&](const QSqlQuery &q) {
        const Error e =
            makeError("cache.write",
                      tr("Cannot write the registry's contents to the cache: %1").arg(q.lastError().text()));
        tx.rollback();
        finish(c, Outcome::failure(e));
    };
    const QString now = toStoredTime(QDateTime::currentDateTimeUtc());
    // What was there before: to count what came and went.
    QSet<QString> before;
    {
        QSqlQuery q(tx.db());
        q.prepare(
            QStringLiteral("SELECT repository || ':' || tag FROM registry_tags WHERE connection_id = ?"));
        q.addBindValue(c.id);
        if (!q.exec())
            return fail(q);
        while (q.next())
            before.insert(q.value(0).toString());
    }
    for (const QString &table : {Tables::registryRepositories, Tables::registryTags, Tables::harborProjects,
                                 QStringLiteral("harbor_system_cves")}) {
        QSqlQuery q(tx.db());
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE connection_id = ?").arg(table));
        q.addBindValue(c.id);
        if (!q.exec())
            return fail(q);
    }
    QHash<QString, int> tagCounts;
    for (const RegistryTag &t : snapshot.tags)
        if (!t.tag.isEmpty())
            ++tagCounts[t.repository];
    {
        QSqlQuery q(tx.db());
        q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO registry_repositories (connection_id, name, project, "
                           "artifact_count, tag_count, synced_at) VALUES (?, ?, ?, ?, ?, ?)"));
        for (const auto &[name, project] : snapshot.repositories) {
            q.addBindValue(c.id);
            q.addBindValue(name);
            q.addBindValue(project.isNull() ? QStringLiteral("") : project);
            q.addBindValue(snapshot.artifactCounts.value(name));
            q.addBindValue(tagCounts.value(name));
            q.addBindValue(now);
            if (!q.exec())
                return fail(q);
        }
    }
    QSet<QString> after;
    {
        QSqlQuery q(tx.db());
        q.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO registry_tags (connection_id, repository, tag, digest, media_type, kind, "
            "platforms, size, pushed_at, scan_status, severity, critical, high, medium, low, other, fixable, "
            "scanned_at, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const auto text = [](const QString &s) {
            return s.isNull() ? QStringLiteral("") : s;
        };
        for (const RegistryTag &t : snapshot.tags) {
            if (t.digest.isEmpty() && !t.tag.isEmpty() && c.kind == ConnectionKind::Registry &&
                t.kind.isEmpty())
                continue; // gone between the tag list and its manifest
            after.insert(t.repository + QLatin1Char(':') + t.tag);
            const ScanOverview &s = t.scan;
            q.addBindValue(c.id);
            q.addBindValue(t.repository);
            q.addBindValue(text(t.tag));
            q.addBindValue(text(t.digest));
            q.addBindValue(text(t.mediaType));
            q.addBindValue(text(t.kind));
            q.addBindValue(text(t.platforms));
            q.addBindValue(t.size);
            q.addBindValue(t.pushed.isValid() ? toStoredTime(t.pushed) : QStringLiteral(""));
            q.addBindValue(text(s.status));
            q.addBindValue(s.severity ? severityText(*s.severity) : QStringLiteral(""));
            q.addBindValue(s.counts.value(Severity::Critical));
            q.addBindValue(s.counts.value(Severity::High));
            q.addBindValue(s.counts.value(Severity::Medium));
            q.addBindValue(s.counts.value(Severity::Low));
            q.addBindValue(s.counts.value(Severity::Negligible) + s.counts.value(Severity::Unknown));
            q.addBindValue(s.fixable);
            q.addBindValue(s.endTime.isValid() ? toStoredTime(s.endTime) : QStringLiteral(""));
            q.addBindValue(now);
            if (!q.exec())
                return fail(q);
        }
    }
    {
        QSqlQuery q(tx.db());
        q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO harbor_projects (connection_id, name, project_id, public, "
                           "repo_count, prevent_vul, severity, auto_scan, reuse_sys_cve, cve_allowlist, "
                           "cve_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const HarborProject &p : snapshot.projects) {
            q.addBindValue(c.id);
            q.addBindValue(p.name);
            q.addBindValue(p.id);
            q.addBindValue(p.isPublic ? 1 : 0);
            q.addBindValue(p.repoCount);
            q.addBindValue(p.preventVulnerable ? 1 : 0);
            q.addBindValue(p.severity.isNull() ? QStringLiteral("") : p.severity);
            q.addBindValue(p.autoScan ? 1 : 0);
            q.addBindValue(p.reuseSystemCveAllowlist ? 1 : 0);
            q.addBindValue(QString::fromUtf8(
                QJsonDocument(QJsonArray::fromStringList(p.cveAllowlist)).toJson(QJsonDocument::Compact)));
            q.addBindValue(p.cveAllowlistExpires.isValid() ? toStoredTime(p.cveAllowlistExpires)
                                                           : QStringLiteral(""));
            if (!q.exec())
                return fail(q);
        }
    }
    for (const RegistrySnapshot::Report &report : snapshot.reports)
        if (auto written =
                writeVulnerabilityReport(tx.db(), c.id, report.repository, report.digest, report.findings);
            !written) {
            tx.rollback();
            return finish(c, Outcome::failure(written.error()));
        }
    {
        // Reports of artifacts that are no longer there go with them.
        QSqlQuery q(tx.db());
        q.prepare(
            QStringLiteral("DELETE FROM image_vulnerabilities WHERE connection_id = ? AND digest NOT IN "
                           "(SELECT digest FROM registry_tags WHERE connection_id = ?)"));
        q.addBindValue(c.id);
        q.addBindValue(c.id);
        if (!q.exec())
            return fail(q);
    }
    if (snapshot.systemCves) {
        QSqlQuery q(tx.db());
        q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO harbor_system_cves (connection_id, cves, expires_at) "
                           "VALUES (?, ?, ?)"));
        q.addBindValue(c.id);
        q.addBindValue(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(snapshot.systemCves->cves))
                                             .toJson(QJsonDocument::Compact)));
        q.addBindValue(snapshot.systemCves->expires.isValid() ? toStoredTime(snapshot.systemCves->expires)
                                                              : QStringLiteral(""));
        if (!q.exec())
            return fail(q);
    }
    const int added = int((after - before).size());
    const int removed = int((before - after).size());
    AuditEvent e = connectionEvent(c, AuditAction::syncComplete, scope, QString(), c.name);
    e.details = QJsonObject{{QStringLiteral("repositories"), int(snapshot.repositories.size())},
                            {QStringLiteral("tags"), int(after.size())},
                            {QStringLiteral("added"), added},
                            {QStringLiteral("removed"), removed},
                            {QStringLiteral("projects"), int(snapshot.projects.size())},
                            {QStringLiteral("reports"), int(snapshot.reports.size())},
                            {QStringLiteral("requests"), requests}};
    if (auto r = AuditLog::append(tx.db(), e); !r) {
        tx.rollback();
        return finish(c, Outcome::failure(r.error()));
    }
    if (auto r = ConnectionStore::recordSuccess(tx.db(), c.id, scope, QDateTime::currentDateTimeUtc()); !r) {
        tx.rollback();
        return finish(c, Outcome::failure(r.error()));
    }
    tx.touch(Tables::registryRepositories, c.id);
    tx.touch(Tables::registryTags, c.id);
    tx.touch(Tables::harborProjects, c.id);
    tx.touch(Tables::imageVulnerabilities, c.id);
    tx.touch(Tables::syncState, c.id);
    tx.touch(AuditLog::table, c.id);
    if (auto r = tx.commit(); !r)
        return finish(c, Outcome::failure(r.error()));
    qCInfo(lcRegistry).noquote() << "synced" << after.size() << "tags of" << c.name << "in" << requests
                                 << "requests";
    finish(c, Outcome::success(tr("%1 repositories, %2 tags (%3 new, %4 gone)")
                                   .arg(snapshot.repositories.size())
                                   .arg(after.size())
                                   .arg(added)
                                   .arg(removed)));
}

void RegistryService::finish(const Connection &c, const Outcome &outcome)
{
    if (!outcome.ok) {
        if (auto r = recordFailedSync(c, scope, outcome); !r)
            qCWarning(lcRegistry).noquote() << "cannot record the failed sync:" << r.message();
        qCWarning(lcRegistry).noquote() << "sync of" << c.name << "failed:" << outcome.message;
    }
    m_running.remove(c.id);
    emit syncFinished(c.id, outcome);
    if (m_syncAgain.remove(c.id))
        QMetaObject::invokeMethod(
            this, [this, id = c.id] { syncImages(id); }, Qt::QueuedConnection);
}

} // namespace opsdeck
