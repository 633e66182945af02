// The grid verdicts from crafted answers (no proxy): what a streaming client receives, named the same way every
// time, and the rows a profile plans (names, carriers, predictions from a source contract).
#include <gtest/gtest.h>

#include "grid/grid.hpp"
#include "grid/grid_verdict.hpp"

namespace {

using namespace routecheck;
using namespace routecheck::grid;

RowResult stream_row(const std::string& protocol, const std::string& stream_case, int status, std::string body,
                     std::string transport = "") {
    RowResult r;
    r.spec.kind = "stream";
    r.spec.protocol = protocol;
    r.spec.stream_case = stream_case;
    r.spec.timeout_ms = 6000;
    r.status = status;
    r.transport = std::move(transport);
    r.content_type = status == 200 ? "text/event-stream" : "application/json";
    r.body_excerpt = std::move(body);
    r.first_event_ms = 10;
    r.total_ms = 500;
    judge_stream(r);
    return r;
}

const char* kAnthropicOk =
    "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

TEST(GridStream, IntactStreamsOfEachProtocol) {
    EXPECT_EQ(stream_row("anthropic", "ok", 200, kAnthropicOk).verdict, "STREAM_OK");
    EXPECT_EQ(stream_row("openai", "ok", 200,
                         "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n").verdict,
              "STREAM_OK");
    EXPECT_EQ(stream_row("gemini", "ok", 200,
                         "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\n")
                  .verdict,
              "STREAM_OK");
}

TEST(GridStream, ZeroTokensWithoutErrorIsSilentEmpty) {
    auto r = stream_row("openai", "empty", 200, "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: [DONE]\n\n");
    EXPECT_EQ(r.verdict, "SILENT_EMPTY");
    EXPECT_EQ(r.content_pieces, 0);
}

TEST(GridStream, TextTheUpstreamNeverSentIsSynthetic) {
    auto r = stream_row("anthropic", "empty", 200, kAnthropicOk);
    EXPECT_EQ(r.verdict, "SYNTHETIC_TEXT");
    EXPECT_NE(r.detail.find("\"hi\""), std::string::npos);
}

TEST(GridStream, MissingTerminalEventIsTruncated) {
    EXPECT_EQ(stream_row("openai", "cut", 200, "data: {\"choices\":[{\"delta\":{\"content\":\"h\"}}]}\n\n").verdict,
              "TRUNCATED");
    EXPECT_EQ(stream_row("anthropic", "cut", 200, "event: message_start\ndata: {\"type\":\"message_start\"}\n\n",
                         "connection reset").verdict,
              "TRUNCATED");
}

TEST(GridStream, ErrorsByShapeAndPlace) {
    EXPECT_EQ(stream_row("anthropic", "500", 500, R"({"type":"error","error":{"type":"api_error","message":"x"}})").error_shape,
              "native");
    auto foreign = stream_row("anthropic", "429", 429, R"({"error":{"message":"x","type":"rate_limit_error"}})");
    EXPECT_EQ(foreign.verdict, "ERROR_PROPAGATED");
    EXPECT_EQ(foreign.error_shape, "foreign");
    EXPECT_EQ(stream_row("openai", "500", 500, "Internal Server Error").verdict, "ERROR_UNSHAPED");
    EXPECT_EQ(stream_row("anthropic", "429", 200, "event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"x\"}}\n\n")
                  .verdict,
              "ERROR_IN_STREAM");
    EXPECT_EQ(stream_row("anthropic", "500", 200, "", "timeout").verdict, "HUNG");
}

TEST(GridStream, DribbledStreamHeldUntilTheEndIsBuffered) {
    RowResult r = stream_row("anthropic", "dribble", 200, kAnthropicOk);
    EXPECT_EQ(r.verdict, "STREAM_OK");
    r.first_event_ms = 480;
    judge_stream(r);
    EXPECT_EQ(r.verdict, "BUFFERED");
}

ProxyProfile keyed_profile(const std::string& provenance) {
    ProxyProfile p;
    p.id = "p";
    p.provenance = provenance;
    p.health_path = "/health";
    p.api_key = "k";
    p.auth_carriers = {"authorization", "x-api-key"};
    p.capabilities = {"anthropic", "openai-responses"};
    p.routes = {{"GET", "/health", false}, {"GET", "/v1/models", false}, {"POST", "/v1/messages", false}};
    return p;
}

TEST(GridPlan, RowsOfAKeyedProxy) {
    ProxyProfile p = keyed_profile("launched");
    auto rows = plan_rows(p, setup_for(p, nlohmann::json::object()), true);
    int auth = 0, health = 0, stream = 0;
    for (const auto& r : rows) (r.kind == "auth" ? auth : r.kind == "health" ? health : stream)++;
    EXPECT_EQ(auth, 5 + 2 * 3 * 5);  // no key x targets + {wrong, right} x carriers x targets
    EXPECT_EQ(health, 5 * 2);        // conditions x {no key, key}
    EXPECT_EQ(stream, 6);            // anthropic only: openai-responses is not a streaming grid protocol
    EXPECT_EQ(rows.front().test_name("p"), "grid.auth.p.no-key.known");
    EXPECT_EQ(rows.front().probe.path, "/v1/models");
}

TEST(GridPlan, PredictionsFollowTheContract) {
    ProxyProfile p = keyed_profile("source");
    p.behaviour = Behaviour{};
    p.behaviour->auth_before_routing = true;
    p.behaviour->auth_exempt = {"/health"};
    auto rows = predict_rows(p, plan_rows(p, setup_for(p, nlohmann::json::object()), true));
    std::map<std::string, int> status;
    for (const auto& r : rows) {
        EXPECT_TRUE(r.predicted);
        EXPECT_NE(r.spec.kind, "stream");
        status[r.spec.kind + "/" + r.spec.row] = r.status;
    }
    EXPECT_EQ(status["auth/no-key.unknown-prefix"], 401);           // auth before routing
    EXPECT_EQ(status["auth/right-key.x-api-key.unknown-prefix"], 404);
    EXPECT_EQ(status["auth/right-key.x-goog-api-key.known"], 401);   // a header it does not read is no key
    EXPECT_EQ(status["auth/wrong-key.authorization.known"], 403);
    EXPECT_EQ(status["health/down.no-key"], 200);                    // exempt, answered locally
}

TEST(GridJudge, RowAgainstExpected) {
    nlohmann::json row = {{"kind", "auth"}, {"row", "no-key.known"}, {"observed", {{"status", 401}}}};
    EXPECT_EQ(judge_row(row, {{"auth", {{"no-key.known", {{"status", 401}}}}}}), "");
    EXPECT_NE(judge_row(row, {{"auth", {{"no-key.known", {{"status", 404}}}}}}).find("expected"), std::string::npos);
    EXPECT_NE(judge_row(row, nullptr).find("no expected row"), std::string::npos);
    // A racy row lists every outcome seen: any of them passes, anything else does not.
    nlohmann::json either = {{"auth", {{"no-key.known", nlohmann::json::array({{{"status", 400}}, {{"status", 401}}})}}}};
    EXPECT_EQ(judge_row(row, either), "");
    nlohmann::json neither = {{"auth", {{"no-key.known", nlohmann::json::array({{{"status", 400}}, {{"status", 500}}})}}}};
    EXPECT_NE(judge_row(row, neither).find("expected"), std::string::npos);
}

}  // namespace
