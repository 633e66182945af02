// One GoogleTest test per behaviour grid row (grid.<kind>.<proxy>.<row>), registered from the command line. The
// rows ran inside one `routecheck matrix` run (ctest fixture "matrix": each proxy starts once); each test reads its
// row from that run's grids.json and judges it afresh against fixtures/grids/<proxy>.json, so an updated expected
// table counts without another run. A failure says what was expected, what came, the verdict and why.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "grid/grid.hpp"
#include "model/fixtures.hpp"

namespace {

using namespace routecheck;
using nlohmann::json;

std::string grids_path() {
    const char* p = std::getenv("ROUTECHECK_GRIDS_JSON");
    return p ? p : "";
}

json read_grids() {
    std::ifstream in(grids_path());
    if (!in) return json();
    try {
        return json::parse(in);
    } catch (const std::exception&) {
        return json();
    }
}

class RowTest : public testing::Test {
public:
    RowTest(const Fixtures* f, std::string name) : f_(f), name_(std::move(name)) {}

    void TestBody() override {
        json grids = read_grids();
        ASSERT_TRUE(grids.is_object())
            << "no readable grids.json at '" << grids_path()
            << "' (set ROUTECHECK_GRIDS_JSON; ctest runs the fixture test matrix.run.<proxy> first)";
        for (const auto& p : grids["proxies"]) {
            for (const auto& r : p["rows"]) {
                if (r.value("name", "") != name_) continue;
                auto expected = grid::load_grid_file(*f_, p.value("id", ""));
                std::string why = grid::judge_row(r, expected ? &*expected : nullptr);
                std::string prov = p.value("provenance", "");
                EXPECT_EQ(why, "") << name_ << " (" << prov << "): " << r.value("request", "")
                                   << (r.value("fault", "").empty() ? ""
                                                                    : " with upstream fault " + r.value("fault", ""))
                                   << "\n  " << r.value("verdict", "") << ": " << r.value("detail", "")
                                   << "\n  body: " << r.value("body_excerpt", "").substr(0, 300);
                return;
            }
            if (name_.find("." + p.value("id", "") + ".") != std::string::npos && !p.value("error", "").empty())
                FAIL() << p.value("id", "") << ": grids not run: " << p.value("error", "");
        }
        FAIL() << "the matrix run has no grid row " << name_;
    }

private:
    const Fixtures* f_;
    std::string name_;
};

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    static std::unique_ptr<Fixtures> fixtures;
    try {
        fixtures =
            std::make_unique<Fixtures>(load_fixtures({std::filesystem::path(ROUTECHECK_SOURCE_ROOT) / "fixtures"}));
    } catch (const std::exception& e) {
        std::cerr << "grid_rows: cannot load fixtures: " << e.what() << "\n";
        return 2;
    }
    // `--row NAME` registers that one row (how ctest runs each row); without it, every row of every proxy.
    std::string only;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--row") only = argv[i + 1];
    std::vector<const ProxyProfile*> proxies;
    for (const auto& p : fixtures->proxies) proxies.push_back(&p);
    int registered = 0;
    for (const auto& name : grid::list_rows(*fixtures, proxies)) {
        if (!only.empty() && name != only) continue;
        // GoogleTest names: suite = grid.<kind>.<proxy>, test = the row.
        auto cut = name.find('.', name.find('.', name.find('.') + 1) + 1);
        testing::RegisterTest(name.substr(0, cut).c_str(), name.substr(cut + 1).c_str(), nullptr, nullptr, __FILE__,
                              __LINE__, [=]() -> testing::Test* { return new RowTest(fixtures.get(), name); });
        ++registered;
    }
    if (registered == 0) {
        std::cerr << "grid_rows: "
                  << (only.empty() ? std::string("no grid row in the fixtures") : "no grid row named '" + only + "'")
                  << "\n";
        return 2;
    }
    return RUN_ALL_TESTS();
}
