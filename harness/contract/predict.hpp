// Predicted observations for a proxy known from its source (provenance "source"): what its contract (the profile's
// "behaviour" section, model/behaviour.hpp) says each request would get. The report marks these cells as
// predictions, never as observed; suites/attach checks the contract against what was observed when the proxy ran.
#pragma once
#include <string>
#include <vector>

#include "model/fixtures.hpp"
#include "replay/observation.hpp"

namespace routecheck {

struct PredictOptions {
    bool send_key = true;    // the client sends the proxy's key
    bool key_right = true;   // ...and it is the right one
    bool auth_on = false;    // the proxy's auth mode requires a key (off by default for a loopback listener)
    bool strict = false;     // ...and covers the health paths too (behaviour.strict_exempt replaces auth_exempt)
    bool running = true;     // false: the proxy's service is stopped (no accounts): behaviour.disabled_status
    bool websocket = false;  // the request carries websocket upgrade headers
    bool upstream_reachable = true;  // false: overrides marked "upstream": "unreachable" apply
    std::string deployment;          // "" or a key of behaviour.deployments (e.g. a web UI fallback)
    std::string model;               // the model the request's JSON body names, "" when none
};

struct Prediction {
    int status = 0;
    std::string rule;  // which part of the contract decided, e.g. "auth: no key" or "route_status_overrides[3]"
};

// The status the contract gives a request, in the contract's order: a deployment's fallback for a path that is no
// route; OPTIONS; the "service disabled" state (behaviour.disabled_status unless the path is in disabled_exempt);
// an admin route's own key check (behaviour.admin, even with auth off); auth (before routing when the contract
// says so; auth_exempt / strict_exempt paths need no key, auth_always ones need it with auth off too); routing (unknown 404, wrong method 405); then
// route_status, websocket_status for an upgrade on a route, or the first route_status_overrides entry that holds.
// Patterns: "*" one segment, "**" the rest. A profile without "behaviour" gets the documented defaults.
Prediction predict_request(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                           const PredictOptions& options);
int predict_status(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                   const PredictOptions& options);

// Every step of `client` at `variant`, joined by the client's rule and predicted (options.websocket and
// options.model are taken from each step). A {closed_port} variant predicts a refused connection. `rules`, when
// given, receives the rule behind each step's status, in step order.
CellObservation predict_cell(const ProxyProfile& proxy, const ClientProfile& client, const Variant& variant,
                             const PredictOptions& options = {}, std::vector<std::string>* rules = nullptr);

}  // namespace routecheck
