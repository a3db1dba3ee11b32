#include "models/docker/logmodel.h"

namespace opsdeck {

LogModel::LogModel(QObject *parent) : QAbstractListModel(parent) {}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QString LogModel::format(int row) const
{
    const LogLine &l = m_lines.at(row);
    QString out;
    if (m_timestamps && l.time.isValid())
        out += l.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz "));
    if (!l.source.isEmpty())
        out += l.source + QStringLiteral(" | ");
    return out + l.text;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    const LogLine &l = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return format(index.row());
    case StreamRole:
        return int(l.stream);
    case TimeRole:
        return l.time;
    case SourceRole:
        return l.source;
    case TextRole:
        return l.text;
    case MatchRole:
        return matches(l);
    default:
        return {};
    }
}

void LogModel::append(const QList<LogLine> &lines)
{
    if (lines.isEmpty() || m_capacity <= 0)
        return;
    // Only the newest capacity lines of the batch can stay.
    const qsizetype take = qMin<qsizetype>(lines.size(), m_capacity);
    const qsizetype skipped = lines.size() - take;
    const qsizetype overflow = m_lines.size() + take - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        for (qsizetype i = 0; i < overflow; ++i)
            m_matchCount -= matches(m_lines.at(i)) ? 1 : 0;
        m_lines.remove(0, overflow);
        endRemoveRows();
        m_dropped += overflow;
    }
    m_dropped += skipped;
    beginInsertRows({}, int(m_lines.size()), int(m_lines.size() + take) - 1);
    for (qsizetype i = skipped; i < lines.size(); ++i) {
        m_lines.append(lines.at(i));
        m_matchCount += matches(lines.at(i)) ? 1 : 0;
    }
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_lines.clear();
    m_dropped = 0;
    m_matchCount = 0;
    endResetModel();
}

void LogModel::setCapacity(int lines)
{
    m_capacity = qMax(100, lines);
    if (m_lines.size() > m_capacity) {
        const qsizetype overflow = m_lines.size() - m_capacity;
        beginRemoveRows({}, 0, int(overflow) - 1);
        for (qsizetype i = 0; i < overflow; ++i)
            m_matchCount -= matches(m_lines.at(i)) ? 1 : 0;
        m_lines.remove(0, overflow);
        endRemoveRows();
        m_dropped += overflow;
    }
}

void LogModel::setShowTimestamps(bool show)
{
    if (m_timestamps == show)
        return;
    m_timestamps = show;
    if (!m_lines.isEmpty())
        emit dataChanged(index(0), index(int(m_lines.size()) - 1), {Qt::DisplayRole});
}

bool LogModel::matches(const LogLine &line) const
{
    return !m_search.isEmpty() && (line.text.contains(m_search, Qt::CaseInsensitive) ||
                                   line.source.contains(m_search, Qt::CaseInsensitive));
}

void LogModel::setSearch(const QString &text)
{
    if (m_search == text)
        return;
    m_search = text;
    m_matchCount = 0;
    for (const LogLine &l : std::as_const(m_lines))
        m_matchCount += matches(l) ? 1 : 0;
    if (!m_lines.isEmpty())
        emit dataChanged(index(0), index(int(m_lines.size()) - 1), {MatchRole});
}

int LogModel::nextMatch(int fromRow, bool forward) const
{
    if (m_search.isEmpty() || m_lines.isEmpty())
        return -1;
    const int n = int(m_lines.size());
    for (int step = 1; step <= n; ++step) {
        const int row = ((fromRow + (forward ? step : -step)) % n + n) % n;
        if (matches(m_lines.at(row)))
            return row;
    }
    return -1;
}

int LogModel::matchCount() const
{
    return m_matchCount; // kept up to date as lines come and go
}

} // namespace opsdeck
