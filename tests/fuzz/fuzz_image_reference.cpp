// Image references as an admin types them (OCI distribution grammar), and the container names
// inferred from them, which must themselves be valid container names.
#include "models/core/validation.h"
#include "models/docker/imagereference.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto reference = opsdeck::parseImageReference(text);
    if (!reference)
        return 0;
    const QString name = opsdeck::containerNameFor(reference.value());
    if (!opsdeck::validateContainerName(name))
        __builtin_trap();
    (void)opsdeck::uniqueName(name, {name, name + QStringLiteral("-2")});
    (void)opsdeck::checkImagePolicy(reference.value());
    return 0;
}
