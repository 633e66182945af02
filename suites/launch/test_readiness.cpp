#include <gtest/gtest.h>

#include "launch/ports.hpp"
#include "launch/readiness.hpp"
#include "launch/tempdir.hpp"
#include "test_support.hpp"

using namespace routecheck::launch;
using namespace std::chrono_literals;

namespace {
ProcessSpec shell(const std::string& script, const std::filesystem::path& log) {
    return ProcessSpec{{"sh", "-c", script}, minimal_environment(), {}, log};
}
}  // namespace

TEST(Readiness, DeadlineFailsWithLogTail) {
    TempDir dir;
    ChildProcess p(shell("echo 'still booting'; exec sleep 30", dir.path() / "log"));
    ReadyOptions o;
    o.path = "/health";
    o.deadline = 300ms;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        wait_ready(free_loopback_port(), p, o);
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("within 300 ms"), std::string::npos) << msg;
        EXPECT_NE(msg.find("still booting"), std::string::npos) << msg;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
    EXPECT_TRUE(p.running());
}

TEST(Readiness, EarlyExitFailsAtOnceWithExitCodeAndLog) {
    TempDir dir;
    ChildProcess p(shell("echo 'fatal: no config' >&2; exit 7", dir.path() / "log"));
    ReadyOptions o;
    o.deadline = 20s;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        wait_ready(free_loopback_port(), p, o);
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("exited with 7"), std::string::npos) << msg;
        EXPECT_NE(msg.find("fatal: no config"), std::string::npos) << msg;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST(Readiness, AnyHttpStatusCountsAsReady) {
    test::StubUpstream stub([](const httplib::Request&, httplib::Response& res) {
        res.status = 503;  // e.g. a /health whose upstream check failed: the server is still up
        res.set_content("{}", "application/json");
    });
    TempDir dir;
    ChildProcess p(shell("exec sleep 30", dir.path() / "log"));
    ReadyOptions o;
    o.path = "/health";
    o.headers["x-routecheck-step"] = "launch/ready";
    const ReadyResult r = wait_ready(stub.port(), p, o);
    EXPECT_EQ(r.status, 503);
    EXPECT_GE(r.attempts, 1);
    ASSERT_FALSE(stub.seen().empty());
    EXPECT_EQ(stub.seen()[0].target, "/health");
    EXPECT_EQ(stub.seen()[0].header("x-routecheck-step"), "launch/ready");
}
