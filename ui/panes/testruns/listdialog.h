// What the Test runs pane's list dialogs (GitHub sources, golden suites, mocks) share: a row of
// buttons over one or more tables, a message line with a progress bar, Close, single-row selection
// by key, and the confirmation a removal asks for.
#pragma once

#include <QDialog>

#include <initializer_list>
#include <utility>

class QAbstractItemModel;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace opsdeck {

class ListDialog : public QDialog
{
    Q_OBJECT
public:
    QLabel *message() const { return m_message; }

protected:
    ListDialog(const QString &title, const QString &name, QWidget *parent);
    // A button appended to the row (icon: a theme name, may be empty).
    QPushButton *addButton(const QString &text, const QString &icon = {}, const QString &name = {});
    // A sortable table of whole rows, one selected at a time.
    QTableView *addTable(QAbstractItemModel *model, int sortColumn, const QString &name);
    // Lays the dialog out: the buttons, then each widget with its stretch, the message line, Close.
    void finishLayout(std::initializer_list<std::pair<QWidget *, int>> body);
    // The key (CacheTableModel::KeyRole) of the row selected in view, 0 for none.
    static qint64 selectedKey(const QTableView *view);
    // Asks before a removal, Cancel the default: true when Remove was chosen.
    bool confirmRemove(const QString &title, const QString &text, const QString &informative);

    QLabel *m_message;
    QProgressBar *m_progress;

private:
    QHBoxLayout *m_buttons;
};

} // namespace opsdeck
