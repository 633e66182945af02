// The guardian of one launch: async-signal-safe code only (a fork of a multi-threaded harness that never execs).
#include "launch/guardian.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "launch/tempdir.hpp"

namespace routecheck::launch::detail {
namespace {

void write_report(int fd, Report r) {
    ssize_t ignored = ::write(fd, &r, sizeof r);
    (void)ignored;
}

// Appends the decimal digits of n (>= 0) to out; returns how many.
std::size_t put_decimal(char* out, long n) {
    char tmp[24];
    std::size_t len = 0;
    do tmp[len++] = static_cast<char>('0' + n % 10);
    while ((n /= 10) > 0);
    for (std::size_t i = 0; i < len; ++i) out[i] = tmp[len - 1 - i];
    return len;
}

std::size_t put_text(char* out, const char* text) {
    std::size_t len = 0;
    while (text[len]) {
        out[len] = text[len];
        ++len;
    }
    return len;
}

// Reads up to size-1 bytes of a small file into buf (NUL-terminated); -1 when it cannot be opened.
ssize_t read_small_file(const char* path, char* buf, std::size_t size) {
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    std::size_t got = 0;
    while (got < size - 1) {
        ssize_t n = ::read(fd, buf + got, size - 1 - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    buf[got] = '\0';
    return static_cast<ssize_t>(got);
}

// The parent pid in /proc/<pid>/stat ("pid (comm) S ppid ..."; comm may hold spaces and parentheses), or -1.
pid_t ppid_of(long pid) {
    char path[64];
    std::size_t at = put_text(path, "/proc/");
    at += put_decimal(path + at, pid);
    at += put_text(path + at, "/stat");
    path[at] = '\0';
    char buf[1024];
    const ssize_t n = read_small_file(path, buf, sizeof buf);
    if (n <= 0) return -1;
    const char* close = nullptr;
    for (ssize_t i = 0; i < n; ++i)
        if (buf[i] == ')') close = buf + i;
    if (!close || close + 4 >= buf + n) return -1;
    long v = 0;
    for (const char* c = close + 4; *c >= '0' && *c <= '9'; ++c) v = v * 10 + (*c - '0');  // past ") S "
    return static_cast<pid_t>(v);
}

// The children of `self` but `except`, at most `max`: from /proc/<self>/task/<self>/children (the guardian is
// single-threaded, so adopted orphans are re-parented to that thread), or, on a kernel built without that file,
// from a scan of /proc/*/stat.
int list_children(pid_t self, pid_t except, pid_t* out, int max) {
    char path[96];
    std::size_t at = put_text(path, "/proc/");
    at += put_decimal(path + at, self);
    at += put_text(path + at, "/task/");
    at += put_decimal(path + at, self);
    at += put_text(path + at, "/children");
    path[at] = '\0';
    int count = 0;
    char buf[8192];
    const ssize_t n = read_small_file(path, buf, sizeof buf);
    if (n >= 0) {
        long v = -1;
        for (ssize_t i = 0; i <= n; ++i) {
            const char c = i < n ? buf[i] : ' ';
            if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
            } else if (v >= 0) {
                if (v != except && count < max) out[count++] = static_cast<pid_t>(v);
                v = -1;
            }
        }
        return count;
    }
    int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return 0;
    char dents[8192];
    for (;;) {
        const long got = ::syscall(SYS_getdents64, dir, dents, sizeof dents);
        if (got <= 0) break;
        for (long off = 0; off < got;) {
            // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[]
            unsigned short reclen = 0;
            std::memcpy(&reclen, dents + off + 16, sizeof reclen);
            const char* name = dents + off + 19;
            off += reclen;
            long pid = 0;
            const char* c = name;
            for (; *c >= '0' && *c <= '9'; ++c) pid = pid * 10 + (*c - '0');
            if (c == name || *c != '\0' || pid == except) continue;
            if (ppid_of(pid) == self && count < max) out[count++] = static_cast<pid_t>(pid);
        }
    }
    ::close(dir);
    return count;
}

// Reaps every child but `keep` that has ended (orphans the guardian adopted).
void reap_adopted(pid_t self, pid_t keep) {
    pid_t kids[512];
    const int n = list_children(self, keep, kids, 512);
    for (int i = 0; i < n; ++i) {
        int status = 0;
        ::waitpid(kids[i], &status, WNOHANG);
    }
}

long now_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

// Ends every process left in the subtree but the leader (already killed): the orphans adopted and, as they die,
// theirs. First SIGTERM and up to 500 ms (a nested guardian, e.g. of a routecheck run under a test, then ends its
// own subtree first), then SIGKILL, round after round until no child is left.
void end_subtree(pid_t self, pid_t leader) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pid_t kids[512];
    int n = list_children(self, leader, kids, 512);
    if (n == 0) return;
    const long until = now_ms() + 500;
    for (long left = 500; left > 0 && n > 0; left = until - now_ms()) {
        // Orphans of the processes that just ended are re-parented here: each round signals every child.
        for (int i = 0; i < n; ++i) ::kill(kids[i], SIGTERM);
        timespec wait{0, std::min(left, 20L) * 1000000L};
        ::sigtimedwait(&chld, nullptr, &wait);
        reap_adopted(self, leader);
        n = list_children(self, leader, kids, 512);
    }
    while (n > 0) {
        for (int i = 0; i < n; ++i) ::kill(kids[i], SIGKILL);
        for (int i = 0; i < n; ++i) {
            int status = 0;
            while (::waitpid(kids[i], &status, 0) < 0 && errno == EINTR) {}
        }
        n = list_children(self, leader, kids, 512);
    }
}

// The child: its own group, dies with the guardian, output to the log, then exec.
[[noreturn]] void child_main(const LaunchPlan& plan, pid_t guardian) {
    auto fail = [&](int stage) {
        int payload[2] = {stage, errno};
        ssize_t ignored = ::write(plan.err_fd, payload, sizeof payload);
        (void)ignored;
        ::_exit(127);
    };
    if (::setpgid(0, 0) != 0) fail(1);
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(2);
    if (::getppid() != guardian) ::_exit(127);  // the guardian died before prctl took effect
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the guardian blocks the signals it waits for
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGQUIT}) ::signal(sig, SIG_DFL);
    if (::dup2(plan.stdin_fd, 0) < 0 || ::dup2(plan.out_fd, 1) < 0 || ::dup2(plan.out_fd, 2) < 0) fail(3);
    // Descriptors other threads of the harness opened without O_CLOEXEC (sockets, files) must not leak into it.
    const int keep = plan.err_fd;
    if (keep > 3) ::syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u);
    ::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u);
    if (plan.cwd && ::chdir(plan.cwd) != 0) fail(4);
    // A lower priority only ever (any process may raise its own nice value); a failure leaves the harness's.
    if (plan.nice > 0) ::setpriority(PRIO_PROCESS, 0, plan.nice);
    ::execve(plan.program, plan.argv, plan.envp);
    fail(5);
    ::_exit(127);
}

}  // namespace

void guardian_main(const LaunchPlan& plan) {
    sigset_t waits;
    sigemptyset(&waits);
    for (int sig : {SIGCHLD, SIGUSR1, SIGTERM}) sigaddset(&waits, sig);
    ::sigprocmask(SIG_SETMASK, &waits, nullptr);  // a signal that comes early stays pending
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    // The harness's handlers (kill every registered launch) must not run in a copy of the harness; SIGCHLD must not
    // be ignored (that would reap the child before its exit is reported). SIGPIPE is ignored: a report written after
    // the harness died must not end the guardian before its work is done.
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGCHLD, SIGUSR1}) ::sigaction(sig, &dfl, nullptr);
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ign, nullptr);
    ::setpgid(0, 0);  // out of the terminal's foreground group: Ctrl-C is for the harness, which cleans up
    ::prctl(PR_SET_PDEATHSIG, SIGUSR1);
    if (::getppid() != plan.harness) ::_exit(1);  // the harness died before prctl took effect
    // Every process of the launch that loses its parent is re-parented here, not to init: none can get away.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t self = ::getpid();
    const pid_t leader = ::fork();
    if (leader == 0) child_main(plan, self);
    if (leader < 0) {
        write_report(plan.report_fd, {kForkFailed, errno, 0});
        ::_exit(1);
    }
    ::setpgid(leader, leader);  // the group exists before the harness hears of it (EACCES after exec is fine)
    write_report(plan.report_fd, {kStarted, leader, 0});
    // No descriptor of the harness may stay open here: a listening socket held by the guardian would keep
    // accepting connections nobody answers after the harness closed it, and a pipe the harness's caller reads
    // would not see its end.
    const int report = plan.report_fd;
    if (report > 0) ::syscall(SYS_close_range, 0u, static_cast<unsigned>(report - 1), 0u);
    ::syscall(SYS_close_range, static_cast<unsigned>(report + 1), ~0u, 0u);

    bool reported = false;
    // WNOWAIT: the leader stays a zombie until the end, so its pid (= the pgid) cannot be reused while the harness
    // may still signal the group.
    auto report_exit = [&](int options) {
        siginfo_t info{};
        if (!reported && ::waitid(P_PID, static_cast<id_t>(leader), &info, WEXITED | WNOWAIT | options) == 0 &&
            info.si_pid == leader) {
            write_report(report, {kExited, info.si_code, info.si_status});
            reported = true;
        }
    };
    int why = 0;
    while (why == 0) {
        siginfo_t info{};
        const int sig = ::sigwaitinfo(&waits, &info);
        if (sig == SIGCHLD) {
            report_exit(WNOHANG);
            reap_adopted(self, leader);
        } else if (sig == SIGTERM || sig == SIGUSR1) {
            why = sig;
        }
    }
    ::kill(-leader, SIGKILL);
    ::kill(leader, SIGKILL);  // also if it moved itself to another group
    report_exit(0);           // waits for it: once it is a zombie, its children have been re-parented here
    end_subtree(self, leader);
    // The harness died without stopping the child (SIGKILL): its temp HOME holds the rendered key.
    if (why == SIGUSR1 && plan.orphan_dir) remove_tree_with_rm(plan.orphan_dir);
    int status = 0;
    while (::waitpid(leader, &status, 0) < 0 && errno == EINTR) {}
    ::_exit(0);
}

}  // namespace routecheck::launch::detail
