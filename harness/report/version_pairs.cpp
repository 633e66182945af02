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
void pair_up(std::map<Group, std::vector<Side>>& groups, const std::string& kind, const std::vector<CellOutcome>& cells,
             std::vector<VersionPair>& out) {
    for (auto& [key, sides] : groups) {
        std::stable_sort(sides.begin(), sides.end(),
                         [](const Side& a, const Side& b) { return version_less(a.version, b.version); });
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
            for (CellOutcome o : cells) {
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
    return version_pairs(outcomes_of(report.cells), report.clients, report.proxies);
}

std::vector<VersionPair> version_pairs(const std::vector<CellOutcome>& cells,
                                       const std::vector<ClientRunInfo>& clients_run,
                                       const std::vector<ProxyRunInfo>& proxies_run) {
    std::vector<VersionPair> out;
    // Clients: one package from one registry, one mode (protocol); profiles of other modes are not versions.
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<Side>> clients;
    for (const auto& c : clients_run)
        if (!c.package.empty() && !c.version.empty() && c.known.how == "recorded")
            clients[{c.package, c.registry, c.protocol}].push_back({c.id, c.version});
    pair_up(clients, "client", cells, out);
    // Proxies: launched ones that ran, by package.
    std::map<std::tuple<std::string>, std::vector<Side>> proxies;
    for (const auto& p : proxies_run)
        if (!p.package.empty() && !p.version.empty() && p.provenance == "launched" && p.error.empty())
            proxies[{p.package}].push_back({p.id, p.version});
    pair_up(proxies, "proxy", cells, out);
    return out;
}

std::vector<VersionPair> version_pairs_of_matrix_json(const nlohmann::json& doc, const std::string& file) {
    const auto cells = outcomes_from_matrix_json(doc, file);
    auto str = [](const nlohmann::json& j, const char* k) {
        return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
    };
    std::vector<ClientRunInfo> clients;
    for (const auto& c : doc.value("clients", nlohmann::json::array()))
        clients.push_back({str(c, "id"),
                           str(c, "name"),
                           str(c, "protocol"),
                           str(c, "package"),
                           str(c, "version"),
                           str(c, "registry"),
                           {str(c.value("known", nlohmann::json::object()), "how"), "", ""}});
    std::vector<ProxyRunInfo> proxies;
    for (const auto& p : doc.value("proxies", nlohmann::json::array())) {
        ProxyRunInfo info;
        info.id = str(p, "id");
        info.package = str(p, "package");
        info.version = str(p, "version");
        info.provenance = str(p, "provenance");
        info.error = str(p, "error");
        proxies.push_back(std::move(info));
    }
    return version_pairs(cells, clients, proxies);
}

std::string version_pair_title(const VersionPair& v) {
    return v.package + " " + v.from_version + " → " + v.to_version + " (" +
           (v.kind == "proxy" ? "proxies " : "clients ") + v.from_id + " → " + v.to_id + ")";
}

nlohmann::json version_pairs_json(const std::vector<VersionPair>& pairs) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& v : pairs)
        j.push_back({{"kind", v.kind},
                     {"package", v.package},
                     {"from", {{"id", v.from_id}, {"version", v.from_version}}},
                     {"to", {{"id", v.to_id}, {"version", v.to_version}}},
                     {"comparison", comparison_json(v.cells)}});
    return j;
}

}  // namespace routecheck
