// The test-run records a team shares through its workspace (workspace schema 10): each source's
// settings without secrets and who hears of its runs, the mock servers, and every imported run's
// canonical signed record (models/testruns/runrecord.h). Pure: the records, what is wrong with one
// before the store is asked, what of a desktop's own source may be shared, and the audit events.
#pragma once

#include "models/audit/auditevent.h"
#include "models/core/result.h"
#include "models/testruns/notifications.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

namespace opsdeck {

struct TeamTestSource
{
    QString name;
    QString kind;       // "files", "github", "golden"
    QJsonObject detail; // sharedSourceDetail's: no secrets, no ids of one desktop's cache
    NotifyWhen slack = NotifyWhen::Off;
    NotifyWhen jira = NotifyWhen::Off;
    QString jiraSite;
    QString jiraProject;
    QString jiraIssueType = QStringLiteral("Bug");
    QString updatedBy;
    QDateTime updatedAt;
};

struct TeamMock
{
    QString name;
    QString url;
    QString healthPath = QStringLiteral("/");
    int intervalSec = 60;
    QString dockerConnection; // the Docker connection's name ("" : not run by a known container)
    QString container;
    QString updatedBy;
    QDateTime updatedAt;
};

// A published run: the canonical bytes exactly as signed, so that any desktop holding the team's
// key verifies them as they came.
struct TeamRunRecord
{
    QString source;
    QString runKey;
    QByteArray record;    // canonicalRunRecord's bytes
    QByteArray signature; // lowercase hex HMAC-SHA256; empty: unsigned
    QString keyId;        // runSigningKeyId of the key that signed it; empty: unsigned
    QString desktop;      // the desktop that imported it
    QString publishedBy;
    QDateTime publishedAt;
};

// The largest record a workspace takes (16 MiB of canonical JSON, some 100,000 cases): a larger run
// stays on the desktop that imported it, and says so.
constexpr qsizetype teamRecordMaxBytes = 16 * 1024 * 1024;

// "testrun.team" errors that name the field and what is wrong.
Result<void> checkTeamSource(const TeamTestSource &source);
Result<void> checkTeamMock(const TeamMock &mock);
Result<void> checkTeamRunRecord(const TeamRunRecord &record);

// What of a source's local settings (test_sources.detail) a team shares: a golden suite's git address
// without credentials and its mock by name instead of this cache's id; the Docker or GitHub
// connection by name. Nothing else a desktop keeps to itself.
QJsonObject sharedSourceDetail(const QString &kind, const QJsonObject &local, const QString &connectionName,
                               const QString &mockName);

// The scope a grant names a shared source or mock by, as the store's functions build it: the facet
// and the name with its spaces as underscores ("source:api_tests", "mock:payments").
QString testRunScope(const QString &facet, const QString &name);

// Names a run-signing key without giving it away: the first 16 hex digits of its SHA-256, so that a
// desktop tells "signed with another key" from "tampered".
QString runSigningKeyId(const QByteArray &key);

// A change to a source's shared settings or a mock, asked for in the Test runs pane.
struct TestRunRecordChange
{
    enum class Kind { SetSource, RemoveSource, SetMock, RemoveMock };
    Kind kind = Kind::SetSource;
    TeamTestSource source; // SetSource; RemoveSource by source.name
    TeamMock mock;         // SetMock; RemoveMock by mock.name
    QJsonValue before;     // what the copy held (null: nothing), for the audit event
    QString name() const;
    QString describe() const; // "change the test-run source api-tests", "remove the mock payments"
    QString auditAction() const;
};

Result<void> validateTestRunRecordChange(const TestRunRecordChange &change);
QJsonObject teamSourceJson(const TeamTestSource &source);
QJsonObject teamMockJson(const TeamMock &mock);

// The audit event of a change made or refused, with what was there before and what it set.
AuditEvent testRunRecordEvent(const TestRunRecordChange &change, const QString &actor,
                              const QString &workspace, const Result<void> &outcome);
// The audit event of publishing runs: the runs published, those there already, those refused.
AuditEvent testRunPublishEvent(const QStringList &published, const QStringList &already,
                               const QStringList &problems, const QString &actor, const QString &workspace);

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::TestRunRecordChange)
Q_DECLARE_METATYPE(opsdeck::TeamRunRecord)
