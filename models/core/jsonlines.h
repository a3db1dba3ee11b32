// Streams of one JSON object per line, as the Docker Engine sends them (/events, the progress of
// /images/create): bytes in, complete objects out. A line that is not a JSON object is skipped;
// bytes that never reach a line break are dropped past a limit instead of growing without bound.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

namespace opsdeck {

class JsonLineStream
{
public:
    explicit JsonLineStream(qsizetype maxPendingBytes = 1024 * 1024) : m_max(maxPendingBytes) {}
    QList<QJsonObject> feed(const QByteArray &data);
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    QByteArray m_buffer;
    qsizetype m_max;
};

// One line of /images/create progress: {"status", "id" (the layer), "progressDetail": {"current",
// "total"}} or {"error": "..."}.
struct PullUpdate
{
    QString status;
    QString layer;
    QString error;
    bool hasProgress = false; // progressDetail with a total
    qint64 current = 0;
    qint64 total = 0;
};
PullUpdate parsePullUpdate(const QJsonObject &line);

// The whole pull in percent (0–99; 100 is said when the pull ends) from each layer's current and
// total bytes; -1 while no layer has a size. Safe for any values an engine may send.
int pullPercent(const QHash<QString, std::pair<qint64, qint64>> &layers);

} // namespace opsdeck
