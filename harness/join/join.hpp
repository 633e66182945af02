// Base URL + a step's endpoint -> the final request, by the client profile's join rule.
#pragma once
#include <string>

#include "model/fixtures.hpp"

namespace routecheck {

struct BaseUrl {
    std::string scheme = "http";  // "http" or "https", lower case as typed in any case
    std::string host;             // lower case, e.g. "127.0.0.1", "localhost", "[::1]" (an IPv6 literal keeps []).
    int port = 80;                // the scheme's default (80 / 443) when none was typed
    bool port_typed = false;
    std::string path;   // dot segments removed, non-ASCII bytes percent-encoded; may be "" or end with '/'
    std::string query;  // without '?'

    // "scheme://host[:port]": the port only when it was typed, so a fix Base URL reads like the typed one.
    std::string origin() const;
};

// Parses a Base URL the way the clients (WHATWG URL parsers, libcurl) read it: surrounding spaces and control
// characters are dropped; the scheme is http or https in any case; the host is a name, an IPv4 address or a
// bracketed IPv6 address, and nothing may follow "]" but ":port"; an empty port means the default; "." and ".."
// path segments (also as %2e) are removed ("/x/../v1" is "/v1"); bytes outside ASCII and the characters a URL
// path may not hold raw are percent-encoded. The host is never resolved: nothing is sent.
// Throws std::invalid_argument naming what is wrong. A URL with credentials (user:password@) is refused, and no
// message ever repeats what stood before the '@'.
BaseUrl parse_base_url(const std::string& url);

// True for a host the run may send to: localhost, 127.0.0.0/8, or [::1]. Attach mode, doctor's --target and the
// matrix variants only ever target these.
bool is_loopback(const BaseUrl& url);

// Replaces {port} and {closed_port} in a variant's Base URL.
std::string render_base_url(const std::string& templ, int port, int closed_port);

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

}  // namespace routecheck
