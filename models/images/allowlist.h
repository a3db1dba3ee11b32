// The image allowlist's rules, pure: what an entry may say, how a reference is normalised, and
// which entry (if any) allows an image in a project at a moment.
//
// References are compared normalised, as the engine pulls them: Docker Hub is "docker.io" however
// it is written (nothing, docker.io, index.docker.io, registry-1.docker.io), its one-component
// names are "library/NAME", registry hosts compare case-insensitively, and a reference without tag
// or digest means ":latest".
//
// An entry is one of:
//   - an exact tag             registry.example.com/team/app:1.27
//   - a tag pattern            nginx:1.27-*            ('*' matches any run of tag characters)
//   - any tag of a repository  nginx
//   - a pinned digest          nginx@sha256:…          (the image's own digest, or the one its tag
//                                                      resolves to in a synced registry)
//   - a namespace              registry.example.com/team/*  (every repository under team/, any tag;
//                                                      "REGISTRY/*" for all of one registry)
// Matching is by components, never by text prefix: registry.example.com/team/* does not allow
// registry.example.com.evil.net/team/x (another host) or registry.example.com/teamx/y (another
// namespace).
#pragma once

#include "models/core/result.h"
#include "models/docker/imagereference.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace opsdeck {

struct NormalizedImage
{
    QString registry;   // "docker.io", "registry.example.com:5000"
    QString repository; // "library/nginx", "team/app"
    QString tag;        // "latest" when neither tag nor digest was given; empty with a digest only
    QString digest;     // "sha256:…" or empty
    QString name() const { return registry + QLatin1Char('/') + repository; }
    QString toString() const; // "docker.io/library/nginx:1.27"
};
NormalizedImage normalizeImage(const ImageReference &reference);
// The registry host as compared: lower case, Docker Hub's aliases as "docker.io".
QString normalizeRegistry(const QString &registry);

struct AllowEntry
{
    enum class Kind { Tag, TagPattern, Repository, Digest, Namespace };
    qint64 id = 0;
    Kind kind = Kind::Tag;
    QString registry;   // normalised
    QString repository; // normalised; for a namespace, the namespace ("team"), or empty for a whole registry
    QString tag;        // Tag: the tag; TagPattern: the pattern
    QString digest;     // Digest: the pinned digest
    QString project;    // empty: global (everywhere)
    QString addedBy;
    QString reason;
    QDateTime addedAt;
    QDateTime expiresAt;      // invalid: never
    QString text() const;     // the entry as written back, normalised ("docker.io/library/nginx:1.27-*")
    QString describe() const; // "global entry 12: docker.io/library/nginx:1.27-* (alice: base images)"
    bool expired(const QDateTime &now) const { return expiresAt.isValid() && now >= expiresAt; }
};

// An entry from its text ("nginx:1.27-*", "registry.example.com/team/*", "nginx@sha256:…");
// "image.entry" with what is wrong.
Result<AllowEntry> parseAllowEntry(const QString &text);

struct AllowDecision
{
    bool allowed = false;
    std::optional<AllowEntry> entry; // the deciding entry, or an expired one that would have allowed
    QString reason;                  // for people: which entry allows it, or why nothing does
};

// The entries, indexed for many questions (a deploy of a compose file, a pipeline's check of
// thousands of references): repositories by name, namespaces by their path.
class Allowlist
{
public:
    explicit Allowlist(const QList<AllowEntry> &entries = {});
    // Whether image may run in project (empty: outside any project) at now. Project entries apply
    // to their project only, global ones everywhere; an expired entry never allows, but is named.
    // resolvedDigest: what the image's tag points to in a synced registry, for digest pins.
    AllowDecision decide(const NormalizedImage &image, const QString &project, const QDateTime &now,
                         const QString &resolvedDigest = {}) const;
    int size() const { return int(m_entries.size()); }
    const QList<AllowEntry> &entries() const { return m_entries; }

private:
    bool matches(const AllowEntry &e, const NormalizedImage &image, const QString &resolvedDigest) const;
    QList<AllowEntry> m_entries;
    QHash<QString, QList<int>> m_byName;      // "registry/repository" -> entries of that repository
    QHash<QString, QList<int>> m_byNamespace; // "registry/namespace" ("registry/" for all of it) -> entries
};

} // namespace opsdeck
