// Predicted observations for a proxy known only from its source (provenance "source"): what its documented
// contract says each request would get. The report marks these cells as predictions, never as observed.
#pragma once
#include "judge/observation.hpp"
#include "model/fixtures.hpp"

namespace routecheck {

struct PredictOptions {
    bool send_key = true;        // the client sends the proxy's key
    bool key_right = true;       // ...and it is the right one
    bool auth_on = false;        // the proxy's auth mode requires a key (off by default for a loopback listener)
    bool running = true;         // false: the proxy's service is stopped (no accounts): behaviour.disabled_status
    bool websocket = false;      // the request carries websocket upgrade headers
};

// The status the contract gives a request, in the contract's order: OPTIONS; the "service disabled" state
// (behaviour.disabled_status unless the path is in disabled_exempt); auth (before routing when the contract
// says so; auth_exempt paths never need a key, auth_always paths always do); routing (unknown 404, wrong method
// 405); then route_status, websocket_status for an upgrade on a route, or a route_status_overrides entry.
// Exempt lists hold route patterns ("*" one segment, "**" the rest).
int predict_status(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                   const PredictOptions& options);

CellObservation predict_cell(const ProxyProfile& proxy, const ClientProfile& client, const Variant& variant,
                             const PredictOptions& options = {});

}  // namespace routecheck
