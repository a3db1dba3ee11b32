// Clones a repository with libgit2 (token authentication over HTTPS, any transport libgit2
// speaks) into a directory, reporting progress and stopping when cancelled. Blocking: run it off
// any thread with an event loop that must stay responsive (the deploy jobs use a worker thread).
#pragma once

#include "models/core/result.h"

#include <QString>

#include <atomic>
#include <functional>

namespace opsdeck {

struct CloneOptions
{
    QString url;
    QString directory; // must not exist yet, or be empty
    QString token;     // sent as the password of user x-access-token when the server asks
    QString branch;    // empty: the remote's default branch
    std::function<void(int percent, const QString &text)> progress;
    const std::atomic_bool *cancel = nullptr;
};

// The commit checked out, or why the clone failed (the partial directory is removed).
Result<QString> cloneRepository(const CloneOptions &options);

// The commit a branch of a remote repository points to, asked over the same transport and with the
// same credentials as a clone (git's ref advertisement, as `git ls-remote` reads it): empty when the
// remote answers but has no such branch yet (a repository GitHub is still filling from its
// template), an error when it cannot be asked. Blocking, like cloneRepository.
struct RemoteBranchOptions
{
    QString url;
    QString token;
    QString branch; // "main"
    const std::atomic_bool *cancel = nullptr;
};
Result<QString> remoteBranchCommit(const RemoteBranchOptions &options);

// Lower-case letters, digits and single hyphens: "My App!" -> "my-app"; empty for nothing usable.
QString sanitizeRepositoryName(const QString &text);

} // namespace opsdeck
