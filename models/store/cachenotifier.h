// Announces which cache tables changed, for which connection, after each commit. Any thread may
// announce; receivers get the signal in their own thread (queued across threads).
#pragma once

#include <QObject>
#include <QStringList>

namespace opsdeck {

class CacheNotifier : public QObject
{
    Q_OBJECT
public:
    static CacheNotifier *instance();
    void announce(const QStringList &tables, qint64 connectionId);

signals:
    // connectionId is 0 when the change is not specific to one connection.
    void tablesChanged(const QStringList &tables, qint64 connectionId);

private:
    CacheNotifier() = default;
};

} // namespace opsdeck
