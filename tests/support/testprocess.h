// Processes a test starts and must not leave behind: servers (git daemon, a registry), a virtual
// display, podman's API service. Each is ended by its PID when the test ends, also when the test
// fails or returns early, since the guards below stop them in their destructors.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// A long-running helper program in a process group of its own. stop() (and the destructor) end the
// whole group: SIGTERM, then SIGKILL after a grace period. Wrappers such as `git daemon`, which runs
// `git-daemon` as a child, are ended with everything they started. If the test process itself is
// killed, the kernel sends the helper SIGKILL (PR_SET_PDEATHSIG).
class TestProcess : public QProcess
{
public:
    explicit TestProcess(QObject *parent = nullptr);
    ~TestProcess() override;
    void stop(int graceMs = 3000);
    qint64 group() const { return m_group; }

private:
    qint64 m_group = 0;
};

// Runs a stop command when it goes out of scope (for services a script starts in the background
// and stops by the PID it wrote: podman-service.sh stop DIR, registry.sh stop DIR).
class StopOnExit
{
public:
    StopOnExit() = default;
    StopOnExit(const StopOnExit &) = delete;
    StopOnExit &operator=(const StopOnExit &) = delete;
    ~StopOnExit() { run(); }
    void arm(const QString &program, const QStringList &arguments);
    void run(); // stops now (once); later calls do nothing

private:
    QString m_program;
    QStringList m_arguments;
};
