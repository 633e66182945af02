// Attach mode end to end: a real proxy is launched here (as matrix_run would), then the built routecheck binary
// runs `matrix --attach <id>=http://127.0.0.1:<port>` against it, without a mock of its own. The proxy still
// talks to this test's mock upstream, so the mock's journal (attributed by x-routecheck-step, which the replay
// sends and the Node preload carries upstream) shows exactly which replayed steps reached the upstream model.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "launch/proxy.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "mock_upstream/standin.hpp"
#include "model/cases.hpp"
#include "model/fixtures.hpp"
#include "model/json_access.hpp"
#include "probe/probe.hpp"

using namespace routecheck;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kRepo = ROUTECHECK_REPO_ROOT;
// antigravity-claude-proxy: it checks a key (so --api-key matters), answers the model list (GET /v1/models,
// which asks the upstream for the models but spends no quota), and its /v1/messages is a quota step.
const char* kProxy = "antigravity-claude-proxy";
const char* kClient = "anthropic-node";

struct RunResult {
    int exit_code = -1;
    std::string output;
    json matrix;
    json grids;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs the routecheck binary with `args` (already shell-quoted where needed), output into a fresh folder.
RunResult run_routecheck(const std::string& args, const std::string& name) {
    fs::path out = fs::temp_directory_path() / ("routecheck-attach-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(out);
    fs::create_directories(out);
    std::string cmd = std::string("'") + ROUTECHECK_BIN + "' matrix --out '" + out.string() + "' --no-fail " + args +
                      " > '" + (out / "log.txt").string() + "' 2>&1";
    int rc = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.output = slurp(out / "log.txt");
    if (fs::exists(out / "matrix.json")) r.matrix = json::parse(slurp(out / "matrix.json"));
    if (fs::exists(out / "grids.json")) r.grids = json::parse(slurp(out / "grids.json"));
    fs::remove_all(out);
    return r;
}

const json* find_step(const json& matrix, const std::string& cell, const std::string& step) {
    for (const auto& c : matrix["cells"])
        if (c["id"] == cell)
            for (const auto& s : c["steps"])
                if (s["step"] == step) return &s;
    return nullptr;
}

// A Cloud Code model call (generateContent or streamGenerateContent): what spends quota upstream.
bool is_model_call(const mock::JournalEntry& e) { return e.path.find("enerateContent") != std::string::npos; }

std::string journal_text(const std::vector<mock::JournalEntry>& journal) {
    std::string out;
    for (const auto& e : journal) out += e.method + " " + e.target + " step=" + e.correlation + "\n";
    return out;
}

class Attach : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fs::path file = kRepo / "fixtures/proxies" / (std::string(kProxy) + ".json");
        profile_ = std::make_unique<ProxyProfile>(parse_proxy(read_json_file(file), file));
        try {
            launch::check_installed(*profile_, kRepo);
        } catch (const std::exception& e) {
            skip_ = e.what();
            return;
        }
        mock::Options mo;
        mo.protocols = profile_->upstream_protocols;
        upstream_ = std::make_unique<mock::MockUpstream>(mo);
        upstream_->start();
        launch::ProxySettings s;
        s.upstream_url = upstream_->url();
        s.preload = kRepo / "harness/launch/preload.cjs";
        s.install_root = kRepo;
        proxy_ = std::make_unique<launch::ProxyInstance>(*profile_, s);
    }
    static void TearDownTestSuite() {
        proxy_.reset();
        if (upstream_) upstream_->stop();
        upstream_.reset();
        profile_.reset();
    }
    void SetUp() override {
        if (!skip_.empty()) GTEST_SKIP() << skip_;
        upstream_->clear();  // only what this test's run sends
    }

    static std::string attach_args(bool with_key) {
        std::string a =
            std::string("--attach ") + kProxy + "=" + proxy_->base_url() + " --client " + kClient + " --variant root";
        if (with_key) a += " --api-key " + profile_->api_key;
        return a;
    }
    static std::string cell() { return std::string(kProxy) + "." + kClient + ".root"; }

    // Journal entries attributed to one replayed step of the cell.
    static std::vector<mock::JournalEntry> upstream_of(const std::string& step) {
        std::vector<mock::JournalEntry> out;
        for (const auto& e : upstream_->journal())
            if (e.correlation == cell() + "/" + step) out.push_back(e);
        return out;
    }

    static inline std::unique_ptr<ProxyProfile> profile_;
    static inline std::unique_ptr<mock::MockUpstream> upstream_;
    static inline std::unique_ptr<launch::ProxyInstance> proxy_;
    static inline std::string skip_;
};

TEST_F(Attach, QuotaStepsSkippedByDefault) {
    RunResult r = run_routecheck(attach_args(true), "default");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(r.matrix.is_object()) << r.output;
    ASSERT_EQ(r.matrix["proxies"].size(), 1u);
    EXPECT_EQ(r.matrix["proxies"][0]["provenance"], "attached");

    // The model list is no quota step: sent, and answered by the proxy.
    const json* models = find_step(r.matrix, cell(), "models-list.models");
    ASSERT_NE(models, nullptr);
    EXPECT_FALSE((*models)["skipped"].get<bool>());
    EXPECT_EQ((*models)["status"], 200) << models->dump();

    // Both /v1/messages steps would reach the upstream model: shown as skipped, never sent.
    for (const char* step : {"messages.messages", "messages-stream.messages"}) {
        const json* s = find_step(r.matrix, cell(), step);
        ASSERT_NE(s, nullptr) << step;
        EXPECT_TRUE((*s)["skipped"].get<bool>()) << s->dump();
        EXPECT_EQ((*s)["status"], 0) << s->dump();
        EXPECT_NE((*s)["skip_reason"].get<std::string>().find("--allow-quota"), std::string::npos) << s->dump();
        EXPECT_TRUE(upstream_of(step).empty()) << journal_text(upstream_->journal());
    }
    for (const auto& e : upstream_->journal())
        EXPECT_FALSE(is_model_call(e)) << "a model call reached the upstream:\n" << journal_text(upstream_->journal());
}

TEST_F(Attach, AllowQuotaSendsThem) {
    RunResult r = run_routecheck(attach_args(true) + " --allow-quota", "allow-quota");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char* step : {"messages.messages", "messages-stream.messages"}) {
        const json* s = find_step(r.matrix, cell(), step);
        ASSERT_NE(s, nullptr) << step;
        EXPECT_FALSE((*s)["skipped"].get<bool>()) << s->dump();
        EXPECT_EQ((*s)["status"], 200) << s->dump();
        auto up = upstream_of(step);
        ASSERT_FALSE(up.empty()) << "no upstream request attributed to " << step << ":\n"
                                 << journal_text(upstream_->journal());
        EXPECT_TRUE(is_model_call(up.front())) << journal_text(up);
    }
}

TEST_F(Attach, WithoutTheKeyTheProxyRefuses) {
    // No --api-key: the client's placeholder key is sent, which this proxy rejects under /v1.
    RunResult r = run_routecheck(attach_args(false), "no-key");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const json* models = find_step(r.matrix, cell(), "models-list.models");
    ASSERT_NE(models, nullptr);
    int status = (*models)["status"];
    EXPECT_TRUE(status == 401 || status == 403) << models->dump();
}

TEST_F(Attach, OnlyLoopbackUrls) {
    RunResult r = run_routecheck(std::string("--attach ") + kProxy + "=http://192.0.2.1:8045", "non-loopback");
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("loopback"), std::string::npos) << r.output;
}

// A case's unknown-path answer written as a JSON value goes out as JSON (FastAPI's {"detail":"Not Found"} is
// application/json on the wire), a string as text/plain, and a content_type the case gives wins.
TEST(StandIn, AnUnknownAnswersContentTypeFollowsItsBody) {
    auto content_type_of_unknown = [](const json& unknown) {
        mock::StandIn standin(json{{"name", "t"}, {"routes", json::array()}, {"unknown", unknown}});
        standin.start();
        http_global_init();
        HttpClient http;
        HttpRequest req;
        req.method = "GET";
        req.url = standin.url() + "/no-such-path";
        const HttpResponse r = http.send(req);
        standin.stop();
        EXPECT_EQ(r.status, 404);
        const auto ct = r.headers.find("content-type");
        return ct == r.headers.end() ? std::string() : ct->second;
    };
    EXPECT_EQ(content_type_of_unknown({{"status", 404}, {"body", {{"detail", "Not Found"}}}}), "application/json");
    EXPECT_EQ(content_type_of_unknown({{"status", 404}, {"body", "404 page not found"}}), "text/plain");
    EXPECT_EQ(content_type_of_unknown({{"status", 404}, {"body", "<html></html>"}, {"content_type", "text/html"}}),
              "text/html");
}

// A key check in front of every path (a dashboard login answering 401 with an OpenAI-shaped error) is the proxy's own
// answer, not an upstream's error passed through: probed without the key, /v1 is no pass-through (the probe said it
// was, and a probed profile would then take every /v1 path for a route). Case: codex-proxy's dashboard 401.
TEST(ProbeStandIn, AKeyAnswerIsNoPassThrough) {
    const fs::path file = kRepo / "fixtures/cases/codex-proxy-ai-sdk-compatible-root-dashboard-401.json";
    const json doc = read_json_file(file);
    mock::StandIn standin(doc["proxy"]);
    standin.start();
    ProbeOptions po;
    po.target = standin.url();
    const ProbeResult r = probe(po);
    standin.stop();
    EXPECT_TRUE(r.auth_seen);
    EXPECT_FALSE(r.pass_through) << "a pass-through under " << r.pass_through_prefix;
}

// Antigravity Tools cannot be built in CI. Its observed answers (suites/attach/data/antigravity-tools-observed.json,
// copied from the run that filled fixtures/expected/antigravity-tools.json) are played by a stand-in, and attach mode
// against it must give every observed cell and grid row back: the observed table still says what the current
// judgment makes of those answers.
TEST(ObservedStandIn, AttachModeGivesTheObservedTableBack) {
    const fs::path file = kRepo / "suites/attach/data/antigravity-tools-observed.json";
    const json doc = read_json_file(file);
    check_standin_proxy(JsonAt(doc, file.string()).at("proxy"));
    mock::StandIn standin(doc["proxy"]);
    standin.start();
    const std::string key = doc["proxy"]["auth"]["key"];
    // The clients the observation covered (profiles added since have no observed rows).
    const json observed = read_json_file(kRepo / "fixtures/expected/antigravity-tools.json");
    std::string clients;
    for (const auto& [id, rows] : observed["cells"].items()) clients += " --client " + id;
    // 8 workers: the 14 websocket upgrades are held open until the replay's 3 s timeout ends them.
    RunResult r = run_routecheck("--attach antigravity-tools=" + standin.url() + " --api-key " + key +
                                     " --allow-quota --grids --jobs 8" + clients,
                                 "observed-standin");
    standin.stop();
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(r.matrix.is_object()) << r.output;
    int cells = 0;
    std::string differ;
    for (const auto& c : r.matrix["cells"]) {
        ++cells;
        if (c["expectation"] != "pass")
            differ += c["id"].get<std::string>() + ": " + c["message"].get<std::string>() + "\n";
    }
    EXPECT_EQ(cells, 140) << r.output;
    EXPECT_TRUE(differ.empty()) << "cells not as observed:\n" << differ;
    int rows = 0;
    std::string grid_differ;
    ASSERT_TRUE(r.grids.is_object()) << r.output;
    for (const auto& p : r.grids["proxies"])
        for (const auto& row : p["rows"]) {
            ++rows;
            if (!row["pass"].get<bool>())
                grid_differ += row["name"].get<std::string>() + ": " + row["message"].get<std::string>() + "\n";
        }
    // Attach mode plays no upstream fault: the 35 auth rows and the two health rows of a working upstream.
    EXPECT_EQ(rows, 37) << r.output;
    EXPECT_TRUE(grid_differ.empty()) << "grid rows not as observed:\n" << grid_differ;
}

// `--update-expectations` must not turn an observed table back into predictions: the matrix predicts
// antigravity-tools' cells, and its observed table (here a copy in a later fixtures layer) stays byte for byte; the
// same table marked as predicted is rewritten, and a row's note survives while its answer does not change.
TEST(ObservedTables, PredictionsNeverOverwriteThem) {
    const fs::path layer = fs::temp_directory_path() / ("routecheck-observed-layer-" + std::to_string(::getpid()));
    fs::remove_all(layer);
    fs::create_directories(layer / "expected");
    const fs::path table = layer / "expected/antigravity-tools.json";
    const std::string observed = slurp(kRepo / "fixtures/expected/antigravity-tools.json");
    ASSERT_NE(observed.find("\"provenance\": \"observed:"), std::string::npos);
    std::ofstream(table) << observed;
    const std::string args =
        "--proxy antigravity-tools --client claude-code --no-grids --update-expectations "
        "--override --fixtures '" +
        layer.string() + "'";
    RunResult r = run_routecheck(args, "observed-kept");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(slurp(table), observed) << "a prediction rewrote the observed table";

    json doc = json::parse(observed);
    doc["provenance"] = "predicted from source";
    doc["cells"]["claude-code"]["root"][0]["note"] = "kept while the answer stays";
    doc["cells"]["claude-code"]["root"][0]["status"] = 599;  // not what the contract predicts
    doc["cells"]["claude-code"]["v1"][0]["note"] = "kept while the answer stays";
    std::ofstream(table) << doc.dump();
    r = run_routecheck(args, "predicted-rewritten");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    json after = read_json_file(table);
    EXPECT_EQ(after["provenance"], "predicted from source");
    const json& root_row = after["cells"]["claude-code"]["root"][0];
    EXPECT_NE(root_row["status"], 599) << root_row.dump();
    EXPECT_FALSE(root_row.contains("note")) << "the answer changed, so its note went: " << root_row.dump();
    EXPECT_EQ(after["cells"]["claude-code"]["v1"][0].value("note", ""), "kept while the answer stays")
        << after["cells"]["claude-code"]["v1"][0].dump();
    EXPECT_EQ(after["cells"]["codex-cli"], doc["cells"]["codex-cli"]) << "cells outside the run are kept";
    fs::remove_all(layer);
}

}  // namespace
