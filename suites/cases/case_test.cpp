// One verdict-corpus case through one path of routecheck against the case's stand-in, through the built binary as
// a user runs it: `doctor --target --proxy <the case's profile>` (doctor), `matrix --attach` (attach), or
// `doctor --target` with no profile at all, judging by what its probe of the stand-in learns (probe). The case's expected class, works and fix Base URL
// must come out; on a mismatch the test prints the whole verdict and every step.
//   case_tests --case ID --mode doctor|attach|probe
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "join/join.hpp"
#include "mock_upstream/standin.hpp"
#include "model/cases.hpp"
#include "model/fixtures.hpp"

namespace {

using namespace routecheck;
namespace fs = std::filesystem;
using nlohmann::json;

std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string port_in(std::string text, int port) {
    for (auto at = text.find("{port}"); at != std::string::npos; at = text.find("{port}"))
        text.replace(at, 6, std::to_string(port));
    return text;
}

struct CommandRun {
    int exit = -1;
    std::string out;
};

CommandRun run(const std::string& cmd) {
    CommandRun r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    int st = pclose(p);
    r.exit = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

class CaseTest : public testing::Test {
public:
    CaseTest(const Case* c, std::string mode) : c_(c), mode_(std::move(mode)) {}

    void TestBody() override {
        const Case& c = *c_;
        mock::StandIn standin(c.proxy);
        standin.start();
        const int port = standin.port();
        fs::path dir = fs::temp_directory_path() / ("routecheck-case-" + std::to_string(::getpid()) + "-" + mode_);
        fs::remove_all(dir);
        fs::create_directories(dir / "proxies");
        std::ofstream(dir / "proxies" / ("case-" + c.id + ".json")) << case_proxy_profile(c).dump(2);
        std::ofstream(dir / "variants.json")
            << json{{"variants",
                     {{{"id", "case"}, {"base_url", c.base_url}, {"note", "the Base URL of case " + c.id}}}}}
                   .dump(2);
        std::string key;
        if (c.key)
            key =
                " --api-key " + quote(*c.key) + (c.key_setting.empty() ? "" : " --key-setting " + quote(c.key_setting));
        const std::string bin = quote(ROUTECHECK_BIN), fx = " --fixtures " + quote(dir.string());
        json verdict_holder;
        CommandRun r;
        if (mode_ == "doctor" || mode_ == "probe") {
            // probe: no profile at all, the doctor learns the stand-in's contract by probing it first.
            std::string proxy = mode_ == "doctor" ? fx + " --proxy " + quote("case-" + c.id) : std::string();
            r = run(bin + " doctor" + proxy + " --client " + quote(c.client) + " --base-url " +
                    quote(port_in(c.base_url, port)) + " --target " + quote(standin.url()) + key + " --json");
            verdict_holder = json::parse(r.out, nullptr, false);
        } else {
            fs::path out = dir / "out";
            r = run(bin + " matrix" + fx + " --attach " + quote("case-" + c.id + "=" + standin.url()) + " --client " +
                    quote(c.client) + " --variant case --allow-quota --no-grids --no-fail --out " +
                    quote(out.string()) + key);
            std::ifstream in(out / "matrix.json");
            json m = in ? json::parse(in, nullptr, false) : json();
            if (m.is_object() && m["cells"].is_array() && m["cells"].size() == 1) verdict_holder = m["cells"][0];
        }
        standin.stop();
        fs::remove_all(dir);
        ASSERT_TRUE(verdict_holder.is_object() && verdict_holder.contains("verdict"))
            << "no verdict from routecheck (exit " << r.exit << "):\n"
            << r.out;
        const json& v = verdict_holder["verdict"];
        std::ostringstream why;
        why << "case " << c.id << " (" << c.source_url << ")\n  " << c.summary << "\n  " << c.client << " at "
            << port_in(c.base_url, port) << " via " << mode_ << "\n  verdict: " << v.dump() << "\n";
        for (const auto& s : verdict_holder["steps"])
            why << "  " << s["request"].get<std::string>() << " -> " << s["status"] << " ["
                << s["outcome"].get<std::string>() << "] " << s["verdict"]["class"].get<std::string>() << ": "
                << s["verdict"]["reason"].get<std::string>() << "\n";
        const Case::Expectation& want = c.expected_for(mode_);
        EXPECT_EQ(v["class"].get<std::string>(), want.diagnosis) << why.str();
        EXPECT_EQ(verdict_holder["works"].get<bool>(), want.works) << why.str();
        json want_base = want.fix_base_url ? json(port_in(*want.fix_base_url, port)) : json(nullptr);
        EXPECT_EQ(v["base_url"], want_base) << why.str();
        for (const auto& word : want.fix_mentions)
            EXPECT_NE(v["fix"].get<std::string>().find(word), std::string::npos)
                << "the fix does not name '" << word << "'\n"
                << why.str();
        if (mode_ != "attach") {
            EXPECT_EQ(r.exit, want.works ? 0 : 1) << why.str();
        }
    }

private:
    const Case* c_;
    std::string mode_;
};

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    std::string only, mode;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--case") only = argv[i + 1];
        if (std::string(argv[i]) == "--mode") mode = argv[i + 1];
    }
    static std::vector<Case> cases;
    try {
        fs::path root = fs::path(ROUTECHECK_SOURCE_ROOT) / "fixtures";
        Fixtures f = load_fixtures({root});
        cases = load_cases(root, f.clients);
    } catch (const std::exception& e) {
        std::cerr << "case_tests: " << e.what() << "\n";
        return 2;
    }
    int registered = 0;
    for (const auto& c : cases)
        for (std::string m : {"doctor", "attach", "probe"}) {
            if ((!only.empty() && only != c.id) || (!mode.empty() && mode != m)) continue;
            const Case* cp = &c;
            testing::RegisterTest("Case", (c.id + "." + m).c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                  [=]() -> testing::Test* { return new CaseTest(cp, m); });
            ++registered;
        }
    if (registered == 0) {
        std::cerr << "case_tests: no case "
                  << (only.empty() ? std::string("in fixtures/cases") : "named '" + only + "'") << "\n";
        return 2;
    }
    return RUN_ALL_TESTS();
}
