// fixtures/observed/<proxy>.json: what a proxy known from its source answered when it was run once beside the project
// (curl probes of its routes, key carriers and modes), distilled to one row per distinct answer. suites/attach checks
// the profile's contract (harness/contract/predict.cpp) against every row. Format: docs/design.md ("Observed probes").
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace routecheck {

// One configuration the proxy ran in: its effective auth mode, whether its service was running, and a deployment
// of the profile's behaviour.deployments ("" = the plain binary).
struct ObservedConfig {
    std::string auth;  // off | all_except_health | strict
    bool running = true;
    std::string deployment;
    std::string run;  // how it was started, in words
};

struct ObservedProbe {
    std::string method, target;  // target: the path with its query, as sent
    std::string path;            // without the query
    bool websocket = false;
    std::string model;  // the model its JSON body named, "" when none
    std::string key;    // none | right | wrong: the key that was sent
    std::vector<std::string>
        via;  // how: none | query-key | authorization (Bearer) | authorization-raw | x-api-key | x-goog-api-key
    std::vector<std::string> configs;
    int status = 0;
    std::string pointer;  // "/rows/N", for messages
};

struct ObservedProbes {
    std::string proxy;
    std::string provenance;  // "observed:v<version> (commit, date, how it was run)"
    bool upstream_reachable = true;
    std::map<std::string, ObservedConfig> configs;
    std::vector<ObservedProbe> rows;
    std::filesystem::path file;
};

// Reads and checks one file; errors (FixtureError) name the file and the JSON pointer. Cross-checks against the
// proxy profile (its deployments) are made by load_fixtures.
ObservedProbes parse_observed(const nlohmann::json& doc, const std::filesystem::path& file);

}  // namespace routecheck
