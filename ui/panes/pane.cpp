#include "ui/panes/pane.h"

#include "ui/common/fitcolumns.h"

#include "models/connections/connectionsmodel.h"
#include "models/connections/connectionstore.h"
#include "models/store/cachetablemodel.h"
#include "models/store/database.h"
#include "ui/common/emptystate.h"

#include <QHeaderView>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSqlQuery>
#include <QStackedLayout>
#include <QTableView>
#include <QTableWidget>

namespace opsdeck {

Pane::Pane(Info info, ConnectionsModel *connections, QWidget *parent)
    : QWidget(parent), m_connections(connections), m_info(std::move(info)), m_stack(new QStackedLayout(this)),
      m_empty(new EmptyState(this))
{
    setObjectName(m_info.id + QStringLiteral("Pane"));
    m_stack->addWidget(m_empty);
    m_empty->setIcon(icon());
    m_empty->setTitle(m_info.emptyTitle);
    connect(m_empty, &EmptyState::actionTriggered, this,
            [this] { emit addConnectionRequested(m_info.kinds.value(0, ConnectionKind::GitHub)); });
    if (m_connections) {
        connect(m_connections, &QAbstractItemModel::rowsInserted, this, &Pane::updateEmptyState);
        connect(m_connections, &QAbstractItemModel::rowsRemoved, this, &Pane::updateEmptyState);
        connect(m_connections, &QAbstractItemModel::modelReset, this, &Pane::updateEmptyState);
    }
    updateEmptyState();
}

QTableWidget *Pane::previewTable(const QStringList &headers, const QString &name, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

void Pane::appendRow(QTableWidget *table, const QStringList &cells)
{
    const int row = table->rowCount();
    table->insertRow(row);
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        item->setToolTip(cells.at(c));
        table->setItem(row, c, item);
    }
}

void Pane::setUpTable(QTableView *view, QAbstractItemModel *model, int sortColumn, const QString &name)
{
    view->setModel(model);
    view->setSortingEnabled(true);
    view->sortByColumn(sortColumn, Qt::AscendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->setAccessibleName(name);
}

void Pane::setUpTable(QTableView *view, QSortFilterProxyModel *proxy, QAbstractItemModel *source,
                      int sortColumn, const QString &name)
{
    proxy->setSourceModel(source);
    proxy->setSortRole(CacheTableModel::SortRole);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    setUpTable(view, proxy, sortColumn, name);
}

void Pane::setColumnWidths(QTableView *view, std::initializer_list<std::pair<int, int>> widths)
{
    const int w = view->fontMetrics().averageCharWidth();
    for (const auto &[column, characters] : widths)
        view->setColumnWidth(column, w * characters);
    keepTitlesWhole(view->horizontalHeader());
}

QIcon Pane::iconFor(const QString &paneId)
{
    // Opsdeck's own icons: they look the same on every desktop and scale cleanly at any DPI.
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(paneId));
}

QString Pane::syncStateText(const QString &scope) const
{
    QStringList parts;
    for (int row = 0; m_connections && row < m_connections->rowCount(); ++row) {
        const Connection c = m_connections->connectionAt(row);
        if (!m_info.kinds.contains(c.kind))
            continue;
        QSqlQuery q(Database::connection());
        q.prepare(QStringLiteral("SELECT last_success_at, last_error, last_error_at FROM sync_state "
                                 "WHERE connection_id = ? AND scope = ?"));
        q.addBindValue(c.id);
        q.addBindValue(scope);
        if (!q.exec() || !q.next()) {
            parts << tr("%1: not synced yet").arg(c.name);
            continue;
        }
        const QDateTime success = fromStoredTime(q.value(0).toString());
        const QDateTime failed = fromStoredTime(q.value(2).toString());
        if (failed.isValid() && (!success.isValid() || failed > success))
            parts << tr("%1: last sync failed (%2)").arg(c.name, q.value(1).toString());
        else if (success.isValid())
            parts << tr("%1: synced %2")
                         .arg(c.name, QLocale().toString(success.toLocalTime(), QLocale::ShortFormat));
    }
    return parts.join(QStringLiteral(" · "));
}

QList<qint64> Pane::connectionIds() const
{
    QList<qint64> ids;
    if (!m_connections)
        return ids;
    for (int row = 0; row < m_connections->rowCount(); ++row) {
        const Connection c = m_connections->connectionAt(row);
        if (m_info.kinds.contains(c.kind))
            ids << c.id;
    }
    return ids;
}

void Pane::refresh()
{
    emit refreshRequested(connectionIds());
}

void Pane::setContent(QWidget *content)
{
    m_content = content;
    m_stack->addWidget(content);
    m_stack->setCurrentWidget(content);
}

void Pane::updateEmptyState()
{
    if (m_content)
        return;
    QStringList kindNames;
    for (ConnectionKind kind : std::as_const(m_info.kinds))
        kindNames << kindDisplayName(kind);
    const int count = int(connectionIds().size());
    QString text = m_info.emptyText;
    if (m_info.kinds.isEmpty()) {
        m_empty->setActionText({});
    } else if (count == 0) {
        text += QStringLiteral("<p>") +
                tr("To start, add a connection (%1) with <b>File › Connections…</b> (Ctrl+,).")
                    .arg(kindNames.join(tr(" or "))) +
                QStringLiteral("</p>");
        m_empty->setActionText(tr("Add a %1 connection…").arg(kindDisplayName(m_info.kinds.first())));
    } else {
        text += QStringLiteral("<p>") +
                tr("%n connection(s) feed this pane: Refresh (F5) reads them now.", nullptr, count) +
                QStringLiteral("</p>");
        m_empty->setActionText({});
    }
    m_empty->setText(text);
}

bool Pane::selectSourceRow(QAbstractItemView *view, const QAbstractItemModel *source, int sourceRow)
{
    if (!view || !source || sourceRow < 0 || sourceRow >= source->rowCount())
        return false;
    // From the view's model down to the source, then the row back up through each proxy.
    QList<const QAbstractProxyModel *> proxies;
    for (const QAbstractItemModel *m = view->model(); m && m != source;) {
        const auto *proxy = qobject_cast<const QAbstractProxyModel *>(m);
        if (!proxy)
            return false;
        proxies.prepend(proxy);
        m = proxy->sourceModel();
    }
    QModelIndex at = source->index(sourceRow, 0);
    for (const QAbstractProxyModel *proxy : std::as_const(proxies))
        at = proxy->mapFromSource(at);
    if (!at.isValid())
        return false;
    view->setCurrentIndex(at);
    if (view->selectionModel())
        view->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view->scrollTo(at);
    view->setFocus();
    return true;
}

} // namespace opsdeck
