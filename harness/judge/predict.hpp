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
};

// The status the contract gives a request: OPTIONS, auth (before routing when the contract says so), routing.
int predict_status(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                   const PredictOptions& options);

CellObservation predict_cell(const ProxyProfile& proxy, const ClientProfile& client, const Variant& variant,
                             const PredictOptions& options = {});

}  // namespace routecheck
