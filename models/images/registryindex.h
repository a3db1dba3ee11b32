// What the synced registries hold (cache schema 15), indexed by normalised name, and what that says
// about an allowlist entry: the repository or tag is gone, or the tag's digest has moved since the
// entry was approved. Read on any thread with that thread's connection; the marks are pure.
#pragma once

#include "models/images/allowlist.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>

namespace opsdeck {

struct RegistryIndex
{
    QSet<QString> registries;           // normalised hosts of the synced registry connections
    QSet<QString> repositories;         // "registry/repository"
    QHash<QString, QString> tagDigests; // "registry/repository:tag" -> digest
    QSet<QString> digests;              // "registry/repository@digest"
    bool covers(const QString &registry) const { return registries.contains(registry); }
};

// The registry host a connection's endpoint stands for ("https://harbor.example.com" ->
// "harbor.example.com", "http://127.0.0.1:5000" -> "127.0.0.1:5000").
QString registryHostOf(const QString &endpoint);
// Registries synced at least once, with their repositories and tags. "cache.read" when unreadable.
Result<RegistryIndex> readRegistryIndex(QSqlDatabase cache);

enum class RegistryMark { NotSynced, Present, RepositoryGone, TagGone, DigestMoved };
struct EntryMark
{
    RegistryMark mark = RegistryMark::NotSynced;
    QString detail; // for people: what is gone or where the digest moved
};
// approvedDigest: the digest the entry's tag had when it was approved (empty: not recorded).
EntryMark markEntry(const AllowEntry &entry, const QString &approvedDigest, const RegistryIndex &index);
QString markText(RegistryMark mark);

} // namespace opsdeck
