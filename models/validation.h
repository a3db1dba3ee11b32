// Validation of the identifiers an admin types: each refusal names the rule it applies.
#pragma once

#include "result.h"

#include <QString>

namespace opsdeck {

// A GitHub user or organization login: 1 to 39 letters, digits or single hyphens, not starting
// or ending with a hyphen.
Result<void> validateGitHubOwner(const QString &owner);
// A GitHub repository name: 1 to 100 letters, digits, '.', '-' or '_', and not "." or "..".
Result<void> validateRepositoryName(const QString &name);

struct RepositoryId
{
    QString owner;
    QString name;
    QString fullName() const { return owner + QLatin1Char('/') + name; }
    bool operator==(const RepositoryId &) const = default;
};
// "owner/repo", both parts validated.
Result<RepositoryId> parseRepositoryId(const QString &text);
// A list of "owner/repo" separated by commas, spaces or new lines; duplicates are dropped.
Result<QList<RepositoryId>> parseRepositoryList(const QString &text);

} // namespace opsdeck
