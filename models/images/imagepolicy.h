// The image policy every deploy passes before anything runs: each image a quick service or a compose
// project would run, decided by the team's allowlist (the cache's copy, models/images/imagecopy.h)
// for the deploy's project at that moment, a tag resolved through the synced registries for digest
// pins, and by the vulnerability gate (models/images/vulngate.h) with the scans the cache holds.
// Images that compose builds locally are reported as such and not decided. The allowlist is in
// force once it has an entry (a workspace that keeps none allows every image), the gate once a
// setting blocks something.
#pragma once

#include "models/images/allowlist.h"
#include "models/images/registryindex.h"
#include "models/images/vulngate.h"

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
    GateVerdict gate;     // what the vulnerability gate says (nothing when it is off)
    QString line() const; // "web: nginx:1.27 allowed by global entry 3 …" / "… refused: …"
};

struct PolicyCheck
{
    bool enforced = false; // false: no allowlist and no gate, nothing decided
    QList<PolicyVerdict> verdicts;
    bool allowed() const;
    QStringList refusals() const; // one line per refused image
};

struct ImagePolicy
{
    Allowlist allowlist;
    RegistryIndex registries;
    VulnGate gate;
    ImageScans scans;
    bool enforced = false; // the allowlist is
    QStringList problems;  // rows of the copy that no longer read as entries
};
// "workspace.read" / "cache.read" when the cache cannot be read.
Result<ImagePolicy> readImagePolicy(QSqlDatabase cache);

PolicyCheck checkImages(const ImagePolicy &policy, const QList<PolicyImage> &images, const QString &project,
                        const QDateTime &now);

} // namespace opsdeck
