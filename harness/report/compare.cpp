// Comparing two sets of cells (report/compare.hpp): the outcomes of a run in memory or of a matrix.json, and the one
// comparison every diff and version pair uses.
#include "report/compare.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "model/json_access.hpp"

namespace routecheck {

std::string CellOutcome::text() const {
    if (!error.empty()) return "could not run";
    std::string out = verdict_class == "OK" ? "works" : verdict_class;
    for (const auto& s : statuses) out += " " + s;
    return out;
}

std::string status_word(const StepObservation& s) {
    if (s.skipped) return "skip";
    if (s.status) return std::to_string(s.status);
    if (s.error == TransportError::None) return "no answer";
    return s.error == TransportError::Refused ? "refused" : to_string(s.error);
}

std::vector<CellOutcome> outcomes_of(const std::vector<CellResult>& cells) {
    std::vector<CellOutcome> out;
    out.reserve(cells.size());
    for (const auto& c : cells) {
        CellOutcome o{c.cell.proxy, c.cell.client, c.cell.variant, to_string(c.diagnosis), c.works,
                      {},           c.cell.error,  c.judgment.fix};
        for (const auto& s : c.steps) o.statuses.push_back(status_word(s.observed));
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<CellOutcome> outcomes_from_matrix_json(const nlohmann::json& doc, const std::string& file) {
    JsonAt root(doc, file);
    root.expect_object();
    if (!root.has("cells")) root.fail("not a routecheck matrix.json: no \"cells\" array");
    JsonAt cells = root.at("cells");
    cells.expect_array();
    std::vector<CellOutcome> out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        JsonAt c = cells.at(i);
        c.expect_object();
        CellOutcome o;
        o.proxy = c.str("proxy");
        o.client = c.str("client");
        o.variant = c.str("variant");
        JsonAt v = c.at("verdict");
        o.verdict_class = v.str("class");
        o.fix = v.str_or("fix", "");
        if (c.has("works") && !c.node()["works"].is_boolean()) c.at("works").fail("expected true or false");
        o.works = c.boolean_or("works", false);
        o.error = c.str_or("error", "");
        if (c.has("steps")) {
            JsonAt steps = c.at("steps");
            steps.expect_array();
            for (std::size_t k = 0; k < steps.size(); ++k) {
                JsonAt s = steps.at(k);
                s.expect_object();
                if (s.boolean_or("skipped", false)) o.statuses.push_back("skip");
                else if (int st = s.integer_or("status", 0)) o.statuses.push_back(std::to_string(st));
                else {
                    const std::string e = s.str_or("error", "none");
                    o.statuses.push_back(e == "connection refused" ? "refused" : e == "none" ? "no answer" : e);
                }
            }
        }
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<CellOutcome> read_matrix_outcomes(const std::string& file, nlohmann::json* doc_out) {
    nlohmann::json doc = read_json_file(file, std::uintmax_t{1} << 30);
    auto out = outcomes_from_matrix_json(doc, file);
    if (doc_out) *doc_out = std::move(doc);
    return out;
}

int CellComparison::unchanged_total() const {
    int n = 0;
    for (const auto& [proxy, count] : unchanged) n += count;
    return n;
}

CellComparison compare_cells(const std::vector<CellOutcome>& before, const std::vector<CellOutcome>& after) {
    using Key = std::tuple<std::string, std::string, std::string>;
    auto key = [](const CellOutcome& o) { return Key{o.proxy, o.client, o.variant}; };
    std::map<Key, const CellOutcome*> old;
    for (const auto& o : before) old.emplace(key(o), &o);
    CellComparison c;
    std::set<Key> seen;
    for (const auto& now : after) {
        seen.insert(key(now));
        auto it = old.find(key(now));
        if (it == old.end()) {
            c.only_after.push_back(now);
            continue;
        }
        const CellOutcome& was = *it->second;
        if (was.verdict_class != now.verdict_class || was.statuses != now.statuses ||
            was.error.empty() != now.error.empty())
            c.changed.push_back({was, now});
        else ++c.unchanged[now.proxy];
    }
    for (const auto& o : before)
        if (!seen.count(key(o))) c.only_before.push_back(o);
    return c;
}

}  // namespace routecheck
