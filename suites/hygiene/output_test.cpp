// What a run leaves and says (issue 19 items 2, 3, 5): a line per proxy and a line per cell that fails the run,
// --fail-on, the grids of a filtered run, the run folder replaced by the next run and linked from the report, no
// lock file after the run, the previous run's matrix.json kept and compared, the default report folder ignored by
// git.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

nlohmann::json read_json(const fs::path& p) { return nlohmann::json::parse(read_file(p)); }

int count_lines_starting(const std::string& text, const std::string& prefix) {
    int n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
    return n;
}

// The source proxy's cells are predictions: nothing is launched, so these runs take well under a second.
std::vector<std::string> predicted_run(const Scratch& s, std::vector<std::string> more = {}) {
    std::vector<std::string> a = {"matrix", "--proxy", "antigravity-tools", "--out", s.out().string()};
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

TEST(TerminalAnswer, ALinePerProxyAndPerCellTheFailOnClassesName) {
    Scratch s;
    auto r = run_routecheck(predicted_run(s, {"--fail-on", "no-route,AUTH_MISSING"}), s.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    const auto m = read_json(s.out() / "matrix.json");
    int failing = 0, working = 0;
    for (const auto& c : m["cells"]) {
        const std::string cls = c["verdict"]["class"];
        if (cls == "NO_ROUTE" || cls == "AUTH_MISSING") {
            ++failing;
            // id, class, fix on one line
            const std::string fix = c["verdict"]["fix"];
            EXPECT_NE(r.output.find("  " + c["id"].get<std::string>() + "  " + cls + "  fix: " + fix.substr(0, 100)),
                      std::string::npos)
                << c["id"] << "\n"
                << r.output;
        }
        working += c["works"].get<bool>();
    }
    ASSERT_GT(failing, 0) << "the test needs cells of those classes";
    EXPECT_EQ(count_lines_starting(r.output, "  antigravity-tools."), failing) << r.output;
    EXPECT_NE(r.output.find(std::to_string(failing) + " cells fail the run (NO_ROUTE, AUTH_MISSING):"),
              std::string::npos)
        << r.output;
    const std::string cells = std::to_string(m["cells"].size());
    EXPECT_NE(r.output.find("antigravity-tools v4.5.8 (predicted): " + cells + " cells, " + std::to_string(working) +
                            " working, 0 as expected, 0 not as expected, " + cells + " predicted (not run)"),
              std::string::npos)
        << r.output;

    // Default: only cells not as expected fail the run (predictions are not): exit 0, no cell line.
    auto d = run_routecheck(predicted_run(s), s.log("default"));
    EXPECT_EQ(d.code, 0) << d.output;
    EXPECT_EQ(count_lines_starting(d.output, "  antigravity-tools."), 0) << d.output;
}

TEST(TerminalAnswer, AnUnknownFailOnClassIsAUsageErrorNamingTheFlag) {
    Scratch s;
    auto r = run_routecheck(predicted_run(s, {"--fail-on", "NO_ROUTE,NOPE"}), s.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find("--fail-on: unknown verdict class 'NOPE' (known: OK "), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(s.out() / "matrix.json")) << "nothing runs after a usage error";
}

TEST(TerminalAnswer, NotAsExpectedCellsFailTheRunByDefault) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch s;
    s.add_test_proxy("hyg-serve", "serve");  // no expected table: its cell has no expected row
    auto r = run_routecheck(s.matrix_args("hyg-serve"), s.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("hyg-serve (launched): 1 cell, "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("1 cell fails the run (not as expected):\n  hyg-serve.claude-code.v1  "), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("(no expected row)"), std::string::npos) << r.output;
    // The launched proxy's port was this run's only: the fix line names {port}, the user's proxy's port, instead.
    const auto m = read_json(s.out() / "matrix.json");
    const std::string origin = "127.0.0.1:" + std::to_string(m["proxies"][0]["port"].get<int>());
    ASSERT_NE(m["cells"][0]["verdict"]["fix"].get<std::string>().find(origin), std::string::npos)
        << "the test needs a fix that names the Base URL: " << m["cells"][0]["verdict"];
    const auto line_at = r.output.find("\n  hyg-serve.claude-code.v1  ");
    ASSERT_NE(line_at, std::string::npos) << r.output;
    const std::string line = r.output.substr(line_at + 1, r.output.find('\n', line_at + 1) - line_at - 1);
    EXPECT_EQ(line.find(origin), std::string::npos) << line;
    EXPECT_NE(line.find("fix: set ANTHROPIC_BASE_URL to http://127.0.0.1:{port}"), std::string::npos) << line;

    // --fail-on names other classes: this cell's class is not among them, so the run passes.
    auto ok = run_routecheck(s.matrix_args("hyg-serve", {"--fail-on", "NOT_LISTENING"}), s.log("ok"));
    EXPECT_EQ(ok.code, 0) << ok.output;
}

TEST(TerminalAnswer, AProxyThatCouldNotRunIsOneLineNotOnePerCell) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch s;
    s.add_test_proxy("hyg-crash", "crash");
    auto r = run_routecheck(s.matrix_args("hyg-crash", {"--variant", "root"}), s.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("  hyg-crash.*  2 cells: the proxy could not run: the proxy exited during the run"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(count_lines_starting(r.output, "  hyg-crash.claude-code."), 0) << r.output;
}

TEST(FilteredRun, RunsTheGridsOfTheSelectedProxiesOnlyWhenAsked) {
    Scratch s;
    auto plain = run_routecheck(predicted_run(s), s.log("plain"));
    ASSERT_EQ(plain.code, 0) << plain.output;
    EXPECT_FALSE(fs::exists(s.out() / "grids.json")) << "a filtered run ran the grids unasked";
    EXPECT_NE(plain.output.find("no behaviour grids"), std::string::npos) << plain.output;
    auto grids = run_routecheck(predicted_run(s, {"--grids"}), s.log("grids"));
    ASSERT_EQ(grids.code, 0) << grids.output;
    const auto g = read_json(s.out() / "grids.json");
    ASSERT_EQ(g["proxies"].size(), 1u) << g.dump().substr(0, 400);
    EXPECT_EQ(g["proxies"][0]["id"], "antigravity-tools");
    EXPECT_GT(g["proxies"][0]["rows"].size(), 0u);
    auto both = run_routecheck(predicted_run(s, {"--grids", "--no-grids"}), s.log("both"));
    EXPECT_EQ(both.code, 2) << both.output;
}

TEST(RunFolder, OneRunsLogsReplacedByTheNextLinkedFromTheReportNoLockLeft) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch s;
    s.add_test_proxy("hyg-serve", "serve");
    // What an earlier run left: a log of another proxy, a kept temp HOME (--keep-artifacts), a stray file.
    fs::create_directories(s.out() / "run" / "rc-old-proxy-Kept12" / "home");
    std::ofstream(s.out() / "run" / "old-proxy.log") << "old\n";
    std::ofstream(s.out() / "run" / "hyg-serve.log") << "the previous run's log\n";
    auto r = run_routecheck(s.matrix_args("hyg-serve"), s.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(s.out() / "run")) names.push_back(e.path().filename().string());
    EXPECT_EQ(names, std::vector<std::string>{"hyg-serve.log"}) << "the run folder holds only this run's log";
    EXPECT_EQ(read_file(s.out() / "run" / "hyg-serve.log").find("the previous run's log"), std::string::npos);
    EXPECT_FALSE(fs::exists(s.out() / ".routecheck.lock")) << "the lock file outlived the run";
    EXPECT_NE(read_file(s.out() / "index.html").find("<a href=\"run/hyg-serve.log\">log</a>"), std::string::npos);
    EXPECT_NE(read_file(s.out() / "index.html").find("<a href=\"run/\">run/</a>"), std::string::npos);
    const auto m = read_json(s.out() / "matrix.json");
    EXPECT_EQ(m["logs"], "run");
    EXPECT_EQ(m["proxies"][0]["log"], "run/hyg-serve.log");
    EXPECT_NE(r.output.find("logs of this run: " + (s.out() / "run").string() + "/"), std::string::npos) << r.output;
}

TEST(RunFolder, ThePreviousRunIsKeptAndTheReportSaysWhatChanged) {
    Scratch s;
    auto first = run_routecheck(predicted_run(s), s.log("first"));
    ASSERT_EQ(first.code, 0) << first.output;
    EXPECT_NE(first.output.find("changed since the last run: no earlier run in " + s.out().string()), std::string::npos)
        << first.output;
    // Make one cell of the first report differ, as a change in the proxy or the judge would.
    auto m = read_json(s.out() / "matrix.json");
    std::string changed_id;
    for (auto& c : m["cells"])
        if (c["verdict"]["class"] == "OK") {
            c["verdict"]["class"] = "NO_ROUTE";
            c["works"] = false;
            changed_id = c["id"];
            break;
        }
    ASSERT_FALSE(changed_id.empty());
    std::ofstream(s.out() / "matrix.json") << m.dump();
    const std::string started = m["started_at"];
    const std::string unchanged = std::to_string(m["cells"].size() - 1);
    auto second = run_routecheck(predicted_run(s), s.log("second"));
    ASSERT_EQ(second.code, 0) << second.output;
    EXPECT_NE(second.output.find("changed since the last run (run of " + started + "): 1 cell changed, " + unchanged +
                                 " unchanged"),
              std::string::npos)
        << second.output;
    EXPECT_EQ(read_json(s.out() / "previous" / "matrix.json"), m) << "the previous run's matrix.json is kept whole";
    const std::string html = read_file(s.out() / "index.html");
    EXPECT_NE(html.find("id=\"changed\""), std::string::npos);
    const auto now = read_json(s.out() / "matrix.json");
    ASSERT_EQ(now["changed_since_previous"]["changed"].size(), 1u);
    const auto& ch = now["changed_since_previous"]["changed"][0];
    EXPECT_EQ(
        ch["proxy"].get<std::string>() + "." + ch["client"].get<std::string>() + "." + ch["variant"].get<std::string>(),
        changed_id);
    // `routecheck diff` on the two kept files says the same, exit 1.
    auto diff = run_routecheck(
        {"diff", (s.out() / "previous" / "matrix.json").string(), (s.out() / "matrix.json").string()}, s.log("diff"));
    EXPECT_EQ(diff.code, 1) << diff.output;
    EXPECT_NE(diff.output.find("1 cell changed (1 now work, 0 no longer work), " + unchanged + " unchanged"),
              std::string::npos)
        << diff.output;
}

TEST(RunFolder, TheDefaultReportFoldersAreIgnoredByGit) {
    const std::string ignore = read_file(repo_root() / ".gitignore");
    std::istringstream in(ignore);
    std::set<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.insert(l);
    EXPECT_TRUE(lines.count("/routecheck-report/")) << "routecheck matrix's default --out:\n" << ignore;
    EXPECT_TRUE(lines.count("/report/")) << "scripts/main-job's report folder:\n" << ignore;
}

}  // namespace
