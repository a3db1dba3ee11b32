// Item models of the Test runs pane over the cache (schema 23): the runs with their totals and
// signature state, the cases of one run with their history over the source's last runs, what
// changed against the baseline and whether they are flaky, and the flaky cases of a source.
#pragma once

#include "models/store/cachetablemodel.h"
#include "models/testruns/insight.h"
#include "models/testruns/runrecord.h"

#include <QHash>

namespace opsdeck {

QString durationText(qint64 ms); // "850 ms", "12.4 s", "3 min 5 s"

// What a case that did not simply pass left behind in a run (test_case_details).
struct CaseDetails
{
    QString type;
    QString details;
    QString file;
    int line = 0;
    QString systemOut;
    QString systemErr;
};
// Empty details for a case that left nothing (a plain pass).
Result<CaseDetails> readCaseDetails(QSqlDatabase db, qint64 runId, qint64 keyId);
// The run before runId of the same source and branch (0: none): the automatic baseline.
Result<qint64> previousRunOf(QSqlDatabase db, qint64 runId);
// A run's cases for compareRuns (keys as "suite › classname › name", repeats numbered).
Result<QList<CaseResult>> readRunResults(QSqlDatabase db, qint64 runId);

class TestRunsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column {
        Started,
        Source,
        Run,
        Branch,
        Commit,
        Tests,
        Passed,
        Failed,
        Errors,
        Skipped,
        Flaky,
        PassRate,
        Duration,
        Signature,
        ColumnCount
    };
    // The source's id; whether the run has a signature to check; its notes (a list); its state
    // (SignatureState as int, -1 while not checked yet).
    // OriginRole: where the run came from (a file, an artifact, a golden run's artifacts folder);
    // SourceKindRole: "files", "github" or "golden".
    enum ExtraRoles {
        SourceIdRole = RawRole + 1,
        SignedRole,
        NotesRole,
        SignatureStateRole,
        EventRole,
        OriginRole,
        SourceKindRole,
        KeptRole // kept through every cleanup (test_runs.pinned)
    };
    explicit TestRunsModel(QObject *parent = nullptr);

    // The outcome of checking a run's signature (the pane's worker does it).
    void setSignatureState(qint64 runId, SignatureState state);
    std::optional<SignatureState> signatureState(qint64 runId) const;
    // Forgets every outcome: each run shows "checking…" until it is checked again.
    void clearSignatureStates();
    // The runs whose signature is still to be checked, newest first.
    QList<qint64> uncheckedRuns() const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    QHash<qint64, SignatureState> m_states;
};

// What a case did against the baseline run.
enum class CaseChange { Same, NewFailure, Fixed, StillFailing, Added };
QString caseChangeText(CaseChange change);

// One entry of a case's history strip: its outcome in one of the source's runs, oldest first.
struct HistoryCell
{
    int outcome = -1; // CaseOutcome, -1: the case was not in that run
    bool flaky = false;
    qint64 durationMs = 0;
};

class TestCasesModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column {
        Outcome,
        Name,
        Class,
        Suite,
        Duration,
        History,
        Change,
        FlakyVerdictColumn,
        Message,
        ColumnCount
    };
    // HistoryRole: QVariantList of QVariantMap {outcome, flaky, ms}, oldest first, this run last.
    enum ExtraRoles {
        OutcomeRole = RawRole + 1,
        HistoryRole,
        ChangeRole,
        FlakyRole,
        KeyIdRole,
        LastFailureRole,
        EvidenceRole,
        RerunRole // passed on a rerun within this run
    };
    explicit TestCasesModel(QObject *parent = nullptr);

    // The run shown (0: none), the baseline (0: the previous run of its source and branch), how
    // many runs the history covers, and the flaky rules.
    void setRun(qint64 runId, qint64 baselineRunId = 0);
    void setRules(const FlakyRules &rules);
    qint64 runId() const { return m_run; }
    // Which run the baseline turned out to be (0: none), once loaded.
    qint64 baselineRunId() const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    qint64 m_run = 0;
    qint64 m_baseline = 0;
    FlakyRules m_rules;
};

// The cases of a source that the flaky rules mark over its last runs, with the evidence.
class FlakyCasesModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Class, Suite, Verdict, Runs, Flips, Reruns, Rate, LastFailure, ColumnCount };
    explicit FlakyCasesModel(QObject *parent = nullptr);
    void setSource(qint64 sourceId);
    void setRules(const FlakyRules &rules);

    // The verdicts the rules give each case of the source's last runs (pure over the cache; the
    // settings preview uses it with rules not saved yet).
    struct Judged
    {
        qint64 keyId = 0;
        QString suite, classname, name;
        FlakyVerdict verdict;
        QString lastFailure;
    };
    static Result<QList<Judged>> judge(QSqlDatabase db, qint64 sourceId, const FlakyRules &rules);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    qint64 m_source = 0;
    FlakyRules m_rules;
};

} // namespace opsdeck
