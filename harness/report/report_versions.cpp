// Version comparison: two launched proxies of the same package at different versions (claude-code-router 1.0.73
// and 3.1.1) side by side, cell by cell: what a user who upgrades gains or loses with each client.
#include <algorithm>
#include <map>
#include <sstream>

#include "report/html_parts.hpp"
#include "report/report.hpp"

namespace routecheck {
namespace {

// Dotted numeric versions compared part by part ("1.0.73" < "3.1.1"); a part that is not a number compares as 0.
bool version_less(const std::string& a, const std::string& b) {
    std::istringstream sa(a), sb(b);
    std::string pa, pb;
    while (true) {
        const bool ha = static_cast<bool>(std::getline(sa, pa, '.')), hb = static_cast<bool>(std::getline(sb, pb, '.'));
        if (!ha && !hb) return false;
        long na = 0, nb = 0;
        try { na = ha ? std::stol(pa) : 0; } catch (...) {}
        try { nb = hb ? std::stol(pb) : 0; } catch (...) {}
        if (na != nb) return na < nb;
    }
}

// What a user sees in a cell: whether the client works, else the verdict class, and every step's status.
std::string cell_outcome(const CellResult& c) {
    std::string out = c.works ? "works" : to_string(c.diagnosis);
    if (!c.cell.error.empty()) return out + " (" + c.cell.error.substr(0, 80) + ")";
    std::string statuses;
    for (const auto& s : c.steps) statuses += (statuses.empty() ? "" : "/") + std::to_string(s.observed.status);
    return statuses.empty() ? out : out + " " + statuses;
}

}  // namespace

std::vector<VersionComparison> version_comparisons(const MatrixReport& report) {
    std::map<std::string, std::vector<const ProxyRunInfo*>> by_package;
    for (const auto& p : report.proxies)
        if (!p.package.empty() && !p.version.empty() && p.provenance == "launched" && p.error.empty())
            by_package[p.package].push_back(&p);
    std::map<std::pair<std::string, std::string>, const CellResult*> by_key;  // (proxy, client.variant) -> cell
    for (const auto& c : report.cells) by_key[{c.cell.proxy, c.cell.client + "." + c.cell.variant}] = &c;

    std::vector<VersionComparison> out;
    for (auto& [package, list] : by_package) {
        if (list.size() < 2) continue;
        std::stable_sort(list.begin(), list.end(),
                         [](const ProxyRunInfo* a, const ProxyRunInfo* b) { return version_less(a->version, b->version); });
        for (std::size_t i = 0; i + 1 < list.size(); ++i) {  // each version against the next one
            VersionComparison v;
            v.package = package;
            v.from_id = list[i]->id;
            v.from_version = list[i]->version;
            v.to_id = list[i + 1]->id;
            v.to_version = list[i + 1]->version;
            for (const auto& c : report.cells) {
                if (c.cell.proxy != v.from_id) continue;
                auto it = by_key.find({v.to_id, c.cell.client + "." + c.cell.variant});
                if (it == by_key.end()) continue;
                const std::string before = cell_outcome(c), after = cell_outcome(*it->second);
                if (before == after) {
                    ++v.same;
                    continue;
                }
                v.changed.push_back({c.cell.client, c.cell.variant, before, after, c.works, it->second->works});
            }
            out.push_back(std::move(v));
        }
    }
    return out;
}

nlohmann::json versions_json(const std::vector<VersionComparison>& versions) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& v : versions) {
        nlohmann::json changed = nlohmann::json::array();
        for (const auto& c : v.changed)
            changed.push_back({{"client", c.client}, {"variant", c.variant}, {"from", c.from}, {"to", c.to},
                               {"works_before", c.works_before}, {"works_after", c.works_after}});
        j.push_back({{"package", v.package}, {"from", {{"proxy", v.from_id}, {"version", v.from_version}}},
                     {"to", {{"proxy", v.to_id}, {"version", v.to_version}}}, {"unchanged", v.same},
                     {"changed", changed}});
    }
    return j;
}

std::string versions_markdown(const std::vector<VersionComparison>& versions) {
    std::ostringstream md;
    for (const auto& v : versions) {
        int gained = 0, lost = 0;
        for (const auto& c : v.changed) {
            gained += !c.works_before && c.works_after;
            lost += c.works_before && !c.works_after;
        }
        md << "## " << v.package << " " << v.from_version << " → " << v.to_version << " (" << v.from_id << " → "
           << v.to_id << ")\n\n"
           << v.changed.size() << " cells changed, " << v.same << " unchanged; " << gained << " now work, " << lost
           << " no longer work. Each line: client, the variants with the same change, before → after (verdict or "
              "works, then each step's status).\n\n";
        // Per client, variants grouped by identical change, in the report's variant order.
        std::vector<std::string> clients;
        std::map<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>> groups;
        for (const auto& c : v.changed) {
            if (std::find(clients.begin(), clients.end(), c.client) == clients.end()) clients.push_back(c.client);
            auto& g = groups[c.client];
            const std::string change = c.from + " → " + c.to;
            auto it = std::find_if(g.begin(), g.end(), [&](const auto& e) { return e.first == change; });
            if (it == g.end()) g.push_back({change, {c.variant}});
            else it->second.push_back(c.variant);
        }
        for (const auto& cl : clients)
            for (const auto& [change, variants] : groups[cl]) {
                md << "- " << cl << " (";
                for (std::size_t i = 0; i < variants.size(); ++i) md << (i ? ", " : "") << "`" << variants[i] << "`";
                md << "): " << change << "\n";
            }
        md << "\n";
    }
    return md.str();
}

std::string versions_html(const std::vector<VersionComparison>& versions) {
    using html::esc;
    std::ostringstream h;
    for (const auto& v : versions) {
        h << "<section class=\"versions\"><h2>" << esc(v.package) << " " << esc(v.from_version) << " &rarr; "
          << esc(v.to_version) << "</h2><p>" << v.changed.size() << " cells changed, " << v.same
          << " unchanged.</p><table><thead><tr><th>client</th><th>variant</th><th>" << esc(v.from_version)
          << "</th><th>" << esc(v.to_version) << "</th></tr></thead><tbody>";
        for (const auto& c : v.changed)
            h << "<tr><td>" << esc(c.client) << "</td><td><code>" << esc(c.variant) << "</code></td><td>" << esc(c.from)
              << "</td><td>" << esc(c.to) << "</td></tr>";
        h << "</tbody></table></section>\n";
    }
    return h.str();
}

}  // namespace routecheck
