// Writing the report (issue 21, item 1 and 2): a report is never lost to the bytes a proxy sends, it is written
// all or nothing, a failed write says why and leaves neither a partial file nor a new file beside an old
// matrix.json, and no file holds a key the run knows.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "report/report.hpp"
#include "sample_report.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

namespace {

namespace fs = std::filesystem;
using namespace routecheck;

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool is_valid_utf8(const std::string& s) { return valid_utf8(s) == s; }

class ReportDir : public testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("rc-write-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    // Every entry of the folder, by name.
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
    fs::path dir_;
};

// A body in another script cut by the excerpt limit in the middle of a character, bytes that are no UTF-8 at all
// in a body, a header and a Base URL: the report is written, and every file of it is valid UTF-8.
TEST_F(ReportDir, BytesAProxySendsNeverCostTheReport) {
    MatrixReport r = sample::report();  // its body excerpt already holds \xff\xfe
    std::string body = "{\"error\": \"";
    for (int i = 0; i < 300; ++i) body += "未找到路由";
    auto& s = r.cells[1].steps[0].observed;
    s.body_excerpt = body.substr(0, 4096);  // what a capture without care keeps: the cut splits a character
    s.body_bytes = body.size();
    s.content_type = "text/plain; charset=\xff";
    s.error_text = "reset \xc3";
    r.cells[1].cell.base_url = "http://127.0.0.1:41000/v1\xff";
    r.proxies[0].log_tail = "proxy says \xe6\x9c";
    r.grids = {{"proxies", {{{"id", "px"}, {"rows", {{{"body_excerpt", "\xff\xfe stream"}}}}}}}};
    ASSERT_NO_THROW(write_report(r, dir_));
    for (const char* name : {"matrix.json", "grids.json", "summary.md", "junit.xml", "index.html"}) {
        ASSERT_TRUE(fs::exists(dir_ / name)) << name;
        EXPECT_TRUE(is_valid_utf8(read(dir_ / name))) << name << " is not valid UTF-8";
    }
    auto m = nlohmann::json::parse(read(dir_ / "matrix.json"));
    const std::string kept = m["cells"][1]["steps"][0]["body_excerpt"];
    EXPECT_EQ(kept.rfind("{\"error\": \"未找到路由", 0), 0u) << kept.substr(0, 40);
}

// The capture side: an excerpt cut inside a character drops that character; bytes that are not UTF-8 become U+FFFD.
TEST(Utf8Excerpt, CutCharacterIsDroppedBadBytesReplaced) {
    const std::string word = "未找到";  // 9 bytes
    EXPECT_EQ(utf8_excerpt(word.substr(0, 7), 9), "未找");
    EXPECT_EQ(utf8_excerpt(word.substr(0, 6), 9), "未找");
    EXPECT_EQ(utf8_excerpt(word, 9), word);
    EXPECT_EQ(utf8_excerpt("a\xff"
                           "b",
                           3),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(utf8_excerpt("a\xe6\x9c", 3), "a\xEF\xBF\xBD\xEF\xBF\xBD") << "not cut: an incomplete end is bad bytes";
    EXPECT_EQ(safe_dump(nlohmann::json("x\xff")), "\"x\xEF\xBF\xBD\"");
}

// The files of a previous run that this run does not write (grids.json after --no-grids), an interrupted
// write's stage folder and the .partial files of older versions do not stay beside the new matrix.json.
TEST_F(ReportDir, NoFileOfAnOlderRunStaysBesideTheNewOne) {
    std::ofstream(dir_ / "grids.json") << "{\"old\": true}";
    std::ofstream(dir_ / "matrix.json.partial") << "{";
    fs::create_directories(dir_ / ".rc-report-Ab12Cd");
    std::ofstream(dir_ / ".rc-report-Ab12Cd" / "index.html") << "old";
    std::ofstream(dir_ / "notes.txt") << "the user's own file";
    MatrixReport r = sample::report();  // no grids
    write_report(r, dir_);
    EXPECT_EQ(names(), (std::vector<std::string>{"badges", "cells.tsv", "index.html", "junit.xml", "matrix.json",
                                                 "notes.txt", "summary.md"}));
}

// The previous run's matrix.json stays as previous/matrix.json (the next report's "changed since the last run" and
// `routecheck diff` read it); the one before that is replaced.
TEST_F(ReportDir, PreviousRunsMatrixJsonIsKept) {
    write_report(sample::report(), dir_);
    EXPECT_FALSE(fs::exists(dir_ / "previous")) << "a first run has no previous run";
    const std::string first = read(dir_ / "matrix.json");
    MatrixReport second = sample::report();
    second.started_at = "2026-11-28T08:00:00Z";
    write_report(second, dir_);
    EXPECT_EQ(read(dir_ / "previous" / "matrix.json"), first);
    EXPECT_NE(read(dir_ / "matrix.json").find("2026-11-28T08:00:00Z"), std::string::npos);
    const std::string second_text = read(dir_ / "matrix.json");
    write_report(sample::report(), dir_);
    EXPECT_EQ(read(dir_ / "previous" / "matrix.json"), second_text);
    EXPECT_FALSE(fs::exists(dir_ / "previous" / "matrix.json.partial"));
}

// A write that fails half-way (here: the file size limit, as a full disk would) names the reason, leaves no
// partial file and no stage folder, and the previous report is untouched: all or nothing.
TEST_F(ReportDir, FailedWriteSaysWhyAndLeavesThePreviousReportWhole) {
    for (const char* name : {"matrix.json", "summary.md", "junit.xml", "index.html"})
        std::ofstream(dir_ / name) << "previous " << name;
    int pipefd[2];
    ASSERT_EQ(::pipe(pipefd), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(pipefd[0]);
        ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG instead of killing
        rlimit lim{2048, 2048};
        ::setrlimit(RLIMIT_FSIZE, &lim);
        std::string what = "no error";
        try {
            write_report(sample::report(), dir_);
        } catch (const ReportWriteError& e) {
            what = std::string("ReportWriteError: ") + e.what();
        } catch (const std::exception& e) {
            what = std::string("other: ") + e.what();
        }
        ssize_t ignored = ::write(pipefd[1], what.data(), what.size());
        (void)ignored;
        ::_exit(0);
    }
    ::close(pipefd[1]);
    std::string what;
    char buf[512];
    for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;) what.append(buf, static_cast<std::size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_EQ(what.rfind("ReportWriteError: ", 0), 0u) << what;
    EXPECT_NE(what.find("File too large"), std::string::npos) << "the error names the reason: " << what;
    EXPECT_EQ(names(), (std::vector<std::string>{"index.html", "junit.xml", "matrix.json", "summary.md"}));
    for (const char* name : {"matrix.json", "summary.md", "junit.xml", "index.html"})
        EXPECT_EQ(read(dir_ / name), std::string("previous ") + name);
}

// A key the run knows, quoted back by a proxy raw, JSON-escaped and HTML-escaped, reaches no file.
TEST_F(ReportDir, NoFileHoldsAKnownSecret) {
    const std::string key = "rc-unit-key-\"<&>-91";
    remember_secret(key);
    MatrixReport r = sample::report();
    r.cells[1].steps[0].observed.body_excerpt = "{\"headers\":{\"x-api-key\":\"" + key + "\"}} " +
                                                safe_dump(nlohmann::json(key)) + " rc-unit-key-&quot;&lt;&amp;&gt;-91";
    r.errors.push_back("px: a log line with " + key);
    r.proxies[0].log_tail = "Bearer " + key;
    for (const auto& [name, text] : report_files(r)) {
        EXPECT_EQ(text.find("rc-unit-key-"), std::string::npos) << name << " holds the key:\n" << text;
        if (name == "matrix.json" || name == "index.html")
            EXPECT_NE(text.find(kRedacted), std::string::npos) << name << " shows no redaction";
    }
}

}  // namespace
