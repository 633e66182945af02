// Every fault kind, by header, by control endpoint and by the C++ API, as a libcurl client sees it.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "mock_upstream/mock_upstream.hpp"

namespace routecheck::mock {
namespace {

using namespace testing;
using nlohmann::json;

class Faults : public ::testing::Test {
protected:
    void SetUp() override { mock.start(); }
    std::string u(const std::string& path) const { return mock.url() + path; }
    HttpResult chat(bool stream, std::vector<std::string> headers = {}) {
        return post(u("/v1/chat/completions"), stream ? R"({"model":"m","stream":true})" : R"({"model":"m"})",
                    std::move(headers));
    }
    MockUpstream mock{Options{}};
};

TEST(FaultParse, AcceptsKindsAndParams) {
    EXPECT_EQ(Fault::parse("status;code=429;retry_after=7").status, 429);
    EXPECT_EQ(Fault::parse("status;code=429;retry_after=7").retry_after_s, 7);
    EXPECT_EQ(Fault::parse("503").kind, FaultKind::status);
    EXPECT_EQ(Fault::parse("503").status, 503);
    EXPECT_EQ(Fault::parse("delay").delay_ms, 1000);
    EXPECT_EQ(Fault::parse(" delay ; ms=5 ").delay_ms, 5);
    EXPECT_EQ(Fault::parse("cut;after=3").after, 3);
    EXPECT_EQ(Fault::parse("reset").kind, FaultKind::reset);
    EXPECT_EQ(Fault::parse("empty").kind, FaultKind::empty);
    auto d = Fault::parse("dribble;ms=2;bytes=4");
    EXPECT_EQ(d.kind, FaultKind::dribble);
    EXPECT_EQ(d.delay_ms, 2);
    EXPECT_EQ(d.bytes, 4);
    EXPECT_THROW(Fault::parse("explode"), std::invalid_argument);
    EXPECT_THROW(Fault::parse("status;code=abc"), std::invalid_argument);
    EXPECT_THROW(Fault::parse("status;code=99"), std::invalid_argument);
    EXPECT_THROW(Fault::parse("delay;ms=99999999"), std::invalid_argument);
    EXPECT_THROW(Fault::parse("delay;speed=1"), std::invalid_argument);
    EXPECT_THROW(Fault::parse("delay;ms"), std::invalid_argument);
}

TEST_F(Faults, StatusInEachProtocolsShape) {
    for (int code : {401, 403, 404, 429, 500, 503}) {
        const std::string h = "x-routecheck-fault: status;code=" + std::to_string(code);
        auto o = chat(false, {h});
        EXPECT_EQ(o.status, code);
        EXPECT_TRUE(o.json()["error"]["message"].is_string()) << code;
        auto a = post(u("/v1/messages"), "{}", {h});
        EXPECT_EQ(a.status, code);
        EXPECT_EQ(a.json()["type"], "error") << code;
        auto g = post(u("/v1internal:generateContent"), "{}", {h});
        EXPECT_EQ(g.status, code);
        EXPECT_EQ(g.json()["error"]["code"], code);
        EXPECT_EQ(mock.journal().back().fault, "status:" + std::to_string(code));
        EXPECT_EQ(mock.journal().back().status, code);
    }
    EXPECT_EQ(post(u("/v1internal:generateContent"), "{}", {"x-routecheck-fault: 429"}).json()["error"]["status"],
              "RESOURCE_EXHAUSTED");
}

TEST_F(Faults, Status429CarriesRetryAfter) {
    auto r = chat(false, {"x-routecheck-fault: status;code=429;retry_after=3"});
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("retry-after"), "3");
}

TEST_F(Faults, DelayBeforeHeaders) {
    auto r = chat(false, {"x-routecheck-fault: delay;ms=300"});
    EXPECT_EQ(r.status, 200);
    EXPECT_GE(r.seconds, 0.29);
    EXPECT_EQ(r.json()["choices"][0]["message"]["content"], "hi");
    EXPECT_EQ(mock.journal().back().fault, "delay");
}

TEST_F(Faults, CutStreamAfterNEvents) {
    auto r = chat(true, {"x-routecheck-fault: cut;after=2"});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.error, CURLE_PARTIAL_FILE) << curl_easy_strerror(r.error);
    auto data = r.sse_data();
    ASSERT_EQ(data.size(), 2u);
    EXPECT_NE(data.back(), "[DONE]");
    auto z = post(u("/v1/messages"), R"({"stream":true})", {"x-routecheck-fault: cut;after=0"});
    EXPECT_EQ(z.status, 200);
    EXPECT_NE(z.error, CURLE_OK);
    EXPECT_TRUE(z.body.empty());
}

TEST_F(Faults, CutJsonBodyHalfway) {
    auto full = chat(false);
    auto r = chat(false, {"x-routecheck-fault: cut"});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.error, CURLE_PARTIAL_FILE) << curl_easy_strerror(r.error);
    EXPECT_LT(r.body.size(), full.body.size());
    EXPECT_GT(r.body.size(), 0u);
    EXPECT_THROW((void)r.json(), json::parse_error);
}

TEST_F(Faults, ResetSendsNothing) {
    auto r = chat(false, {"x-routecheck-fault: reset"});
    EXPECT_TRUE(r.error == CURLE_RECV_ERROR || r.error == CURLE_GOT_NOTHING) << curl_easy_strerror(r.error);
    EXPECT_EQ(r.status, 0);
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(mock.journal().back().status, 0);
    EXPECT_EQ(mock.journal().back().fault, "reset");
    EXPECT_EQ(chat(false).status, 200) << "the server keeps serving after a reset";
}

TEST_F(Faults, EmptyAnswersCarryNoContentTokens) {
    const std::string h = "x-routecheck-fault: empty";
    auto c = chat(false, {h});
    EXPECT_EQ(c.status, 200);
    EXPECT_EQ(c.json()["choices"][0]["message"]["content"], "");
    EXPECT_EQ(c.json()["usage"]["completion_tokens"], 0);
    auto s = chat(true, {h});
    EXPECT_EQ(s.sse_data().back(), "[DONE]");
    EXPECT_EQ(s.body.find("\"hi\""), std::string::npos);
    auto m = post(u("/v1/messages"), R"({"stream":true})", {h});
    EXPECT_EQ(m.sse_events(), (std::vector<std::string>{"message_start", "message_delta", "message_stop"}));
    auto g = post(u("/v1internal:streamGenerateContent?alt=sse"), "{}", {h});
    for (const auto& d : g.sse_data())
        EXPECT_TRUE(json::parse(d)["response"]["candidates"][0]["content"]["parts"].empty());
    auto rs = post(u("/v1/responses"), R"({"stream":true})", {h});
    EXPECT_EQ(rs.sse_events().back(), "response.completed");
    EXPECT_EQ(rs.body.find("output_text.delta"), std::string::npos);
}

TEST_F(Faults, DribbleSendsSmallPiecesSlowly) {
    auto full = chat(true);
    auto r = chat(true, {"x-routecheck-fault: dribble;ms=5;bytes=16"});
    EXPECT_EQ(r.error, CURLE_OK);
    EXPECT_EQ(r.sse_data().back(), "[DONE]");
    EXPECT_EQ(r.body.size(), full.body.size());
    EXPECT_GE(r.arrivals.size(), r.body.size() / 16 / 2) << "pieces arrive separately";
    EXPECT_GE(r.seconds, 0.005 * (r.body.size() / 16 - 1) * 0.8);
    auto j = chat(false, {"x-routecheck-fault: dribble;ms=5;bytes=32"});
    EXPECT_EQ(j.error, CURLE_OK);
    EXPECT_EQ(j.json()["choices"][0]["message"]["content"], "hi");
    EXPECT_GE(j.arrivals.size(), 3u);
}

// Issue 21.7: the journal says when each frame of a streamed answer was sent, on the steady clock the harness
// shares, so a stream verdict can compare the client's arrivals with the mock's own schedule.
TEST_F(Faults, JournalNotesWhenEachStreamedFrameWasSent) {
    const double before = steady_ms();
    auto r = chat(true, {"x-routecheck-fault: dribble;ms=30;bytes=65536"});
    const double after = steady_ms();
    ASSERT_EQ(r.error, CURLE_OK);
    const auto sent = mock.journal().back().sent_at_ms;
    ASSERT_EQ(sent.size(), r.sse_data().size()) << "one send time per frame (each frame one SSE event)";
    ASSERT_GE(sent.size(), 3u);
    EXPECT_GE(sent.front(), before);
    EXPECT_LE(sent.back(), after);
    for (std::size_t i = 1; i < sent.size(); ++i) EXPECT_GE(sent[i] - sent[i - 1], 30 * 0.9) << "frame " << i;
    EXPECT_EQ(json::parse(journal_to_json(mock.journal())).back()["sent_at_ms"].size(), sent.size());
    chat(false);
    EXPECT_TRUE(mock.journal().back().sent_at_ms.empty()) << "an answer that is not streamed has no frames";
}

TEST_F(Faults, BadFaultHeaderGets400AndIsJournaled) {
    auto r = chat(false, {"x-routecheck-fault: explode"});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("explode"), std::string::npos);
    EXPECT_EQ(mock.journal().back().fault, "invalid");
}

TEST_F(Faults, ScriptedByControlEndpointWithMatchAndCount) {
    auto add = post(u("/__routecheck/faults"), R"({"match":"/v1/messages","kind":"status","code":503,"count":2})");
    ASSERT_EQ(add.status, 200) << add.body;
    EXPECT_EQ(add.json()["faults"].size(), 1u);
    EXPECT_EQ(chat(false).status, 200) << "match is a target substring";
    EXPECT_EQ(post(u("/v1/messages"), "{}").status, 503);
    EXPECT_EQ(post(u("/v1/messages"), "{}").status, 503);
    EXPECT_EQ(post(u("/v1/messages"), "{}").status, 200) << "count spent";
    EXPECT_TRUE(get(u("/__routecheck/faults")).json()["faults"].empty());
    post(u("/__routecheck/faults"), R"([{"kind":"delay","params":{"ms":50}},{"kind":"429"}])");
    EXPECT_EQ(get(u("/__routecheck/faults")).json()["faults"].size(), 2u);
    EXPECT_EQ(chat(false).status, 200) << "the first matching rule applies";
    EXPECT_EQ(mock.journal().back().fault, "delay");
    EXPECT_EQ(http({"DELETE", u("/__routecheck/faults")}).status, 200);
    EXPECT_TRUE(mock.faults().empty());
    EXPECT_EQ(mock.journal().back().fault, "delay") << "control requests are not journaled";
}

TEST_F(Faults, HeaderOverridesScriptedRule) {
    mock.add_fault({"*", Fault::parse("500"), -1});
    EXPECT_EQ(chat(false).status, 500);
    EXPECT_EQ(chat(false, {"x-routecheck-fault: 401"}).status, 401);
    mock.clear_faults();
    EXPECT_EQ(chat(false).status, 200);
}

TEST_F(Faults, CppApiForEveryKind) {
    mock.add_fault({"/v1/chat", Fault::parse("cut;after=1"), 1});
    mock.add_fault({"/v1/chat", Fault::parse("empty"), 1});
    mock.add_fault({"/v1/chat", Fault::parse("reset"), 1});
    EXPECT_EQ(chat(true).sse_data().size(), 1u);
    EXPECT_EQ(chat(false).json()["choices"][0]["message"]["content"], "");
    EXPECT_NE(chat(false).error, CURLE_OK);
    EXPECT_EQ(chat(false).json()["choices"][0]["message"]["content"], "hi");
    auto faults = mock.journal();
    ASSERT_EQ(faults.size(), 4u);
    EXPECT_EQ(faults[0].fault, "cut");
    EXPECT_EQ(faults[1].fault, "empty");
    EXPECT_EQ(faults[2].fault, "reset");
    EXPECT_EQ(faults[3].fault, "");
}

TEST_F(Faults, StopInterruptsHeldStreamsPromptly) {
    auto mock2 = std::make_unique<MockUpstream>(Options{});
    mock2->start();
    const std::string url = mock2->url() + "/v1/chat/completions";
    std::thread client([&] { post(url, R"({"stream":true})", {"x-routecheck-fault: dribble;ms=60000;bytes=1"}); });
    ASSERT_TRUE(mock2->wait_for(1, std::chrono::seconds(5)));
    auto t0 = std::chrono::steady_clock::now();
    mock2->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    client.join();
}

}  // namespace
}  // namespace routecheck::mock
