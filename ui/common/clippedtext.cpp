#include "ui/common/clippedtext.h"

#include <QAbstractButton>
#include <QAbstractItemModel>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QTabBar>
#include <QToolButton>
#include <QWidget>

namespace opsdeck {

namespace {

// Where a widget is, for a person reading the report: its window's title and its own name.
QString placeOf(const QWidget *widget)
{
    QString window = widget->window()->windowTitle();
    if (window.isEmpty())
        window = QString::fromLatin1(widget->window()->metaObject()->className());
    QString name = widget->objectName();
    if (name.isEmpty())
        name = QString::fromLatin1(widget->metaObject()->className());
    return window + QStringLiteral(" › ") + name;
}

QString line(const QWidget *widget, const QString &what, const QString &text, int needs, int has)
{
    QString shown = text;
    shown.remove(QLatin1Char('&'));
    shown.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return QStringLiteral("%1 %2 \"%3\": needs %4 px, has %5")
        .arg(placeOf(widget), what, shown)
        .arg(needs)
        .arg(has);
}

void checkHeader(const QHeaderView *header, QStringList &found)
{
    const QAbstractItemModel *model = header->model();
    if (!model || header->orientation() != Qt::Horizontal)
        return;
    for (int logical = 0; logical < header->count(); ++logical) {
        if (header->isSectionHidden(logical) || header->sectionSize(logical) == 0)
            continue;
        const QString text = model->headerData(logical, Qt::Horizontal, Qt::DisplayRole).toString();
        if (text.isEmpty())
            continue;
        // The header's own measure of its title (font, margins, sort indicator): keepTitlesWhole() in
        // ui/common/fitcolumns.h widens a column to it.
        const int needs = header->sectionSizeHint(logical);
        if (header->sectionSize(logical) < needs)
            found << line(header, QStringLiteral("column"), text, needs, header->sectionSize(logical));
    }
}

} // namespace

QStringList findClippedText(const QWidget *root)
{
    QStringList found;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(const_cast<QWidget *>(root));
    for (const QWidget *widget : std::as_const(widgets)) {
        if (widget != root && !widget->isVisibleTo(root))
            continue;
        if (const auto *button = qobject_cast<const QAbstractButton *>(widget)) {
            const auto *tool = qobject_cast<const QToolButton *>(widget);
            if (button->text().isEmpty() || (tool && tool->toolButtonStyle() == Qt::ToolButtonIconOnly))
                continue;
            // A button keeps its size hint unless its layout squeezes it: then its text is cut.
            if (button->width() < button->sizeHint().width() - 1)
                found << line(button, QStringLiteral("button"), button->text(), button->sizeHint().width(),
                              button->width());
        } else if (const auto *label = qobject_cast<const QLabel *>(widget)) {
            if (label->wordWrap() || label->text().isEmpty())
                continue;
            if (label->width() < label->sizeHint().width() - 1)
                found << line(label, QStringLiteral("label"), label->text(), label->sizeHint().width(),
                              label->width());
        } else if (const auto *tabs = qobject_cast<const QTabBar *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i) {
                if (!tabs->isTabVisible(i))
                    continue;
                QString text = tabs->tabText(i);
                text.remove(QLatin1Char('&'));
                const int needs = tabs->fontMetrics().horizontalAdvance(text) +
                                  tabs->style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, tabs);
                if (tabs->tabRect(i).width() < needs - 1)
                    found << line(tabs, QStringLiteral("tab"), tabs->tabText(i), needs,
                                  tabs->tabRect(i).width());
            }
        } else if (const auto *header = qobject_cast<const QHeaderView *>(widget)) {
            checkHeader(header, found);
        } else if (const auto *group = qobject_cast<const QGroupBox *>(widget)) {
            const int needs = group->fontMetrics().horizontalAdvance(group->title()) +
                              2 * group->style()->pixelMetric(QStyle::PM_LayoutLeftMargin, nullptr, group);
            if (!group->title().isEmpty() && group->width() < needs)
                found << line(group, QStringLiteral("group"), group->title(), needs, group->width());
        }
    }
    return found;
}

} // namespace opsdeck
