// Ctrl+K: type to jump to a pane or a connection.
#pragma once

#include <QDialog>

class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;

namespace opsdeck {

class QuickSwitcher : public QDialog
{
    Q_OBJECT
public:
    enum Kind { PaneEntry, ConnectionEntry };
    explicit QuickSwitcher(QWidget *parent = nullptr);

    void clear();
    void addEntry(Kind kind, const QString &id, const QString &text, const QString &detail,
                  const QIcon &icon);
    void setFilterText(const QString &text);
    int visibleCount() const;
    QLineEdit *filterEdit() const { return m_filter; }

signals:
    void paneChosen(const QString &paneId);
    void connectionChosen(qint64 connectionId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void activateCurrent();

    QLineEdit *m_filter;
    QListView *m_list;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
};

} // namespace opsdeck
