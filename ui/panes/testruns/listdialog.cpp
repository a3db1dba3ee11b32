#include "ui/panes/testruns/listdialog.h"

#include "models/store/cachetablemodel.h"
#include "ui/panes/pane.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck {

ListDialog::ListDialog(const QString &title, const QString &name, QWidget *parent)
    : QDialog(parent), m_message(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_buttons(new QHBoxLayout)
{
    setWindowTitle(title);
    setObjectName(name);
    m_message->setObjectName(name + QStringLiteral("Message"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->hide();
}

QPushButton *ListDialog::addButton(const QString &text, const QString &icon, const QString &name)
{
    auto *button =
        icon.isEmpty() ? new QPushButton(text, this) : new QPushButton(QIcon::fromTheme(icon), text, this);
    if (!name.isEmpty())
        button->setObjectName(name);
    m_buttons->addWidget(button);
    return button;
}

QTableView *ListDialog::addTable(QAbstractItemModel *model, int sortColumn, const QString &name)
{
    auto *view = new QTableView(this);
    Pane::setUpTable(view, model, sortColumn, name);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    return view;
}

void ListDialog::finishLayout(std::initializer_list<std::pair<QWidget *, int>> body)
{
    m_buttons->addStretch(1);
    auto *status = new QHBoxLayout;
    status->addWidget(m_message, 1);
    status->addWidget(m_progress);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_buttons);
    for (const auto &[widget, stretch] : body)
        layout->addWidget(widget, stretch);
    layout->addLayout(status);
    layout->addWidget(close);
}

qint64 ListDialog::selectedKey(const QTableView *view)
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(CacheTableModel::KeyRole).toLongLong();
}

bool ListDialog::confirmRemove(const QString &title, const QString &text, const QString &informative)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Cancel, this);
    box.setInformativeText(informative);
    QPushButton *remove = box.addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == remove;
}

} // namespace opsdeck
