#include "models/images/registryindex.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::RegistryIndex)
};
} // namespace

QString registryHostOf(const QString &endpoint)
{
    const QUrl url(endpoint.trimmed());
    if (url.host().isEmpty())
        return {};
    QString host = url.host().toLower();
    if (url.port() > 0)
        host += QLatin1Char(':') + QString::number(url.port());
    return normalizeRegistry(host);
}

Result<RegistryIndex> readRegistryIndex(QSqlDatabase cache)
{
    RegistryIndex index;
    QHash<qint64, QString> hosts;
    QSqlQuery q(cache);
    if (!q.exec(QStringLiteral(
            "SELECT c.id, c.endpoint FROM connections c JOIN sync_state s ON s.connection_id = c.id "
            "AND s.scope = 'images' WHERE s.last_success_at IS NOT NULL")))
        return makeError("cache.read",
                         Tr::tr("Cannot read the synced registries: %1").arg(q.lastError().text()));
    while (q.next()) {
        const QString host = registryHostOf(q.value(1).toString());
        hosts.insert(q.value(0).toLongLong(), host);
        index.registries.insert(host);
    }
    if (!q.exec(QStringLiteral("SELECT connection_id, name FROM registry_repositories")))
        return makeError("cache.read",
                         Tr::tr("Cannot read the synced registries: %1").arg(q.lastError().text()));
    while (q.next())
        if (const auto host = hosts.constFind(q.value(0).toLongLong()); host != hosts.constEnd())
            index.repositories.insert(*host + QLatin1Char('/') + q.value(1).toString());
    if (!q.exec(QStringLiteral("SELECT connection_id, repository, tag, digest FROM registry_tags")))
        return makeError("cache.read",
                         Tr::tr("Cannot read the synced registries: %1").arg(q.lastError().text()));
    while (q.next()) {
        const auto host = hosts.constFind(q.value(0).toLongLong());
        if (host == hosts.constEnd())
            continue;
        const QString name = *host + QLatin1Char('/') + q.value(1).toString();
        if (!q.value(2).toString().isEmpty())
            index.tagDigests.insert(name + QLatin1Char(':') + q.value(2).toString(), q.value(3).toString());
        if (!q.value(3).toString().isEmpty())
            index.digests.insert(name + QLatin1Char('@') + q.value(3).toString());
    }
    return index;
}

EntryMark markEntry(const AllowEntry &entry, const QString &approvedDigest, const RegistryIndex &index)
{
    if (!index.covers(entry.registry))
        return {};
    const QString name = entry.registry + QLatin1Char('/') + entry.repository;
    switch (entry.kind) {
    case AllowEntry::Kind::Namespace:
        return {RegistryMark::Present, {}};
    case AllowEntry::Kind::Repository:
    case AllowEntry::Kind::TagPattern:
        if (!index.repositories.contains(name))
            return {RegistryMark::RepositoryGone, Tr::tr("%1 is not in the registry").arg(name)};
        return {RegistryMark::Present, {}};
    case AllowEntry::Kind::Digest:
        if (!index.repositories.contains(name))
            return {RegistryMark::RepositoryGone, Tr::tr("%1 is not in the registry").arg(name)};
        if (!index.digests.contains(name + QLatin1Char('@') + entry.digest))
            return {RegistryMark::TagGone, Tr::tr("%1 has no manifest %2").arg(name, entry.digest.left(19))};
        return {RegistryMark::Present, {}};
    case AllowEntry::Kind::Tag: {
        if (!index.repositories.contains(name))
            return {RegistryMark::RepositoryGone, Tr::tr("%1 is not in the registry").arg(name)};
        const auto digest = index.tagDigests.constFind(name + QLatin1Char(':') + entry.tag);
        if (digest == index.tagDigests.constEnd())
            return {RegistryMark::TagGone, Tr::tr("the tag %1 is not in %2").arg(entry.tag, name)};
        if (!approvedDigest.isEmpty() && !digest->isEmpty() && *digest != approvedDigest)
            return {RegistryMark::DigestMoved,
                    Tr::tr("%1 pointed at %2 when approved, now at %3")
                        .arg(entry.tag, approvedDigest.left(19), digest->left(19))};
        return {RegistryMark::Present, {}};
    }
    }
    return {};
}

QString markText(RegistryMark mark)
{
    switch (mark) {
    case RegistryMark::NotSynced:
        return Tr::tr("Not in a synced registry");
    case RegistryMark::Present:
        return Tr::tr("In the registry");
    case RegistryMark::RepositoryGone:
        return Tr::tr("Repository gone");
    case RegistryMark::TagGone:
        return Tr::tr("Tag gone");
    case RegistryMark::DigestMoved:
        return Tr::tr("Digest moved since approval");
    }
    return {};
}

} // namespace opsdeck
