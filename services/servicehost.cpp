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
    if (!m_held)
        thread->start();
}

void ServiceHost::startAll()
{
    m_held = false;
    for (const Entry &e : std::as_const(m_entries))
        if (!e.thread->isRunning() && !e.thread->isFinished())
            e.thread->start();
}

void ServiceHost::stopAll()
{
    // Each thread: shut down, delete the service on its own thread (its DB connection and network
    // manager close with it), then end the event loop. All threads do this at the same time.
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.thread->isRunning()) {
            delete e.service; // never started: nothing ran on its thread
            continue;
        }
        QMetaObject::invokeMethod(e.service, [s = e.service, t = e.thread] {
            s->shutdown();
            delete s;
            t->quit();
        });
    }
    for (const Entry &e : std::as_const(m_entries))
        e.thread->wait();
    m_entries.clear();
}

} // namespace opsdeck
