// Response headers that steer the client: Link (RFC 8288 pagination), Retry-After (seconds or an
// HTTP date) and GitHub's rate-limit headers.
#include "services/net/httpclient.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)opsdeck::parseLinkHeader(value,
                                   QUrl(QStringLiteral("https://api.github.com/orgs/acme/actions/runners")));
    (void)opsdeck::parseRetryAfter(value, QDateTime::fromSecsSinceEpoch(1795000000, Qt::UTC));
    opsdeck::HeaderList headers;
    for (const QByteArray &line : value.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.emplaceBack(line.left(colon), line.mid(colon + 1).trimmed());
    }
    (void)opsdeck::RateLimit::fromHeaders(headers);
    return 0;
}
