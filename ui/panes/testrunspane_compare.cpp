// The Test runs pane's Compare tab: any two runs, read and compared off the GUI thread.
#include "ui/panes/testrunspane.h"

#include "models/store/database.h"
#include "models/testruns/testrunmodels.h"
#include "ui/common/tones.h"
#include "ui/panes/testruns/testrunfilters.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace opsdeck {

namespace {
// The tone a group heading is coloured in, so that a new palette colours it again.
constexpr int ToneRole = Qt::UserRole + 1;
} // namespace

QWidget *TestRunsPane::buildCompareTab()
{
    auto *tab = new QWidget(this);
    m_compareBase = new QComboBox(tab);
    m_compareBase->setObjectName(QStringLiteral("compareBase"));
    m_compareNow = new QComboBox(tab);
    m_compareNow->setObjectName(QStringLiteral("compareNow"));
    for (QComboBox *c : {m_compareBase, m_compareNow})
        c->setMinimumContentsLength(28);
    m_slower = new QDoubleSpinBox(tab);
    m_slower->setRange(1, 10000);
    m_slower->setDecimals(0);
    m_slower->setValue(20);
    m_slower->setSuffix(QStringLiteral(" %"));
    m_slower->setToolTip(tr("A case counts as slower when it took this much longer than in the base run."));
    m_slower->setAccessibleName(tr("Slower by"));
    auto *go = new QPushButton(tr("Co&mpare"), tab);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Base:"), tab));
    bar->addWidget(m_compareBase, 1);
    bar->addWidget(new QLabel(tr("with:"), tab));
    bar->addWidget(m_compareNow, 1);
    bar->addWidget(new QLabel(tr("slower by more than"), tab));
    bar->addWidget(m_slower);
    bar->addWidget(go);
    m_comparison = new QTreeWidget(tab);
    m_comparison->setObjectName(QStringLiteral("comparison"));
    m_comparison->setAccessibleName(tr("Comparison"));
    m_comparison->setHeaderLabels({tr("Case"), tr("Before"), tr("Now")});
    m_comparison->setAlternatingRowColors(true);
    m_comparison->header()->setStretchLastSection(false);
    m_comparison->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    onPaletteChange(m_comparison, [this] { // the group headings' colours for the new palette
        for (int i = 0; i < m_comparison->topLevelItemCount(); ++i)
            if (QTreeWidgetItem *item = m_comparison->topLevelItem(i); item->data(0, ToneRole).isValid())
                item->setForeground(
                    0, toneColour(Tone(item->data(0, ToneRole).toInt()), m_comparison->palette()));
    });
    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(bar);
    layout->addWidget(m_comparison, 1);
    connect(go, &QPushButton::clicked, this, [this] {
        compareRuns(m_compareBase->currentData().toLongLong(), m_compareNow->currentData().toLongLong(),
                    m_slower->value());
    });
    return tab;
}

void TestRunsPane::compareRuns(qint64 baseRunId, qint64 runId, double slowerPercent)
{
    if (!baseRunId || !runId)
        return;
    if (baseRunId == runId) {
        m_message->setText(tr("Choose two different runs to compare."));
        return;
    }
    m_comparedPercent = slowerPercent;
    const int b = m_compareBase->findData(baseRunId);
    const int n = m_compareNow->findData(runId);
    if (b >= 0)
        m_compareBase->setCurrentIndex(b);
    if (n >= 0)
        m_compareNow->setCurrentIndex(n);
    m_compareWatcher->setFuture(QtConcurrent::run([baseRunId, runId, slowerPercent] {
        QSqlDatabase db = Database::connection();
        const auto base = readRunResults(db, baseRunId);
        const auto now = readRunResults(db, runId);
        if (!base || !now)
            return std::pair{(!base ? base.message() : now.message()), RunComparison{}};
        return std::pair{QString(), opsdeck::compareRuns(base.value(), now.value(), slowerPercent)};
    }));
}

void TestRunsPane::showComparison(const RunComparison &c, double percent)
{
    m_comparison->clear();
    const auto group = [this](const QString &title, int count, std::optional<Tone> tone) {
        auto *item = new QTreeWidgetItem(m_comparison, {title.arg(count)});
        item->setFont(0, TestRunStyle::boldFont());
        if (tone && count > 0) {
            item->setData(0, ToneRole, int(*tone));
            item->setForeground(0, toneColour(*tone));
        }
        item->setExpanded(count > 0 && count <= 200);
        return item;
    };
    const auto list = [&](const QString &title, const QStringList &keys, std::optional<Tone> tone,
                          const QString &before, const QString &now) {
        QTreeWidgetItem *g = group(title, int(keys.size()), tone);
        for (const QString &k : keys)
            new QTreeWidgetItem(g, {k, before, now});
    };
    list(tr("Newly failing (%1)"), c.newlyFailing, Tone::Bad, tr("passed"), tr("failing"));
    list(tr("Fixed (%1)"), c.fixed, Tone::Good, tr("failing"), tr("passed"));
    list(tr("Still failing (%1)"), c.stillFailing, Tone::Bad, tr("failing"), tr("failing"));
    list(tr("Added (%1)"), c.added, std::nullopt, QString(), tr("new"));
    list(tr("Removed (%1)"), c.removed, std::nullopt, tr("was there"), QString());
    QTreeWidgetItem *slower =
        group(tr("Slower by more than %1 % (%2)").arg(QLocale().toString(percent, 'f', 0)),
              int(c.slower.size()), Tone::Warning);
    for (const SlowerCase &s : c.slower)
        new QTreeWidgetItem(
            slower, {s.key, durationText(s.baseMs),
                     tr("%1 (+%2 %)").arg(durationText(s.nowMs), QLocale().toString(s.percent, 'f', 0))});
    m_comparison->resizeColumnToContents(1);
    m_comparison->resizeColumnToContents(2);
    emit comparisonShown();
}

} // namespace opsdeck
