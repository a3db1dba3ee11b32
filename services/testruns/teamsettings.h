// A team's test-run settings on this desktop: who may change a source or a mock (testrun.source on
// source:NAME, testrun.mock on mock:NAME, decided from the cache's copy of the workspace before
// anything is written, a refusal audited), what of a local source or mock is shared with the team
// (models/testruns/teamrecords.h), and the team's sources, notifications and mocks from the
// workspace's copy applied to this desktop's own (schema 27 → test_sources, test_source_notify,
// test_mocks).
#pragma once

#include "models/core/result.h"
#include "models/testruns/teamrecords.h"

#include <QSqlDatabase>
#include <QStringList>

namespace opsdeck::TeamSettings {

// The acting person may take action ("testrun.source", "testrun.mock") on the source or mock named;
// a refusal ("permission.denied", naming who and why) is audited as auditAction refused.
Result<void> mayChange(const QString &action, const QString &name, const QString &auditAction);

// What the team gets of a local source (with its notifications) and of a local mock.
Result<TeamTestSource> sharedSource(QSqlDatabase db, qint64 sourceId);
Result<TeamMock> sharedMock(QSqlDatabase db, qint64 mockId);

// The team's sources, notifications and mocks applied where this desktop's differ: a source or mock
// the desktop lacks is added, one it has is changed to the team's (its local-only parts, such as the
// Jira account, kept). Nothing is removed here. Each change is audited like one made by hand.
struct Adoption
{
    int sources = 0;
    int mocks = 0;
    QStringList problems; // what could not be applied, and why
};
Adoption adopt();

} // namespace opsdeck::TeamSettings
