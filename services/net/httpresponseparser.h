// An incremental HTTP/1.1 response parser for the Docker Engine transport: status line, headers,
// and a body framed by Content-Length, chunked transfer coding, or the end of the connection.
// Pure and allocation-bounded, so it can be fuzzed.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace opsdeck {

class HttpResponseParser
{
public:
    enum class State { StatusLine, Headers, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done, Error };

    explicit HttpResponseParser(qint64 maxHeaderBytes = 64 * 1024) : m_maxHeaderBytes(maxHeaderBytes) {}

    // Feeds bytes; returns body bytes decoded from this input (may be empty).
    QByteArray feed(const QByteArray &data);
    // The peer closed the connection: completes a close-delimited body, or fails a truncated one.
    void finishOnClose();
    // For answers to HEAD requests and 1xx/204/304: no body follows the headers.
    void setNoBody(bool noBody) { m_noBody = noBody; }

    State state() const { return m_state; }
    bool headersComplete() const
    {
        return m_state != State::StatusLine && m_state != State::Headers && m_state != State::Error;
    }
    bool isDone() const { return m_state == State::Done; }
    bool hasError() const { return m_state == State::Error; }
    QString errorString() const { return m_error; }

    int status() const { return m_status; }
    QByteArray reason() const { return m_reason; }
    const QList<std::pair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    QByteArray header(const QByteArray &name) const;
    bool isChunked() const { return m_chunked; }

private:
    bool takeLine(QByteArray &line);
    void fail(const QString &message);
    void headersDone();

    State m_state = State::StatusLine;
    QByteArray m_buffer;
    qint64 m_maxHeaderBytes;
    qint64 m_headerBytes = 0;
    int m_status = 0;
    QByteArray m_reason;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    bool m_chunked = false;
    bool m_noBody = false;
    qint64 m_remaining = -1; // Content-Length or current chunk; -1 = until close
    QString m_error;
};

} // namespace opsdeck
