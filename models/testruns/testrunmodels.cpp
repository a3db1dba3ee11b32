#include "models/testruns/testrunmodels.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck {

namespace {
QString localTime(const QVariant &stored)
{
    const QDateTime t = QDateTime::fromString(stored.toString(), Qt::ISODateWithMs);
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString outcomeText(int outcome, bool flaky)
{
    switch (outcome) {
    case int(CaseOutcome::Passed):
        return flaky ? QObject::tr("passed on a rerun") : QObject::tr("passed");
    case int(CaseOutcome::Failed):
        return QObject::tr("failed");
    case int(CaseOutcome::Errored):
        return QObject::tr("error");
    case int(CaseOutcome::Skipped):
        return QObject::tr("skipped");
    }
    return QObject::tr("not run");
}

bool failing(int outcome)
{
    return outcome == int(CaseOutcome::Failed) || outcome == int(CaseOutcome::Errored);
}

// The runs of a source that a history window over runId covers, oldest first (runId last).
Result<QList<qint64>> windowRuns(QSqlDatabase db, qint64 runId, int size)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT r.id FROM test_runs r JOIN test_runs me ON me.id = ? WHERE r.source_id = me.source_id AND "
        "(r.started_at < me.started_at OR (r.started_at = me.started_at AND r.id <= me.id)) "
        "ORDER BY r.started_at DESC, r.id DESC LIMIT ?"));
    q.addBindValue(runId);
    q.addBindValue(qMax(1, size));
    if (!q.exec())
        return Database::describe(q.lastError(), QObject::tr("Reading the runs of a test source"));
    QList<qint64> ids;
    while (q.next())
        ids.prepend(q.value(0).toLongLong());
    return ids;
}

// The previous run of the same source and branch.
Result<qint64> automaticBaseline(QSqlDatabase db, qint64 runId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT r.id FROM test_runs r JOIN test_runs me ON me.id = ? WHERE r.source_id = me.source_id AND "
        "r.branch = me.branch AND r.id <> me.id AND (r.started_at < me.started_at OR (r.started_at = "
        "me.started_at AND r.id < me.id)) ORDER BY r.started_at DESC, r.id DESC LIMIT 1"));
    q.addBindValue(runId);
    if (!q.exec())
        return Database::describe(q.lastError(), QObject::tr("Finding the baseline run"));
    return q.next() ? q.value(0).toLongLong() : qint64(0);
}

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(','));
}

struct KeyHistory
{
    QList<HistoryCell> cells; // one per window run
    QString lastFailure;      // the newest failure message in the window
};

// Each case's outcomes in the window's runs (integers only in the IN list: no injection).
Result<QHash<qint64, KeyHistory>> histories(QSqlDatabase db, const QList<qint64> &window)
{
    QHash<qint64, int> position;
    for (int i = 0; i < window.size(); ++i)
        position.insert(window.at(i), i);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT key_id, run_id, outcome, flaky, duration_ms, CASE WHEN outcome IN (1, 2) "
                           "THEN message ELSE '' END FROM test_cases WHERE run_id IN (%1)")
                .arg(idList(window))))
        return Database::describe(q.lastError(), QObject::tr("Reading the history of test cases"));
    QHash<qint64, KeyHistory> out;
    QHash<qint64, int> failureAt;
    while (q.next()) {
        KeyHistory &h = out[q.value(0).toLongLong()];
        if (h.cells.isEmpty())
            h.cells.resize(window.size());
        const int at = position.value(q.value(1).toLongLong());
        HistoryCell &cell = h.cells[at];
        cell.outcome = q.value(2).toInt();
        cell.flaky = q.value(3).toBool();
        cell.durationMs = q.value(4).toLongLong();
        if (failing(cell.outcome)) {
            const qint64 key = q.value(0).toLongLong();
            if (!failureAt.contains(key) || failureAt.value(key) < at) {
                failureAt.insert(key, at);
                h.lastFailure = q.value(5).toString();
            }
        }
    }
    return out;
}

QList<CaseResult> resultsOf(const QList<HistoryCell> &cells)
{
    QList<CaseResult> out;
    for (const HistoryCell &c : cells)
        if (c.outcome >= 0) {
            CaseResult r;
            r.outcome = CaseOutcome(c.outcome);
            r.flaky = c.flaky;
            r.durationMs = c.durationMs;
            out << r;
        }
    return out;
}

QVariantList historyVariant(const QList<HistoryCell> &cells)
{
    QVariantList out;
    for (const HistoryCell &c : cells)
        out << QVariantMap{{QStringLiteral("outcome"), c.outcome},
                           {QStringLiteral("flaky"), c.flaky},
                           {QStringLiteral("ms"), c.durationMs}};
    return out;
}
} // namespace

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return QObject::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return QObject::tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60);
}

Result<CaseDetails> readCaseDetails(QSqlDatabase db, qint64 runId, qint64 keyId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT type, details, file, line, system_out, system_err FROM test_case_details WHERE "
        "run_id = ? AND key_id = ?"));
    q.addBindValue(runId);
    q.addBindValue(keyId);
    if (!q.exec())
        return Database::describe(q.lastError(), QObject::tr("Reading what a test case left behind"));
    CaseDetails d;
    if (q.next()) {
        d.type = q.value(0).toString();
        d.details = q.value(1).toString();
        d.file = q.value(2).toString();
        d.line = q.value(3).toInt();
        d.systemOut = q.value(4).toString();
        d.systemErr = q.value(5).toString();
    }
    return d;
}

Result<qint64> previousRunOf(QSqlDatabase db, qint64 runId)
{
    return automaticBaseline(db, runId);
}

Result<QList<CaseResult>> readRunResults(QSqlDatabase db, qint64 runId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT k.case_key, c.outcome, c.flaky, c.duration_ms FROM test_cases c JOIN "
                             "test_case_keys k ON k.id = c.key_id WHERE c.run_id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return Database::describe(q.lastError(), QObject::tr("Reading the cases of test run %1").arg(runId));
    QList<CaseResult> out;
    while (q.next()) {
        CaseResult r;
        r.key = q.value(0).toString();
        r.outcome = CaseOutcome(qBound(0, q.value(1).toInt(), 3));
        r.flaky = q.value(2).toBool();
        r.durationMs = q.value(3).toLongLong();
        out << r;
    }
    return out;
}

QString caseChangeText(CaseChange change)
{
    switch (change) {
    case CaseChange::Same:
        return {};
    case CaseChange::NewFailure:
        return QObject::tr("new failure");
    case CaseChange::Fixed:
        return QObject::tr("fixed");
    case CaseChange::StillFailing:
        return QObject::tr("still failing");
    case CaseChange::Added:
        return QObject::tr("new case");
    }
    return {};
}

// ---- runs ----

TestRunsModel::TestRunsModel(QObject *parent) : CacheTableModel(parent)
{
    reload();
}

QStringList TestRunsModel::headers() const
{
    return {tr("Started"), tr("Source"),    tr("Run"),      tr("Branch"),   tr("Commit"),
            tr("Tests"),   tr("Passed"),    tr("Failed"),   tr("Errors"),   tr("Skipped"),
            tr("Flaky"),   tr("Pass rate"), tr("Duration"), tr("Signature")};
}

QStringList TestRunsModel::watchedTables() const
{
    return {QStringLiteral("test_runs"), QStringLiteral("test_sources")};
}

CacheLoader TestRunsModel::loader() const
{
    return [](QSqlDatabase db) -> Result<CacheRows> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT r.id, r.started_at, s.name, r.title, r.branch, r.commit_sha, "
                                   "r.tests, r.passed, r.failed, "
                                   "r.errors, r.skipped, r.flaky, r.duration_ms, r.signature <> '', "
                                   "r.source_id, r.notes, r.event, r.origin, s.kind, r.pinned "
                                   "FROM test_runs r JOIN test_sources s ON s.id = r.source_id ORDER BY "
                                   "r.started_at DESC, r.id DESC")))
            return Database::describe(q.lastError(), tr("Reading the test runs"));
        CacheRows rows;
        while (q.next()) {
            CacheRow row;
            row.key = q.value(0);
            const int tests = q.value(6).toInt();
            const int skipped = q.value(10).toInt();
            const int judged = tests - skipped;
            const double rate = judged > 0 ? 100.0 * q.value(7).toInt() / judged : -1;
            QStringList notes;
            for (const QJsonValue &v : QJsonDocument::fromJson(q.value(15).toString().toUtf8()).array())
                notes << v.toString();
            row.values = {q.value(1).toString(),    q.value(2).toString(),
                          q.value(3).toString(),    q.value(4).toString(),
                          q.value(5).toString(),    tests,
                          q.value(7).toInt(),       q.value(8).toInt(),
                          q.value(9).toInt(),       skipped,
                          q.value(11).toInt(),      rate,
                          q.value(12).toLongLong(), q.value(13).toBool() ? 1 : 0,
                          q.value(14).toLongLong(), notes,
                          q.value(16).toString(),   q.value(17).toString(),
                          q.value(18).toString(),   q.value(19).toBool()};
            rows << row;
        }
        return rows;
    };
}

void TestRunsModel::setSignatureState(qint64 runId, SignatureState state)
{
    m_states.insert(runId, state);
    const int row = rowOfKey(runId);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TestRunsModel::clearSignatureStates()
{
    m_states.clear();
    if (rowCount() > 0)
        emit dataChanged(index(0, Signature), index(rowCount() - 1, Signature));
}

std::optional<SignatureState> TestRunsModel::signatureState(qint64 runId) const
{
    const auto it = m_states.constFind(runId);
    if (it == m_states.cend())
        return std::nullopt;
    return *it;
}

QList<qint64> TestRunsModel::uncheckedRuns() const
{
    QList<qint64> out;
    for (int i = 0; i < rowCount(); ++i) {
        const CacheRow &r = rowAt(i);
        if (r.values.value(Signature).toInt() == 1 && !m_states.contains(r.key.toLongLong()))
            out << r.key.toLongLong();
    }
    return out;
}

QVariant TestRunsModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    const qint64 id = row.key.toLongLong();
    const auto state = m_states.constFind(id);
    const bool tampered = state != m_states.cend() && *state == SignatureState::Tampered;
    switch (role) {
    case SourceIdRole:
        return row.values.value(ColumnCount);
    case SignedRole:
        return row.values.value(Signature).toInt() == 1;
    case NotesRole:
        return row.values.value(ColumnCount + 1);
    case EventRole:
        return row.values.value(ColumnCount + 2);
    case OriginRole:
        return row.values.value(ColumnCount + 3);
    case SourceKindRole:
        return row.values.value(ColumnCount + 4);
    case KeptRole:
        return row.values.value(ColumnCount + 5);
    case SignatureStateRole:
        if (row.values.value(Signature).toInt() == 0)
            return int(SignatureState::Unsigned);
        return state == m_states.cend() ? -1 : int(*state);
    case Qt::DisplayRole:
        switch (column) {
        case Started:
            return localTime(raw);
        case Commit:
            return raw.toString().left(10);
        case PassRate:
            return raw.toDouble() < 0 ? QString()
                                      : QLocale().toString(raw.toDouble(), 'f', 1) + QStringLiteral(" %");
        case Duration:
            return durationText(raw.toLongLong());
        case Signature:
            if (raw.toInt() == 0)
                return signatureStateText(SignatureState::Unsigned);
            return state == m_states.cend() ? tr("checking…") : signatureStateText(*state);
        default:
            return raw;
        }
    case Qt::ToolTipRole:
        if (column == Signature) {
            if (raw.toInt() == 0)
                return tr("This run was imported without a signing key, so edits to it cannot be detected.");
            if (tampered)
                return tr("The run's record no longer matches its signature: its source, totals or a case's "
                          "outcome or duration were changed after it was imported.");
            if (state != m_states.cend() && *state == SignatureState::OtherKey)
                return tr("A teammate published this run from the team workspace, signed with a key your "
                          "keychain does not hold, so it cannot be checked on this desktop.");
            if (state == m_states.cend())
                return tr("The signature is being checked.");
            return tr("The run's record matches the signature made with the key in your keychain.");
        }
        if (column == Run) {
            QStringList lines{raw.toString()};
            if (row.values.value(ColumnCount + 5).toBool())
                lines << tr("Kept through every cleanup.");
            const QStringList notes = row.values.value(ColumnCount + 1).toStringList();
            if (!notes.isEmpty())
                lines << QString() << notes;
            return lines.join(QLatin1Char('\n'));
        }
        if (column == Commit)
            return raw;
        return {};
    case Qt::TextAlignmentRole:
        if (column >= Tests && column <= Duration)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

// ---- cases of a run ----

TestCasesModel::TestCasesModel(QObject *parent) : CacheTableModel(parent) {}

void TestCasesModel::setRun(qint64 runId, qint64 baselineRunId)
{
    if (runId == m_run && baselineRunId == m_baseline)
        return;
    m_run = runId;
    m_baseline = baselineRunId;
    reload();
}

void TestCasesModel::setRules(const FlakyRules &rules)
{
    if (rules == m_rules)
        return;
    m_rules = rules;
    reload();
}

qint64 TestCasesModel::baselineRunId() const
{
    return rowCount() > 0 ? rowAt(0).values.value(ColumnCount + 3).toLongLong() : 0;
}

QStringList TestCasesModel::headers() const
{
    return {tr("Outcome"), tr("Case"),   tr("Class"), tr("Suite"),  tr("Duration"),
            tr("History"), tr("Change"), tr("Flaky"), tr("Message")};
}

QStringList TestCasesModel::watchedTables() const
{
    return {QStringLiteral("test_cases"), QStringLiteral("test_runs")};
}

CacheLoader TestCasesModel::loader() const
{
    return [run = m_run, picked = m_baseline, rules = m_rules](QSqlDatabase db) -> Result<CacheRows> {
        if (run <= 0)
            return CacheRows{};
        const auto window = windowRuns(db, run, rules.window);
        if (!window)
            return window.error();
        qint64 baseline = picked;
        if (baseline <= 0) {
            const auto automatic = automaticBaseline(db, run);
            if (!automatic)
                return automatic.error();
            baseline = automatic.value();
        }
        auto history = histories(db, window.value());
        if (!history)
            return history.error();
        // The baseline's outcomes, from the window when it is there.
        QHash<qint64, int> base;
        if (baseline > 0) {
            QSqlQuery b(db);
            b.setForwardOnly(true);
            b.prepare(QStringLiteral("SELECT key_id, outcome FROM test_cases WHERE run_id = ?"));
            b.addBindValue(baseline);
            if (!b.exec())
                return Database::describe(b.lastError(), tr("Reading the baseline run"));
            while (b.next())
                base.insert(b.value(0).toLongLong(), b.value(1).toInt());
        }
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT c.key_id, k.name, k.classname, k.suite, c.outcome, c.flaky, c.duration_ms, "
            "c.message FROM test_cases c JOIN test_case_keys k ON k.id = c.key_id WHERE "
            "c.run_id = ?"));
        q.addBindValue(run);
        if (!q.exec())
            return Database::describe(q.lastError(), tr("Reading the cases of a test run"));
        CacheRows rows;
        while (q.next()) {
            const qint64 key = q.value(0).toLongLong();
            const int outcome = q.value(4).toInt();
            const KeyHistory h = history->value(key);
            CaseChange change = CaseChange::Same;
            if (baseline > 0) {
                const auto it = base.constFind(key);
                if (it == base.cend())
                    change = CaseChange::Added;
                else if (failing(outcome))
                    change = failing(*it)                      ? CaseChange::StillFailing
                             : *it == int(CaseOutcome::Passed) ? CaseChange::NewFailure
                                                               : CaseChange::Same;
                else if (outcome == int(CaseOutcome::Passed) && failing(*it))
                    change = CaseChange::Fixed;
            }
            const FlakyVerdict verdict = judgeFlaky(resultsOf(h.cells), rules);
            CacheRow row;
            row.key = key;
            row.values = {outcome, q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                          q.value(6).toLongLong(), historyVariant(h.cells), int(change), verdict.flaky,
                          q.value(7).toString(),
                          // hidden: rerun flag, evidence, last failure, baseline used
                          q.value(5).toBool(), verdict.evidence, h.lastFailure, baseline};
            rows << row;
        }
        return rows;
    };
}

QVariant TestCasesModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    const int outcome = row.values.value(Outcome).toInt();
    const bool rerun = row.values.value(ColumnCount).toBool();
    const auto change = CaseChange(row.values.value(Change).toInt());
    switch (role) {
    case OutcomeRole:
        return outcome;
    case HistoryRole:
        return row.values.value(History);
    case ChangeRole:
        return int(change);
    case FlakyRole:
        return row.values.value(FlakyVerdictColumn);
    case KeyIdRole:
        return row.key;
    case EvidenceRole:
        return row.values.value(ColumnCount + 1);
    case RerunRole:
        return rerun;
    case LastFailureRole:
        return row.values.value(ColumnCount + 2);
    case Qt::DisplayRole:
        switch (column) {
        case Outcome:
            return outcomeText(outcome, rerun);
        case Duration:
            return durationText(raw.toLongLong());
        case History:
            return {}; // painted by the pane's strip delegate
        case Change:
            return caseChangeText(change);
        case FlakyVerdictColumn:
            return raw.toBool() ? tr("flaky") : QString();
        case Message:
            return raw.toString().section(QLatin1Char('\n'), 0, 0);
        default:
            return raw;
        }
    case Qt::ToolTipRole:
        if (column == FlakyVerdictColumn || column == History)
            return row.values.value(ColumnCount + 1);
        if (column == Message)
            return raw;
        return {};
    case Qt::TextAlignmentRole:
        if (column == Duration)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

// ---- flaky cases of a source ----

FlakyCasesModel::FlakyCasesModel(QObject *parent) : CacheTableModel(parent) {}

void FlakyCasesModel::setSource(qint64 sourceId)
{
    if (sourceId == m_source)
        return;
    m_source = sourceId;
    reload();
}

void FlakyCasesModel::setRules(const FlakyRules &rules)
{
    if (rules == m_rules)
        return;
    m_rules = rules;
    reload();
}

QStringList FlakyCasesModel::headers() const
{
    return {tr("Case"),  tr("Class"),  tr("Suite"),     tr("Why"),         tr("Runs"),
            tr("Flips"), tr("Reruns"), tr("Flip rate"), tr("Last failure")};
}

QStringList FlakyCasesModel::watchedTables() const
{
    return {QStringLiteral("test_cases"), QStringLiteral("test_runs")};
}

Result<QList<FlakyCasesModel::Judged>> FlakyCasesModel::judge(QSqlDatabase db, qint64 sourceId,
                                                              const FlakyRules &rules)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "SELECT id FROM test_runs WHERE source_id = ? ORDER BY started_at DESC, id DESC LIMIT 1"));
    q.addBindValue(sourceId);
    if (!q.exec())
        return Database::describe(q.lastError(), tr("Reading the runs of a test source"));
    if (!q.next())
        return QList<Judged>{};
    const auto window = windowRuns(db, q.value(0).toLongLong(), rules.window);
    if (!window)
        return window.error();
    const auto history = histories(db, window.value());
    if (!history)
        return history.error();
    QList<Judged> out;
    for (auto it = history->cbegin(); it != history->cend(); ++it) {
        const FlakyVerdict verdict = judgeFlaky(resultsOf(it->cells), rules);
        if (!verdict.flaky)
            continue;
        Judged j;
        j.keyId = it.key();
        j.verdict = verdict;
        j.lastFailure = it->lastFailure;
        out << j;
    }
    if (out.isEmpty())
        return out;
    QStringList ids;
    for (const Judged &j : std::as_const(out))
        ids << QString::number(j.keyId);
    QSqlQuery k(db);
    if (!k.exec(QStringLiteral("SELECT id, suite, classname, name FROM test_case_keys WHERE id IN (%1)")
                    .arg(ids.join(QLatin1Char(',')))))
        return Database::describe(k.lastError(), tr("Reading test case names"));
    QHash<qint64, std::tuple<QString, QString, QString>> names;
    while (k.next())
        names.insert(k.value(0).toLongLong(),
                     {k.value(1).toString(), k.value(2).toString(), k.value(3).toString()});
    for (Judged &j : out) {
        const auto n = names.value(j.keyId);
        j.suite = std::get<0>(n);
        j.classname = std::get<1>(n);
        j.name = std::get<2>(n);
    }
    std::sort(out.begin(), out.end(), [](const Judged &a, const Judged &b) {
        return std::tie(b.verdict.rate, a.name) < std::tie(a.verdict.rate, b.name);
    });
    return out;
}

CacheLoader FlakyCasesModel::loader() const
{
    return [source = m_source, rules = m_rules](QSqlDatabase db) -> Result<CacheRows> {
        if (source <= 0)
            return CacheRows{};
        const auto judged = judge(db, source, rules);
        if (!judged)
            return judged.error();
        CacheRows rows;
        for (const Judged &j : judged.value()) {
            CacheRow row;
            row.key = j.keyId;
            const QString why = j.verdict.byRerun && j.verdict.byHistory ? tr("rerun and history")
                                : j.verdict.byRerun                      ? tr("passed on a rerun")
                                                                         : tr("flips between runs");
            row.values = {j.name,         j.classname,       j.suite,          why,
                          j.verdict.runs, j.verdict.flips,   j.verdict.reruns, j.verdict.rate,
                          j.lastFailure,  j.verdict.evidence};
            rows << row;
        }
        return rows;
    };
}

QVariant FlakyCasesModel::cellData(const CacheRow &row, int column, int role) const
{
    const QVariant raw = row.values.value(column);
    switch (role) {
    case Qt::DisplayRole:
        if (column == Rate)
            return QLocale().toString(raw.toDouble() * 100, 'f', 0) + QStringLiteral(" %");
        if (column == LastFailure)
            return raw.toString().section(QLatin1Char('\n'), 0, 0);
        return raw;
    case Qt::ToolTipRole:
        return column == LastFailure ? raw : row.values.value(ColumnCount);
    case Qt::TextAlignmentRole:
        if (column >= Runs && column <= Rate)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

} // namespace opsdeck
