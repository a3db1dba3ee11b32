// TestRunsService, second part: golden suites run by Opsdeck, and the sources they belong to.
#include "models/store/database.h"
#include "services/deploy/gitclone.h"
#include "services/store/auditlog.h"
#include "services/testruns/goldenrunner.h"
#include "services/testruns/teamsettings.h"
#include "services/testruns/testrunsservice.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtConcurrent>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsService)
};

struct PreparedSuite
{
    Result<QList<GoldenResult>> cases = QList<GoldenResult>();
    QString commit;
};

// A file name from a case's path: "users/create.json" -> "users-create".
QString artifactStem(int index, const QString &file)
{
    QString stem = QFileInfo(file).path() + QLatin1Char('-') + QFileInfo(file).completeBaseName();
    if (stem.startsWith(QLatin1String("./")) || stem.startsWith(QLatin1String(".-")))
        stem = stem.mid(2);
    for (QChar &c : stem)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_') && c != QLatin1Char('.'))
            c = QLatin1Char('-');
    return QStringLiteral("%1-%2").arg(index + 1, 3, 10, QLatin1Char('0')).arg(stem.left(80));
}

Result<void> writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return makeError("file.write", Tr::tr("%1 cannot be written: %2").arg(path, f.errorString()));
    return {};
}
} // namespace

struct TestRunsService::GoldenJob
{
    quint64 job = 0;
    qint64 sourceId = 0;
    QString source;
    GoldenSuiteSettings settings;
    std::atomic_bool cancel{false};
    QString commit;
    QDateTime startedAt;
    QString stamp;
    std::unique_ptr<QTemporaryDir> checkout;
    GoldenRunner *runner = nullptr;
    QString mockNote; // the suite's mock was down at its last health check
};

namespace {
// What the last health check of the suite's mock said, when it was down: failures of this run may
// be the mock's rather than the server's.
QString mockDownNote(qint64 mockId)
{
    if (mockId <= 0)
        return {};
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral(
        "SELECT m.name, h.checked_at, h.detail, h.up FROM test_mocks m JOIN test_mock_health h "
        "ON h.mock_id = m.id WHERE m.id = ? ORDER BY h.checked_at DESC LIMIT 1"));
    q.addBindValue(mockId);
    if (!q.exec() || !q.next() || q.value(3).toBool())
        return {};
    const QDateTime at = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs);
    return Tr::tr("The mock %1 was down at its last check (%2: %3), so failures may be the mock's.")
        .arg(q.value(0).toString(), QLocale().toString(at.toLocalTime(), QLocale::ShortFormat),
             q.value(2).toString());
}
} // namespace

void TestRunsService::saveGoldenSource(quint64 job, qint64 sourceId, const QString &name,
                                       const GoldenSuiteSettings &settings)
{
    const auto fail = [&](const Error &e) {
        emit sourceSaved(job, false, e.message, sourceId);
    };
    if (auto ok = settings.check(); !ok)
        return fail(ok.error());
    if (auto allowed = TeamSettings::mayChange(QStringLiteral("testrun.source"), name.trimmed(),
                                               AuditAction::testrunSourceSet);
        !allowed)
        return fail(allowed.error());
    CacheTransaction tx;
    if (auto r = tx.begin(); !r)
        return fail(r.error());
    const auto id =
        TestRunStore::saveSourceIn(tx.db(), sourceId, name, TestSourceKind::Golden, 0, settings.toJson());
    if (!id)
        return fail(id.error());
    tx.touch(QStringLiteral("test_sources"));
    tx.touch(AuditLog::table);
    if (auto r = tx.commit(); !r)
        return fail(r.error());
    emit sourceSaved(job, true, Tr::tr("%1 saved.").arg(name.trimmed()), id.value());
    shareSource(id.value());
}

void TestRunsService::removeSource(quint64 job, qint64 sourceId)
{
    const auto shared = TeamSettings::sharedSource(Database::connection(), sourceId);
    if (shared)
        if (auto allowed = TeamSettings::mayChange(QStringLiteral("testrun.source"), shared->name,
                                                   AuditAction::testrunSourceRemove);
            !allowed)
            return emit sourceSaved(job, false, allowed.message(), sourceId);
    const auto removed = TestRunStore::removeSource(sourceId);
    emit sourceSaved(job, removed.ok(), removed ? Tr::tr("Removed.") : removed.error().message, sourceId);
    if (removed && shared && m_publishing) {
        TestRunRecordChange change;
        change.kind = TestRunRecordChange::Kind::RemoveSource;
        change.source.name = shared->name;
        emit testSettingsToShare({change});
    }
}

void TestRunsService::runGolden(quint64 job, qint64 sourceId)
{
    if (m_golden)
        return emit goldenFinished(
            job, sourceId, false,
            Tr::tr("A golden suite is running already; start this one when it is done."), 0);
    QSqlQuery q(Database::connection());
    q.prepare(QStringLiteral("SELECT name, detail FROM test_sources WHERE id = ? AND kind = 'golden'"));
    q.addBindValue(sourceId);
    if (!q.exec() || !q.next())
        return emit goldenFinished(job, sourceId, false,
                                   Tr::tr("There is no golden suite %1 (removed meanwhile?).").arg(sourceId),
                                   0);
    auto golden = std::make_shared<GoldenJob>();
    golden->job = job;
    golden->sourceId = sourceId;
    golden->source = q.value(0).toString();
    golden->settings =
        GoldenSuiteSettings::fromJson(QJsonDocument::fromJson(q.value(1).toByteArray()).object());
    golden->startedAt = QDateTime::currentDateTimeUtc();
    golden->stamp = golden->startedAt.toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    if (auto ok = golden->settings.check(); !ok)
        return emit goldenFinished(job, sourceId, false, ok.error().message, 0);
    golden->mockNote = mockDownNote(golden->settings.mockId);
    m_golden = golden;
    emit goldenStarted(job, sourceId);

    // Reading the cases (and cloning their repository) blocks: off this thread.
    if (golden->settings.isGit())
        golden->checkout =
            std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/opsdeck-golden-XXXXXX"));
    const QString checkout =
        golden->checkout ? golden->checkout->path() + QStringLiteral("/repo") : QString();
    auto *watcher = new QFutureWatcher<PreparedSuite>(this);
    connect(watcher, &QFutureWatcher<PreparedSuite>::finished, this, [this, watcher, golden] {
        watcher->deleteLater();
        const PreparedSuite prepared = watcher->result();
        if (golden->cancel)
            return endGolden(false, Tr::tr("The golden run was cancelled; nothing of it was kept."));
        if (!prepared.cases) {
            // The suite could not run at all: said once in the audit log.
            CacheTransaction tx;
            if (tx.begin() &&
                AuditLog::append(
                    tx.db(), TestRunStore::refusalEvent(golden->settings.isGit() ? golden->settings.gitUrl
                                                                                 : golden->settings.folder,
                                                        golden->source, prepared.cases.error()))) {
                tx.touch(AuditLog::table);
                (void)tx.commit();
            }
            return endGolden(false, prepared.cases.error().message);
        }
        golden->commit = prepared.commit;
        golden->runner = new GoldenRunner(this);
        connect(golden->runner, &GoldenRunner::progress, this,
                [this, job = golden->job](int done, int total) { emit goldenProgress(job, done, total); });
        connect(golden->runner, &GoldenRunner::finished, this,
                [this, golden](const QList<GoldenResult> &results, bool cancelled) {
                    if (cancelled || golden->cancel)
                        return endGolden(false,
                                         Tr::tr("The golden run was cancelled; nothing of it was kept."));
                    storeGolden(results);
                });
        golden->runner->start(golden->settings, prepared.cases.value());
    });
    watcher->setFuture(QtConcurrent::run([settings = golden->settings, checkout, cancel = &golden->cancel,
                                          keep = golden]() -> PreparedSuite {
        PreparedSuite out;
        QString folder = settings.folder;
        if (settings.isGit()) {
            CloneOptions clone;
            clone.url = settings.gitUrl;
            clone.branch = settings.gitRef;
            clone.directory = checkout;
            clone.cancel = cancel;
            const auto commit = cloneRepository(clone);
            if (!commit) {
                out.cases = commit.error();
                return out;
            }
            out.commit = commit.value();
            folder =
                QDir(checkout).filePath(settings.folder.isEmpty() ? QStringLiteral(".") : settings.folder);
        }
        out.cases = loadGoldenCases(folder);
        return out;
    }));
}

void TestRunsService::cancelGolden(quint64 job)
{
    if (!m_golden || m_golden->job != job)
        return;
    m_golden->cancel = true;
    if (m_golden->runner)
        m_golden->runner->cancel();
}

void TestRunsService::storeGolden(const QList<GoldenResult> &results)
{
    const std::shared_ptr<GoldenJob> golden = m_golden;
    const QString root =
        m_artifactsDir.isEmpty() ? QDir::temp().filePath(QStringLiteral("opsdeck-golden")) : m_artifactsDir;
    const QString dir = QDir(root).filePath(QStringLiteral("%1/%2").arg(golden->sourceId).arg(golden->stamp));
    if (!QDir().mkpath(dir))
        return endGolden(false,
                         Tr::tr("The golden run's artifacts cannot be kept: %1 cannot be made.").arg(dir));
    // Each case's request and response (and diff), and the run as a JUnit report.
    const QByteArray junit = goldenJUnitReport(golden->source, results, golden->startedAt);
    Result<void> written = writeFile(QDir(dir).filePath(QStringLiteral("junit.xml")), junit);
    for (int i = 0; written && i < results.size(); ++i) {
        const GoldenResult &r = results.at(i);
        const QString stem = QDir(dir).filePath(artifactStem(i, r.goldenCase.file));
        if (!r.loadError.isEmpty()) {
            written = writeFile(stem + QStringLiteral(".error.txt"), r.loadError.toUtf8() + '\n');
            continue;
        }
        written = writeFile(stem + QStringLiteral(".request.txt"),
                            goldenRequestText(r, golden->settings.urlFor(r.goldenCase.request.path)));
        if (written)
            written = writeFile(stem + QStringLiteral(".response.txt"), goldenResponseText(r));
        if (written && !r.mismatches.isEmpty())
            written =
                writeFile(stem + QStringLiteral(".diff.txt"), goldenDiffText(r.mismatches).toUtf8() + '\n');
    }
    if (!written) {
        QDir(dir).removeRecursively();
        return endGolden(false, written.error().message);
    }
    withKey([this, golden, dir, junit] {
        RunImport request;
        request.source = golden->source;
        request.sourceKind = TestSourceKind::Golden;
        request.runKey = QStringLiteral("golden:") + golden->stamp;
        request.title = Tr::tr("Golden run %1")
                            .arg(QLocale().toString(golden->startedAt.toLocalTime(), QLocale::ShortFormat));
        request.origin = dir;
        request.branch = golden->settings.gitRef;
        request.commit = golden->commit;
        request.event = QStringLiteral("golden");
        request.startedAt = golden->startedAt;
        QBuffer buffer;
        buffer.setData(junit);
        buffer.open(QIODevice::ReadOnly);
        const auto run = TestRunStore::importReport(buffer, request, m_key.value_or(QByteArray()));
        if (!run) {
            QDir(dir).removeRecursively();
            return endGolden(false, run.error().message);
        }
        const JUnitTotals &t = run->totals;
        endGolden(true,
                  Tr::tr("%1: %2 of %3 cases passed, %4 failed, %5 without an answer.")
                          .arg(golden->source)
                          .arg(t.passed)
                          .arg(t.tests)
                          .arg(t.failed)
                          .arg(t.errors) +
                      (golden->mockNote.isEmpty() ? QString() : QLatin1Char(' ') + golden->mockNote),
                  run->runId);
        notifyFor(run->runId);
        postTelemetry(run->runId);
        publishRun(run->runId);
        retainSoon();
    });
}

void TestRunsService::endGolden(bool ok, const QString &message, qint64 runId)
{
    const std::shared_ptr<GoldenJob> golden = std::exchange(m_golden, nullptr);
    if (!golden)
        return;
    if (golden->runner)
        golden->runner->deleteLater();
    emit goldenFinished(golden->job, golden->sourceId, ok, message, runId);
}

} // namespace opsdeck
