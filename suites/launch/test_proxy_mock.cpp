// End to end: the real antigravity-claude-proxy, launched from its fixture, against the real mock upstream.
// One Anthropic POST /v1/messages must answer 200, and the mock's journal must hold the Cloud Code call with
// the original Google origin and the step's correlation header.
#include <gtest/gtest.h>

#include "launch/proxy.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "model/fixtures.hpp"
#include "model/json_access.hpp"
#include "test_support.hpp"

using namespace routecheck;
using namespace routecheck::launch;
using namespace std::chrono_literals;

namespace {

const mock::JournalEntry* find_entry(const std::vector<mock::JournalEntry>& journal, const std::string& needle,
                                     const std::string& step) {
    for (const auto& e : journal)
        if (e.path.find(needle) != std::string::npos && e.correlation == step) return &e;
    return nullptr;
}

std::string dump(const std::vector<mock::JournalEntry>& journal) {
    std::string out;
    for (const auto& e : journal)
        out += e.method + " " + e.target + " origin=" + e.origin + " step=" + e.correlation + " -> " +
               std::to_string(e.status) + "\n";
    return out;
}

}  // namespace

TEST(ProxyWithMock, AntigravityClaudeProxyMessages) {
    if (!test::have_node()) GTEST_SKIP() << "node is not installed";
    const auto fixture = test::repo_root() / "fixtures/proxies/antigravity-claude-proxy.json";
    const ProxyProfile profile = parse_proxy(read_json_file(fixture), fixture);
    try {
        check_installed(profile, test::repo_root());
    } catch (const LaunchError& e) {
        GTEST_SKIP() << e.what();
    }

    mock::Options mo;
    mo.protocols = profile.upstream_protocols;
    mock::MockUpstream upstream(mo);
    upstream.start();

    ProxySettings s;
    s.upstream_url = upstream.url();
    s.preload = test::preload_path();
    s.install_root = test::repo_root();
    ProxyInstance proxy(profile, s);
    ASSERT_TRUE(proxy.alive());
    for (const auto& l : proxy.listening()) EXPECT_TRUE(l.loopback_v4()) << l.text();

    // The readiness probe (GET /health) already reached the upstream under the launch step.
    const auto at_ready = upstream.journal();
    EXPECT_NE(find_entry(at_ready, "fetchAvailableModels", "launch/ready"), nullptr) << dump(at_ready);

    const std::string step = "antigravity-claude-proxy.launch-test.root/prompt.messages";
    httplib::Client c("127.0.0.1", proxy.port());
    c.set_read_timeout(30, 0);
    auto res =
        c.Post("/v1/messages",
               {{"authorization", "Bearer " + profile.api_key},
                {"anthropic-version", "2023-06-01"},
                {"x-routecheck-step", step}},
               R"({"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"say hi"}]})",
               "application/json");
    ASSERT_TRUE(res) << proxy.log_tail();
    EXPECT_EQ(res->status, 200) << res->body << "\n" << proxy.log_tail();
    EXPECT_NE(res->body.find("\"type\":\"message\""), std::string::npos) << res->body;

    const auto journal = upstream.journal();
    const mock::JournalEntry* call = find_entry(journal, "generateContent", step);
    ASSERT_NE(call, nullptr) << dump(journal);
    EXPECT_EQ(call->method, "POST");
    EXPECT_EQ(call->origin, "https://daily-cloudcode-pa.googleapis.com") << dump(journal);
    EXPECT_EQ(call->status, 200);
    EXPECT_EQ(call->protocol, "cloudcode");

    // A wrong key is refused by the proxy itself: nothing new reaches the upstream for that step.
    auto denied = c.Post("/v1/messages", {{"x-api-key", "wrong"}, {"x-routecheck-step", "denied/step"}},
                         R"({"model":"claude-sonnet-4-5","max_tokens":8,"messages":[]})", "application/json");
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 401);
    for (const auto& e : upstream.journal()) EXPECT_NE(e.correlation, "denied/step") << e.target;

    const pid_t pgid = proxy.pid();
    EXPECT_TRUE(proxy.stop()) << "antigravity-claude-proxy should exit on SIGTERM";
    EXPECT_TRUE(processes_in_group(pgid).empty());
}
