// The vulnerability gate over the cache: its settings (the workspace's and each project's, with the
// gate in force there), its CVE exceptions, and what a proposed setting would newly block among the
// running containers, the recent deploys and the allowlist's images (the preview a stricter
// setting shows before it is saved).
#pragma once

#include "models/images/imagepolicy.h"
#include "models/store/cachetablemodel.h"

#include <QJsonObject>

namespace opsdeck {

class GateSettingsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Scope, Threshold, NeverScanned, InForce, ChangedBy, Changed, Comment, ColumnCount };
    // The project (empty: the workspace), the threshold's name (empty: none), block never scanned.
    enum ExtraRoles { ProjectRole = RawRole + 1, ThresholdRole, BlockUnscannedRole };
    explicit GateSettingsModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

class CveExceptionsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Cve, Covers, Project, State, Expires, GrantedBy, Reason, ColumnCount };
    enum ExtraRoles { ExpiredRole = RawRole + 1, ProjectRole };
    explicit CveExceptionsModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

// The scan of a host's image: by one of the digests the host knows it by (RepoDigests) when a synced
// registry scanned that one, else by its reference. pinned: the image as judged.
ImageScan scanOfHostImage(const ImagePolicy &policy, const NormalizedImage &image, const QStringList &digests,
                          NormalizedImage *pinned);

// The image project a running container was deployed for: its opsdeck.image-project label (quick
// services), or for a compose project's container the one its latest deploy checked its images for.
class ContainerProjects
{
public:
    static Result<ContainerProjects> read(QSqlDatabase cache);
    QString of(const QJsonObject &labels) const;

private:
    QHash<QString, QString> m_composeProjects; // compose project -> image project
};

// Running containers, deploys that succeeded since since, and the images of the allowlist's entries
// (an exact tag or digest as it is; a pattern, a repository or a namespace by the synced tags it
// covers), each with its scan.
Result<QList<GateSubject>> readGateSubjects(QSqlDatabase cache, const ImagePolicy &policy,
                                            const QDateTime &since);

// What proposed would block that the gate in force does not, read from the cache.
Result<QList<GatePreviewRow>> previewGateChange(QSqlDatabase cache, const GateSetting &proposed,
                                                const QDateTime &now);

} // namespace opsdeck
