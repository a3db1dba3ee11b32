// The HTTP/1.1 response parser of the Docker socket transport: status line, headers, and bodies
// framed by Content-Length, chunked transfer coding or the end of the connection. The first byte
// chooses how the input is cut into reads, so split points are explored too.
#include "services/net/httpresponseparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype step = qsizetype(data[0] % 64) + 1;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    opsdeck::HttpResponseParser parser(4096);
    qint64 body = 0;
    for (qsizetype at = 0; at < input.size() && !parser.hasError(); at += step)
        body += parser.feed(input.mid(at, step)).size();
    if (!parser.hasError() && !parser.isDone())
        parser.finishOnClose();
    (void)parser.header("content-type");
    // No more body than was sent.
    if (body > input.size())
        __builtin_trap();
    return 0;
}
