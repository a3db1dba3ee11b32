#include "ui/panes/budgets/renewaltab.h"
#include "ui/common/tones.h"

#include "models/budgets/budgetreset.h"
#include "models/budgets/budgettree.h"
#include "ui/panes/pane.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

RenewalTab::RenewalTab(BudgetTreeModel *tree, QWidget *parent) : QWidget(parent), m_tree(tree)
{
    m_horizon = new QComboBox(this);
    m_horizon->setObjectName(QStringLiteral("renewalHorizon"));
    onPaletteChange(this, [this] { rebuild(); }); // the overdue rows' colour for the new palette
    m_horizon->addItem(tr("Next 7 days"), 7);
    m_horizon->addItem(tr("Next 31 days"), 31);
    m_horizon->addItem(tr("Next 3 months"), 92);
    m_horizon->addItem(tr("Next 12 months"), 365);
    m_horizon->setCurrentIndex(1);
    m_table = Pane::previewTable(
        {tr("Resets"), tr("In"), tr("Kind"), tr("Name"), tr("Cadence"), tr("Spend now"), tr("Max budget")},
        QStringLiteral("renewals"), this);
    m_table->setAccessibleName(tr("Budget renewals"));
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("renewalSummary"));
    m_summary->setWordWrap(true);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_horizon);
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    connect(m_horizon, &QComboBox::currentIndexChanged, this, &RenewalTab::rebuild);
    connect(m_tree, &BudgetTreeModel::loaded, this, &RenewalTab::rebuild);
    rebuild();
}

QString RenewalTab::summaryText() const
{
    return m_summary->text();
}

void RenewalTab::rebuild()
{
    const int days = m_horizon->currentData().toInt();
    const QList<Renewal> renewals =
        upcomingRenewals(m_tree->nodes(), QDateTime::currentDateTimeUtc(), qint64(days) * 86400);
    m_table->setRowCount(0);
    double returning = 0;
    for (const Renewal &r : renewals) {
        const BudgetNode &n = r.node;
        const auto cadence = parseBudgetDuration(n.duration);
        Pane::appendRow(m_table, {QLocale().toString(n.nextReset.toLocalTime(), QLocale::ShortFormat),
                                  renewalDistance(r.secondsAway), budgetKindText(n.kind), n.name,
                                  cadence ? cadence->text() : n.duration, usdText(n.spend),
                                  usdText(n.maxBudget.value_or(0))});
        if (r.secondsAway < 0)
            m_table->item(m_table->rowCount() - 1, 1)->setForeground(toneColour(Tone::Bad));
        for (int c : {5, 6})
            m_table->item(m_table->rowCount() - 1, c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        returning += n.spend;
    }
    if (renewals.isEmpty()) {
        m_summary->setText(tr("No budget resets in the %1.").arg(m_horizon->currentText().toLower()));
        return;
    }
    const BudgetNode &first = renewals.first().node;
    m_summary->setText(
        tr("%1 budgets reset in the %2; the spend against them, %3 now, returns to zero. The first: "
           "%4 %5, %6.")
            .arg(renewals.size())
            .arg(m_horizon->currentText().toLower(), usdText(returning), budgetKindText(first.kind).toLower(),
                 first.name, renewalDistance(renewals.first().secondsAway)));
}

} // namespace opsdeck
