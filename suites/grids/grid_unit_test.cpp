// The grid verdicts from crafted answers (no proxy): what a streaming client receives, named the same way every
// time, the rows a profile plans (names, carriers, predictions from a source contract), and when a split grid run
// sends its rows (the mock upstream standing in for the proxy).
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "grid/grid.hpp"
#include "grid/grid_verdict.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "model/json_access.hpp"

namespace {

using namespace routecheck;
using namespace routecheck::grid;

// The built-in row catalogue (fixtures/grids/catalogue.json), as the runs load it.
const GridCatalogue& catalogue() {
    static const GridCatalogue c =
        parse_grid_catalogue(read_json_file(ROUTECHECK_GRID_CATALOGUE), ROUTECHECK_GRID_CATALOGUE);
    return c;
}

std::vector<RowSpec> rows_of(const ProxyProfile& p, const GridSetup& setup = {}, bool with_upstream = true) {
    return plan_rows(catalogue(), setup_for(catalogue(), p, setup), with_upstream);
}

// The FixtureError a bad document raises, as "file|pointer|message" ("" when it parses).
template <class Parse>
std::string error_of(Parse parse) {
    try {
        parse();
    } catch (const FixtureError& e) {
        return e.file() + "|" + e.pointer() + "|" + e.what();
    }
    return "";
}

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
    EXPECT_EQ(
        stream_row("openai", "ok", 200, "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n")
            .verdict,
        "STREAM_OK");
    EXPECT_EQ(
        stream_row(
            "gemini", "ok", 200,
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\n")
            .verdict,
        "STREAM_OK");
}

TEST(GridStream, ZeroTokensWithoutErrorIsSilentEmpty) {
    auto r = stream_row("openai", "empty", 200,
                        "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: [DONE]\n\n");
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
                         "connection reset")
                  .verdict,
              "TRUNCATED");
}

TEST(GridStream, ErrorsByShapeAndPlace) {
    EXPECT_EQ(stream_row("anthropic", "500", 500, R"({"type":"error","error":{"type":"api_error","message":"x"}})")
                  .error_shape,
              "native");
    auto foreign = stream_row("anthropic", "429", 429, R"({"error":{"message":"x","type":"rate_limit_error"}})");
    EXPECT_EQ(foreign.verdict, "ERROR_PROPAGATED");
    EXPECT_EQ(foreign.error_shape, "foreign");
    EXPECT_EQ(stream_row("openai", "500", 500, "Internal Server Error").verdict, "ERROR_UNSHAPED");
    EXPECT_EQ(stream_row("anthropic", "429", 200,
                         "event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"x\"}}\n\n")
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

// Issue 21.7: a dribble row compares the client's arrivals with the mock's send times (same clock, ms). A proxy that
// streams but started late (a loaded machine: its first event came at 2100 of 3300 ms, which the share-of-the-answer
// rule called BUFFERED) streams; one whose events all came together after the last frame buffers.
RowResult dribbled(std::vector<double> sent, double first_at, double last_at, double first_ms, double total_ms) {
    RowResult r;
    r.spec.kind = "stream";
    r.spec.protocol = "anthropic";
    r.spec.stream_case = "dribble";
    r.status = 200;
    r.content_type = "text/event-stream";
    r.body_excerpt = kAnthropicOk;
    r.upstream_sent_at_ms = std::move(sent);
    r.first_event_at_ms = first_at;
    r.last_event_at_ms = last_at;
    r.first_event_ms = first_ms;
    r.total_ms = total_ms;
    judge_stream(r);
    return r;
}

TEST(GridStream, DribbleIsJudgedAgainstTheMocksSendTimes) {
    auto late_start = dribbled({10000, 10400, 10800, 11200}, 11100, 11300, 2100, 3300);
    EXPECT_EQ(late_start.verdict, "STREAM_OK") << late_start.detail;
    EXPECT_NE(late_start.detail.find("100 ms before the upstream sent its last frame"), std::string::npos)
        << late_start.detail;
    // Every event late, after the last frame, yet spread as the frames were: a stalled machine, still a stream.
    auto spread = dribbled({10000, 10400}, 10500, 10880, 2500, 2900);
    EXPECT_EQ(spread.verdict, "STREAM_OK") << spread.detail;
    auto held = dribbled({10000, 10400}, 10450, 10452, 450, 460);
    EXPECT_EQ(held.verdict, "BUFFERED") << held.detail;
    EXPECT_NE(held.detail.find("50 ms after the upstream sent its last frame"), std::string::npos) << held.detail;
    // No send times (a single frame, or no mock): the share of the answer's time, and the detail says so.
    auto unknown = dribbled({}, 0, 0, 480, 500);
    EXPECT_EQ(unknown.verdict, "BUFFERED");
    EXPECT_NE(unknown.detail.find("no send times from the mock"), std::string::npos);
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
    auto rows = rows_of(p);
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
    auto rows = predict_rows(p, rows_of(p));
    std::map<std::string, int> status;
    for (const auto& r : rows) {
        EXPECT_TRUE(r.predicted);
        EXPECT_NE(r.spec.kind, "stream");
        status[r.spec.kind + "/" + r.spec.row] = r.status;
    }
    EXPECT_EQ(status["auth/no-key.unknown-prefix"], 401);  // auth before routing
    EXPECT_EQ(status["auth/right-key.x-api-key.unknown-prefix"], 404);
    EXPECT_EQ(status["auth/right-key.x-goog-api-key.known"], 401);  // a header it does not read is no key
    EXPECT_EQ(status["auth/wrong-key.authorization.known"], 403);
    EXPECT_EQ(status["health/down.no-key"], 200);  // exempt, answered locally
}

// The grid rows of phase 0 run beside the cells (ProxyGridRun::start_undisturbed), the others only in finish():
// the mock upstream stands in for the proxy here, so its journal shows which rows were sent when.
TEST(GridRunSplit, UndisturbedRowsRunFirstAndTheRestOnlyInFinish) {
    ProxyProfile p = keyed_profile("launched");
    // Without the dribble row (seconds long), so the phase-0 rows are over well inside the pause below.
    std::vector<RowSpec> rows = rows_of(p);
    std::erase_if(rows, [](const RowSpec& r) { return r.stream_case == "dribble"; });
    std::set<std::string> undisturbed, disturbing;
    for (const auto& r : rows) (r.phase == 0 ? undisturbed : disturbing).insert("grid/" + r.kind + "." + r.row);
    ASSERT_FALSE(undisturbed.empty());
    ASSERT_FALSE(disturbing.empty());
    mock::MockUpstream mock{mock::Options{}};
    mock.start();
    auto sent = [&] {
        std::set<std::string> out;
        for (const auto& e : mock.journal())
            if (e.correlation.rfind("grid/", 0) == 0) out.insert(e.correlation);
        return out;
    };
    const Deadline deadline;
    ProxyGridRun run(p, rows, nullptr, mock.port(), &mock, {}, deadline);
    run.start_undisturbed();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (sent() != undisturbed && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // Every phase-0 row reached the mock, and nothing else did while finish() was not called.
    EXPECT_EQ(sent(), undisturbed);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(sent(), undisturbed);
    const nlohmann::json grids = run.finish();
    std::set<std::string> all = undisturbed;
    all.insert(disturbing.begin(), disturbing.end());
    EXPECT_EQ(sent(), all);
    // The rows come back in the plan's order, each judged.
    ASSERT_EQ(grids["rows"].size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(grids["rows"][i]["name"], rows[i].test_name("p"));
        EXPECT_FALSE(grids["rows"][i]["verdict"].get<std::string>().empty()) << rows[i].row;
    }
    mock.stop();
}

// A grid file p.json holding `rows` (kind -> row -> expected).
GridFile grid_with(const nlohmann::json& rows) {
    nlohmann::json doc = rows;
    doc["proxy"] = "p";
    return parse_grid_file(doc, "grids/p.json");
}

TEST(GridJudge, RowAgainstExpected) {
    nlohmann::json row = {{"kind", "auth"}, {"row", "no-key.known"}, {"observed", {{"status", 401}}}};
    GridFile same = grid_with({{"auth", {{"no-key.known", {{"status", 401}}}}}});
    EXPECT_EQ(judge_row(row, &same), "");
    GridFile other = grid_with({{"auth", {{"no-key.known", {{"status", 404}}}}}});
    EXPECT_NE(judge_row(row, &other).find("expected"), std::string::npos);
    EXPECT_NE(judge_row(row, nullptr).find("no expected row"), std::string::npos);
    // A racy row lists every outcome seen: any of them passes, anything else does not.
    GridFile either =
        grid_with({{"auth", {{"no-key.known", nlohmann::json::array({{{"status", 400}}, {{"status", 401}}})}}}});
    EXPECT_EQ(judge_row(row, &either), "");
    GridFile neither =
        grid_with({{"auth", {{"no-key.known", nlohmann::json::array({{{"status", 400}}, {{"status", 500}}})}}}});
    EXPECT_NE(judge_row(row, &neither).find("expected"), std::string::npos);
    // A reviewer's note on an expected row is shown, not compared.
    GridFile noted = grid_with({{"auth", {{"no-key.known", {{"status", 401}, {"note", "checked by hand"}}}}}});
    EXPECT_EQ(judge_row(row, &noted), "");
    // An observed outcome that is not one (a hand-edited grids.json) is a failed row that says so, not a crash.
    nlohmann::json bad = {{"kind", "auth"}, {"row", "no-key.known"}, {"observed", {{"status", "401"}}}};
    EXPECT_NE(judge_row(bad, &same).find("/observed/status"), std::string::npos);
}

// The typed grid file: a misspelt key and a wrong type in the setup are errors naming the file and the pointer,
// never a default the run would silently use.
TEST(GridFileModel, MisspeltSetupKeyNamesFileAndPointer) {
    nlohmann::json doc = {{"proxy", "p"}, {"setup", {{"stream_protocls", {"openai"}}}}};
    std::string e = error_of([&] { parse_grid_file(doc, "fixtures/grids/p.json"); });
    EXPECT_EQ(e.substr(0, e.find('|', e.find('|') + 1)), "fixtures/grids/p.json|/setup/stream_protocls") << e;
    nlohmann::json known = {{"proxy", "p"}, {"setup", {{"known", {{"path", "/v1/models"}, {"header", {}}}}}}};
    e = error_of([&] { parse_grid_file(known, "fixtures/grids/p.json"); });
    EXPECT_EQ(e.substr(0, e.find('|', e.find('|') + 1)), "fixtures/grids/p.json|/setup/known/header") << e;
}

TEST(GridFileModel, WrongTypeNamesFileAndPointer) {
    nlohmann::json doc = {{"proxy", "p"}, {"setup", {{"models", {{"openai", 5}}}}}};
    std::string e = error_of([&] { parse_grid_file(doc, "fixtures/grids/p.json"); });
    EXPECT_EQ(e.substr(0, e.find('|', e.find('|') + 1)), "fixtures/grids/p.json|/setup/models/openai") << e;
    nlohmann::json row = {{"proxy", "p"}, {"health", {{"up.key", {{"upstream", "no"}}}}}};
    e = error_of([&] { parse_grid_file(row, "fixtures/grids/p.json"); });
    EXPECT_EQ(e.substr(0, e.find('|', e.find('|') + 1)), "fixtures/grids/p.json|/health/up.key/upstream") << e;
}

// The setup's typed values reach the rows.
TEST(GridFileModel, SetupShapesTheRows) {
    ProxyProfile p = keyed_profile("launched");
    p.capabilities = {"anthropic", "openai", "gemini"};
    GridSetup s = parse_grid_file({{"proxy", "p"},
                                   {"setup",
                                    {{"known", {{"method", "POST"}, {"path", "/v1/messages"}}},
                                     {"api_prefix", "/api"},
                                     {"stream_protocols", {"gemini"}},
                                     {"models", {{"gemini", "gemini-x"}}},
                                     {"health_timeout_ms", 700}}}},
                                  "grids/p.json")
                      .setup;
    std::map<std::string, RowSpec> by;
    for (auto& r : rows_of(p, s)) by[r.kind + "/" + r.row] = r;
    EXPECT_EQ(by["auth/no-key.known"].probe.method, "POST");
    EXPECT_EQ(by["auth/no-key.unknown-prefix"].probe.path, "/api/v1/messages");
    EXPECT_EQ(by["auth/no-key.options"].probe.headers["access-control-request-method"], "POST");
    EXPECT_EQ(by["health/slow.key"].fault, "delay;ms=1400");
    EXPECT_EQ(by["health/slow.key"].timeout_ms, 700);
    EXPECT_EQ(by["stream/gemini.ok"].probe.path, "/v1beta/models/gemini-x:streamGenerateContent?alt=sse");
    EXPECT_EQ(by["stream/gemini.ok"].probe.headers["authorization"], "Bearer k");  // x-goog-api-key not read
    EXPECT_EQ(by.count("stream/anthropic.ok"), 0u);
    EXPECT_EQ(by["stream/gemini.429"].phase, 2);
}

// The catalogue is data: what the file says is what the rows are.
TEST(GridCatalogueModel, RowsFollowTheFile) {
    nlohmann::json doc = read_json_file(ROUTECHECK_GRID_CATALOGUE);
    doc["stream"]["cases"].erase(1);  // no dribble row
    doc["auth"]["carriers"] = {"x-api-key"};
    GridCatalogue c = parse_grid_catalogue(doc, "catalogue.json");
    ProxyProfile p = keyed_profile("launched");
    int auth = 0, stream = 0;
    for (const auto& r : plan_rows(c, setup_for(c, p, {}), true)) {
        if (r.kind == "auth") ++auth;
        if (r.kind == "stream") ++stream;
        EXPECT_NE(r.stream_case, "dribble");
    }
    EXPECT_EQ(auth, 5 + 2 * 1 * 5);
    EXPECT_EQ(stream, 5);
    // Without the mock upstream: no faulted health row, no stream row.
    int health = 0;
    for (const auto& r : plan_rows(c, setup_for(c, p, {}), false)) {
        EXPECT_NE(r.kind, "stream");
        if (r.kind != "health") continue;
        ++health;
        EXPECT_EQ(r.fault, "");
    }
    EXPECT_EQ(health, 2);
}

TEST(GridCatalogueModel, MisspeltKeyAndWrongTypeNameFileAndPointer) {
    const nlohmann::json good = read_json_file(ROUTECHECK_GRID_CATALOGUE);
    auto pointer_of = [](const nlohmann::json& doc) {
        std::string e = error_of([&] { parse_grid_catalogue(doc, "fixtures/grids/catalogue.json"); });
        return e.substr(0, e.find('|', e.find('|') + 1));
    };
    EXPECT_EQ(pointer_of(good), "");
    nlohmann::json typo = good;
    typo["health"]["conditions"][2]["faul"] = typo["health"]["conditions"][2]["fault"];
    EXPECT_EQ(pointer_of(typo), "fixtures/grids/catalogue.json|/health/conditions/2/faul");
    nlohmann::json wrong_type = good;
    wrong_type["auth"]["timeout_ms"] = "4000";
    EXPECT_EQ(pointer_of(wrong_type), "fixtures/grids/catalogue.json|/auth/timeout_ms");
    nlohmann::json placeholder = good;
    placeholder["auth"]["targets"][1]["path"] = "{api_prefx}/v1/messages";
    EXPECT_EQ(pointer_of(placeholder), "fixtures/grids/catalogue.json|/auth/targets/1/path");
    nlohmann::json phase = good;
    phase["stream"]["cases"][0]["phase"] = 3;
    EXPECT_EQ(pointer_of(phase), "fixtures/grids/catalogue.json|/stream/cases/0/phase");
    nlohmann::json duplicate = good;
    duplicate["stream"]["cases"][1]["id"] = "ok";
    EXPECT_EQ(pointer_of(duplicate), "fixtures/grids/catalogue.json|/stream/cases/1/id");
    nlohmann::json fallback = good;
    fallback["known"].back()["if_route"] = true;
    EXPECT_EQ(pointer_of(fallback), "fixtures/grids/catalogue.json|/known/3/if_route");
}

}  // namespace
