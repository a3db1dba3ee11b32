// The sources of test runs that Opsdeck collects or runs itself: the GitHub sources (which repository
// of which connection, what they collected) and the workflow runs of one source with what became of
// their artifacts; the golden suites with their last run. All read the cache off the GUI thread
// (CacheTableModel).
#pragma once

#include "models/store/cachetablemodel.h"

namespace opsdeck {

class GitHubSourcesModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Repository, Artifacts, Connection, WorkflowRuns, Imported, LastChecked, ColumnCount };
    // The connection's id, the pattern, the first sync's run count (the row's settings).
    enum ExtraRoles { ConnectionIdRole = RawRole + 1, PatternRole, FirstRunsRole };
    explicit GitHubSourcesModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

class GoldenSourcesModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Cases, BaseUrl, AtOnce, Runs, LastRun, LastResult, ColumnCount };
    // The suite's settings (GoldenSuiteSettings::toJson) for editing.
    enum ExtraRoles { SettingsRole = RawRole + 1, LastRunIdRole };
    explicit GoldenSourcesModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

class WorkflowRunsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Created, Run, Branch, Commit, Event, Conclusion, ArtifactsRead, ColumnCount };
    explicit WorkflowRunsModel(QObject *parent = nullptr);
    // The source whose runs are listed (0: none).
    void setSource(qint64 sourceId);
    qint64 source() const { return m_source; }

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    qint64 m_source = 0;
};

} // namespace opsdeck
