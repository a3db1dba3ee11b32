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

// Lower-case letters, digits and single hyphens: "My App!" -> "my-app"; empty for nothing usable.
QString sanitizeRepositoryName(const QString &text);

} // namespace opsdeck
