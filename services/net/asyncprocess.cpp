#include "services/net/asyncprocess.h"

#include <QProcess>
#include <QTimer>

#include <memory>

namespace opsdeck {

void runProcess(const ProcessSpec &spec, QObject *context, std::function<void(const ProcessResult &)> done)
{
    auto *p = new QProcess(context);
    auto *timer = new QTimer(p);
    auto result = std::make_shared<ProcessResult>();
    auto reported = std::make_shared<bool>(false);
    const auto finish = [p, done, result, reported] {
        if (*reported)
            return; // a start failure can be followed by finished
        *reported = true;
        p->deleteLater();
        done(*result);
    };
    p->setProcessEnvironment(spec.environment);
    if (!spec.workingDirectory.isEmpty())
        p->setWorkingDirectory(spec.workingDirectory);
    p->setProcessChannelMode(QProcess::MergedChannels);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, p, [p, result] {
        result->timedOut = true;
        p->kill(); // finished follows
    });
    QObject::connect(p, &QProcess::readyRead, p, [p, result] { result->output += p->readAll(); });
    QObject::connect(p, &QProcess::started, p, [result] { result->started = true; });
    QObject::connect(p, &QProcess::errorOccurred, p, [p, result, finish](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            result->error = p->errorString();
            finish();
        }
    });
    QObject::connect(p, &QProcess::finished, p, [p, result, finish](int code, QProcess::ExitStatus status) {
        result->output += p->readAll();
        result->exitCode = code;
        result->crashed = status != QProcess::NormalExit && !result->timedOut;
        finish();
    });
    timer->start(spec.timeoutMs);
    p->start(spec.program, spec.arguments);
}

} // namespace opsdeck
