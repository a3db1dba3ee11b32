// Offboarding one person everywhere at once: the plan (every step, from what the cache knows of
// them), and its record in the cache, step by step, so that an offboarding stopped by a failure or
// a restart resumes where it stood without repeating a step that is done.
//
// The steps, in order: deactivate them in the workspace (which also revokes their store login);
// take them out of each GitHub connection's organization; delete their idle runners, and record the
// busy ones (left to finish their job); stop their deployments (the projects they last deployed);
// take them out of Harbor projects and block them on LiteLLM. A step for a system with no
// connection, or that has nothing of theirs, is listed as skipped, with why.
#pragma once

#include "models/core/result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace opsdeck {

namespace OffboardingKind {
inline const QString workspace = QStringLiteral("workspace");
inline const QString githubMember = QStringLiteral("github.member");
inline const QString runnerDelete = QStringLiteral("runner.delete");
inline const QString runnerBusy = QStringLiteral("runner.busy");
inline const QString deploymentStop = QStringLiteral("deployment.stop");
inline const QString harborMember = QStringLiteral("harbor.member");
inline const QString litellmBlock = QStringLiteral("litellm.block");
} // namespace OffboardingKind

namespace OffboardingState {
inline const QString pending = QStringLiteral("pending");
inline const QString running = QStringLiteral("running");
inline const QString done = QStringLiteral("done");
inline const QString failed = QStringLiteral("failed");
inline const QString skipped = QStringLiteral("skipped");
} // namespace OffboardingState

struct OffboardingStep
{
    int seq = 0;
    QString kind;
    qint64 connectionId = 0; // 0: none
    QString target;          // an organization, a runner id, a project
    QString title;           // "Remove alice-m from the GitHub organization acme (acme-gh)"
    QString state = OffboardingState::pending;
    QString detail; // why it is skipped, what failed, what was found
    bool finished() const { return state == OffboardingState::done || state == OffboardingState::skipped; }
};

struct Offboarding
{
    qint64 id = 0;
    QString login;
    QString comment;
    QString startedBy;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString state; // running, incomplete, done
    QList<OffboardingStep> steps;
    int finishedSteps() const;
};

// Every step for the person, from the cache: their record in the copy of the workspace, the
// connections, their runners and their deployments. "workspace.no-person" when there is none.
Result<QList<OffboardingStep>> planOffboarding(QSqlDatabase cache, const QString &login);

namespace OffboardingStore {
// Writes go through this thread's cache connection in one transaction each, announced
// (offboardings, offboarding_steps). Records a new offboarding with its steps; its id.
Result<qint64> start(const QString &login, const QString &comment, const QString &startedBy,
                     const QList<OffboardingStep> &steps);
Result<Offboarding> load(QSqlDatabase cache, qint64 id);
// The person's newest offboarding that is not done, if any.
Result<std::optional<qint64>> unfinished(QSqlDatabase cache, const QString &login);
Result<void> setStep(qint64 id, int seq, const QString &state, const QString &detail);
// done when every step is done or skipped, else incomplete.
Result<QString> finish(qint64 id);
} // namespace OffboardingStore

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::OffboardingStep)
