#include "services/store/crashhandler.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <csignal>
#include <cstring>
#include <ctime>
#include <execinfo.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcCrash, "opsdeck.crash", QtInfoMsg)

namespace opsdeck::CrashHandler {

namespace {
// Everything the handler uses is prepared before a crash: it may only call async-signal-safe
// functions (open, write, close, time, getpid, raise, sigaction) and backtrace, whose library is
// loaded at install time.
char reportDir[4096];
char header[512];
constexpr int handledSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction previous[std::size(handledSignals)];
volatile sig_atomic_t crashing = 0;
const QString toldMarker = QStringLiteral(".told");

// Small, allocation-free formatting into a fixed buffer.
struct Buffer
{
    char data[1024];
    size_t size = 0;
    void add(const char *s)
    {
        while (*s && size < sizeof data - 1)
            data[size++] = *s++;
    }
    void addNumber(unsigned long long n, unsigned base = 10, int width = 0)
    {
        char digits[32];
        int count = 0;
        do {
            digits[count++] = "0123456789abcdef"[n % base];
            n /= base;
        } while (n && count < 32);
        while (count < width && count < 32)
            digits[count++] = '0';
        while (count > 0 && size < sizeof data - 1)
            data[size++] = digits[--count];
    }
    void writeTo(int fd) const
    {
        size_t done = 0;
        while (done < size) {
            const ssize_t n = ::write(fd, data + done, size - done);
            if (n <= 0)
                return;
            done += size_t(n);
        }
    }
};

const char *signalName(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGABRT:
        return "SIGABRT";
    }
    return "signal";
}

// UTC calendar time from seconds since the epoch, without gmtime (not async-signal-safe).
void addTime(Buffer &b, time_t t, bool compact)
{
    long long days = t / 86400, secs = t % 86400;
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const long long era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const long long year = (long long)yoe + era * 400 + (month <= 2);
    b.addNumber((unsigned long long)year, 10, 4);
    if (!compact)
        b.add("-");
    b.addNumber(month, 10, 2);
    if (!compact)
        b.add("-");
    b.addNumber(day, 10, 2);
    b.add(compact ? "-" : "T");
    b.addNumber((unsigned long long)(secs / 3600), 10, 2);
    if (!compact)
        b.add(":");
    b.addNumber((unsigned long long)(secs / 60 % 60), 10, 2);
    if (!compact)
        b.add(":");
    b.addNumber((unsigned long long)(secs % 60), 10, 2);
    if (!compact)
        b.add("Z");
}

void onCrash(int sig, siginfo_t *info, void *context)
{
    if (crashing) { // a crash while reporting one: die at once
        ::signal(sig, SIG_DFL);
        ::raise(sig);
        return;
    }
    crashing = 1;
    const time_t now = ::time(nullptr);
    Buffer path;
    path.add(reportDir);
    path.add("/crash-");
    addTime(path, now, true);
    path.add("-");
    path.addNumber((unsigned long long)::getpid());
    path.add(".txt");
    path.data[path.size] = '\0';

    const int fd = ::open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        Buffer text;
        text.add(header);
        text.add(" crashed: signal ");
        text.addNumber((unsigned long long)sig);
        text.add(" (");
        text.add(signalName(sig));
        text.add(") at ");
        addTime(text, now, false);
        text.add("\npid: ");
        text.addNumber((unsigned long long)::getpid());
        text.add("\nthread: ");
        text.addNumber((unsigned long long)::syscall(SYS_gettid));
        if (info && info->si_code > 0 &&
            (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL)) {
            text.add("\naddress: 0x");
            text.addNumber((unsigned long long)(uintptr_t)info->si_addr, 16);
        }
        if (info && info->si_code <= 0) { // sent by a process (kill, raise), not by a fault
            text.add("\nsent by pid: ");
            text.addNumber((unsigned long long)info->si_pid);
        }
        text.add("\n\nbacktrace:\n");
        text.writeTo(fd);
        void *frames[64];
        const int count = ::backtrace(frames, 64);
        ::backtrace_symbols_fd(frames, count, fd);
        Buffer end;
        end.add("\nNo memory contents are in this report, and no core dump was written unless "
                "OPSDECK_CORE_DUMPS=1 was set.\n");
        end.writeTo(fd);
        ::close(fd);
    }
    Buffer say;
    say.add("opsdeck: crashed (");
    say.add(signalName(sig));
    say.add(")");
    if (fd >= 0) {
        say.add("; report: ");
        say.add(path.data);
    }
    say.add("\n");
    say.writeTo(STDERR_FILENO);

    // Die of the same signal, through the handler that was there before ours (a sanitizer's).
    for (size_t i = 0; i < std::size(handledSignals); ++i) {
        if (handledSignals[i] != sig)
            continue;
        const struct sigaction &old = previous[i];
        if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction) {
            ::sigaction(sig, &old, nullptr);
            old.sa_sigaction(sig, info, context);
        } else if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
            ::sigaction(sig, &old, nullptr);
            old.sa_handler(sig);
        }
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig); // blocked while this handler runs: delivered as it returns
}

void copyInto(char *target, size_t size, const QByteArray &text)
{
    const size_t n = std::min(size - 1, size_t(text.size()));
    std::memcpy(target, text.constData(), n);
    target[n] = '\0';
}

QFileInfoList reportsIn(const QString &dir)
{
    return QDir(dir).entryInfoList({QStringLiteral("crash-*.txt")}, QDir::Files, QDir::Name | QDir::Reversed);
}
} // namespace

void install(const QString &dataDir)
{
    const QString dir = QDir(dataDir).absoluteFilePath(QStringLiteral("crashes"));
    if (!QDir().mkpath(dir))
        qCWarning(lcCrash).noquote() << "cannot create" << dir << ": crashes will not be reported";
    copyInto(reportDir, sizeof reportDir, QFile::encodeName(dir));
    copyInto(header, sizeof header,
             QStringLiteral("Opsdeck %1 (Qt %2)")
                 .arg(QStringLiteral(OPSDECK_VERSION), QString::fromLatin1(qVersion()))
                 .toUtf8());

    // Loads the unwinder now: the first backtrace() call may allocate.
    void *frames[4];
    (void)::backtrace(frames, 4);

    // Tokens are in this process's memory: no core file unless the developer asks for one.
    if (qEnvironmentVariable("OPSDECK_CORE_DUMPS") != QLatin1String("1")) {
        struct rlimit none = {0, 0};
        struct rlimit current;
        if (::getrlimit(RLIMIT_CORE, &current) == 0)
            none.rlim_max = current.rlim_max;
        ::setrlimit(RLIMIT_CORE, &none);
    }

    // A stack of its own, so that a stack overflow on the main thread is reported too.
    static char *altStack = new char[128 * 1024];
    stack_t ss{};
    ss.ss_sp = altStack;
    ss.ss_size = 128 * 1024;
    ::sigaltstack(&ss, nullptr);

    for (size_t i = 0; i < std::size(handledSignals); ++i) {
        struct sigaction action
        {
        };
        action.sa_sigaction = onCrash;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
        sigemptyset(&action.sa_mask);
        ::sigaction(handledSignals[i], &action, &previous[i]);
    }
}

QStringList takeNewReports(const QString &dataDir)
{
    const QString dir = QDir(dataDir).absoluteFilePath(QStringLiteral("crashes"));
    const QFileInfoList all = reportsIn(dir);
    for (qsizetype i = 20; i < all.size(); ++i) // the newest 20 are kept
        QFile::remove(all.at(i).filePath());
    QFile marker(QDir(dir).filePath(toldMarker));
    QString told;
    if (marker.open(QIODevice::ReadOnly))
        told = QString::fromUtf8(marker.readAll()).trimmed();
    marker.close();
    QStringList fresh;
    for (qsizetype i = 0; i < qMin<qsizetype>(20, all.size()); ++i) {
        // Names sort by time: everything after the newest one already told is new.
        if (!told.isEmpty() && all.at(i).fileName() <= told)
            break;
        fresh << all.at(i).filePath();
    }
    if (!fresh.isEmpty() && marker.open(QIODevice::WriteOnly | QIODevice::Truncate))
        marker.write(QFileInfo(fresh.first()).fileName().toUtf8());
    return fresh;
}

QString summary(const QString &reportPath)
{
    QFile f(reportPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readLine(512)).trimmed();
}

} // namespace opsdeck::CrashHandler
