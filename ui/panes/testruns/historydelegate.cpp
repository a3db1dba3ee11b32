#include "ui/panes/testruns/historydelegate.h"
#include "ui/common/tones.h"

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
        return flaky ? toneColour(Tone::Warning) : toneColour(Tone::Good);
    case int(CaseOutcome::Failed):
        return toneColour(Tone::Bad);
    case int(CaseOutcome::Errored):
        return toneColour(Tone::Severe);
    case int(CaseOutcome::Skipped):
        return toneColour(Tone::Muted);
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
