// What a replay observed, per step and per cell; what the judge reads and matrix.json stores.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/client.hpp"

namespace routecheck {

struct StepObservation {
    std::string step;
    std::string method;
    std::string target;  // /path?query as sent
    std::string url;
    int status = 0;
    TransportError error = TransportError::None;
    std::string error_text;
    std::string content_type;
    std::string body_excerpt;
    std::size_t body_bytes = 0;
    int sse_events = 0;
    bool sse_done = false;
    double ms = 0;
    std::vector<std::string> upstream;  // upstream request lines attributed to this step, in order
    bool skipped = false;
    std::string skip_reason;
    // "" when sent as the client sends it; "probe" when sent with an empty JSON body instead of the client's, so no
    // upstream bills it (doctor's quota-safe check: a 400/422 from a right route then shows the route exists).
    std::string evidence;

    std::string request_line() const { return method + " " + target; }
    std::string path() const { return target.substr(0, target.find('?')); }
};

struct CellObservation {
    std::string proxy, client, variant, base_url;
    std::vector<StepObservation> steps;
    std::string error;  // a cell-level problem (e.g. the proxy died): the cell fails with it
    // How the key went: the client setting or header of the key carrier used (ClientProfile::carrier), "" when
    // no key was sent. The matrix sends the proxy's key in the client's default carrier.
    std::string key_via;

    std::string id() const { return proxy + "." + client + "." + variant; }
};

nlohmann::json to_json(const StepObservation& s);
StepObservation step_observation_from_json(const nlohmann::json& j);

}  // namespace routecheck
