// The Test runs pane's worker: imports JUnit reports (files and folders) one transaction per file,
// signing each run with the key from the keychain, and checks runs' signatures against the cache,
// off the GUI thread. Jobs carry an id; a cancelled import keeps nothing of the file it was reading.
#pragma once

#include "services/servicehost.h"
#include "services/testruns/testrunstore.h"

#include <QHash>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace opsdeck {

struct ImportJob
{
    QStringList paths; // files or folders
    QString source = QStringLiteral("files");
    QString branch;
    QString commit;
};

class TestRunsService : public Service
{
    Q_OBJECT
public:
    TestRunsService();
    ~TestRunsService() override;

    // The demo signs and checks with RunSigningKey::demoKey() and never asks the keychain.
    void setDemoMode(bool demo);
    // Thread-safe: stops the job's import after the batch it is writing (that file is rolled back).
    void cancel(quint64 job);

public slots:
    void importReports(quint64 job, const opsdeck::ImportJob &what);
    // Checks the runs' signatures one at a time, in the order given, between other work; a later
    // call replaces what is left of an earlier one.
    void verifyRuns(const QList<qint64> &runIds);

signals:
    // files: how many reports the job has; file: the one being read (from 0); bytes of it read.
    void importProgress(quint64 job, int file, int files, qint64 bytes, qint64 total);
    // One report: imported (runId), already there (alreadyImported), or refused (error).
    void reportImported(quint64 job, const QString &path, const opsdeck::ImportedRun &run);
    void reportRefused(quint64 job, const QString &path, const QString &code, const QString &message);
    void importFinished(quint64 job, int imported, int already, int refused, bool cancelled);
    // Why runs are imported unsigned (no keychain, say); once per service run.
    void signingUnavailable(const QString &message);
    void runVerified(qint64 runId, int state);
    void verifyFailed(const QString &message);

private:
    void runImport(quint64 job, const ImportJob &what);
    std::optional<QByteArray> m_key; // empty array: obtained and unavailable
    bool m_obtaining = false;
    QList<std::function<void()>> m_waiting;
    void verifyNext();
    void withKey(std::function<void()> then);
    std::atomic<quint64> m_cancelled{0};
    QList<qint64> m_toVerify;
    bool m_verifyQueued = false;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::ImportJob)
Q_DECLARE_METATYPE(opsdeck::ImportedRun)
