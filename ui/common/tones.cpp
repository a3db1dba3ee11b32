#include "ui/common/tones.h"

#include <QAbstractAxis>
#include <QChart>
#include <QEvent>
#include <QGuiApplication>
#include <QLegend>
#include <QWidget>

#include <cmath>
#include <iterator>

namespace opsdeck {

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

namespace {
// Each tone's shade on a light palette and on a dark one, in the order of Tone.
struct Shades
{
    QRgb light;
    QRgb dark;
};
constexpr Shades shades[] = {
    {0x1a7f37, 0x3fb950}, // Good
    {0x9a6700, 0xd29922}, // Warning
    {0xcf222e, 0xff7b72}, // Bad
    {0x82071e, 0xffa198}, // Severe
    {0x57606a, 0x8b949e}, // Muted
    {0x0969da, 0x58a6ff}, // Accent
    {0xffe58f, 0x6b5200}, // Match
};
static_assert(std::size(shades) == std::size_t(Tone::Match) + 1, "a shade pair for every tone");
} // namespace

QColor toneColour(Tone tone, const QPalette &palette)
{
    const Shades &s = shades[std::size_t(tone)];
    return QColor::fromRgb(isDarkPalette(palette) ? s.dark : s.light);
}

QColor toneColour(Tone tone)
{
    return toneColour(tone, QGuiApplication::palette());
}

QString toneName(Tone tone)
{
    return toneColour(tone).name();
}

namespace {
double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        v /= 255.0;
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor text(0xe6, 0xe8, 0xeb);
    const QColor disabled(0x80, 0x85, 0x8c);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3d));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x41, 0x46));
    p.setColor(QPalette::Mid, QColor(0x26, 0x28, 0x2c));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x0d, 0x0e, 0x10));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xcf));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x58, 0xa6, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xbc, 0x8c, 0xff));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x48, 0x4d));
    return p;
}

namespace {
class PaletteWatch : public QObject
{
public:
    PaletteWatch(QWidget *widget, std::function<void()> again) : QObject(widget), m_again(std::move(again))
    {
        widget->installEventFilter(this);
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::PaletteChange && watched == parent())
            m_again();
        return false;
    }

private:
    std::function<void()> m_again;
};
} // namespace

void onPaletteChange(QWidget *widget, std::function<void()> again)
{
    new PaletteWatch(widget, std::move(again));
}

void styleChart(QChart *chart, const QPalette &palette)
{
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    const QColor grid = palette.color(QPalette::Mid);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.color(QPalette::Text));
        axis->setLinePenColor(palette.color(QPalette::PlaceholderText));
        axis->setGridLineColor(isDarkPalette(palette) ? grid.lighter(140) : QColor(0xe1, 0xe4, 0xe8));
    }
}

} // namespace opsdeck
