// The Node preload under a real node: listen host, redirects (fetch and https.request), direct upstream calls,
// the egress block, and the correlation header across body streaming and timers. The target is ESM, like
// antigravity-claude-proxy.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "launch/ports.hpp"
#include "launch/proxy.hpp"
#include "launch/readiness.hpp"
#include "launch/tempdir.hpp"
#include "test_support.hpp"

using namespace routecheck::launch;
using namespace std::chrono_literals;

namespace {

class Preload : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (!test::have_node()) GTEST_SKIP() << "node is not installed";
    }
};

}  // namespace

TEST_P(Preload, RedirectsForcesLoopbackAndCorrelates) {
    test::StubUpstream stub(
        [](const httplib::Request&, httplib::Response& res) { res.set_content(R"({"ok":true})", "application/json"); });
    TempDir dir;
    const int port = free_loopback_port();
    ProcessSpec spec{{"node", (test::data_dir() / "preload_target.mjs").string()},
                     minimal_environment(),
                     dir.path(),
                     dir.path() / "node.log"};
    spec.env["NODE_OPTIONS"] = node_options_require(test::preload_path());
    spec.env["ROUTECHECK_UPSTREAM"] = stub.url();
    spec.env["ROUTECHECK_REDIRECT"] = "https://api.example.test, https://other.example.test";
    spec.env["PORT"] = std::to_string(port);
    spec.env["LISTEN_HOST"] = GetParam();
    ChildProcess node(spec);
    ReadyOptions ro;
    ro.path = "/health";
    ro.deadline = 15s;
    wait_ready(port, node, ro);

    // (b) only 127.0.0.1, whatever host the script asked for
    const auto listeners = listening_addresses(node.pgid());
    ASSERT_FALSE(listeners.empty());
    for (const auto& l : listeners) EXPECT_EQ(l.text(), "127.0.0.1:" + std::to_string(port)) << node.log_tail();

    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10, 0);
    const std::string big(300000, 'x');  // several chunks: the context must survive stream events
    auto res = client.Post("/run", {{"x-routecheck-step", "cell.a.v1/prompt.messages"}}, big, "text/plain");
    ASSERT_TRUE(res) << node.log_tail();
    ASSERT_EQ(res->status, 200) << res->body;
    const auto out = nlohmann::json::parse(res->body);
    EXPECT_EQ(out["incoming_length"], big.size());
    EXPECT_EQ(out["fetch_status"], 200);
    EXPECT_EQ(out["https"], 200);
    EXPECT_EQ(out["direct"], 200);
    EXPECT_EQ(out["self"], 200);
    // (c) unlisted external origins fail at once, for fetch and for https.request
    EXPECT_EQ(out["blocked"], "ECONNREFUSED");
    EXPECT_EQ(out["blocked_https"], "ECONNREFUSED");
    EXPECT_LT(out["blocked_ms"].get<int>(), 1000);

    // (a) + (d): what reached the upstream
    const auto seen = stub.seen();
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].target, "/v1/echo?x=1");
    EXPECT_EQ(seen[0].header("x-routecheck-origin"), "https://api.example.test");
    EXPECT_EQ(seen[1].target, "/v1internal:generateContent?alt=sse");
    EXPECT_EQ(seen[1].header("x-routecheck-origin"), "https://api.example.test");
    EXPECT_EQ(seen[2].target, "/direct");
    EXPECT_EQ(seen[2].header("x-routecheck-origin"), "") << "a direct upstream call is not a redirect";
    EXPECT_EQ(seen[3].target, "/from-self");
    for (const auto& s : seen) EXPECT_EQ(s.header("x-routecheck-step"), "cell.a.v1/prompt.messages") << s.target;

    // A request without the header leaves no step behind from the previous one.
    auto res2 = client.Post("/run", "", "text/plain");
    ASSERT_TRUE(res2);
    const auto seen2 = stub.seen();
    ASSERT_EQ(seen2.size(), 8u);
    for (std::size_t i = 4; i < 8; ++i) EXPECT_EQ(seen2[i].header("x-routecheck-step"), "") << seen2[i].target;
    EXPECT_TRUE(node.stop(3s)) << "node should exit on SIGTERM";
}

INSTANTIATE_TEST_SUITE_P(ListenHosts, Preload, ::testing::Values("none", "0.0.0.0", "::", "options"),
                         [](const auto& info) {
                             std::string s = info.param == "::" ? "ipv6_any" : info.param;
                             for (auto& c : s)
                                 if (c == '.') c = '_';
                             return s;
                         });
