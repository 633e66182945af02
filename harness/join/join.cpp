#include "join/join.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

namespace routecheck {

BaseUrl parse_base_url(const std::string& url) {
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0) throw std::invalid_argument("'" + url + "' is not an http:// URL");
    std::string rest = url.substr(scheme.size());
    if (rest.find_first_of(" \t\r\n#") != std::string::npos)
        throw std::invalid_argument("'" + url + "' contains a space or a fragment");
    auto slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
    if (authority.empty()) throw std::invalid_argument("'" + url + "' has no host");
    if (authority.find('@') != std::string::npos)
        throw std::invalid_argument("'" + url + "' carries credentials in the URL; pass the key with --api-key");
    BaseUrl b;
    auto colon = authority.rfind(':');
    if (authority.front() == '[') {  // IPv6 literal
        auto close = authority.find(']');
        if (close == std::string::npos) throw std::invalid_argument("'" + url + "' has an unclosed IPv6 literal");
        b.host = authority.substr(0, close + 1);
        colon = authority.size() > close + 1 && authority[close + 1] == ':' ? close + 1 : std::string::npos;
    } else {
        b.host = authority.substr(0, colon);
    }
    if (b.host.empty()) throw std::invalid_argument("'" + url + "' has no host");
    if (colon != std::string::npos) {
        std::string p = authority.substr(colon + 1);
        if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("'" + url + "' has an invalid port '" + p + "'");
        b.port = std::stoi(p);
        if (b.port < 1 || b.port > 65535) throw std::invalid_argument("'" + url + "' has a port out of range");
    }
    auto q = tail.find('?');
    b.path = tail.substr(0, q);
    if (q != std::string::npos) b.query = tail.substr(q + 1);
    return b;
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

std::string FinalRequest::line() const { return method + " " + target; }

namespace {

std::string resolve_path(const std::string& base_path, const std::string& endpoint) {
    if (!endpoint.empty() && endpoint.front() == '/') return endpoint;
    // WHATWG: a relative reference replaces the last segment of the base path.
    std::string dir = base_path.empty() ? "/" : base_path.substr(0, base_path.rfind('/') + 1);
    return dir + endpoint;
}

bool ends_with_segments(const std::string& path, const std::string& suffix) {
    if (suffix.empty() || path.size() < suffix.size()) return false;
    return path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
           (path.size() == suffix.size() || suffix.front() == '/');
}

// strip_suffix: the first listed suffix the base path ends with is removed, once.
std::string strip_suffix(std::string base, const std::vector<std::string>& suffixes) {
    for (const auto& s : suffixes)
        if (ends_with_segments(base, s)) return base.substr(0, base.size() - s.size());
    return base;
}

// A version segment as clients test for one: v1, v1beta, v2alpha1 (case-insensitive).
bool is_version(const std::string& seg) {
    std::size_t i = 0;
    auto digits = [&] {
        std::size_t from = i;
        while (i < seg.size() && std::isdigit(static_cast<unsigned char>(seg[i]))) ++i;
        return i > from;
    };
    if (seg.empty() || std::tolower(static_cast<unsigned char>(seg[0])) != 'v') return false;
    ++i;
    if (!digits()) return false;
    for (const char* word : {"alpha", "beta"}) {
        std::size_t n = std::char_traits<char>::length(word);
        if (seg.size() - i >= n && std::equal(word, word + n, seg.begin() + static_cast<long>(i),
                                              [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
            i += n;
            break;
        }
    }
    digits();
    return i == seg.size();
}

std::string last_segment(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// version_if_missing: the endpoint's leading version segment is left out when the base path ends in a version.
std::string endpoint_for(const std::string& base, const std::string& endpoint) {
    if (endpoint.size() < 2 || endpoint.front() != '/') return endpoint;  // "" or "/": no leading version to drop
    auto second = endpoint.find('/', 1);
    std::string first = endpoint.substr(1, second == std::string::npos ? std::string::npos : second - 1);
    if (!is_version(first) || !is_version(last_segment(base))) return endpoint;
    return second == std::string::npos ? "" : endpoint.substr(second);
}

// endpoint_if_missing: a base path that already ends with the whole endpoint gets nothing appended.
std::string append_if_missing(const std::string& base, const std::string& endpoint) {
    return ends_with_segments(base, endpoint) ? base : base + endpoint;
}

}  // namespace

FinalRequest join_request(const JoinSpec& join, const std::string& base_url, const Step& step) {
    BaseUrl b = parse_base_url(base_url);
    std::string path;
    auto append = [&](std::string base) {
        base = strip_suffix(std::move(base), join.strip_suffix);
        std::string endpoint = join.version_if_missing ? endpoint_for(base, step.endpoint) : step.endpoint;
        return join.endpoint_if_missing ? append_if_missing(base, endpoint) : base + endpoint;
    };
    switch (join.rule) {
        case JoinRule::Concat: {
            std::string base = b.path;
            while (!base.empty() && base.back() == '/') base.pop_back();
            path = append(base);
            break;
        }
        case JoinRule::ConcatRaw:
            path = append(b.path);
            break;
        case JoinRule::Resolve:
            path = resolve_path(b.path, step.endpoint);
            break;
    }
    if (path.empty()) path = "/";
    FinalRequest r;
    r.method = step.method;
    r.path = path;
    r.query = b.query;
    if (!step.query.empty()) r.query += (r.query.empty() ? "" : "&") + step.query;
    r.target = path + (r.query.empty() ? "" : "?" + r.query);
    r.url = "http://" + b.host + ":" + std::to_string(b.port) + r.target;
    return r;
}

std::string request_line(const ClientProfile& client, const Step& step, const std::string& base_url) {
    return join_request(client.join, base_url, step).line();
}

}  // namespace routecheck
