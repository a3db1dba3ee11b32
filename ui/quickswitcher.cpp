#include "ui/quickswitcher.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
enum Roles { KindRole = Qt::UserRole + 1, IdRole, SearchRole };

// Matches every word of the filter against the entry's text and detail.
class SwitcherFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setWords(const QString &text)
    {
        m_words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QString haystack = sourceModel()->index(row, 0, parent).data(SearchRole).toString();
        for (const QString &word : m_words)
            if (!haystack.contains(word, Qt::CaseInsensitive))
                return false;
        return true;
    }

private:
    QStringList m_words;
};
} // namespace

QuickSwitcher::QuickSwitcher(QWidget *parent)
    : QDialog(parent, Qt::Popup | Qt::FramelessWindowHint), m_filter(new QLineEdit(this)),
      m_list(new QListView(this)), m_model(new QStandardItemModel(this)), m_proxy(new SwitcherFilter(this))
{
    setObjectName(QStringLiteral("quickSwitcher"));
    setWindowTitle(tr("Go to"));
    m_filter->setPlaceholderText(tr("Go to a pane or a connection…"));
    m_filter->setAccessibleName(m_filter->placeholderText());
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_list->setModel(m_proxy);
    m_list->setAccessibleName(tr("Panes and connections"));
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list);
    resize(520, 360);
    m_filter->installEventFilter(this);
    connect(m_filter, &QLineEdit::textChanged, this, &QuickSwitcher::setFilterText);
    connect(m_filter, &QLineEdit::returnPressed, this, &QuickSwitcher::activateCurrent);
    connect(m_list, &QListView::activated, this, &QuickSwitcher::activateCurrent);
}

void QuickSwitcher::clear()
{
    m_model->clear();
    m_filter->clear();
}

void QuickSwitcher::addEntry(Kind kind, const QString &id, const QString &text, const QString &detail,
                             const QIcon &icon)
{
    auto *item =
        new QStandardItem(icon, detail.isEmpty() ? text : QStringLiteral("%1  —  %2").arg(text, detail));
    item->setData(int(kind), KindRole);
    item->setData(id, IdRole);
    item->setData(text + QLatin1Char(' ') + detail, SearchRole);
    m_model->appendRow(item);
    if (!m_list->currentIndex().isValid())
        m_list->setCurrentIndex(m_proxy->index(0, 0));
}

void QuickSwitcher::setFilterText(const QString &text)
{
    static_cast<SwitcherFilter *>(m_proxy)->setWords(text);
    m_list->setCurrentIndex(m_proxy->index(0, 0));
}

int QuickSwitcher::visibleCount() const
{
    return m_proxy->rowCount();
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up || key->key() == Qt::Key_PageDown ||
            key->key() == Qt::Key_PageUp) {
            QCoreApplication::sendEvent(m_list, event); // arrows move the selection while typing
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickSwitcher::activateCurrent()
{
    const QModelIndex index =
        m_list->currentIndex().isValid() ? m_list->currentIndex() : m_proxy->index(0, 0);
    if (!index.isValid())
        return;
    const auto kind = Kind(index.data(KindRole).toInt());
    const QString id = index.data(IdRole).toString();
    accept();
    if (kind == PaneEntry)
        emit paneChosen(id);
    else
        emit connectionChosen(id.toLongLong());
}

} // namespace opsdeck
