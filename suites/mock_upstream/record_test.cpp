// Record mode: every client-facing route answers by suffix whatever prefix a Base URL variant adds.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "mock_upstream/mock_upstream.hpp"

namespace routecheck::mock {
namespace {

using namespace testing;
using nlohmann::json;

class Record : public ::testing::Test {
protected:
    void SetUp() override { mock.start(); }
    std::string u(const std::string& path) const { return mock.url() + path; }
    MockUpstream mock{Options{.protocols = {"cloudcode"}, .record = true}};
};

const char* kPrefixes[] = {"", "/v1", "/v1/v1", "/foo/bar", "/v1/chat/completions", "/v1beta"};

TEST_F(Record, ChatCompletionsAtAnyPrefix) {
    for (const std::string p : kPrefixes) {
        auto r = post(u(p + "/chat/completions"), R"({"model":"m","messages":[]})");
        ASSERT_EQ(r.status, 200) << p;
        EXPECT_EQ(r.json()["choices"][0]["message"]["content"], "hi") << p;
        auto s = post(u(p + "/chat/completions"), R"({"model":"m","stream":true,"messages":[]})");
        EXPECT_EQ(s.sse_data().back(), "[DONE]") << p;
    }
}

TEST_F(Record, ResponsesAtAnyPrefixAndWebsocketAttemptRefused) {
    for (const std::string p : kPrefixes) {
        auto s = post(u(p + "/responses"), R"({"model":"gpt-5","input":"x","stream":true})");
        ASSERT_EQ(s.status, 200) << p;
        EXPECT_EQ(s.sse_events().back(), "response.completed") << p;
        EXPECT_EQ(post(u(p + "/responses"), R"({"model":"gpt-5","input":"x"})").json()["status"], "completed");
    }
    auto ws = get(u("/v1/responses"), {"Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13",
                                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="});
    EXPECT_EQ(ws.status, 404);
    auto j = mock.journal();
    EXPECT_EQ(j.back().headers.at("upgrade"), "websocket");
    EXPECT_EQ(j.back().status, 404);
}

TEST_F(Record, AnthropicMessagesAndCountTokensAtAnyPrefix) {
    for (const std::string p : kPrefixes) {
        auto s = post(u(p + "/messages?beta=true"), R"({"model":"claude","stream":true,"messages":[]})",
                      {"anthropic-version: 2023-06-01"});
        ASSERT_EQ(s.status, 200) << p;
        EXPECT_EQ(s.sse_events().back(), "message_stop") << p;
        EXPECT_EQ(post(u(p + "/messages"), R"({"model":"c","messages":[]})").json()["content"][0]["text"], "hi");
        EXPECT_GT(post(u(p + "/messages/count_tokens"), "{}").json()["input_tokens"], 0) << p;
    }
}

TEST_F(Record, ModelsListShapeFollowsTheClient) {
    // OpenAI and Anthropic SDKs both read "data"; one shape serves both.
    auto oa = get(u("/foo/models"), {"Authorization: Bearer k"}).json();
    EXPECT_EQ(oa["object"], "list");
    EXPECT_EQ(oa["data"][0]["object"], "model");
    EXPECT_EQ(oa["data"][0]["type"], "model");
    EXPECT_EQ(oa["has_more"], false);
    auto g = get(u("/v1beta/models"), {"x-goog-api-key: k"}).json();
    EXPECT_EQ(g["models"][0]["name"], "models/gemini-2.5-flash");
    EXPECT_TRUE(get(u("/x/models"), {"x-goog-api-key: k"}).json().contains("models"));
    EXPECT_TRUE(get(u("/x/models?key=abc")).json().contains("models"));
    EXPECT_EQ(get(u("/v1/v1/models/gpt-4o")).json()["id"], "gpt-4o");
    EXPECT_EQ(get(u("/v1beta/models/gemini-2.5-pro")).json()["name"], "models/gemini-2.5-pro");
}

TEST_F(Record, GeminiActionsAtAnyPrefix) {
    for (const std::string p : {"", "/v1beta", "/v1beta/v1beta", "/api/v1alpha"}) {
        auto r = post(u(p + "/models/gemini-2.5-flash:generateContent"), R"({"contents":[]})");
        ASSERT_EQ(r.status, 200) << p;
        EXPECT_EQ(r.json()["candidates"][0]["content"]["parts"][0]["text"], "hi");
        auto s = post(u(p + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse"), R"({"contents":[]})");
        EXPECT_EQ(s.sse_data().size(), 2u) << p;
        EXPECT_GT(post(u(p + "/models/gemini-2.5-flash:countTokens"), "{}").json()["totalTokens"], 0);
    }
    // Percent-encoded ':' as some HTTP stacks send it.
    EXPECT_EQ(post(u("/v1beta/models/gemini-2.5-flash%3AgenerateContent"), "{}").status, 200);
}

TEST_F(Record, EmbeddingsAndLegacyCompletions) {
    EXPECT_EQ(post(u("/a/b/embeddings"), R"({"input":"x"})").json()["object"], "list");
    EXPECT_EQ(post(u("/a/completions"), R"({"prompt":"x"})").json()["choices"][0]["text"], "hi");
}

TEST_F(Record, EverythingIsJournaledIncludingUnknownPaths) {
    post(u("/v1/v1/messages"), "{}");
    auto miss = get(u("/not/a/route"), {"anthropic-version: 2023-06-01"});
    EXPECT_EQ(miss.status, 404);
    EXPECT_EQ(miss.json()["type"], "error") << "the 404 shape follows the client's protocol";
    auto j = mock.journal();
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0].target, "/v1/v1/messages");
    EXPECT_EQ(j[0].protocol, "record");
    EXPECT_EQ(j[1].protocol, "");
}

TEST_F(Record, UpstreamProtocolsStillAnswerTheirOwnPaths) {
    auto r = post(u("/v1internal:loadCodeAssist"), "{}");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(mock.journal().back().protocol, "cloudcode");
}

}  // namespace
}  // namespace routecheck::mock
