// The source-only antigravity-tools profile: what the contract predicts (harness/contract/predict.cpp reads its
// "behaviour" section) and that the Base URLs the suite recommends agree with the ones its README gives. What the
// real app answered when it was run once is checked against the same contract in observed_contract_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>

#include "antigravity_tools.hpp"
#include "contract/predict.hpp"
#include "join/join.hpp"
#include "judge/recommend.hpp"
#include "model/fixtures.hpp"

using namespace routecheck;

namespace {

const Fixtures& fixtures() { return test::repo_fixtures(); }
const ProxyProfile& tools() { return test::antigravity_tools(); }

PredictOptions opts(bool auth_on, bool send_key = true, bool key_right = true) {
    PredictOptions o;
    o.auth_on = auth_on;
    o.send_key = send_key;
    o.key_right = key_right;
    return o;
}

TEST(AntigravityToolsContract, IsASourceProfile) {
    EXPECT_EQ(tools().provenance, "source");
    EXPECT_FALSE(tools().launch.has_value());
    ASSERT_TRUE(tools().raw.contains("source"));
    EXPECT_EQ(tools().raw["source"]["release"], "v4.5.8");
    EXPECT_EQ(tools().raw["behaviour"]["default_port"], 8045);
}

TEST(AntigravityToolsContract, RecommendedBaseUrlsAgreeWithItsReadme) {
    const auto& readme = tools().raw["source"]["readme_base_urls"];
    ASSERT_TRUE(readme.is_object());
    int checked = 0;
    for (auto it = readme.begin(); it != readme.end(); ++it) {
        if (it.key() == "note") continue;
        const ClientProfile* client = fixtures().client(it.key());
        ASSERT_NE(client, nullptr) << it.key();
        Recommendation r = recommend(*client, tools(), fixtures());
        ASSERT_TRUE(r.found) << it.key() << ": " << r.note;
        EXPECT_EQ(render_base_url(r.base_url, 8045, 0), it.value().get<std::string>()) << it.key();
        ++checked;
    }
    EXPECT_GE(checked, 6);
}

TEST(AntigravityToolsContract, RoutingAndAuthOrder) {
    const auto& p = tools();
    // Loopback default (auth_mode auto, no LAN): no key needed; unknown 404, wrong method 405.
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages", opts(false)), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1/v1/messages", opts(false)), 404);
    EXPECT_EQ(predict_status(p, "GET", "/v1/messages", opts(false)), 405);
    EXPECT_EQ(predict_status(p, "POST", "/chat/completions", opts(false)), 404);
    EXPECT_EQ(predict_status(p, "POST", "/responses", opts(false)), 200);
    // Auth on: checked before routing, so an unknown path without a key is 401, with a wrong one 403.
    EXPECT_EQ(predict_status(p, "POST", "/v1/v1/messages", opts(true, false)), 401);
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages", opts(true, true, false)), 403);
    EXPECT_EQ(predict_status(p, "GET", "/health", opts(true, false)), 200);
    EXPECT_EQ(predict_status(p, "GET", "/healthz", opts(true, false)), 200);
    // /internal/warmup needs no key, but a body with email and model: {} gets 422, never a local 200.
    EXPECT_EQ(predict_status(p, "POST", "/internal/warmup", opts(true, false)), 422);
    // The admin API needs the key even with auth off, and refuses a wrong one with 401; /api/health is public.
    // Another /api/... path is no admin route: it follows the auth mode.
    EXPECT_EQ(predict_status(p, "GET", "/api/config", opts(false, false)), 401);
    EXPECT_EQ(predict_status(p, "GET", "/api/config", opts(true, true, false)), 401);
    EXPECT_EQ(predict_status(p, "GET", "/api/config", opts(false)), 200);
    EXPECT_EQ(predict_status(p, "GET", "/api/health", opts(false, false)), 200);
    EXPECT_EQ(predict_status(p, "GET", "/api/nope", opts(false, false)), 404);
    EXPECT_EQ(predict_status(p, "GET", "/api/nope", opts(true, true, false)), 403);
    // The OAuth callback is public in every mode; without ?code= it answers 400.
    EXPECT_EQ(predict_status(p, "GET", "/auth/callback", opts(true, false)), 400);
    // CORS answers OPTIONS before anything else.
    EXPECT_EQ(predict_status(p, "OPTIONS", "/v1/v1/messages", opts(true, false)), 200);
}

TEST(AntigravityToolsContract, GeminiActionsAndResponsesWebsocket) {
    const auto& p = tools();
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:generateContent", opts(false)), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", opts(false)), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:countTokens", opts(false)), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash", opts(false)), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:embedContent", opts(false)), 400);
    EXPECT_EQ(predict_status(p, "POST", "/v1/models/gemini-2.5-flash:generateContent", opts(false)), 404);
    PredictOptions ws = opts(false);
    ws.websocket = true;
    EXPECT_EQ(predict_status(p, "GET", "/v1/responses", ws), 101);
    EXPECT_EQ(predict_status(p, "GET", "/v1/responses", opts(false)), 400);
    EXPECT_EQ(predict_status(p, "GET", "/responses", ws), 405);
}

TEST(AntigravityToolsContract, DisabledServiceAnswers503ButHealthzIsNotExempt) {
    const auto& p = tools();
    PredictOptions stopped = opts(false);
    stopped.running = false;
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages", stopped), 503);
    EXPECT_EQ(predict_status(p, "POST", "/v1/v1/messages", stopped), 503);
    EXPECT_EQ(predict_status(p, "GET", "/healthz", stopped), 503);
    EXPECT_EQ(predict_status(p, "GET", "/health", stopped), 200);
    EXPECT_EQ(predict_status(p, "POST", "/internal/warmup", stopped), 422);
    EXPECT_EQ(predict_status(p, "GET", "/api/health", stopped), 200);
    EXPECT_EQ(predict_status(p, "OPTIONS", "/v1/messages", stopped), 200);
}

// Strict mode covers the health paths; /internal/* and the OAuth callback stay public.
TEST(AntigravityToolsContract, StrictModeCoversHealth) {
    PredictOptions strict = opts(true, false);
    strict.strict = true;
    EXPECT_EQ(predict_status(tools(), "GET", "/health", strict), 401);
    EXPECT_EQ(predict_status(tools(), "GET", "/healthz", strict), 401);
    EXPECT_EQ(predict_status(tools(), "GET", "/api/health", strict), 200);
    EXPECT_EQ(predict_status(tools(), "POST", "/internal/warmup", strict), 422);
    EXPECT_EQ(predict_status(tools(), "GET", "/auth/callback", strict), 400);
}

// Only models whose built-in mapping lands in an account's quota group are served (case-insensitive); without an
// upstream each call family answers its own error status.
TEST(AntigravityToolsContract, ServedModelsAndAnswersWithoutUpstream) {
    const auto& p = tools();
    auto with = [](const std::string& model, bool upstream = true) {
        PredictOptions o = opts(false);
        o.model = model;
        o.upstream_reachable = upstream;
        return o;
    };
    EXPECT_EQ(predict_status(p, "POST", "/v1/chat/completions", with("gpt-5-mini")), 503);
    EXPECT_EQ(predict_status(p, "POST", "/responses", with("gpt-5-mini", false)), 503);
    EXPECT_EQ(predict_status(p, "POST", "/v1/chat/completions", with("gpt-4o")), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1/chat/completions", with("GPT-4O-MINI")), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1/chat/completions", with("gpt-4.1")), 503);
    EXPECT_EQ(predict_status(p, "POST", "/v1/responses", with("gemini-2.5-flash")), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1/responses", with("gemini-2.5-flash", false)), 429);
    EXPECT_EQ(predict_status(p, "POST", "/v1/chat/completions", with("")), 200) << "no model named: no model rule";
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages", with("claude-sonnet-4-5", false)), 503);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:generateContent", with("", false)), 429);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:countTokens", with("", false)), 502);
    EXPECT_EQ(predict_status(p, "POST", "/v1beta/models/gemini-2.5-flash:embedContent", with("", false)), 400);
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages/count_tokens", with("claude-sonnet-4-5", false)), 200);
}

// The Docker layout serves the web UI for every path that is no route: a soft 404 before CORS, auth and the
// disabled state; known routes answer as without it.
TEST(AntigravityToolsContract, WebUiDeploymentAnswersUnknownPaths) {
    const auto& p = tools();
    PredictOptions dist = opts(true, false);
    dist.deployment = "dist";
    EXPECT_EQ(predict_status(p, "GET", "/v1/v1/models", dist), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1/v1/messages", dist), 405);
    EXPECT_EQ(predict_status(p, "OPTIONS", "/nope", dist), 405);
    EXPECT_EQ(predict_status(p, "OPTIONS", "/v1/messages", dist), 200);
    EXPECT_EQ(predict_status(p, "GET", "/api/nope", dist), 200);
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages", dist), 401);
    dist.running = false;
    EXPECT_EQ(predict_status(p, "GET", "/nope", dist), 200);
    EXPECT_EQ(predict_status(p, "GET", "/v1/models", dist), 503);
    PredictOptions unknown = opts(false);
    unknown.deployment = "no-such-deployment";
    EXPECT_THROW(predict_status(p, "GET", "/nope", unknown), std::invalid_argument);
}

// Every launched profile of this issue cites where its route table was read.
TEST(LaunchedProfiles, CiteTheirSource) {
    for (const char* id : {"claude-code-router", "portkey-gateway", "copilot-api"}) {
        const ProxyProfile* p = fixtures().proxy(id);
        ASSERT_NE(p, nullptr) << id;
        EXPECT_EQ(p->provenance, "launched") << id;
        ASSERT_TRUE(p->raw.contains("notes")) << id;
        std::string notes = p->raw["notes"];
        EXPECT_NE(notes.find("Routes read from"), std::string::npos) << id;
        EXPECT_NE(notes.find(".js"), std::string::npos) << id;
        EXPECT_FALSE(p->health_path.empty()) << id;
    }
}

}  // namespace
