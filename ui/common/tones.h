// Opsdeck's own colours, for light and dark palettes alike: the status dots, the states and
// severities in tables, the history strips, the chart series and the log's highlighting. Each
// tone has a shade for a light palette and one for a dark palette, chosen by the palette's own
// window colour, with enough contrast against the palette's base (WCAG AA: 4.5:1 for text).
// Charts follow the palette too (styleChart). tst_accessibility renders every pane on both palettes
// and measures the contrast of every text against its background.
#pragma once

#include <QColor>
#include <QPalette>

#include <functional>

class QWidget;

class QChart;

namespace opsdeck {

enum class Tone {
    Good,    // running, passed, connected
    Warning, // near a limit, flaky, offline
    Bad,     // failed, over budget, stderr
    Severe,  // errored
    Muted,   // skipped, unknown
    Accent,  // a second series
    Match,   // the background of a search match (Text reads on it)
};

bool isDarkPalette(const QPalette &palette);
// The tone's colour for the palette (the application's when none is given).
QColor toneColour(Tone tone, const QPalette &palette);
QColor toneColour(Tone tone);
// The same as a CSS colour for rich text ("#cf222e").
QString toneName(Tone tone);

// The WCAG contrast ratio of two colours (1 to 21).
double contrastRatio(const QColor &a, const QColor &b);

// A dark palette in the Fusion style's roles, for --palette dark and the tests.
QPalette darkPalette();

// Calls again whenever the widget's palette changes (the desktop went dark, or light): for what a
// widget coloured once (table items, charts).
void onPaletteChange(QWidget *widget, std::function<void()> again);

// A chart in the palette's colours: its background, plot area, axes, labels and legend.
void styleChart(QChart *chart, const QPalette &palette);

} // namespace opsdeck
