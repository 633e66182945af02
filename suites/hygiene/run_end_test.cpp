// Issue 21.3 through the built `routecheck`: every run ends, and says how it is going. A proxy that stops
// answering (health fine, every other request stalls) is found after a few timeouts in a row and its remaining
// cells are "not run"; a run has a deadline; a long run prints its progress; an answer of any size is read in one
// pass with a cap; a proxy that prints a lot costs the harness no memory for it.
#include <gtest/gtest.h>

#include <regex>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

class RunEnds : public testing::Test {
protected:
    void SetUp() override {
        if (!have_node()) GTEST_SKIP() << "node is not installed";
    }
    // Two clients at every variant: 20 cells, each a step or two.
    std::vector<std::string> args(const std::string& proxy, std::vector<std::string> more) const {
        std::vector<std::string> a = {"matrix",
                                      "--fixtures",
                                      scratch.fixtures().string(),
                                      "--proxy",
                                      proxy,
                                      "--client",
                                      "claude-code",
                                      "--client",
                                      "openai-node",
                                      "--out",
                                      scratch.out().string()};
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }
    nlohmann::json report() const { return nlohmann::json::parse(read_file(scratch.out() / "matrix.json")); }
    void expect_no_leftovers() {
        auto left = leftovers(scratch.root().string());
        EXPECT_TRUE(left.empty()) << "processes left behind:" << describe(left);
        kill_all(left);
        EXPECT_TRUE(temp_dirs_in(scratch.out() / "run").empty());
    }
    // Cells whose error starts with `prefix`.
    std::size_t cells_with(const nlohmann::json& m, const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& c : m["cells"]) n += c.value("error", "").rfind(prefix, 0) == 0 ? 1 : 0;
        return n;
    }
    Scratch scratch;
};

// Today's main: every request waits out its 15 s, the default selection of such a proxy takes 36 minutes and ends
// "complete": true. Now: 3 timeouts in a row, the rest "not run", the grids skipped, the report incomplete.
TEST_F(RunEnds, ProxyThatStopsAnsweringIsFoundAndTheRestIsNotRun) {
    scratch.add_test_proxy("hyg-stall", "stall");
    auto r = run_routecheck(args("hyg-stall", {"--request-timeout", "1", "--grids"}), scratch.log("run"), 60s);
    ASSERT_TRUE(r.in_time) << "hang\n" << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("hyg-stall: proxy stopped answering (3 requests in a row had no answer within 1000 ms)"),
              std::string::npos)
        << r.output;
    const auto m = report();
    EXPECT_EQ(m["complete"], false);
    const std::size_t not_run = cells_with(m, "not run: proxy stopped answering");
    EXPECT_GE(not_run, 10u) << m["cells"].dump().substr(0, 2000);
    EXPECT_EQ(m["cells"].size(), 20u) << "every cell is in the report";
    const auto grids = nlohmann::json::parse(read_file(scratch.out() / "grids.json"));
    EXPECT_EQ(grids["proxies"][0].value("error", ""),
              "not run: proxy stopped answering (3 requests in a row had no "
              "answer within 1000 ms)");
    expect_no_leftovers();
}

// A proxy may never answer websocket upgrades and still answer everything else (claude-code-router 3 at an unknown
// path): Codex's seven upgrade attempts per cell, all timing out, are not "stopped answering".
TEST_F(RunEnds, UnansweredWebsocketAttemptsAreNotAStall) {
    scratch.add_test_proxy("hyg-noup", "no-upgrade");
    auto r = run_routecheck({"matrix", "--fixtures", scratch.fixtures().string(), "--proxy", "hyg-noup", "--client",
                             "codex-cli-openai", "--variant", "v1", "--variant", "root", "--no-grids",
                             "--request-timeout", "1", "--out", scratch.out().string()},
                            scratch.log("run"), 60s);
    ASSERT_TRUE(r.in_time) << r.output;
    const auto m = report();
    EXPECT_EQ(m["complete"], true) << r.output;
    EXPECT_EQ(cells_with(m, "not run"), 0u) << r.output;
    for (const auto& c : m["cells"]) EXPECT_EQ(c["steps"].size(), 8u) << c.dump().substr(0, 400);
    expect_no_leftovers();
}

// The whole run has a deadline: a proxy whose answers take 2 s each cannot hold it past --deadline; the cells not
// run say why, the report is incomplete, and nothing is left behind.
TEST_F(RunEnds, DeadlineEndsTheRunWithAnIncompleteReport) {
    scratch.add_test_proxy("hyg-slow", "spawn-slow");
    const auto t0 = std::chrono::steady_clock::now();
    auto r = run_routecheck(args("hyg-slow", {"--deadline", "3"}), scratch.log("run"), 60s);
    ASSERT_TRUE(r.in_time) << "hang\n" << r.output;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 30s) << "20 cells x 2 s / 2 jobs would take 20 s";
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("hyg-slow: the run's deadline (3 s) passed"), std::string::npos) << r.output;
    const auto m = report();
    EXPECT_EQ(m["complete"], false);
    EXPECT_GE(cells_with(m, "not run: the run's deadline (3 s) passed"), 10u);
    expect_no_leftovers();
}

TEST_F(RunEnds, DeadlineDefaultScalesWithTheCells) {
    scratch.add_test_proxy("hyg-serve", "serve");
    auto r = run_routecheck(args("hyg-serve", {"--no-grids"}), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_NE(r.output.find("= 20 cells, no behaviour grids; deadline 130 s"), std::string::npos) << "120 + 20 / 2\n"
                                                                                                  << r.output;
    auto bad = run_routecheck(args("hyg-serve", {"--deadline", "0"}), scratch.log("bad"));
    EXPECT_EQ(bad.code, 2) << bad.output;
    EXPECT_NE(bad.output.find("--deadline takes a whole number from 1"), std::string::npos) << bad.output;
}

// --progress (a file or CI log: a line every 10 s, after 2 quiet seconds): cells done / total per proxy. Without
// it and without a terminal, no progress line.
TEST_F(RunEnds, ProgressSaysHowItIsGoing) {
    scratch.add_test_proxy("hyg-slow", "spawn-slow");
    // claude-code's one step at 4 variants (v1 and these), 2 at a time, 2 s each: a run of about 4 s.
    const std::vector<std::string> four = {"--variant", "root", "--variant", "v1-slash", "--variant", "root-slash"};
    auto with_flag = four;
    with_flag.push_back("--progress");
    auto r = run_routecheck(scratch.matrix_args("hyg-slow", with_flag), scratch.log("run"), 60s);
    ASSERT_TRUE(r.in_time) << r.output;
    const std::regex line(R"(routecheck: \d+ s: \d/4 cells; hyg-slow \d/4)");
    EXPECT_TRUE(std::regex_search(r.output, line)) << r.output;
    auto quiet = run_routecheck(scratch.matrix_args("hyg-slow", four), scratch.log("quiet"), 60s);
    ASSERT_TRUE(quiet.in_time) << quiet.output;
    EXPECT_FALSE(std::regex_search(quiet.output, line)) << quiet.output;
    // On a terminal (script(1) gives it one; bsdutils is an essential Debian package) without the flag: one line
    // rewritten in place, cleared before the next message.
    std::string command = ROUTECHECK_BIN;
    for (const auto& a : scratch.matrix_args("hyg-slow", four)) command += " '" + a + "'";
    routecheck::launch::ProcessSpec spec{{"/usr/bin/script", "-qefc", command, "/dev/null"},
                                         routecheck::launch::minimal_environment(),
                                         {},
                                         scratch.log("tty")};
    routecheck::launch::ChildProcess tty(spec);
    ASSERT_TRUE(tty.wait_exit(60s)) << read_file(scratch.log("tty"));
    const std::string shown = read_file(scratch.log("tty"));
    EXPECT_TRUE(std::regex_search(shown, std::regex("\r\x1b\\[Kroutecheck: \\d+ s: \\d/4 cells; hyg-slow \\d/4")))
        << shown;
}

class BodyAndLog : public RunEnds {
protected:
    // One attach-mode cell against a test server in `mode` with `env`; the run's matrix.json.
    nlohmann::json attach(const std::string& mode, const std::map<std::string, std::string>& env = {}) {
        TestServer server(mode, scratch.root(), env);
        auto r =
            run_routecheck({"matrix", "--attach", "antigravity-claude-proxy=" + server.url(), "--client", "claude-code",
                            "--variant", "v1", "--no-grids", "--allow-quota", "--out", scratch.out().string()},
                           scratch.log("run"), 60s);
        EXPECT_TRUE(r.in_time) << r.output;
        EXPECT_LE(r.code, 1) << r.output;
        return report();
    }
};

// Reading an answer is linear in its size and costs no memory for its length: a body without a newline used to be
// kept whole (and searched again on every chunk). The harness's peak memory grows by less than 16 MiB between a
// 8 MiB and a 56 MiB body (today's main: by more than the 48 MiB difference).
TEST_F(BodyAndLog, LongAnswerWithoutNewlineCostsNoMemory) {
    const auto small = attach("huge-body", {{"BODY_MB", "8"}});
    const auto large = attach("huge-body", {{"BODY_MB", "56"}});
    EXPECT_EQ(small["cells"][0]["steps"][0]["body_bytes"], 8u << 20);
    EXPECT_EQ(large["cells"][0]["steps"][0]["body_bytes"], 56u << 20);
    const long grew = large["harness_max_rss_kb"].get<long>() - small["harness_max_rss_kb"].get<long>();
    EXPECT_LT(grew, 16 * 1024) << "peak memory grew by " << grew << " KiB for 48 MiB more body";
}

// An answer that never ends is read up to the cap (64 MiB), then the harness stops reading: the step keeps its 200
// and says why it stopped (today's main: it reads until the 15 s timeout and reports a timeout).
TEST_F(BodyAndLog, EndlessAnswerStopsAtTheCap) {
    const auto m = attach("endless");
    const auto& step = m["cells"][0]["steps"][0];
    EXPECT_EQ(step["status"], 200) << step.dump().substr(0, 500);
    EXPECT_EQ(step["body_bytes"], 64u << 20);
    EXPECT_EQ(step["error"], "none");
    EXPECT_NE(step.value("error_text", "").find("stopped reading after 67108864 bytes"), std::string::npos);
}

// A proxy that prints a lot: the kept log is redacted as it is written and once more after the stop, a block at a
// time. The harness's peak memory grows by less than 32 MiB between a 32 MiB and a 160 MiB log (today's main: the
// whole log and a redacted copy, twice the 128 MiB difference). No key in the kept log.
TEST_F(BodyAndLog, ProxyPrintingALotCostsNoMemory) {
    auto run = [&](const std::string& mb, const std::string& name) {
        scratch.add_test_proxy("hyg-flood", "flood", 30000, "rc-hyg-key-1", {{"FLOOD_MB", mb}});
        auto r = run_routecheck(scratch.matrix_args("hyg-flood", {"--keep-artifacts"}), scratch.log(name), 120s);
        EXPECT_TRUE(r.in_time) << r.output;
        const auto m = report();
        const fs::path log = scratch.out() / "run" / "hyg-flood.log";
        EXPECT_GE(fs::file_size(log), (std::stoul(mb) << 20) / 10 * 9);  // "[redacted]" is 2 bytes shorter
        std::ifstream in(log, std::ios::binary);
        std::string block(1 << 20, '\0');
        bool key = false;
        while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
            key = key || std::string_view(block.data(), static_cast<std::size_t>(in.gcount())).find("rc-hyg-key-1") !=
                             std::string_view::npos;
            if (in.gcount() < static_cast<std::streamsize>(block.size())) break;
        }
        EXPECT_FALSE(key) << "the key reached the kept log";
        fs::remove_all(scratch.out());
        return m["harness_max_rss_kb"].get<long>();
    };
    const long small = run("32", "small");
    const long large = run("160", "large");
    EXPECT_LT(large - small, 32 * 1024) << "peak memory grew by " << large - small << " KiB for 128 MiB more log";
}

}  // namespace
