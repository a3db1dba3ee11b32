// Runs a command (CTest, in scripts/test.sh) as a child subreaper: every process that a test starts
// and leaves behind is reparented here instead of to init. When the command ends, whatever is
// still here is listed with its command line, stopped (SIGTERM, then SIGKILL) and reported; the
// exit code is then 1 even if the command passed, so a test that leaks a server fails CI.
//   test-reaper COMMAND [ARGS...]
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
struct Orphan
{
    pid_t pid;
    std::string command;
};

std::string commandLine(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (char &c : s)
        if (c == '\0')
            c = ' ';
    return s;
}

// Children of this process (after the command ended, only what tests left behind).
std::vector<Orphan> children()
{
    std::vector<Orphan> out;
    DIR *proc = opendir("/proc");
    if (!proc)
        return out;
    const pid_t self = getpid();
    while (dirent *e = readdir(proc)) {
        const pid_t pid = pid_t(std::atoi(e->d_name));
        if (pid <= 0)
            continue;
        std::ifstream status("/proc/" + std::to_string(pid) + "/status");
        std::string line;
        pid_t ppid = 0;
        bool zombie = false;
        while (std::getline(status, line)) {
            if (line.rfind("PPid:", 0) == 0)
                ppid = pid_t(std::atoi(line.c_str() + 5));
            else if (line.rfind("State:", 0) == 0)
                zombie = line.find('Z') != std::string::npos;
        }
        if (ppid == self && !zombie)
            out.push_back({pid, commandLine(pid)});
    }
    closedir(proc);
    return out;
}

void reapZombies()
{
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}
} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s COMMAND [ARGS...]\n", argv[0]);
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        std::perror("test-reaper: PR_SET_CHILD_SUBREAPER");
        return 2;
    }
    const pid_t child = fork();
    if (child < 0) {
        std::perror("test-reaper: fork");
        return 2;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        std::fprintf(stderr, "test-reaper: cannot run %s: %s\n", argv[1], std::strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

    // Orphans reparent a moment after their parent dies: look twice.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    reapZombies();
    std::vector<Orphan> left = children();
    if (left.empty())
        return code;
    std::fprintf(stderr, "test-reaper: %zu process(es) outlived the tests that started them:\n", left.size());
    for (const Orphan &o : left) {
        std::fprintf(stderr, "  pid %d: %s\n", int(o.pid), o.command.c_str());
        kill(o.pid, SIGTERM);
    }
    for (int i = 0; i < 50 && !children().empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        reapZombies();
    }
    for (const Orphan &o : children())
        kill(o.pid, SIGKILL);
    reapZombies();
    std::fprintf(stderr, "test-reaper: stopped them; every test must stop what it starts\n");
    return code != 0 ? code : 1;
}
