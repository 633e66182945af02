#include "replay/observation.hpp"

namespace routecheck {

namespace {
TransportError error_from_string(const std::string& s) {
    for (auto e : {TransportError::None, TransportError::Refused, TransportError::Timeout, TransportError::Reset,
                   TransportError::Protocol, TransportError::Other})
        if (s == to_string(e)) return e;
    return TransportError::Other;
}
}  // namespace

nlohmann::json to_json(const StepObservation& s) {
    return {{"step", s.step},
            {"method", s.method},
            {"target", s.target},
            {"path", s.path()},
            {"request", s.request_line()},
            {"status", s.status},
            {"error", to_string(s.error)},
            {"error_text", s.error_text},
            {"content_type", s.content_type},
            {"body_excerpt", s.body_excerpt},
            {"body_bytes", s.body_bytes},
            {"sse_events", s.sse_events},
            {"sse_done", s.sse_done},
            {"ms", s.ms},
            {"upstream", s.upstream},
            {"skipped", s.skipped},
            {"skip_reason", s.skip_reason},
            {"evidence", s.evidence}};
}

StepObservation step_observation_from_json(const nlohmann::json& j) {
    StepObservation s;
    s.step = j.at("step").get<std::string>();
    s.method = j.at("method").get<std::string>();
    s.target = j.at("target").get<std::string>();
    s.status = j.at("status").get<int>();
    s.error = error_from_string(j.value("error", "none"));
    s.error_text = j.value("error_text", "");
    s.content_type = j.value("content_type", "");
    s.body_excerpt = j.value("body_excerpt", "");
    s.body_bytes = j.value("body_bytes", std::size_t{0});
    s.sse_events = j.value("sse_events", 0);
    s.sse_done = j.value("sse_done", false);
    s.ms = j.value("ms", 0.0);
    s.upstream = j.value("upstream", std::vector<std::string>{});
    s.skipped = j.value("skipped", false);
    s.skip_reason = j.value("skip_reason", "");
    s.evidence = j.value("evidence", "");
    return s;
}

}  // namespace routecheck
