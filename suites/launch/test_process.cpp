#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <sys/resource.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "launch/ports.hpp"
#include "launch/process.hpp"
#include "launch/tempdir.hpp"

using namespace routecheck::launch;
using namespace std::chrono_literals;

namespace {

ProcessSpec shell(const std::string& script, const std::filesystem::path& log = {}) {
    return ProcessSpec{{"sh", "-c", script}, minimal_environment(), {}, log};
}

// "gone" for a pid we cannot reap ourselves: no /proc entry, or a zombie waiting for init to reap it.
bool gone(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return true;
    auto close = stat.rfind(')');
    return close != std::string::npos && stat.size() > close + 2 && stat[close + 2] == 'Z';
}

pid_t read_pid(const std::filesystem::path& file) {
    for (int i = 0; i < 500; ++i) {
        std::ifstream in(file);
        pid_t pid = 0;
        if (in >> pid && pid > 0) return pid;
        std::this_thread::sleep_for(10ms);
    }
    return 0;
}

}  // namespace

TEST(ChildProcess, CapturesStdoutAndStderrAndExitCode) {
    TempDir dir;
    ChildProcess p(shell("echo to-out; echo to-err >&2; exit 3", dir.path() / "log"));
    ASSERT_TRUE(p.wait_exit(5s));
    EXPECT_FALSE(p.running());
    EXPECT_EQ(p.exit_code(), 3);
    EXPECT_EQ(p.exit_description(), "exited with 3");
    EXPECT_EQ(p.log_tail(10), "to-out\nto-err");
    EXPECT_EQ(p.log_tail(1), "to-err");
}

TEST(ChildProcess, EnvironmentIsExplicitNotInherited) {
    TempDir dir;
    ::setenv("HTTP_PROXY", "http://should-not-leak:1", 1);
    ::setenv("API_KEY", "leak", 1);
    auto spec = shell("env; pwd", dir.path() / "log");
    spec.env["ROUTECHECK_TEST"] = "yes";
    spec.cwd = dir.path();
    ChildProcess p(spec);
    ASSERT_TRUE(p.wait_exit(5s));
    ::unsetenv("HTTP_PROXY");
    ::unsetenv("API_KEY");
    const std::string log = p.log_tail(100);
    EXPECT_NE(log.find("ROUTECHECK_TEST=yes"), std::string::npos);
    EXPECT_NE(log.find("NO_COLOR=1"), std::string::npos);
    EXPECT_EQ(log.find("HTTP_PROXY"), std::string::npos);
    EXPECT_EQ(log.find("API_KEY"), std::string::npos);
    EXPECT_NE(log.find(dir.path().string()), std::string::npos);
}

TEST(ChildProcess, RunsInOwnProcessGroup) {
    ChildProcess p(shell("sleep 30"));
    EXPECT_EQ(::getpgid(p.pid()), p.pid());
    EXPECT_NE(::getpgid(p.pid()), ::getpgrp());
    EXPECT_TRUE(p.stop(2s));
    EXPECT_EQ(p.exit_code(), 128 + SIGTERM);
}

TEST(ChildProcess, StopKillsGrandchildThatIgnoresSigterm) {
    TempDir dir;
    const auto pidfile = dir.path() / "gc.pid";
    // The grandchild ignores SIGTERM and would outlive its parent without the group SIGKILL.
    ChildProcess p(shell("(trap '' TERM; exec sleep 300) & echo $! > " + pidfile.string() + "; wait"));
    const pid_t grandchild = read_pid(pidfile);
    ASSERT_GT(grandchild, 0);
    EXPECT_EQ(::getpgid(grandchild), p.pgid());
    const pid_t pgid = p.pgid();
    p.stop(500ms);
    EXPECT_FALSE(p.running());
    for (int i = 0; i < 200 && !gone(grandchild); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(gone(grandchild)) << "grandchild " << grandchild << " survived";
    for (pid_t pid : processes_in_group(pgid)) EXPECT_TRUE(gone(pid)) << "pid " << pid << " still in group";
}

TEST(ChildProcess, StopEscalatesToSigkill) {
    ChildProcess p(shell("trap '' TERM; while :; do sleep 0.05; done"));
    std::this_thread::sleep_for(100ms);  // let the shell install its trap
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(p.stop(300ms));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    EXPECT_EQ(p.exit_code(), 128 + SIGKILL);
    EXPECT_EQ(p.exit_description(), "killed by signal 9 (SIGKILL)");
}

TEST(ChildProcess, DestructorStopsTheGroup) {
    pid_t pid = 0;
    {
        ChildProcess p(shell("sleep 300"));
        pid = p.pid();
        EXPECT_TRUE(p.running());
    }
    EXPECT_TRUE(gone(pid));
}

TEST(ChildProcess, MissingProgramIsAnExactError) {
    ProcessSpec spec{{"no-such-program-routecheck"}, minimal_environment(), {}, {}};
    try {
        ChildProcess p(spec);
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot start 'no-such-program-routecheck': not found in PATH"),
                  std::string::npos)
            << e.what();
    }
    ProcessSpec direct{{"/nonexistent/prog"}, minimal_environment(), {}, {}};
    try {
        ChildProcess p(direct);
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot start /nonexistent/prog: exec failed: No such file"),
                  std::string::npos)
            << e.what();
    }
    // The stage that failed before the exec, with its errno: the folder is named, and nothing ran elsewhere.
    ProcessSpec bad_cwd{{"sh", "-c", "true"}, minimal_environment(), "/nonexistent-dir", {}};
    try {
        ChildProcess p(bad_cwd);
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("chdir to /nonexistent-dir failed: No such file"), std::string::npos)
            << e.what();
    }
    // A program that is there but cannot be executed.
    TempDir dir;
    std::ofstream(dir.path() / "not-executable") << "#!/bin/sh\n";
    ProcessSpec denied{{(dir.path() / "not-executable").string()}, minimal_environment(), {}, {}};
    try {
        ChildProcess p(denied);
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("exec failed: Permission denied"), std::string::npos) << e.what();
    }
}

// A bare program name is looked up in the child's PATH (not the harness's), and only an executable regular file of
// that name counts: a directory of the same name earlier in PATH (executable, as directories are) is passed over.
TEST(ChildProcess, ProgramIsLookedUpInTheChildsPath) {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "a" / "rc-test-prog");
    std::filesystem::create_directories(dir.path() / "b");
    const auto prog = dir.path() / "b" / "rc-test-prog";
    std::ofstream(prog) << "#!/bin/sh\necho found \"$0\"\n";
    std::filesystem::permissions(prog, std::filesystem::perms::owner_all);
    ProcessSpec spec{{"rc-test-prog"}, minimal_environment(), {}, dir.path() / "log"};
    spec.env["PATH"] = (dir.path() / "a").string() + "::" + (dir.path() / "b").string();
    ChildProcess p(spec);
    ASSERT_TRUE(p.wait_exit(5s));
    EXPECT_EQ(p.exit_code(), 0) << p.log_tail();
    EXPECT_EQ(p.log_tail(), "found " + prog.string());
}

// PR_SET_PDEATHSIG follows the thread that forked: a child started from a short-lived thread must survive
// that thread (all forks happen on one long-lived spawner thread).
TEST(ChildProcess, SurvivesTheThreadThatStartedIt) {
    std::unique_ptr<ChildProcess> p;
    std::thread([&] { p = std::make_unique<ChildProcess>(shell("sleep 30")); }).join();
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(p->running()) << p->exit_description();
}

// ProcessSpec::nice lowers the child's priority; a child without it runs at the harness's own, even when it was
// started from a thread that lowered its priority (as a matrix run's thread of a proxy off the critical path does):
// children are forked from the spawner thread, which install_signal_cleanup() makes on main()'s thread.
TEST(ChildProcess, NiceIsTheSpecsNotTheStartingThreads) {
    install_signal_cleanup();
    const int own = ::getpriority(PRIO_PROCESS, 0);
    std::unique_ptr<ChildProcess> lowered, plain;
    std::thread([&] {
        ASSERT_EQ(::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), own + 5), 0);
        ProcessSpec spec = shell("sleep 30");
        spec.nice = own + 12;
        lowered = std::make_unique<ChildProcess>(spec);
        plain = std::make_unique<ChildProcess>(shell("sleep 30"));
    }).join();
    ASSERT_TRUE(lowered && plain);
    errno = 0;
    EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(lowered->pid())), own + 12);
    EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(plain->pid())), own);
    EXPECT_EQ(errno, 0);
}

// The CPU time a group took, its reaped children included: a shell that spins, then waits in a child of its own.
TEST(GroupCpu, CountsTheGroupsProcessesAndTheirReapedChildren) {
    ChildProcess p(shell("(i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done); echo done; sleep 30"));
    const auto until = std::chrono::steady_clock::now() + 20s;
    double ms = 0;
    while ((ms = group_cpu_ms(p.pgid())) < 100 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);
    EXPECT_GE(ms, 100) << "the spinning subshell's CPU time (reaped by the shell) counts";
    EXPECT_LT(ms, 60000);
    p.stop(2s);
    EXPECT_EQ(group_cpu_ms(p.pgid()), 0) << "no process left in the group";
    EXPECT_EQ(group_cpu_ms(0), 0);
}

TEST(ChildProcess, KillAllChildrenReachesEveryGroup) {
    ChildProcess a(shell("sleep 30")), b(shell("sleep 30"));
    kill_all_children();
    EXPECT_TRUE(a.wait_exit(2s));
    EXPECT_TRUE(b.wait_exit(2s));
    EXPECT_EQ(a.exit_code(), 128 + SIGKILL);
}

// The harness dying on SIGTERM must take the proxies' whole groups with it: PDEATHSIG only reaches the direct
// child, so a grandchild survives unless the signal handler kills the registered groups.
TEST(ChildProcess, HarnessSigtermKillsChildGroups) {
    TempDir dir;
    const auto pidfile = dir.path() / "grandchild.pid";
    ChildProcess harness(
        ProcessSpec{{ROUTECHECK_LAUNCH_SIGNAL_HELPER, pidfile.string()}, minimal_environment(), {}, {}});
    const pid_t grandchild = read_pid(pidfile);
    ASSERT_GT(grandchild, 0) << harness.exit_description();
    EXPECT_FALSE(gone(grandchild));
    ::kill(harness.pid(), SIGTERM);  // the helper only, not its group
    ASSERT_TRUE(harness.wait_exit(5s));
    EXPECT_EQ(harness.exit_code(), 128 + SIGTERM) << "the handler re-raises the signal";
    for (int i = 0; i < 200 && !gone(grandchild); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(gone(grandchild)) << "grandchild " << grandchild << " outlived the harness";
    if (!gone(grandchild)) ::kill(grandchild, SIGKILL);
}

TEST(ChildProcess, MoveTransfersOwnership) {
    ChildProcess a(shell("sleep 30"));
    const pid_t pid = a.pid();
    ChildProcess b(std::move(a));
    EXPECT_FALSE(a.started());
    EXPECT_EQ(b.pid(), pid);
    EXPECT_TRUE(b.running());
}

TEST(FileTail, LastLines) {
    TempDir dir;
    const auto f = dir.path() / "t";
    std::ofstream(f) << "a\nb\nc\n";
    EXPECT_EQ(file_tail(f, 2), "b\nc");
    EXPECT_EQ(file_tail(f, 10), "a\nb\nc");
    EXPECT_EQ(file_tail(f, 0), "");
    EXPECT_EQ(file_tail(dir.path() / "missing", 3), "");
}

TEST(TempDir, RemovedUnlessKept) {
    std::filesystem::path a, b;
    {
        TempDir d("rc-test-");
        a = d.path();
        std::ofstream(a / "f") << "x";
        EXPECT_TRUE(std::filesystem::is_directory(a));
    }
    EXPECT_FALSE(std::filesystem::exists(a));
    {
        TempDir d("rc-test-");
        d.keep();
        b = d.path();
    }
    EXPECT_TRUE(std::filesystem::exists(b));
    std::filesystem::remove_all(b);
}

// Issue 21.2: a later run removes the temp dirs it can prove stale, and only those. Proof: the owner file names
// a pid that is gone, or a pid now held by a process that started at another time (pid reuse: the old check kept
// those forever), or a process of another boot. No owner file, or a live owner: kept.
TEST(TempDir, StaleDirsAreThoseWhoseOwnerIsProvablyGone) {
    TempDir run("rc-test-run-");
    auto make = [&](const std::string& name, const std::string& owner) {
        const auto d = run.path() / name;
        std::filesystem::create_directories(d / "home");
        std::ofstream(d / "home" / "config.json") << "{\"apiKey\": \"rc-test-key-x\"}";
        if (!owner.empty()) std::ofstream(d / ".routecheck-owner") << owner << "\n";
        return d;
    };
    pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    int status = 0;
    ::waitpid(dead, &status, 0);
    const std::string self = process_identity(::getpid());
    ASSERT_FALSE(self.empty());
    std::istringstream fields(self);
    std::string pid, start, boot;
    fields >> pid >> start >> boot;
    const auto gone_pid = make("rc-p-gone", std::to_string(dead));
    const auto reused = make("rc-p-reused", pid + " " + std::to_string(std::stoll(start) + 1) + " " + boot);
    const auto other_boot = make("rc-p-boot", pid + " " + start + " 00000000-0000-0000-0000-000000000000");
    const auto live = make("rc-p-live", self);
    const auto live_old_format = make("rc-p-live-pid", pid);
    const auto unowned = make("rc-p-unowned", "");
    const auto other_prefix = make("other-gone", std::to_string(dead));
    remove_stale_temp_dirs(run.path(), "rc-");
    EXPECT_FALSE(std::filesystem::exists(gone_pid)) << "owner pid gone";
    EXPECT_FALSE(std::filesystem::exists(reused)) << "the pid lives, but it is another process (another start time)";
    EXPECT_FALSE(std::filesystem::exists(other_boot)) << "an owner of another boot";
    EXPECT_TRUE(std::filesystem::exists(live)) << "the owner is alive";
    EXPECT_TRUE(std::filesystem::exists(live_old_format)) << "a pid-only owner file whose pid is alive";
    EXPECT_TRUE(std::filesystem::exists(unowned)) << "nothing proves it stale";
    EXPECT_TRUE(std::filesystem::exists(other_prefix)) << "not ours";
}

// The owner file carries the identity a later run checks; a dir whose owner file cannot be written is refused.
TEST(TempDir, MarkOwnerWritesTheIdentityOrThrows) {
    TempDir d("rc-test-owner-");
    d.mark_owner();
    std::ifstream in(d.path() / ".routecheck-owner");
    std::string owner;
    std::getline(in, owner);
    EXPECT_EQ(owner, process_identity(::getpid()));
    // A directory where the file goes fails the open for root too (as no descriptor left would).
    std::filesystem::remove(d.path() / ".routecheck-owner");
    std::filesystem::create_directory(d.path() / ".routecheck-owner");
    EXPECT_THROW(d.mark_owner(), LaunchError);
}

namespace {

std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Waits (up to 5 s) until `file` contains `text`.
bool appears(const std::filesystem::path& file, const std::string& text) {
    for (int i = 0; i < 500; ++i) {
        if (slurp(file).find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

constexpr const char* kSecret = "rc-secret-token-1234";

// A shell child whose output goes to <dir>/child.log with kSecret redacted on the way.
ProcessSpec redacting_shell(const std::string& script, const TempDir& dir) {
    ProcessSpec spec = shell(script, dir.path() / "child.log");
    spec.redact = {kSecret};
    return spec;
}

}  // namespace

// With secrets to redact, the log never holds them, not even while the child runs (a SIGKILLed harness
// leaves only what is already on disk): a secret split over two writes, a line still open when the child is
// stopped, and a secret in the middle of a line longer than the pump's 64 KiB piece are all redacted.
TEST(ChildProcess, LogIsRedactedAsItIsWritten) {
    TempDir dir("rc-test-redact-");
    const auto log = dir.path() / "child.log";
    const std::string secret = kSecret;
    ChildProcess p(
        redacting_shell("printf 'key=rc-secret-tok'; sleep 0.2; printf 'en-1234 first\\n'; "
                        "head -c 70000 /dev/zero | tr '\\0' x; printf 'rc-secret-token-1234'; "
                        "head -c 70000 /dev/zero | tr '\\0' y; printf '\\n'; "
                        "printf 'open line rc-secret-token-1234'; sleep 30",
                        dir));
    ASSERT_TRUE(appears(log, "key=[redacted] first")) << slurp(log).substr(0, 200);
    ASSERT_TRUE(appears(log, "yyyy\n"));
    std::string running = slurp(log);
    EXPECT_EQ(running.find(secret), std::string::npos) << "a secret reached the disk while the child ran";
    EXPECT_EQ(running.find("open line"), std::string::npos) << "an unfinished line waits for its end";
    const auto t0 = std::chrono::steady_clock::now();
    p.stop(100ms);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    std::string done = slurp(log);
    EXPECT_EQ(done.find(secret), std::string::npos);
    EXPECT_NE(done.find("open line [redacted]"), std::string::npos) << "the open line is flushed at stop";
    EXPECT_NE(done.find("x[redacted]y"), std::string::npos) << "the secret inside the 140 KB line";
}

// A line longer than the pump's 64 KiB piece, with a secret at every offset around the place where the first
// piece is cut (reads arrive in pieces of up to 16 KiB, so the cut falls somewhere in 64-80 KiB).
TEST(ChildProcess, LongLineSecretAcrossThePieceBoundaryIsRedacted) {
    TempDir dir("rc-test-redact-");
    const auto log = dir.path() / "child.log";
    // 2,000 copies of "<secret>." = 42,000 bytes, written after 60,000 bytes of padding: secrets cover 60-102 KB.
    ChildProcess p(
        redacting_shell("head -c 60000 /dev/zero | tr '\\0' p; "
                        "i=0; while [ $i -lt 2000 ]; do printf 'rc-secret-token-1234.'; i=$((i+1)); done; "
                        "printf '\\n'; echo finished; sleep 30",
                        dir));
    ASSERT_TRUE(appears(log, "finished")) << slurp(log).size();
    p.stop(100ms);
    const std::string done = slurp(log);
    EXPECT_EQ(done.find("rc-secret"), std::string::npos) << "a secret or its start survived a piece boundary";
    std::size_t marks = 0;
    for (auto at = done.find("[redacted]."); at != std::string::npos; at = done.find("[redacted].", at + 1)) ++marks;
    EXPECT_EQ(marks, 2000u);
}

// A process that left the group still holds the pipe: stop() must not wait for its EOF, and (issue 21.4) it
// must not outlive the stop either: the guardian ends it by its pid.
TEST(ChildProcess, StopDoesNotWaitForAWriterOutsideTheGroup) {
    TempDir dir("rc-test-redact-");
    const auto log = dir.path() / "child.log";
    const auto pidfile = dir.path() / "escaped.pid";
    ChildProcess p(redacting_shell(
        "setsid sh -c 'echo $$ > " + pidfile.string() + "; exec sleep 5' & echo started; sleep 30", dir));
    ASSERT_TRUE(appears(log, "started"));
    const pid_t escaped = read_pid(pidfile);
    ASSERT_GT(escaped, 0);
    const auto t0 = std::chrono::steady_clock::now();
    p.stop(100ms);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_TRUE(gone(escaped)) << "pid " << escaped << " left the group and outlived stop()";
    if (!gone(escaped)) ::kill(escaped, SIGKILL);  // started by this test, ended by its PID
}

namespace {

// The pids a shell wrote to `file`, one per line, once `count` are there (up to 5 s).
std::vector<pid_t> read_pids(const std::filesystem::path& file, std::size_t count) {
    std::vector<pid_t> out;
    for (int i = 0; i < 500 && out.size() < count; ++i) {
        out.clear();
        std::ifstream in(file);
        for (long p; in >> p;) out.push_back(static_cast<pid_t>(p));
        if (out.size() < count) std::this_thread::sleep_for(10ms);
    }
    return out;
}

// Each kind of descendant that leaves the child's process group: a new session under a live parent
// (`setsid sleep &`), a daemon whose parent exited at once (re-parented: to init without a subreaper), and the
// child of such a daemon, which double-forks once more.
constexpr const char* kEscapers =
    "setsid sleep 301 & echo $! >> {f}; "
    "(setsid sleep 302 & echo $! >> {f}); "
    "(setsid sh -c '(sleep 303 & echo $! >> {f}); sleep 304 & echo $! >> {f}; wait' &) ; "
    "sleep 305";

std::string escapers(const std::filesystem::path& pidfile) {
    std::string s = kEscapers;
    for (auto at = s.find("{f}"); at != std::string::npos; at = s.find("{f}")) s.replace(at, 3, pidfile.string());
    return s;
}

void expect_all_gone(const std::vector<pid_t>& pids, const std::string& how) {
    for (pid_t pid : pids) {
        for (int i = 0; i < 300 && !gone(pid); ++i) std::this_thread::sleep_for(10ms);
        EXPECT_TRUE(gone(pid)) << "pid " << pid << " outlived the launch (" << how << ")";
        if (!gone(pid)) ::kill(pid, SIGKILL);  // so one failure does not leak into other tests
    }
}

}  // namespace

// Issue 21.4: every way a launch ends ends every descendant of it, whatever group or session it moved to.
enum class Ending { Stop, Destructor, KillAllChildren };

class EndsDescendants : public testing::TestWithParam<Ending> {};

TEST_P(EndsDescendants, ThatLeftTheGroup) {
    TempDir dir;
    const auto pidfile = dir.path() / "escaped.pids";
    std::vector<pid_t> pids;
    {
        ChildProcess p(shell(escapers(pidfile)));
        pids = read_pids(pidfile, 4);
        ASSERT_EQ(pids.size(), 4u);
        for (pid_t pid : pids) EXPECT_NE(::getpgid(pid), p.pgid()) << "pid " << pid << " should have left the group";
        if (GetParam() == Ending::Stop) p.stop(200ms);
        if (GetParam() == Ending::KillAllChildren) {
            kill_all_children();
            wait_for_guardians();
        }
    }  // Ending::Destructor: the destructor does it
    expect_all_gone(pids, std::to_string(static_cast<int>(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Endings, EndsDescendants,
                         testing::Values(Ending::Stop, Ending::Destructor, Ending::KillAllChildren),
                         [](const testing::TestParamInfo<Ending>& i) {
                             return std::string(i.param == Ending::Stop         ? "stop"
                                                : i.param == Ending::Destructor ? "destructor"
                                                                                : "kill_all_children");
                         });

// The harness dying on a signal it handles, or on SIGKILL (no handler runs: the guardian's parent-death signal
// does the work), takes a grandchild that left the group (`setsid sleep 300 &`) with it.
class HarnessDeath : public testing::TestWithParam<int> {};

TEST_P(HarnessDeath, EndsAGrandchildThatLeftTheGroup) {
    TempDir dir;
    const auto pidfile = dir.path() / "grandchild.pid";
    ChildProcess harness(
        ProcessSpec{{ROUTECHECK_LAUNCH_SIGNAL_HELPER, pidfile.string(), "setsid"}, minimal_environment(), {}, {}});
    const pid_t grandchild = read_pid(pidfile);
    ASSERT_GT(grandchild, 0) << harness.exit_description();
    EXPECT_FALSE(gone(grandchild));
    EXPECT_NE(::getpgid(grandchild), ::getpgid(harness.pid()));
    ::kill(harness.pid(), GetParam());  // the helper only, not its group
    ASSERT_TRUE(harness.wait_exit(5s));
    EXPECT_EQ(harness.exit_code(), 128 + GetParam());
    expect_all_gone({grandchild}, sigabbrev_np(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Signals, HarnessDeath, testing::Values(SIGINT, SIGTERM, SIGHUP, SIGKILL),
                         [](const testing::TestParamInfo<int>& i) { return std::string(sigabbrev_np(i.param)); });
