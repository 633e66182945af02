// The version comparison: two launched proxies of one package, cell by cell, through the one cell comparison
// (version_pairs -> compare_cells, report/compare.hpp) that `routecheck diff` and "changed since the last run" use.
#include <gtest/gtest.h>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace {

using namespace routecheck;

ProxyRunInfo launched(const std::string& id, const std::string& package, const std::string& version) {
    ProxyRunInfo p;
    p.id = p.name = id;
    p.provenance = "launched";
    p.package = package;
    p.version = version;
    return p;
}

MatrixReport two_versions() {
    MatrixReport r;
    // Listed newer first: the comparison orders them by version number (10 > 9 as numbers, not as text).
    r.proxies = {launched("ccr-new", "@x/router", "1.10.0"), launched("ccr-old", "@x/router", "1.9.2"),
                 launched("other", "other-proxy", "2.0.0")};
    using sample::cell;
    using sample::step;
    for (const char* proxy : {"ccr-old", "ccr-new"}) {
        const bool newer = std::string(proxy) == "ccr-new";
        // same in both
        r.cells.push_back(cell(proxy, "claude-code", "root", CellVerdict::Pass, Diagnosis::Ok,
                               {step("prompt.messages", "POST /v1/messages", 200, Diagnosis::Ok)}));
        // 401 before, works after
        r.cells.push_back(
            newer ? cell(proxy, "genai-node", "root", CellVerdict::Pass, Diagnosis::Ok,
                         {step("generate", "POST /v1beta/models/m:generateContent", 200, Diagnosis::Ok)})
                  : cell(proxy, "genai-node", "root", CellVerdict::Pass, Diagnosis::AuthMissing,
                         {step("generate", "POST /v1beta/models/m:generateContent", 401, Diagnosis::AuthMissing)}));
        // same class, different status: still a change
        r.cells.push_back(
            cell(proxy, "codex-cli", "v1beta", CellVerdict::Pass, Diagnosis::NoRoute,
                 {step("prompt.responses", "POST /v1beta/responses", newer ? 0 : 404, Diagnosis::NoRoute)}));
    }
    r.cells.push_back(cell("other", "claude-code", "root", CellVerdict::Pass, Diagnosis::Ok,
                           {step("prompt.messages", "POST /v1/messages", 200, Diagnosis::Ok)}));
    return r;
}

TEST(VersionComparison, PairsVersionsOfOnePackageAndListsChangedCells) {
    const auto v = version_pairs(two_versions());
    ASSERT_EQ(v.size(), 1u);  // "other" has one version only
    EXPECT_EQ(v[0].kind, "proxy");
    EXPECT_EQ(v[0].package, "@x/router");
    EXPECT_EQ(v[0].from_id, "ccr-old");
    EXPECT_EQ(v[0].from_version, "1.9.2");
    EXPECT_EQ(v[0].to_id, "ccr-new");
    EXPECT_EQ(v[0].cells.unchanged_total(), 1);
    ASSERT_EQ(v[0].cells.changed.size(), 2u);
    EXPECT_EQ(v[0].cells.changed[0].after.client, "genai-node");
    EXPECT_EQ(v[0].cells.changed[0].before.text(), "AUTH_MISSING 401");
    EXPECT_EQ(v[0].cells.changed[0].after.text(), "works 200");
    EXPECT_FALSE(v[0].cells.changed[0].before.works);
    EXPECT_TRUE(v[0].cells.changed[0].after.works);
    EXPECT_EQ(v[0].cells.changed[1].after.client, "codex-cli");
    EXPECT_EQ(v[0].cells.changed[1].before.text(), "NO_ROUTE 404");
    EXPECT_EQ(v[0].cells.changed[1].after.text(), "NO_ROUTE no answer");
}

TEST(VersionComparison, ShowsInEveryReportFile) {
    const MatrixReport r = two_versions();
    const auto j = matrix_json(r);
    ASSERT_EQ(j["versions"].size(), 1u);
    EXPECT_EQ(j["versions"][0]["from"]["version"], "1.9.2");
    EXPECT_EQ(j["versions"][0]["comparison"]["changed"].size(), 2u);
    const std::string md = summary_markdown(r);
    EXPECT_NE(md.find("## @x/router 1.9.2 → 1.10.0 (proxies ccr-old → ccr-new)"), std::string::npos) << md;
    EXPECT_NE(md.find("- genai-node `root`: AUTH_MISSING 401 → works 200"), std::string::npos) << md;
    EXPECT_NE(md.find("(1 now work, 0 no longer work)"), std::string::npos) << md;
    const std::string html = index_html(r);
    EXPECT_NE(html.find("<section class=compare id=\"versions-1\">"), std::string::npos);
    EXPECT_NE(html.find("AUTH_MISSING</code> <span class=st>401</span>"), std::string::npos);
}

TEST(VersionComparison, NoneWithoutTwoVersionsOrWhenOneCouldNotRun) {
    MatrixReport r = two_versions();
    r.proxies[0].error = "could not start";
    EXPECT_TRUE(version_pairs(r).empty());
    EXPECT_TRUE(version_pairs(sample::report()).empty());
    EXPECT_EQ(matrix_json(sample::report())["versions"], nlohmann::json::array());
}

// A matrix.json (one run's, or shards merged by scripts/merge-reports) gives the same pairs as the run in memory.
TEST(VersionComparison, TheSamePairsFromMatrixJson) {
    const MatrixReport r = two_versions();
    EXPECT_EQ(version_pairs_json(version_pairs_of_matrix_json(matrix_json(r), "m.json")), matrix_json(r)["versions"]);
}

}  // namespace
