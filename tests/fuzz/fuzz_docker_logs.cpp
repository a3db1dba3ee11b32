// Container log streams: multiplexed frames (stream byte, three zero bytes, big-endian size) or raw
// TTY output, with or without the engine's timestamps. The first byte picks the mode and the size
// of each read.
#include "services/docker/dockerlogs.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const bool multiplexed = data[0] & 1, timestamps = data[0] & 2;
    const qsizetype step = qsizetype(data[0] >> 2) + 1;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    opsdeck::DockerLogDecoder decoder(multiplexed, timestamps, QStringLiteral("fuzz"));
    QList<opsdeck::LogLine> lines;
    for (qsizetype at = 0; at < input.size(); at += step)
        if (!decoder.feed(input.mid(at, step), lines))
            break;
    decoder.finish(lines);
    for (const opsdeck::LogLine &l : lines)
        if (l.text.size() > opsdeck::DockerLogDecoder::maxLineBytes)
            __builtin_trap(); // lines are cut at the limit
    return 0;
}
