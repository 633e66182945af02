#include "join/join.hpp"

#include <stdexcept>

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

}  // namespace

FinalRequest join_request(JoinRule rule, const std::string& base_url, const Step& step) {
    BaseUrl b = parse_base_url(base_url);
    std::string path;
    switch (rule) {
        case JoinRule::Concat: {
            std::string base = b.path;
            while (!base.empty() && base.back() == '/') base.pop_back();
            path = base + step.endpoint;
            break;
        }
        case JoinRule::ConcatRaw:
            path = b.path + step.endpoint;
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
