// The Budgets pane's dialogs: a change to an organization's, team's, user's or key's budget with
// every field the proxy's API lets Opsdeck change and the preview of the change (before → after)
// as it is typed; and the preview of a deletion, with everything it takes with it.
#pragma once

#include "models/budgets/budgetedit.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace opsdeck {

class BudgetEditDialog : public QDialog
{
    Q_OBJECT
public:
    explicit BudgetEditDialog(const BudgetNode &node, QWidget *parent = nullptr);

    // The change as the fields stand (an error when it is invalid or changes nothing).
    Result<ProxyChange> change() const;
    QDoubleSpinBox *maxBudgetSpin() const { return m_max; }
    QDoubleSpinBox *softBudgetSpin() const { return m_soft; }
    QComboBox *durationCombo() const { return m_duration; }
    QSpinBox *tpmSpin() const { return m_tpm; }
    QSpinBox *rpmSpin() const { return m_rpm; }
    QLineEdit *modelsEdit() const { return m_models; }
    QTableWidget *preview() const { return m_preview; }
    QString problemText() const;

private:
    BudgetEdit edit() const;
    void updatePreview();

    BudgetNode m_node;
    QDoubleSpinBox *m_max;
    QDoubleSpinBox *m_soft;
    QComboBox *m_duration;
    QLabel *m_durationWords;
    QSpinBox *m_tpm;
    QSpinBox *m_rpm;
    QLineEdit *m_models;
    QTableWidget *m_preview;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

// What deleting a user or a key takes with it on the proxy: the user's keys and team memberships.
struct DeletionScope
{
    QStringList keys;    // "alias (sk-...ab12)"
    QStringList teams;   // team aliases
    double keySpend = 0; // what those keys have spent in their current budget periods
};
Result<DeletionScope> deletionScope(qint64 connectionId, const BudgetNode &node);

class BudgetDeleteDialog : public QDialog
{
    Q_OBJECT
public:
    BudgetDeleteDialog(const BudgetNode &node, const DeletionScope &scope, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace opsdeck
