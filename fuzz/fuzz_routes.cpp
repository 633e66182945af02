// libFuzzer target: the route matcher and the path classifiers. Input: "<pattern>\n<path>" (the first line is
// a route pattern, the rest the request path). Nothing here may throw or crash, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "contract/routes.hpp"
#include "judge/classify.hpp"
#include "judge/path.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto nl = text.find('\n');
    const std::string pattern = text.substr(0, nl);
    const std::string path = nl == std::string::npos ? std::string() : text.substr(nl + 1);
    const bool m = routecheck::route_path_matches(pattern, path);
    if (pattern == path && !pattern.empty() && pattern.front() == '/' && pattern.find('*') == std::string::npos &&
        pattern.find("//") == std::string::npos && !m)
        __builtin_trap();  // a literal route matches itself
    (void)routecheck::path_shape(path);
    (void)routecheck::path_family(path);
    std::vector<routecheck::Route> routes = {{"POST", pattern, false}, {"*", "/v1/**", false}};
    (void)routecheck::match_route(routes, "GET", path);
    return 0;
}
