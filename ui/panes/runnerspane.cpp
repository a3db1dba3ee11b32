#include "runnerspane.h"

#include "connectionsmodel.h"
#include "emptystate.h"
#include "githubservice.h"
#include "runnersmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// Text over every column; status as one of online, offline, busy, removed (raw values).
class RunnerFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString state;
    QStringList words;
    void apply() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QAbstractItemModel *m = sourceModel();
        const QString status =
            m->index(row, RunnersModel::Status, parent).data(CacheTableModel::RawRole).toString();
        const bool busy = m->index(row, RunnersModel::Busy, parent).data(CacheTableModel::RawRole).toBool();
        if (state == QLatin1String("busy") ? !busy || status == QLatin1String("removed")
            : !state.isEmpty()             ? status != state
                                           : status == QLatin1String("removed"))
            return false;
        for (const QString &w : words) {
            bool found = false;
            for (int c = 0; c < RunnersModel::ColumnCount && !found; ++c)
                found = m->index(row, c, parent)
                            .data(Qt::DisplayRole)
                            .toString()
                            .contains(w, Qt::CaseInsensitive);
            if (!found)
                return false;
        }
        return true;
    }
};
} // namespace

RunnersPane::RunnersPane(ConnectionsModel *connections, GitHubService *github, QWidget *parent)
    : Pane({QStringLiteral("runners"),
            tr("Runners"),
            QStringLiteral("runners"),
            {ConnectionKind::GitHub},
            tr("GitHub Actions self-hosted runners"),
            tr("This pane lists the self-hosted runners of your GitHub organization and repositories, "
               "provisions new "
               "ones under a label policy (just-in-time or registration token), removes them with an audited "
               "comment, and cleans up runners that drift from the policy.")},
           connections, parent),
      m_github(github), m_model(new RunnersModel(this)), m_proxy(new RunnerFilter(this))
{
    auto *content = new QWidget(this);
    m_filter = new QLineEdit(content);
    m_filter->setPlaceholderText(tr("Filter by name, label, owner, OS…"));
    m_filter->setClearButtonEnabled(true);
    m_status = new QComboBox(content);
    m_status->addItem(tr("Current runners"), QString());
    m_status->addItem(tr("Online"), QStringLiteral("online"));
    m_status->addItem(tr("Offline"), QStringLiteral("offline"));
    m_status->addItem(tr("Busy"), QStringLiteral("busy"));
    m_status->addItem(tr("Removed (history)"), QStringLiteral("removed"));
    m_count = new QLabel(content);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CacheTableModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_view = new QTableView(content);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunnersModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setAccessibleName(tr("Runners"));
    const int w = m_view->fontMetrics().averageCharWidth();
    m_view->setColumnWidth(RunnersModel::Name, w * 28);
    m_view->setColumnWidth(RunnersModel::Labels, w * 40);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 3);
    bar->addWidget(m_status);
    bar->addWidget(m_count, 1);
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    m_content = content;
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        static_cast<RunnerFilter *>(m_proxy)->words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        static_cast<RunnerFilter *>(m_proxy)->apply();
        updateView();
    });
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<RunnerFilter *>(m_proxy)->state = m_status->currentData().toString();
        static_cast<RunnerFilter *>(m_proxy)->apply();
        updateView();
    });
    connect(m_model, &RunnersModel::loaded, this, &RunnersPane::updateView);
    m_model->reload();
}

void RunnersPane::updateView()
{
    // The table replaces the empty state once the cache holds runners.
    if (m_model->rowCount() > 0 && !isContentShown())
        setContent(m_content);
    m_count->setText(tr("%1 of %2 runners").arg(m_proxy->rowCount()).arg(m_model->rowCount()));
}

void RunnersPane::refresh()
{
    const QList<qint64> ids = connectionIds();
    if (ids.isEmpty() || !m_github)
        return Pane::refresh(); // says there is nothing to refresh
    for (qint64 id : ids)
        QMetaObject::invokeMethod(m_github, [github = m_github, id] { github->syncRunners(id); });
}

} // namespace opsdeck
