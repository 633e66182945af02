// Route path patterns ("/v1beta/models/*", "*:generateContent" inside a segment, "/v1/**"): the bottom layer, shared
// by the mock upstream's stand-ins and the contract's route tables.
#pragma once
#include <string>
#include <vector>

namespace routecheck {

std::vector<std::string> split_path(const std::string& path);  // "/a/b" -> {"a","b"}; "/" -> {}

// True when `path` matches `pattern`: "*" is one non-empty segment, a '*' inside a segment stands for at least one
// character, a trailing "**" for any number of segments. Exact otherwise: a trailing '/' must match, "//" never does.
bool route_path_matches(const std::string& pattern, const std::string& path);

}  // namespace routecheck
