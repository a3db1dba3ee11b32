#include "testprocess.h"

#include <QDeadlineTimer>
#include <QThread>

#include <utility>

#include <csignal>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

namespace {
bool groupAlive(pid_t group)
{
    return ::kill(-group, 0) == 0;
}
} // namespace

TestProcess::TestProcess(QObject *parent) : QProcess(parent)
{
    setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    connect(this, &QProcess::started, this, [this] { m_group = processId(); });
}

TestProcess::~TestProcess()
{
    stop();
}

void TestProcess::stop(int graceMs)
{
    if (m_group <= 0)
        return;
    const auto group = pid_t(m_group);
    ::kill(-group, SIGTERM);
    QDeadlineTimer deadline(graceMs);
    while (groupAlive(group) && !deadline.hasExpired()) {
        if (state() != QProcess::NotRunning)
            waitForFinished(50);
        else
            QThread::msleep(20);
    }
    if (groupAlive(group))
        ::kill(-group, SIGKILL);
    if (state() != QProcess::NotRunning)
        waitForFinished(5000);
    m_group = 0;
}

void StopOnExit::arm(const QString &program, const QStringList &arguments)
{
    m_program = program;
    m_arguments = arguments;
}

void StopOnExit::run()
{
    if (m_program.isEmpty())
        return;
    const QString program = std::exchange(m_program, QString());
    QProcess::execute(program, std::exchange(m_arguments, {}));
}
