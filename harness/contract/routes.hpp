// Matching a request path against a proxy's route table.
#pragma once
#include <string>
#include <vector>

#include "http/route_path.hpp"
#include "model/fixtures.hpp"

namespace routecheck {

enum class RouteMatch { Route, WrongMethod, NoRoute };
// Route: method and path match; WrongMethod: the path is a route but not for this method (405).
RouteMatch match_route(const std::vector<Route>& routes, const std::string& method, const std::string& path);

}  // namespace routecheck
