// A live log view over a LogModel: follow mode (stays at the newest line unless the admin
// scrolls up), search with highlighting and next/previous, timestamps on or off, copy, save,
// and the ring buffer's cap. A QListView with uniform row heights: 100,000 lines scroll at once.
#pragma once

#include "models/docker/logmodel.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QSpinBox;
class QToolButton;

namespace opsdeck {

class AppSettings;

class LogView : public QWidget
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    LogModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QLineEdit *searchEdit() const { return m_search; }
    QCheckBox *followBox() const { return m_follow; }

    void setTitle(const QString &title);
    // Shown under the lines: "Following web", "Ended: …", errors.
    void setStatus(const QString &text, bool error = false);
    void append(const QList<LogLine> &lines);
    void clear();
    // Writes every buffered line to path (atomically); returns an error message or empty.
    QString saveTo(const QString &path) const;
    QString selectedText() const;
    // Keeps as many lines as the Settings say ([logs] lines_kept), now and when they change; the
    // spin box beside the search still changes this view alone.
    void followSettings(AppSettings *settings);

signals:
    void stopRequested();

private:
    void findNext(bool forward);
    void copySelection();
    void save();
    void updateCounts();

    LogModel *m_model;
    QListView *m_view;
    QLabel *m_title;
    QLineEdit *m_search;
    QLabel *m_matches;
    QCheckBox *m_follow;
    QCheckBox *m_timestamps;
    QSpinBox *m_cap;
    QLabel *m_status;
    QLabel *m_counts;
};

} // namespace opsdeck
