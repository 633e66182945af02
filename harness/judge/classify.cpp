#include "judge/classify.hpp"

#include <algorithm>
#include <array>
#include <regex>
#include <stdexcept>

#include "judge/routes.hpp"

namespace routecheck {

namespace {

constexpr std::array<std::pair<Diagnosis, const char*>, 12> kNames = {{
    {Diagnosis::Ok, "OK"},
    {Diagnosis::DuplicatePrefix, "DUPLICATE_PREFIX"},
    {Diagnosis::MissingVersion, "MISSING_VERSION"},
    {Diagnosis::EndpointInBase, "ENDPOINT_IN_BASE"},
    {Diagnosis::WrongProtocol, "WRONG_PROTOCOL"},
    {Diagnosis::NoRoute, "NO_ROUTE"},
    {Diagnosis::AuthMissing, "AUTH_MISSING"},
    {Diagnosis::AuthRejected, "AUTH_REJECTED"},
    {Diagnosis::NotListening, "NOT_LISTENING"},
    {Diagnosis::UpstreamError, "UPSTREAM_ERROR"},
    {Diagnosis::Unexpected, "UNEXPECTED"},
    {Diagnosis::Skipped, "SKIPPED"},
}};

bool is_version(const std::string& seg) {
    static const std::regex re("v[0-9]+((alpha|beta)[0-9]*)?");
    return std::regex_match(seg, re);
}

// Endpoints clients append to a Base URL, as segment sequences.
const std::vector<std::vector<std::string>>& endpoints() {
    static const std::vector<std::vector<std::string>> e = {
        {"chat", "completions"}, {"completions"}, {"messages"}, {"responses"}, {"embeddings"}, {"models"},
    };
    return e;
}

// Length of the endpoint that starts at segs[i], or 0.
std::size_t endpoint_at(const std::vector<std::string>& segs, std::size_t i) {
    for (const auto& e : endpoints()) {
        if (i + e.size() > segs.size()) continue;
        if (std::equal(e.begin(), e.end(), segs.begin() + static_cast<long>(i))) return e.size();
    }
    return 0;
}

std::string strip_query(const std::string& path) { return path.substr(0, path.find('?')); }

}  // namespace

const char* to_string(Diagnosis d) {
    for (const auto& [k, v] : kNames)
        if (k == d) return v;
    return "UNEXPECTED";
}

Diagnosis diagnosis_from_string(const std::string& s) {
    for (const auto& [k, v] : kNames)
        if (s == v) return k;
    throw std::invalid_argument("unknown verdict class '" + s + "'");
}

Diagnosis path_shape(const std::string& raw) {
    auto segs = split_path(strip_query(raw));
    for (std::size_t i = 0; i + 1 < segs.size(); ++i)
        if (is_version(segs[i]) && is_version(segs[i + 1])) return Diagnosis::DuplicatePrefix;
    std::size_t start = !segs.empty() && is_version(segs[0]) ? 1 : 0;
    if (std::size_t len = endpoint_at(segs, start)) {
        std::size_t next = start + len;
        if (next < segs.size() && (is_version(segs[next]) || endpoint_at(segs, next))) return Diagnosis::EndpointInBase;
        if (start == 0) return Diagnosis::MissingVersion;
    }
    return Diagnosis::Ok;
}

std::string protocol_family(const std::string& protocol) {
    if (protocol.rfind("openai", 0) == 0) return "openai";
    if (protocol.rfind("anthropic", 0) == 0) return "anthropic";
    if (protocol.rfind("gemini", 0) == 0 || protocol.rfind("google", 0) == 0) return "gemini";
    return protocol;
}

std::string path_family(const std::string& raw) {
    auto segs = split_path(strip_query(raw));
    if (segs.empty()) return "";
    if (segs[0].rfind("v1beta", 0) == 0 || segs[0].rfind("v1alpha", 0) == 0) return "gemini";
    std::size_t start = is_version(segs[0]) ? 1 : 0;
    if (start >= segs.size()) return "";
    if (segs[start] == "messages") return "anthropic";
    if (segs[start] == "chat" || segs[start] == "responses" || segs[start] == "completions" ||
        segs[start] == "embeddings")
        return "openai";
    if (segs[start] == "models" && start + 1 < segs.size() && segs[start + 1].find(':') != std::string::npos)
        return "gemini";
    return "";
}

namespace {

std::string use_instead(const StepFacts& f) {
    return f.recommended_base.empty() ? std::string("no Base URL of this client reaches a route of this proxy; "
                                                    "use another mode of the client (see the recommendations)")
                                      : "set the Base URL to " + f.recommended_base;
}

bool served(const ProxyProfile& proxy, const std::string& family) {
    for (const auto& c : proxy.capabilities)
        if (protocol_family(c) == family) return true;
    return false;
}

}  // namespace

Finding classify_step(const StepFacts& f, const ProxyProfile& proxy) {
    std::string path = strip_query(f.path);
    std::string line = f.method + " " + f.path;
    if (f.error == TransportError::Refused)
        return {Diagnosis::NotListening, "nothing listens at that address (connection refused)",
                "start the proxy, or fix the port in the Base URL (" + proxy.name + " listens on its configured port)"};
    if (f.status == 0)
        return {Diagnosis::Unexpected, std::string("no HTTP answer: ") + to_string(f.error),
                "check that the Base URL points at the proxy and not at another server"};
    RouteMatch m = match_route(proxy.routes, f.method, path);
    Diagnosis shape = path_shape(path);
    if (f.status == 401 || f.status == 403) {
        bool missing = f.status == 401;
        std::string reason = missing ? "401: the proxy wants a key and got none it accepts"
                                     : "403: the proxy refused the key";
        if (m == RouteMatch::NoRoute)
            reason += "; it checks the key before routing, so this is not a route answer (" + path +
                      " is not a route either)";
        return {missing ? Diagnosis::AuthMissing : Diagnosis::AuthRejected, reason,
                missing ? "send the proxy's API key in the header this client uses (a 401 is not a Base URL problem)"
                        : "use the key configured in the proxy (a 403 is not a Base URL problem)"};
    }
    // 101: a websocket upgrade the proxy accepted (Codex's Responses websocket) works like a 2xx.
    if ((f.status >= 200 && f.status < 300) || f.status == 101) {
        if (m == RouteMatch::Route) return {Diagnosis::Ok, std::to_string(f.status) + " from route " + path, ""};
        return {Diagnosis::Ok, std::to_string(f.status) + " although " + path + " is not in the documented route table",
                ""};
    }
    if (m == RouteMatch::Route) {
        if (f.status == 501)
            return {Diagnosis::Unexpected, "501 from route " + path + ": the proxy has the route but does not implement it",
                    "the Base URL is right; this proxy cannot serve this call (use a proxy that implements it)"};
        if (f.status == 429 || f.status >= 500 || f.upstream_reached)
            return {Diagnosis::UpstreamError,
                    std::to_string(f.status) + " from an existing route: the upstream call failed or was refused",
                    "the Base URL is right; look at the proxy's upstream, account or quota"};
        return {Diagnosis::Unexpected, std::to_string(f.status) + " from route " + path,
                "the path is right; the proxy rejected the request itself (see the body excerpt)"};
    }
    if (m == RouteMatch::WrongMethod)
        return {Diagnosis::Unexpected, std::to_string(f.status) + ": " + path + " is a route, but not for " + f.method,
                "this client uses another method than the proxy serves on this path"};
    switch (shape) {
        case Diagnosis::DuplicatePrefix:
            return {shape, path + " has the version segment twice: the Base URL already ends in it and the client "
                               "appends its own",
                    use_instead(f)};
        case Diagnosis::EndpointInBase:
            return {shape, path + ": the Base URL already holds an endpoint and the client appended its route to it",
                    use_instead(f)};
        case Diagnosis::MissingVersion:
            return {shape, path + " lacks the /v1 prefix: this client expects the Base URL to carry it",
                    use_instead(f)};
        default:
            break;
    }
    std::string family = path_family(path);
    if (family.empty()) family = protocol_family(f.client_protocol);
    if (!family.empty() && !served(proxy, family))
        return {Diagnosis::WrongProtocol, path + " is a " + family + " route; " + proxy.name + " does not serve " + family,
                "use a client mode that speaks a protocol this proxy serves"};
    return {Diagnosis::NoRoute, std::to_string(f.status) + ": " + path + " is not a route of " + proxy.name,
            use_instead(f)};
}

}  // namespace routecheck
