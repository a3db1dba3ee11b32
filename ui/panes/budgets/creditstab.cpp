#include "ui/panes/budgets/creditstab.h"

#include "models/budgets/budgettree.h"
#include "models/budgets/policymodels.h"
#include "services/workspace/workspaceservice.h"
#include "ui/common/fitcolumns.h"
#include "ui/panes/budgets/policydialogs.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
QTableView *tableOver(QSortFilterProxyModel *proxy, const QString &name, const QString &accessible,
                      QWidget *parent)
{
    proxy->setSortRole(CacheTableModel::SortRole);
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setAccessibleName(accessible);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    fitColumnsOnce(view);
    return view;
}

int sourceRow(QTableView *view)
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return static_cast<QSortFilterProxyModel *>(view->model())->mapToSource(rows.first()).row();
}
} // namespace

CreditsTab::CreditsTab(WorkspaceService *workspace, QWidget *parent)
    : QWidget(parent), m_workspace(workspace), m_credits(new CreditsModel(this)),
      m_overflow(new OverflowModel(this)), m_ledgerProxy(new QSortFilterProxyModel(this))
{
    auto *creditsBox = new QGroupBox(tr("Credits per account"), this);
    auto *creditsProxy = new QSortFilterProxyModel(this);
    creditsProxy->setSourceModel(m_credits);
    m_creditsView =
        tableOver(creditsProxy, QStringLiteral("creditsTable"), tr("Credits per account"), creditsBox);
    m_factor = new QPushButton(tr("Credits &Factor…"), creditsBox);
    m_factor->setToolTip(tr("Set the selected account's credits factor: spend × factor = credits charged"));
    auto *creditsBar = new QHBoxLayout;
    creditsBar->addWidget(
        new QLabel(tr("Spend × the account's factor = the credits it is charged."), creditsBox), 1);
    creditsBar->addWidget(m_factor);
    auto *creditsLayout = new QVBoxLayout(creditsBox);
    creditsLayout->addLayout(creditsBar);
    creditsLayout->addWidget(m_creditsView, 1);

    auto *ledgerBox = new QGroupBox(tr("Overflow ledger"), this);
    m_ledgerProxy->setSourceModel(m_overflow);
    m_ledgerProxy->setFilterKeyColumn(OverflowModel::State);
    m_ledgerProxy->setFilterRole(CacheTableModel::RawRole);
    m_overflowView =
        tableOver(m_ledgerProxy, QStringLiteral("overflowLedger"), tr("Overflow ledger"), ledgerBox);
    m_overflowView->sortByColumn(OverflowModel::Period, Qt::DescendingOrder);
    m_filter = new QComboBox(ledgerBox);
    m_filter->setObjectName(QStringLiteral("overflowFilter"));
    m_filter->addItem(tr("All entries"), QString());
    m_filter->addItem(tr("Open"), QStringLiteral("^0$"));
    m_filter->addItem(tr("Settled"), QStringLiteral("^1$"));
    m_totals = new QLabel(ledgerBox);
    m_totals->setObjectName(QStringLiteral("overflowTotals"));
    m_settle = new QPushButton(tr("Se&ttle…"), ledgerBox);
    m_settle->setToolTip(tr("Mark what is open of the selected entry settled, with a reference"));
    auto *ledgerBar = new QHBoxLayout;
    ledgerBar->addWidget(m_filter);
    ledgerBar->addWidget(m_totals, 1);
    ledgerBar->addWidget(m_settle);
    auto *ledgerLayout = new QVBoxLayout(ledgerBox);
    ledgerLayout->addLayout(ledgerBar);
    ledgerLayout->addWidget(m_overflowView, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(creditsBox);
    split->addWidget(ledgerBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] {
        m_ledgerProxy->setFilterRegularExpression(QRegularExpression(m_filter->currentData().toString()));
        updateButtons();
    });
    connect(m_factor, &QPushButton::clicked, this, &CreditsTab::openFactor);
    connect(m_settle, &QPushButton::clicked, this, &CreditsTab::openSettle);
    connect(m_creditsView, &QTableView::doubleClicked, this, &CreditsTab::openFactor);
    connect(m_creditsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CreditsTab::updateButtons);
    connect(m_overflowView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CreditsTab::updateButtons);
    connect(m_overflow, &CacheTableModel::loaded, this, &CreditsTab::updateTotals);
    connect(m_overflow, &CacheTableModel::loaded, this, &CreditsTab::updateButtons);
    if (m_workspace)
        connect(m_workspace, &WorkspaceService::budgetRecordsChanged, this,
                [this](const QString &requestId, int applied, const QStringList &problems) {
                    if (!requestId.startsWith(QLatin1String("credits-")))
                        return;
                    if (problems.isEmpty())
                        emit message(tr("%n change(s) made.", nullptr, applied), false);
                    else
                        emit message(problems.join(QLatin1Char('\n')), true);
                });
    m_credits->reload();
    m_overflow->reload();
    updateTotals();
    updateButtons();
}

int CreditsTab::selectedCreditsRow() const
{
    return sourceRow(m_creditsView);
}

int CreditsTab::selectedOverflowRow() const
{
    return sourceRow(m_overflowView);
}

QString CreditsTab::totalsText() const
{
    return m_totals->text();
}

void CreditsTab::updateTotals()
{
    int open = 0;
    for (int row = 0; row < m_overflow->rowCount(); ++row)
        open += m_overflow->entryAt(row).settled() ? 0 : 1;
    m_totals->setText(m_overflow->rowCount() == 0
                          ? tr("No account has gone past its budget in a period yet.")
                          : tr("Open: %1 in %n entr(y/ies); settled: %2", nullptr, open)
                                .arg(usdText(m_overflow->openTotal()), usdText(m_overflow->settledTotal())));
}

void CreditsTab::updateButtons()
{
    const bool live = m_workspace != nullptr;
    m_factor->setEnabled(live && selectedCreditsRow() >= 0);
    const int entry = selectedOverflowRow();
    m_settle->setEnabled(live && entry >= 0 && !m_overflow->entryAt(entry).settled());
}

void CreditsTab::sendRecordChanges(const QList<BudgetRecordChange> &changes)
{
    if (!m_workspace) {
        emit message(tr("No workspace is open: credits and the ledger cannot change here."), true);
        return;
    }
    const QString requestId = QStringLiteral("credits-%1").arg(m_nextRequest++);
    QMetaObject::invokeMethod(
        m_workspace, [w = m_workspace, changes, requestId] { w->changeBudgetRecords(changes, requestId); });
}

void CreditsTab::openFactor()
{
    const int row = selectedCreditsRow();
    if (row < 0)
        return;
    const CacheRow &r = m_credits->rowAt(row);
    CreditsDialog dialog(m_credits->connectionAt(row), m_credits->organizationAt(row),
                         r.values.at(CreditsModel::Account).toString(),
                         r.values.at(CreditsModel::Spend).toDouble(), m_credits->factorAt(row), this);
    if (dialog.exec() == QDialog::Accepted)
        sendRecordChanges({dialog.change()});
}

void CreditsTab::openSettle()
{
    const int row = selectedOverflowRow();
    if (row < 0)
        return;
    SettleDialog dialog(m_overflow->entryAt(row),
                        m_overflow->rowAt(row).values.at(OverflowModel::Account).toString(), this);
    if (dialog.exec() == QDialog::Accepted)
        sendRecordChanges({dialog.change()});
}

} // namespace opsdeck
