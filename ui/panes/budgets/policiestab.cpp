#include "ui/panes/budgets/policiestab.h"
#include "ui/common/tones.h"

#include "models/budgets/policymodels.h"
#include "services/budgets/litellmservice.h"
#include "services/workspace/workspaceservice.h"
#include "ui/common/fitcolumns.h"
#include "ui/panes/budgets/policydialogs.h"

#include <QColor>
#include <QComboBox>
#include <QFont>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// Updates from this tab are told apart from the budget tree's by their ids.
constexpr quint64 firstUpdateId = quint64(1) << 40;

// Drifted teams and keys stand out: name and state in bold red, as over-budget rows do in the tree.
class DriftHighlight : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QVariant data(const QModelIndex &index, int role) const override
    {
        const int c = index.column();
        if ((role == Qt::ForegroundRole || role == Qt::FontRole) &&
            (c == PolicyDriftModel::Name || c == PolicyDriftModel::State) &&
            index.siblingAtColumn(PolicyDriftModel::State).data(CacheTableModel::SortRole).toInt() != 0) {
            if (role == Qt::ForegroundRole)
                return toneColour(Tone::Bad);
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return QSortFilterProxyModel::data(index, role);
    }
};

QTableView *tableFor(CacheTableModel *model, const QString &name, const QString &accessible, QWidget *parent,
                     QSortFilterProxyModel *proxy = nullptr)
{
    if (!proxy)
        proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(CacheTableModel::SortRole);
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setAccessibleName(accessible);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    fitColumnsOnce(view);
    return view;
}

// The source rows selected in a view (sorted).
QList<int> selectedRows(QTableView *view)
{
    auto *proxy = static_cast<QSortFilterProxyModel *>(view->model());
    QList<int> rows;
    for (const QModelIndex &i : view->selectionModel()->selectedRows())
        rows << proxy->mapToSource(i).row();
    std::sort(rows.begin(), rows.end());
    return rows;
}
} // namespace

PoliciesTab::PoliciesTab(WorkspaceService *workspace, LiteLLMService *service, QWidget *parent)
    : QWidget(parent), m_workspace(workspace), m_service(service), m_records(new PolicyRecordsModel(this)),
      m_subjects(new PolicySubjectsModel(this)), m_effective(new EffectivePolicyModel(this)),
      m_drift(new PolicyDriftModel(this)), m_nextUpdate(firstUpdateId)
{
    // The workspace's records.
    auto *recordsBox = new QGroupBox(tr("Policies in the workspace"), this);
    m_recordsView = tableFor(m_records, QStringLiteral("policyRecords"), tr("Budget policies"), recordsBox);
    m_set = new QPushButton(tr("S&et Policy…"), recordsBox);
    m_set->setToolTip(
        tr("Set model access, guardrails or a feature flag for an account, group, team or user"));
    m_remove = new QPushButton(tr("Re&move…"), recordsBox);
    m_group = new QPushButton(tr("Team &Group…"), recordsBox);
    m_group->setToolTip(tr("Put a team in a group, whose policies its teams take"));
    auto *recordsBar = new QHBoxLayout;
    recordsBar->addWidget(m_set);
    recordsBar->addWidget(m_remove);
    recordsBar->addWidget(m_group);
    recordsBar->addStretch(1);
    auto *recordsLayout = new QVBoxLayout(recordsBox);
    recordsLayout->addLayout(recordsBar);
    recordsLayout->addWidget(m_recordsView, 1);

    // The effective policy of a person.
    auto *effectiveBox = new QGroupBox(tr("Effective policy"), this);
    m_subject = new QComboBox(effectiveBox);
    m_subject->setObjectName(QStringLiteral("policySubject"));
    m_subject->setModel(m_subjects);
    m_subject->setMinimumContentsLength(28);
    m_effectiveView =
        tableFor(m_effective, QStringLiteral("effectivePolicy"), tr("Effective policy"), effectiveBox);
    auto *subjectBar = new QHBoxLayout;
    auto *forLabel = new QLabel(tr("F&or:"), effectiveBox);
    forLabel->setBuddy(m_subject);
    subjectBar->addWidget(forLabel);
    subjectBar->addWidget(m_subject, 1);
    auto *effectiveLayout = new QVBoxLayout(effectiveBox);
    effectiveLayout->addLayout(subjectBar);
    effectiveLayout->addWidget(m_effectiveView, 1);

    // Drift on the proxy.
    auto *driftBox = new QGroupBox(tr("On the proxy"), this);
    m_driftView = tableFor(m_drift, QStringLiteral("policyDrift"), tr("Policy drift"), driftBox,
                           new DriftHighlight(driftBox));
    m_driftView->sortByColumn(PolicyDriftModel::State, Qt::DescendingOrder); // drifted first
    m_driftState = new QLabel(driftBox);
    m_driftState->setObjectName(QStringLiteral("policyDriftState"));
    m_driftState->setWordWrap(true);
    m_apply = new QPushButton(tr("A&pply…"), driftBox);
    m_apply->setToolTip(tr("Bring the selected drifted teams and keys (or all of them) in line: a dry run "
                           "first, then the updates"));
    auto *driftBar = new QHBoxLayout;
    driftBar->addWidget(m_driftState, 1);
    driftBar->addWidget(m_apply);
    auto *driftLayout = new QVBoxLayout(driftBox);
    driftLayout->addLayout(driftBar);
    driftLayout->addWidget(m_driftView, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    auto *top = new QSplitter(Qt::Horizontal, split);
    top->addWidget(recordsBox);
    top->addWidget(effectiveBox);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    split->addWidget(top);
    split->addWidget(driftBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_set, &QPushButton::clicked, this, &PoliciesTab::openSet);
    connect(m_remove, &QPushButton::clicked, this, &PoliciesTab::openRemove);
    connect(m_group, &QPushButton::clicked, this, &PoliciesTab::openGroup);
    connect(m_apply, &QPushButton::clicked, this, &PoliciesTab::openApply);
    connect(m_recordsView, &QTableView::doubleClicked, this, &PoliciesTab::openSet);
    connect(m_recordsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PoliciesTab::updateButtons);
    connect(m_driftView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PoliciesTab::updateButtons);
    connect(m_subject, &QComboBox::currentIndexChanged, this, [this](int row) {
        if (row >= 0 && row < m_subjects->rowCount())
            m_effective->setSubject(m_subjects->connectionAt(row), m_subjects->userAt(row));
    });
    connect(m_subjects, &CacheTableModel::loaded, this, [this] {
        if (m_subject->currentIndex() < 0 && m_subjects->rowCount() > 0)
            m_subject->setCurrentIndex(0);
    });
    connect(m_drift, &CacheTableModel::loaded, this, &PoliciesTab::updateDrift);
    connect(m_records, &CacheTableModel::loaded, this, &PoliciesTab::updateButtons);
    if (m_workspace)
        connect(m_workspace, &WorkspaceService::budgetRecordsChanged, this,
                [this](const QString &requestId, int applied, const QStringList &problems) {
                    if (!requestId.startsWith(QLatin1String("policies-")))
                        return;
                    if (problems.isEmpty())
                        emit message(tr("%n policy change(s) made.", nullptr, applied), false);
                    else
                        emit message(problems.join(QLatin1Char('\n')), true);
                });
    if (m_service)
        connect(m_service, &LiteLLMService::changeFinished, this, [this](quint64 id, const Outcome &outcome) {
            if (!m_updates.remove(id))
                return;
            ++m_updatesDone;
            if (!outcome.ok) {
                ++m_updatesFailed;
                emit message(outcome.message, true);
            }
            if (m_updates.isEmpty() && m_updatesFailed == 0)
                emit message(tr("%n update(s) applied to the proxy.", nullptr, m_updatesDone), false);
        });
    m_records->reload();
    m_subjects->reload();
    m_drift->reload();
    updateButtons();
    updateDrift();
}

QStringList PoliciesTab::connectionNames() const
{
    QStringList names;
    for (int row = 0; row < m_subjects->rowCount(); ++row)
        names << m_subjects->connectionAt(row);
    for (int row = 0; row < m_drift->rowCount(); ++row)
        names << m_drift->rowAt(row).values.at(PolicyDriftModel::Connection).toString();
    for (int row = 0; row < m_records->rowCount(); ++row)
        names << m_records->recordAt(row).connection;
    names.removeDuplicates();
    names.sort();
    return names;
}

void PoliciesTab::updateButtons()
{
    const bool live = m_workspace != nullptr;
    m_set->setEnabled(live);
    m_group->setEnabled(live);
    m_remove->setEnabled(live && !selectedRows(m_recordsView).isEmpty());
    m_apply->setEnabled(m_service && !pendingUpdates(selectedRows(m_driftView)).isEmpty());
    const QString why = live ? QString() : tr("No workspace is open: policies cannot change here");
    m_set->setStatusTip(why);
}

QString PoliciesTab::driftSummary() const
{
    return m_driftState->text();
}

void PoliciesTab::updateDrift()
{
    const int drifted = m_drift->driftedCount();
    if (m_drift->rowCount() == 0)
        m_driftState->setText(tr("No team or key is under a model or guardrail policy yet."));
    else if (drifted == 0)
        m_driftState->setText(
            tr("All %n team(s) and key(s) under a policy are as it says.", nullptr, m_drift->rowCount()));
    else
        m_driftState->setText(tr("%1 of %2 teams and keys under a policy differ from it on the proxy.")
                                  .arg(drifted)
                                  .arg(m_drift->rowCount()));
    updateButtons();
}

QList<std::pair<qint64, ProxyChange>> PoliciesTab::pendingUpdates(const QList<int> &rows) const
{
    QList<int> wanted = rows;
    if (wanted.isEmpty())
        for (int row = 0; row < m_drift->rowCount(); ++row)
            wanted << row;
    QList<std::pair<qint64, ProxyChange>> out;
    for (int row : std::as_const(wanted))
        if (auto change = policyChange(m_drift->driftAt(row)); change)
            out.append({m_drift->connectionIdAt(row), change.value()});
    return out;
}

void PoliciesTab::sendRecordChanges(const QList<BudgetRecordChange> &changes)
{
    if (!m_workspace) {
        emit message(tr("No workspace is open: policies cannot change here."), true);
        return;
    }
    const QString requestId = QStringLiteral("policies-%1").arg(m_nextRequest++);
    emit message(tr("Sending %n change(s) to the workspace…", nullptr, int(changes.size())), false);
    QMetaObject::invokeMethod(
        m_workspace, [w = m_workspace, changes, requestId] { w->changeBudgetRecords(changes, requestId); });
}

void PoliciesTab::sendUpdates(const QList<std::pair<qint64, ProxyChange>> &updates)
{
    if (!m_service || updates.isEmpty())
        return;
    m_updatesDone = 0;
    m_updatesFailed = 0;
    for (const auto &[connectionId, change] : updates) {
        const quint64 id = m_nextUpdate++;
        m_updates.insert(id);
        QMetaObject::invokeMethod(
            m_service, [s = m_service, id, cid = connectionId, c = change] { s->applyChange(id, cid, c); });
    }
    emit message(tr("Sending %n update(s) to the proxy…", nullptr, int(updates.size())), false);
}

void PoliciesTab::openSet()
{
    QHash<QString, QStringList> known;
    for (int row = 0; row < m_subjects->rowCount(); ++row)
        known[QStringLiteral("user")] << m_subjects->userAt(row);
    for (int row = 0; row < m_drift->rowCount(); ++row) {
        const PolicyDrift d = m_drift->driftAt(row);
        if (d.target.kind == QLatin1String("team"))
            known[QStringLiteral("team")] << d.target.id;
        if (!d.context.organization.isEmpty())
            known[QStringLiteral("organization")] << d.context.organization;
        if (!d.context.group.isEmpty())
            known[QStringLiteral("group")] << d.context.group;
        known[QStringLiteral("models")] << d.target.models;
    }
    for (int row = 0; row < m_records->rowCount(); ++row) {
        const PolicyRecord r = m_records->recordAt(row);
        known[policyScopeKey(r.scope)] << r.scopeId;
        if (r.item == PolicyItem::Models)
            known[QStringLiteral("models")] << r.values;
    }
    for (QStringList &list : known) {
        list.removeAll(QStringLiteral("*"));
        list.removeDuplicates();
        list.sort();
    }
    BudgetPolicyDialog dialog(connectionNames(), known, this);
    if (const QList<int> rows = selectedRows(m_recordsView); rows.size() == 1)
        dialog.setRecord(m_records->recordAt(rows.first()));
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto change = dialog.change(); change)
        sendRecordChanges({change.value()});
}

void PoliciesTab::openRemove()
{
    QList<BudgetRecordChange> changes;
    QStringList lines;
    for (int row : selectedRows(m_recordsView)) {
        BudgetRecordChange c;
        c.kind = BudgetRecordChange::Kind::RemovePolicy;
        c.policy = m_records->recordAt(row);
        changes << c;
        lines << QStringLiteral("• %1 %2: %3 = %4")
                     .arg(policyScopeText(c.policy.scope), c.policy.scopeId, policyItemText(c.policy.item),
                          c.policy.valueText());
    }
    if (changes.isEmpty())
        return;
    QMessageBox box(QMessageBox::Question, tr("Remove Policies"),
                    tr("Remove %n policy item(s)? Where a broader scope sets the item, it decides again.",
                       nullptr, int(changes.size())),
                    QMessageBox::Cancel, this);
    box.setInformativeText(lines.join(QLatin1Char('\n')));
    box.addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.buttonRole(box.clickedButton()) == QMessageBox::DestructiveRole)
        sendRecordChanges(changes);
}

void PoliciesTab::openGroup()
{
    QString connection;
    QStringList teams;
    QStringList groups;
    const QList<int> selected = selectedRows(m_driftView);
    const PolicyDrift current = selected.isEmpty() ? PolicyDrift() : m_drift->driftAt(selected.first());
    if (!selected.isEmpty())
        connection = m_drift->rowAt(selected.first()).values.at(PolicyDriftModel::Connection).toString();
    else if (const QStringList names = connectionNames(); !names.isEmpty())
        connection = names.first();
    if (connection.isEmpty()) {
        emit message(tr("No LiteLLM connection has synced teams yet."), true);
        return;
    }
    for (int row = 0; row < m_drift->rowCount(); ++row) {
        if (m_drift->rowAt(row).values.at(PolicyDriftModel::Connection).toString() != connection)
            continue;
        const PolicyDrift d = m_drift->driftAt(row);
        if (d.target.kind == QLatin1String("team"))
            teams << d.target.id;
        if (!d.context.group.isEmpty())
            groups << d.context.group;
    }
    for (int row = 0; row < m_records->rowCount(); ++row)
        if (const PolicyRecord r = m_records->recordAt(row); r.scope == PolicyScope::Group)
            groups << r.scopeId;
    groups.removeDuplicates();
    groups.sort();
    GroupDialog dialog(connection, teams, groups, this);
    if (!current.context.team.isEmpty())
        dialog.teamCombo()->setCurrentText(current.context.team);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto change = dialog.change(); change)
        sendRecordChanges({change.value()});
}

void PoliciesTab::openApply()
{
    const auto updates = pendingUpdates(selectedRows(m_driftView));
    if (updates.isEmpty())
        return;
    QList<std::pair<QString, ProxyChange>> named;
    for (const auto &[connectionId, change] : updates) {
        QString name;
        for (int row = 0; row < m_drift->rowCount() && name.isEmpty(); ++row)
            if (m_drift->connectionIdAt(row) == connectionId)
                name = m_drift->rowAt(row).values.at(PolicyDriftModel::Connection).toString();
        named.append({name, change});
    }
    ApplyPolicyDialog dialog(named, this);
    if (dialog.exec() == QDialog::Accepted)
        sendUpdates(updates);
}

} // namespace opsdeck
