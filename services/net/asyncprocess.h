// One external program run without blocking the service thread: an argument list (no shell), merged
// output, a time limit after which it is killed, and one callback when it is over.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

namespace opsdeck {

struct ProcessResult
{
    bool started = false;
    bool timedOut = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray output;
    QString error; // why it did not start
    bool ok() const { return started && !timedOut && !crashed && exitCode == 0; }
};

struct ProcessSpec
{
    QString program;
    QStringList arguments;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString workingDirectory;
    int timeoutMs = 60000;
};

// `done` runs once, on `context`'s thread; nothing runs when `context` is destroyed first (the
// process is killed with it).
void runProcess(const ProcessSpec &spec, QObject *context, std::function<void(const ProcessResult &)> done);

} // namespace opsdeck
