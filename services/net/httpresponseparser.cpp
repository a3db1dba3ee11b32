#include "services/net/httpresponseparser.h"

#include <QCoreApplication>

namespace opsdeck {

namespace {
// Translation context for the free functions and plain classes of this file.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(opsdeck::HttpResponseParser)
};
} // namespace

QByteArray HttpResponseParser::header(const QByteArray &name) const
{
    for (const auto &[n, v] : m_headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

void HttpResponseParser::fail(const QString &message)
{
    m_state = State::Error;
    m_error = message;
    m_buffer.clear();
}

bool HttpResponseParser::takeLine(QByteArray &line)
{
    const qsizetype end = m_buffer.indexOf("\r\n");
    if (end < 0) {
        if (m_buffer.size() > m_maxHeaderBytes)
            fail(Tr::tr("The Docker engine sent a line longer than %1 bytes.").arg(m_maxHeaderBytes));
        return false;
    }
    line = m_buffer.left(end);
    m_buffer.remove(0, end + 2);
    return true;
}

void HttpResponseParser::headersDone()
{
    const QByteArray te = header("Transfer-Encoding").toLower();
    m_chunked = te.contains("chunked");
    if (m_noBody || m_status == 204 || m_status == 304 || (m_status >= 100 && m_status < 200)) {
        m_state = State::Done;
        return;
    }
    if (m_chunked) {
        m_state = State::ChunkSize;
        return;
    }
    const QByteArray length = header("Content-Length").trimmed();
    if (!length.isEmpty()) {
        bool ok = false;
        m_remaining = length.toLongLong(&ok);
        if (!ok || m_remaining < 0)
            return fail(Tr::tr("The Docker engine sent an invalid Content-Length \"%1\".")
                            .arg(QString::fromLatin1(length.left(40))));
        m_state = m_remaining == 0 ? State::Done : State::Body;
        return;
    }
    m_remaining = -1;
    m_state = State::Body;
}

QByteArray HttpResponseParser::feed(const QByteArray &data)
{
    QByteArray out;
    if (m_state == State::Done || m_state == State::Error)
        return out;
    m_buffer += data;
    for (;;) {
        switch (m_state) {
        case State::StatusLine: {
            QByteArray line;
            if (!takeLine(line))
                return out;
            m_headerBytes += line.size() + 2;
            // HTTP/1.1 200 OK
            if (!line.startsWith("HTTP/1.") || line.size() < 12 || line.at(8) != ' ')
                return fail(Tr::tr("The Docker engine did not answer with HTTP (got \"%1\").")
                                .arg(QString::fromLatin1(line.left(40)).toHtmlEscaped())),
                       out;
            bool ok = false;
            m_status = line.mid(9, 3).toInt(&ok);
            if (!ok || m_status < 100 || m_status > 599)
                return fail(Tr::tr("The Docker engine sent an invalid status line.")), out;
            m_reason = line.mid(13);
            m_state = State::Headers;
            break;
        }
        case State::Headers: {
            QByteArray line;
            if (!takeLine(line))
                return out;
            m_headerBytes += line.size() + 2;
            if (m_headerBytes > m_maxHeaderBytes)
                return fail(Tr::tr("The Docker engine sent more than %1 bytes of headers.")
                                .arg(m_maxHeaderBytes)),
                       out;
            if (line.isEmpty()) {
                if (m_status >= 100 && m_status < 200 && m_status != 101) {
                    // interim answer: the real one follows
                    m_headers.clear();
                    m_state = State::StatusLine;
                    break;
                }
                headersDone();
                break;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail(Tr::tr("The Docker engine sent a malformed header line.")), out;
            m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            break;
        }
        case State::Body: {
            if (m_buffer.isEmpty())
                return out;
            if (m_remaining < 0) {
                out += m_buffer;
                m_buffer.clear();
                return out;
            }
            const qsizetype n = qMin<qint64>(m_remaining, m_buffer.size());
            out += m_buffer.left(n);
            m_buffer.remove(0, n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::Done;
            break;
        }
        case State::ChunkSize: {
            QByteArray line;
            if (!takeLine(line))
                return out;
            const qsizetype semicolon = line.indexOf(';'); // chunk extensions are ignored
            const QByteArray hex = (semicolon >= 0 ? line.left(semicolon) : line).trimmed();
            bool ok = false;
            const qint64 size = hex.toLongLong(&ok, 16);
            if (!ok || size < 0 || hex.size() > 15)
                return fail(Tr::tr("The Docker engine sent an invalid chunk size \"%1\".")
                                .arg(QString::fromLatin1(hex.left(20)))),
                       out;
            if (size == 0) {
                m_state = State::Trailers;
            } else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            break;
        }
        case State::ChunkData: {
            if (m_buffer.isEmpty())
                return out;
            const qsizetype n = qMin<qint64>(m_remaining, m_buffer.size());
            out += m_buffer.left(n);
            m_buffer.remove(0, n);
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd: {
            if (m_buffer.size() < 2)
                return out;
            if (!m_buffer.startsWith("\r\n"))
                return fail(Tr::tr("A chunk from the Docker engine did not end with CRLF.")), out;
            m_buffer.remove(0, 2);
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailers: {
            QByteArray line;
            if (!takeLine(line))
                return out;
            if (line.isEmpty())
                m_state = State::Done;
            break;
        }
        case State::Done:
        case State::Error:
            return out;
        }
    }
}

void HttpResponseParser::finishOnClose()
{
    if (m_state == State::Body && m_remaining < 0) {
        m_state = State::Done;
        return;
    }
    if (m_state != State::Done && m_state != State::Error)
        fail(Tr::tr("The Docker engine closed the connection before the answer was complete."));
}

} // namespace opsdeck
