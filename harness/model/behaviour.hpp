// The "behaviour" section of a source profile (provenance "source"): the contract, read from the proxy's source and
// corrected by what was observed, that harness/contract/predict.cpp turns into predicted statuses. Parsed and checked
// when the profile loads, so a typo is a fixture error (file + JSON pointer), never a silent default.
// Format and meaning: docs/design.md ("Source-only profiles").
#pragma once
#include <map>
#include <string>
#include <vector>

#include "http/base_url.hpp"
#include "model/json_access.hpp"

namespace routecheck {

// One entry of behaviour.route_status_overrides: a route whose answer is not route_status. The first entry whose
// conditions all hold decides.
struct StatusRule {
    std::string method = "*";
    std::vector<std::string> paths;   // "path" or "paths": route patterns
    std::string last_segment_has;     // only when the last path segment contains this (e.g. ":")
    std::vector<std::string> except;  // last-segment patterns that keep route_status
    bool unless_websocket = false;    // not for a websocket upgrade
    // "upstream": "unreachable": only when the proxy cannot reach its upstream (PredictOptions::upstream_reachable
    // false): what it then answers instead of the upstream's answer.
    bool upstream_unreachable = false;
    // Only when the request names a model ("model" in its JSON body) that matches none of these patterns
    // (case-insensitive; "*" stands for any run of characters): the proxy serves no such model.
    std::vector<std::string> model_not;
    int status = 0;
    std::string note;  // why: shown when a prediction is explained
};

// behaviour.admin: a second router with its own key check, which applies even with auth off.
struct AdminApi {
    // "METHOD /path" in the profile ("*" in a path: one segment). A path that is none of these is no admin route,
    // whatever its prefix: it gets the ordinary treatment.
    std::vector<std::pair<std::string, std::string>> routes;  // {method, path}
    std::vector<std::string> exempt;                          // admin routes that need no key
    int missing_key_status = 401;
    int wrong_key_status = 401;
};

// behaviour.deployments.<id>: a documented way of running the proxy that changes what unknown paths get, e.g. a
// web UI served as the fallback for every path that is no route (before CORS, auth and the disabled state).
struct Deployment {
    std::string when;              // how a user ends up with it
    int unknown_get_status = 0;    // GET/HEAD of a path that is no route (0: unchanged)
    int unknown_other_status = 0;  // any other method, OPTIONS included (0: unchanged)
};

struct Behaviour {
    int default_port = kShownPort;
    int options_status = 200;
    int unknown_status = 404;
    int wrong_method_status = 405;
    int route_status = 200;
    int websocket_status = 101;
    int missing_key_status = 401;
    int wrong_key_status = 403;
    bool auth_before_routing = true;
    std::vector<std::string> auth_exempt;    // need no key when auth is on
    std::vector<std::string> strict_exempt;  // need no key even in the strict mode (auth_exempt does not apply there)
    std::vector<std::string> auth_always;    // need the key even with auth off (paths of routes or not)...
    std::vector<std::string> auth_always_exempt;  // ...except these
    int disabled_status = 503;
    std::vector<std::string> disabled_exempt;
    bool health_calls_upstream = false;
    // false: a probed profile whose probe could not tell paths apart (a key checked before routing, without the
    // key); its route table says nothing (ProxyProfile::routes_known)
    bool routes_known = true;
    // Path prefixes ("/v1") whose routes a probe could not see: the key is checked before routing there and it was
    // probed without the key, so every path under them got the key's answer. Paths elsewhere were seen.
    std::vector<std::string> routes_unseen_under;
    AdminApi admin;
    std::vector<StatusRule> overrides;
    std::map<std::string, Deployment> deployments;
};

// Reads and checks a "behaviour" object; errors name the file and the JSON pointer of the bad field.
Behaviour parse_behaviour(const JsonAt& at);

}  // namespace routecheck
