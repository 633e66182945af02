// index.html from a hand-built report: escaping, one element per cell, legend, prediction marking, the banner.
#include <gtest/gtest.h>

#include <regex>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace {

using namespace routecheck;

// The opening tag of the element carrying data-cell="<id>".
std::string cell_tag(const std::string& html, const std::string& id) {
    auto at = html.find("data-cell=\"" + id + "\"");
    if (at == std::string::npos) return "";
    auto open = html.rfind('<', at);
    return html.substr(open, html.find('>', at) - open + 1);
}

TEST(IndexHtml, BodyExcerptFromAProxyIsEscaped) {
    std::string html = index_html(sample::report());
    EXPECT_EQ(html.find("<script>alert("), std::string::npos) << "a proxy's body reached the page unescaped";
    EXPECT_NE(html.find("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; &amp;"), std::string::npos);
    EXPECT_EQ(sample::count(html, "<script"), 1) << "only the page's own script";
    // Control characters and invalid UTF-8 become U+FFFD instead of breaking the page's encoding.
    EXPECT_EQ(html.find('\x01'), std::string::npos);
    EXPECT_EQ(html.find('\xff'), std::string::npos);
    EXPECT_NE(html.find("\xEF\xBF\xBD"), std::string::npos);
    // The cell message holds '<' too.
    EXPECT_NE(html.find("got &lt;404&gt;"), std::string::npos);
}

TEST(IndexHtml, OneDataCellElementPerCellWithItsVerdictClass) {
    MatrixReport r = sample::report();
    std::string html = index_html(r);
    EXPECT_EQ(sample::count(html, "data-cell=\""), static_cast<int>(r.cells.size()));
    EXPECT_EQ(sample::count(html, "data-verdict=\""), static_cast<int>(r.cells.size()));
    for (const auto& c : r.cells) {
        std::string tag = cell_tag(html, c.cell.id());
        ASSERT_FALSE(tag.empty()) << c.cell.id();
        EXPECT_NE(tag.find(std::string("data-verdict=\"") + to_string(c.diagnosis) + "\""), std::string::npos) << tag;
        EXPECT_EQ(tag.rfind("<details", 0), 0u) << "a cell opens to its evidence with JS off: " << tag;
    }
}

TEST(IndexHtml, NotAsExpectedAndNoExpectationAreMarked) {
    std::string html = index_html(sample::report());
    EXPECT_NE(cell_tag(html, "px.claude-code.v1").find("v-fail"), std::string::npos);
    EXPECT_NE(cell_tag(html, "px.openai-node.root").find("v-noexp"), std::string::npos);
    EXPECT_EQ(cell_tag(html, "px.claude-code.root").find("v-fail"), std::string::npos);
    // The drill-down shows the expected row and the mismatch.
    EXPECT_NE(html.find("≠ status: expected 401, got 404"), std::string::npos);
    EXPECT_NE(html.find("no answer: connection refused"), std::string::npos);
}

TEST(IndexHtml, LegendExplainsEveryClassWithItsFix) {
    std::string html = index_html(sample::report());
    auto legend = html.find("id=legend");
    ASSERT_NE(legend, std::string::npos);
    std::string tail = html.substr(legend);
    for (const char* name :
         {"OK", "DUPLICATE_PREFIX", "MISSING_VERSION", "ENDPOINT_IN_BASE", "WRONG_PROTOCOL", "NO_ROUTE", "AUTH_MISSING",
          "AUTH_REJECTED", "NOT_LISTENING", "UPSTREAM_ERROR", "UNEXPECTED", "SKIPPED"})
        EXPECT_NE(tail.find(std::string("<code>") + name + "</code>"), std::string::npos) << name;
    EXPECT_NE(tail.find("end the Base URL in /v1"), std::string::npos);
    EXPECT_NE(tail.find("a 403 is not a Base URL problem"), std::string::npos);
    EXPECT_NE(tail.find("--update-expectations"), std::string::npos);
}

TEST(IndexHtml, PredictedCellsLookDifferentAndSaySo) {
    std::string html = index_html(sample::report());
    std::string pred = cell_tag(html, "src.claude-code.root");
    EXPECT_NE(pred.find(" pred"), std::string::npos) << pred;
    EXPECT_EQ(cell_tag(html, "px.claude-code.root").find(" pred"), std::string::npos);
    EXPECT_NE(html.find("prediction from source, not observed"), std::string::npos);
    EXPECT_NE(html.find("Prediction from source, not observed."), std::string::npos) << "the proxy's banner";
}

TEST(IndexHtml, IncompleteRunSaysSoAtTheTop) {
    MatrixReport r = sample::report();
    EXPECT_EQ(index_html(r).find("Incomplete run"), std::string::npos);
    r.complete = false;
    r.errors = {"proxy px died <signal 9>"};
    std::string html = index_html(r);
    auto banner = html.find("Incomplete run");
    ASSERT_NE(banner, std::string::npos);
    EXPECT_LT(banner, html.find("data-cell=")) << "the banner comes before the grid";
    EXPECT_NE(html.find("proxy px died &lt;signal 9&gt;"), std::string::npos);
    EXPECT_NE(html.find("<title>routecheck: INCOMPLETE"), std::string::npos);
}

// A proxy that ran at a lowered priority (off the critical path) says so in both readable files: its ready time and
// the run's wall time depend on it. A run where none was lowered says nothing of it.
TEST(IndexHtml, LoweredPriorityIsSaidWhereTheWallTimeIs) {
    MatrixReport r = sample::report();
    EXPECT_EQ(index_html(r).find("lowered priority"), std::string::npos);
    EXPECT_EQ(summary_markdown(r).find("lowered priority"), std::string::npos);
    r.proxies[0].nice = 10;
    const std::string want = "Ran at lowered priority (nice 10): px.";
    EXPECT_NE(index_html(r).find(want), std::string::npos);
    EXPECT_NE(summary_markdown(r).find(want), std::string::npos);
}

TEST(IndexHtml, RecommendationsSayConfirmedOrWhyNone) {
    std::string html = index_html(sample::report());
    EXPECT_NE(html.find("confirmed by replay"), std::string::npos);
    EXPECT_NE(html.find("no Base URL works: chat -&gt; POST /v1/chat/completions never lands"), std::string::npos);
    EXPECT_NE(html.find("openai-node-anthropic at http://127.0.0.1:{port}"), std::string::npos);
}

TEST(IndexHtml, RefutedRecommendationSaysWhyAndKeyCaveatShows) {
    MatrixReport r = sample::report();
    r.recommendations[0].confirmed = "refuted";
    r.recommendations[0].refuted_by = "prompt.messages: 401: the proxy wants a key <and got none>";
    r.recommendations[0].rec.caveat = "px reads its key from x-api-key only | not authorization";
    std::string html = index_html(r);
    EXPECT_NE(html.find("replay refuted it"), std::string::npos);
    EXPECT_NE(html.find("replay: prompt.messages: 401: the proxy wants a key &lt;and got none&gt;"), std::string::npos);
    EXPECT_NE(html.find("px reads its key from x-api-key only | not authorization"), std::string::npos);
    EXPECT_EQ(html.find("confirmed by replay"), std::string::npos);
    std::string md = summary_markdown(r);
    EXPECT_NE(md.find("✘ replay: prompt.messages: 401"), std::string::npos) << md;
    EXPECT_NE(md.find("x-api-key only \\| not authorization"), std::string::npos) << "pipes escaped in the table";
    auto j = matrix_json(r)["recommendations"][0];
    EXPECT_EQ(j["confirmed"], "refuted");
    EXPECT_EQ(j["refuted_by"], "prompt.messages: 401: the proxy wants a key <and got none>");
    EXPECT_EQ(j["caveat"], "px reads its key from x-api-key only | not authorization");
}

TEST(IndexHtml, SelfContained) {
    std::string html = index_html(sample::report());
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    std::smatch m;
    // No external resource: no src=, no <link>, no url(http...).
    EXPECT_FALSE(std::regex_search(html, m, std::regex("(src=|<link|url\\(http)"))) << m.str();
}

TEST(IndexHtml, EmptyReportStillRenders) {
    MatrixReport r;
    r.complete = false;
    std::string html = index_html(r);
    EXPECT_NE(html.find("Incomplete run"), std::string::npos);
    EXPECT_EQ(sample::count(html, "data-cell=\""), 0);
}

}  // namespace
