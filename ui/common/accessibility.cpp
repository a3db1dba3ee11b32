#include "ui/common/accessibility.h"

#include <QAbstractItemView>
#include <QAccessible>
#include <QAccessibleInterface>
#include <QEvent>
#include <QTableView>
#include <QWidget>

namespace opsdeck {

namespace {

bool interactive(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::PageTab:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::List:
        return true;
    default:
        return false;
    }
}

QString roleName(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::PushButton:
        return QStringLiteral("button");
    case QAccessible::CheckBox:
        return QStringLiteral("check box");
    case QAccessible::RadioButton:
        return QStringLiteral("radio button");
    case QAccessible::ComboBox:
        return QStringLiteral("combo box");
    case QAccessible::EditableText:
        return QStringLiteral("text field");
    case QAccessible::SpinBox:
        return QStringLiteral("spin box");
    case QAccessible::Slider:
        return QStringLiteral("slider");
    case QAccessible::PageTab:
        return QStringLiteral("tab");
    case QAccessible::Table:
        return QStringLiteral("table");
    case QAccessible::Tree:
        return QStringLiteral("tree");
    case QAccessible::List:
        return QStringLiteral("list");
    default:
        return QStringLiteral("menu button");
    }
}

// Where a widget is: the object names (or classes) from the root down.
QString placeOf(const QObject *object, const QWidget *root)
{
    QStringList path;
    for (const QObject *o = object; o; o = o->parent()) {
        path.prepend(o->objectName().isEmpty() ? QString::fromLatin1(o->metaObject()->className())
                                               : o->objectName());
        if (o == root)
            break;
    }
    return path.join(QStringLiteral(" › "));
}

void walk(QAccessibleInterface *iface, QWidget *root, QStringList &problems, int depth)
{
    if (!iface || !iface->isValid() || depth > 60)
        return;
    const QAccessible::State state = iface->state();
    if (state.invisible || state.offscreen)
        return;
    const QAccessible::Role role = iface->role();
    if (interactive(role) && iface->text(QAccessible::Name).trimmed().isEmpty()) {
        const QObject *object = iface->object();
        // A tab has no object of its own: name the tab bar and the tab's position.
        const QString where = object ? placeOf(object, root)
                                     : placeOf(iface->parent() ? iface->parent()->object() : nullptr, root) +
                                           QStringLiteral(" › #%1").arg(iface->parent()->indexOfChild(iface));
        // What a sighted person goes by instead: a placeholder, a tooltip, a suffix.
        QString hint;
        for (const char *property : {"placeholderText", "toolTip", "suffix"})
            if (object && hint.isEmpty())
                hint = object->property(property).toString();
        problems << (hint.isEmpty()
                         ? QStringLiteral("unnamed %1 at %2").arg(roleName(role), where)
                         : QStringLiteral("unnamed %1 at %2 (\"%3\")").arg(roleName(role), where, hint));
    }
    if (role == QAccessible::Table || role == QAccessible::Tree || role == QAccessible::List) {
        // What a screen reader announces as the rows, against the model's.
        if (auto *view = qobject_cast<QAbstractItemView *>(iface->object()); view && view->model()) {
            QAccessibleTableInterface *table = iface->tableInterface();
            const int rows = view->model()->rowCount(view->rootIndex());
            if (table && role != QAccessible::Tree && table->rowCount() != rows)
                problems << QStringLiteral("%1 at %2 announces %3 rows, has %4")
                                .arg(roleName(role), placeOf(view, root))
                                .arg(table->rowCount())
                                .arg(rows);
        }
        return; // not into the cells: a table may hold 100,000 rows
    }
    if (role == QAccessible::ComboBox)
        return; // its popup list is the combo box's own
    for (int i = 0; i < iface->childCount(); ++i)
        walk(iface->child(i), root, problems, depth + 1);
}

} // namespace

namespace {
class KeyboardPolicy : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Polish)
            if (auto *table = qobject_cast<QTableView *>(watched))
                table->setTabKeyNavigation(false);
        return false;
    }
};
} // namespace

void installKeyboardPolicy(QObject *application)
{
    application->installEventFilter(new KeyboardPolicy(application));
}

QStringList findAccessibilityProblems(QWidget *root)
{
    QStringList problems;
    walk(QAccessible::queryAccessibleInterface(root), root, problems, 0);
    return problems;
}

} // namespace opsdeck
