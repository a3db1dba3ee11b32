// Container logs from the Engine API (GET /containers/{id}/logs): the multiplexed stream of
// non-TTY containers (8-byte frame headers: stream type, three zero bytes, big-endian payload
// size) or the raw stream of TTY containers, cut into lines, with the timestamps the engine
// puts before each line when asked (RFC 3339 with nanoseconds, then a space).
#pragma once

#include "models/core/result.h"
#include "models/docker/logmodel.h"

#include <QList>

namespace opsdeck {

class DockerLogDecoder
{
public:
    DockerLogDecoder(bool multiplexed, bool timestamps, QString source = {});

    // Appends complete lines to out; keeps partial frames and lines for the next call. A frame
    // header that is not one of Docker's stops decoding with an error (the rest is not trusted).
    Result<void> feed(const QByteArray &data, QList<LogLine> &out);
    // The last line of each stream when the stream ends without a line break.
    void finish(QList<LogLine> &out);

    // Longest line kept; longer lines are cut and continue as a new line.
    static constexpr qsizetype maxLineBytes = 64 * 1024;

private:
    void addText(LogLine::Stream stream, const char *data, qsizetype size, QList<LogLine> &out);
    void emitLine(LogLine::Stream stream, QByteArray bytes, QList<LogLine> &out);

    bool m_multiplexed;
    bool m_timestamps;
    QString m_source;
    QByteArray m_frames;     // undecoded frame bytes
    QByteArray m_partial[4]; // per stream: text after the last line break
    bool m_failed = false;
};

// "2026-11-23T07:00:00.123456789Z hello" -> time and "hello"; no timestamp: invalid time.
std::pair<QDateTime, QByteArray> splitTimestamp(const QByteArray &line);

} // namespace opsdeck
