// Finds text a window shows cut off: a button, label, tab or column title narrower than its text.
// The screenshot mode reports what it finds, so that a translation whose words run longer than
// the English ones (German) shows where the layout needs room; the tests fail on any.
#pragma once

#include <QStringList>

class QWidget;

namespace opsdeck {

// One line per clipped text: where it is, the text, and the width it needs against the width it has.
QStringList findClippedText(const QWidget *root);

} // namespace opsdeck
