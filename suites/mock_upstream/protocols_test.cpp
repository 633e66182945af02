// Every upstream protocol, plain and streaming, and each protocol's 404 shape.
#include <chrono>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "mock_upstream/mock_upstream.hpp"

namespace routecheck::mock {
namespace {

using namespace testing;
using nlohmann::json;

class Protocols : public ::testing::Test {
protected:
    void SetUp() override { mock.start(); }
    std::string u(const std::string& path) const { return mock.url() + path; }
    MockUpstream mock{Options{}};  // all protocols
};

TEST_F(Protocols, CloudCodeGenerateContent) {
    auto r = post(u("/v1internal:generateContent"), R"({"model":"claude-sonnet-4-5","project":"p","request":{}})");
    ASSERT_EQ(r.status, 200);
    auto j = r.json();
    EXPECT_EQ(j["response"]["candidates"][0]["content"]["parts"][0]["text"], "hi");
    EXPECT_EQ(j["response"]["candidates"][0]["finishReason"], "STOP");
    EXPECT_GT(j["response"]["usageMetadata"]["promptTokenCount"], 0);
    EXPECT_EQ(j["response"]["modelVersion"], "claude-sonnet-4-5");
}

TEST_F(Protocols, CloudCodeStreamGenerateContentSse) {
    auto r = post(u("/v1internal:streamGenerateContent?alt=sse"), R"({"model":"gemini-3-flash"})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "text/event-stream");
    EXPECT_EQ(r.header("transfer-encoding"), "chunked");
    auto data = r.sse_data();
    ASSERT_EQ(data.size(), 2u);
    EXPECT_EQ(json::parse(data[0])["response"]["candidates"][0]["content"]["parts"][0]["text"], "hi");
    EXPECT_EQ(json::parse(data[1])["response"]["candidates"][0]["finishReason"], "STOP");
    EXPECT_EQ(json::parse(data[1])["response"]["usageMetadata"]["candidatesTokenCount"], 1);
}

TEST_F(Protocols, CloudCodeAccountCalls) {
    auto models = post(u("/v1internal:fetchAvailableModels"), "{}").json();
    for (const char* id : {"claude-sonnet-4-5", "claude-opus-4-5", "claude-sonnet-4-5-thinking", "gemini-2.5-flash"}) {
        ASSERT_TRUE(models["models"].contains(id)) << id;
        EXPECT_EQ(models["models"][id]["quotaInfo"]["remainingFraction"], 1.0);
        EXPECT_TRUE(models["models"][id]["quotaInfo"]["resetTime"].is_string());
    }
    EXPECT_EQ(post(u("/v1internal:loadCodeAssist"), "{}").json()["cloudaicompanionProject"], "mock-project");
    EXPECT_EQ(post(u("/v1internal:onboardUser"), "{}").json()["done"], true);
    EXPECT_GT(post(u("/v1internal:countTokens"), R"({"request":{}})").json()["totalTokens"], 0);
    auto tok = http({"POST",
                     u("/token"),
                     "grant_type=refresh_token&refresh_token=x",
                     {"Content-Type: application/x-www-form-urlencoded"}});
    ASSERT_EQ(tok.status, 200);
    EXPECT_TRUE(tok.json()["access_token"].is_string());
    EXPECT_EQ(tok.json()["expires_in"], 3599);
    EXPECT_EQ(get(u("/oauth2/v1/userinfo")).json()["email"], "ci@example.com");
    EXPECT_EQ(get(u("/oauth2/v2/userinfo")).json()["email"], "ci@example.com");
}

TEST_F(Protocols, GoogleShaped404ForUnknownCloudCodePath) {
    auto r = post(u("/v1internal:doesNotExist"), "{}");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json()["error"]["code"], 404);
    EXPECT_EQ(r.json()["error"]["status"], "NOT_FOUND");
    EXPECT_TRUE(r.json()["error"]["message"].is_string());
    EXPECT_EQ(mock.journal().back().protocol, "");
}

// The plain chat answer is written without building a json object; check every field and its type and the
// exact bytes, for a model name that needs escapes (quote, backslash, control character, non-ASCII) and for a
// plain one (written as is).
TEST_F(Protocols, OpenAIChatPlainAnswerIsTheWholeShape) {
    for (const std::string& model : {std::string("m\"odel\\x") + '\x01' + "\u00e9", std::string("gpt-4o-mini")}) {
        SCOPED_TRACE(model);
        const std::string req = json{{"model", model}, {"messages", json::array()}}.dump();
        auto r = post(u("/v1/chat/completions"), req);
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(r.header("content-type"), "application/json");
        const json j = r.json();
        const std::uint64_t seq = mock.journal().back().seq;
        const std::int64_t created = j.at("created").get<std::int64_t>();
        EXPECT_NEAR(static_cast<double>(created),
                    static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count()),
                    5.0);
        const int prompt = static_cast<int>(req.size() / 4);
        const json expected = {
            {"id", "chatcmpl-mock" + std::to_string(seq)},
            {"object", "chat.completion"},
            {"created", created},
            {"model", model},
            {"choices",
             {{{"index", 0},
               {"message", {{"role", "assistant"}, {"content", "hi"}, {"refusal", nullptr}}},
               {"logprobs", nullptr},
               {"finish_reason", "stop"}}}},
            {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", 1}, {"total_tokens", prompt + 1}}},
            {"system_fingerprint", nullptr}};
        EXPECT_EQ(j, expected) << r.body;
        // Same bytes as dumping that object (sorted keys, no spaces).
        EXPECT_EQ(r.body, expected.dump());
        // Zero content tokens under the "empty" fault: same shape, empty content.
        auto e = http({"POST", u("/v1/chat/completions"), req, {"x-routecheck-fault: empty"}});
        ASSERT_EQ(e.status, 200);
        EXPECT_EQ(e.json()["choices"][0]["message"]["content"], "");
        EXPECT_EQ(e.json()["usage"]["completion_tokens"], 0);
    }
}

TEST_F(Protocols, OpenAIChatPlainAndStream) {
    auto r = post(u("/v1/chat/completions"), R"({"model":"gpt-4o-mini","messages":[]})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["object"], "chat.completion");
    EXPECT_EQ(r.json()["choices"][0]["message"]["content"], "hi");
    EXPECT_EQ(r.json()["usage"]["completion_tokens"], 1);
    auto s = post(u("/v1/chat/completions"), R"({"model":"gpt-4o-mini","stream":true,"messages":[]})");
    ASSERT_EQ(s.status, 200);
    auto data = s.sse_data();
    ASSERT_GE(data.size(), 3u);
    EXPECT_EQ(data.back(), "[DONE]");
    EXPECT_EQ(json::parse(data[1])["choices"][0]["delta"]["content"], "hi");
    EXPECT_EQ(json::parse(data[data.size() - 2])["choices"][0]["finish_reason"], "stop");
    EXPECT_EQ(mock.journal().back().protocol, "openai");
}

TEST_F(Protocols, OpenAIChatStreamUsageChunkWhenAsked) {
    auto s = post(u("/v1/chat/completions"),
                  R"({"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[]})");
    auto data = s.sse_data();
    ASSERT_GE(data.size(), 2u);
    auto usage_chunk = json::parse(data[data.size() - 2]);
    EXPECT_TRUE(usage_chunk["choices"].empty());
    EXPECT_EQ(usage_chunk["usage"]["completion_tokens"], 1);
}

TEST_F(Protocols, OpenAIResponsesPlainAndStream) {
    auto r = post(u("/v1/responses"), R"({"model":"gpt-5","input":"hi"})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["status"], "completed");
    EXPECT_EQ(r.json()["output"][0]["content"][0]["text"], "hi");
    auto s = post(u("/v1/responses"), R"({"model":"gpt-5","input":"hi","stream":true})");
    ASSERT_EQ(s.status, 200);
    std::vector<std::string> want = {"response.created",           "response.in_progress",
                                     "response.output_item.added", "response.content_part.added",
                                     "response.output_text.delta", "response.output_text.done",
                                     "response.content_part.done", "response.output_item.done",
                                     "response.completed"};
    EXPECT_EQ(s.sse_events(), want);
    auto data = s.sse_data();
    auto done = json::parse(data.back());
    EXPECT_EQ(done["type"], "response.completed");
    EXPECT_EQ(done["sequence_number"], 8);
    EXPECT_EQ(done["response"]["usage"]["output_tokens"], 1);
}

TEST_F(Protocols, OpenAIModelsEmbeddingsAndUnprefixedOption) {
    auto m = get(u("/v1/models")).json();
    EXPECT_EQ(m["object"], "list");
    EXPECT_FALSE(m["data"].empty());
    EXPECT_EQ(get(u("/v1/models/gpt-4o")).json()["id"], "gpt-4o");
    auto e = post(u("/v1/embeddings"), R"({"model":"text-embedding-3-small","input":["a","b"]})").json();
    EXPECT_EQ(e["data"].size(), 2u);
    EXPECT_EQ(e["data"][0]["embedding"].size(), 4u);
    auto b = post(u("/v1/embeddings"), R"({"model":"x","input":"a","encoding_format":"base64"})").json();
    EXPECT_EQ(b["data"][0]["embedding"], "AACAPgAAAL8AAAA+AACAPw==");  // float32 LE {0.25,-0.5,0.125,1}
    // Unprefixed is off by default for openai (copilot answers /chat/completions here instead).
    MockUpstream only_openai(Options{.protocols = {"openai"}});
    only_openai.start();
    EXPECT_EQ(post(only_openai.url() + "/chat/completions", "{}").status, 404);
    MockUpstream unprefixed(Options{.protocols = {"openai"}, .openai_unprefixed = true});
    unprefixed.start();
    EXPECT_EQ(post(unprefixed.url() + "/chat/completions", "{}").status, 200);
    EXPECT_EQ(get(unprefixed.url() + "/models").status, 200);
}

TEST_F(Protocols, OpenAIShaped404) {
    MockUpstream openai(Options{.protocols = {"openai"}});
    openai.start();
    auto r = post(openai.url() + "/v1/v1/chat/completions", "{}");
    EXPECT_EQ(r.status, 404);
    EXPECT_TRUE(r.json()["error"]["message"].is_string());
    EXPECT_EQ(r.json()["error"]["type"], "invalid_request_error");
}

TEST_F(Protocols, AnthropicMessagesPlainAndStream) {
    auto r = post(u("/v1/messages"), R"({"model":"claude-sonnet-4-5","max_tokens":5,"messages":[]})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["type"], "message");
    EXPECT_EQ(r.json()["content"][0]["text"], "hi");
    EXPECT_EQ(r.json()["stop_reason"], "end_turn");
    auto s = post(u("/v1/messages"), R"({"model":"claude-sonnet-4-5","stream":true,"messages":[]})");
    std::vector<std::string> want = {"message_start",      "content_block_start", "ping",        "content_block_delta",
                                     "content_block_stop", "message_delta",       "message_stop"};
    EXPECT_EQ(s.sse_events(), want);
    EXPECT_EQ(json::parse(s.sse_data()[3])["delta"]["text"], "hi");
    EXPECT_GT(post(u("/v1/messages/count_tokens"), R"({"messages":[]})").json()["input_tokens"], 0);
}

TEST_F(Protocols, AnthropicShaped404) {
    MockUpstream anthropic(Options{.protocols = {"anthropic"}});
    anthropic.start();
    auto r = post(anthropic.url() + "/v1/v1/messages", "{}");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json()["type"], "error");
    EXPECT_EQ(r.json()["error"]["type"], "not_found_error");
    EXPECT_EQ(get(anthropic.url() + "/v1/models").json()["data"][0]["type"], "model");
}

TEST_F(Protocols, GeminiGenerateStreamCountAndModels) {
    auto r = post(u("/v1beta/models/gemini-2.5-flash:generateContent"), R"({"contents":[]})");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["candidates"][0]["content"]["parts"][0]["text"], "hi");
    auto s = post(u("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"), R"({"contents":[]})");
    EXPECT_EQ(s.header("content-type"), "text/event-stream");
    ASSERT_EQ(s.sse_data().size(), 2u);
    auto arr = post(u("/v1beta/models/gemini-2.5-flash:streamGenerateContent"), R"({"contents":[]})");
    ASSERT_EQ(arr.status, 200);
    ASSERT_TRUE(arr.json().is_array()) << "without alt=sse the stream is one JSON array";
    EXPECT_EQ(arr.json().size(), 2u);
    EXPECT_GT(post(u("/v1beta/models/gemini-2.5-flash:countTokens"), "{}").json()["totalTokens"], 0);
    EXPECT_EQ(get(u("/v1beta/models")).json()["models"][0]["name"], "models/gemini-2.5-flash");
    EXPECT_EQ(get(u("/v1beta/models/gemini-2.5-pro")).json()["name"], "models/gemini-2.5-pro");
    auto bad = post(u("/v1beta/models/x:explode"), "{}");
    EXPECT_EQ(bad.status, 404);
    EXPECT_EQ(bad.json()["error"]["status"], "NOT_FOUND");
}

TEST_F(Protocols, CopilotStartupCallsAndChat) {
    auto t = get(u("/copilot_internal/v2/token")).json();
    EXPECT_TRUE(t["token"].is_string());
    EXPECT_GT(t["refresh_in"], 60);
    EXPECT_TRUE(t["expires_at"].is_number_integer());
    auto m = get(u("/models")).json();
    ASSERT_FALSE(m["data"].empty());
    for (const auto& e : m["data"]) {
        EXPECT_TRUE(e["capabilities"]["tokenizer"].is_string());
        EXPECT_TRUE(e["capabilities"]["limits"]["max_output_tokens"].is_number());
    }
    EXPECT_EQ(get(u("/copilot_internal/user")).json()["copilot_plan"], "individual");
    EXPECT_EQ(get(u("/user")).json()["login"], "ci-user");
    auto c = post(u("/chat/completions"), R"({"model":"gpt-4o","stream":true,"messages":[]})");
    EXPECT_EQ(c.sse_data().back(), "[DONE]");
    EXPECT_EQ(mock.journal().back().protocol, "copilot");
}

TEST_F(Protocols, ProtocolOrderDecidesSharedPaths) {
    MockUpstream a(Options{.protocols = {"anthropic", "openai"}});
    a.start();
    get(a.url() + "/v1/models");
    EXPECT_EQ(a.journal().back().protocol, "anthropic");
}

}  // namespace
}  // namespace routecheck::mock
