// Issue 21.4 and 21.2 through the built `routecheck`: no process of a launch outlives the run on any exit path,
// not even one that left the proxy's process group and session (`setsid sleep 301 &` in the launch command, a
// daemon that double-forked at once), and the temp HOME with the rendered key goes away even when the run failed
// for want of file descriptors.
#include <gtest/gtest.h>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

// Two descendants that leave the group before the proxy starts: one under the launch shell (which execs node, so
// node is its parent) and one whose parent exits at once (re-parented: to init, without a subreaper).
constexpr const char* kEscape =
    "setsid sleep 301 </dev/null >/dev/null 2>&1 & echo $! >> \"$PID_FILE\"; "
    "(setsid sleep 302 </dev/null >/dev/null 2>&1 & echo $! >> \"$PID_FILE\"); ";

enum class End { Normal, NeverReady, CrashMidRun, Sigint, Sigterm, Sighup, Sigkill };

struct Case {
    const char* name;
    End end;
    const char* mode;  // data/test_proxy.cjs mode
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Descendants : public testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        if (!have_node()) GTEST_SKIP() << "node is not installed";
    }
    Scratch scratch;
};

// The pids the launch shell and the proxy wrote (the two escapers, then node itself), once there are three.
std::vector<pid_t> wait_pids(const Scratch& s, const std::string& id) {
    std::vector<pid_t> pids;
    for (int i = 0; i < 500 && (pids = s.pids(id)).size() < 3; ++i) std::this_thread::sleep_for(10ms);
    return pids;
}

TEST_P(Descendants, LeavingTheGroupDoesNotOutliveTheRun) {
    const Case c = GetParam();
    scratch.add_shell_proxy("hyg-escape", kEscape, c.mode, c.end == End::NeverReady ? 1500 : 10000);
    Routecheck rc(scratch.matrix_args("hyg-escape"), scratch.log("run"));
    std::vector<pid_t> pids;
    if (c.end == End::Normal || c.end == End::NeverReady || c.end == End::CrashMidRun) {
        ASSERT_TRUE(rc.wait(60s)) << "hang\n" << rc.describe();
        EXPECT_FALSE(rc.signaled()) << rc.describe();
        EXPECT_EQ(rc.exit_code(), 1) << rc.describe();
        pids = scratch.pids("hyg-escape");
    } else {
        ASSERT_TRUE(rc.wait_output("ready on", 30s)) << rc.describe();
        pids = wait_pids(scratch, "hyg-escape");
        ASSERT_GE(pids.size(), 3u) << rc.describe();
        for (std::size_t i = 0; i < 2; ++i)
            EXPECT_NE(pgid_of(pids[i]), pgid_of(pids[2])) << "pid " << pids[i] << " should have left the proxy's group";
        const int sig = c.end == End::Sigint    ? SIGINT
                        : c.end == End::Sigterm ? SIGTERM
                        : c.end == End::Sighup  ? SIGHUP
                                                : SIGKILL;
        ::kill(rc.pid(), sig);
        ASSERT_TRUE(rc.wait(15s)) << rc.describe();
        EXPECT_TRUE(rc.signaled()) << rc.describe();
        rc.reap();
    }
    ASSERT_GE(pids.size(), 3u) << "the launch shell's two escapers and the proxy\n" << rc.describe();
    auto left = leftovers(scratch.root().string(), 5s);
    EXPECT_TRUE(left.empty()) << "processes outlived the run:" << describe(left);
    kill_all(left);
    for (pid_t p : pids) EXPECT_FALSE(alive(p)) << "pid " << p;
    std::vector<fs::path> dirs;
    for (int i = 0; i < 250 && !(dirs = temp_dirs_in(scratch.out() / "run")).empty(); ++i)
        std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(dirs.empty()) << "temp dir left: " << (dirs.empty() ? "" : dirs.front().string());
}

INSTANTIATE_TEST_SUITE_P(
    ExitPaths, Descendants,
    testing::Values(Case{"normal_end", End::Normal, "serve"}, Case{"never_ready", End::NeverReady, "never-ready"},
                    Case{"crash_mid_run", End::CrashMidRun, "crash"}, Case{"sigint", End::Sigint, "spawn-slow"},
                    Case{"sigterm", End::Sigterm, "spawn-slow"}, Case{"sighup", End::Sighup, "spawn-slow"},
                    Case{"sigkill", End::Sigkill, "spawn-slow"}),
    [](const testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

// Every process of a launch is checked for listeners, not only the proxy's group: one that left it (setsid) and
// listens on every interface fails the launch as the proxy itself would (issue 21.4's subtree, put to use).
TEST(LaunchSubtree, ListenerOutsideTheGroupMustBeLoopbackToo) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    scratch.add_shell_proxy("hyg-wide",
                            "setsid node -e \"require('net').createServer().listen(0, '0.0.0.0')\" "
                            "</dev/null >/dev/null 2>&1 & echo $! >> \"$PID_FILE\"; sleep 1;",
                            "serve");
    auto r = run_routecheck(scratch.matrix_args("hyg-wide"), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("listens on 0.0.0.0:"), std::string::npos) << r.output;
    auto left = leftovers(scratch.root().string());
    EXPECT_TRUE(left.empty()) << describe(left);
    kill_all(left);
}

// Issue 21.2: a run that fails because it has no file descriptor left (ulimit -n) still removes the temp HOME that
// holds the rendered key. Each limit fails somewhere else (a pipe, the log, the owner file, the proxy itself).
TEST(FdExhaustion, TempHomeIsRemovedWhateverFails) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    for (int limit = 8; limit <= 24; ++limit) {
        Scratch scratch;
        scratch.add_test_proxy("hyg-serve", "serve");
        std::vector<std::string> argv = {"/bin/sh", "-c", "ulimit -n " + std::to_string(limit) + "; exec \"$0\" \"$@\"",
                                         ROUTECHECK_BIN};
        for (auto& a : scratch.matrix_args("hyg-serve")) argv.push_back(a);
        routecheck::launch::ProcessSpec spec{argv, routecheck::launch::minimal_environment(), {}, scratch.log("run")};
        routecheck::launch::ChildProcess child(spec);
        ASSERT_TRUE(child.wait_exit(60s)) << "ulimit -n " << limit << ": hang\n" << read_file(scratch.log("run"));
        const std::string out = read_file(scratch.log("run"));
        EXPECT_EQ(child.exit_description().find("signal"), std::string::npos)
            << "ulimit -n " << limit << ": " << child.exit_description() << "\n"
            << out;
        const auto dirs = temp_dirs_in(scratch.out() / "run");
        EXPECT_TRUE(dirs.empty()) << "ulimit -n " << limit << ": temp HOME left: " << dirs.front().string() << "\n"
                                  << out;
        auto left = leftovers(scratch.root().string());
        EXPECT_TRUE(left.empty()) << "ulimit -n " << limit << ":" << describe(left);
        kill_all(left);
    }
}

}  // namespace
