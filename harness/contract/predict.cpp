#include "contract/predict.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "contract/routes.hpp"
#include "join/join.hpp"

namespace routecheck {

namespace {

bool any_matches(const std::vector<std::string>& patterns, const std::string& path) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return p == path || route_path_matches(p, path); });
}

// Case-insensitive glob: "*" stands for any run of characters (model names such as "*flash*").
bool glob_matches(const std::string& pattern, const std::string& text) {
    std::size_t p = 0, t = 0, star = std::string::npos, resume = 0;
    auto eq = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    };
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && eq(pattern[p], text[t])) {
            ++p;
            ++t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool method_fits(const std::string& route_method, const std::string& method) {
    return route_method == "*" || route_method == method || (method == "HEAD" && route_method == "GET");
}

// The admin router's match for a path: Route, WrongMethod (its path, another method) or NoRoute.
RouteMatch admin_match(const AdminApi& admin, const std::string& method, const std::string& path) {
    bool known = false;
    for (const auto& [m, p] : admin.routes) {
        if (!route_path_matches(p, path)) continue;
        if (method_fits(m, method)) return RouteMatch::Route;
        known = true;
    }
    return known ? RouteMatch::WrongMethod : RouteMatch::NoRoute;
}

Prediction routed(const Behaviour& b, const std::string& method, const std::string& path, const PredictOptions& o) {
    auto segs = split_path(path);
    const std::string last = segs.empty() ? "" : segs.back();
    for (std::size_t i = 0; i < b.overrides.size(); ++i) {
        const StatusRule& r = b.overrides[i];
        if (r.method != "*" && r.method != method) continue;
        if (!any_matches(r.paths, path)) continue;
        if (r.unless_websocket && o.websocket) continue;
        if (r.upstream_unreachable && o.upstream_reachable) continue;
        if (!r.model_not.empty() &&
            (o.model.empty() || std::any_of(r.model_not.begin(), r.model_not.end(),
                                            [&](const std::string& g) { return glob_matches(g, o.model); })))
            continue;
        if (!r.last_segment_has.empty() && last.find(r.last_segment_has) == std::string::npos) continue;
        if (!last.empty() && any_matches(r.except, "/" + last)) continue;
        return {r.status, "route_status_overrides[" + std::to_string(i) + "]" + (r.note.empty() ? "" : ": " + r.note)};
    }
    if (o.websocket) return {b.websocket_status, "websocket upgrade on a route"};
    return {b.route_status, "route"};
}

}  // namespace

Prediction predict_request(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                           const PredictOptions& o) {
    static const Behaviour defaults;
    const Behaviour& b = proxy.behaviour ? *proxy.behaviour : defaults;
    const RouteMatch m = match_route(proxy.routes, method, path);
    const RouteMatch am = admin_match(b.admin, method, path);
    if (!o.deployment.empty()) {
        auto d = b.deployments.find(o.deployment);
        if (d == b.deployments.end())
            throw std::invalid_argument(proxy.id + ": no deployment '" + o.deployment + "' in behaviour.deployments");
        if (m == RouteMatch::NoRoute && am == RouteMatch::NoRoute) {
            int s = method == "GET" || method == "HEAD" ? d->second.unknown_get_status : d->second.unknown_other_status;
            if (s) return {s, "deployment " + o.deployment + ": its fallback answers every path that is no route"};
        }
    }
    if (method == "OPTIONS") return {b.options_status, "OPTIONS answered first (CORS)"};
    if (!o.running && !any_matches(b.disabled_exempt, path)) return {b.disabled_status, "service disabled"};
    if (am != RouteMatch::NoRoute) {
        if (!any_matches(b.admin.exempt, path)) {
            if (!o.send_key) return {b.admin.missing_key_status, "admin API: no key (checked in every auth mode)"};
            if (!o.key_right) return {b.admin.wrong_key_status, "admin API: wrong key"};
        }
        if (am == RouteMatch::WrongMethod) return {b.wrong_method_status, "admin API: wrong method"};
        return routed(b, method, path, o);
    }
    const bool always = any_matches(b.auth_always, path) && !any_matches(b.auth_always_exempt, path);
    const bool exempt = !always && any_matches(o.strict ? b.strict_exempt : b.auth_exempt, path);
    auto auth = [&]() -> Prediction {
        if ((!o.auth_on && !always) || exempt) return {};
        if (!o.send_key) return {b.missing_key_status, "auth: no key"};
        if (!o.key_right) return {b.wrong_key_status, "auth: wrong key"};
        return {};
    };
    if (b.auth_before_routing)
        if (Prediction p = auth(); p.status) return {p.status, p.rule + " (checked before routing)"};
    if (m == RouteMatch::NoRoute) return {b.unknown_status, "no route"};
    if (m == RouteMatch::WrongMethod) return {b.wrong_method_status, "wrong method"};
    if (!b.auth_before_routing)
        if (Prediction p = auth(); p.status) return p;
    return routed(b, method, path, o);
}

int predict_status(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                   const PredictOptions& o) {
    return predict_request(proxy, method, path, o).status;
}

CellObservation predict_cell(const ProxyProfile& proxy, const ClientProfile& client, const Variant& variant,
                             const PredictOptions& o, std::vector<std::string>* rules) {
    CellObservation cell;
    cell.proxy = proxy.id;
    cell.client = client.id;
    cell.variant = variant.id;
    bool closed = variant.base_url.find("{closed_port}") != std::string::npos;
    cell.base_url = render_base_url(variant.base_url, proxy.behaviour ? proxy.behaviour->default_port : kShownPort, 1);
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
        std::string rule = "nothing listens on that port";
        if (closed) {
            s.error = TransportError::Refused;
            s.error_text = "predicted: nothing listens on that port";
        } else {
            PredictOptions so = o;
            so.websocket = step.websocket;
            so.model =
                step.body && step.body->is_object() && step.body->contains("model") && (*step.body)["model"].is_string()
                    ? (*step.body)["model"].get<std::string>()
                    : "";
            Prediction p = predict_request(proxy, step.method, r.path, so);
            s.status = p.status;
            rule = p.rule;
        }
        if (rules) rules->push_back(rule);
        cell.steps.push_back(std::move(s));
    }
    return cell;
}

}  // namespace routecheck
