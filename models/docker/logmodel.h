// Log lines in a ring buffer with a configurable cap, as a list model: appending a batch that
// overflows the cap drops the oldest lines first, so memory stays bounded whatever the rate.
// Search marks matching rows; the view asks for the text and the match to highlight.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QMetaType>
#include <QRegularExpression>

namespace opsdeck {

struct LogLine
{
    enum Stream : quint8 { Stdin = 0, Stdout = 1, Stderr = 2, Raw = 3 };
    QDateTime time; // UTC; invalid when the engine sent none
    Stream stream = Stdout;
    QString source; // the container's name, for merged logs
    QString text;   // without the line break
};

class LogModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles { StreamRole = Qt::UserRole + 1, TimeRole, SourceRole, TextRole, MatchRole };

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    void append(const QList<LogLine> &lines);
    void clear();
    void setCapacity(int lines); // drops the oldest lines at once if there are more
    int capacity() const { return m_capacity; }
    qint64 dropped() const { return m_dropped; } // lines that fell out of the buffer
    const LogLine &lineAt(int row) const { return m_lines.at(row); }

    void setShowTimestamps(bool show);
    bool showTimestamps() const { return m_timestamps; }
    // The line as copied or saved: "time source | text".
    QString format(int row) const;

    // Case-insensitive plain text search; rows with a match, in order.
    void setSearch(const QString &text);
    QString search() const { return m_search; }
    int nextMatch(int fromRow, bool forward) const; // -1 when none
    int matchCount() const;

private:
    bool matches(const LogLine &line) const;

    QList<LogLine> m_lines;
    int m_capacity = 50000;
    qint64 m_dropped = 0;
    bool m_timestamps = true;
    QString m_search;
    int m_matchCount = 0;
};

} // namespace opsdeck

Q_DECLARE_METATYPE(opsdeck::LogLine)
