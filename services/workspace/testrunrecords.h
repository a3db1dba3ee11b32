// The test-run records in the workspace store (schema 10, models/testruns/teamrecords.h): sources'
// shared settings and notifications, mocks, and published run records. On a team store every change
// goes through the store's functions (opsdeck_testrun_source_set, _source_remove, _mock_set,
// _mock_remove, _record_publish), which decide as the login signed in (testrun.source on
// source:NAME, testrun.mock on mock:NAME, testrun.record on source:NAME); on the local store the
// same rules as plain statements, for its one admin. Records are checked here first.
#pragma once

#include "models/core/result.h"
#include "models/testruns/teamrecords.h"
#include "services/workspace/workspacestore.h"

#include <QPair>
#include <QSet>
#include <QSqlDatabase>

#include <optional>

namespace opsdeck::TestRunRecords {

Result<void> setSource(const WorkspaceStore &store, const TeamTestSource &source);
// Whether there was such a source (its published runs stay).
Result<bool> removeSource(const WorkspaceStore &store, const QString &name);
Result<void> setMock(const WorkspaceStore &store, const TeamMock &mock);
Result<bool> removeMock(const WorkspaceStore &store, const QString &name);
// True when the record is new, false when the same bytes were published already; "workspace.exists"
// when other bytes were (a published record never changes).
Result<bool> publish(const WorkspaceStore &store, const TeamRunRecord &record);

Result<QList<TeamTestSource>> sources(const WorkspaceStore &store);
Result<QList<TeamMock>> mocks(const WorkspaceStore &store);

using RunKey = QPair<QString, QString>; // source, run key

// What the workspace service copies into the cache (schema 27). Sources and mocks replace their
// tables; run records are copied by difference: the bodies of those the copy lacks, and the keys of
// those the store no longer holds.
struct Copy
{
    std::optional<QList<TeamTestSource>> sources;
    std::optional<QList<TeamMock>> mocks;
    std::optional<QList<TeamRunRecord>> newRecords;
    QList<RunKey> goneRecords;
};
// held: the run records the copy has (readCopiedKeys).
Result<Copy> read(const WorkspaceStore &store, bool withSources, bool withMocks, bool withRecords,
                  const QSet<RunKey> &held);
Result<QSet<RunKey>> readCopiedKeys(QSqlDatabase cache);
// Inside the caller's cache transaction.
Result<void> writeCopy(QSqlDatabase cache, const Copy &copy);

} // namespace opsdeck::TestRunRecords
