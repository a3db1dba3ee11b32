// Item models of the Budgets pane's Policies and Credits tabs, over the cache (schema 21): the
// workspace's policy records, the effective policy of a person with the scope that decides each
// item, drift per team and key, the people a policy can be shown for, each account's spend with its
// credits factor, and the overflow ledger. Loaded off the GUI thread and merged row by row
// (models/store/cachetablemodel.h).
#pragma once

#include "models/budgets/budgetpolicy.h"
#include "models/budgets/overflow.h"
#include "models/store/cachetablemodel.h"

#include <QMetaType>

namespace opsdeck {

// Every policy record of every LiteLLM connection.
class PolicyRecordsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Connection, Scope, For, Item, Value, Comment, ChangedBy, ChangedAt, ColumnCount };
    using CacheTableModel::CacheTableModel;
    // The record of a row (its values read back from the stored JSON).
    PolicyRecord recordAt(int row) const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

// The people a policy can be shown for: each LiteLLM connection's users, "connection\tuser" as key.
class PolicySubjectsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Label, ColumnCount };
    using CacheTableModel::CacheTableModel;
    QString connectionAt(int row) const;
    QString userAt(int row) const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
};

// The effective policy of one person on one connection: a row per item and context (each team the
// person is a member of, and without a team), with the value, the scope that decides it and the
// broader scopes it overrides.
class EffectivePolicyModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Context, Item, Value, DecidedBy, Overrides, ColumnCount };
    using CacheTableModel::CacheTableModel;
    void setSubject(const QString &connection, const QString &user);
    QString connection() const { return m_connection; }
    QString user() const { return m_user; }

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;

private:
    QString m_connection;
    QString m_user;
};

// Each team and key of every LiteLLM connection against its policy: what the proxy has, what the
// policy says and by which scope, and whether it drifted.
class PolicyDriftModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Connection, Kind, Name, State, OnProxy, PolicyModels, Guardrails, ColumnCount };
    using CacheTableModel::CacheTableModel;
    qint64 connectionIdAt(int row) const;
    PolicyDrift driftAt(int row) const;
    int driftedCount() const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

// Each account (organization) of every LiteLLM connection: its spend and budget, the credits
// factor the workspace keeps for it and the credits that spend is charged as.
class CreditsModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column { Connection, Account, Spend, MaxBudget, Factor, Credits, Comment, ChangedBy, ColumnCount };
    using CacheTableModel::CacheTableModel;
    QString connectionAt(int row) const;
    QString organizationAt(int row) const;
    std::optional<double> factorAt(int row) const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

// The overflow ledger: one row per account and budget period, newest period first.
class OverflowModel : public CacheTableModel
{
    Q_OBJECT
public:
    enum Column {
        Connection,
        Account,
        Period,
        Budget,
        Spend,
        Overflow,
        Settled,
        Open,
        State,
        Reference,
        SettledBy,
        ColumnCount
    };
    using CacheTableModel::CacheTableModel;
    OverflowEntry entryAt(int row) const;
    // The open and settled totals over every row (USD).
    double openTotal() const;
    double settledTotal() const;

protected:
    CacheLoader loader() const override;
    QStringList watchedTables() const override;
    QStringList headers() const override;
    QVariant cellData(const CacheRow &row, int column, int role) const override;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::PolicyDrift)
Q_DECLARE_METATYPE(opsdeck::OverflowEntry)
