#include "ui/panes/testruns/historydelegate.h"

#include "models/testruns/junitreader.h"

#include <QApplication>
#include <QPainter>

namespace opsdeck {

namespace {
constexpr int cell = 9;
constexpr int gap = 2;
} // namespace

QColor HistoryStripDelegate::outcomeColor(int outcome, bool flaky)
{
    switch (outcome) {
    case int(CaseOutcome::Passed):
        return flaky ? QColor(0xe5, 0xa5, 0x0a) : QColor(0x2e, 0xa0, 0x43);
    case int(CaseOutcome::Failed):
        return QColor(0xcf, 0x22, 0x2e);
    case int(CaseOutcome::Errored):
        return QColor(0x82, 0x07, 0x1e);
    case int(CaseOutcome::Skipped):
        return QColor(0x9a, 0xa0, 0xa6);
    default:
        return {};
    }
}

void HistoryStripDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QVariantList history = index.data(m_role).toList();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    const int top = option.rect.top() + (option.rect.height() - cell) / 2;
    // Right-aligned, so this run lines up in every row whatever each history's length.
    int x = option.rect.right() - 4 - int(history.size()) * (cell + gap) + gap;
    x = qMax(x, option.rect.left() + 2);
    for (const QVariant &v : history) {
        const QVariantMap m = v.toMap();
        const QRect r(x, top, cell, cell);
        const int outcome = m.value(QStringLiteral("outcome")).toInt();
        if (outcome < 0) {
            painter->setPen(option.palette.color(QPalette::Mid));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(r.adjusted(0, 0, -1, -1));
        } else {
            painter->fillRect(r, outcomeColor(outcome, m.value(QStringLiteral("flaky")).toBool()));
        }
        x += cell + gap;
        if (x + cell > option.rect.right())
            break;
    }
    painter->restore();
}

QSize HistoryStripDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int n = int(index.data(m_role).toList().size());
    return {qMax(60, n * (cell + gap) + 8), QStyledItemDelegate::sizeHint(option, index).height()};
}

} // namespace opsdeck
