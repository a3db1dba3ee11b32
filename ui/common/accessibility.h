// Walks a window through Qt's accessibility interfaces (what a screen reader is given) and finds
// what a person who cannot see it could not use: an interactive control without a name (a button,
// field, box, tab, slider, table or list), and a table or list whose row count is not the one its
// model has. The screenshot mode reports what it finds; the tests fail on any.
#pragma once

#include <QStringList>

class QWidget;

namespace opsdeck {

// One line per problem: the control's role and where it is (its object names from the root down).
QStringList findAccessibilityProblems(QWidget *root);

// Opsdeck's keyboard rule for every window: Tab moves to the next control, never within a control.
// A table (whose Tab would move from cell to cell, trapping the keyboard) is set so as it is first
// shown; the arrow keys move within it. The application installs it once.
void installKeyboardPolicy(QObject *application);

} // namespace opsdeck
