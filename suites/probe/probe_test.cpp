// `routecheck probe` and `routecheck doctor` against each launched proxy, through the built binary, with the mock
// upstream behind the proxy: (1) the probed profile's client-facing routes, key headers and auth order match the
// hand-written profile, every difference listed with why; (2) quota safety is proven from the mock's journal:
// nothing billable (a generation request with content) reached the upstream.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "contract/routes.hpp"
#include "launch/proxy.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "model/fixtures.hpp"
#include "model/json_access.hpp"

namespace {

using namespace routecheck;
namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRepo = ROUTECHECK_REPO_ROOT;

std::string run(const std::string& cmd, int* exit_code = nullptr) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int st = pclose(p);
    if (exit_code) *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

// A request an upstream would bill: a generation call whose body carries something to generate from.
bool billable(const mock::JournalEntry& e) {
    const std::string& p = e.path;
    bool generation = p.find("enerateContent") != std::string::npos ||
                      p.find("/chat/completions") != std::string::npos || p.find("/responses") != std::string::npos ||
                      p.find("/completions") != std::string::npos ||
                      (p.find("/messages") != std::string::npos && p.find("count_tokens") == std::string::npos);
    if (!generation) return false;
    json b = json::parse(e.body, nullptr, false);
    if (!b.is_object()) return false;
    for (const char* k : {"messages", "contents", "input", "prompt"})
        if (b.contains(k) && !b[k].empty()) return true;
    return b.contains("request") && b["request"].is_object() && b["request"].contains("contents") &&
           !b["request"]["contents"].empty();
}

std::vector<std::string> launched_proxies() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(kRepo / "fixtures/proxies")) {
        json j = read_json_file(e.path());
        if (j.value("provenance", "") == "launched") out.push_back(j["id"].get<std::string>());
    }
    std::sort(out.begin(), out.end());
    return out;
}

class ProbeLaunched : public testing::TestWithParam<std::string> {};

TEST_P(ProbeLaunched, LearnsTheHandWrittenContractAndBillsNothing) {
    fs::path file = kRepo / "fixtures/proxies" / (GetParam() + ".json");
    ProxyProfile hand = parse_proxy(read_json_file(file), file);
    // A proxy that forwards every path under its prefix to the upstream as it is (better-ccflare) answers a path
    // it lacks with the upstream's own 404: nothing a probe sees tells its routes from its misses, and every probe
    // request reaches the upstream by design. Its profile says so ("upstream": {"pass_through": true}).
    if (hand.raw.contains("upstream") && hand.raw["upstream"].value("pass_through", false))
        GTEST_SKIP() << hand.id << " passes every path under its prefix through to the upstream: a probe cannot learn "
                     << "its routes (" << hand.raw["upstream"].value("note", "") << ")";
    try {
        launch::check_installed(hand, kRepo);
    } catch (const std::exception& e) {
        GTEST_SKIP() << e.what();
    }
    mock::Options mo;
    mo.protocols = hand.upstream_protocols;
    mock::MockUpstream upstream(mo);
    upstream.start();
    launch::ProxySettings s;
    s.upstream_url = upstream.url();
    s.preload = kRepo / "harness/launch/preload.cjs";
    s.install_root = kRepo;
    launch::ProxyInstance proxy(hand, s);
    upstream.clear();

    fs::path dir = fs::temp_directory_path() / ("routecheck-probe-test-" + std::to_string(::getpid()) + "-" + hand.id);
    fs::remove_all(dir);
    fs::create_directories(dir / "proxies");
    const std::string bin = std::string("'") + ROUTECHECK_BIN + "'";
    std::string key = hand.api_key.empty() ? "" : " --api-key '" + hand.api_key + "'";
    // Headers the proxy needs on every request (Portkey names its provider per request): the OpenAI family's.
    std::string headers;
    for (const auto* group : {&hand.extra_headers})
        for (const auto& [k, v] : *group) headers += " --header '" + k + ": " + v + "'";
    auto by = hand.extra_headers_by_protocol.find("openai");
    if (by != hand.extra_headers_by_protocol.end())
        for (auto [k, v] : by->second) {
            for (auto at = v.find("{upstream}"); at != std::string::npos; at = v.find("{upstream}"))
                v.replace(at, 10, upstream.url());
            headers += " --header '" + k + ": " + v + "'";
        }
    int code = -1;
    std::string out = run(bin + " probe --target " + proxy.base_url() + key + headers + " --save '" +
                              (dir / "proxies" / "probed.json").string() + "' --id probed --json",
                          &code);
    ASSERT_EQ(code, 0) << out;
    json probe = json::parse(out.substr(out.find('{')), nullptr, false);
    ASSERT_TRUE(probe.is_object()) << out;
    ProxyProfile learned = parse_proxy(read_json_file(dir / "proxies" / "probed.json"), dir / "probed.json");

    // (1) Client-facing routes: every path the probe tried, hand-written route or not, against what it learned.
    int hand_routes = 0, found = 0;
    std::vector<std::string> differences;
    for (const auto& r : probe["routes"]) {
        std::string m = r["method"], p = r["path"], state = r["state"];
        bool listed = false, under_pass_through = false;
        for (const auto& hr : hand.routes) {
            if (hr.fallback || !route_path_matches(hr.path, p) || (hr.method != "*" && hr.method != m)) continue;
            // A route ending in /** forwards whatever is under it to a provider as it is (LiteLLM's /anthropic/**):
            // its answer is the provider's, so a probe cannot tell a route there from a miss (as the judge treats
            // such routes: harness/judge/path.cpp pass_through).
            bool pass = hr.path.size() >= 3 && hr.path.compare(hr.path.size() - 3, 3, "/**") == 0;
            (pass ? under_pass_through : listed) = true;
        }
        if (under_pass_through && !listed) continue;
        hand_routes += listed;
        found += listed && state == "route";
        if (listed != (state == "route"))
            differences.push_back(m + " " + p + ": profile " + (listed ? "lists it" : "does not") + ", probe says " +
                                  state + " (" + r["how"].get<std::string>() + ")");
    }
    std::set<std::string> hand_carriers(hand.auth_carriers.begin(), hand.auth_carriers.end());
    std::set<std::string> learned_carriers(learned.auth_carriers.begin(), learned.auth_carriers.end());
    std::string report = hand.id + ": " + std::to_string(found) + " / " + std::to_string(hand_routes) +
                         " client-facing routes found; key headers " + probe["auth"].dump() + "\n";
    for (const auto& d : differences) report += "  difference: " + d + "\n";
    std::cout << report;
    RecordProperty("routes_found", found);
    RecordProperty("routes_in_profile", hand_routes);
    EXPECT_TRUE(differences.empty()) << report;
    if (!hand.api_key.empty()) EXPECT_EQ(learned_carriers, hand_carriers) << report;
    else EXPECT_EQ(probe["auth"]["seen"], false) << report;
    // Auth order, as the hand-checked auth grid (fixtures/grids/<proxy>.json) observed it without a key.
    json grid = read_json_file(kRepo / "fixtures/grids" / (hand.id + ".json"));
    // Denied: 401/403, or any error where the right key gets an answer (LiteLLM: 500 without its key, 200 with it).
    auto status_of = [&](const std::string& row) {
        const json& r = grid["auth"].contains(row) ? grid["auth"][row] : json();
        const json& one = r.is_array() && !r.empty() ? r[0] : r;
        return one.is_object() ? one.value("status", 0) : 0;
    };
    auto denied = [&](const std::string& row) {
        int s = status_of(row);
        int keyed = status_of("right-key.authorization." + row.substr(row.find('.') + 1));
        return s == 401 || s == 403 || (s >= 400 && keyed > 0 && keyed < 400);
    };
    std::string want = denied("no-key.unknown-outside")  ? "before-routing"
                       : denied("no-key.unknown-prefix") ? "before-routing under /v1"
                       : denied("no-key.known")          ? "after-routing"
                                                         : "none";
    EXPECT_EQ(probe["auth"]["order"].get<std::string>(), want) << report;

    // (2) doctor, with the learned contract and with the hand-written one: quota-safe too.
    for (const char* client : {"claude-code", "openai-node", "gemini-cli"}) {
        run(bin + " doctor --client " + client + " --base-url " + proxy.base_url() + " --target " + proxy.base_url() +
            key + " --json");
        run(bin + " doctor --client " + client + " --base-url " + proxy.base_url() + "/v1 --target " +
            proxy.base_url() + key + " --proxy " + hand.id + " --json");
    }
    std::string billed;
    for (const auto& e : upstream.journal())
        if (billable(e)) billed += "  " + e.method + " " + e.target + " " + e.body.substr(0, 200) + "\n";
    std::cout << hand.id << ": " << upstream.journal().size() << " upstream requests during probe and doctor\n";
    EXPECT_TRUE(billed.empty()) << "billable upstream requests:\n" << billed;
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Proxies, ProbeLaunched, testing::ValuesIn(launched_proxies()),
                         [](const testing::TestParamInfo<std::string>& i) {
                             std::string n = i.param;
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

}  // namespace
