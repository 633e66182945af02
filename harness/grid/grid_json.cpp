// grids.json, the expected grid tables (fixtures/grids/<proxy>.json) and the judging of rows against them.
#include <algorithm>
#include <fstream>

#include "grid/grid.hpp"
#include "model/json_access.hpp"
#include "text/file_write.hpp"
#include "text/utf8.hpp"

namespace routecheck::grid {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string excerpt(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    return std::string(utf8_prefix(s, n)) + "…";
}

json row_json(const RowResult& r) {
    const RowSpec& s = r.spec;
    std::string request = s.probe.method + " " + s.probe.path;
    json j = {{"kind", s.kind}, {"row", s.row}, {"request", request}, {"fault", s.fault},
              {"key_state", s.key_state}, {"carrier", s.carrier}, {"target", s.target},
              {"condition", s.condition}, {"protocol", s.protocol}, {"case", s.stream_case},
              {"status", r.status}, {"transport", r.transport}, {"content_type", r.content_type},
              {"body_excerpt", valid_utf8(excerpt(r.body_excerpt, s.kind == "stream" ? 600 : 300))},
              {"retry_after", r.retry_after}, {"first_event_ms", r.first_event_ms}, {"total_ms", r.total_ms},
              {"events", r.events}, {"content_pieces", r.content_pieces}, {"upstream", r.upstream},
              {"error_shape", r.error_shape}, {"verdict", r.verdict}, {"detail", r.detail}, {"predicted", r.predicted},
              {"observed", expected_view(r)}};
    return j;
}

// One row per line, so a reviewer reads the diff of an expected grid row by row.
std::string grid_file_text(const json& doc) {
    std::string out = "{";
    bool first = true;
    for (const char* key : {"proxy", "provenance", "generated_by", "setup", "notes", "auth", "health", "stream"}) {
        if (!doc.contains(key)) continue;
        out += std::string(first ? "\n" : ",\n") + "  " + json(key).dump() + ": ";
        first = false;
        const json& v = doc[key];
        if (std::string(key) != "auth" && std::string(key) != "health" && std::string(key) != "stream") {
            out += v.dump();
            continue;
        }
        out += "{";
        bool first_row = true;
        for (const auto& [row, want] : v.items()) {
            out += std::string(first_row ? "\n" : ",\n") + "    " + json(row).dump() + ": " + safe_dump(want);
            first_row = false;
        }
        out += "\n  }";
    }
    return out + "\n}\n";
}

// The grid expectations: a full disk fails the write of the .partial and leaves the good file as it was.
void write_whole(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    replace_file(file, text);
}

}  // namespace

json load_grid_file(const Fixtures& f, const std::string& proxy) {
    // A later fixture folder overrides an earlier one, as for the other fixture files.
    json doc;
    for (const auto& root : f.roots) {
        fs::path p = root / "grids" / (proxy + ".json");
        if (fs::exists(p)) doc = read_json_file(p);
    }
    if (!doc.is_null() && !doc.is_object()) throw FixtureError(proxy + ".json", "", "a grid file must be an object");
    return doc;
}

fs::path grid_file_path(const Fixtures& f, const ProxyProfile& proxy) {
    for (auto it = f.roots.rbegin(); it != f.roots.rend(); ++it) {
        fs::path p = *it / "grids" / (proxy.id + ".json");
        if (fs::exists(p)) return p;
    }
    return proxy.file.parent_path().parent_path() / "grids" / (proxy.id + ".json");
}

std::string judge_row(const json& row, const json& expected_doc) {
    const std::string kind = row.value("kind", ""), id = row.value("row", "");
    if (!expected_doc.is_object() || !expected_doc.contains(kind) || !expected_doc[kind].contains(id))
        return "no expected row " + kind + "/" + id +
               " in fixtures/grids (run `routecheck matrix --update-expectations`, review the diff)";
    const json& want = expected_doc[kind][id];
    const json& got = row["observed"];
    if (want == got) return "";
    // A list: the proxy answers this row one of these ways, depending on a race of its own (claudish: whether its
    // first event was out before the upstream cut). Each is a real observation; the grid file's notes say why.
    if (want.is_array() && std::find(want.begin(), want.end(), got) != want.end()) return "";
    return "expected " + safe_dump(want) + ", got " + safe_dump(got) + " — " + row.value("verdict", "") + ": " +
           row.value("detail", "");
}

json proxy_grids_json(const ProxyProfile& proxy, const std::string& provenance, const std::vector<RowResult>& rows,
                      const json& expected_doc) {
    json p = {{"id", proxy.id}, {"name", proxy.name}, {"provenance", provenance}, {"error", ""},
              {"rows", json::array()}};
    int pass = 0, fail = 0;
    for (const auto& r : rows) {
        json j = row_json(r);
        j["name"] = r.spec.test_name(proxy.id);
        std::string why = judge_row(j, expected_doc);
        j["expected"] = expected_doc.is_object() && expected_doc.contains(r.spec.kind) &&
                                expected_doc[r.spec.kind].contains(r.spec.row)
                            ? expected_doc[r.spec.kind][r.spec.row]
                            : json();
        j["pass"] = why.empty();
        j["message"] = why;
        (why.empty() ? pass : fail)++;
        p["rows"].push_back(std::move(j));
    }
    p["pass"] = pass;
    p["fail"] = fail;
    return p;
}

std::vector<std::string> list_rows(const Fixtures& f, const std::vector<const ProxyProfile*>& proxies) {
    std::vector<std::string> out;
    for (const auto* p : proxies) {
        json doc = load_grid_file(f, p->id);
        Setup s = setup_for(*p, doc.is_object() && doc.contains("setup") ? doc["setup"] : json::object());
        bool launched = p->provenance == "launched";
        for (const auto& r : plan_rows(*p, s, true))
            if (launched || r.kind != "stream") out.push_back(r.test_name(p->id));
    }
    return out;
}

std::vector<std::string> update_grid_expectations(const Fixtures& f, const json& grids) {
    std::vector<std::string> written;
    if (!grids.is_object() || !grids.contains("proxies")) return written;
    for (const auto& p : grids["proxies"]) {
        const ProxyProfile* profile = f.proxy(p.value("id", ""));
        if (!profile || !p.value("error", "").empty() || p["rows"].empty()) continue;
        fs::path file = grid_file_path(f, *profile);
        json old = fs::exists(file) ? read_json_file(file) : json::object();
        const bool old_observed = says_observed(old);
        const std::string run = p.value("provenance", "");
        // Predictions never overwrite what was observed. An observed file keeps its provenance (version, how it
        // was run), and an attach run, which has no upstream faults to play, keeps the rows it could not run.
        if (run == "predicted from source" && old_observed) continue;
        json doc = {{"proxy", profile->id},
                    {"provenance", old_observed ? old["provenance"] : json(run)},
                    {"generated_by", "routecheck matrix --update-expectations"}};
        for (const char* keep : {"setup", "notes"})
            if (old.contains(keep)) doc[keep] = old[keep];
        if (run == "attached")
            for (const char* kind : {"auth", "health", "stream"})
                if (old.contains(kind)) doc[kind] = old[kind];
        for (const auto& r : p["rows"]) {
            const std::string kind = r.value("kind", ""), id = r.value("row", "");
            // A reviewed list of outcomes (a racy row) is kept while this run's outcome is one of them.
            const bool listed = old.contains(kind) && old[kind].contains(id) && old[kind][id].is_array() &&
                                std::find(old[kind][id].begin(), old[kind][id].end(), r["observed"]) != old[kind][id].end();
            doc[kind][id] = listed ? old[kind][id] : r["observed"];
        }
        write_whole(file, grid_file_text(doc));
        written.push_back(file.string());
    }
    return written;
}

}  // namespace routecheck::grid

namespace routecheck::grid {

namespace {

json setup_of(const Fixtures& f, const ProxyProfile& proxy, json& doc) {
    doc = load_grid_file(f, proxy.id);
    return doc.is_object() && doc.contains("setup") ? doc["setup"] : json::object();
}

}  // namespace

json run_proxy_grids(const Fixtures& f, const ProxyProfile& proxy, int port, mock::MockUpstream* upstream,
                     const std::map<std::string, std::string>& vars, const Deadline& deadline) {
    json doc;
    Setup s = setup_for(proxy, setup_of(f, proxy, doc));
    auto rows = run_rows(proxy, plan_rows(proxy, s, upstream != nullptr), port, upstream, vars, 6, deadline);
    return proxy_grids_json(proxy, upstream ? "observed" : "attached", rows, doc);
}

json predict_proxy_grids(const Fixtures& f, const ProxyProfile& proxy) {
    json doc;
    Setup s = setup_for(proxy, setup_of(f, proxy, doc));
    return proxy_grids_json(proxy, "predicted from source", predict_rows(proxy, plan_rows(proxy, s, true)), doc);
}

json failed_proxy_grids(const ProxyProfile& proxy, const std::string& error) {
    return {{"id", proxy.id}, {"name", proxy.name}, {"provenance", "observed"}, {"error", error},
            {"rows", json::array()}, {"pass", 0}, {"fail", 0}};
}

}  // namespace routecheck::grid
