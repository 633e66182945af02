#include "contract/routes.hpp"

namespace routecheck {

RouteMatch match_route(const std::vector<Route>& routes, const std::string& method, const std::string& path) {
    bool path_known = false;
    for (const auto& r : routes) {
        if (r.fallback || !route_path_matches(r.path, path)) continue;
        if (r.method == "*" || r.method == method || (method == "HEAD" && r.method == "GET")) return RouteMatch::Route;
        path_known = true;
    }
    return path_known ? RouteMatch::WrongMethod : RouteMatch::NoRoute;
}

}  // namespace routecheck
