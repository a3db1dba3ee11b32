// The Budgets pane's Policies tab: the workspace's policy records for each LiteLLM connection (set,
// change, remove; teams put in groups), the effective policy of a person with the scope that decides
// each item, and drift per team and key with "Apply…": a dry run of every update, then the updates
// through the LiteLLM service, each audited. Records change through the workspace service.
#pragma once

#include "models/budgets/budgetedit.h"
#include "models/budgets/budgetrecordchange.h"

#include <QSet>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace opsdeck {

class EffectivePolicyModel;
class LiteLLMService;
class PolicyDriftModel;
class PolicyRecordsModel;
class PolicySubjectsModel;
class WorkspaceService;

class PoliciesTab : public QWidget
{
    Q_OBJECT
public:
    PoliciesTab(WorkspaceService *workspace, LiteLLMService *service, QWidget *parent = nullptr);

    PolicyRecordsModel *records() const { return m_records; }
    PolicyDriftModel *drift() const { return m_drift; }
    EffectivePolicyModel *effective() const { return m_effective; }
    QTableView *recordsView() const { return m_recordsView; }
    QTableView *driftView() const { return m_driftView; }
    QTableView *effectiveView() const { return m_effectiveView; }
    QComboBox *subjectCombo() const { return m_subject; }
    QPushButton *setButton() const { return m_set; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *groupButton() const { return m_group; }
    QPushButton *applyButton() const { return m_apply; }
    QString driftSummary() const;

    // Sends confirmed changes (the dialogs' result; tests skip the dialogs).
    void sendRecordChanges(const QList<BudgetRecordChange> &changes);
    // The updates that bring the drifted rows (all drifted ones when rows is empty) in line.
    QList<std::pair<qint64, ProxyChange>> pendingUpdates(const QList<int> &rows = {}) const;
    // Sends updates the dry run showed.
    void sendUpdates(const QList<std::pair<qint64, ProxyChange>> &updates);

signals:
    void message(const QString &text, bool problem);

private:
    void openSet();
    void openRemove();
    void openGroup();
    void openApply();
    void updateButtons();
    void updateDrift();
    QStringList connectionNames() const;

    WorkspaceService *m_workspace;
    LiteLLMService *m_service;
    PolicyRecordsModel *m_records;
    PolicySubjectsModel *m_subjects;
    EffectivePolicyModel *m_effective;
    PolicyDriftModel *m_drift;
    QTableView *m_recordsView;
    QTableView *m_effectiveView;
    QTableView *m_driftView;
    QComboBox *m_subject;
    QLabel *m_driftState;
    QPushButton *m_set;
    QPushButton *m_remove;
    QPushButton *m_group;
    QPushButton *m_apply;
    int m_nextRequest = 1;
    quint64 m_nextUpdate = 1;
    QSet<quint64> m_updates; // sent from this tab, waiting for the proxy
    int m_updatesFailed = 0;
    int m_updatesDone = 0;
};

} // namespace opsdeck
