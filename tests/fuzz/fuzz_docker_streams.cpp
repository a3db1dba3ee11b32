// The Docker Engine's line-delimited JSON streams (/events, /images/create progress): bytes cut
// into reads of any size, objects out, pull progress summed into a percentage that must stay in
// range whatever sizes the engine claims. The first byte chooses the read size.
#include "models/core/jsonlines.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype step = qsizetype(data[0]) + 1;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    opsdeck::JsonLineStream stream(4096);
    QHash<QString, std::pair<qint64, qint64>> layers;
    for (qsizetype at = 0; at < input.size(); at += step) {
        for (const QJsonObject &line : stream.feed(input.mid(at, step))) {
            const opsdeck::PullUpdate u = opsdeck::parsePullUpdate(line);
            if (u.hasProgress) {
                if (u.current < 0 || u.current > u.total || u.total <= 0)
                    __builtin_trap();
                layers.insert(u.layer, {u.current, u.total});
            }
        }
        if (stream.pendingBytes() > 4096 + step)
            __builtin_trap(); // bounded
    }
    const int percent = opsdeck::pullPercent(layers);
    if (percent < -1 || percent > 99)
        __builtin_trap();
    return 0;
}
