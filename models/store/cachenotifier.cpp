#include "models/store/cachenotifier.h"

#include <QCoreApplication>
#include <QThread>

namespace opsdeck {

CacheNotifier *CacheNotifier::instance()
{
    static CacheNotifier *notifier = [] {
        auto *n = new CacheNotifier;
        if (auto *app = QCoreApplication::instance())
            n->moveToThread(app->thread());
        return n;
    }();
    return notifier;
}

void CacheNotifier::announce(const QStringList &tables, qint64 connectionId)
{
    if (!tables.isEmpty())
        emit tablesChanged(tables, connectionId);
}

} // namespace opsdeck
