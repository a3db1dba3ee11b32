#include "services/store/auditservice.h"

#include "models/store/database.h"
#include "services/store/auditexport.h"
#include "services/store/auditlog.h"
#include "services/store/auditretention.h"
#include "services/store/demoworkspace.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QSqlQuery>
#include <QTimer>

Q_LOGGING_CATEGORY(lcAudit, "opsdeck.audit", QtInfoMsg)

namespace opsdeck {

AuditService::AuditService(QObject *parent) : Service(parent)
{
    qRegisterMetaType<opsdeck::AuditFilter>();
    qRegisterMetaType<opsdeck::AuditEvent>();
    qRegisterMetaType<opsdeck::Outcome>();
}

namespace {
constexpr int retentionEveryMs = 6 * 60 * 60 * 1000;
}

void AuditService::setRetention(int keepDays, bool teamJoined, bool automatic)
{
    m_keepDays = keepDays;
    m_teamJoined = teamJoined;
    if (!automatic || keepDays <= 0) {
        if (m_retentionTimer)
            m_retentionTimer->stop();
        return;
    }
    if (!m_retentionTimer) {
        m_retentionTimer = new QTimer(this);
        m_retentionTimer->setInterval(retentionEveryMs);
        connect(m_retentionTimer, &QTimer::timeout, this, &AuditService::applyRetention);
    }
    m_retentionTimer->start();
    applyRetention();
}

void AuditService::applyRetention()
{
    if (m_keepDays <= 0 || Database::isReadOnly())
        return;
    const auto done = AuditRetention::apply(m_keepDays, QDateTime::currentDateTimeUtc(), m_teamJoined,
                                            QStringLiteral("automatic"));
    if (!done) {
        qCWarning(lcAudit).noquote() << "The audit retention removed nothing:" << done.message();
        if (done.message() != m_retentionProblem) {
            // Said once in the log of actions, not every six hours.
            m_retentionProblem = done.message();
            (void)AuditLog::record(
                AuditRetention::failureEvent(m_keepDays, done.error(), QStringLiteral("automatic")));
            emit retentionApplied(false, done.message());
        }
        return;
    }
    m_retentionProblem.clear();
    if (done->removesNothing())
        return;
    const QString text = AuditRetention::summaryText(*done, true);
    qCInfo(lcAudit).noquote() << text;
    emit retentionApplied(true, text);
}

void AuditService::requestCancel(quint64 requestId)
{
    QMutexLocker lock(&m_mutex);
    m_cancelled.insert(requestId);
}

bool AuditService::cancelled(quint64 requestId)
{
    QMutexLocker lock(&m_mutex);
    return m_cancelled.contains(requestId);
}

void AuditService::verify(quint64 requestId, qint64 fromEventId)
{
    QElapsedTimer timer;
    timer.start();
    const auto result = AuditLog::verify(Database::connection(), fromEventId, [&](qint64 done, qint64 total) {
        emit progress(requestId, done, total);
        return !cancelled(requestId);
    });
    if (!result) {
        emit verified(requestId, false, 0, result.message());
        return emit finished(requestId, Outcome::failure(result.error()));
    }
    qCInfo(lcAudit).noquote() << "verified" << result->eventsChecked << "events in" << timer.elapsed()
                              << "ms:" << (result->ok ? QStringLiteral("intact") : result->message);
    emit verified(requestId, result->ok, result->firstBadId, result->message);
    emit finished(requestId, result->ok ? Outcome::success(result->message)
                                        : Outcome{false, QStringLiteral("audit.broken"), result->message});
}

void AuditService::exportToFile(quint64 requestId, const AuditFilter &filter, const QString &format,
                                const QString &path)
{
    const auto fmt = AuditExport::formatFromId(format);
    AuditEvent event;
    event.action = AuditAction::auditExport;
    event.system = QStringLiteral("opsdeck");
    event.targetKind = QStringLiteral("file");
    event.targetName = path;
    event.details =
        QJsonObject{{QStringLiteral("format"), format}, {QStringLiteral("filter"), describeFilter(filter)}};
    const auto fail = [&](const Error &error) {
        event.outcome = AuditOutcome::Failure;
        event.details.insert(QStringLiteral("error"), error.message);
        if (error.code != QLatin1String("export.cancelled"))
            (void)AuditLog::record(event);
        emit finished(requestId, Outcome::failure(error));
    };
    if (!fmt)
        return fail(makeError("export.format", tr("Unknown export format \"%1\".").arg(format)));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(makeError("export.write", tr("Cannot write %1: %2").arg(path, file.errorString())));
    const auto written =
        AuditExport::write(Database::connection(), filter, *fmt, &file, [&](qint64 done, qint64 total) {
            emit progress(requestId, done, total);
            return !cancelled(requestId);
        });
    if (!written) {
        file.cancelWriting();
        return fail(written.error());
    }
    if (!file.commit())
        return fail(makeError("export.write", tr("Cannot write %1: %2").arg(path, file.errorString())));
    event.details.insert(QStringLiteral("events"), written.value());
    if (auto r = AuditLog::record(event); !r)
        qCWarning(lcAudit).noquote() << "cannot write the audit log:" << r.message();
    emit finished(requestId, Outcome::success(
                                 tr("Exported %n event(s) to %1.", nullptr, int(written.value())).arg(path)));
}

void AuditService::seedDemo(quint64 requestId, int count)
{
    QSqlDatabase db = Database::connection();
    {
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_events")) && q.next() &&
            q.value(0).toInt() >= count)
            return emit finished(requestId, Outcome::success());
    }
    QElapsedTimer timer;
    timer.start();
    const auto result = DemoWorkspace::seedAudit(count, [&](qint64 done, qint64 total) {
        emit progress(requestId, done, total);
        return !cancelled(requestId);
    });
    if (!result)
        return emit finished(requestId, Outcome::failure(result.error()));
    qCInfo(lcAudit).noquote() << "demo audit log:" << count << "events in" << timer.elapsed() << "ms";
    emit finished(requestId, Outcome::success());
}

void AuditService::record(const AuditEvent &event)
{
    if (auto r = AuditLog::record(event); !r)
        qCWarning(lcAudit).noquote() << "cannot write the audit log:" << r.message();
}

} // namespace opsdeck
