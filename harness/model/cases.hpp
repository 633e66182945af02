// The verdict corpus: fixtures/cases/<id>.json, one real case a file (docs/cases.md). A case names a client, the
// Base URL the user typed, how the proxy behaved (played by mock-upstream's stand-in) and the verdict routecheck
// must give. Loaded and validated like every fixture: errors name the file and the JSON pointer.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/fixtures.hpp"
#include "model/json_access.hpp"

namespace routecheck {

struct Case {
    std::string id;
    std::string source_url, source_kind, summary;  // where it comes from, in our own words
    std::string client;                            // a client profile id
    std::string base_url;                          // as typed, with {port} for the stand-in's port
    std::optional<std::string> key;                // the key the user gave the client (none: no key sent)
    std::string key_setting;                       // the client setting (or header) it was given in; "" default
    nlohmann::json proxy;                          // the stand-in's behaviour (mock_upstream/standin.hpp)
    struct Expectation {
        std::string diagnosis;  // the verdict class
        bool works = false;
        std::optional<std::string> fix_base_url;  // with {port}; nullopt: no Base URL is the fix
        std::vector<std::string> fix_mentions;    // words the fix must contain
    };
    Expectation expect;
    // What `doctor` can tell when it differs from a replay of the real requests (its quota-safe probes send an
    // empty body, so a refusal that only the real body triggers stays unseen); "expect"/"doctor" with a note.
    std::optional<Expectation> expect_doctor;
    // What `doctor` without a profile (judging by its probe of the target) can tell, when it is less again.
    std::optional<Expectation> expect_probe;
    std::filesystem::path file;

    // mode: "attach", "doctor" (with the case's profile) or "probe" (doctor with what its probe learned).
    const Expectation& expected_for(const std::string& mode) const {
        if (mode == "probe" && expect_probe) return *expect_probe;
        return mode != "attach" && expect_doctor ? *expect_doctor : expect;
    }
};

// Parses and validates one case; `clients` are the known client profiles (the case's client and key setting
// must name one of theirs). Throws FixtureError with file and pointer.
Case parse_case(const nlohmann::json& doc, const std::filesystem::path& file,
                const std::vector<ClientProfile>& clients);

// Every fixtures/cases/*.json below `root` (none when the folder is absent), sorted by file name.
std::vector<Case> load_cases(const std::filesystem::path& root, const std::vector<ClientProfile>& clients);

// Checks a stand-in's "proxy" object (a case's "proxy" section, or a stand-in file of its own: docs/cases.md):
// FixtureError with the file and pointer of the first field mock_upstream's StandIn could not play.
void check_standin_proxy(const JsonAt& proxy);

// The proxy profile the case's proxy stands for (id "case-<id>", provenance "case"): its routes, health path and
// key headers, as `doctor --proxy` and `matrix --attach` read a profile. The JSON form of a profile file.
nlohmann::json case_proxy_profile(const Case& c);

}  // namespace routecheck
