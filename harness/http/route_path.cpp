#include "http/route_path.hpp"

#include <string_view>

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

// The segments of a path one at a time, as split_path() cuts them, without copying: route matching runs for every
// candidate Base URL of every judged step, and the copies were most of its cost.
class Segments {
public:
    explicit Segments(std::string_view path) : rest_(path) {}
    // The next segment, or false when none is left.
    bool next(std::string_view& seg) {
        std::size_t i = rest_.find_first_not_of('/');
        if (i == std::string_view::npos) return false;
        rest_.remove_prefix(i);
        std::size_t j = rest_.find('/');
        seg = rest_.substr(0, j);
        rest_.remove_prefix(j == std::string_view::npos ? rest_.size() : j);
        return true;
    }

private:
    std::string_view rest_;
};

// A segment pattern may be "*" (any one segment), or contain one "*" inside it (e.g. "*:generateContent").
bool segment_matches(std::string_view pat, std::string_view seg) {
    if (pat == "*") return !seg.empty();
    auto star = pat.find('*');
    if (star == std::string_view::npos) return pat == seg;
    std::string_view pre = pat.substr(0, star), post = pat.substr(star + 1);
    // The star stands for at least one character.
    return seg.size() > pre.size() + post.size() && seg.substr(0, pre.size()) == pre &&
           seg.substr(seg.size() - post.size()) == post;
}

}  // namespace

bool route_path_matches(const std::string& pattern, const std::string& path) {
    // Routes are exact: "/v1/models/" is not "/v1/models" (no trailing-slash redirects in these proxies),
    // and an empty segment ("//") never matches.
    if (path.find("//") != std::string::npos) return false;
    bool trailing = path.size() > 1 && path.back() == '/';
    bool pattern_trailing = pattern.size() > 1 && pattern.back() == '/';
    Segments pats(pattern), segs(path);
    std::string_view pat, seg;
    for (;;) {
        bool more_pat = pats.next(pat);
        if (more_pat && pat == "**") {
            // A trailing "**" takes any number of segments (none too); a "**" inside a pattern is an ordinary
            // segment pattern, as before.
            std::string_view after;
            if (!Segments(pats).next(after)) return true;
        }
        bool more_seg = segs.next(seg);
        if (!more_pat || !more_seg) return !more_pat && !more_seg && trailing == pattern_trailing;
        if (!segment_matches(pat, seg)) return false;
    }
}

}  // namespace routecheck
