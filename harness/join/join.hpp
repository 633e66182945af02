// Base URL + a step's endpoint -> the final request, by the client profile's join rule.
#pragma once
#include <string>

#include "model/fixtures.hpp"

namespace routecheck {

struct BaseUrl {
    std::string host;  // as written, e.g. "127.0.0.1"
    int port = 80;
    std::string path;   // as written, may be "" or end with '/'
    std::string query;  // without '?'
};

// Parses an http:// URL. Throws std::invalid_argument naming what is wrong.
BaseUrl parse_base_url(const std::string& url);

// Replaces {port} and {closed_port} in a variant's Base URL.
std::string render_base_url(const std::string& templ, int port, int closed_port);

struct FinalRequest {
    std::string url;     // http://host:port/path?query
    std::string target;  // /path?query
    std::string path;    // /path
    std::string query;
    std::string line() const;  // "METHOD /path?query"
    std::string method;
};

// The request `step` makes at `base_url` under the profile's join (rule, strip_suffix, version_if_missing,
// endpoint_if_missing: see JoinSpec).
// Throws std::invalid_argument when base_url does not parse.
FinalRequest join_request(const JoinSpec& join, const std::string& base_url, const Step& step);

// "METHOD /path?query" of a step at a Base URL, as `routecheck paths` prints it.
std::string request_line(const ClientProfile& client, const Step& step, const std::string& base_url);

}  // namespace routecheck
