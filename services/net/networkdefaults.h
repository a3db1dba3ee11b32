// Process-wide network defaults, from Settings ([network] timeout_sec, retries): how long a
// request may stay silent before it fails, and how often an idempotent request is tried again.
// Requests that name their own values keep them (a pull waits longer; a probe tries once).
#pragma once

#include <atomic>

namespace opsdeck::NetworkDefaults {

inline std::atomic<int> &timeoutMsRef()
{
    static std::atomic<int> value{30000};
    return value;
}
inline std::atomic<int> &retriesRef()
{
    static std::atomic<int> value{3};
    return value;
}
inline int timeoutMs()
{
    return timeoutMsRef().load();
}
inline int retries()
{
    return retriesRef().load();
}
inline void set(int timeoutMs, int retries)
{
    timeoutMsRef() = timeoutMs < 1000 ? 1000 : timeoutMs;
    retriesRef() = retries < 0 ? 0 : retries > 10 ? 10 : retries;
}

} // namespace opsdeck::NetworkDefaults
