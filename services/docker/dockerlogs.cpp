#include "services/docker/dockerlogs.h"

#include <QCoreApplication>

namespace opsdeck {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::DockerLogDecoder)
};
} // namespace

DockerLogDecoder::DockerLogDecoder(bool multiplexed, bool timestamps, QString source)
    : m_multiplexed(multiplexed), m_timestamps(timestamps), m_source(std::move(source))
{
}

std::pair<QDateTime, QByteArray> splitTimestamp(const QByteArray &line)
{
    const qsizetype space = line.indexOf(' ');
    if (space < 20 || space > 40 || line.at(4) != '-' || line.at(10) != 'T')
        return {QDateTime(), line};
    QByteArray stamp = line.left(space);
    // Nanoseconds to milliseconds, which QDateTime keeps.
    if (const qsizetype dot = stamp.indexOf('.'); dot > 0) {
        qsizetype end = dot + 1;
        while (end < stamp.size() && stamp.at(end) >= '0' && stamp.at(end) <= '9')
            ++end;
        stamp = stamp.left(qMin(end, dot + 4)) + stamp.mid(end);
    }
    const QDateTime time = QDateTime::fromString(QString::fromLatin1(stamp), Qt::ISODateWithMs);
    if (!time.isValid())
        return {QDateTime(), line};
    return {time.toUTC(), line.mid(space + 1)};
}

void DockerLogDecoder::emitLine(LogLine::Stream stream, QByteArray bytes, QList<LogLine> &out)
{
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    LogLine line;
    line.stream = stream;
    line.source = m_source;
    if (m_timestamps) {
        auto [time, rest] = splitTimestamp(bytes);
        line.time = time;
        bytes = rest;
    }
    line.text = QString::fromUtf8(bytes); // invalid UTF-8 becomes U+FFFD, never a crash
    out << line;
}

void DockerLogDecoder::addText(LogLine::Stream stream, const char *data, qsizetype size, QList<LogLine> &out)
{
    QByteArray &partial = m_partial[stream];
    // A terminal's (TTY) output ends its lines with CR LF; a CR alone (a progress bar's redraw, or
    // a line break podman's TTY log lost) ends a line too. A CR at the end of one read waits for
    // the next, which may begin with its LF.
    const bool tty = stream == LogLine::Raw;
    if (tty && size > 0 && partial.endsWith('\r') && data[0] != '\n')
        emitLine(stream, std::exchange(partial, QByteArray()), out);
    qsizetype start = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const bool loneCr = tty && data[i] == '\r' && i + 1 < size && data[i + 1] != '\n';
        if (data[i] != '\n' && !loneCr)
            continue;
        partial.append(data + start, i - start);
        emitLine(stream, std::exchange(partial, QByteArray()), out);
        start = i + 1;
    }
    partial.append(data + start, size - start);
    while (partial.size() > maxLineBytes) {
        emitLine(stream, partial.left(maxLineBytes), out);
        partial.remove(0, maxLineBytes);
    }
}

Result<void> DockerLogDecoder::feed(const QByteArray &data, QList<LogLine> &out)
{
    if (m_failed)
        return makeError("docker.logs", Tr::tr("The log stream could not be decoded."));
    if (!m_multiplexed) {
        addText(LogLine::Raw, data.constData(), data.size(), out);
        return {};
    }
    m_frames.append(data);
    qsizetype pos = 0;
    while (m_frames.size() - pos >= 8) {
        const auto *h = reinterpret_cast<const uchar *>(m_frames.constData() + pos);
        if (h[0] > 3 || h[1] != 0 || h[2] != 0 || h[3] != 0) {
            const int streamByte = h[0]; // read before the buffer goes (found by fuzz_docker_logs)
            m_failed = true;
            m_frames.clear();
            return makeError(
                "docker.logs",
                Tr::tr("The log stream has an invalid frame header (stream %1); the rest is not shown.")
                    .arg(streamByte));
        }
        const quint32 size =
            (quint32(h[4]) << 24) | (quint32(h[5]) << 16) | (quint32(h[6]) << 8) | quint32(h[7]);
        if (m_frames.size() - pos - 8 < qsizetype(size))
            break; // the rest of this frame comes with the next read
        // Stream 3 is the engine's own error ("systemerr"): shown like stderr.
        const auto stream = h[0] == 1 ? LogLine::Stdout : h[0] == 0 ? LogLine::Stdin : LogLine::Stderr;
        addText(stream, m_frames.constData() + pos + 8, qsizetype(size), out);
        pos += 8 + qsizetype(size);
    }
    m_frames.remove(0, pos);
    return {};
}

void DockerLogDecoder::finish(QList<LogLine> &out)
{
    for (int s = 0; s < 4; ++s)
        if (!m_partial[s].isEmpty())
            emitLine(LogLine::Stream(s), std::exchange(m_partial[s], QByteArray()), out);
}

} // namespace opsdeck
