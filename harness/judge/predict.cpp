#include "judge/predict.hpp"

#include <algorithm>

#include "join/join.hpp"
#include "judge/routes.hpp"

namespace routecheck {

namespace {

// The "behaviour" section of a source profile; each value has a documented default.
struct Contract {
    int port = 8045;
    int options_status = 200;
    int unknown_status = 404;
    int wrong_method_status = 405;
    int route_status = 200;
    int missing_key_status = 401;
    int wrong_key_status = 403;
    bool auth_before_routing = true;
    std::vector<std::string> auth_exempt;
};

Contract contract_of(const ProxyProfile& p) {
    Contract c;
    if (!p.raw.contains("behaviour") || !p.raw["behaviour"].is_object()) return c;
    const auto& b = p.raw["behaviour"];
    c.port = b.value("default_port", c.port);
    c.options_status = b.value("options_status", c.options_status);
    c.unknown_status = b.value("unknown_status", c.unknown_status);
    c.wrong_method_status = b.value("wrong_method_status", c.wrong_method_status);
    c.route_status = b.value("route_status", c.route_status);
    c.missing_key_status = b.value("missing_key_status", c.missing_key_status);
    c.wrong_key_status = b.value("wrong_key_status", c.wrong_key_status);
    c.auth_before_routing = b.value("auth_before_routing", c.auth_before_routing);
    c.auth_exempt = b.value("auth_exempt", std::vector<std::string>{});
    return c;
}

}  // namespace

int predict_status(const ProxyProfile& proxy, const std::string& method, const std::string& path,
                   const PredictOptions& o) {
    Contract c = contract_of(proxy);
    if (method == "OPTIONS") return c.options_status;
    RouteMatch m = match_route(proxy.routes, method, path);
    bool exempt = std::find(c.auth_exempt.begin(), c.auth_exempt.end(), path) != c.auth_exempt.end();
    auto auth = [&]() -> int {
        if (!o.auth_on || exempt) return 0;
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
    return c.route_status;
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
            s.status = predict_status(proxy, step.method, r.path, o);
        }
        cell.steps.push_back(std::move(s));
    }
    return cell;
}

}  // namespace routecheck
