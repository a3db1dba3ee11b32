// Base of every pane in the main window's sidebar. A pane names the connection kinds that feed
// it; until its backend exists (later issues) it shows an empty state that says what it will
// manage and how to add a connection for it.
#pragma once

#include "models/connections/connection.h"

#include <QIcon>
#include <QWidget>

class QAbstractItemModel;
class QAbstractItemView;
class QStackedLayout;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace opsdeck {

class ConnectionsModel;
class EmptyState;

class Pane : public QWidget
{
    Q_OBJECT
public:
    struct Info
    {
        QString id;                  // stable, for settings and screenshots ("runners")
        QString title;               // translated
        QString icon;                // freedesktop icon name
        QList<ConnectionKind> kinds; // connections that feed this pane
        QString emptyTitle;
        QString emptyText;
    };

    Pane(Info info, ConnectionsModel *connections, QWidget *parent = nullptr);

    const Info &info() const { return m_info; }
    QString id() const { return m_info.id; }
    QString title() const { return m_info.title; }
    QIcon icon() const { return iconFor(m_info.id); }
    static QIcon iconFor(const QString &paneId);
    // Saved connections that feed this pane.
    QList<qint64> connectionIds() const;

    // F5: a pane without its own sync asks for a health check of its connections.
    virtual void refresh();
    // Views besides the first that the offscreen screenshots show (tabs, say), and showing one
    // (empty: back to the first).
    virtual QStringList extraViews() const { return {}; }
    virtual void showView(const QString &view) { Q_UNUSED(view) }
    // The pane's own dialogs that the offscreen screenshots show, and opening one without a modal
    // loop (null when the pane cannot open it here, say without its service).
    virtual QStringList screenshotDialogs() const { return {}; }
    virtual QWidget *openScreenshotDialog(const QString &name)
    {
        Q_UNUSED(name)
        return nullptr;
    }

    // A clicked notification's row (models/core/desktopnotice.h, its target: "job:12"): shown and
    // selected; false when the pane has no such row (or a filter hides it).
    virtual bool revealItem(const QString &target)
    {
        Q_UNUSED(target)
        return false;
    }
    // Selects and scrolls to a row of source in view, whose model is source or a chain of proxies
    // over it; false when the row is not in the view (unknown, or filtered out).
    static bool selectSourceRow(QAbstractItemView *view, const QAbstractItemModel *source, int sourceRow);

    // The panes' tables look and behave alike: rows selected whole, sortable, compact rows.
    static void setUpTable(QTableView *view, QAbstractItemModel *model, int sortColumn, const QString &name);
    // The same over a sorting proxy of source (sorted on the models' raw sort role, case aside).
    static void setUpTable(QTableView *view, QSortFilterProxyModel *proxy, QAbstractItemModel *source,
                           int sortColumn, const QString &name);
    // A read-only list for a dialog's preview (whole rows selected, no row numbers, the last column
    // stretched), and a row appended to it with each cell's text as its tooltip too.
    static QTableWidget *previewTable(const QStringList &headers, const QString &name, QWidget *parent);
    static void appendRow(QTableWidget *table, const QStringList &cells);
    // Each connection of this pane's kinds and its last sync of scope, as the status bar has it:
    // "harbor: synced 3 Dec 2026 18:34 · mirror: last sync failed (…)"; none: empty.
    QString syncStateText(const QString &scope) const;
    // Column widths in average characters of the view's font: {{column, characters}, ...}.
    static void setColumnWidths(QTableView *view, std::initializer_list<std::pair<int, int>> widths);

signals:
    void refreshRequested(const QList<qint64> &connectionIds);
    void addConnectionRequested(opsdeck::ConnectionKind kind);

protected:
    // A pane with a real view puts it here; the empty state shows until then.
    void setContent(QWidget *content);
    bool isContentShown() const { return m_content != nullptr; }
    EmptyState *emptyState() const { return m_empty; }
    void updateEmptyState();

    ConnectionsModel *m_connections;

private:
    Info m_info;
    QStackedLayout *m_stack;
    EmptyState *m_empty;
    QWidget *m_content = nullptr;
};

} // namespace opsdeck
