// The status bar's view of the connections: one entry per connection with its state (connected;
// syncing with a progress bar; offline with the age of its data; error with the message).
#pragma once

#include <QHash>
#include <QTimer>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QProgressBar;

namespace opsdeck {

class ConnectionsModel;

class ConnectionStatusBar : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionStatusBar(ConnectionsModel *model, QWidget *parent = nullptr);

    // The text shown for a connection (for tests and screenshots).
    QString entryText(qint64 connectionId) const;
    void setRateLimit(const QString &text);

signals:
    void connectionClicked(qint64 connectionId);

private:
    struct Entry
    {
        QWidget *widget;
        QLabel *dot;
        QLabel *label;
        QProgressBar *progress;
    };
    void rebuild();
    void updateEntry(int row);
    bool eventFilter(QObject *watched, QEvent *event) override;

    ConnectionsModel *m_model;
    QHBoxLayout *m_layout;
    QLabel *m_rateLimit;
    QHash<qint64, Entry> m_entries;
    QTimer m_ageTimer;
};

} // namespace opsdeck
