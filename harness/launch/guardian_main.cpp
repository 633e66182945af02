// routecheck-guardian: the guardian of one launch (see ChildProcess in process.hpp; the protocol in guardian.hpp).
// The harness starts one per child (guardian_spawn.cpp). Its own executable, exec'd and single-threaded, so it may
// allocate and throw like any program, and it starts the child with Boost.Process.
//
// It reads the launch plan from its stdin, becomes a child subreaper, starts the child (own process group,
// parent-death signal SIGKILL, output to its stderr's descriptor), reports kStarted, reports kExited when the child
// exits (without reaping it, so its pid stays its group's id while the harness may signal the group), and reaps the
// orphans it adopts meanwhile. On SIGTERM (the harness ends the launch) or SIGUSR1 (its parent-death signal: the
// harness died) it SIGKILLs the child's group and the child, then ends every other process of its subtree (SIGTERM
// and up to 500 ms, then SIGKILL, until none is left), removes the plan's orphan_dir only on SIGUSR1, reaps the child
// and exits 0. It ends only processes of its own subtree, by pid.
#include "launch/boost_process.hpp"
#include "launch/guardian.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>

namespace routecheck::launch::detail {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void write_report(int fd, Report r) {
    ssize_t ignored = ::write(fd, &r, sizeof r);
    (void)ignored;
}

// The parent pid in /proc/<pid>/stat ("pid (comm) S ppid ..."; comm may hold spaces and parentheses), or -1.
pid_t ppid_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = -1;
    rest >> state >> ppid;
    return static_cast<pid_t>(ppid);
}

// The children of `self` but `except`: from /proc/<self>/task/<self>/children (the guardian is single-threaded, so
// adopted orphans are re-parented to that thread), or, on a kernel built without that file, from a scan of /proc.
std::vector<pid_t> list_children(pid_t self, pid_t except) {
    std::vector<pid_t> out;
    std::ifstream in("/proc/" + std::to_string(self) + "/task/" + std::to_string(self) + "/children");
    if (in) {
        for (long pid; in >> pid;)
            if (pid != except) out.push_back(static_cast<pid_t>(pid));
        return out;
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto pid = static_cast<pid_t>(std::stol(name));
        if (pid != except && ppid_of(pid) == self) out.push_back(pid);
    }
    return out;
}

// Reaps every child but `keep` that has ended (orphans the guardian adopted).
void reap_adopted(pid_t self, pid_t keep) {
    for (pid_t kid : list_children(self, keep)) {
        int status = 0;
        ::waitpid(kid, &status, WNOHANG);
    }
}

// Ends every process left in the subtree but the leader (already killed): the orphans adopted and, as they die,
// theirs. First SIGTERM and up to 500 ms (a nested guardian, e.g. of a routecheck run under a test, then ends its
// own subtree first), then SIGKILL, round after round until no child is left.
void end_subtree(pid_t self, pid_t leader) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    auto kids = list_children(self, leader);
    const auto until = Clock::now() + std::chrono::milliseconds(500);
    while (!kids.empty() && Clock::now() < until) {
        // Orphans of the processes that just ended are re-parented here: each round signals every child.
        for (pid_t kid : kids) ::kill(kid, SIGTERM);
        timespec wait{0, 20'000'000};
        ::sigtimedwait(&chld, nullptr, &wait);
        reap_adopted(self, leader);
        kids = list_children(self, leader);
    }
    while (!kids.empty()) {
        for (pid_t kid : kids) ::kill(kid, SIGKILL);
        for (pid_t kid : kids) {
            int status = 0;
            while (::waitpid(kid, &status, 0) < 0 && errno == EINTR) {}
        }
        kids = list_children(self, leader);
    }
}

// The stage a start failed at, from the message of Boost.Process's error: ours (child_exec_setup) or the
// executor's own ("dup2() failed" from a redirection, "execve failed"). 0 when it is none of these.
int stage_of(std::string_view what) {
    for (auto [prefix, stage] : {std::pair<std::string_view, int>{"setpgid", kStageSetpgid},
                                 {"prctl", kStagePrctl},
                                 {"dup2", kStageRedirect},
                                 {"chdir", kStageChdir},
                                 {"execve", kStageExec}})
        if (what.substr(0, prefix.size()) == prefix) return stage;
    return 0;
}

// Runs in the child between fork and exec (after Boost.Process's redirections): its own group, death with the
// guardian, the signal mask and dispositions of a fresh process, no descriptor but 0..2, the plan's cwd. A failure
// goes to the executor's error pipe with its stage, and the child ends there.
template <class Executor>
void child_exec_setup(Executor& e, const std::string& cwd, int nice, pid_t guardian) {
    auto fail = [&e](const char* stage) {
        e.set_error(std::error_code(errno, std::system_category()), stage);
        ::_exit(127);
    };
    if (::setpgid(0, 0) != 0) fail("setpgid");
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("prctl");
    if (::getppid() != guardian) ::_exit(127);  // the guardian died before prctl took effect
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the guardian blocks the signals it waits for
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGQUIT}) ::signal(sig, SIG_DFL);
    // Close-on-exec rather than closed: the executor's error pipe must stay open until the exec (it is close-on-exec
    // itself). What this catches is Boost.Process's /dev/null for stdin, which it opens without O_CLOEXEC.
    ::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC);
    // Not bp::start_dir: it ignores a failed chdir (start_dir.hpp), and the child would run in the wrong folder.
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) fail("chdir");
    // A lower priority only (any process may lower its own); a failure leaves the guardian's.
    if (nice > 0) ::setpriority(PRIO_PROCESS, 0, nice);
}

// Starts the child with Boost.Process: the plan's program, argv (argv[0] as given: bp::exe alone would put the
// path there) and whole environment, stdin /dev/null, stdout and stderr to `output`. Returns its pid once it has
// exec'd, or -1 after reporting what failed (the failed child then ended, or is ended with the rest of the subtree).
pid_t spawn_child(const LaunchPlan& plan, int output, int report, pid_t self) {
    bp::environment env;
    for (const auto& [k, v] : plan.env) env[k] = v;
    std::vector<std::string> args = plan.argv;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fork_errno = 0;
    try {
        bp::child c(
            bp::exe = plan.program, bp::args = std::vector<std::string>{}, env, bp::std_in < bp::null,
            bp::posix::fd.bind(STDOUT_FILENO, output), bp::posix::fd.bind(STDERR_FILENO, output),
            bp::extend::on_setup([&argv](auto& e) { e.cmd_line = argv.data(); }),
            bp::extend::on_exec_setup([&plan, self](auto& e) { child_exec_setup(e, plan.cwd, plan.nice, self); }),
            bp::extend::on_fork_error([&fork_errno](auto&, const std::error_code& ec) { fork_errno = ec.value(); }));
        if (!c.valid()) {  // a failed fork is not thrown (executor.hpp)
            write_report(report, {kForkFailed, fork_errno, 0});
            return -1;
        }
        c.detach();  // its destructor would kill it, running() would reap it: waitid(WNOWAIT) below watches it
        return c.id();
    } catch (const bp::process_error& e) {
        write_report(report, {kSpawnFailed, e.code().value(), stage_of(e.what())});
        return -1;
    }
}

// Reads all of `fd` (the plan's memfd).
std::string read_all(int fd) {
    std::string out;
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

int guardian_main() {
    sigset_t waits;
    sigemptyset(&waits);
    for (int sig : {SIGCHLD, SIGUSR1, SIGTERM}) sigaddset(&waits, sig);
    ::sigprocmask(SIG_BLOCK, &waits, nullptr);  // the harness blocked them before the exec already
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    // Dispositions the harness set to SIG_IGN survive the exec: SIGCHLD ignored would reap the child before its exit
    // is reported. SIGPIPE is ignored: a report written after the harness died must not end the guardian before its
    // work is done.
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1}) ::sigaction(sig, &dfl, nullptr);
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ign, nullptr);
    // No descriptor of the harness may stay open here (the harness marked them close-on-exec; this is for a kernel
    // without CLOSE_RANGE_CLOEXEC): a listening socket held by the guardian would keep accepting connections nobody
    // answers after the harness closed it, and a pipe the harness's caller reads would not see its end.
    ::syscall(SYS_close_range, 3u, ~0u, 0u);
    if (::isatty(STDIN_FILENO)) {
        std::fputs("routecheck-guardian: routecheck starts it for each process it launches; it is not a command\n",
                   stderr);
        return 2;
    }
    const std::string bytes = read_all(STDIN_FILENO);
    // The report pipe and the child's output, moved off 0..2 (close-on-exec), which become /dev/null: nothing of
    // the guardian's own reaches the child, and the guardian holds the output only until the child has it.
    const int report = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    const int output = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (report < 0 || output < 0) return 1;  // no descriptor left: the harness reads the end of its pipe
    const int null = ::open("/dev/null", O_RDWR);
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) ::dup2(null, fd);
    if (null > STDERR_FILENO) ::close(null);

    const auto plan = decode_plan(bytes);
    if (!plan) {
        write_report(report, {kBadPlan, 0, 0});
        return 2;
    }
    // Every process of the launch that loses its parent is re-parented here, not to init: none can get away.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t self = ::getpid();
    const pid_t leader = spawn_child(*plan, output, report, self);
    ::close(output);
    if (leader < 0) {
        end_subtree(self, -1);  // a child that failed after its fork (it ends at once, or was exec'd anyway)
        return 1;
    }
    write_report(report, {kStarted, leader, 0});

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
    if (why == SIGUSR1 && !plan->orphan_dir.empty()) {
        std::error_code ec;
        fs::remove_all(plan->orphan_dir, ec);
    }
    int status = 0;
    while (::waitpid(leader, &status, 0) < 0 && errno == EINTR) {}
    return 0;
}

}  // namespace
}  // namespace routecheck::launch::detail

int main() { return routecheck::launch::detail::guardian_main(); }
