// What a pane shows when it has nothing to show yet: what it will manage, and how to get there.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace opsdeck {

class EmptyState : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyState(QWidget *parent = nullptr);

    void setIcon(const QIcon &icon);
    void setTitle(const QString &title);
    void setText(const QString &text);
    // An empty label hides the button.
    void setActionText(const QString &text);

signals:
    void actionTriggered();

private:
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_text;
    QPushButton *m_action;
};

} // namespace opsdeck
