// Ports: two full runs at the same time never collide, and a port that turns out to be taken is retried with a
// new one a bounded number of times (ProxySettings::port_attempts, 3 by default), end to end through the CLI.
#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <set>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

std::set<int> ready_ports(const std::string& output) {
    std::set<int> out;
    static const std::regex re(R"(ready on 127\.0\.0\.1:(\d+))");
    for (std::sregex_iterator it(output.begin(), output.end(), re), end; it != end; ++it)
        out.insert(std::stoi((*it)[1]));
    return out;
}

TEST(Ports, TwoFullRunsAtOnceDoNotCollide) {
    if (!have_node() || !have_real_proxy()) GTEST_SKIP() << "needs node and antigravity-claude-proxy (scripts/setup)";
    Scratch a, b;
    // Every client and variant of the real proxy: the runs overlap for their whole replay.
    auto args = [](const Scratch& s) {
        return std::vector<std::string>{"matrix",     "--proxy", "antigravity-claude-proxy",
                                        "--no-grids", "--out",   s.out().string()};
    };
    auto fa = std::async(std::launch::async, [&] { return run_routecheck(args(a), a.log("run"), 90s); });
    auto fb = std::async(std::launch::async, [&] { return run_routecheck(args(b), b.log("run"), 90s); });
    Finished ra = fa.get(), rb = fb.get();
    ASSERT_TRUE(ra.in_time && rb.in_time) << ra.output << rb.output;
    EXPECT_FALSE(ra.signaled || rb.signaled);
    // Running at once must not change a single verdict: both runs judge every cell the same way.
    static const std::regex counts(R"(\d+ cells: .* predicted)");
    std::smatch ma, mb;
    ASSERT_TRUE(std::regex_search(ra.output, ma, counts)) << ra.output;
    ASSERT_TRUE(std::regex_search(rb.output, mb, counts)) << rb.output;
    EXPECT_EQ(ma.str(), mb.str());
    EXPECT_EQ(ra.code, rb.code);
    EXPECT_NE(ra.code, 2) << ra.output;
    auto pa = ready_ports(ra.output), pb = ready_ports(rb.output);
    ASSERT_EQ(pa.size(), 1u) << ra.output;
    ASSERT_EQ(pb.size(), 1u) << rb.output;
    EXPECT_NE(*pa.begin(), *pb.begin());
    for (const Scratch* s : {&a, &b}) {
        auto report = nlohmann::json::parse(read_file(s->out() / "matrix.json"));
        EXPECT_TRUE(report.value("complete", false));
        auto left = leftovers(s->root().string());
        EXPECT_TRUE(left.empty()) << describe(left);
        kill_all(left);
    }
}

class PortRetry : public testing::Test {
protected:
    void SetUp() override {
        if (!have_node()) GTEST_SKIP() << "node is not installed";
    }
    Scratch scratch;
};

TEST_F(PortRetry, TakenPortIsRetriedOnANewPort) {
    scratch.add_test_proxy("hyg-busy-once", "busy-once");
    auto r = run_routecheck(scratch.matrix_args("hyg-busy-once", {"--keep-artifacts"}), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_NE(r.output.find("ready on"), std::string::npos) << r.output;
    const std::string log = read_file(scratch.out() / "run" / "hyg-busy-once.log");
    EXPECT_NE(log.find("EADDRINUSE"), std::string::npos) << log;
    EXPECT_NE(log.find("(attempt 2, port"), std::string::npos) << log;
    EXPECT_EQ(log.find("(attempt 3, port"), std::string::npos) << log;
    auto report = nlohmann::json::parse(read_file(scratch.out() / "matrix.json"));
    EXPECT_TRUE(report.value("complete", false)) << r.output;
    auto left = leftovers(scratch.root().string());
    EXPECT_TRUE(left.empty()) << describe(left);
    kill_all(left);
}

TEST_F(PortRetry, AttemptsAreBounded) {
    scratch.add_test_proxy("hyg-busy", "busy-always");
    auto r = run_routecheck(scratch.matrix_args("hyg-busy"), scratch.log("run"), 60s);
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_FALSE(r.signaled);
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("its port was taken on each of 3 attempts"), std::string::npos) << r.output;
    const std::string log = read_file(scratch.out() / "run" / "hyg-busy.log");
    EXPECT_NE(log.find("(attempt 3, port"), std::string::npos) << log;
    EXPECT_EQ(log.find("(attempt 4, port"), std::string::npos) << log;
    auto report = nlohmann::json::parse(read_file(scratch.out() / "matrix.json"));
    EXPECT_FALSE(report.value("complete", true));
    auto left = leftovers(scratch.root().string());
    EXPECT_TRUE(left.empty()) << describe(left);
    kill_all(left);
    EXPECT_TRUE(temp_dirs_in(scratch.out() / "run").empty());
}

}  // namespace
