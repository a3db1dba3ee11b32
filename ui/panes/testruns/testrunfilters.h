// The Test runs pane's filters over its models, and the colours it marks outcomes with: the runs of
// a source whose words match (failures red, a tampered record bold red), and the cases to show (all,
// failing, new failures, flaky, fixed, skipped) whose words match.
#pragma once

#include "models/store/cachetablemodel.h"
#include "models/testruns/junitreader.h"
#include "models/testruns/runrecord.h"
#include "models/testruns/testrunmodels.h"
#include "ui/common/tones.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QIcon>
#include <QSortFilterProxyModel>
#include <QStyle>

#include <initializer_list>

namespace opsdeck {

namespace TestRunStyle {

inline QFont boldFont()
{
    QFont f;
    f.setBold(true);
    return f;
}

// Whether each word is in one of the row's columns (raw values, case aside).
inline bool hasEveryWord(const QAbstractItemModel *m, int row, const QModelIndex &parent,
                         std::initializer_list<int> columns, const QStringList &words)
{
    for (const QString &w : words) {
        bool found = false;
        for (int c : columns)
            found = found || m->index(row, c, parent)
                                 .data(CacheTableModel::RawRole)
                                 .toString()
                                 .contains(w, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    return true;
}

inline bool failingOutcome(int outcome)
{
    return outcome == int(CaseOutcome::Failed) || outcome == int(CaseOutcome::Errored);
}
} // namespace TestRunStyle
enum class CaseShow { All, Failing, NewFailures, Flaky, Fixed, Skipped };

// Runs of one source (or all) whose words match; failures in red, a tampered record in bold red.
class RunFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    qint64 source = 0; // 0: every source
    QStringList words;
    void apply() { invalidateFilter(); }

    QVariant data(const QModelIndex &index, int role) const override
    {
        const int c = index.column();
        if (role == Qt::DecorationRole && c == TestRunsModel::Run &&
            index.data(TestRunsModel::KeptRole).toBool())
            // Kept through every cleanup.
            return QIcon::fromTheme(QStringLiteral("object-locked"),
                                    QApplication::style()->standardIcon(QStyle::SP_DialogApplyButton));
        if (role != Qt::ForegroundRole && role != Qt::FontRole)
            return QSortFilterProxyModel::data(index, role);
        if (role == Qt::ForegroundRole) {
            const int n = index.data(CacheTableModel::RawRole).toInt();
            if ((c == TestRunsModel::Failed || c == TestRunsModel::Errors) && n > 0)
                return toneColour(Tone::Bad);
            if (c == TestRunsModel::Flaky && n > 0)
                return toneColour(Tone::Warning);
            if (c == TestRunsModel::Signature) {
                const int state = index.data(TestRunsModel::SignatureStateRole).toInt();
                if (state == int(SignatureState::Tampered))
                    return toneColour(Tone::Bad);
                if (state == int(SignatureState::Verified))
                    return toneColour(Tone::Good);
            }
        }
        if (role == Qt::FontRole) {
            if (c == TestRunsModel::Signature &&
                index.data(TestRunsModel::SignatureStateRole).toInt() == int(SignatureState::Tampered))
                return TestRunStyle::boldFont();
            if (c == TestRunsModel::Run &&
                index.siblingAtColumn(TestRunsModel::Failed).data(CacheTableModel::RawRole).toInt() +
                        index.siblingAtColumn(TestRunsModel::Errors).data(CacheTableModel::RawRole).toInt() >
                    0)
                return TestRunStyle::boldFont();
        }
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QModelIndex first = m->index(row, 0, parent);
        if (source > 0 && first.data(TestRunsModel::SourceIdRole).toLongLong() != source)
            return false;
        return TestRunStyle::hasEveryWord(
            m, row, parent,
            {TestRunsModel::Source, TestRunsModel::Run, TestRunsModel::Branch, TestRunsModel::Commit}, words);
    }
};

// Cases to show (all, failing, new failures, flaky, fixed, skipped) whose words match.
class CaseFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    CaseShow show = CaseShow::All;
    QStringList words;
    void apply() { invalidateFilter(); }

    QVariant data(const QModelIndex &index, int role) const override
    {
        const int c = index.column();
        if (role == Qt::DecorationRole && c == TestRunsModel::Run &&
            index.data(TestRunsModel::KeptRole).toBool())
            // Kept through every cleanup.
            return QIcon::fromTheme(QStringLiteral("object-locked"),
                                    QApplication::style()->standardIcon(QStyle::SP_DialogApplyButton));
        if (role != Qt::ForegroundRole && role != Qt::FontRole)
            return QSortFilterProxyModel::data(index, role);
        const QModelIndex source = mapToSource(index);
        const int outcome = source.data(TestCasesModel::OutcomeRole).toInt();
        const auto change = CaseChange(source.data(TestCasesModel::ChangeRole).toInt());
        if (role == Qt::ForegroundRole) {
            if ((c == TestCasesModel::Outcome || c == TestCasesModel::Change) &&
                TestRunStyle::failingOutcome(outcome))
                return toneColour(Tone::Bad);
            if (c == TestCasesModel::Change && change == CaseChange::Fixed)
                return toneColour(Tone::Good);
            if ((c == TestCasesModel::FlakyVerdictColumn &&
                 source.data(TestCasesModel::FlakyRole).toBool()) ||
                (c == TestCasesModel::Outcome && source.data(TestCasesModel::RerunRole).toBool()))
                return toneColour(Tone::Warning);
        }
        if (role == Qt::FontRole && change == CaseChange::NewFailure &&
            (c == TestCasesModel::Change || c == TestCasesModel::Name))
            return TestRunStyle::boldFont();
        return QSortFilterProxyModel::data(index, role);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QModelIndex first = m->index(row, 0, parent);
        const int outcome = first.data(TestCasesModel::OutcomeRole).toInt();
        const auto change = CaseChange(first.data(TestCasesModel::ChangeRole).toInt());
        switch (show) {
        case CaseShow::All:
            break;
        case CaseShow::Failing:
            if (!TestRunStyle::failingOutcome(outcome))
                return false;
            break;
        case CaseShow::NewFailures:
            if (change != CaseChange::NewFailure)
                return false;
            break;
        case CaseShow::Flaky:
            if (!first.data(TestCasesModel::FlakyRole).toBool())
                return false;
            break;
        case CaseShow::Fixed:
            if (change != CaseChange::Fixed)
                return false;
            break;
        case CaseShow::Skipped:
            if (outcome != int(CaseOutcome::Skipped))
                return false;
            break;
        }
        return TestRunStyle::hasEveryWord(
            m, row, parent,
            {TestCasesModel::Name, TestCasesModel::Class, TestCasesModel::Suite, TestCasesModel::Message},
            words);
    }
};

} // namespace opsdeck
