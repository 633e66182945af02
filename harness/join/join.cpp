#include "join/join.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/base_url.hpp"

namespace routecheck {

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
        if (seg.size() - i >= n && std::equal(word, word + n, seg.begin() + static_cast<long>(i), [](char a, char b) {
                return a == std::tolower(static_cast<unsigned char>(b));
            })) {
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
        case JoinRule::ConcatRaw: path = append(b.path); break;
        case JoinRule::Resolve: path = resolve_path(b.path, step.endpoint); break;
    }
    path = path.empty() ? "/" : remove_dot_segments(path);
    FinalRequest r;
    r.method = step.method;
    r.path = path;
    r.query = b.query;
    if (!step.query.empty()) r.query += (r.query.empty() ? "" : "&") + step.query;
    r.target = path + (r.query.empty() ? "" : "?" + r.query);
    r.url = b.scheme + "://" + b.host + ":" + std::to_string(b.port) + r.target;
    return r;
}

std::string request_line(const ClientProfile& client, const Step& step, const std::string& base_url) {
    return join_request(client.join, base_url, step).line();
}

std::vector<std::string> check_recordings(const ClientProfile& client) {
    std::vector<std::string> out;
    for (const auto& rec : client.recordings) {
        if (rec.requests.empty()) continue;  // the client sent nothing there (noted in the fixture)
        std::string base = shown_base_url(rec.base_url);
        std::vector<std::string> want = rec.requests;
        std::vector<std::string> got;
        for (const auto& s : client.steps) got.push_back(request_line(client, s, base));
        for (auto& w : want) {
            auto pos = w.find("{port}");
            if (pos != std::string::npos) w.replace(pos, 6, std::to_string(kShownPort));
        }
        if (got != want) {
            std::string g, w;
            for (const auto& x : got) g += "\n      " + x;
            for (const auto& x : want) w += "\n      " + x;
            out.push_back(client.file.string() + ": variant " + rec.variant + " (" + rec.base_url +
                          "): the join rule gives" + g + "\n    but the client sent" + w);
        }
    }
    return out;
}

}  // namespace routecheck
