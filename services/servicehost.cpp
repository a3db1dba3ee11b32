#include "services/servicehost.h"

#include "models/store/database.h"

namespace opsdeck {

ServiceHost::ServiceHost(QObject *parent) : QObject(parent) {}

ServiceHost::~ServiceHost()
{
    stopAll();
}

void ServiceHost::addService(Service *service, const QString &name)
{
    auto *thread = new QThread(this);
    thread->setObjectName(name);
    service->setObjectName(name);
    service->moveToThread(thread);
    connect(thread, &QThread::started, service, &Service::initialize);
    m_entries.append({service, thread});
    thread->start();
}

void ServiceHost::stopAll()
{
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.thread->isRunning())
            continue;
        QMetaObject::invokeMethod(e.service, &Service::shutdown, Qt::BlockingQueuedConnection);
        // Delete the service on its own thread, then end the thread (its DB connection closes with it).
        QMetaObject::invokeMethod(
            e.service, [s = e.service] { delete s; }, Qt::BlockingQueuedConnection);
        e.thread->quit();
        e.thread->wait();
    }
    m_entries.clear();
}

} // namespace opsdeck
