// The Budgets pane's dialogs for the workspace's budget records: a policy item at a scope, a team's
// group, an account's credits factor, the settlement of an overflow entry, and the dry run of
// applying policies to the proxy (every update, before → after, before anything is sent).
#pragma once

#include "models/budgets/budgetedit.h"
#include "models/budgets/budgetrecordchange.h"
#include "models/budgets/overflow.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace opsdeck {

// Sets (or, with remove, takes away) one policy item at one scope.
class BudgetPolicyDialog : public QDialog
{
    Q_OBJECT
public:
    // connections: the LiteLLM connections' names; known: ids per scope key ("team" → team ids) and
    // "models" → the proxy's model names, offered as completions.
    BudgetPolicyDialog(const QStringList &connections, const QHash<QString, QStringList> &known,
                       QWidget *parent = nullptr);
    // Starts from a record (its connection, scope, id, item and value).
    void setRecord(const PolicyRecord &record);
    Result<BudgetRecordChange> change() const;
    QComboBox *connectionCombo() const { return m_connection; }
    QComboBox *scopeCombo() const { return m_scope; }
    QLineEdit *scopeIdEdit() const { return m_scopeId; }
    QComboBox *itemCombo() const { return m_item; }
    QLineEdit *namesEdit() const { return m_names; }
    QCheckBox *allowedCheck() const { return m_allowed; }
    QLineEdit *commentEdit() const { return m_comment; }
    QString problemText() const;

private:
    void update();

    QHash<QString, QStringList> m_known;
    QString m_completing; // the scope and item the completions are for
    QComboBox *m_connection;
    QComboBox *m_scope;
    QLineEdit *m_scopeId;
    QComboBox *m_item;
    QLabel *m_namesLabel;
    QLineEdit *m_names;
    QCheckBox *m_allowed;
    QLineEdit *m_comment;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

// Puts a team in a group (an empty group takes it out).
class GroupDialog : public QDialog
{
    Q_OBJECT
public:
    GroupDialog(const QString &connection, const QStringList &teams, const QStringList &groups,
                QWidget *parent = nullptr);
    Result<BudgetRecordChange> change() const;
    QComboBox *teamCombo() const { return m_team; }
    QComboBox *groupCombo() const { return m_group; }

private:
    void update();
    QString m_connection;
    QComboBox *m_team;
    QComboBox *m_group;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

// An account's credits factor: set, or removed.
class CreditsDialog : public QDialog
{
    Q_OBJECT
public:
    CreditsDialog(const QString &connection, const QString &organization, const QString &accountName,
                  double spend, const std::optional<double> &factor, QWidget *parent = nullptr);
    BudgetRecordChange change() const;
    QDoubleSpinBox *factorSpin() const { return m_factor; }
    QCheckBox *removeCheck() const { return m_remove; }
    QLineEdit *commentEdit() const { return m_comment; }
    QString previewText() const;

private:
    void update();
    QString m_connection;
    QString m_organization;
    double m_spend;
    QDoubleSpinBox *m_factor;
    QCheckBox *m_remove;
    QLineEdit *m_comment;
    QLabel *m_preview;
};

// Settles what is open of an overflow entry, with a reference and a comment.
class SettleDialog : public QDialog
{
    Q_OBJECT
public:
    SettleDialog(const OverflowEntry &entry, const QString &accountName, QWidget *parent = nullptr);
    BudgetRecordChange change() const;
    QLineEdit *referenceEdit() const { return m_reference; }
    QLineEdit *commentEdit() const { return m_comment; }
    QString problemText() const;

private:
    void update();
    OverflowEntry m_entry;
    QLineEdit *m_reference;
    QLineEdit *m_comment;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

// The dry run of applying policies: every update the proxy would get, field by field.
class ApplyPolicyDialog : public QDialog
{
    Q_OBJECT
public:
    // changes: each with the connection's name it goes to.
    ApplyPolicyDialog(const QList<std::pair<QString, ProxyChange>> &changes, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace opsdeck
