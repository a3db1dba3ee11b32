#include "services/testruns/testrunsservice.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"
#include "services/testruns/runsigningkey.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonObject>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsService)
};
} // namespace

TestRunsService::TestRunsService()
{
    qRegisterMetaType<ImportJob>();
    qRegisterMetaType<ImportedRun>();
}

TestRunsService::~TestRunsService() = default;

void TestRunsService::setDemoMode(bool demo)
{
    if (demo)
        m_key = RunSigningKey::demoKey();
}

void TestRunsService::cancel(quint64 job)
{
    m_cancelled = job;
}

void TestRunsService::withKey(std::function<void()> then)
{
    if (m_key)
        return then();
    m_waiting << std::move(then);
    if (m_obtaining)
        return;
    m_obtaining = true;
    RunSigningKey::obtain(this, [this](const Result<QByteArray> &key) {
        m_obtaining = false;
        m_key = key ? key.value() : QByteArray();
        if (!key)
            emit signingUnavailable(
                Tr::tr("Runs are imported unsigned: the run-signing key is not available (%1)")
                    .arg(key.message()));
        const auto waiting = std::exchange(m_waiting, {});
        for (const auto &f : waiting)
            f();
    });
}

void TestRunsService::importReports(quint64 job, const ImportJob &what)
{
    withKey([this, job, what] { runImport(job, what); });
}

void TestRunsService::runImport(quint64 job, const ImportJob &what)
{
    const auto files = TestRunStore::reportFiles(what.paths);
    if (!files) {
        emit reportRefused(job, what.paths.join(QStringLiteral(", ")), files.error().code, files.message());
        emit importFinished(job, 0, 0, 1, false);
        return;
    }
    int imported = 0, already = 0, refused = 0;
    bool cancelled = false;
    for (int i = 0; i < files->size() && !cancelled; ++i) {
        const QString &path = files->at(i);
        RunImport request;
        request.source = what.source;
        request.branch = what.branch;
        request.commit = what.commit;
        emit importProgress(job, i, int(files->size()), 0, QFileInfo(path).size());
        const auto run = TestRunStore::importFile(
            path, request, m_key.value_or(QByteArray()), [&](qint64 bytes, qint64 total) {
                emit importProgress(job, i, int(files->size()), bytes, total);
                return m_cancelled.load() != job;
            });
        if (run) {
            run->alreadyImported ? ++already : ++imported;
            emit reportImported(job, path, run.value());
            continue;
        }
        if (run.error().code == QLatin1String("testrun.cancelled")) {
            cancelled = true;
            break;
        }
        ++refused;
        // The refusal in the audit log, with why.
        AuditEvent e;
        e.system = QStringLiteral("testruns");
        e.action = AuditAction::testrunImport;
        e.targetKind = QStringLiteral("run");
        e.targetName = what.source + QStringLiteral(" › ") + QFileInfo(path).fileName();
        e.outcome = AuditOutcome::Failure;
        e.comment = run.message();
        e.details = QJsonObject{{QStringLiteral("source"), what.source},
                                {QStringLiteral("origin"), path},
                                {QStringLiteral("code"), run.error().code}};
        if (auto r = AuditLog::record(e); !r)
            qWarning("testruns: a refused report was not audited: %s", qPrintable(r.message()));
        emit reportRefused(job, path, run.error().code, run.message());
    }
    emit importFinished(job, imported, already, refused, cancelled);
}

void TestRunsService::verifyRuns(const QList<qint64> &runIds)
{
    m_toVerify = runIds;
    if (m_toVerify.isEmpty())
        return;
    withKey([this] {
        if (!m_verifyQueued) {
            m_verifyQueued = true;
            QMetaObject::invokeMethod(this, &TestRunsService::verifyNext, Qt::QueuedConnection);
        }
    });
}

void TestRunsService::verifyNext()
{
    m_verifyQueued = false;
    if (m_toVerify.isEmpty())
        return;
    const qint64 run = m_toVerify.takeFirst();
    const QByteArray key = m_key.value_or(QByteArray());
    if (key.isEmpty()) {
        // Without the key nothing can be checked: the runs stay "checking…" no longer, but unverifiable.
        emit verifyFailed(Tr::tr("Signatures cannot be checked: the run-signing key is not available."));
        m_toVerify.clear();
        return;
    }
    const auto state = TestRunStore::verifyRun(Database::connection(), run, key);
    if (state)
        emit runVerified(run, int(state.value()));
    else if (state.error().code != QLatin1String("testrun.missing"))
        emit verifyFailed(state.message());
    if (!m_toVerify.isEmpty()) {
        m_verifyQueued = true;
        QMetaObject::invokeMethod(this, &TestRunsService::verifyNext, Qt::QueuedConnection);
    }
}

} // namespace opsdeck
