// The people of the team workspace, from the cache's copy (workspace_people, written by the
// workspace service), with the runners each one provisioned; for the Users pane.
#pragma once

#include "models/store/cachetablemodel.h"
#include "models/workspace/permissions.h"

namespace opsdeck {

class PeopleModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column {
        Login,
        Name,
        Email,
        Role,
        Active,
        GitHub,
        Runners,
        LastSeen,
        Reviewed,
        Identities,
        ColumnCount
    };
    enum ExtraRoles { RoleRole = RawRole + 1, ActiveRole, HarborRole, LiteLlmRole, OidcRole };

    explicit PeopleModel(QObject *parent = nullptr);

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

// The grants of the team workspace, from the cache's copy: for the Users pane's "why can (or
// can't) this person do this".
class GrantsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Subject, Action, Scope, Effect, GrantedBy, ColumnCount };
    // "role" or "person", and the role or the login.
    enum ExtraRoles { SubjectKindRole = RawRole + 1, SubjectRole };
    explicit GrantsModel(QObject *parent = nullptr);
    QList<WorkspaceGrant> grants() const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck
