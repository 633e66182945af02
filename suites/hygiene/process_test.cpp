// Process hygiene: whatever way a run ends (normally, SIGINT, SIGTERM, SIGKILL of the harness, a proxy that
// crashes mid-run, a proxy that never becomes ready), no process of the run remains and its temp dirs are gone
// unless --keep-artifacts was given.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

// The pid of a process that has exited and been reaped: an owner that is surely gone.
pid_t dead_pid() {
    pid_t p = ::fork();
    if (p == 0) ::_exit(0);
    int status = 0;
    ::waitpid(p, &status, 0);
    return p;
}

class Hygiene : public testing::Test {
protected:
    void SetUp() override {
        if (!have_node()) GTEST_SKIP() << "node is not installed";
    }
    // Nothing of the run is left: no process mentions the scratch folder, no process in the proxy groups seen
    // during the run, and (unless kept) no temp dir in the run folder.
    void expect_clean(const std::vector<pid_t>& groups, bool kept = false) {
        auto left = leftovers(scratch.root().string());
        EXPECT_TRUE(left.empty()) << "processes left behind:" << describe(left);
        kill_all(left);
        for (pid_t g : groups) EXPECT_TRUE(live_in_group(g).empty()) << "process group " << g << " still has members";
        auto dirs = temp_dirs_in(scratch.out() / "run");
        if (kept) EXPECT_FALSE(dirs.empty()) << "--keep-artifacts: the temp HOME/state dirs must stay";
        else EXPECT_TRUE(dirs.empty()) << "temp dir left: " << (dirs.empty() ? "" : dirs.front().string());
    }
    // Process groups of everything the run started (found by the scratch folder in cwd/cmdline/environ).
    std::vector<pid_t> groups_now() {
        std::vector<pid_t> out;
        for (const auto& p : processes_mentioning(scratch.root().string()))
            if (std::find(out.begin(), out.end(), p.pgid) == out.end()) out.push_back(p.pgid);
        return out;
    }
    Scratch scratch;
};

TEST_F(Hygiene, NormalRunLeavesNothing) {
    scratch.add_test_proxy("hyg-serve", "serve");
    auto r = run_routecheck(scratch.matrix_args("hyg-serve"), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << "hang:\n" << r.output;
    EXPECT_FALSE(r.signaled) << r.output;
    EXPECT_EQ(r.code, 1) << "cells without expectation are not as expected\n" << r.output;  // no expected table
    EXPECT_TRUE(fs::exists(scratch.out() / "matrix.json")) << r.output;
    auto pids = scratch.pids("hyg-serve");
    ASSERT_FALSE(pids.empty()) << "the test proxy never started (a profile without npm must launch)\n" << r.output;
    for (pid_t p : pids) EXPECT_FALSE(alive(p)) << "pid " << p;
    expect_clean({pids.front()});
}

TEST_F(Hygiene, KeepArtifactsKeepsTempDirsButNoProcess) {
    scratch.add_test_proxy("hyg-serve", "serve");
    auto r = run_routecheck(scratch.matrix_args("hyg-serve", {"--keep-artifacts"}), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    expect_clean({}, /*kept=*/true);
}

TEST_F(Hygiene, GrandchildrenDieWithTheGroup) {
    scratch.add_test_proxy("hyg-spawn", "spawn");
    auto r = run_routecheck(scratch.matrix_args("hyg-spawn"), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    auto pids = scratch.pids("hyg-spawn");
    ASSERT_EQ(pids.size(), 2u) << "proxy and its grandchild\n" << r.output;
    for (pid_t p : pids) EXPECT_FALSE(alive(p)) << "pid " << p;
    expect_clean({pids.front()});
}

// SIGINT and SIGTERM while the real antigravity-claude-proxy is up: the handler kills every child group and
// removes the temp dirs, no report is written, and the harness dies of the signal it got.
class SignalMidRun : public Hygiene, public testing::WithParamInterface<int> {};

TEST_P(SignalMidRun, RealProxyAndTempDirsAreGone) {
    if (!have_real_proxy()) GTEST_SKIP() << "antigravity-claude-proxy is not installed (scripts/setup)";
    const int sig = GetParam();
    // With the grids the run lasts several seconds after "ready on", so the signal lands mid-run.
    Routecheck rc({"matrix", "--proxy", "antigravity-claude-proxy", "--grids", "--out", scratch.out().string()},
                  scratch.log("run"));
    ASSERT_TRUE(rc.wait_output("ready on", 30s)) << rc.describe();
    auto groups = groups_now();
    ASSERT_FALSE(groups.empty()) << "the proxy is up but no process of it was found in /proc";
    ASSERT_TRUE(fs::exists(scratch.out() / "run")) << rc.describe();
    ASSERT_FALSE(temp_dirs_in(scratch.out() / "run").empty()) << "the run's temp HOME should exist mid-run";
    ::kill(rc.pid(), sig);
    ASSERT_TRUE(rc.wait(15s)) << "the harness did not exit after signal " << sig << "\n" << rc.describe();
    EXPECT_TRUE(rc.signaled()) << rc.describe();
    EXPECT_FALSE(fs::exists(scratch.out() / "matrix.json")) << "an interrupted run must not leave a report";
    // It says so, and its lock file went with it.
    EXPECT_NE(rc.output().find("routecheck: interrupted: no report was written to " + scratch.out().string()),
              std::string::npos)
        << rc.describe();
    EXPECT_FALSE(fs::exists(scratch.out() / ".routecheck.lock")) << "the lock file outlived the interrupted run";
    // The folder had no report before: nothing is said to be left as it was.
    EXPECT_EQ(rc.output().find("left as it was"), std::string::npos) << rc.describe();
    expect_clean(groups);
}

INSTANTIATE_TEST_SUITE_P(Signals, SignalMidRun, testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const testing::TestParamInfo<int>& i) { return std::string(sigabbrev_np(i.param)); });

// SIGKILL leaves the harness no chance: the proxy dies by its parent-death signal. Its grandchild too (the
// guardian kills the whole group), and the next run in the same folder removes the stale temp dirs.
TEST_F(Hygiene, SigkillOfHarnessKillsTheProxyGroup) {
    scratch.add_test_proxy("hyg-slow", "spawn-slow");  // answers take 2 s: the run is busy when it is killed
    Routecheck rc(scratch.matrix_args("hyg-slow"), scratch.log("run"));
    ASSERT_TRUE(rc.wait_output("ready on", 30s)) << rc.describe();
    auto groups = groups_now();
    ASSERT_FALSE(groups.empty());
    ASSERT_EQ(scratch.pids("hyg-slow").size(), 2u) << "proxy and grandchild";
    ::kill(rc.pid(), SIGKILL);
    ASSERT_TRUE(rc.wait(10s));
    rc.reap();
    auto left = leftovers(scratch.root().string(), 5s);
    EXPECT_TRUE(left.empty()) << "processes outlived a SIGKILLed harness:" << describe(left);
    kill_all(left);
    for (pid_t p : scratch.pids("hyg-slow")) EXPECT_FALSE(alive(p)) << "pid " << p;
    for (pid_t g : groups) EXPECT_TRUE(live_in_group(g).empty()) << "group " << g;
    // Issue 21.2: the temp HOME holds the proxy's rendered config with its key: the guardian removes it too.
    std::vector<fs::path> dirs;
    for (int i = 0; i < 250 && !(dirs = temp_dirs_in(scratch.out() / "run")).empty(); ++i)
        std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(dirs.empty()) << "a temp HOME outlived the SIGKILLed harness: "
                              << (dirs.empty() ? "" : dirs[0].string());
    // A temp dir whose owner is gone and that no guardian removed (the guardian killed too) is stale: the next
    // run into the same --out removes it.
    const fs::path stale = scratch.out() / "run" / "rc-hyg-slow-Stale1";
    fs::create_directories(stale / "home");
    std::ofstream(stale / ".routecheck-owner") << dead_pid() << "\n";
    scratch.add_test_proxy("hyg-serve", "serve");
    auto r = run_routecheck(scratch.matrix_args("hyg-serve"), scratch.log("run2"));
    ASSERT_TRUE(r.in_time) << r.output;
    expect_clean({});
}

// Two runs into one --out would mix their reports: the second is refused at once (exit 2, naming the folder
// and the first run's pid) while the first goes on; once the first has ended, the folder is free again. The
// lock is the kernel's (flock), so a SIGKILLed holder frees it too.
TEST_F(Hygiene, SecondRunIntoTheSameOutIsRefused) {
    scratch.add_test_proxy("hyg-slow", "spawn-slow");
    Routecheck first(scratch.matrix_args("hyg-slow"), scratch.log("first"));
    ASSERT_TRUE(first.wait_output("ready on", 30s)) << first.describe();
    auto second = run_routecheck(scratch.matrix_args("hyg-slow"), scratch.log("second"), 20s);
    ASSERT_TRUE(second.in_time) << second.output;
    EXPECT_EQ(second.code, 2) << second.output;
    EXPECT_NE(second.output.find("--out " + scratch.out().string() + " is in use by another routecheck run (pid " +
                                 std::to_string(first.pid()) + ")"),
              std::string::npos)
        << second.output;
    EXPECT_EQ(second.output.find("ready on"), std::string::npos) << "the second run started a proxy";
    ::kill(first.pid(), SIGKILL);
    ASSERT_TRUE(first.wait(10s));
    first.reap();
    scratch.add_test_proxy("hyg-serve", "serve");
    auto third = run_routecheck(scratch.matrix_args("hyg-serve"), scratch.log("third"));
    ASSERT_TRUE(third.in_time) << third.output;
    EXPECT_NE(third.code, 2) << third.output;
    EXPECT_TRUE(fs::exists(scratch.out() / "matrix.json")) << third.output;
    expect_clean({});
}

TEST_F(Hygiene, ProxyCrashMidRunIsReportedAndCleanedUp) {
    scratch.add_test_proxy("hyg-crash", "crash");
    auto r = run_routecheck(scratch.matrix_args("hyg-crash"), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_FALSE(r.signaled) << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("exited with 3"), std::string::npos) << r.output;
    auto report = nlohmann::json::parse(read_file(scratch.out() / "matrix.json"));
    EXPECT_EQ(report.value("complete", true), false) << "a run whose proxy died is not complete";
    expect_clean({});
}

TEST_F(Hygiene, ProxyThatNeverBecomesReadyHitsTheDeadline) {
    scratch.add_test_proxy("hyg-never", "never-ready", 1500);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = run_routecheck(scratch.matrix_args("hyg-never"), scratch.log("run"), 30s);
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_LT(took, 15s) << "the 1500 ms readiness deadline was not honoured";
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("within 1500 ms"), std::string::npos) << r.output;
    auto report = nlohmann::json::parse(read_file(scratch.out() / "matrix.json"));
    EXPECT_EQ(report.value("complete", true), false);
    for (pid_t p : scratch.pids("hyg-never")) EXPECT_FALSE(alive(p)) << "pid " << p;
    expect_clean({});
}

}  // namespace
