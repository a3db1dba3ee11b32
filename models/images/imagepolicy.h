// The image policy every deploy passes before anything runs: each image a quick service or a compose
// project would run, decided by the team's allowlist (the cache's copy, models/images/imagecopy.h)
// for the deploy's project at that moment, a tag resolved through the synced registries for digest
// pins. Images that compose builds locally are reported as such and not decided. The policy is in
// force once the allowlist has an entry: a workspace that keeps no allowlist gates nothing.
#pragma once

#include "models/images/allowlist.h"
#include "models/images/registryindex.h"

#include <QSqlDatabase>

namespace opsdeck {

struct PolicyImage
{
    QString service;   // the compose service, or empty for a quick service
    QString reference; // as written (after interpolation)
    bool builtLocally = false;
};

struct PolicyVerdict
{
    PolicyImage image;
    bool allowed = false;
    QString reason;       // the deciding entry, or the rule that refuses
    QString line() const; // "web: nginx:1.27 allowed by global entry 3 …" / "… refused: …"
};

struct PolicyCheck
{
    bool enforced = false; // false: no allowlist, nothing decided
    QList<PolicyVerdict> verdicts;
    bool allowed() const;
    QStringList refusals() const; // one line per refused image
};

struct ImagePolicy
{
    Allowlist allowlist;
    RegistryIndex registries;
    bool enforced = false;
    QStringList problems; // rows of the copy that no longer read as entries
};
// "workspace.read" / "cache.read" when the cache cannot be read.
Result<ImagePolicy> readImagePolicy(QSqlDatabase cache);

PolicyCheck checkImages(const ImagePolicy &policy, const QList<PolicyImage> &images, const QString &project,
                        const QDateTime &now);

} // namespace opsdeck
