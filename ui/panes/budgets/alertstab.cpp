#include "ui/panes/budgets/alertstab.h"
#include "ui/common/tones.h"

#include "models/budgets/budgettree.h"
#include "models/store/cachenotifier.h"
#include "models/store/database.h"
#include "services/budgets/litellmservice.h"
#include "ui/panes/pane.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSqlQuery>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opsdeck {

AlertsTab::AlertsTab(LiteLLMService *service, QWidget *parent) : QWidget(parent), m_service(service)
{
    m_table = Pane::previewTable(
        {tr("Raised"), tr("Kind"), tr("Name"), tr("Past"), tr("Spend"), tr("Budget"), tr("Acknowledged")},
        QStringLiteral("budgetAlerts"), this);
    m_table->setAccessibleName(tr("Budget alerts"));
    onPaletteChange(this, [this] { reload(); }); // the alerts' colours for the new palette
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_all = new QCheckBox(tr("Show &acknowledged alerts"), this);
    m_acknowledge = new QPushButton(tr("Ac&knowledge"), this);
    m_acknowledge->setToolTip(tr("Acknowledge the selected alerts (all open ones when none is selected)"));
    m_acknowledge->setEnabled(m_service != nullptr);
    auto *hint =
        new QLabel(tr("A sync raises an alert when a budget's spend passes one of its thresholds (50, 80 and "
                      "100 % unless set with Alert Thresholds… on the Budgets tab), once a budget period."),
                   this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_all);
    bar->addStretch(1);
    bar->addWidget(m_acknowledge);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(hint);
    connect(m_all, &QCheckBox::toggled, this, &AlertsTab::reload);
    connect(m_acknowledge, &QPushButton::clicked, this, &AlertsTab::acknowledge);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &AlertsTab::onLoaded);
    connect(CacheNotifier::instance(), &CacheNotifier::tablesChanged, this,
            [this](const QStringList &tables) {
                if (tables.contains(QLatin1String("budget_alerts")))
                    reload();
            });
    reload();
}

AlertsTab::~AlertsTab()
{
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void AlertsTab::reload()
{
    if (m_watcher.isRunning()) {
        m_loadAgain = true;
        return;
    }
    m_watcher.setFuture(
        QtConcurrent::run([all = m_all->isChecked()]() -> Result<std::pair<QList<BudgetAlert>, int>> {
            QSqlDatabase db = Database::connection();
            if (!db.isOpen())
                return makeError("db.closed", tr("The cache database is not open."));
            const auto alerts = BudgetAlerts::list(db, !all);
            if (!alerts)
                return alerts.error();
            QSqlQuery q(db);
            const int open =
                q.exec(QStringLiteral("SELECT COUNT(*) FROM budget_alerts WHERE acknowledged_at = ''")) &&
                        q.next()
                    ? q.value(0).toInt()
                    : 0;
            return std::pair<QList<BudgetAlert>, int>{alerts.value(), open};
        }));
}

void AlertsTab::onLoaded()
{
    if (m_loadAgain) {
        m_loadAgain = false;
        return reload();
    }
    const auto result = m_watcher.result();
    if (!result)
        return;
    m_alerts = result->first;
    m_table->setRowCount(0);
    for (const BudgetAlert &a : std::as_const(m_alerts)) {
        Pane::appendRow(m_table,
                        {QLocale().toString(a.raisedAt.toLocalTime(), QLocale::ShortFormat), a.targetKind,
                         a.targetName, QStringLiteral("%1 %").arg(a.percent), usdText(a.spend),
                         usdText(a.maxBudget),
                         a.acknowledgedAt.isValid()
                             ? QLocale().toString(a.acknowledgedAt.toLocalTime(), QLocale::ShortFormat)
                             : QString()});
        m_table->item(m_table->rowCount() - 1, 0)->setData(Qt::UserRole, a.id);
        if (a.percent >= 100 && !a.acknowledgedAt.isValid())
            for (int c = 0; c < m_table->columnCount(); ++c)
                m_table->item(m_table->rowCount() - 1, c)->setForeground(toneColour(Tone::Bad));
    }
    if (m_open != result->second) {
        m_open = result->second;
        emit openCountChanged(m_open);
    }
}

void AlertsTab::acknowledge()
{
    if (!m_service)
        return;
    QList<qint64> ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids << m_table->item(row.row(), 0)->data(Qt::UserRole).toLongLong();
    if (ids.isEmpty())
        for (const BudgetAlert &a : std::as_const(m_alerts))
            if (!a.acknowledgedAt.isValid())
                ids << a.id;
    if (ids.isEmpty())
        return;
    QMetaObject::invokeMethod(m_service, [service = m_service, ids] { service->acknowledgeAlerts(ids); });
}

} // namespace opsdeck
