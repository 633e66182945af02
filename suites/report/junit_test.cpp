// junit.xml must parse: CI systems drop a whole report they cannot read. Checked with xmllint when present, else
// with a small well-formedness check (tags balance, attributes quoted, entities known, text is valid UTF-8).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace {

using namespace routecheck;
namespace fs = std::filesystem;

bool have_xmllint() { return std::system("command -v xmllint >/dev/null 2>&1") == 0; }

// "" when well-formed enough for a JUnit reader, else what is wrong.
std::string small_wellformed_check(const std::string& x) {
    std::vector<std::string> open;
    std::size_t i = 0;
    static const std::regex tag_re(R"(<(/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(/?)>)");
    static const std::regex entity_re(R"(&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)");
    for (unsigned char c : x)
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return "control character " + std::to_string(c);
    while (i < x.size()) {
        if (x[i] == '&') {
            std::smatch m;
            std::string rest = x.substr(i, 12);
            if (!std::regex_search(rest, m, entity_re, std::regex_constants::match_continuous))
                return "bad entity at " + std::to_string(i);
            i += m.length();
            continue;
        }
        if (x[i] != '<') {
            ++i;
            continue;
        }
        if (x.compare(i, 5, "<?xml") == 0) {
            i = x.find("?>", i) + 2;
            continue;
        }
        std::smatch m;
        std::string rest = x.substr(i, x.find('>', i) - i + 1);
        if (!std::regex_match(rest, m, tag_re)) return "malformed tag: " + rest.substr(0, 80);
        if (m[1].length()) {
            if (open.empty() || open.back() != m[2].str()) return "unbalanced </" + m[2].str() + ">";
            open.pop_back();
        } else if (!m[4].length()) {
            open.push_back(m[2]);
        }
        i += rest.size();
    }
    return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

std::string checked(const std::string& xml) {
    if (std::string bad = small_wellformed_check(xml); !bad.empty()) return "small check: " + bad;
    if (!have_xmllint()) return "";
    fs::path file = fs::temp_directory_path() / ("routecheck-junit-" + std::to_string(::getpid()) + ".xml");
    std::ofstream(file, std::ios::binary) << xml;
    std::string cmd = "xmllint --noout '" + file.string() + "' 2>&1";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p)) out += buf;
        int rc = pclose(p);
        if (rc != 0 && out.empty()) out = "xmllint exit " + std::to_string(rc);
    }
    fs::remove(file);
    return out.empty() ? "" : "xmllint: " + out;
}

TEST(JunitXml, HostileTextStillParses) {
    MatrixReport r = sample::report();
    // What a dying proxy may leave in a message: markup, a CDATA end, control bytes, broken UTF-8, U+FFFF.
    r.cells[1].message = "got <404> ]]> & \"quoted\" 'single' \x01\x1b[31m \xff\xfe \xEF\xBF\xBF end";
    r.cells[1].cell.error = "";
    std::string xml = junit_xml(r);
    EXPECT_EQ(checked(xml), "") << xml;
}

TEST(JunitXml, OneTestcasePerCellAndTheRightCounts) {
    MatrixReport r = sample::report();
    std::string xml = junit_xml(r);
    ASSERT_EQ(checked(xml), "");
    EXPECT_EQ(sample::count(xml, "<testcase "), static_cast<int>(r.cells.size()));
    // One fail + one no-expectation are failures; the prediction is skipped, never passed.
    EXPECT_NE(xml.find("<testsuites name=\"routecheck\" tests=\"5\" failures=\"2\" skipped=\"1\""), std::string::npos)
        << xml;
    EXPECT_EQ(sample::count(xml, "<failure "), 2);
    EXPECT_NE(xml.find("prediction from source, not run"), std::string::npos);
}

TEST(JunitXml, EmptyRunParses) {
    MatrixReport r;
    EXPECT_EQ(checked(junit_xml(r)), "");
}

TEST(JunitXml, TheSmallCheckCatchesBrokenXml) {
    EXPECT_NE(small_wellformed_check("<a><b></a>"), "");
    EXPECT_NE(small_wellformed_check("<a x=\"1\">&nbsp;</a>"), "");
    EXPECT_NE(small_wellformed_check("<a>\x01</a>"), "");
    EXPECT_EQ(small_wellformed_check("<?xml version=\"1.0\"?>\n<a x=\"&lt;\"><b/>t &amp; u</a>"), "");
}

}  // namespace

// A CI step summary holds at most 1 MiB (GitHub refuses the upload beyond it): the full matrix's summary.md is
// about 2.6 MB, so what goes to $GITHUB_STEP_SUMMARY is cut at a whole line and says so.
TEST(StepSummary, ASummaryOverTheLimitIsCutAtALineAndSaysSo) {
    std::string md;
    for (int i = 0; md.size() < 3 * routecheck::kStepSummaryLimit; ++i)
        md += "| cell-" + std::to_string(i) + " | ✓ works | 200 |\n";
    const std::string fitted = routecheck::fit_step_summary(md, routecheck::kStepSummaryLimit);
    EXPECT_LE(fitted.size(), routecheck::kStepSummaryLimit);
    EXPECT_GT(fitted.size(), routecheck::kStepSummaryLimit - 1024) << "it keeps as much as fits";
    const std::size_t note = fitted.find("\n_This summary was cut at ");
    ASSERT_NE(note, std::string::npos) << fitted.substr(fitted.size() - 300);
    EXPECT_EQ(md.compare(0, note, fitted, 0, note), 0) << "the kept part is the summary's start, unchanged";
    EXPECT_EQ(fitted[note - 1], '\n') << "cut after a whole line";
    EXPECT_NE(fitted.find("summary.md in the report folder has all of it"), std::string::npos);
}

TEST(StepSummary, ASummaryThatFitsIsUnchangedAndNoRoomWritesNothing) {
    const std::string md = "# routecheck\n| a | b |\n";
    EXPECT_EQ(routecheck::fit_step_summary(md, routecheck::kStepSummaryLimit), md);
    EXPECT_EQ(routecheck::fit_step_summary(md, md.size()), md);
    EXPECT_EQ(routecheck::fit_step_summary(md, 0), "");
}
