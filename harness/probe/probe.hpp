// `routecheck probe`: learn a running proxy's contract from outside, with requests no upstream bills. What it
// learns becomes a proxy profile (provenance "probed") that `doctor`, `matrix --attach` and `--fixtures` take like
// any other.
//
// How a route is told apart without billing anything (each finding says which one it used):
//   - a GET to a POST route: 405 where an unknown path gets 404;
//   - a POST whose body names a model and holds nothing to generate from ({"model":"routecheck-probe"}): a route
//     refuses it (400/422) or forwards it, where an unknown path gets 404 (an upstream refuses it before any model
//     runs; suites/probe checks the mock's journal for anything billable);
//   - the free listing calls (GET .../models);
//   - a 401/403 on a path where an unknown path gets 404: the key is checked after routing, so the path is a route.
// Anything that answers exactly like a path that surely does not exist is "absent" when that answer is a 404, and
// "unknown" otherwise (a soft 404, or a key checked before routing without --api-key).
// Facts: the answer shapes are those of the proxies the matrix launches and of the verdict corpus's stand-ins.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/fixtures.hpp"

namespace routecheck {

struct ProbeOptions {
    std::string target;                  // http://127.0.0.1:PORT (loopback only; anything else is refused)
    std::string api_key;                 // "" : none
    std::vector<std::string> prefixes;   // tried besides the built-in ones, e.g. "/zen" (each also + /v1, /v1beta)
    std::vector<std::string> endpoints;  // "METHOD /endpoint" tried under every prefix besides the catalogue
    long timeout_ms = 3000;              // per request
    // Headers the proxy needs on every request (e.g. Portkey's x-portkey-provider), sent with each probe.
    std::vector<std::pair<std::string, std::string>> headers;
};

struct ProbedAnswer {
    std::string method, path;        // path with query
    int status = 0;                  // 0: no HTTP answer
    std::string content_type, body;  // body: the first 300 bytes
    std::string location;            // a redirect's Location
};

struct ProbedRoute {
    std::string method, path;  // the path probed; Gemini model paths generalised to ".../models/*" in profiles
    std::string family;        // openai | anthropic | gemini
    std::string state;         // route | absent | unknown
    std::string how;           // how it was told apart, e.g. "GET 405 (unknown paths: 404)"
};

struct ProbeResult {
    std::string target;
    bool listening = false;
    std::vector<ProbedAnswer> health;  // /health, /healthz, /api/health, /
    std::string health_path;           // the first that answered 2xx, "" none
    std::string version;               // from a health body that names one
    std::vector<ProbedRoute> routes;
    bool auth_seen = false;  // some path wanted a key
    std::string auth_order;  // before-routing | before-routing under /v1 | after-routing | none
    // Without --api-key, the prefixes under which the key was checked before routing (every path there got the
    // key's answer, so their routes were not seen), with that answer in words; empty when none or a key was given.
    std::vector<std::string> unseen_under;
    std::string unseen_answer;
    std::vector<std::string> carriers;  // headers (or "query-key") that carry the key
    std::string carriers_how;
    std::string unknown_answer;                // what a path that surely is no route gets, e.g. "404 (empty)"
    bool soft_404 = false;                     // unknown paths get 2xx
    bool pass_through = false;                 // unknown /v1/... paths come back with an upstream's error
    std::string pass_through_prefix;           // e.g. "/v1"
    std::vector<std::string> redirects;        // "GET /v1 -> 308 /v1/"
    std::vector<std::string> not_implemented;  // routes that answered 501
    int requests = 0;                          // requests sent
    std::vector<std::string> notes;            // plain-language findings
};

// Sends the probe's requests and reads them. Throws std::invalid_argument for a target that is not a loopback
// http:// URL. A target where nothing listens gives listening=false and no routes (not an exception).
ProbeResult probe(const ProbeOptions& options);

// The probe as JSON (routecheck probe --json, doctor --json's "probe").
nlohmann::json probe_json(const ProbeResult& result);

// The proxy profile the probe learned (provenance "probed"; its key is never stored, only that one is needed):
// the profile file `probe --save` writes. `id` must be a valid profile id; `date` YYYY-MM-DD.
nlohmann::json probed_profile(const ProbeResult& result, const std::string& id, const std::string& date);

// A probed profile's route findings for `profile`'s routes: which routes of a known profile the target lacks
// (doctor --proxy ID checks the target is that proxy). One line per difference; empty when it looks the same.
std::vector<std::string> profile_differences(const ProbeResult& result, const ProxyProfile& profile);

}  // namespace routecheck
