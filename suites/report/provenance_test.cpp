// Versions and provenance (issue 19 item 1): the report header, the grid rows, summary.md and matrix.json name
// routecheck's version and, for every client and proxy, its package version, how it is known and when. Nothing
// calls a profile "recorded from the real clients" that was not.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/version.hpp"
#include "report/report.hpp"
#include "run/provenance.hpp"
#include "sample_report.hpp"

namespace {

using namespace routecheck;
namespace fs = std::filesystem;

const Fixtures& builtin() {
    static const Fixtures f = load_fixtures({fs::path(ROUTECHECK_SOURCE_ROOT) / "fixtures"});
    return f;
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Provenance, ClientsSayRecordedOrDerivedFromSourceAndWhen) {
    const ClientRunInfo cc = client_run_info(*builtin().client("claude-code"));
    EXPECT_EQ(cc.name, "Claude Code");
    EXPECT_EQ(cc.protocol, "anthropic");
    EXPECT_EQ(cc.package, "@anthropic-ai/claude-code");
    EXPECT_FALSE(cc.version.empty());
    EXPECT_EQ(cc.known.how, "recorded");
    EXPECT_EQ(cc.known.when, "2026-11-27");
    EXPECT_EQ(cc.known.detail, "scripts/record-client claude-code");
    EXPECT_EQ(cc.registry, "npm");
    EXPECT_EQ(client_run_info(*builtin().client("openai-python")).registry, "pypi");

    const ClientRunInfo kilo = client_run_info(*builtin().client("kilo-code-vscode-openai"));
    EXPECT_EQ(kilo.known.how, "derived from source");
    EXPECT_EQ(kilo.known.when, "2026-11-27");
    EXPECT_EQ(kilo.known.detail, "Kilo-Org/kilocode@0fc86ce");

    // The two Codex rows are told apart by their names (the mode) and ids.
    const ClientRunInfo a = client_run_info(*builtin().client("codex-cli")),
                        b = client_run_info(*builtin().client("codex-cli-openai"));
    EXPECT_NE(a.name, b.name);
    EXPECT_NE(a.name.find("custom provider"), std::string::npos) << a.name;
}

TEST(Provenance, ProxiesSayLaunchedPredictedProbedOrObserved) {
    ProxyRunInfo launched;
    launched.provenance = "launched";
    describe_proxy(launched, *builtin().proxy("antigravity-claude-proxy"), "2026-11-29T10:00:00Z");
    EXPECT_EQ(launched.package, "antigravity-claude-proxy");
    EXPECT_EQ(launched.version, "2.0.4");
    EXPECT_EQ(launched.known.how, "launched");
    EXPECT_EQ(launched.known.when, "2026-11-29");

    ProxyRunInfo litellm;
    litellm.provenance = "launched";
    describe_proxy(litellm, *builtin().proxy("litellm"), "2026-11-29T10:00:00Z");
    EXPECT_EQ(litellm.package, "litellm[proxy]");
    EXPECT_EQ(litellm.known.detail, "PyPI python/proxies/litellm (hashed requirements)");

    ProxyRunInfo source;
    source.provenance = "source";
    describe_proxy(source, *builtin().proxy("antigravity-tools"), "2026-11-29T10:00:00Z");
    EXPECT_EQ(source.known.how, "predicted");
    EXPECT_EQ(source.version, "v4.5.8");
    EXPECT_EQ(source.package, "lbjlaq/Antigravity-Manager");
    EXPECT_EQ(source.known.when, "2026-08-22");
    EXPECT_NE(source.known.detail.find("corrected by observation on 2026-11-29"), std::string::npos)
        << source.known.detail;

    ProxyRunInfo attached;
    attached.provenance = "attached";
    attached.version = "4.5.8";  // what its health answer said
    describe_proxy(attached, *builtin().proxy("antigravity-tools"), "2026-11-30T10:00:00Z");
    EXPECT_EQ(attached.known.how, "observed");
    EXPECT_EQ(attached.known.when, "2026-11-30");
    EXPECT_EQ(attached.version, "4.5.8");

    nlohmann::json probed = {
        {"id", "probed-8045"},
        {"name", "the proxy at http://127.0.0.1:8045"},
        {"provenance", "probed"},
        {"source", {{"probed_at", "2026-11-28"}, {"target", "http://127.0.0.1:8045"}, {"version", "9.9"}}},
        {"health", {{"path", "/health"}}},
        {"capabilities", {"openai"}},
        {"routes", {{{"method", "POST"}, {"path", "/v1/chat/completions"}}}}};
    ProxyRunInfo p;
    p.provenance = "source";
    describe_proxy(p, parse_proxy(probed, "probed.json"), "2026-11-29T10:00:00Z");
    EXPECT_EQ(p.known.how, "probed");
    EXPECT_EQ(p.known.when, "2026-11-28");
    EXPECT_EQ(p.version, "9.9");
}

MatrixReport with_provenance() {
    MatrixReport r = sample::report();
    r.routecheck_version = "0.1.0 (git abc1234)";
    r.proxies[0].package = "px-package";
    r.proxies[0].version = "1.2.3";
    r.proxies[0].known = {"launched", "2026-11-27", "npm npm/proxies/px (lockfile)"};
    r.proxies[1].known = {"predicted", "2026-08-22", "from its source @9b3dd14"};
    r.clients = {{"claude-code",
                  "Claude Code",
                  "anthropic",
                  "@anthropic-ai/claude-code",
                  "2.1.332",
                  "npm",
                  {"recorded", "2026-11-27", "scripts/record-client claude-code"}},
                 {"openai-node", "OpenAI Node SDK", "openai", "openai", "6.9.1", "npm", {"recorded", "2026-11-27", ""}},
                 {"kilo-vscode",
                  "Kilo Code VS Code extension (OpenAI Compatible provider)",
                  "openai",
                  "Kilo-Org/kilocode",
                  "",
                  "",
                  {"derived from source", "2026-11-27", "Kilo-Org/kilocode@0fc86ce"}}};
    r.cells.push_back(sample::cell("px", "kilo-vscode", "root", CellVerdict::Pass, Diagnosis::Ok,
                                   {sample::step("chat", "POST /chat/completions", 200, Diagnosis::Ok)}));
    return r;
}

TEST(Provenance, MatrixJsonNamesEveryVersionAndHowItIsKnown) {
    const auto j = matrix_json(with_provenance());
    EXPECT_EQ(j["routecheck_version"], "0.1.0 (git abc1234)");
    EXPECT_EQ(j["proxies"][0]["package"], "px-package");
    EXPECT_EQ(j["proxies"][0]["version"], "1.2.3");
    EXPECT_EQ(j["proxies"][0]["known"]["how"], "launched");
    EXPECT_EQ(j["proxies"][0]["known"]["when"], "2026-11-27");
    EXPECT_EQ(j["proxies"][1]["known"]["how"], "predicted");
    ASSERT_EQ(j["clients"].size(), 3u);
    EXPECT_EQ(j["clients"][0]["version"], "2.1.332");
    EXPECT_EQ(j["clients"][0]["known"]["how"], "recorded");
    EXPECT_EQ(j["clients"][2]["known"]["how"], "derived from source");
    EXPECT_EQ(j["clients"][2]["name"], "Kilo Code VS Code extension (OpenAI Compatible provider)");
}

TEST(Provenance, HeaderRowsAndSummaryNameVersionsAndHow) {
    const MatrixReport r = with_provenance();
    const std::string html = index_html(r), md = summary_markdown(r);
    for (const std::string& text : {html, md}) {
        EXPECT_NE(text.find("0.1.0 (git abc1234)"), std::string::npos);
        EXPECT_NE(text.find("px-package"), std::string::npos);
        EXPECT_NE(text.find("1.2.3"), std::string::npos);
        EXPECT_NE(text.find("launched"), std::string::npos);
        EXPECT_NE(text.find("2.1.332"), std::string::npos);
        EXPECT_NE(text.find("derived from source"), std::string::npos);
    }
    // A grid row names the client and its mode, not only its id, and how its requests are known.
    const auto row = html.find("<tr data-client=\"kilo-vscode\">");
    ASSERT_NE(row, std::string::npos);
    const std::string heading = html.substr(row, html.find("</th>", row) - row);
    EXPECT_NE(heading.find("Kilo Code VS Code extension (OpenAI Compatible provider)"), std::string::npos) << heading;
    EXPECT_NE(heading.find("derived from source 2026-11-27"), std::string::npos) << heading;
    const auto cc = html.find("<tr data-client=\"claude-code\">");
    ASSERT_NE(cc, std::string::npos);
    EXPECT_NE(html.substr(cc, html.find("</th>", cc) - cc).find("recorded 2026-11-27"), std::string::npos);
}

// Where a text says profiles were recorded from the real clients, it also says some were derived from source.
void expect_no_unqualified_recorded_claim(const std::string& text, const std::string& where) {
    for (const char* claim : {"recorded from the real client", "recorded from real client"}) {
        for (auto at = text.find(claim); at != std::string::npos; at = text.find(claim, at + 1)) {
            const std::string around = text.substr(at, 300);
            EXPECT_NE(around.find("source"), std::string::npos)
                << where << " says \"" << claim << "\" without naming the profiles derived from source: " << around;
        }
    }
}

TEST(Provenance, NothingCallsEveryProfileRecorded) {
    const MatrixReport r = with_provenance();
    expect_no_unqualified_recorded_claim(index_html(r), "index.html");
    expect_no_unqualified_recorded_claim(summary_markdown(r), "summary.md");
    expect_no_unqualified_recorded_claim(read_all(fs::path(ROUTECHECK_SOURCE_ROOT) / "README.md"), "README.md");
}

TEST(Provenance, RoutecheckVersionIsTheProjectVersionAndTheBinarySaysIt) {
    const std::string v = routecheck_version();
    EXPECT_EQ(v.rfind(ROUTECHECK_VERSION, 0), 0u) << v;
    if (fs::exists(fs::path(ROUTECHECK_SOURCE_ROOT) / ".git")) {
        EXPECT_NE(v.find(" (git "), std::string::npos) << "built from a git checkout: " << v;
    }
    FILE* p = popen((std::string("'") + ROUTECHECK_BIN + "' --version").c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[256] = {};
    std::string out = std::fgets(buf, sizeof buf, p) ? buf : "";
    pclose(p);
    EXPECT_EQ(out, "routecheck " + v + "\n");
}

}  // namespace
