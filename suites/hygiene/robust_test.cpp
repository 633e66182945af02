// Issue 21.1 and 19.6 through the built `routecheck`: nothing a proxy sends costs the report (bodies in another
// script cut by the excerpt limit, bytes that are no UTF-8 in bodies, headers and a Base URL), a report that
// cannot be written says why and leaves nothing half-written, and Base URLs are taken as users type them.
#include <gtest/gtest.h>

#include "hygiene_support.hpp"
#include "text/utf8.hpp"

using namespace routecheck::hygiene;

namespace {

bool is_valid_utf8(const std::string& s) { return routecheck::valid_utf8(s) == s; }

std::vector<std::string> attach_args(const Scratch& s, const std::string& url, std::vector<std::string> more = {}) {
    // --allow-quota: claude-code's one step would reach the upstream model, so attach mode sends it only then.
    std::vector<std::string> a = {"matrix",   "--attach",      "antigravity-claude-proxy=" + url,
                                  "--client", "claude-code",   "--variant",
                                  "v1",       "--no-grids",    "--allow-quota",
                                  "--out",    s.out().string()};
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

// The four files of a written report, each valid UTF-8; matrix.json parses.
void expect_whole_report(const fs::path& out, const std::string& output) {
    for (const char* name : {"matrix.json", "index.html", "junit.xml", "summary.md"}) {
        ASSERT_TRUE(fs::exists(out / name)) << name << " missing\n" << output;
        EXPECT_TRUE(is_valid_utf8(read_file(out / name))) << name << " is not valid UTF-8";
    }
    EXPECT_FALSE(nlohmann::json::parse(read_file(out / "matrix.json"), nullptr, false).is_discarded());
}

// The issue's input: a 404 body of '{"error": "' and 300 copies of 未找到路由, cut by the 4 KiB excerpt limit in the
// middle of a character. Today's main: exit 2, "incomplete UTF-8 string", and no report at all.
TEST(ReportNeverLost, BodyInAnotherScriptCutByTheExcerptLimit) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    TestServer server("utf8-cut", scratch.root());
    auto r = run_routecheck(attach_args(scratch, server.url()), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_FALSE(r.signaled) << r.output;
    // 0 or 1 by the expected table (a 404 at /v1/v1/messages), never 2: nothing was wrong with the input.
    EXPECT_LE(r.code, 1) << r.output;
    expect_whole_report(scratch.out(), r.output);
    auto m = nlohmann::json::parse(read_file(scratch.out() / "matrix.json"));
    const std::string body = m["cells"][0]["steps"][0]["body_excerpt"];
    EXPECT_EQ(body.rfind("{\"error\": \"未找到路由未找到路由", 0), 0u) << body.substr(0, 60);
    EXPECT_EQ(m["complete"], true);
}

// Bytes that are no UTF-8 in a launched proxy's body, its content type and another header: the report is written.
TEST(ReportNeverLost, BytesThatAreNoUtf8InBodyAndHeaders) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    scratch.add_test_proxy("hyg-bytes", "bad-bytes");
    auto r = run_routecheck(scratch.matrix_args("hyg-bytes"), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_FALSE(r.signaled) << r.output;
    EXPECT_EQ(r.code, 1) << r.output;
    expect_whole_report(scratch.out(), r.output);
    auto m = nlohmann::json::parse(read_file(scratch.out() / "matrix.json"));
    const auto& step = m["cells"][0]["steps"][0];
    EXPECT_EQ(step["status"], 404);
    EXPECT_NE(step["body_excerpt"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos) << step.dump();
}

// `doctor --json` with a byte that is no UTF-8 in the Base URL: JSON comes out, not "invalid UTF-8 byte".
TEST(ReportNeverLost, DoctorJsonWithANonUtf8ByteInTheBaseUrl) {
    Scratch scratch;
    auto r = run_routecheck({"doctor", "--json", "--client", "claude-code", "--proxy", "antigravity-claude-proxy",
                             "--base-url", "http://127.0.0.1:8045/v1\xff"},
                            scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    EXPECT_FALSE(r.signaled) << r.output;
    EXPECT_NE(r.code, 2) << r.output;
    auto j = nlohmann::json::parse(r.output, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.output;
    EXPECT_TRUE(is_valid_utf8(r.output));
    EXPECT_EQ(j["steps"][0]["request"], "POST /v1%FF/v1/messages?beta=true") << "percent-encoded, as clients send it";
}

// A report that cannot be written (here the file size limit, as a full disk would) is exit 1 with the reason;
// no partial file and no stage folder stay, and the previous report is left whole. Today's main: exit 2 and a
// matrix.json.partial beside the previous files.
TEST(ReportNeverLost, WriteFailureSaysWhyAndLeavesNoPartialFile) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    TestServer server("utf8-cut", scratch.root());
    fs::create_directories(scratch.out());
    for (const char* name : {"matrix.json", "index.html", "junit.xml", "summary.md"})
        std::ofstream(scratch.out() / name) << "previous " << name;
    std::vector<std::string> argv = {"/bin/sh", "-c", "ulimit -f 4; trap '' XFSZ; exec \"$0\" \"$@\"", ROUTECHECK_BIN};
    for (auto& a : attach_args(scratch, server.url())) argv.push_back(a);
    routecheck::launch::ProcessSpec spec{argv, routecheck::launch::minimal_environment(), {}, scratch.log("run")};
    routecheck::launch::ChildProcess child(spec);
    ASSERT_TRUE(child.wait_exit(60s)) << read_file(scratch.log("run"));
    const std::string output = read_file(scratch.log("run"));
    EXPECT_EQ(child.exit_code(), 1) << output;
    EXPECT_NE(output.find("File too large"), std::string::npos) << "the reason is named:\n" << output;
    EXPECT_NE(output.find("no report was written"), std::string::npos) << output;
    for (const auto& e : fs::directory_iterator(scratch.out())) {
        const std::string name = e.path().filename().string();
        EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
        EXPECT_NE(name.rfind(".rc-report-", 0), 0u) << name;
    }
    for (const char* name : {"matrix.json", "index.html", "junit.xml", "summary.md"})
        EXPECT_EQ(read_file(scratch.out() / name), std::string("previous ") + name);
}

// Issue 19.6: `paths` takes a Base URL as a user types or pastes it (https, any case, spaces around, dot segments,
// another host); the join needs no connection.
TEST(BaseUrlAsTyped, PathsTakesWhatUsersType) {
    Scratch scratch;
    for (const std::string url : {" HTTPS://LocalHost:8045/x/../v1 ", "http://[::1]:8045/v1", "https://gateway.lan/v1/",
                                  "http://127.0.0.1:8045/./v1"}) {
        auto r = run_routecheck({"paths", "--client", "openai-node", "--base-url", url}, scratch.log("paths"));
        ASSERT_TRUE(r.in_time);
        EXPECT_EQ(r.code, 0) << url << "\n" << r.output;
        EXPECT_EQ(r.output.rfind("GET /v1/models\nPOST /v1/chat/completions\n", 0), 0u) << url << "\n" << r.output;
    }
}

}  // namespace
