// Secrets: no key the run uses appears in fixtures/clients, in a report folder, or in the proxy logs a run
// keeps. Keys: every proxy profile's auth.key, the recordings' fake key (scripts/record/normalize.mjs), the
// placeholder a keyless proxy is sent, and the grids' wrong key. A proxy that logs the keys it is sent gets
// its kept log redacted by the launcher as it is written (ProcessSpec::redact); the kept temp HOME is the proxy's own
// configuration and holds its key by design, so it is not scanned (it only exists with --keep-artifacts).
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <regex>
#include <set>
#include <thread>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

std::set<std::string> keys_the_runs_use() {
    std::set<std::string> keys = {"rc-placeholder-key", "rc-wrong-key"};
    for (const auto& e : fs::directory_iterator(repo_root() / "fixtures/proxies")) {
        auto j = nlohmann::json::parse(read_file(e.path()));
        if (j.contains("auth") && j["auth"].contains("key") && j["auth"]["key"].is_string())
            keys.insert(j["auth"]["key"].get<std::string>());
    }
    const std::string normalize = read_file(repo_root() / "scripts/record/normalize.mjs");
    std::smatch m;
    if (std::regex_search(normalize, m, std::regex(R"(FAKE_KEY\s*=\s*'([^']+)')"))) keys.insert(m[1]);
    else keys.insert("sk-routecheck-fake");
    keys.erase("");
    return keys;
}

// "file: key" for every file under `dir` (recursively, skipping `skip`) that contains one of `keys`.
std::vector<std::string> files_with_keys(const fs::path& dir, const std::set<std::string>& keys,
                                         const std::function<bool(const fs::path&)>& skip = {}) {
    std::vector<std::string> out;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
        if (skip && skip(it->path())) {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        const std::string text = read_file(it->path());
        for (const auto& k : keys)
            if (text.find(k) != std::string::npos) out.push_back(it->path().string() + ": " + k);
    }
    return out;
}

std::string lines(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += "\n  " + x;
    return s;
}

bool is_temp_home(const fs::path& p) {
    return p.filename().string().rfind("rc-", 0) == 0 && p.parent_path().filename() == "run";
}

TEST(Secrets, KnowsTheKeys) {
    auto keys = keys_the_runs_use();
    EXPECT_TRUE(keys.count("rc-placeholder-key"));
    EXPECT_GE(keys.size(), 4u);  // at least one proxy key and the recordings' fake key
}

TEST(Secrets, NoKeyInClientFixtures) {
    auto found = files_with_keys(repo_root() / "fixtures/clients", keys_the_runs_use());
    EXPECT_TRUE(found.empty()) << "keys in client fixtures:" << lines(found);
}

TEST(Secrets, NoKeyInReportOrLogsOfARealRun) {
    if (!have_node() || !have_real_proxy()) GTEST_SKIP() << "needs node and antigravity-claude-proxy (scripts/setup)";
    Scratch scratch;
    auto r = run_routecheck(
        {"matrix", "--proxy", "antigravity-claude-proxy", "--keep-artifacts", "--out", scratch.out().string()},
        scratch.log("run"), 90s);
    ASSERT_TRUE(r.in_time) << r.output;
    ASSERT_TRUE(fs::exists(scratch.out() / "matrix.json")) << r.output;
    ASSERT_TRUE(fs::exists(scratch.out() / "run/antigravity-claude-proxy.log")) << r.output;
    auto keys = keys_the_runs_use();
    auto found = files_with_keys(scratch.out(), keys, is_temp_home);
    EXPECT_TRUE(found.empty()) << "keys in the report folder or the kept logs:" << lines(found);
    for (const auto& k : keys) EXPECT_EQ(r.output.find(k), std::string::npos) << "key on the console: " << k;
}

// A proxy that prints every key header it receives: the log the run keeps is redacted, the report is clean.
TEST(Secrets, ProxyThatLogsKeysGetsItsLogRedacted) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    scratch.add_test_proxy("hyg-logger", "log-keys", 10000, "rc-hyg-secret-key-42");
    auto r = run_routecheck(scratch.matrix_args("hyg-logger", {"--keep-artifacts"}), scratch.log("run"));
    ASSERT_TRUE(r.in_time) << r.output;
    const std::string log = read_file(scratch.out() / "run/hyg-logger.log");
    ASSERT_NE(log.find("x-api-key="), std::string::npos) << "the test proxy logged nothing:\n" << log;
    EXPECT_NE(log.find("[redacted]"), std::string::npos) << log;
    auto keys = keys_the_runs_use();
    keys.insert("rc-hyg-secret-key-42");
    auto found = files_with_keys(scratch.out(), keys, is_temp_home);
    EXPECT_TRUE(found.empty()) << lines(found);
}

// The harness SIGKILLed after the proxy logged a key: nothing redacts afterwards, so the log must never have
// held the key (the launcher redacts the proxy's output on its way to the file).
TEST(Secrets, KeyNeverReachesTheLogEvenIfTheHarnessIsKilled) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    scratch.add_test_proxy("hyg-logslow", "log-keys-slow", 10000, "rc-hyg-secret-key-43");
    const fs::path kept = scratch.out() / "run/hyg-logslow.log";
    Routecheck rc(scratch.matrix_args("hyg-logslow"), scratch.log("run"));
    bool logged = false;
    for (int i = 0; i < 300 && !logged; ++i) {
        logged = fs::exists(kept) && read_file(kept).find("x-api-key=") != std::string::npos &&
                 read_file(kept).find("request POST") != std::string::npos;
        if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(logged) << "the test proxy logged no request within 15 s:\n" << rc.describe();
    ::kill(rc.pid(), SIGKILL);
    ASSERT_TRUE(rc.wait(std::chrono::seconds(10)));
    rc.reap();
    const std::string log = read_file(kept);
    EXPECT_NE(log.find("[redacted]"), std::string::npos) << log;
    EXPECT_EQ(log.find("rc-hyg-secret-key-43"), std::string::npos) << log;
    auto keys = keys_the_runs_use();
    keys.insert("rc-hyg-secret-key-43");
    auto found = files_with_keys(scratch.out(), keys, is_temp_home);
    EXPECT_TRUE(found.empty()) << lines(found);
}

// Issue 21.2, attach mode: a proxy whose 401 body quotes the request headers sends --api-key back. It reaches no
// file of the report (matrix.json, index.html, grids.json, summary.md, junit.xml) and not the console.
TEST(Secrets, AttachKeyQuotedBackByTheProxyIsRedacted) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    TestServer server("echo-headers", scratch.root());
    const std::string key = "rc-hyg-attach-key-77";
    auto r =
        run_routecheck({"matrix", "--attach", "antigravity-claude-proxy=" + server.url(), "--api-key", key, "--client",
                        "claude-code", "--variant", "v1", "--allow-quota", "--grids", "--out", scratch.out().string()},
                       scratch.log("run"), 90s);
    ASSERT_TRUE(r.in_time) << r.output;
    ASSERT_TRUE(fs::exists(scratch.out() / "grids.json")) << r.output;
    ASSERT_NE(server.log().find(key), std::string::npos) << "the key never reached the proxy:\n" << server.log();
    EXPECT_NE(read_file(scratch.out() / "matrix.json").find("[redacted]"), std::string::npos)
        << "the proxy's answer quotes the key, so the report shows where it was cut";
    auto found = files_with_keys(scratch.out(), {key});
    EXPECT_TRUE(found.empty()) << lines(found);
    EXPECT_EQ(r.output.find(key), std::string::npos) << r.output;
}

// Issue 21.2, launched mode: an extra header's value, a credential in the launch environment and a credential
// flag on the command line are secrets too. A proxy that prints them (and quotes the headers back in its 401)
// leaves none of them in the kept log, the report or the console.
TEST(Secrets, ExtraHeaderAndLaunchCredentialsNeverReachLogOrReport) {
    if (!have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    scratch.add_test_proxy("hyg-echo", "echo-headers", 10000, "rc-hyg-key-echo-5");
    auto p = nlohmann::json::parse(read_file(scratch.fixtures() / "proxies/hyg-echo.json"));
    p["extra_headers"] = {{"x-team-token", "rc-hyg-team-token-5"}};
    p["launch"]["env"]["TEAM_API_KEY"] = "rc-hyg-env-key-8";
    p["launch"]["command"].push_back("--team-token");
    p["launch"]["command"].push_back("rc-hyg-flag-tok-9");
    scratch.write("proxies/hyg-echo.json", p.dump(2));
    auto r = run_routecheck(scratch.matrix_args("hyg-echo", {"--keep-artifacts"}), scratch.log("run"), 90s);
    ASSERT_TRUE(r.in_time) << r.output;
    ASSERT_TRUE(fs::exists(scratch.out() / "matrix.json")) << r.output;
    const std::string log = read_file(scratch.out() / "run/hyg-echo.log");
    ASSERT_NE(log.find("x-team-token"), std::string::npos) << "the test proxy logged no headers:\n" << log;
    ASSERT_NE(log.find("env TEAM_API_KEY="), std::string::npos) << log;
    const std::set<std::string> secrets = {"rc-hyg-key-echo-5", "rc-hyg-team-token-5", "rc-hyg-env-key-8",
                                           "rc-hyg-flag-tok-9"};
    auto found = files_with_keys(scratch.out(), secrets, is_temp_home);
    EXPECT_TRUE(found.empty()) << lines(found);
    for (const auto& k : secrets) EXPECT_EQ(r.output.find(k), std::string::npos) << "on the console: " << k;
}

// Issue 21.2: a password typed into a Base URL is refused and never printed back (paths, doctor, --attach).
TEST(Secrets, PasswordInABaseUrlIsNeverPrintedBack) {
    Scratch scratch;
    const std::string pw = "rc-hyg-pw-31";
    const std::vector<std::vector<std::string>> runs = {
        {"paths", "--client", "claude-code", "--base-url", "http://u:" + pw + "@127.0.0.1:8045/v1"},
        {"paths", "--client", "claude-code", "--base-url", "http://u:" + pw + "/x@127.0.0.1:8045/v1"},
        {"doctor", "--client", "claude-code", "--base-url", "http://u:" + pw + "@127.0.0.1:8045"},
        {"matrix", "--attach", "antigravity-claude-proxy=http://u:" + pw + "@127.0.0.1:1", "--out",
         scratch.out().string()}};
    for (const auto& args : runs) {
        auto r = run_routecheck(args, scratch.log("run"));
        ASSERT_TRUE(r.in_time);
        EXPECT_EQ(r.code, 2) << args[0] << "\n" << r.output;
        EXPECT_EQ(r.output.find(pw), std::string::npos) << args[0] << " printed the password:\n" << r.output;
    }
}

}  // namespace

namespace {

// No tracked file names a path of the machine it was written on: not this checkout's folder, nor the folder
// that holds it (where tools and notes beside the checkout live). Lockfiles are skipped (they hold registry
// URLs only, and are generated).
TEST(Repository, NoMachinePathInTrackedFiles) {
    const fs::path root = repo_root();
    if (!fs::exists(root / ".git")) GTEST_SKIP() << "not a git checkout";
    const std::string listing = (fs::temp_directory_path() / ("rc-ls-files-" + std::to_string(::getpid()))).string();
    if (std::system(("git -C '" + root.string() + "' ls-files -z > '" + listing + "' 2>/dev/null").c_str()) != 0)
        GTEST_SKIP() << "git is not available";
    const std::string files = read_file(listing);
    fs::remove(listing);
    std::vector<std::string> needles = {root.string() + "/"};
    // The holding folder counts unless it is the machine's shared temp folder (a scratch clone in /tmp/x must not
    // flag every "/tmp/..." example in the docs).
    const fs::path parent = root.parent_path();
    if (root.has_parent_path() && parent != root.root_path() && parent != fs::temp_directory_path() &&
        parent != fs::path("/tmp") && parent != fs::path("/var/tmp"))
        needles.push_back(parent.string() + "/");
    std::vector<std::string> found;
    std::size_t start = 0;
    for (std::size_t end; (end = files.find('\0', start)) != std::string::npos; start = end + 1) {
        const std::string rel = files.substr(start, end - start);
        if (rel.size() >= 17 && rel.compare(rel.size() - 17, 17, "package-lock.json") == 0) continue;
        const std::string text = read_file(root / rel);
        if (text.find('\0') != std::string::npos) continue;  // binary
        for (const auto& n : needles)
            if (auto at = text.find(n); at != std::string::npos) found.push_back(rel + ": " + text.substr(at, 60));
    }
    EXPECT_TRUE(found.empty()) << lines(found);
}

}  // namespace
