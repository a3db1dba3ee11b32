#include "ui/common/emptystate.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck {

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent), m_icon(new QLabel(this)), m_title(new QLabel(this)), m_text(new QLabel(this)),
      m_action(new QPushButton(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    for (QLabel *label : {m_icon, m_title, m_text}) {
        label->setAlignment(Qt::AlignHCenter);
        // Centred in a row with stretch on both sides, so wrapped text gets its full width.
        auto *row = new QHBoxLayout;
        row->addStretch(1);
        row->addWidget(label, 4);
        row->addStretch(1);
        layout->addLayout(row);
    }
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_text->setWordWrap(true);
    m_text->setMaximumWidth(640);
    m_text->setMinimumWidth(360);
    m_text->setTextFormat(Qt::RichText);
    m_text->setForegroundRole(QPalette::PlaceholderText);
    layout->addSpacing(12);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);
}

void EmptyState::setIcon(const QIcon &icon)
{
    m_icon->setPixmap(icon.pixmap(64, 64));
}

void EmptyState::setTitle(const QString &title)
{
    m_title->setText(title);
}

void EmptyState::setText(const QString &text)
{
    m_text->setText(text);
}

void EmptyState::setActionText(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

} // namespace opsdeck
