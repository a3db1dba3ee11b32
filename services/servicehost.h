// Owns the backend services: each runs on its own worker thread, with its own network manager and
// database connection, created on that thread in initialize(). The GUI reaches a service only
// through queued signals and slots. stopAll() cancels what runs and joins the threads.
//
// The application holds the threads back until its window has been painted (holdStart(), then
// startAll()): requests queued to a service before then wait in its thread's queue and run, in
// order, once the thread starts, after initialize().
#pragma once

#include <QList>
#include <QObject>
#include <QThread>

namespace opsdeck {

class Service : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public slots:
    // Run on the worker thread: create network managers, clients and timers here.
    virtual void initialize() {}
    // Run on the worker thread before it stops: cancel requests, close streams.
    virtual void shutdown() {}
};

class ServiceHost : public QObject
{
    Q_OBJECT
public:
    explicit ServiceHost(QObject *parent = nullptr);
    ~ServiceHost() override;

    // Takes ownership; the service must have no parent. Returns it for connecting signals.
    template<typename S> S *add(S *service, const QString &name)
    {
        addService(service, name);
        return service;
    }
    // While held, add() moves a service to its thread but does not start the thread.
    void holdStart() { m_held = true; }
    void startAll();
    // Asks every service to shut down at once, then joins the threads: the slowest service sets
    // the time, not the sum of them.
    void stopAll();

private:
    void addService(Service *service, const QString &name);
    struct Entry
    {
        Service *service;
        QThread *thread;
    };
    QList<Entry> m_entries;
    bool m_held = false;
};

} // namespace opsdeck
