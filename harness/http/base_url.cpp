#include "http/base_url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

namespace routecheck {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_c0_or_space(unsigned char c) { return c <= 0x20 || c == 0x7F; }

// WHATWG: "." and ".." segments, also percent-encoded ("%2e", ".%2E", ...).
bool is_dot(const std::string& seg) { return seg == "." || lower(seg) == "%2e"; }
bool is_dot_dot(const std::string& seg) {
    std::string s = lower(seg);
    return s == ".." || s == ".%2e" || s == "%2e." || s == "%2e%2e";
}

}  // namespace

// The WHATWG path state's handling of dot segments: ".." drops the segment before it, "." goes away, and either as
// the last segment leaves a trailing '/'. Paths that do not start with '/' ("" for no path) come back as they are.
std::string remove_dot_segments(const std::string& path) {
    if (path.empty() || path.front() != '/') return path;
    std::vector<std::string> parts, out;
    std::size_t from = 1;
    for (;;) {
        auto slash = path.find('/', from);
        parts.push_back(path.substr(from, slash == std::string::npos ? std::string::npos : slash - from));
        if (slash == std::string::npos) break;
        from = slash + 1;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        if (is_dot_dot(parts[i])) {
            if (!out.empty()) out.pop_back();
            if (last) out.emplace_back();
        } else if (is_dot(parts[i])) {
            if (last) out.emplace_back();
        } else {
            out.push_back(parts[i]);
        }
    }
    std::string joined;
    for (std::size_t i = 0; i < out.size(); ++i) joined += (i ? "/" : "") + out[i];
    return "/" + joined;
}

namespace {

// What a client percent-encodes in a path or query it is given (the WHATWG path / query percent-encode sets, less
// the C0 controls and space, which parse_base_url refuses): every byte outside ASCII, and a few ASCII characters.
std::string percent_encode(const std::string& s, const std::string& also) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x80 || also.find(static_cast<char>(c)) != std::string::npos) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// A host name, as WHATWG takes one without IDNA: ASCII, none of its forbidden host/domain code points.
bool valid_name(const std::string& host) {
    static const std::string forbidden = " #%/:<>?@[\\]^|";
    for (unsigned char c : host)
        if (c >= 0x80 || is_c0_or_space(c) || forbidden.find(static_cast<char>(c)) != std::string::npos) return false;
    return !host.empty();
}

}  // namespace

std::string BaseUrl::origin() const { return scheme + "://" + host + (port_typed ? ":" + std::to_string(port) : ""); }

BaseUrl parse_base_url(const std::string& typed) {
    // Leading and trailing spaces and control characters are dropped, as every client does with a pasted URL.
    std::size_t b = 0, e = typed.size();
    while (b < e && is_c0_or_space(static_cast<unsigned char>(typed[b]))) ++b;
    while (e > b && is_c0_or_space(static_cast<unsigned char>(typed[e - 1]))) --e;
    const std::string url = typed.substr(b, e - b);
    // Whatever stood before an '@' may be a password: never repeat the URL then (nor any piece of it).
    const bool secretive = url.find('@') != std::string::npos;
    const std::string shown = secretive ? std::string("the Base URL") : "'" + url + "'";
    // The fixed words of every message hold no quote: only `shown` (and a port, never when secretive) is quoted.
    auto fail = [&](const std::string& what) -> std::invalid_argument {
        return std::invalid_argument(shown + " " + what);
    };

    auto sep = url.find("://");
    std::string scheme = sep == std::string::npos ? "" : lower(url.substr(0, sep));
    if (scheme != "http" && scheme != "https") throw fail("is not an http:// or https:// URL");
    for (unsigned char c : url)
        if (is_c0_or_space(c)) throw fail("contains a space or a control character");
    std::string rest = url.substr(sep + 3);
    if (rest.find('#') != std::string::npos) throw fail("contains a fragment (#)");
    auto slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
    if (authority.find('@') != std::string::npos)
        throw fail(
            "carries credentials (user:password@host); routecheck never sends them: pass the key with --api-key");
    if (authority.empty()) throw fail("has no host");

    BaseUrl out;
    out.scheme = scheme;
    out.port = scheme == "https" ? 443 : 80;
    std::string port_text;
    bool has_port = false;
    if (authority.front() == '[') {  // IPv6 literal: nothing but ":port" may follow the ']'
        auto close = authority.find(']');
        if (close == std::string::npos) throw fail("has an unclosed IPv6 literal");
        std::string inside = authority.substr(1, close - 1);
        in6_addr addr{};
        if (::inet_pton(AF_INET6, inside.c_str(), &addr) != 1) throw fail("has an invalid IPv6 address");
        out.host = "[" + lower(inside) + "]";
        std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                throw fail("has text after the IPv6 address (only :port may follow the closing bracket)");
            has_port = true;
            port_text = after.substr(1);
        }
    } else {
        auto colon = authority.find(':');
        out.host = lower(authority.substr(0, colon));
        if (colon != std::string::npos) {
            has_port = true;
            port_text = authority.substr(colon + 1);
        }
        if (out.host.empty()) throw fail("has no host");
        if (!valid_name(out.host))
            throw fail("has a host a URL cannot hold (use ASCII letters, digits, dots and hyphens)");
    }
    if (has_port && !port_text.empty()) {  // "host:" is the default port, as WHATWG reads it
        const std::string quoted = secretive ? "" : " '" + port_text + "'";
        if (port_text.find_first_not_of("0123456789") != std::string::npos) throw fail("has an invalid port" + quoted);
        std::size_t digits = port_text.find_first_not_of('0');
        std::string value = digits == std::string::npos ? "0" : port_text.substr(digits);
        if (value.size() > 5 || std::stoi(value) < 1 || std::stoi(value) > 65535) throw fail("has a port out of range");
        out.port = std::stoi(value);
        out.port_typed = true;
    }
    auto q = tail.find('?');
    out.path = remove_dot_segments(percent_encode(tail.substr(0, q), "\"<>`{}"));
    if (q != std::string::npos) out.query = percent_encode(tail.substr(q + 1), "\"<>'");
    return out;
}

bool is_loopback(const BaseUrl& u) {
    if (u.host == "localhost") return true;
    if (u.host.size() > 2 && u.host.front() == '[') {
        in6_addr addr{};
        return ::inet_pton(AF_INET6, u.host.substr(1, u.host.size() - 2).c_str(), &addr) == 1 &&
               IN6_IS_ADDR_LOOPBACK(&addr);
    }
    in_addr v4{};
    return ::inet_pton(AF_INET, u.host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

std::string render_base_url(const std::string& templ, int port, int closed_port) {
    std::string out = templ;
    auto replace = [&](const std::string& key, int value) {
        for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key))
            out.replace(pos, key.size(), std::to_string(value));
    };
    replace("{port}", port);
    replace("{closed_port}", closed_port);
    return out;
}

std::string shown_base_url(const std::string& templ) { return render_base_url(templ, kShownPort, 9); }

}  // namespace routecheck
