// Long audit-log work off the GUI thread: chain verification and exports with progress and
// cancel, and seeding the demo workspace's log. Lives on a worker thread of its own.
#pragma once

#include "models/audit/auditevent.h"
#include "services/connections/connectionservice.h"
#include "services/servicehost.h"

#include <QMutex>
#include <QSet>

class QTimer;

namespace opsdeck {

class AuditService : public Service
{
    Q_OBJECT
public:
    explicit AuditService(QObject *parent = nullptr);

    // Thread-safe: asks a running job to stop at its next progress step.
    void requestCancel(quint64 requestId);

public slots:
    void verify(quint64 requestId, qint64 fromEventId);
    // format: "csv" or "jsonl". Writes through a temporary file: never a half-written export.
    void exportToFile(quint64 requestId, const opsdeck::AuditFilter &filter, const QString &format,
                      const QString &path);
    // Fills an empty log with `count` realistic demo events (in batches, so the pane fills as it goes).
    void seedDemo(quint64 requestId, int count);
    // Records an action taken elsewhere (e.g. a PDF report written by the UI).
    void record(const opsdeck::AuditEvent &event);
    // The audit retention ([audit] keep_days; 0 keeps everything), applied now and every six hours
    // while automatic (not in the demo, a screenshot run or the start-up probe). teamJoined: only
    // events the team workspace has may go (services/store/auditretention.h).
    void setRetention(int keepDays, bool teamJoined, bool automatic);

signals:
    void progress(quint64 requestId, qint64 done, qint64 total);
    void verified(quint64 requestId, bool intact, qint64 firstBadId, const QString &message);
    void finished(quint64 requestId, const opsdeck::Outcome &outcome);
    // After each automatic prune that removed something or failed: what happened, for people.
    void retentionApplied(bool ok, const QString &message);

private:
    bool cancelled(quint64 requestId);
    void applyRetention();
    int m_keepDays = 0;
    bool m_teamJoined = false;
    QTimer *m_retentionTimer = nullptr;
    QString m_retentionProblem; // the last failure, recorded once
    QMutex m_mutex;
    QSet<quint64> m_cancelled;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::AuditFilter)
Q_DECLARE_METATYPE(opsdeck::AuditEvent)
