// GitHubService, third part: test runs from GitHub Actions workflow artifacts.
#include "models/connections/connectionstore.h"
#include "models/store/database.h"
#include "services/connections/probes.h"
#include "services/github/githubservice.h"
#include "services/github/githubservice_p.h"
#include "services/store/auditlog.h"
#include "services/testruns/githubrunstore.h"
#include "services/testruns/runsigningkey.h"
#include "services/testruns/teamsettings.h"

#include <QDir>
#include <QTemporaryDir>

namespace opsdeck {

struct GitHubService::TestSync
{
    GitHubSourceRow source;
    Connection connection;
    HttpClient *client = nullptr;
    QByteArray key;
    QList<WorkflowRun> runs; // completed, their artifacts not all decided yet
    int runIndex = 0;
    QList<WorkflowArtifact> artifacts; // of the current run, to be decided
    bool runUndecided = false;         // an artifact of the current run failed for now: ask again later
    int imported = 0;
    int decided = 0;
    QStringList problems; // what failed for now, for the summary
    std::unique_ptr<QTemporaryDir> downloads;

    WorkflowRun run() const { return runs.at(runIndex); }
    QString repoPath() const
    {
        return QStringLiteral("/repos/%1/%2").arg(source.settings.owner(), source.settings.name());
    }
};

void GitHubService::saveTestSource(quint64 requestId, qint64 sourceId, const QString &name,
                                   qint64 connectionId, const GitHubTestSource &settings)
{
    if (auto allowed = TeamSettings::mayChange(QStringLiteral("testrun.source"), name.trimmed(),
                                               AuditAction::testrunSourceSet);
        !allowed)
        return emit testSourceSaved(requestId, Outcome::failure(allowed.error()), sourceId);
    auto found = ConnectionStore::byId(Database::connection(), connectionId);
    if (!found || found->kind != ConnectionKind::GitHub)
        return emit testSourceSaved(
            requestId,
            Outcome::failure(
                makeError("testrun.source", tr("Choose a GitHub connection for the repository."))),
            sourceId);
    const auto saved = GitHubRunStore::saveSource(sourceId, name, connectionId, settings);
    if (!saved)
        return emit testSourceSaved(requestId, Outcome::failure(saved.error()), sourceId);
    emit testSourceSaved(requestId, Outcome::success(tr("%1 reads %2.").arg(name.trimmed(), settings.repo)),
                         saved.value());
    if (!m_demo)
        if (auto shared = TeamSettings::sharedSource(Database::connection(), saved.value()); shared) {
            TestRunRecordChange change;
            change.source = shared.value();
            emit testSettingsToShare({change});
        }
    syncTestSource(saved.value());
}

void GitHubService::removeTestSource(quint64 requestId, qint64 sourceId)
{
    const auto shared = TeamSettings::sharedSource(Database::connection(), sourceId);
    if (shared)
        if (auto allowed = TeamSettings::mayChange(QStringLiteral("testrun.source"), shared->name,
                                                   AuditAction::testrunSourceRemove);
            !allowed)
            return emit testSourceSaved(requestId, Outcome::failure(allowed.error()), sourceId);
    const auto removed = TestRunStore::removeSource(sourceId);
    if (removed && shared && !m_demo) {
        TestRunRecordChange change;
        change.kind = TestRunRecordChange::Kind::RemoveSource;
        change.source.name = shared->name;
        emit testSettingsToShare({change});
    }
    emit testSourceSaved(
        requestId, removed ? Outcome::success(tr("Removed.")) : Outcome::failure(removed.error()), sourceId);
}

void GitHubService::syncTestSource(qint64 sourceId)
{
    if (m_testSyncing.contains(sourceId))
        return; // one at a time; what it misses, the next one finds
    const auto source = GitHubRunStore::source(Database::connection(), sourceId);
    if (!source)
        return emit testSyncFinished(sourceId, Outcome::failure(source.error()), 0);
    const auto found = ConnectionStore::byId(Database::connection(), source->connectionId);
    if (!found || found->kind != ConnectionKind::GitHub)
        return emit testSyncFinished(
            sourceId,
            Outcome::failure(
                makeError("testrun.source", tr("%1 has no GitHub connection any more; choose one "
                                               "in its settings.")
                                                .arg(source->name))),
            0);
    emit testSyncStarted(sourceId);
    if (m_demo)
        return emit testSyncFinished(sourceId, Outcome::success(tr("Demo data")), 0);
    m_testSyncing.insert(sourceId);
    auto sync = std::make_shared<TestSync>();
    sync->source = source.value();
    sync->connection = found.value();

    const auto withKey = [this](std::function<void()> then) {
        if (m_runKey)
            return then();
        RunSigningKey::obtain(this, [this, then](const Result<QByteArray> &key) {
            m_runKey = key ? key.value() : QByteArray();
            then();
        });
    };
    withKey([this, sync] {
        sync->key = m_runKey.value_or(QByteArray());
        withClient(sync->connection, [this, sync](HttpClient *client, const Error &error) {
            if (!client)
                return endTestSync(sync, Outcome::failure(error));
            sync->client = client;
            // The first sync reads the runs the source asks for; later ones a full page of news.
            QSqlQuery q(Database::connection());
            q.prepare(QStringLiteral("SELECT COUNT(*) FROM test_workflow_runs WHERE source_id = ?"));
            q.addBindValue(sync->source.id);
            const bool first = !q.exec() || !q.next() || q.value(0).toLongLong() == 0;
            HttpRequest list;
            list.url = apiUrl(sync->connection.endpoint,
                              sync->repoPath() + QStringLiteral("/actions/runs?status=completed&per_page=%1")
                                                     .arg(first ? sync->source.settings.firstRuns : 100));
            list.what = tr("Listing the workflow runs of %1").arg(sync->source.settings.repo);
            client->send(list, this, [this, sync](const HttpResponse &r) {
                if (!r.ok())
                    return endTestSync(sync, Outcome::failure(*r.error));
                const auto page = parseWorkflowRunPage(r.body);
                if (!page)
                    return endTestSync(sync, Outcome::failure(page.error()));
                const auto pending = GitHubRunStore::recordWorkflowRuns(sync->source.id, page->runs);
                if (!pending)
                    return endTestSync(sync, Outcome::failure(pending.error()));
                sync->runs = pending.value();
                nextWorkflowRun(sync);
            });
        });
    });
}

void GitHubService::nextWorkflowRun(std::shared_ptr<TestSync> sync)
{
    if (sync->runIndex >= sync->runs.size()) {
        const QString summary =
            tr("%n test run(s) imported from %1", nullptr, sync->imported).arg(sync->source.settings.repo);
        if (sync->problems.isEmpty())
            return endTestSync(sync, Outcome::success(summary));
        return endTestSync(
            sync, Outcome{false, QStringLiteral("testrun.sync"),
                          summary + QStringLiteral("; ") + sync->problems.join(QStringLiteral("; "))});
    }
    const WorkflowRun run = sync->run();
    HttpRequest list;
    list.url =
        apiUrl(sync->connection.endpoint,
               sync->repoPath() + QStringLiteral("/actions/runs/%1/artifacts?per_page=100").arg(run.id));
    list.what = tr("Listing the artifacts of workflow run %1 #%2").arg(run.name).arg(run.runNumber);
    sync->client->send(list, this, [this, sync](const HttpResponse &r) {
        const auto page = r.ok() ? parseArtifactPage(r.body) : Result<ArtifactPage>(*r.error);
        if (!page) {
            sync->problems << page.error().message;
            ++sync->runIndex;
            return nextWorkflowRun(sync);
        }
        const auto known = GitHubRunStore::knownArtifacts(Database::connection(), sync->source.id);
        if (!known)
            return endTestSync(sync, Outcome::failure(known.error()));
        sync->artifacts.clear();
        sync->runUndecided = false;
        for (WorkflowArtifact a : page->artifacts) {
            if (known->contains(a.id))
                continue;
            a.workflowRunId = sync->run().id;
            sync->artifacts << a;
        }
        nextArtifact(sync);
    });
}

void GitHubService::nextArtifact(std::shared_ptr<TestSync> sync)
{
    if (sync->artifacts.isEmpty()) {
        if (!sync->runUndecided)
            if (auto r = GitHubRunStore::markRunDone(sync->source.id, sync->run().id); !r)
                return endTestSync(sync, Outcome::failure(r.error()));
        ++sync->runIndex;
        return nextWorkflowRun(sync);
    }
    const WorkflowArtifact artifact = sync->artifacts.takeFirst();
    const auto skip = [&](const QString &state, const QString &why) {
        if (auto r = GitHubRunStore::recordSkipped(sync->source.id, artifact, state, why); !r)
            return endTestSync(sync, Outcome::failure(r.error()));
        ++sync->decided;
        nextArtifact(sync);
    };
    if (!sync->source.settings.wants(artifact.name))
        return skip(QStringLiteral("skipped"),
                    tr("The name does not match the pattern %1.").arg(sync->source.settings.artifacts));
    if (artifact.expired)
        return skip(QStringLiteral("expired"), tr("GitHub no longer keeps this artifact."));
    if (artifact.sizeInBytes > GitHubTestSource::maxArtifactBytes)
        return skip(QStringLiteral("too-large"),
                    tr("The artifact is %1 MiB; Opsdeck reads artifacts of up to %2 MiB.")
                        .arg(artifact.sizeInBytes / (1024 * 1024))
                        .arg(GitHubTestSource::maxArtifactBytes / (1024 * 1024)));
    downloadArtifact(sync, artifact);
}

void GitHubService::downloadArtifact(std::shared_ptr<TestSync> sync, const WorkflowArtifact &artifact)
{
    emit testSyncProgress(
        sync->source.id, sync->decided, sync->decided + int(sync->artifacts.size()) + 1,
        tr("Reading %1 of %2 #%3").arg(artifact.name, sync->run().name).arg(sync->run().runNumber));
    // A problem that may pass (the network, GitHub, the disk): the artifact stays undecided.
    const auto later = [this, sync](const Error &why) {
        sync->problems << why.message;
        sync->runUndecided = true;
        nextArtifact(sync);
    };
    HttpRequest ask;
    ask.url = apiUrl(sync->connection.endpoint,
                     sync->repoPath() + QStringLiteral("/actions/artifacts/%1/zip").arg(artifact.id));
    ask.what = tr("Asking GitHub for artifact %1").arg(artifact.name);
    ask.followRedirects = false; // the storage is another host: followed by hand, without the token
    ask.expectJson = false;
    sync->client->send(ask, this, [this, sync, artifact, later](const HttpResponse &r) {
        if (r.status == 410) {
            const auto recorded =
                GitHubRunStore::recordSkipped(sync->source.id, artifact, QStringLiteral("expired"),
                                              tr("GitHub answered 410 Gone: the artifact expired."));
            if (!recorded)
                return later(recorded.error());
            ++sync->decided;
            return nextArtifact(sync);
        }
        if (!r.ok())
            return later(*r.error);
        const QUrl location = r.url.resolved(QUrl(QString::fromUtf8(r.header("Location"))));
        const bool secure =
            location.scheme() == QLatin1String("https") ||
            (location.scheme() == QLatin1String("http") && r.url.scheme() == QLatin1String("http"));
        if (r.status < 300 || r.status >= 400 || !location.isValid() || location.host().isEmpty() || !secure)
            return later(makeError("github.schema",
                                   tr("GitHub answered the download of %1 with %2 and no usable Location "
                                      "(a redirect to the artifact's storage was expected).")
                                       .arg(artifact.name)
                                       .arg(r.status)));
        if (!sync->downloads) {
            sync->downloads = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                              QStringLiteral("/opsdeck-artifacts-XXXXXX"));
            if (!sync->downloads->isValid())
                return later(makeError(
                    "file.write", tr("No folder for downloads: %1").arg(sync->downloads->errorString())));
        }
        HttpRequest fetch;
        fetch.url = location;
        fetch.what = tr("Downloading artifact %1").arg(artifact.name);
        fetch.withoutDefaultHeaders = true; // never the GitHub token to another host
        fetch.secretUrl = true;             // a signed URL: its query is a credential
        fetch.expectJson = false;
        fetch.maxBytes = GitHubTestSource::maxArtifactBytes;
        fetch.saveTo = sync->downloads->filePath(QStringLiteral("artifact-%1.zip").arg(artifact.id));
        sync->client->send(
            fetch, this, [this, sync, artifact, later, path = fetch.saveTo](const HttpResponse &got) {
                if (!got.ok()) {
                    QFile::remove(path);
                    return later(*got.error);
                }
                const auto outcome =
                    GitHubRunStore::importArtifact(sync->source, sync->run(), artifact, path, sync->key);
                QFile::remove(path);
                if (!outcome)
                    return later(outcome.error());
                ++sync->decided;
                if (outcome->run && !outcome->run->alreadyImported) {
                    ++sync->imported;
                    emit testRunImported(outcome->run->runId);
                }
                qCInfo(lcGitHub).noquote()
                    << "artifact" << artifact.id << artifact.name << outcome->state << outcome->detail;
                nextArtifact(sync);
            });
    });
}

void GitHubService::endTestSync(std::shared_ptr<TestSync> sync, const Outcome &outcome)
{
    m_testSyncing.remove(sync->source.id);
    sync->downloads.reset();
    // The log says how each sync went; the audit log only what changed or failed.
    if (!outcome.ok || sync->imported > 0) {
        CacheTransaction tx;
        if (tx.begin()) {
            AuditEvent e = githubEvent(sync->connection, AuditAction::testrunSync, QStringLiteral("source"),
                                       QString::number(sync->source.id), sync->source.name);
            e.outcome = outcome.ok ? AuditOutcome::Success : AuditOutcome::Failure;
            e.comment = outcome.message;
            e.details = QJsonObject{{QStringLiteral("repo"), sync->source.settings.repo},
                                    {QStringLiteral("workflow_runs"), int(sync->runs.size())},
                                    {QStringLiteral("imported"), sync->imported}};
            if (AuditLog::append(tx.db(), e)) {
                tx.touch(AuditLog::table);
                (void)tx.commit();
            }
        }
    }
    qCInfo(lcGitHub).noquote() << "test runs of" << sync->source.settings.repo
                               << (outcome.ok ? "ok:" : "failed:") << outcome.message;
    emit testSyncFinished(sync->source.id, outcome, sync->imported);
}

} // namespace opsdeck
