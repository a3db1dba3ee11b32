// TestRunsService, retention: automatic cleanups (at start and shortly after imports, when the
// application turns them on), the preview and Clean Up Now of the retention dialog, and kept runs.
#include "services/testruns/testrunsservice.h"

#include "models/audit/auditevent.h"
#include "models/store/database.h"
#include "services/store/auditlog.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

namespace opsdeck {

namespace {
Q_LOGGING_CATEGORY(lcRetention, "opsdeck.retention", QtInfoMsg)

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::TestRunsService)
};

constexpr int retentionDelayMs = 3000; // after the last import of a burst
} // namespace

void TestRunsService::setRetention(const RetentionRules &rules, bool automatic)
{
    m_retention = rules;
    m_autoRetention = automatic;
    if (automatic)
        runCleanUp(0, rules);
}

void TestRunsService::retainSoon()
{
    if (!m_autoRetention)
        return;
    if (!m_retentionTimer) {
        m_retentionTimer = new QTimer(this);
        m_retentionTimer->setSingleShot(true);
        m_retentionTimer->setInterval(retentionDelayMs);
        connect(m_retentionTimer, &QTimer::timeout, this, [this] { runCleanUp(0, m_retention); });
    }
    m_retentionTimer->start();
}

void TestRunsService::previewRetention(quint64 job, const RetentionRules &rules)
{
    const auto plan = TestRunStore::planRetention(Database::connection(), rules,
                                                  QDateTime::currentDateTimeUtc(), m_artifactsDir);
    if (!plan) {
        emit retentionPreviewed(job, false, plan.error().message, {});
        return;
    }
    emit retentionPreviewed(job, true, retentionSummaryText(plan->summary, true), plan->summary);
}

void TestRunsService::cleanUp(quint64 job, const RetentionRules &rules)
{
    runCleanUp(job, rules);
}

void TestRunsService::runCleanUp(quint64 job, const RetentionRules &rules)
{
    if (Database::isReadOnly()) {
        // An automatic cleanup has nothing to say about a read-only cache; one asked for does.
        if (job)
            emit cleanedUp(job, false, Tr::tr("The cache is open read-only: nothing can be cleaned up."), {});
        return;
    }
    const auto done =
        TestRunStore::applyRetention(rules, QDateTime::currentDateTimeUtc(), m_artifactsDir,
                                     job ? QStringLiteral("manual") : QStringLiteral("automatic"));
    if (!done) {
        qCWarning(lcRetention).noquote() << "The test runs' cleanup failed:" << done.error().message;
        AuditEvent e;
        e.system = QStringLiteral("testruns");
        e.action = AuditAction::testrunRetention;
        e.targetKind = QStringLiteral("cache");
        e.targetName = Tr::tr("test runs");
        e.outcome = AuditOutcome::Failure;
        e.details = QJsonObject{
            {QStringLiteral("trigger"), job ? QStringLiteral("manual") : QStringLiteral("automatic")},
            {QStringLiteral("error"), done.error().code},
            {QStringLiteral("message"), done.error().message}};
        if (auto r = AuditLog::record(e); !r)
            qCWarning(lcRetention).noquote() << "The failed cleanup was not audited:" << r.message();
        emit cleanedUp(job, false,
                       Tr::tr("The cleanup failed, nothing was removed: %1").arg(done.error().message), {});
        return;
    }
    QString message = retentionSummaryText(done->summary, false);
    if (!done->folderProblems.isEmpty()) {
        message += QLatin1Char(' ') + Tr::tr("These artifact folders could not be removed: %1")
                                          .arg(done->folderProblems.join(QStringLiteral(", ")));
        qCWarning(lcRetention).noquote() << "Artifact folders left behind:" << done->folderProblems;
    }
    if (!done->summary.isEmpty())
        qCInfo(lcRetention).noquote() << message;
    if (job || !done->summary.isEmpty())
        emit cleanedUp(job, true, message, done->summary);
}

void TestRunsService::keepRun(quint64 job, qint64 runId, bool kept)
{
    const auto r = TestRunStore::keepRun(runId, kept);
    emit runKept(
        job, runId, bool(r),
        r ? (kept ? Tr::tr("This run is kept through every cleanup.")
                  : Tr::tr("This run is cleaned up like any other once the retention limits reach it."))
          : r.error().message);
}

} // namespace opsdeck
