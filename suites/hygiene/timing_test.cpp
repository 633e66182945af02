// Issue 21.7 through the built `routecheck`: a streaming verdict holds under load. Several runs at once against a
// proxy that streams (data/test_proxy.cjs relay: each piece of the upstream's answer written on as it comes) but
// is slow to start each answer, as a loaded machine makes any proxy: the dribbled stream's verdict compares when
// the client got its first event with when the mock upstream sent each frame (its journal), so none is judged
// BUFFERED. Today's main compared the first event's share of the whole answer's time: every run said BUFFERED.
#include <gtest/gtest.h>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

void add_relay(const Scratch& s, const std::string& id, int delay_ms) {
    nlohmann::json p = {
        {"id", id},
        {"name", id},
        {"provenance", "launched"},
        {"launch",
         {{"command", {"node", test_proxy_script().string(), "relay", s.root().string()}},
          {"env", {{"PORT", "{port}"}, {"UPSTREAM", "{upstream}"}, {"RELAY_DELAY_MS", std::to_string(delay_ms)}}},
          {"ready_path", "/health"},
          {"preload", false}}},
        {"upstream", {{"protocols", {"openai"}}}},
        {"health", {{"path", "/health"}}},
        {"capabilities", {"openai"}},
        {"routes", {{{"method", "POST"}, {"path", "/v1/chat/completions"}}, {{"method", "GET"}, {"path", "/health"}}}}};
    s.write("proxies/" + id + ".json", p.dump(2));
}

TEST(TimingUnderLoad, ConcurrentRunsNeverJudgeAStreamingProxyBuffered) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    // 2 s before each answer starts; the mock then dribbles the stream's frames 400 ms apart (about 1.2 s).
    add_relay(scratch, "hyg-relay", 2000);
    constexpr int kRuns = 6;
    std::vector<std::unique_ptr<Routecheck>> runs;
    for (int i = 0; i < kRuns; ++i) {
        const fs::path out = scratch.root() / ("out" + std::to_string(i));
        runs.push_back(std::make_unique<Routecheck>(
            std::vector<std::string>{"matrix", "--fixtures", scratch.fixtures().string(), "--proxy", "hyg-relay",
                                     "--client", "claude-code", "--variant", "v1", "--grids", "--out", out.string()},
            scratch.log("run" + std::to_string(i))));
    }
    int judged = 0;
    for (int i = 0; i < kRuns; ++i) {
        ASSERT_TRUE(runs[i]->wait(90s)) << "hang\n" << runs[i]->describe();
        const auto grids =
            nlohmann::json::parse(read_file(scratch.root() / ("out" + std::to_string(i)) / "grids.json"));
        for (const auto& row : grids["proxies"][0]["rows"]) {
            const std::string name = row["row"];
            if (name != "openai.dribble" && name != "openai.ok") continue;
            ++judged;
            EXPECT_EQ(row["verdict"], "STREAM_OK")
                << "run " << i << " " << name << ": " << row["detail"] << "\n"
                << "first event " << row["first_event_ms"] << " ms of " << row["total_ms"] << " ms";
            if (name == "openai.dribble") {
                EXPECT_NE(row.value("detail", "").find("the upstream sent its"), std::string::npos) << row["detail"];
            }
        }
    }
    EXPECT_EQ(judged, 2 * kRuns) << "each run has an openai.ok and an openai.dribble row";
    auto left = leftovers(scratch.root().string());
    EXPECT_TRUE(left.empty()) << describe(left);
    kill_all(left);
}

}  // namespace
