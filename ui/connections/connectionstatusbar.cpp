#include "ui/connections/connectionstatusbar.h"
#include "ui/common/tones.h"

#include "models/connections/connectionsmodel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>

namespace opsdeck {

namespace {
QColor stateColor(ConnectionHealth::State state, const QPalette &palette)
{
    // Colours that read on light and dark palettes alike.
    switch (state) {
    case ConnectionHealth::Connected:
        return toneColour(Tone::Good);
    case ConnectionHealth::Syncing:
        return palette.color(QPalette::Highlight);
    case ConnectionHealth::Offline:
        return toneColour(Tone::Warning);
    case ConnectionHealth::Failed:
        return toneColour(Tone::Bad);
    case ConnectionHealth::Unknown:
        break;
    }
    return palette.color(QPalette::PlaceholderText);
}

QPixmap dot(const QColor &color, qreal dpr)
{
    const int size = 10;
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    return pixmap;
}
} // namespace

ConnectionStatusBar::ConnectionStatusBar(ConnectionsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_layout(new QHBoxLayout(this)), m_rateLimit(new QLabel(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(14);
    m_layout->addStretch(1);
    m_layout->addWidget(m_rateLimit);
    m_rateLimit->hide();
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ConnectionStatusBar::rebuild);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ConnectionStatusBar::rebuild);
    connect(m_model, &QAbstractItemModel::rowsMoved, this, &ConnectionStatusBar::rebuild);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConnectionStatusBar::rebuild);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                for (int row = from.row(); row <= to.row(); ++row)
                    updateEntry(row);
            });
    // Staleness ("data from N min ago") moves with the clock.
    m_ageTimer.setInterval(30 * 1000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        for (int row = 0; row < m_model->rowCount(); ++row)
            updateEntry(row);
    });
    m_ageTimer.start();
    rebuild();
}

void ConnectionStatusBar::rebuild()
{
    for (const Entry &e : std::as_const(m_entries))
        delete e.widget;
    m_entries.clear();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const qint64 id = m_model->connectionAt(row).id;
        Entry e;
        e.widget = new QWidget(this);
        e.widget->setCursor(Qt::PointingHandCursor);
        e.widget->setProperty("connectionId", id);
        e.widget->installEventFilter(this);
        auto *layout = new QHBoxLayout(e.widget);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        e.dot = new QLabel(e.widget);
        e.label = new QLabel(e.widget);
        e.progress = new QProgressBar(e.widget);
        e.progress->setMaximumWidth(80);
        e.progress->setMaximumHeight(12);
        e.progress->setTextVisible(false);
        e.progress->hide();
        layout->addWidget(e.dot);
        layout->addWidget(e.label);
        layout->addWidget(e.progress);
        m_layout->insertWidget(m_layout->count() - 2, e.widget); // before the stretch
        m_entries.insert(id, e);
        updateEntry(row);
    }
}

void ConnectionStatusBar::updateEntry(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const qint64 id = m_model->connectionAt(row).id;
    const auto it = m_entries.constFind(id);
    if (it == m_entries.constEnd())
        return;
    const ConnectionHealth h = m_model->healthAt(row);
    // Compact: a healthy or syncing connection shows its name; a problem shows what is wrong.
    const bool quiet = h.state == ConnectionHealth::Connected || h.state == ConnectionHealth::Syncing;
    const QString name = m_model->connectionAt(row).name;
    const QString shortName =
        fontMetrics().elidedText(name, Qt::ElideMiddle, fontMetrics().averageCharWidth() * 22);
    QString text = quiet ? shortName : shortName + h.text.mid(name.size());
    if (h.state == ConnectionHealth::Failed) // the error itself, shortened; the tooltip has all of it
        text += QStringLiteral(" — ") +
                fontMetrics().elidedText(h.tooltip, Qt::ElideRight, fontMetrics().averageCharWidth() * 36);
    it->label->setText(text);
    it->widget->setToolTip(
        QStringLiteral("<b>%1</b><br>%2").arg(h.text.toHtmlEscaped(), h.tooltip.toHtmlEscaped()));
    it->widget->setAccessibleName(h.text);
    it->dot->setPixmap(dot(stateColor(h.state, palette()), devicePixelRatioF()));
    const bool syncing = h.state == ConnectionHealth::Syncing;
    it->progress->setVisible(syncing);
    if (syncing) {
        const int progress = m_model->syncProgress(id);
        it->progress->setRange(0, progress < 0 ? 0 : 100); // busy indicator when unknown
        if (progress >= 0)
            it->progress->setValue(progress);
    }
}

QString ConnectionStatusBar::entryText(qint64 connectionId) const
{
    const auto it = m_entries.constFind(connectionId);
    return it == m_entries.constEnd() ? QString() : it->widget->accessibleName();
}

void ConnectionStatusBar::setRateLimit(const QString &text)
{
    m_rateLimit->setText(text);
    m_rateLimit->setVisible(!text.isEmpty());
}

bool ConnectionStatusBar::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const QVariant id = watched->property("connectionId");
        if (id.isValid())
            emit connectionClicked(id.toLongLong());
    } else if (event->type() == QEvent::PaletteChange) {
        for (int row = 0; row < m_model->rowCount(); ++row)
            updateEntry(row);
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace opsdeck
