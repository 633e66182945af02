// Comparing two sets of cells (issue 19 item 3): compare_cells, matrix.json read back, the renderings, the report's
// "changed since the last run", and `routecheck diff` with its exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "launch/tempdir.hpp"
#include "model/json_access.hpp"
#include "report/report.hpp"
#include "sample_report.hpp"
#include "text/utf8.hpp"

namespace {

using namespace routecheck;
namespace fs = std::filesystem;

CellOutcome outcome(const std::string& proxy, const std::string& client, const std::string& variant,
                    const std::string& cls, std::vector<std::string> statuses) {
    return {proxy, client, variant, cls, cls == "OK", std::move(statuses), "", cls == "OK" ? "" : "fix it"};
}

TEST(CompareCells, ClassOrStatusChangesCountTheRestIsUnchanged) {
    std::vector<CellOutcome> before = {
        outcome("p", "a", "root", "OK", {"200"}), outcome("p", "a", "v1", "NO_ROUTE", {"404"}),
        outcome("p", "b", "v1", "NO_ROUTE", {"404"}), outcome("q", "a", "root", "AUTH_MISSING", {"401"}),
        outcome("q", "gone", "root", "OK", {"200"})};
    std::vector<CellOutcome> after = before;
    after.pop_back();
    after[1] = outcome("p", "a", "v1", "OK", {"200"});        // class and status
    after[2] = outcome("p", "b", "v1", "NO_ROUTE", {"405"});  // status only
    after[3].fix = "another fix text";                        // only the fix: not a change
    after.push_back(outcome("q", "new", "root", "OK", {"200"}));
    CellComparison c = compare_cells(before, after);
    ASSERT_EQ(c.changed.size(), 2u);
    EXPECT_EQ(c.changed[0].after.id(), "p.a.v1");
    EXPECT_EQ(c.changed[0].before.text(), "NO_ROUTE 404");
    EXPECT_EQ(c.changed[0].after.text(), "works 200");
    EXPECT_EQ(c.changed[1].after.id(), "p.b.v1");
    EXPECT_EQ(c.unchanged_total(), 2);
    EXPECT_EQ(c.unchanged["p"], 1);
    EXPECT_EQ(c.unchanged["q"], 1);
    ASSERT_EQ(c.only_before.size(), 1u);
    EXPECT_EQ(c.only_before[0].id(), "q.gone.root");
    ASSERT_EQ(c.only_after.size(), 1u);
    EXPECT_EQ(c.only_after[0].id(), "q.new.root");
    EXPECT_TRUE(c.any_change());
    EXPECT_FALSE(compare_cells(before, before).any_change());

    c.before_label = "OLD";
    c.after_label = "NEW";
    const std::string text = comparison_text(c);
    EXPECT_NE(
        text.find(
            "OLD -> NEW: 2 cells changed (1 now work, 0 no longer work), 2 unchanged, 1 only in OLD, 1 only in NEW"),
        std::string::npos)
        << text;
    // Grouped: the proxy, then its client, then the variant's change.
    EXPECT_NE(
        text.find(
            "p: 2 changed, 1 unchanged\n  a\n    v1: NO_ROUTE 404 -> works 200\n  b\n    v1: NO_ROUTE 404 -> NO_ROUTE 405\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("  gone\n    only before: root"), std::string::npos) << text;
    const std::string md = comparison_markdown(c, "Changed");
    EXPECT_NE(md.find("### p (2 changed, 1 unchanged)"), std::string::npos) << md;
    EXPECT_NE(md.find("- a `v1`: NO_ROUTE 404 → works 200"), std::string::npos) << md;
    const std::string html = comparison_html(c, "Changed", "changed");
    EXPECT_NE(html.find("<section class=compare id=\"changed\">"), std::string::npos);
    EXPECT_NE(html.find("<b class=glyph>R</b> no route</span> <code>NO_ROUTE</code>"), std::string::npos) << html;
    const auto j = comparison_json(c);
    EXPECT_EQ(j["changed"].size(), 2u);
    EXPECT_EQ(j["now_work"], 1);
    EXPECT_EQ(j["only_before"][0], "q.gone.root");
}

TEST(CompareCells, MatrixJsonReadsBackAsTheSameOutcomes) {
    const MatrixReport r = sample::report();
    const auto from_json = outcomes_from_matrix_json(matrix_json(r), "m.json");
    const auto in_memory = outcomes_of(r.cells);
    ASSERT_EQ(from_json.size(), in_memory.size());
    for (std::size_t i = 0; i < in_memory.size(); ++i) {
        EXPECT_EQ(from_json[i].id(), in_memory[i].id());
        EXPECT_EQ(from_json[i].text(), in_memory[i].text()) << in_memory[i].id();
    }
    EXPECT_EQ(in_memory[3].text(), "NOT_LISTENING refused");
    EXPECT_FALSE(compare_cells(from_json, in_memory).any_change());
}

TEST(CompareCells, ADocumentThatIsNoMatrixReportNamesFileAndPointer) {
    try {
        outcomes_from_matrix_json(nlohmann::json{{"tool", "x"}}, "old.json");
        FAIL() << "no error";
    } catch (const FixtureError& e) {
        EXPECT_NE(std::string(e.what()).find("old.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("no \"cells\" array"), std::string::npos) << e.what();
    }
    nlohmann::json doc = matrix_json(sample::report());
    doc["cells"][2]["verdict"].erase("class");
    try {
        outcomes_from_matrix_json(doc, "new.json");
        FAIL() << "no error";
    } catch (const FixtureError& e) {
        EXPECT_EQ(e.file(), "new.json");
        EXPECT_EQ(e.pointer(), "/cells/2/verdict/class") << e.what();
    }
}

TEST(CompareCells, TheReportShowsWhatChangedSinceTheLastRun) {
    MatrixReport r = sample::report();
    MatrixReport before = sample::report();
    before.cells[0] =
        sample::cell("px", "claude-code", "root", CellVerdict::Pass, Diagnosis::NoRoute,
                     {sample::step("prompt.messages", "POST /v1/messages?beta=true", 404, Diagnosis::NoRoute)});
    r.since_previous = compare_cells(outcomes_of(before.cells), outcomes_of(r.cells));
    r.since_previous->before_label = "run of 2026-11-26T08:00:00Z";
    r.since_previous->after_label = "this run";
    const std::string html = index_html(r), md = summary_markdown(r);
    EXPECT_NE(html.find("<b>Changed since the last run</b> (run of 2026-11-26T08:00:00Z): 1 cell changed, 4 unchanged"),
              std::string::npos);
    EXPECT_NE(html.find("id=\"changed\""), std::string::npos);
    EXPECT_NE(md.find("## Changed since the last run"), std::string::npos) << md;
    EXPECT_NE(md.find("- claude-code `root`: NO_ROUTE 404 → works 200"), std::string::npos) << md;
    const auto j = matrix_json(r);
    EXPECT_EQ(j["changed_since_previous"]["changed"].size(), 1u);
    // No previous run: the header says so, and matrix.json has null.
    MatrixReport none = sample::report();
    none.previous_note = "no earlier run in out";
    EXPECT_NE(index_html(none).find("<b>Changed since the last run:</b> no earlier run in out"), std::string::npos);
    EXPECT_TRUE(matrix_json(none)["changed_since_previous"].is_null());
}

struct CliRun {
    int exit = -1;
    std::string out;
};

CliRun routecheck(const std::string& args) {
    CliRun r;
    FILE* p = popen((std::string("'") + ROUTECHECK_BIN + "' " + args + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    int status = pclose(p);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

TEST(DiffCommand, ExitCodesAndFilesNamedInErrors) {
    launch::TempDir tmp("rc-diff-");
    const fs::path a = tmp.path() / "a.json", b = tmp.path() / "b.json", junk = tmp.path() / "junk.json";
    MatrixReport before = sample::report(), after = sample::report();
    after.cells[1] = sample::cell("px", "claude-code", "v1", CellVerdict::Pass, Diagnosis::Ok,
                                  {sample::step("prompt.messages", "POST /v1/messages?beta=true", 200, Diagnosis::Ok)});
    std::ofstream(a) << safe_dump(matrix_json(before));
    std::ofstream(b) << safe_dump(matrix_json(after));
    std::ofstream(junk) << "{\"cells\": [{\"proxy\": \"p\"}]}";

    CliRun same = routecheck("diff '" + a.string() + "' '" + a.string() + "'");
    EXPECT_EQ(same.exit, 0) << same.out;
    EXPECT_NE(same.out.find("0 cells changed"), std::string::npos) << same.out;

    const fs::path out = tmp.path() / "diff-out";
    CliRun changed = routecheck("diff '" + a.string() + "' '" + b.string() + "' --out '" + out.string() + "'");
    EXPECT_EQ(changed.exit, 1) << changed.out;
    EXPECT_NE(changed.out.find("1 cell changed (1 now work, 0 no longer work), 4 unchanged"), std::string::npos)
        << changed.out;
    EXPECT_NE(changed.out.find("px: 1 changed, 3 unchanged\n  claude-code\n    v1: DUPLICATE_PREFIX 404 -> works 200"),
              std::string::npos)
        << changed.out;
    for (const char* f : {"diff.md", "diff.html", "diff.json"}) EXPECT_TRUE(fs::exists(out / f)) << f;
    std::ifstream html(out / "diff.html");
    std::stringstream hs;
    hs << html.rdbuf();
    EXPECT_NE(hs.str().find("data-client=\"claude-code\""), std::string::npos);

    CliRun missing = routecheck("diff '" + a.string() + "' '" + (tmp.path() / "nope.json").string() + "'");
    EXPECT_EQ(missing.exit, 2) << missing.out;
    EXPECT_NE(missing.out.find((tmp.path() / "nope.json").string()), std::string::npos) << missing.out;
    CliRun bad = routecheck("diff '" + junk.string() + "' '" + a.string() + "'");
    EXPECT_EQ(bad.exit, 2) << bad.out;
    EXPECT_NE(bad.out.find(junk.string()), std::string::npos) << bad.out;
    EXPECT_NE(bad.out.find("/cells/0/client"), std::string::npos) << bad.out;
    CliRun one = routecheck("diff '" + a.string() + "'");
    EXPECT_EQ(one.exit, 2) << one.out;
    EXPECT_NE(one.out.find("two matrix.json files"), std::string::npos) << one.out;
}

}  // namespace

namespace {

using namespace routecheck;

TEST(VersionPairs, TwoVersionsOfOneClientPackageAndModeAreComparedLikeTwoRuns) {
    MatrixReport r;
    auto client = [](const std::string& id, const std::string& version, const std::string& protocol,
                     const std::string& registry = "npm") {
        return ClientRunInfo{id, id, protocol, "@google/genai", version, registry, {"recorded", "2026-11-29", ""}};
    };
    // Listed newer first: ordered by version number (2.32.0 < 3.3.0 < 3.10.0, not as text).
    r.clients = {client("genai-10", "3.10.0", "gemini"), client("genai-3", "3.3.0", "gemini"),
                 client("genai-2", "2.32.0", "gemini"), client("genai-openai", "2.1.0", "openai"),
                 client("genai-py", "1.0.0", "gemini", "pypi")};
    using sample::cell;
    using sample::step;
    for (const char* c : {"genai-2", "genai-3", "genai-10"}) {
        const bool v1beta = std::string(c) == "genai-2";  // 2.x sends /v1beta, 3.x /v1
        r.cells.push_back(cell(
            "px", c, "root", CellVerdict::Pass, v1beta ? Diagnosis::Ok : Diagnosis::NoRoute,
            {step("generate", v1beta ? "POST /v1beta/models/m:generateContent" : "POST /v1/models/m:generateContent",
                  v1beta ? 200 : 404, v1beta ? Diagnosis::Ok : Diagnosis::NoRoute)}));
        r.cells.push_back(
            cell("px", c, "v1", CellVerdict::Pass, Diagnosis::DuplicatePrefix,
                 {step("generate", "POST /v1/v1/models/m:generateContent", 404, Diagnosis::DuplicatePrefix)}));
    }
    const auto pairs = version_pairs(r);
    ASSERT_EQ(pairs.size(), 2u) << "another mode (openai) or registry (pypi) is not a version of the same client";
    EXPECT_EQ(pairs[0].kind, "client");
    EXPECT_EQ(pairs[0].from_id, "genai-2");
    EXPECT_EQ(pairs[0].to_id, "genai-3");
    EXPECT_EQ(pairs[1].from_id, "genai-3");
    EXPECT_EQ(pairs[1].to_id, "genai-10");
    ASSERT_EQ(pairs[0].cells.changed.size(), 1u);
    EXPECT_EQ(pairs[0].cells.changed[0].after.variant, "root");
    EXPECT_EQ(pairs[0].cells.changed[0].before.text(), "works 200");
    EXPECT_EQ(pairs[0].cells.changed[0].after.text(), "NO_ROUTE 404");
    EXPECT_EQ(pairs[0].cells.unchanged_total(), 1);
    EXPECT_FALSE(pairs[1].cells.any_change());
    // In every report file, rendered by the same code as a diff of two runs.
    EXPECT_NE(index_html(r).find("@google/genai 2.32.0 → 3.3.0 (clients genai-2 → genai-3)"), std::string::npos);
    EXPECT_NE(summary_markdown(r).find("- @google/genai `root`: works 200 → NO_ROUTE 404"), std::string::npos)
        << summary_markdown(r);
    EXPECT_EQ(matrix_json(r)["versions"][0]["comparison"]["no_longer_work"], 1);
    EXPECT_TRUE(version_less("1.0.73", "3.1.1"));
    EXPECT_TRUE(version_less("v4.5.8", "v4.10.0"));
    EXPECT_FALSE(version_less("3.1.1", "3.1.1"));
}

TEST(VersionPairs, TwoLaunchedVersionsOfOneProxyPackage) {
    MatrixReport r;
    ProxyRunInfo a, b;
    a.id = "ccr";
    b.id = "ccr-3";
    a.provenance = b.provenance = "launched";
    a.package = b.package = "@musistudio/claude-code-router";
    a.version = "1.0.73";
    b.version = "3.1.1";
    r.proxies = {b, a};
    r.cells.push_back(sample::cell("ccr", "claude-code", "root", CellVerdict::Pass, Diagnosis::AuthMissing,
                                   {sample::step("m", "POST /v1/messages", 401, Diagnosis::AuthMissing)}));
    r.cells.push_back(sample::cell("ccr-3", "claude-code", "root", CellVerdict::Pass, Diagnosis::Ok,
                                   {sample::step("m", "POST /v1/messages", 200, Diagnosis::Ok)}));
    const auto pairs = version_pairs(r);
    ASSERT_EQ(pairs.size(), 1u);
    EXPECT_EQ(pairs[0].kind, "proxy");
    EXPECT_EQ(pairs[0].cells.before_label, "ccr 1.0.73");
    ASSERT_EQ(pairs[0].cells.changed.size(), 1u);
    EXPECT_EQ(pairs[0].cells.changed[0].after.client, "claude-code");
    r.proxies[0].error = "could not start";
    EXPECT_TRUE(version_pairs(r).empty()) << "a version that did not run is compared with nothing";
}

}  // namespace
