// routecheck installed into a temp prefix and used the way a proxy project's CI uses it: from another cwd, reading
// <prefix>/share/routecheck (never the source tree), with the project's own fixtures folder holding a proxy
// profile for a proxy started from a plain command and the expected table generated into that folder.
#include <gtest/gtest.h>

#include "install_support.hpp"

using namespace rc_install;
using nlohmann::json;

namespace {

class Installed : public ::testing::Test {
protected:
    void SetUp() override {
        Result r = install_into(prefix());
        ASSERT_EQ(r.rc, 0) << r.both();
        bin_ = prefix() / "bin" / "routecheck";
        share_ = prefix() / "share" / "routecheck";
        work_ = tmp_.path() / "elsewhere";  // the cwd of every run: not the source tree, not the prefix
        fs::create_directories(work_);
    }
    fs::path prefix() const { return tmp_.path() / "prefix"; }
    Result rc(const std::string& args, const Env& env = {}) {
        return run_bash(sh_quote(bin_.string()) + " " + args, work_, env);
    }

    TempFolder tmp_{"rc-install-"};
    fs::path bin_, share_, work_;
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

TEST_F(Installed, LaysOutBinariesPreloadFixturesAndLockfilesOnly) {
    EXPECT_TRUE(fs::exists(prefix() / "bin" / "routecheck"));
    EXPECT_TRUE(fs::exists(prefix() / "bin" / "mock-upstream"));
    EXPECT_TRUE(fs::exists(prefix() / "libexec" / "routecheck" / "routecheck-guardian"));
    EXPECT_TRUE(fs::exists(share_ / "preload.cjs"));
    EXPECT_TRUE(fs::exists(share_ / "fixtures" / "variants.json"));
    EXPECT_TRUE(fs::exists(share_ / "fixtures" / "proxies" / "antigravity-claude-proxy.json"));
    EXPECT_TRUE(fs::exists(share_ / "fixtures" / "expected" / "antigravity-claude-proxy.json"));
    for (const auto& e : fs::directory_iterator(fs::path(RC_SOURCE_DIR) / "npm" / "proxies")) {
        if (!e.is_directory()) continue;
        fs::path dir = share_ / "npm" / "proxies" / e.path().filename();
        EXPECT_TRUE(fs::exists(dir / "package.json")) << dir;
        EXPECT_TRUE(fs::exists(dir / "package-lock.json")) << dir;
    }
    // The PyPI and Go proxies' lockfiles, without the venv or the binary.
    EXPECT_TRUE(fs::exists(share_ / "python" / "proxies" / "litellm" / "requirements.txt"));
    EXPECT_TRUE(fs::exists(share_ / "go" / "proxies" / "cliproxyapi" / "go.mod"));
    EXPECT_TRUE(fs::exists(share_ / "go" / "proxies" / "cliproxyapi" / "go.sum"));
    for (const auto& e : fs::recursive_directory_iterator(share_)) {
        EXPECT_NE(e.path().filename(), "node_modules") << "node_modules must not be installed: " << e.path();
        EXPECT_NE(e.path().filename(), ".venv") << "a venv must not be installed: " << e.path();
        EXPECT_FALSE(e.path().parent_path().filename() == "bin" && e.path().string().find("/go/") != std::string::npos)
            << "a Go proxy's binary must not be installed: " << e.path();
    }
    Result m = run_bash(sh_quote((prefix() / "bin" / "mock-upstream").string()) + " --help", work_);
    EXPECT_NE(m.out + m.err, "") << "mock-upstream did not run from the prefix";
}

TEST_F(Installed, ReadsShareNotTheSourceTree) {
    Result v = rc("validate");
    ASSERT_EQ(v.rc, 0) << v.both();
    EXPECT_NE(v.out.find("fixtures: " + (share_ / "fixtures").string() + "\n"), std::string::npos) << v.out;
    EXPECT_EQ(v.out.find(RC_SOURCE_DIR), std::string::npos) << v.out;
    EXPECT_NE(v.out.find("all valid"), std::string::npos) << v.out;

    // A broken fixture in the source tree does not reach the installed copy. The break is made in a private
    // mount namespace (only the processes of this script see it), so tests running meanwhile are not affected;
    // the build tree's routecheck under the same break shows that it is real.
    fs::path broken = tmp_.path() / "broken-fixtures";
    fs::copy(fs::path(RC_SOURCE_DIR) / "fixtures", broken, fs::copy_options::recursive);
    spit(broken / "variants.json", "{ this is not JSON");
    std::string script = "mount --bind " + sh_quote(broken.string()) + " " +
                         sh_quote((fs::path(RC_SOURCE_DIR) / "fixtures").string()) + " || exit 90\n" +
                         sh_quote(RC_BUILD_ROUTECHECK) + " validate >/dev/null 2>&1; echo \"build:$?\"\n" +
                         sh_quote(bin_.string()) + " validate >/dev/null 2>&1; echo \"installed:$?\"\n";
    fs::path script_file = tmp_.path() / "broken.sh";
    spit(script_file, script);
    Result b = run_bash("unshare --mount --propagation private bash " + sh_quote(script_file.string()), work_);
    if (b.rc != 0) GTEST_SKIP() << "no private mount namespace here (unshare --mount): " << b.both();
    EXPECT_NE(b.out.find("build:2"), std::string::npos) << "the broken source fixture should break the build tree's "
                                                           "routecheck: "
                                                        << b.both();
    EXPECT_NE(b.out.find("installed:0"), std::string::npos) << b.both();

    // And an installed copy whose share/routecheck/fixtures is gone fails on that path; it does not fall back to
    // the source tree.
    fs::rename(share_ / "fixtures", share_ / "fixtures.away");
    Result gone = rc("validate");
    EXPECT_EQ(gone.rc, 2) << gone.both();
    EXPECT_NE(gone.err.find((share_ / "fixtures").string()), std::string::npos) << gone.err;
    fs::rename(share_ / "fixtures.away", share_ / "fixtures");
}

TEST_F(Installed, OwnProxyProfileFromPlainCommandGivesFullReport) {
    fs::path repo = tmp_.path() / "my-proxy-repo";
    write_proxy_repo(repo);
    fs::path fixtures = repo / "routecheck";

    // First run: no expected table yet; --update-expectations writes it into the project's folder (the
    // installed share is left alone).
    Result first = rc("matrix --fixtures " + sh_quote(fixtures.string()) +
                      " --proxy my-proxy --update-expectations --out " + sh_quote((work_ / "r1").string()));
    ASSERT_EQ(first.rc, 0) << first.both();
    ASSERT_TRUE(fs::exists(fixtures / "expected" / "my-proxy.json")) << first.both();
    EXPECT_FALSE(fs::exists(share_ / "fixtures" / "expected" / "my-proxy.json"));
    json table = json::parse(slurp(fixtures / "expected" / "my-proxy.json"));
    EXPECT_EQ(table["proxy"], "my-proxy");
    // The proxy's forwarded requests reached the mock upstream and were attributed to their steps (the tiny
    // proxy forwards the x-routecheck-step header; no preload).
    bool forwarded = false;
    for (const auto& [client, variants] : table["cells"].items())
        for (const auto& [variant, rows] : variants.items())
            for (const auto& row : rows)
                for (const auto& up : row["upstream"])
                    forwarded = forwarded || up.get<std::string>().rfind("POST /v1/messages", 0) == 0;
    EXPECT_TRUE(forwarded) << table.dump(1).substr(0, 2000);

    // Second run, from the project's root with a relative --fixtures (what a CI step does): all as expected, and
    // the step summary gets summary.md appended.
    fs::path summary = work_ / "step-summary.md";
    spit(summary, "earlier step\n");
    Result second = run_bash(sh_quote(bin_.string()) + " matrix --fixtures routecheck --proxy my-proxy --out " +
                                 sh_quote((work_ / "r2").string()),
                             repo, {{"GITHUB_STEP_SUMMARY", summary.string()}});
    ASSERT_EQ(second.rc, 0) << second.both();
    for (const char* f : {"index.html", "summary.md", "matrix.json", "junit.xml"})
        EXPECT_TRUE(fs::exists(work_ / "r2" / f)) << f;
    std::string step_summary = slurp(summary);
    std::string md = slurp(work_ / "r2" / "summary.md");
    ASSERT_FALSE(md.empty());
    EXPECT_EQ(step_summary, "earlier step\n" + md);

    json matrix = json::parse(slurp(work_ / "r2" / "matrix.json"));
    std::size_t cells = 0;
    for (const auto& c : matrix["cells"]) {
        ++cells;
        EXPECT_EQ(c["proxy"], "my-proxy");
    }
    Result list = rc("list-cells --fixtures " + sh_quote(fixtures.string()) + " --proxy my-proxy");
    ASSERT_EQ(list.rc, 0) << list.both();
    EXPECT_EQ(cells, count(list.out, "\n"));
    EXPECT_GT(cells, 0u);

    // junit.xml: one testcase per cell, no failure, the shape CI test reporters read.
    std::string junit = slurp(work_ / "r2" / "junit.xml");
    EXPECT_EQ(junit.rfind("<?xml", 0), 0u) << junit.substr(0, 200);
    EXPECT_NE(junit.find("<testsuites"), std::string::npos);
    EXPECT_EQ(count(junit, "<testcase "), cells);
    EXPECT_EQ(count(junit, "<failure"), 0u);
    std::string index = slurp(work_ / "r2" / "index.html");
    EXPECT_NE(index.find("my-proxy"), std::string::npos);

    // A row that no longer holds: exit 1, a failing testcase in junit.xml.
    json& rows = table["cells"].begin().value().begin().value();
    rows[0]["status"] = rows[0]["status"].get<int>() == 418 ? 419 : 418;
    spit(fixtures / "expected" / "my-proxy.json", table.dump(2) + "\n");
    Result third = rc("matrix --no-grids --fixtures " + sh_quote(fixtures.string()) + " --proxy my-proxy --out " +
                      sh_quote((work_ / "r3").string()));
    EXPECT_EQ(third.rc, 1) << third.both();
    EXPECT_EQ(count(slurp(work_ / "r3" / "junit.xml"), "<failure"), 1u);
}

// The installed routecheck starts the guardian installed with it (<prefix>/libexec/routecheck); one whose guardian is
// missing fails on that path, naming it, before anything runs: it does not borrow the build tree's, which may be of
// another version.
TEST_F(Installed, LaunchesWithItsOwnGuardianOnly) {
    fs::path repo = tmp_.path() / "guardian-repo";
    write_proxy_repo(repo);
    const std::string args = "matrix --no-grids --update-expectations --fixtures " +
                             sh_quote((repo / "routecheck").string()) + " --proxy my-proxy --out ";
    const fs::path guardian = prefix() / "libexec" / "routecheck" / "routecheck-guardian";
    const fs::path away = guardian.string() + ".away";
    ASSERT_TRUE(fs::exists(guardian));
    fs::rename(guardian, away);
    Result missing = rc(args + sh_quote((work_ / "g1").string()));
    fs::rename(away, guardian);
    // Said once, before anything runs: exit 2 (nothing was run), no report folder, no launch attempted.
    EXPECT_EQ(missing.rc, 2) << missing.both();
    EXPECT_NE(missing.err.find("routecheck-guardian was not found (looked for " + guardian.string() + ")"),
              std::string::npos)
        << missing.both();
    EXPECT_EQ(count(missing.err, "was not found"), 1u) << missing.both();
    EXPECT_NE(missing.err.find("nothing was run"), std::string::npos) << missing.both();
    EXPECT_FALSE(fs::exists(work_ / "g1")) << missing.both();
    Result present = rc(args + sh_quote((work_ / "g2").string()));
    EXPECT_EQ(present.rc, 0) << present.both();
}

TEST_F(Installed, NameClashIsAnErrorNamingBothFilesUnlessOverride) {
    fs::path mine = tmp_.path() / "mine";
    json builtin = json::parse(slurp(share_ / "fixtures" / "proxies" / "antigravity-claude-proxy.json"));
    builtin["name"] = "my fork of antigravity-claude-proxy";
    spit(mine / "proxies" / "antigravity-claude-proxy.json", builtin.dump(2));

    Result clash = rc("validate --fixtures " + sh_quote(mine.string()));
    EXPECT_EQ(clash.rc, 2) << clash.both();
    EXPECT_NE(clash.err.find((mine / "proxies" / "antigravity-claude-proxy.json").string()), std::string::npos)
        << clash.err;
    EXPECT_NE(clash.err.find((share_ / "fixtures" / "proxies" / "antigravity-claude-proxy.json").string()),
              std::string::npos)
        << clash.err;
    EXPECT_NE(clash.err.find("--override"), std::string::npos) << clash.err;

    Result over = rc("validate --override --fixtures " + sh_quote(mine.string()));
    EXPECT_EQ(over.rc, 0) << over.both();

    // The same for an expected table and a variant, and for a client profile.
    fs::path more = tmp_.path() / "more";
    fs::create_directories(more / "expected");
    fs::copy_file(share_ / "fixtures" / "expected" / "antigravity-claude-proxy.json",
                  more / "expected" / "antigravity-claude-proxy.json");
    Result t = rc("validate --fixtures " + sh_quote(more.string()));
    EXPECT_EQ(t.rc, 2) << t.both();
    EXPECT_NE(t.err.find((more / "expected" / "antigravity-claude-proxy.json").string()), std::string::npos) << t.err;
    EXPECT_NE(t.err.find((share_ / "fixtures" / "expected" / "antigravity-claude-proxy.json").string()),
              std::string::npos)
        << t.err;

    fs::path vars = tmp_.path() / "vars";
    fs::create_directories(vars);
    fs::copy_file(share_ / "fixtures" / "variants.json", vars / "variants.json");
    Result v = rc("validate --fixtures " + sh_quote(vars.string()));
    EXPECT_EQ(v.rc, 2) << v.both();
    EXPECT_NE(v.err.find((vars / "variants.json").string()), std::string::npos) << v.err;
    EXPECT_NE(v.err.find((share_ / "fixtures" / "variants.json").string()), std::string::npos) << v.err;

    fs::path cl = tmp_.path() / "cl";
    fs::create_directories(cl / "clients");
    fs::copy_file(share_ / "fixtures" / "clients" / "claude-code.json", cl / "clients" / "claude-code.json");
    Result c = rc("matrix --fixtures " + sh_quote(cl.string()) + " --out " + sh_quote((work_ / "never").string()));
    EXPECT_EQ(c.rc, 2) << c.both();
    EXPECT_NE(c.err.find((cl / "clients" / "claude-code.json").string()), std::string::npos) << c.err;
    EXPECT_NE(c.err.find((share_ / "fixtures" / "clients" / "claude-code.json").string()), std::string::npos) << c.err;
    EXPECT_FALSE(fs::exists(work_ / "never")) << "a fixture error must stop before anything runs";
}

TEST_F(Installed, ProxyWithoutUpstreamRedirectRunsTheQuotaSafeSubset) {
    fs::path repo = tmp_.path() / "fixed-repo";
    write_proxy_repo(repo);
    fs::remove(repo / "routecheck" / "proxies" / "my-proxy.json");
    spit(repo / "routecheck" / "proxies" / "my-fixed-proxy.json", tiny_profile("my-fixed-proxy", false).dump(2));
    std::string args = "matrix --fixtures " + sh_quote((repo / "routecheck").string()) + " --proxy my-fixed-proxy";

    Result first = rc(args + " --update-expectations --out " + sh_quote((work_ / "f1").string()));
    ASSERT_EQ(first.rc, 0) << first.both();
    Result second = rc(args + " --out " + sh_quote((work_ / "f2").string()));
    ASSERT_EQ(second.rc, 0) << second.both();

    json matrix = json::parse(slurp(work_ / "f2" / "matrix.json"));
    std::size_t skipped = 0, sent = 0;
    for (const auto& c : matrix["cells"])
        for (const auto& s : c["steps"]) {
            const json& o = s;
            if (o.value("skipped", false)) {
                ++skipped;
                EXPECT_NE(o.value("skip_reason", "").find("redirect"), std::string::npos) << o.dump();
            } else {
                ++sent;
                // Nothing reached the "real" upstream: the tiny proxy answers 502 only when it tried.
                EXPECT_NE(o.value("status", 0), 502) << o.dump();
            }
        }
    EXPECT_GT(skipped, 0u);
    EXPECT_GT(sent, 0u);
    // The skipped steps are shown as such in the page and left out of the expected table.
    EXPECT_NE(slurp(work_ / "f2" / "index.html").find("skipped"), std::string::npos);
    std::string table = slurp(repo / "routecheck" / "expected" / "my-fixed-proxy.json");
    EXPECT_EQ(table.find("\"status\": 502"), std::string::npos) << "a quota step was sent and recorded";
}

// An installed copy has no scripts/setup: a PyPI or Go proxy not yet installed says the command that fills its
// folder under share/ (a new user's trial met "run scripts/setup", which is not there).
TEST_F(Installed, BuiltinPyPIAndGoProxiesSayTheCommandThatInstallsThem) {
    Result py = rc("matrix --proxy litellm --client claude-code --variant root --no-grids --out " +
                   sh_quote((work_ / "py").string()));
    EXPECT_EQ(py.rc, 1) << py.both();
    const std::string litellm = (share_ / "python" / "proxies" / "litellm").string();
    EXPECT_NE(py.err.find("python3 -m venv " + litellm + "/.venv"), std::string::npos) << py.err;
    EXPECT_NE(py.err.find("--require-hashes --no-deps -r " + litellm + "/requirements.txt"), std::string::npos)
        << py.err;
    EXPECT_EQ(py.err.find("scripts/setup"), std::string::npos) << py.err;
    Result go = rc("matrix --proxy cliproxyapi --client claude-code --variant root --no-grids --out " +
                   sh_quote((work_ / "go").string()));
    EXPECT_EQ(go.rc, 1) << go.both();
    const std::string cliproxy = (share_ / "go" / "proxies" / "cliproxyapi").string();
    EXPECT_NE(go.err.find("cd " + cliproxy + " && go build -mod=readonly -trimpath -o bin/cliproxyapi github.com/"),
              std::string::npos)
        << go.err;
    EXPECT_EQ(go.err.find("scripts/setup"), std::string::npos) << go.err;
}

TEST_F(Installed, BuiltinProxyWithoutNodeModulesSaysHowToInstallIt) {
    Result r = rc("matrix --proxy antigravity-claude-proxy --client claude-code --variant root --no-grids --out " +
                  sh_quote((work_ / "b").string()));
    EXPECT_EQ(r.rc, 1) << r.both();
    EXPECT_NE(r.err.find("npm ci --ignore-scripts"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find((share_ / "npm" / "proxies" / "antigravity-claude-proxy").string()), std::string::npos)
        << r.err;
}

}  // namespace
