// Golden suites run by Opsdeck: reads a suite's case files (golden.h), sends each case's request to
// the suite's base URL, at most `concurrency` at once, each once (no retries: a golden case checks
// what the server answers the first time) within the suite's timeout, and compares the answer with
// what the case expects. Lives on the calling thread's event loop (the TestRunsService thread);
// cancel() stops what is under way and keeps nothing.
#pragma once

#include "models/core/result.h"
#include "models/testruns/goldensuite.h"

#include <QList>
#include <QObject>
#include <QSet>

namespace opsdeck {

class HttpClient;

// The suite's case files (*.json under folder, recursively, in path order), each parsed; a file that
// cannot be read or parsed becomes a case with loadError set, so the run shows it. Errors: "golden.path"
// (no such folder), "golden.empty" (no case file). Blocking: call it off the GUI thread.
Result<QList<GoldenResult>> loadGoldenCases(const QString &folder);

class GoldenRunner : public QObject
{
    Q_OBJECT
public:
    explicit GoldenRunner(QObject *parent = nullptr);
    ~GoldenRunner() override;

    void start(const GoldenSuiteSettings &settings, const QList<GoldenResult> &cases);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void progress(int done, int total);
    // Every case's result, in the cases' order; cancelled: stopped before all were answered.
    void finished(const QList<opsdeck::GoldenResult> &results, bool cancelled);

private:
    void sendNext();
    void finish();
    HttpClient *m_http;
    GoldenSuiteSettings m_settings;
    QList<GoldenResult> m_results;
    int m_next = 0;
    int m_done = 0;
    int m_inFlight = 0;
    bool m_running = false;
    bool m_cancelled = false;
    QSet<quint64> m_requests;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::GoldenResult)
