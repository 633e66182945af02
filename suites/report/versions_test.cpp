// The version comparison (report_versions.cpp): two launched proxies of one package, cell by cell.
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
        r.cells.push_back(newer ? cell(proxy, "genai-node", "root", CellVerdict::Pass, Diagnosis::Ok,
                                       {step("generate", "POST /v1beta/models/m:generateContent", 200, Diagnosis::Ok)})
                                : cell(proxy, "genai-node", "root", CellVerdict::Pass, Diagnosis::AuthMissing,
                                       {step("generate", "POST /v1beta/models/m:generateContent", 401,
                                             Diagnosis::AuthMissing)}));
        // same class, different status: still a change
        r.cells.push_back(cell(proxy, "codex-cli", "v1beta", CellVerdict::Pass, Diagnosis::NoRoute,
                               {step("prompt.responses", "POST /v1beta/responses", newer ? 0 : 404, Diagnosis::NoRoute)}));
    }
    r.cells.push_back(cell("other", "claude-code", "root", CellVerdict::Pass, Diagnosis::Ok,
                           {step("prompt.messages", "POST /v1/messages", 200, Diagnosis::Ok)}));
    return r;
}

TEST(VersionComparison, PairsVersionsOfOnePackageAndListsChangedCells) {
    const auto v = version_comparisons(two_versions());
    ASSERT_EQ(v.size(), 1u);  // "other" has one version only
    EXPECT_EQ(v[0].package, "@x/router");
    EXPECT_EQ(v[0].from_id, "ccr-old");
    EXPECT_EQ(v[0].from_version, "1.9.2");
    EXPECT_EQ(v[0].to_id, "ccr-new");
    EXPECT_EQ(v[0].same, 1);
    ASSERT_EQ(v[0].changed.size(), 2u);
    EXPECT_EQ(v[0].changed[0].client, "genai-node");
    EXPECT_EQ(v[0].changed[0].from, "AUTH_MISSING 401");
    EXPECT_EQ(v[0].changed[0].to, "works 200");
    EXPECT_FALSE(v[0].changed[0].works_before);
    EXPECT_TRUE(v[0].changed[0].works_after);
    EXPECT_EQ(v[0].changed[1].client, "codex-cli");
    EXPECT_EQ(v[0].changed[1].from, "NO_ROUTE 404");
    EXPECT_EQ(v[0].changed[1].to, "NO_ROUTE 0");
}

TEST(VersionComparison, ShowsInEveryReportFile) {
    const MatrixReport r = two_versions();
    const auto j = matrix_json(r);
    ASSERT_EQ(j["versions"].size(), 1u);
    EXPECT_EQ(j["versions"][0]["from"]["version"], "1.9.2");
    EXPECT_EQ(j["versions"][0]["changed"].size(), 2u);
    const std::string md = summary_markdown(r);
    EXPECT_NE(md.find("## @x/router 1.9.2 → 1.10.0 (ccr-old → ccr-new)"), std::string::npos) << md;
    EXPECT_NE(md.find("- genai-node (`root`): AUTH_MISSING 401 → works 200"), std::string::npos) << md;
    EXPECT_NE(md.find("1 now work, 0 no longer work"), std::string::npos) << md;
    const std::string html = index_html(r);
    EXPECT_NE(html.find("<section class=\"versions\">"), std::string::npos);
    EXPECT_NE(html.find("AUTH_MISSING 401"), std::string::npos);
}

TEST(VersionComparison, NoneWithoutTwoVersionsOrWhenOneCouldNotRun) {
    MatrixReport r = two_versions();
    r.proxies[0].error = "could not start";
    EXPECT_TRUE(version_comparisons(r).empty());
    EXPECT_TRUE(version_comparisons(sample::report()).empty());
    EXPECT_EQ(matrix_json(sample::report())["versions"], nlohmann::json::array());
}

}  // namespace
