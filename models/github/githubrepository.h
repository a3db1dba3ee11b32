// GitHub's repository object (components/schemas/full-repository), as the template generate
// answer and GET /repos/{owner}/{repo} return it, reduced to what a deploy needs. Pure; fuzzed in
// tests/fuzz.
#pragma once

#include "models/core/result.h"

#include <QString>

namespace opsdeck {

struct GitHubRepository
{
    QString fullName;
    QString cloneUrl;
    QString htmlUrl;
    QString defaultBranch; // empty while GitHub is still creating it
    // GitHub fills a generated repository in the background. Its answer has a default branch as
    // soon as the repository exists; the branch has a commit once the template's content is in,
    // which the deploy asks git itself (remoteBranchCommit), as "size" stays 0 for small repositories.
    bool hasDefaultBranch() const { return !defaultBranch.isEmpty(); }
};

// Names the first missing or mistyped field the deploy needs.
Result<GitHubRepository> parseRepository(const QByteArray &body);

// A clone URL is used with the connection's token, so it must point at the GitHub the API
// endpoint belongs to: the same host, or the host without its "api." (api.github.com ->
// github.com, api.acme.ghe.com -> acme.ghe.com), over https (or http/git where the endpoint
// itself is not https, as a local GitHub Enterprise Server may be).
Result<void> checkCloneUrl(const QString &cloneUrl, const QString &apiEndpoint);

} // namespace opsdeck
