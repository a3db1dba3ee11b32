#include "ui/panes/deployments/logview.h"
#include "ui/common/tones.h"

#include "models/core/appsettings.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QSaveFile>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace opsdeck {

namespace {
// Paints a log line: stderr in the palette's error colour, the search text highlighted.
class LogDelegate : public QStyledItemDelegate
{
public:
    LogDelegate(const LogModel *model, QObject *parent) : QStyledItemDelegate(parent), m_model(model) {}

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const QRect r = opt.rect.adjusted(4, 0, -4, 0);
        painter->save();
        const QString search = m_model->search();
        if (!search.isEmpty() && index.data(LogModel::MatchRole).toBool()) {
            // Each occurrence gets the highlight colour behind it.
            const QFontMetrics fm(opt.font);
            qsizetype at = 0;
            while ((at = text.indexOf(search, at, Qt::CaseInsensitive)) >= 0) {
                const int x = fm.horizontalAdvance(text.left(at));
                const int w = fm.horizontalAdvance(text.mid(at, search.size()));
                painter->fillRect(QRect(r.left() + x, r.top() + 1, w, r.height() - 2),
                                  toneColour(Tone::Match, opt.palette));
                at += search.size();
            }
        }
        const bool selected = opt.state & QStyle::State_Selected;
        QColor colour = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        if (!selected && index.data(LogModel::StreamRole).toInt() == LogLine::Stderr)
            colour = toneColour(Tone::Bad);
        painter->setPen(colour);
        painter->setFont(opt.font);
        painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine, text);
        painter->restore();
    }

private:
    const LogModel *m_model;
};
} // namespace

LogView::LogView(QWidget *parent) : QWidget(parent), m_model(new LogModel(this))
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search the log (Enter: next, Shift+Enter: previous)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the log"));
    m_matches = new QLabel(this);
    auto *previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match"));
    previous->setAccessibleName(previous->toolTip());
    auto *next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match"));
    next->setAccessibleName(next->toolTip());
    m_follow = new QCheckBox(tr("&Follow"), this);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest line in view"));
    m_timestamps = new QCheckBox(tr("&Timestamps"), this);
    m_timestamps->setChecked(true);
    m_cap = new QSpinBox(this);
    m_cap->setRange(1000, 2000000);
    m_cap->setSingleStep(10000);
    m_cap->setValue(m_model->capacity());
    m_cap->setSuffix(tr(" lines kept"));
    m_cap->setToolTip(tr("Older lines are dropped beyond this many"));
    m_cap->setAccessibleName(tr("Lines kept"));
    auto *copy = new QToolButton(this);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the selected lines (Ctrl+C)"));
    auto *save = new QToolButton(this);
    save->setText(tr("Save…"));
    auto *stop = new QToolButton(this);
    stop->setText(tr("Stop"));
    stop->setToolTip(tr("Stop following these logs"));

    m_view = new QListView(this);
    m_view->setModel(m_model);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setItemDelegate(new LogDelegate(m_model, m_view));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_view->setAccessibleName(tr("Log lines"));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_counts = new QLabel(this);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_matches);
    bar->addWidget(previous);
    bar->addWidget(next);
    bar->addWidget(m_follow);
    bar->addWidget(m_timestamps);
    bar->addWidget(m_cap);
    bar->addWidget(copy);
    bar->addWidget(save);
    bar->addWidget(stop);
    auto *foot = new QHBoxLayout;
    foot->addWidget(m_status, 1);
    foot->addWidget(m_counts);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(foot);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setSearch(text);
        updateCounts();
        m_view->viewport()->update();
    });
    connect(m_search, &QLineEdit::returnPressed, this,
            [this] { findNext(!(QApplication::keyboardModifiers() & Qt::ShiftModifier)); });
    connect(previous, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(m_timestamps, &QCheckBox::toggled, m_model, &LogModel::setShowTimestamps);
    connect(m_cap, &QSpinBox::valueChanged, this, [this](int value) {
        m_model->setCapacity(value);
        updateCounts();
    });
    connect(copy, &QToolButton::clicked, this, &LogView::copySelection);
    connect(save, &QToolButton::clicked, this, &LogView::save);
    connect(stop, &QToolButton::clicked, this, &LogView::stopRequested);
    auto *copyShortcut = new QShortcut(QKeySequence::Copy, m_view);
    connect(copyShortcut, &QShortcut::activated, this, &LogView::copySelection);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    // Scrolling up leaves follow mode; back at the bottom, it resumes.
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_view->verticalScrollBar()->isSliderDown())
            m_follow->setChecked(value >= m_view->verticalScrollBar()->maximum());
    });
}

void LogView::setTitle(const QString &title)
{
    m_title->setText(title);
}

void LogView::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, toneColour(Tone::Bad));
    m_status->setPalette(p);
}

void LogView::append(const QList<LogLine> &lines)
{
    m_model->append(lines);
    if (m_follow->isChecked())
        m_view->scrollToBottom();
    updateCounts();
}

void LogView::clear()
{
    m_model->clear();
    updateCounts();
}

void LogView::updateCounts()
{
    QString text = tr("%n line(s)", nullptr, m_model->rowCount());
    if (m_model->dropped() > 0)
        text += tr(", %n older dropped", nullptr, int(qMin<qint64>(m_model->dropped(), INT_MAX)));
    m_counts->setText(text);
    if (m_model->search().isEmpty())
        m_matches->clear();
    else
        m_matches->setText(tr("%n match(es)", nullptr, m_model->matchCount()));
}

void LogView::findNext(bool forward)
{
    const int from = m_view->currentIndex().isValid() ? m_view->currentIndex().row() : (forward ? -1 : 0);
    const int row = m_model->nextMatch(from, forward);
    if (row < 0)
        return;
    m_follow->setChecked(false);
    m_view->setCurrentIndex(m_model->index(row));
    m_view->scrollTo(m_model->index(row), QAbstractItemView::PositionAtCenter);
}

QString LogView::selectedText() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedIndexes())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int row : rows)
        lines << m_model->format(row);
    return lines.join(QLatin1Char('\n'));
}

void LogView::copySelection()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

QString LogView::saveTo(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    for (int row = 0; row < m_model->rowCount(); ++row) {
        file.write(m_model->format(row).toUtf8());
        file.write("\n");
    }
    if (!file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

void LogView::save()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save log"), QString(), tr("Log files (*.log *.txt)"));
    if (path.isEmpty())
        return;
    const QString error = saveTo(path);
    setStatus(error.isEmpty() ? tr("Saved %n line(s) to %1", nullptr, m_model->rowCount()).arg(path) : error,
              !error.isEmpty());
}

void LogView::followSettings(AppSettings *settings)
{
    if (!settings)
        return;
    m_cap->setValue(settings->logLinesKept());
    connect(settings, &AppSettings::logLinesKeptChanged, m_cap, &QSpinBox::setValue);
}

} // namespace opsdeck
