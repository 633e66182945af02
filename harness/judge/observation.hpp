// What a replay observed, per step and per cell; what the judge reads and matrix.json stores.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "replay/replay.hpp"

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

    std::string request_line() const { return method + " " + target; }
    std::string path() const { return target.substr(0, target.find('?')); }
};

struct CellObservation {
    std::string proxy, client, variant, base_url;
    std::vector<StepObservation> steps;
    std::string error;  // a cell-level problem (e.g. the proxy died): the cell fails with it

    std::string id() const { return proxy + "." + client + "." + variant; }
};

nlohmann::json to_json(const StepObservation& s);
StepObservation step_observation_from_json(const nlohmann::json& j);

}  // namespace routecheck
