// One GoogleTest test per matrix cell (proxy.client.variant), registered from the fixtures. The cells are replayed
// and judged once, by one `routecheck matrix` run (the ctest fixture "matrix", so each proxy starts once per run);
// each test reads its cell's judgment from that run's matrix.json and says, when the cell is not as its expected
// table says, what was expected, what came, and the cell's verdict with the same text the report shows.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "judge/judge.hpp"
#include "model/json_access.hpp"
#include "run/matrix_run.hpp"

namespace {

using namespace routecheck;

const char* matrix_path() {
    const char* p = std::getenv("ROUTECHECK_MATRIX_JSON");
    return p ? p : "";
}

// The cell `id` from the run's cells.tsv (written beside matrix.json: "<id>\t<cell json>" per line), so each of the
// thousands of cell processes parses one line, not the whole matrix.json. Null when there is no such line.
nlohmann::json cell_line(const std::string& id) {
    std::filesystem::path index = std::filesystem::path(matrix_path()).parent_path() / "cells.tsv";
    std::ifstream in(index);
    std::string line;
    const std::string prefix = id + "\t";
    while (std::getline(in, line))
        if (line.compare(0, prefix.size(), prefix) == 0) {
            try {
                return nlohmann::json::parse(line.substr(prefix.size()));
            } catch (const std::exception&) {
                return nullptr;
            }
        }
    return nullptr;
}

// The run's whole matrix.json: read only when a cell is not as expected, for its proxy's error and log tail.
nlohmann::json whole_matrix() {
    std::ifstream in(matrix_path());
    if (!in) return nullptr;
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception&) {
        return nullptr;
    }
}

class CellTest : public testing::Test {
public:
    CellTest(std::string proxy, std::string client, std::string variant)
        : proxy_(std::move(proxy)), client_(std::move(client)), variant_(std::move(variant)) {}

    void TestBody() override {
        std::string id = proxy_ + "." + client_ + "." + variant_;
        const nlohmann::json found = cell_line(id);
        if (found.is_null() || found.value("expectation", "") != "pass") {
            // The slow path, only for a cell that did not pass: the proxy's own error, or why nothing is there.
            const nlohmann::json m = whole_matrix();
            ASSERT_TRUE(m.is_object())
                << "no readable matrix.json at '" << matrix_path()
                << "' (set ROUTECHECK_MATRIX_JSON; ctest runs the fixture test matrix.run.<proxy> first)";
            for (const auto& p : m["proxies"])
                if (p["id"] == proxy_ && !p["error"].get<std::string>().empty())
                    FAIL() << proxy_ << " could not be run: " << p["error"].get<std::string>() << "\n"
                           << p["log_tail"].get<std::string>();
            ASSERT_FALSE(found.is_null())
                << "the matrix run has no cell " << id << " (cells.tsv beside " << matrix_path() << ")";
        }
        // Judged once, by the run: this test reads that judgment and never judges again.
        const auto& c = found;
        Finding verdict{diagnosis_from_string(c["verdict"]["class"].get<std::string>()),
                        c["verdict"]["reason"].get<std::string>(), c["verdict"]["fix"].get<std::string>(),
                        c["verdict"]["base_url"].is_string() ? c["verdict"]["base_url"].get<std::string>() : ""};
        std::ostringstream why;
        why << id << " at " << c["base_url"].get<std::string>() << ": " << c["message"].get<std::string>() << "\n"
            << "  verdict: " << verdict_text(verdict) << "\n";
        for (const auto& s : c["steps"]) {
            why << "  " << s["request"].get<std::string>() << " -> "
                << (s["status"].get<int>() ? std::to_string(s["status"].get<int>()) : s["error"].get<std::string>());
            if (s["expected_request"].is_string())
                why << " (expected " << s["expected_request"].get<std::string>() << " -> "
                    << s["expected_status"].dump()
                    << (s["expected_class"].is_string() ? ", " + s["expected_class"].get<std::string>() : std::string())
                    << ")";
            why << " [" << s["outcome"].get<std::string>() << "]\n    " << s["verdict"]["class"].get<std::string>()
                << ": " << s["verdict"]["reason"].get<std::string>() << "\n";
        }
        EXPECT_EQ(c["expectation"].get<std::string>(), "pass") << why.str();
    }

private:
    std::string proxy_, client_, variant_;
};

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    // `--cell proxy.client.variant` registers that one cell (how ctest runs each cell); without it, every cell.
    std::string only;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--cell") only = argv[i + 1];
    static std::unique_ptr<Fixtures> fixtures;
    if (!only.empty()) {
        // One cell (how ctest runs each of thousands): its name says which; the run's cells.tsv has the rest, so
        // this process loads no fixtures (a name the run does not know fails in the test, naming cells.tsv).
        auto a = only.find('.'), b = only.rfind('.');
        if (a == std::string::npos || a == b) {
            std::cerr << "conformance: --cell wants proxy.client.variant, got '" << only << "'\n";
            return 2;
        }
        std::string proxy = only.substr(0, a), client = only.substr(a + 1, b - a - 1), variant = only.substr(b + 1);
        testing::RegisterTest(proxy.c_str(), (client + "." + variant).c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [=]() -> testing::Test* { return new CellTest(proxy, client, variant); });
        return RUN_ALL_TESTS();
    }
    try {
        fixtures =
            std::make_unique<Fixtures>(load_fixtures({std::filesystem::path(ROUTECHECK_SOURCE_ROOT) / "fixtures"}));
    } catch (const std::exception& e) {
        std::cerr << "conformance: cannot load fixtures: " << e.what() << "\n";
        return 2;
    }
    Plan plan = plan_matrix(*fixtures, MatrixOptions{});
    int registered = 0;
    for (const auto& p : plan.proxies) {
        if (p.proxy->provenance != "launched") continue;  // source-only proxies are predictions, not tests
        for (const auto* c : plan.clients)
            for (const auto* v : plan.variants) {
                std::string proxy = p.proxy->id, client = c->id, variant = v->id;
                if (!only.empty() && only != proxy + "." + client + "." + variant) continue;
                testing::RegisterTest(proxy.c_str(), (client + "." + variant).c_str(), nullptr, nullptr, __FILE__,
                                      __LINE__,
                                      [=]() -> testing::Test* { return new CellTest(proxy, client, variant); });
                ++registered;
            }
    }
    if (registered == 0) {
        std::cerr << "conformance: "
                  << (only.empty() ? std::string("the fixtures select no cell of a launched proxy")
                                   : "no cell named '" + only + "' in the fixtures")
                  << "\n";
        return 2;
    }
    return RUN_ALL_TESTS();
}
