// The real fixtures: every file loads and validates, and every client profile's join rule reproduces every
// request the real client sent while it was recorded, at every variant.
#include <gtest/gtest.h>

#include <algorithm>

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
        for (const auto& problem : check_recordings(c)) ADD_FAILURE() << problem;
    }
}

// Issue 16: the clients people use, each recorded from its real package; a profile derived from source says why.
TEST(Profiles, RecordedFromTheRealPackageUnlessTheyNameWhyNot) {
    std::size_t recorded = 0;
    for (const auto& c : fixtures().clients) {
        SCOPED_TRACE(c.id);
        if (c.provenance_kind == "recorded") {
            ++recorded;
            EXPECT_TRUE(c.provenance.contains("package") && c.provenance.contains("version"))
                << c.id << ": a recorded profile names the package and version it was recorded from";
        } else {
            EXPECT_TRUE(c.provenance.contains("note") && !c.provenance["note"].get<std::string>().empty())
                << c.id << ": a profile derived from source says why the real client cannot run here";
        }
    }
    EXPECT_GE(fixtures().clients.size(), 35u);
    EXPECT_GE(recorded + 2, fixtures().clients.size()) << "only the two Kilo Code VS Code profiles are derived";
}

// A recorded key carrier is one the recording showed; a client that sends nothing to the Base URL shows none, and
// its recordings are empty at every variant (the judge's BASE_URL_IGNORED rests on that).
TEST(Profiles, KeyCarriersAndIgnoredBaseUrlsMatchTheRecordings) {
    for (const auto& c : fixtures().clients) {
        SCOPED_TRACE(c.id);
        bool any_recorded = std::any_of(c.key_carriers.begin(), c.key_carriers.end(),
                                        [](const KeyCarrier& k) { return k.seen == "recorded"; });
        if (!c.base_url_ignored.empty()) {
            EXPECT_FALSE(any_recorded) << c.id << " sent nothing, so no carrier can have been recorded";
            for (const auto& rec : c.recordings) EXPECT_TRUE(rec.requests.empty()) << rec.variant;
            EXPECT_FALSE(c.recordings.empty());
        } else if (c.provenance_kind == "recorded") {
            EXPECT_TRUE(any_recorded) << c.id << ": the recording shows where the key went";
        }
    }
}

}  // namespace
