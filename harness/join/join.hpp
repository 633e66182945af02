// Base URL + a step's endpoint -> the final request, by the client profile's join rule.
#pragma once
#include <string>
#include <vector>

#include "http/base_url.hpp"  // parse_base_url: what every join starts from
#include "model/fixtures.hpp"

namespace routecheck {

struct FinalRequest {
    std::string url;     // scheme://host:port/path?query
    std::string target;  // /path?query
    std::string path;    // /path
    std::string query;
    std::string line() const;  // "METHOD /path?query"
    std::string method;
};

// The request a client sends for `step` at `base_url` under the profile's join (rule, strip_suffix,
// version_if_missing, endpoint_if_missing: see JoinSpec): the join meets the Base URL's path (dot segments already
// removed) and the endpoint; the final path has its dot segments removed too, as libcurl does before sending.
// Throws std::invalid_argument for a Base URL parse_base_url refuses.
FinalRequest join_request(const JoinSpec& join, const std::string& base_url, const Step& step);

// "METHOD /path?query" of a step at a Base URL, as `routecheck paths` prints it.
std::string request_line(const ClientProfile& client, const Step& step, const std::string& base_url);

// The recordings check: the profile's join rule, at each recorded variant's Base URL (shown_base_url), must give
// exactly the request lines the real client sent there. One message per variant that differs, naming the profile
// file, the variant, what the rule gives and what the client sent; empty when every recording is reproduced.
// Used by `routecheck validate` and the Profiles tests. (scripts/record/join.mjs checks a rule hypothesis the same
// way while recording, before any profile file exists.)
std::vector<std::string> check_recordings(const ClientProfile& client);

}  // namespace routecheck
