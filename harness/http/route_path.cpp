#include "http/route_path.hpp"

namespace routecheck {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        auto j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

namespace {

// A segment pattern may be "*" (any one segment), or contain one "*" inside it (e.g. "*:generateContent").
bool segment_matches(const std::string& pat, const std::string& seg) {
    if (pat == "*") return !seg.empty();
    auto star = pat.find('*');
    if (star == std::string::npos) return pat == seg;
    std::string pre = pat.substr(0, star), post = pat.substr(star + 1);
    // The star stands for at least one character.
    return seg.size() > pre.size() + post.size() && seg.compare(0, pre.size(), pre) == 0 &&
           seg.compare(seg.size() - post.size(), post.size(), post) == 0;
}

}  // namespace

bool route_path_matches(const std::string& pattern, const std::string& path) {
    // Routes are exact: "/v1/models/" is not "/v1/models" (no trailing-slash redirects in these proxies),
    // and an empty segment ("//") never matches.
    if (path.find("//") != std::string::npos) return false;
    bool trailing = path.size() > 1 && path.back() == '/';
    bool pattern_trailing = pattern.size() > 1 && pattern.back() == '/';
    auto pat = split_path(pattern);
    auto segs = split_path(path);
    if (!pat.empty() && pat.back() == "**") {
        if (segs.size() < pat.size() - 1) return false;
        for (std::size_t i = 0; i + 1 < pat.size(); ++i)
            if (!segment_matches(pat[i], segs[i])) return false;
        return true;
    }
    if (trailing != pattern_trailing) return false;
    if (pat.size() != segs.size()) return false;
    for (std::size_t i = 0; i < pat.size(); ++i)
        if (!segment_matches(pat[i], segs[i])) return false;
    return true;
}

}  // namespace routecheck
