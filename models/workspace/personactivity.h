// What one person of the workspace has and did, for the Users pane's detail: the runners they own
// (the team's record, else this desktop's provisioning record), their deployments (the quick
// services and compose projects they last deployed, models: the cache's deployment_owners), and
// their newest audit events (as the backend identity, or the OS user of a desktop of theirs; among
// the newest 100,000 of the log).
// Loaded on a worker thread like every cache model; setLogin() reloads.
#pragma once

#include "models/store/cachetablemodel.h"

namespace opsdeck {

class PersonActivityModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Kind, Name, Where, When, Detail, ColumnCount };
    enum ExtraRoles { KindRole = RawRole + 1 }; // "runner", "deployment" or "event"
    static constexpr int eventLimit = 50;
    // Their actions are looked for among the newest events only, so that a selection in a log of
    // millions reads a bounded part of it (the Audit log pane searches all of it).
    static constexpr int eventWindow = 100000;

    explicit PersonActivityModel(QObject *parent = nullptr);
    void setLogin(const QString &login);
    QString login() const { return m_login; }

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;

private:
    QString m_login;
};

} // namespace opsdeck
