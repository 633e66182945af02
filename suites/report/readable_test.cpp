// Readable grids (issue 19 item 4): a cell and the legend use the same words; each class has its own colour and its
// own letter (the grid reads in grey); nothing is said only in a hover; the grid scrolls in its own box with sticky
// headers; the filter bar; a badge per proxy written with the report.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "launch/tempdir.hpp"
#include "report/html_parts.hpp"
#include "report/report.hpp"
#include "sample_report.hpp"

namespace {

using namespace routecheck;
namespace fs = std::filesystem;

TEST(ReadableGrid, EveryClassHasItsOwnColourLetterAndLabel) {
    std::size_t n = 0;
    const html::ClassInfo* classes = html::all_classes(n);
    std::set<std::string> css, glyphs, labels;
    for (std::size_t i = 0; i < n; ++i) {
        EXPECT_TRUE(css.insert(classes[i].css).second) << classes[i].css;
        EXPECT_FALSE(std::string(classes[i].glyph).empty()) << to_string(classes[i].diagnosis) << " has no letter";
        EXPECT_TRUE(glyphs.insert(classes[i].glyph).second) << "letter used twice: " << classes[i].glyph;
        EXPECT_TRUE(labels.insert(classes[i].label).second) << classes[i].label;
        // Its colour is in the stylesheet.
        EXPECT_NE(std::string(html::stylesheet()).find(std::string(".") + classes[i].css + "{background:"),
                  std::string::npos)
            << classes[i].css;
    }
}

TEST(ReadableGrid, CellsAndLegendShowTheSameFace) {
    const MatrixReport r = sample::report();
    const std::string page = index_html(r);
    const auto legend_at = page.find("<section id=legend>");
    ASSERT_NE(legend_at, std::string::npos);
    const std::string legend = page.substr(legend_at);
    std::size_t n = 0;
    const html::ClassInfo* classes = html::all_classes(n);
    for (std::size_t i = 0; i < n; ++i)
        EXPECT_NE(legend.find(html::class_face_html(classes[i])), std::string::npos)
            << to_string(classes[i].diagnosis) << " is not in the legend as the grid shows it";
    for (const auto& c : r.cells) {
        const auto at = page.find("data-cell=\"" + c.cell.id() + "\"");
        ASSERT_NE(at, std::string::npos);
        const std::string summary = page.substr(at, page.find("</summary>", at) - at);
        EXPECT_NE(summary.find(html::class_face_html(html::class_info(c.diagnosis))), std::string::npos) << summary;
    }
}

TEST(ReadableGrid, NothingIsExplainedOnlyByAHover) {
    MatrixReport r = sample::report();
    r.grids = nlohmann::json::parse(R"({"proxies": [
        {"id": "px", "rows": [{"kind": "auth", "row": "r1", "status": 401, "name": "grid.auth.px.r1", "upstream": []}]},
        {"id": "src", "rows": [{"kind": "auth", "row": "r1", "status": 404, "name": "grid.auth.src.r1", "upstream": []}]}]})");
    const std::string page = index_html(r);
    std::smatch m;
    EXPECT_FALSE(std::regex_search(page, m, std::regex(R"(\stitle=)"))) << m.str();
    // What the marks mean is written in the legend.
    for (const char* mark : {"≠ red frame", "? dashed frame", "≈ hatched"})
        EXPECT_NE(page.find(mark), std::string::npos) << mark;
    EXPECT_NE(page.find("◆ = the proxies differ on this row."), std::string::npos);
}

TEST(ReadableGrid, GridScrollsInItsOwnBoxAndFiltersLiveInTheUrl) {
    const std::string page = index_html(sample::report());
    EXPECT_NE(page.find("<div class=gridwrap><table class=grid>"), std::string::npos);
    const std::string css = html::stylesheet();
    EXPECT_NE(css.find(".gridwrap{overflow:auto"), std::string::npos);
    EXPECT_NE(css.find("table.grid thead th{font-size:12px;position:sticky;top:0"), std::string::npos);
    EXPECT_NE(css.find("table.grid tbody th{position:sticky;left:0"), std::string::npos);
    EXPECT_NE(page.find("<form id=filters class=filters hidden>"), std::string::npos);
    for (const char* sel : {"<select name=proxy>", "<select name=client>", "<select name=class>"})
        EXPECT_NE(page.find(sel), std::string::npos) << sel;
    EXPECT_NE(page.find("<section class=proxy id=\"proxy-px\" data-proxy=\"px\">"), std::string::npos);
    EXPECT_NE(page.find("<tr data-client=\"claude-code\">"), std::string::npos);
    EXPECT_NE(std::string(html::script()).find("history.replaceState"), std::string::npos);
}

TEST(Badge, ClientsWorkingOfProfiledPerProxy) {
    MatrixReport r = sample::report();
    // px: claude-code works at root; openai-node works nowhere -> 1 of 2.
    const std::string svg = badge_svg(r, r.proxies[0]);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u) << svg;
    EXPECT_NE(svg.find(">px</text>"), std::string::npos) << svg;
    EXPECT_NE(svg.find(">1/2 clients</text>"), std::string::npos) << svg;
    EXPECT_NE(badge_svg(r, r.proxies[1]).find("1/1 clients (predicted)"), std::string::npos);
    r.proxies[0].error = "could not start";
    EXPECT_NE(badge_svg(r, r.proxies[0]).find(">could not run</text>"), std::string::npos);
}

TEST(Badge, WrittenWithTheReportAndReplacedByTheNext) {
    launch::TempDir tmp("rc-badge-");
    const fs::path dir = tmp.path() / "out";
    fs::create_directories(dir / "badges");
    std::ofstream(dir / "badges" / "old-proxy.svg") << "<svg/>";
    write_report(sample::report(), dir);
    EXPECT_TRUE(fs::exists(dir / "badges" / "px.svg"));
    EXPECT_TRUE(fs::exists(dir / "badges" / "src.svg"));
    EXPECT_FALSE(fs::exists(dir / "badges" / "old-proxy.svg")) << "a badge of the previous run stayed";
    std::ifstream in(dir / "badges" / "px.svg");
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find("1/2 clients"), std::string::npos);
}

}  // namespace
