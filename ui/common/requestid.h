// Ids that tie a service's answer to the request a widget made (stale answers are dropped).
#pragma once

#include <QtGlobal>

#include <atomic>

namespace opsdeck {

inline quint64 nextRequestId()
{
    static std::atomic<quint64> id{0};
    return ++id;
}

} // namespace opsdeck
