#include "judge/predict.hpp"

#include <algorithm>

#include "join/join.hpp"
#include "judge/routes.hpp"

namespace routecheck {

namespace {

// One entry of behaviour.route_status_overrides: a route whose answer is not route_status, e.g. a Gemini
// action the proxy does not support (400) or a websocket-only GET sent without upgrade headers (400).
struct Override {
    std::string method, path;
    std::string last_segment_has;     // applies only when the last path segment contains this (e.g. ":")
    std::vector<std::string> except;  // last-segment patterns that keep route_status
    bool unless_websocket = false;
    int status = 0;
};

// The "behaviour" section of a source profile; each value has a documented default.
struct Contract {
    int port = 8045;
    int options_status = 200;
    int unknown_status = 404;
    int wrong_method_status = 405;
    int route_status = 200;
    int websocket_status = 101;
    int missing_key_status = 401;
    int wrong_key_status = 403;
    bool auth_before_routing = true;
    std::vector<std::string> auth_exempt, auth_always, auth_always_exempt;
    int disabled_status = 503;
    std::vector<std::string> disabled_exempt;
    std::vector<Override> overrides;
};

Contract contract_of(const ProxyProfile& p) {
    Contract c;
    if (!p.raw.contains("behaviour") || !p.raw["behaviour"].is_object()) return c;
    const auto& b = p.raw["behaviour"];
    using strings = std::vector<std::string>;
    c.port = b.value("default_port", c.port);
    c.options_status = b.value("options_status", c.options_status);
    c.unknown_status = b.value("unknown_status", c.unknown_status);
    c.wrong_method_status = b.value("wrong_method_status", c.wrong_method_status);
    c.route_status = b.value("route_status", c.route_status);
    c.websocket_status = b.value("websocket_status", c.websocket_status);
    c.missing_key_status = b.value("missing_key_status", c.missing_key_status);
    c.wrong_key_status = b.value("wrong_key_status", c.wrong_key_status);
    c.auth_before_routing = b.value("auth_before_routing", c.auth_before_routing);
    c.auth_exempt = b.value("auth_exempt", strings{});
    c.auth_always = b.value("auth_always", strings{});
    c.auth_always_exempt = b.value("auth_always_exempt", strings{});
    c.disabled_status = b.value("disabled_status", c.disabled_status);
    c.disabled_exempt = b.value("disabled_exempt", strings{});
    if (b.contains("route_status_overrides") && b["route_status_overrides"].is_array())
        for (const auto& o : b["route_status_overrides"])
            c.overrides.push_back({o.value("method", "*"), o.value("path", ""), o.value("last_segment_has", ""),
                                   o.value("except", strings{}), o.value("unless_websocket", false),
                                   o.value("status", 0)});
    return c;
}

bool any_matches(const std::vector<std::string>& patterns, const std::string& path) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return p == path || route_path_matches(p, path); });
}

int routed_status(const Contract& c, const std::string& method, const std::string& path, bool websocket) {
    for (const auto& o : c.overrides) {
        if (o.status == 0 || (o.method != "*" && o.method != method) || !route_path_matches(o.path, path)) continue;
        if (o.unless_websocket && websocket) continue;
        auto segs = split_path(path);
        std::string last = segs.empty() ? "" : segs.back();
        if (!o.last_segment_has.empty() && last.find(o.last_segment_has) == std::string::npos) continue;
        if (!last.empty() && any_matches(o.except, "/" + last)) continue;
        return o.status;
    }
    return websocket ? c.websocket_status : c.route_status;
}

}  // namespace

int predict_status(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                   const PredictOptions& o) {
    Contract c = contract_of(proxy);
    if (method == "OPTIONS") return c.options_status;
    if (!o.running && !any_matches(c.disabled_exempt, path)) return c.disabled_status;
    RouteMatch m = match_route(proxy.routes, method, path);
    bool always = any_matches(c.auth_always, path) && !any_matches(c.auth_always_exempt, path);
    bool exempt = !always && any_matches(c.auth_exempt, path);
    auto auth = [&]() -> int {
        if ((!o.auth_on && !always) || exempt) return 0;
        if (!o.send_key) return c.missing_key_status;
        if (!o.key_right) return c.wrong_key_status;
        return 0;
    };
    if (c.auth_before_routing)
        if (int s = auth()) return s;
    if (m == RouteMatch::NoRoute) return c.unknown_status;
    if (m == RouteMatch::WrongMethod) return c.wrong_method_status;
    if (!c.auth_before_routing)
        if (int s = auth()) return s;
    return routed_status(c, method, path, o.websocket);
}

CellObservation predict_cell(const ProxyProfile& proxy, const ClientProfile& client, const Variant& variant,
                             const PredictOptions& o) {
    Contract c = contract_of(proxy);
    CellObservation cell;
    cell.proxy = proxy.id;
    cell.client = client.id;
    cell.variant = variant.id;
    bool closed = variant.base_url.find("{closed_port}") != std::string::npos;
    cell.base_url = render_base_url(variant.base_url, c.port, 1);
    if (o.send_key) {
        const KeyCarrier& k = client.key_carriers.front();
        cell.key_via = k.setting.empty() ? k.header : k.setting;
    }
    for (const auto& step : client.steps) {
        StepObservation s;
        s.step = step.id;
        FinalRequest r = join_request(client.join, cell.base_url, step);
        s.method = step.method;
        s.target = r.target;
        s.url = r.url;
        if (closed) {
            s.error = TransportError::Refused;
            s.error_text = "predicted: nothing listens on that port";
        } else {
            PredictOptions so = o;
            so.websocket = step.websocket;
            s.status = predict_status(proxy, step.method, r.path, so);
        }
        cell.steps.push_back(std::move(s));
    }
    return cell;
}

}  // namespace routecheck
