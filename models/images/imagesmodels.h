// Item models of the Images pane over the cache: the allowlist (the workspace's copy, each entry
// marked with what the synced registries say of it), the requests with their decisions, the
// projects, and what the registries hold with Harbor's scan results.
#pragma once

#include "models/store/cachetablemodel.h"

namespace opsdeck {

class AllowlistModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Entry, Scope, Registry, Expires, Reason, AddedBy, Added, ColumnCount };
    // The registry mark (RegistryMark as int), its detail, and whether the entry has expired.
    enum ExtraRoles { MarkRole = RawRole + 1, MarkDetailRole, ExpiredRole };
    explicit AllowlistModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

class ImageRequestsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Reference, Project, State, RequestedBy, Requested, Reason, DecidedBy, Answer, ColumnCount };
    enum ExtraRoles { StateRole = RawRole + 1 };
    explicit ImageRequestsModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

class ProjectsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Managers, Members, Entries, ColumnCount };
    explicit ProjectsModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
};

class RegistryTagsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column {
        Registry,
        Repository,
        Tag,
        Digest,
        Kind,
        Platforms,
        Size,
        Pushed,
        Scan,
        Findings,
        ColumnCount
    };
    // The connection id, the full digest, and the severity's rank (None 0 … Critical 6, -1: never scanned).
    enum ExtraRoles { ConnectionRole = RawRole + 1, DigestRole, SeverityRankRole, ReferenceRole };
    explicit RegistryTagsModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

// The images on every Docker host, with the containers that use each; unused and dangling ones marked.
class HostImagesModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Host, Image, Id, Size, Created, UsedBy, State, ColumnCount };
    // The connection id, the full image ID, and the state ("in use", "unused", "dangling").
    enum ExtraRoles { ConnectionRole = RawRole + 1, ImageIdRole, StateRole };
    explicit HostImagesModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck
