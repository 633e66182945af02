// libFuzzer target: parse_base_url on arbitrary bytes, as a user may type or paste them. The documented error is
// std::invalid_argument; anything else that escapes, or a result that breaks one of the parser's promises below,
// is a finding. Promises (join/join.hpp): scheme http|https; a host that is lower case and holds no byte a URL
// host cannot; a port in 1..65535; a path that is empty or starts with '/', holds no "." or ".." segment and no
// byte outside printable ASCII; parsing the parsed URL again gives the same URL (the parse is a fixed point);
// a message quotes nothing of a URL that holds an '@'; join_request always gives a request target.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "join/join.hpp"

namespace {

bool printable_ascii(const std::string& s) {
    for (unsigned char c : s)
        if (c <= 0x20 || c >= 0x7F) return false;
    return true;
}

bool has_dot_segment(const std::string& path) {
    std::size_t from = 0;
    while (from <= path.size()) {
        auto slash = path.find('/', from);
        std::string seg = path.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
        if (seg == "." || seg == "..") return true;
        if (slash == std::string::npos) break;
        from = slash + 1;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string url(reinterpret_cast<const char*>(data), size);
    routecheck::BaseUrl b;
    try {
        b = routecheck::parse_base_url(url);
    } catch (const std::invalid_argument& e) {
        // What stood before an '@' may be a password: then the message quotes nothing of the input (every echo of
        // it is quoted '...'), so no piece of it can be printed back.
        if (url.find('@') != std::string::npos && std::string(e.what()).find('\'') != std::string::npos)
            __builtin_trap();
        return 0;
    }
    if (b.scheme != "http" && b.scheme != "https") __builtin_trap();
    if (b.host.empty() || !printable_ascii(b.host)) __builtin_trap();
    for (char c : b.host)
        if (c >= 'A' && c <= 'Z') __builtin_trap();
    if (b.port < 1 || b.port > 65535) __builtin_trap();
    if (!b.path.empty() && b.path.front() != '/') __builtin_trap();
    if (!printable_ascii(b.path) || !printable_ascii(b.query)) __builtin_trap();
    if (has_dot_segment(b.path)) __builtin_trap();
    if (url.find('@') != std::string::npos && url.find('@') < url.find_first_of("/?", url.find("://") + 3))
        __builtin_trap();
    // A fixed point: the parsed URL, written out and parsed again, is the same URL.
    const std::string again = b.origin() + b.path + (b.query.empty() ? "" : "?" + b.query);
    routecheck::BaseUrl c = routecheck::parse_base_url(again);
    if (c.scheme != b.scheme || c.host != b.host || c.port != b.port || c.path != b.path || c.query != b.query)
        __builtin_trap();
    routecheck::Step step;
    step.method = "POST";
    step.endpoint = "/v1/messages";
    for (auto rule : {routecheck::JoinRule::Concat, routecheck::JoinRule::ConcatRaw, routecheck::JoinRule::Resolve}) {
        routecheck::FinalRequest r = routecheck::join_request(rule, url, step);
        if (r.path.empty() || r.path.front() != '/' || has_dot_segment(r.path)) __builtin_trap();
        if (r.url.rfind(b.scheme + "://", 0) != 0) __builtin_trap();
    }
    return 0;
}
