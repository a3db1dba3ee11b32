// Image references as an admin types them (OCI distribution grammar), and the container names
// inferred from them, which must themselves be valid container names. The same text as an
// allowlist entry: an entry that parses, written back, parses as the same entry, and decides on the
// reference without fault.
#include "models/core/validation.h"
#include "models/docker/imagereference.h"
#include "models/images/allowlist.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const auto entry = opsdeck::parseAllowEntry(text)) {
        const auto again = opsdeck::parseAllowEntry(entry->text());
        if (!again || again->text() != entry->text() || again->kind != entry->kind)
            __builtin_trap();
        if (const auto image = opsdeck::parseImageReference(text))
            (void)opsdeck::Allowlist({entry.value()})
                .decide(opsdeck::normalizeImage(image.value()), {}, QDateTime::currentDateTimeUtc());
    }
    const auto reference = opsdeck::parseImageReference(text);
    if (!reference)
        return 0;
    const QString name = opsdeck::containerNameFor(reference.value());
    if (!opsdeck::validateContainerName(name))
        __builtin_trap();
    (void)opsdeck::uniqueName(name, {name, name + QStringLiteral("-2")});
    return 0;
}
