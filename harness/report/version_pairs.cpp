// Two versions of one client package or one proxy package in the same run, side by side: compare_cells on the two
// sets of cells, relabelled to one key (report/compare.hpp), so a version pair reads like a diff of two runs.
#include <algorithm>
#include <map>
#include <tuple>

#include "report/report.hpp"

namespace routecheck {

bool version_less(const std::string& a, const std::string& b) {
    auto parts = [](const std::string& v) {
        std::vector<std::string> out;
        std::string cur;
        for (char c : v.rfind('v', 0) == 0 ? v.substr(1) : v) {
            if (c == '.' || c == '-') {
                out.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        out.push_back(cur);
        return out;
    };
    const auto pa = parts(a), pb = parts(b);
    for (std::size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        const std::string x = i < pa.size() ? pa[i] : "0", y = i < pb.size() ? pb[i] : "0";
        const bool nx = !x.empty() && std::all_of(x.begin(), x.end(), ::isdigit);
        const bool ny = !y.empty() && std::all_of(y.begin(), y.end(), ::isdigit);
        if (nx && ny) {
            if (x.size() != y.size()) return x.size() < y.size();  // no leading zeros in versions: longer is larger
            if (x != y) return x < y;
        } else if (x != y) {
            return x < y;
        }
    }
    return false;
}

namespace {

struct Side {
    std::string id, version;
};

// Orders each group's members by version and pairs each with the next (same version twice is no pair).
template <typename Group>
void pair_up(std::map<Group, std::vector<Side>>& groups, const std::string& kind, const MatrixReport& report,
             std::vector<VersionPair>& out) {
    for (auto& [key, sides] : groups) {
        std::stable_sort(sides.begin(), sides.end(), [](const Side& a, const Side& b) { return version_less(a.version, b.version); });
        for (std::size_t i = 0; i + 1 < sides.size(); ++i) {
            if (sides[i].version == sides[i + 1].version) continue;
            VersionPair v;
            v.kind = kind;
            v.package = std::get<0>(key);
            v.from_id = sides[i].id;
            v.from_version = sides[i].version;
            v.to_id = sides[i + 1].id;
            v.to_version = sides[i + 1].version;
            std::vector<CellOutcome> before, after;
            for (auto& o : outcomes_of(report.cells)) {
                std::string& who = kind == "client" ? o.client : o.proxy;
                if (who != v.from_id && who != v.to_id) continue;
                const bool from = who == v.from_id;
                who = v.package;  // one key for both sides
                (from ? before : after).push_back(std::move(o));
            }
            v.cells = compare_cells(before, after);
            v.cells.before_label = v.from_id + " " + v.from_version;
            v.cells.after_label = v.to_id + " " + v.to_version;
            out.push_back(std::move(v));
        }
    }
}

}  // namespace

std::vector<VersionPair> version_pairs(const MatrixReport& report) {
    std::vector<VersionPair> out;
    // Clients: one package from one registry, one mode (protocol); profiles of other modes are not versions.
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<Side>> clients;
    for (const auto& c : report.clients)
        if (!c.package.empty() && !c.version.empty() && c.known.how == "recorded")
            clients[{c.package, c.registry, c.protocol}].push_back({c.id, c.version});
    pair_up(clients, "client", report, out);
    // Proxies: launched ones that ran, by package.
    std::map<std::tuple<std::string>, std::vector<Side>> proxies;
    for (const auto& p : report.proxies)
        if (!p.package.empty() && !p.version.empty() && p.provenance == "launched" && p.error.empty())
            proxies[{p.package}].push_back({p.id, p.version});
    pair_up(proxies, "proxy", report, out);
    return out;
}

}  // namespace routecheck
