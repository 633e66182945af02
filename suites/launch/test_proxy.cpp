// ProxyInstance: install checks, file rendering, retries, loopback enforcement (with a fake proxy), and the real
// antigravity-claude-proxy against a small stub upstream (the full mock upstream test is test_proxy_mock.cpp).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "launch/proxy.hpp"
#include "launch/tempdir.hpp"
#include "model/fixtures.hpp"
#include "model/json_access.hpp"
#include "test_support.hpp"

using namespace routecheck;
using namespace routecheck::launch;
using namespace std::chrono_literals;

namespace {

// A fake npm install dir (node_modules/fake-proxy/package.json) so check_installed passes, and a profile
// whose command runs data/fake_proxy.cjs.
struct FakeInstall {
    TempDir root{"rc-fake-install-"};
    FakeInstall() {
        auto pkg = root.path() / "npm/fake/node_modules/fake-proxy";
        std::filesystem::create_directories(pkg);
        std::ofstream(pkg / "package.json") << R"({"name":"fake-proxy","version":"1.0.0"})";
    }
    ProxyProfile profile(const std::string& mode, bool preload = true) const {
        ProxyProfile p;
        p.id = "fake-proxy";
        p.name = "fake";
        p.provenance = "launched";
        p.npm_package = "fake-proxy";
        p.npm_version = "1.0.0";
        p.npm_dir = "npm/fake";
        p.file = "fixtures/proxies/fake-proxy.json";
        p.api_key = "rc-key";
        ProxyLaunch l;
        l.command = {"node", (test::data_dir() / "fake_proxy.cjs").string(), mode};
        l.env = {{"PORT", "{port}"}, {"STATE_DIR", "{state_dir}"}, {"CONFIG_FILE", "{home}/.fake/config.json"}};
        l.files["{home}/.fake/config.json"] = {{"key", "{api_key}"}, {"upstream", "{upstream}/v1"}};
        l.files["{state_dir}/raw.txt"] = "port={port}";
        l.ready_path = "/health";
        l.ready_timeout_ms = 10000;
        l.use_preload = preload;
        p.launch = l;
        return p;
    }
    ProxySettings settings() const {
        ProxySettings s;
        s.upstream_url = "http://127.0.0.1:9";
        s.preload = test::preload_path();
        s.install_root = root.path();
        return s;
    }
};

class ProxyLaunchTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::have_node()) GTEST_SKIP() << "node is not installed";
    }
};

}  // namespace

TEST(ProxyInstall, MissingPackageNamesProfileAndPathAndSetup) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("serve");
    p.npm_dir = "npm/not-there";
    try {
        ProxyInstance proxy(p, fake.settings());
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("fake-proxy"), std::string::npos) << msg;
        EXPECT_NE(msg.find("npm/not-there/node_modules/fake-proxy/package.json"), std::string::npos) << msg;
        EXPECT_NE(msg.find("scripts/setup"), std::string::npos) << msg;
    }
}

TEST(ProxyInstall, WrongVersionIsReported) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("serve");
    p.npm_version = "2.0.0";
    try {
        check_installed(p, fake.root.path());
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("is 1.0.0 but the profile pins 2.0.0"), std::string::npos) << e.what();
    }
}

TEST(ProxyInstall, SourceOnlyProfileCannotLaunch) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("serve");
    p.launch.reset();
    p.provenance = "source";
    EXPECT_THROW(ProxyInstance(p, fake.settings()), LaunchError);
}

TEST_F(ProxyLaunchTest, RendersFilesAndEnvAndServes) {
    FakeInstall fake;
    TempDir run("rc-run-");
    auto s = fake.settings();
    s.run_dir = run.path();
    ProxyInstance proxy(fake.profile("serve"), s);
    EXPECT_TRUE(proxy.alive());
    EXPECT_GT(proxy.port(), 0);
    EXPECT_EQ(proxy.base_url(), "http://127.0.0.1:" + std::to_string(proxy.port()));
    EXPECT_EQ(proxy.log_path(), run.path() / "fake-proxy.log");
    const auto cfg = read_json_file(proxy.home() / ".fake/config.json");
    EXPECT_EQ(cfg["key"], "rc-key");
    EXPECT_EQ(cfg["upstream"], "http://127.0.0.1:9/v1");
    std::ifstream raw(proxy.state_dir() / "raw.txt");
    std::string text((std::istreambuf_iterator<char>(raw)), {});
    EXPECT_EQ(text, "port=" + std::to_string(proxy.port()));
    for (const auto& l : proxy.listening()) EXPECT_TRUE(l.loopback_v4()) << l.text();

    httplib::Client c("127.0.0.1", proxy.port());
    auto res = c.Get("/x");
    ASSERT_TRUE(res);
    EXPECT_NE(res->body.find("rc-key"), std::string::npos) << "the proxy read the rendered config: " << res->body;

    const pid_t pgid = proxy.pid();
    const auto home = proxy.home();
    EXPECT_TRUE(proxy.stop());
    EXPECT_FALSE(proxy.alive());
    for (pid_t pid : processes_in_group(pgid)) ADD_FAILURE() << "pid " << pid << " left in the group";
    (void)home;
}

TEST_F(ProxyLaunchTest, AfterReadyRequestsAreRenderedAndReadyStatusWaitsForThem) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("setup");
    SetupRequest r;
    r.method = "POST";
    r.path = "/api/setup";
    r.body = {{"endpoint", "{upstream}"}, {"ui_port", "{aux_port}"}};
    p.launch->after_ready = {r};
    p.launch->ready_status = 200;
    ProxyInstance proxy(p, fake.settings());
    // The harness counts the setup as part of the start: the proxy reports healthy by the time it is ready.
    EXPECT_EQ(proxy.ready_status(), 200);
    httplib::Client c("127.0.0.1", proxy.port());
    auto state = c.Get("/setup-state");
    ASSERT_TRUE(state);
    const auto body = nlohmann::json::parse(state->body);
    EXPECT_EQ(body["endpoint"], "http://127.0.0.1:9");
    EXPECT_EQ(body["ui_port"], proxy.vars().at("aux_port"));
    EXPECT_NE(body["ui_port"], std::to_string(proxy.port()));
    auto health = c.Get("/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
}

TEST_F(ProxyLaunchTest, FailedAfterReadyRequestIsALaunchErrorNamingItsPointer) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("setup");
    SetupRequest r;
    r.method = "POST";
    r.path = "/api/not-there";
    p.launch->after_ready = {r};
    try {
        ProxyInstance proxy(p, fake.settings());
        FAIL() << "a setup request answered 404 and the launch went on";
    } catch (const LaunchError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("/launch/after_ready/0"), std::string::npos) << msg;
        EXPECT_NE(msg.find("POST /api/not-there"), std::string::npos) << msg;
        EXPECT_NE(msg.find("status 404"), std::string::npos) << msg;
    }
}

TEST_F(ProxyLaunchTest, ReadyStatusThatNeverComesFailsAtTheDeadline) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("setup");  // no after_ready: /health stays 503
    p.launch->ready_status = 200;
    auto s = fake.settings();
    s.ready_deadline = 6000ms;  // room for a slow node start on a loaded machine; /health answers 503 well before
    const auto t0 = std::chrono::steady_clock::now();
    try {
        ProxyInstance proxy(p, s);
        FAIL() << "a proxy that never answered 200 was called ready";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("waiting for 200"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 15s);
}

TEST(ProxyInstall, MissingPackageSectionInstallNamesPathAndSetup) {
    ProxyProfile p;
    p.id = "py-proxy";
    p.provenance = "launched";
    p.file = "fixtures/proxies/py-proxy.json";
    p.package =
        ProxyProfile::Package{"pypi", "some-proxy[extra]", "1.2.3", "python/proxies/py-proxy", ".venv/bin/some-proxy"};
    ProxyLaunch l;
    l.command = {"{install_dir}/.venv/bin/some-proxy"};
    p.launch = l;
    TempDir root("rc-pkg-");
    auto message = [&] {
        try {
            check_package_installed(p, root.path());
        } catch (const LaunchError& e) {
            return std::string(e.what());
        }
        return std::string("an uninstalled package passed the check");
    };
    // An installed copy (no scripts/setup beside the fixtures): the commands that fill the folder.
    std::string msg = message();
    EXPECT_NE(msg.find("pypi package some-proxy[extra]@1.2.3 is not installed"), std::string::npos) << msg;
    EXPECT_NE(msg.find("python/proxies/py-proxy/.venv/bin/some-proxy"), std::string::npos) << msg;
    const std::string dir = (root.path() / "python/proxies/py-proxy").string();
    EXPECT_NE(msg.find("python3 -m venv " + dir + "/.venv && " + dir + "/.venv/bin/pip install --require-hashes"),
              std::string::npos)
        << msg;
    // A source tree: scripts/setup does it.
    std::filesystem::create_directories(root.path() / "scripts");
    std::ofstream(root.path() / "scripts" / "setup") << "#!/bin/sh\n";
    msg = message();
    EXPECT_NE(msg.find("run scripts/setup py-proxy"), std::string::npos) << msg;
    std::filesystem::create_directories(root.path() / "python/proxies/py-proxy/.venv/bin");
    std::ofstream(root.path() / "python/proxies/py-proxy/.venv/bin/some-proxy") << "#!/bin/sh\n";
    EXPECT_EQ(check_package_installed(p, root.path()), root.path() / "python/proxies/py-proxy");
}

TEST_F(ProxyLaunchTest, TempDirsRemovedUnlessKept) {
    FakeInstall fake;
    std::filesystem::path home;
    {
        ProxyInstance proxy(fake.profile("serve"), fake.settings());
        home = proxy.home();
        EXPECT_TRUE(std::filesystem::exists(home));
    }
    EXPECT_FALSE(std::filesystem::exists(home));
    auto s = fake.settings();
    s.keep_artifacts = true;
    {
        ProxyInstance proxy(fake.profile("serve"), s);
        home = proxy.home();
    }
    EXPECT_TRUE(std::filesystem::exists(home / ".fake/config.json"));
    std::filesystem::remove_all(home.parent_path());
}

TEST_F(ProxyLaunchTest, PortTakenRetriesWithNewPort) {
    FakeInstall fake;
    ProxyInstance proxy(fake.profile("busy-once"), fake.settings());
    EXPECT_EQ(proxy.attempts(), 2);
    EXPECT_TRUE(proxy.alive());
    EXPECT_NE(proxy.log_tail(50).find("EADDRINUSE"), std::string::npos);
}

TEST_F(ProxyLaunchTest, EarlyExitIsAClearError) {
    FakeInstall fake;
    try {
        ProxyInstance proxy(fake.profile("exit"), fake.settings());
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'fake-proxy' did not become ready"), std::string::npos) << msg;
        EXPECT_NE(msg.find("exited with 4"), std::string::npos) << msg;
        EXPECT_NE(msg.find("fake proxy: giving up"), std::string::npos) << msg;
    }
}

TEST_F(ProxyLaunchTest, NonLoopbackListenerFailsTheRun) {
    FakeInstall fake;
    try {
        ProxyInstance proxy(fake.profile("all", /*preload=*/false), fake.settings());
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        EXPECT_NE(std::string(e.what()).find("listens on 0.0.0.0:"), std::string::npos) << e.what();
    }
    // With the preload the same request for 0.0.0.0 lands on 127.0.0.1.
    ProxyInstance proxy(fake.profile("all", /*preload=*/true), fake.settings());
    EXPECT_TRUE(proxy.alive());
}

TEST_F(ProxyLaunchTest, FileOutsideTheRunDirsIsRefused) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("serve");
    p.launch->files["/tmp/routecheck-should-not-exist.json"] = nlohmann::json::object();
    EXPECT_THROW(ProxyInstance(p, fake.settings()), LaunchError);
    EXPECT_FALSE(std::filesystem::exists("/tmp/routecheck-should-not-exist.json"));
}

TEST_F(ProxyLaunchTest, UnknownPlaceholderInProfile) {
    FakeInstall fake;
    ProxyProfile p = fake.profile("serve");
    p.launch->env["X"] = "{nope}";
    try {
        ProxyInstance proxy(p, fake.settings());
        FAIL() << "expected TemplateError";
    } catch (const TemplateError& e) {
        EXPECT_EQ(e.placeholder(), "nope");
        EXPECT_EQ(e.where(), "fixtures/proxies/fake-proxy.json#/launch/env/X");
    }
}

// The real antigravity-claude-proxy, launched from its fixture, against a stub that answers Cloud Code.
TEST_F(ProxyLaunchTest, AntigravityClaudeProxyAgainstStub) {
    const auto fixture = test::repo_root() / "fixtures/proxies/antigravity-claude-proxy.json";
    const ProxyProfile profile = parse_proxy(read_json_file(fixture), fixture);
    try {
        check_installed(profile, test::repo_root());
    } catch (const LaunchError& e) {
        GTEST_SKIP() << e.what();
    }
    test::StubUpstream stub([](const httplib::Request& req, httplib::Response& res) {
        if (req.path.find("fetchAvailableModels") != std::string::npos) {
            res.set_content(
                R"({"models":{"claude-sonnet-4-5":{"displayName":"Claude Sonnet 4.5","quotaInfo":{"remainingFraction":1.0,"resetTime":"2030-01-01T00:00:00Z"}}}})",
                "application/json");
        } else if (req.path.find("streamGenerateContent") != std::string::npos) {
            res.set_content(
                "data: {\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":1}}}\n\n",
                "text/event-stream");
        } else if (req.path.find("generateContent") != std::string::npos) {
            res.set_content(
                R"({"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1}}})",
                "application/json");
        } else {
            res.status = 404;
        }
    });
    ProxySettings s;
    s.upstream_url = stub.url();
    s.preload = test::preload_path();
    s.install_root = test::repo_root();
    ProxyInstance proxy(profile, s);
    EXPECT_TRUE(proxy.alive());
    EXPECT_LT(proxy.ready_ms(), 20000ms);
    for (const auto& l : proxy.listening()) EXPECT_TRUE(l.loopback_v4()) << l.text();

    httplib::Client c("127.0.0.1", proxy.port());
    c.set_read_timeout(20, 0);
    auto res =
        c.Post("/v1/messages",
               {{"x-api-key", profile.api_key},
                {"anthropic-version", "2023-06-01"},
                {"x-routecheck-step", "acp.test.root/prompt.messages"}},
               R"({"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"say hi"}]})",
               "application/json");
    ASSERT_TRUE(res) << proxy.log_tail();
    EXPECT_EQ(res->status, 200) << res->body << "\n" << proxy.log_tail();
    bool generate = false;
    for (const auto& r : stub.seen()) {
        if (r.target.find("generateContent") == std::string::npos) continue;
        generate = true;
        EXPECT_NE(r.header("x-routecheck-origin").find("cloudcode-pa.googleapis.com"), std::string::npos);
        EXPECT_EQ(r.header("x-routecheck-step"), "acp.test.root/prompt.messages");
    }
    EXPECT_TRUE(generate) << "no generateContent call reached the stub\n" << proxy.log_tail();
}
