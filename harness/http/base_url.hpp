// A Base URL as the clients read it: parsing, the loopback test, and the {port} placeholders of the variants. The
// bottom layer: the model checks variant URLs with it, the join builds final requests from it.
#pragma once
#include <string>

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

// The port a Base URL is shown with when no proxy runs (recommendations, `routecheck paths`' recordings check,
// doctor --seen, predicted cells): 8045, the default of Antigravity Tools, the proxy the troubleshooting document
// is written for, so a shown Base URL reads like the one the document tells users to type.
inline constexpr int kShownPort = 8045;

// render_base_url at kShownPort, with {closed_port} as 9 (discard: nothing listens there).
std::string shown_base_url(const std::string& templ);

// The WHATWG path state's handling of dot segments: ".." drops the segment before it, "." goes away, and either as
// the last segment leaves a trailing '/'. A path that does not start with '/' ("" for no path) comes back as it is.
std::string remove_dot_segments(const std::string& path);

}  // namespace routecheck
