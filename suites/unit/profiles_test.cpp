// The real fixtures: every file loads and validates, and every client profile's join rule reproduces every
// request the real client sent while it was recorded, at every variant.
#include <gtest/gtest.h>

#include "join/join.hpp"
#include "model/fixtures.hpp"

namespace {

using namespace routecheck;

const Fixtures& fixtures() {
    static Fixtures f = load_fixtures({std::filesystem::path(ROUTECHECK_SOURCE_ROOT) / "fixtures"});
    return f;
}

TEST(Profiles, AllLoad) {
    ASSERT_NO_THROW(fixtures());
    EXPECT_GE(fixtures().clients.size(), 2u);
    EXPECT_GE(fixtures().variants.size(), 6u);
}

TEST(Profiles, EachReproducesItsRecordings) {
    for (const auto& c : fixtures().clients) {
        SCOPED_TRACE(c.id);
        if (c.provenance_kind == "recorded") EXPECT_FALSE(c.recordings.empty()) << c.id << " has no recordings";
        for (const auto& rec : c.recordings) {
            if (rec.requests.empty()) continue;
            std::string base = render_base_url(rec.base_url, 8045, 9);
            std::vector<std::string> got;
            for (const auto& s : c.steps) got.push_back(request_line(c, s, base));
            std::vector<std::string> want;
            for (auto r : rec.requests) want.push_back(r);
            EXPECT_EQ(got, want) << c.id << " at variant " << rec.variant << " (" << rec.base_url << ")";
        }
    }
}

}  // namespace
