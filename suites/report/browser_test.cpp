// index.html of a real matrix run (the ctest fixture matrix.run) opened in headless Chromium: after the browser
// parsed it and ran its script, the DOM holds one data-cell element per cell of matrix.json, with the same classes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

std::string find_chromium() {
    for (const char* name : {"chromium", "chromium-browser"}) {
        std::string cmd = std::string("command -v ") + name + " 2>/dev/null";
        std::string out;
        if (FILE* p = popen(cmd.c_str(), "r")) {
            char buf[512];
            while (std::fgets(buf, sizeof buf, p)) out += buf;
            pclose(p);
        }
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
        if (!out.empty()) return out;
    }
    return "";
}

// A fresh profile folder per run: Chromium refuses to share one, and a leftover profile would carry state.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string templ = (fs::temp_directory_path() / "routecheck-chromium-XXXXXX").string();
        if (char* p = mkdtemp(templ.data())) path = p;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
};

struct Dump {
    int exit = -1;
    std::string dom, err;
};

Dump dump_dom(const std::string& chromium, const fs::path& html, const fs::path& profile) {
    fs::path out = profile / "dom.html", err = profile / "stderr.txt";
    // `timeout` so a browser that hangs fails the test instead of stalling ctest; no network, no updates.
    std::string cmd = "timeout -k 5 90 '" + chromium +
                      "' --headless --no-sandbox --disable-gpu --disable-background-networking "
                      "--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage "
                      "--user-data-dir='" +
                      profile.string() + "' --dump-dom 'file://" + html.string() + "' >'" + out.string() + "' 2>'" +
                      err.string() + "'";
    Dump d;
    int status = std::system(cmd.c_str());
    d.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream o(out), e(err);
    std::stringstream so, se;
    so << o.rdbuf();
    se << e.rdbuf();
    d.dom = so.str();
    d.err = se.str();
    return d;
}

TEST(Browser, IndexHtmlRendersOneCellPerMatrixCell) {
    std::string chromium = find_chromium();
    ASSERT_FALSE(chromium.empty()) << "chromium is not installed: run scripts/setup (it installs the Debian package "
                                      "`chromium`), or `apt-get install -y chromium`";
    fs::path report = ROUTECHECK_CTEST_REPORT;
    fs::path html = report / "index.html", matrix = report / "matrix.json";
    ASSERT_TRUE(fs::exists(html) && fs::exists(matrix))
        << "no report in " << report
        << ": the ctest fixture test matrix.run writes it (run ctest, not this binary alone)";
    std::ifstream in(matrix);
    nlohmann::json m = nlohmann::json::parse(in, nullptr, false);
    ASSERT_TRUE(m.is_object() && m["cells"].is_array()) << matrix << " is not a matrix report";
    ASSERT_GT(m["cells"].size(), 0u) << "the run has no cell";

    TempDir profile;
    ASSERT_FALSE(profile.path.empty());
    Dump d = dump_dom(chromium, fs::absolute(html), profile.path);
    ASSERT_EQ(d.exit, 0) << "chromium failed (exit " << d.exit << ", 124 = timeout):\n" << d.err.substr(0, 4000);
    ASSERT_NE(d.dom.find("</html>"), std::string::npos) << "no DOM dumped:\n" << d.err.substr(0, 4000);

    // Count cells and their classes in the DOM as the browser built it.
    std::map<std::string, int> dom_classes, json_classes;
    std::map<std::string, int> dom_ids;
    static const std::regex cell_re(R"re(data-cell="([^"]*)"[^>]*?data-verdict="([A-Z_]+)")re");
    for (auto it = std::sregex_iterator(d.dom.begin(), d.dom.end(), cell_re); it != std::sregex_iterator(); ++it) {
        ++dom_ids[(*it)[1]];
        ++dom_classes[(*it)[2]];
    }
    int dom_cells = 0;
    for (const auto& [id, n] : dom_ids) dom_cells += n;
    EXPECT_EQ(dom_cells, static_cast<int>(m["cells"].size()));
    for (const auto& c : m["cells"]) {
        ++json_classes[c["verdict"]["class"].get<std::string>()];
        EXPECT_EQ(dom_ids[c["id"].get<std::string>()], 1) << "cell " << c["id"] << " should appear once in the DOM";
    }
    EXPECT_EQ(dom_classes, json_classes);
    EXPECT_NE(d.dom.find("id=\"legend\""), std::string::npos);
}

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string markup(const std::string& s) {  // the escaping index.html and junit.xml apply to plain ASCII text
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

// Judged once: every cell's verdict, reason and fix read the same in matrix.json, summary.md, junit.xml and
// index.html (the ctest cell test prints it from matrix.json with the same function as summary.md).
TEST(Report, EveryCellsVerdictIsTheSameTextEverywhere) {
    const std::string dir = ROUTECHECK_CTEST_REPORT;
    auto m = nlohmann::json::parse(read_all(dir + "/matrix.json"), nullptr, false);
    ASSERT_TRUE(m.is_object()) << "no matrix.json in " << dir;
    const std::string md = read_all(dir + "/summary.md"), junit = read_all(dir + "/junit.xml"),
                      html = read_all(dir + "/index.html");
    int checked = 0;
    for (const auto& c : m["cells"]) {
        const auto& v = c["verdict"];
        std::string text = v["class"].get<std::string>() + ": " + v["reason"].get<std::string>();
        if (!v["fix"].get<std::string>().empty()) text += ". Fix: " + v["fix"].get<std::string>();
        const std::string id = c["id"].get<std::string>();
        EXPECT_NE(md.find("`" + id + "` (" + (c["works"].get<bool>() ? "works" : "does not work") + "): " + text),
                  std::string::npos)
            << id << " in summary.md: " << text;
        EXPECT_NE(junit.find(markup(text)), std::string::npos) << id << " in junit.xml: " << text;
        auto at = html.find("id=\"cell-" + markup(id) + "\"");
        ASSERT_NE(at, std::string::npos) << id << " has no drill-down in index.html";
        auto end = html.find("</details>", at);
        std::string drill = html.substr(at, end - at);
        EXPECT_NE(drill.find(markup(v["reason"].get<std::string>())), std::string::npos)
            << id << " reason in index.html";
        EXPECT_NE(drill.find(markup(v["fix"].get<std::string>())), std::string::npos) << id << " fix in index.html";
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

}  // namespace
