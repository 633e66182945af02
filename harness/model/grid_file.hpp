// The behaviour grid fixtures, typed like the rest of the model: the grid file of each proxy,
// fixtures/grids/<proxy>.json (its "setup" overrides and the expected rows), and the row catalogue,
// fixtures/grids/catalogue.json (what each row of the auth, health and streaming grids sends). Both are parsed
// into the structs below when the fixtures load (`routecheck validate` and every command that loads fixtures), so
// a misspelt key or a wrong type is a FixtureError at its file and JSON pointer before anything starts; harness/grid
// plans, runs and judges the rows from these structs, never from raw JSON. Format and meaning: docs/grids.md.
// (A proxy profile's "behaviour" section is parsed and checked by model/behaviour.hpp.)
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/json_access.hpp"

namespace routecheck {

// One request a grid row sends: method, path (+query), headers, body (null: none). In the catalogue its strings
// may hold placeholders (kGridPlaceholders), filled in when the rows are planned.
struct GridProbe {
    std::string method = "GET";
    std::string path = "/";
    nlohmann::json body;  // null: no body
    std::map<std::string, std::string> headers;
};

// The "setup" section of a grid file: overrides of what the rows send to this proxy. Unset: the catalogue's
// default or what the proxy profile says (harness/grid/grid.hpp setup_for).
struct GridSetup {
    std::optional<GridProbe> known;                            // the auth grid's known route
    std::optional<std::string> api_prefix;                     // "/..." or ""
    std::optional<std::string> health_path;                    // "" : the proxy has no health endpoint
    std::optional<std::vector<std::string>> stream_protocols;  // anthropic | openai | gemini
    std::map<std::string, std::string> models;                 // protocol -> model name the stream rows send
    std::optional<int> health_timeout_ms;                      // 1..600000
    std::optional<int> stream_timeout_ms;                      // 1..600000
};

// What one row observed, as far as the expected table compares it (the "observed" member of a grids.json row,
// or one expected outcome of a grid file). Which members are set depends on the row's kind (grid/grid.hpp
// expected_view). `note` is a reviewer's comment: shown, never compared.
struct GridOutcome {
    std::optional<int> status;  // 0 (no answer) or 100..599
    std::optional<std::string> verdict;
    std::optional<bool> upstream;
    std::optional<std::string> error_shape;  // native | foreign | none
    std::optional<bool> retry_after;
    std::string note;

    bool operator==(const GridOutcome& o) const {  // every member but the note
        return status == o.status && verdict == o.verdict && upstream == o.upstream && error_shape == o.error_shape &&
               retry_after == o.retry_after;
    }
    nlohmann::json to_json() const;  // the members that are set, in the file's format
};

// One expected row: a single outcome, or (a JSON list in the file) every outcome a race inside the proxy decides
// between; each is a real observation, the file's notes say why.
struct GridExpected {
    std::vector<GridOutcome> outcomes;  // never empty
    bool listed = false;                // written as a list
    bool accepts(const GridOutcome& got) const;
    nlohmann::json to_json() const;
};

struct GridFile {
    std::filesystem::path file;
    std::string proxy;  // = the file name's stem
    std::string provenance, generated_by, notes;
    GridSetup setup;
    // kind (auth | health | stream) -> row id (e.g. "wrong-key.x-api-key.known") -> expected
    std::map<std::string, std::map<std::string, GridExpected>> rows;

    const GridExpected* expected(const std::string& kind, const std::string& row) const;  // null: no such row
};

// A grid file: {proxy (= the file name), provenance, generated_by, notes, setup, auth, health, stream}. setup:
// known {method, path, body, headers, note}, api_prefix, health_path, stream_protocols (anthropic | openai |
// gemini), models (protocol -> model), health_timeout_ms and stream_timeout_ms (1..600000), note. Each expected row:
// {status (0 or 100..599), verdict, upstream, error_shape (native | foreign | none), retry_after, note}, or a
// non-empty list of those. Throws FixtureError (file + pointer) at the first problem: unknown key, wrong type,
// value out of range, a proxy that is not the file name.
GridFile parse_grid_file(const nlohmann::json& doc, const std::filesystem::path& file);
void check_grid_file(const nlohmann::json& doc, const std::filesystem::path& file);  // parse_grid_file, result unused

// One outcome ({status, verdict, upstream, error_shape, retry_after, note}) at `at`; FixtureError as above.
GridOutcome parse_grid_outcome(const JsonAt& at);

// The file name of the row catalogue inside a fixtures folder's grids/ (not a grid file: no proxy has this id).
inline constexpr const char* kGridCatalogueFile = "catalogue.json";

// The placeholders a catalogue string may hold, filled in per proxy when the rows are planned:
// {api_prefix}, {health_path}, {known_method}, {known_path} (the setup's values), {model} (the stream row's model:
// setup.models, else the protocol's default_model), {2x_health_timeout_ms} (twice the health rows' timeout: an
// upstream slower than the health client). Anything else in braces is a FixtureError.
inline const std::vector<std::string> kGridPlaceholders = {"api_prefix", "health_path", "known_method",
                                                           "known_path", "model",       "2x_health_timeout_ms"};

// The row catalogue: what every grid row sends, as data (docs/grids.md). The rows of a proxy are its product with
// the proxy's setup (harness/grid/grid_plan.cpp plan_rows): the order here is the order of the rows in grids.json.
struct GridCatalogue {
    std::filesystem::path file;
    // Setup defaults, when neither the grid file's setup nor the profile says otherwise.
    std::string api_prefix = "/v1";
    int health_timeout_ms = 2500;
    int stream_timeout_ms = 6000;

    // The auth grid's known route when the setup names none: the first candidate whose route the proxy has (any
    // for one without "if_route"); the last candidate has no "if_route".
    struct KnownCandidate {
        GridProbe probe;
        bool if_route = false;
    };
    std::vector<KnownCandidate> known;

    // A key state: no key ("key" empty), a fixed wrong key, or "{key}" (the proxy's own). A state with a key is
    // planned only for a proxy that takes one.
    struct KeyState {
        std::string id;
        std::string key;
    };
    struct AuthTarget {
        std::string id;
        bool known = false;         // the known route itself (probe unused)
        bool needs_health = false;  // only for a proxy with a health endpoint
        GridProbe probe;
    };
    struct Auth {
        int timeout_ms = 4000;
        std::vector<KeyState> key_states;
        std::vector<std::string> carriers;  // the headers a key is sent in (each keyed state x each carrier)
        std::vector<AuthTarget> targets;
    } auth;

    // A health condition or a stream case: the x-routecheck-fault the mock plays ("" for none; a fault needs the
    // mock upstream, so faulted rows are planned only with one) and the phase (0, 1, 2: phase 2 runs alone).
    struct Fault {
        std::string id;
        std::string fault;
        int phase = 0;
    };
    struct Health {
        std::vector<KeyState> key_states;
        std::vector<Fault> conditions;
    } health;

    struct StreamProtocol {
        std::string id;  // anthropic | openai | gemini
        GridProbe probe;
        std::string default_model;  // {model} when setup.models does not name one
        std::string key_header;     // the header its clients carry a key in
    };
    struct Stream {
        std::vector<StreamProtocol> protocols;  // also the default order of setup.stream_protocols
        std::vector<Fault> cases;
    } stream;

    const StreamProtocol* protocol(const std::string& id) const;  // null: not in the catalogue
};

// Parses fixtures/grids/catalogue.json: {notes, defaults {api_prefix, health_timeout_ms, stream_timeout_ms}, known
// [candidates], auth {timeout_ms, key_states, carriers, targets}, health {key_states, conditions}, stream
// {protocols, cases}}. Throws FixtureError (file + pointer): unknown key, wrong type, duplicate id, unknown
// placeholder, phase outside 0..2, a protocol other than anthropic/openai/gemini, a last known candidate with
// "if_route".
GridCatalogue parse_grid_catalogue(const nlohmann::json& doc, const std::filesystem::path& file);

// Loading from fixture folders (`roots`, in order; a later folder's file replaces an earlier one's, as for the other
// fixture files). Read at the time of the call, so a grid file rewritten by --update-expectations is seen.
// The grid file of `proxy` (grids/<proxy>.json), nullopt when no folder has one; errors as parse_grid_file.
std::optional<GridFile> load_grid_file(const std::vector<std::filesystem::path>& roots, const std::string& proxy);
// grids/catalogue.json; FixtureError when no folder has one (the built-in fixtures always do) or it is invalid.
GridCatalogue load_grid_catalogue(const std::vector<std::filesystem::path>& roots);

}  // namespace routecheck
