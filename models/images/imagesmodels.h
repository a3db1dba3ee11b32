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

// The workspace's projects, with what links to each: its allowlist entries, the Harbor project of
// the same name (and whether Harbor itself prevents vulnerable pulls there), and the running
// containers deployed for it (models/images/gatemodels.h, ContainerProjects).
class ProjectsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Managers, Members, Entries, Harbor, Running, ColumnCount };
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

// Exposure: the running containers of every host against the allowlist and the scans. A container
// is exposed when its image is not allowed now (an entry expired), was never allowed, has findings
// at or above the threshold, or its allowing entry expires within the chosen days.
class ExposureModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Host, Container, Image, Allowlist, Scan, Exposure, ColumnCount };
    enum ExtraRoles { ConnectionRole = RawRole + 1, ContainerIdRole, ExposedRole, ReferenceRole };
    explicit ExposureModel(QObject *parent = nullptr);
    // Findings at or above this severity expose (Severity as int; default High); entries that expire
    // within days expose (default 14). Changing either reloads.
    void setThreshold(int severity);
    void setDays(int days);
    int threshold() const { return m_threshold; }
    int days() const { return m_days; }

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    int m_threshold = 5; // Severity::High
    int m_days = 14;
};

} // namespace opsdeck
