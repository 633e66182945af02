// The source-only antigravity-tools profile: what the contract predicts (harness/judge/predict.cpp reads its
// "behaviour" section) and that the Base URLs the suite recommends agree with the ones its README gives. Its
// cells can only be confirmed by running the real app in attach mode; these tests keep the contract honest.
#include <gtest/gtest.h>

#include <filesystem>

#include "join/join.hpp"
#include "judge/predict.hpp"
#include "judge/recommend.hpp"
#include "model/fixtures.hpp"

using namespace routecheck;

namespace {

const Fixtures& fixtures() {
    static const Fixtures f = load_fixtures({std::filesystem::path(ROUTECHECK_REPO_ROOT) / "fixtures"});
    return f;
}

const ProxyProfile& tools() {
    const ProxyProfile* p = fixtures().proxy("antigravity-tools");
    if (!p) throw std::runtime_error("fixtures/proxies/antigravity-tools.json is missing");
    return *p;
}

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
    EXPECT_EQ(predict_status(p, "POST", "/internal/warmup", opts(true, false)), 200);
    // The admin API needs the key even with auth off; /api/health is public.
    EXPECT_EQ(predict_status(p, "GET", "/api/config", opts(false, false)), 401);
    EXPECT_EQ(predict_status(p, "GET", "/api/health", opts(false, false)), 200);
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
    EXPECT_EQ(predict_status(p, "POST", "/internal/warmup", stopped), 200);
    EXPECT_EQ(predict_status(p, "GET", "/api/health", stopped), 200);
    EXPECT_EQ(predict_status(p, "OPTIONS", "/v1/messages", stopped), 200);
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
