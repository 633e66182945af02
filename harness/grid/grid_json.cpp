// grids.json, the expected grid tables (fixtures/grids/<proxy>.json) and the judging of rows against them.
#include <algorithm>
#include <fstream>
#include <thread>

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
    json j = {{"kind", s.kind},
              {"row", s.row},
              {"request", request},
              {"fault", s.fault},
              {"key_state", s.key_state},
              {"carrier", s.carrier},
              {"target", s.target},
              {"condition", s.condition},
              {"protocol", s.protocol},
              {"case", s.stream_case},
              {"status", r.status},
              {"transport", r.transport},
              {"content_type", r.content_type},
              {"body_excerpt", valid_utf8(excerpt(r.body_excerpt, s.kind == "stream" ? 600 : 300))},
              {"retry_after", r.retry_after},
              {"first_event_ms", r.first_event_ms},
              {"total_ms", r.total_ms},
              {"events", r.events},
              {"content_pieces", r.content_pieces},
              {"upstream", r.upstream},
              {"error_shape", r.error_shape},
              {"verdict", r.verdict},
              {"detail", r.detail},
              {"predicted", r.predicted},
              {"observed", expected_view(r).to_json()}};
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

std::optional<GridFile> load_grid_file(const Fixtures& f, const std::string& proxy) {
    return routecheck::load_grid_file(f.roots, proxy);
}

GridCatalogue load_grid_catalogue(const Fixtures& f) { return routecheck::load_grid_catalogue(f.roots); }

fs::path grid_file_path(const Fixtures& f, const ProxyProfile& proxy) {
    for (auto it = f.roots.rbegin(); it != f.roots.rend(); ++it) {
        fs::path p = *it / "grids" / (proxy.id + ".json");
        if (fs::exists(p)) return p;
    }
    return proxy.file.parent_path().parent_path() / "grids" / (proxy.id + ".json");
}

std::string judge_row(const json& row, const GridFile* expected) {
    const std::string kind = row.value("kind", ""), id = row.value("row", "");
    const GridExpected* want = expected ? expected->expected(kind, id) : nullptr;
    if (!want)
        return "no expected row " + kind + "/" + id +
               " in fixtures/grids (run `routecheck matrix --update-expectations`, review the diff)";
    const json observed = row.contains("observed") ? row["observed"] : json();
    GridOutcome got;
    try {
        got = parse_grid_outcome(JsonAt(observed, "grids.json", "/observed"));
    } catch (const FixtureError& e) {
        return std::string("the row's observed outcome is unreadable: ") + e.what();
    }
    // A list: the proxy answers this row one of these ways, depending on a race of its own (claudish: whether its
    // first event was out before the upstream cut). Each is a real observation; the grid file's notes say why.
    if (want->accepts(got)) return "";
    return "expected " + safe_dump(want->to_json()) + ", got " + safe_dump(observed) + " — " +
           row.value("verdict", "") + ": " + row.value("detail", "");
}

json proxy_grids_json(const ProxyProfile& proxy, const std::string& provenance, const std::vector<RowResult>& rows,
                      const GridFile* expected) {
    json p = {
        {"id", proxy.id}, {"name", proxy.name}, {"provenance", provenance}, {"error", ""}, {"rows", json::array()}};
    int pass = 0, fail = 0;
    for (const auto& r : rows) {
        json j = row_json(r);
        j["name"] = r.spec.test_name(proxy.id);
        std::string why = judge_row(j, expected);
        const GridExpected* want = expected ? expected->expected(r.spec.kind, r.spec.row) : nullptr;
        j["expected"] = want ? want->to_json() : json();
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
    const GridCatalogue catalogue = load_grid_catalogue(f);
    for (const auto* p : proxies) {
        auto grid = load_grid_file(f, p->id);
        Setup s = setup_for(catalogue, *p, grid ? grid->setup : GridSetup{});
        bool launched = p->provenance == "launched";
        for (const auto& r : plan_rows(catalogue, s, true))
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
        // The old file as written (its setup and notes are kept word for word) and as read (its expected rows).
        json old = fs::exists(file) ? read_json_file(file) : json::object();
        std::optional<GridFile> old_grid;
        if (fs::exists(file)) old_grid = parse_grid_file(old, file);
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
            const GridExpected* want = old_grid ? old_grid->expected(kind, id) : nullptr;
            const bool listed = want && want->listed &&
                                want->accepts(parse_grid_outcome(JsonAt(r["observed"], "grids.json", "/observed")));
            doc[kind][id] = listed ? want->to_json() : r["observed"];
        }
        write_whole(file, grid_file_text(doc));
        written.push_back(file.string());
    }
    return written;
}

}  // namespace routecheck::grid

namespace routecheck::grid {

namespace {

// The rows of one proxy: its grid file (may be absent), the catalogue, and the two put together.
struct Planned {
    std::optional<GridFile> grid;
    std::vector<RowSpec> rows;
};

Planned plan_for(const Fixtures& f, const ProxyProfile& proxy, bool with_upstream) {
    Planned p;
    const GridCatalogue catalogue = load_grid_catalogue(f);
    p.grid = load_grid_file(f, proxy.id);
    p.rows = plan_rows(catalogue, setup_for(catalogue, proxy, p.grid ? p.grid->setup : GridSetup{}), with_upstream);
    return p;
}

}  // namespace

json run_proxy_grids(const Fixtures& f, const ProxyProfile& proxy, int port, mock::MockUpstream* upstream,
                     const std::map<std::string, std::string>& vars, const Deadline& deadline) {
    Planned p = plan_for(f, proxy, upstream != nullptr);
    auto rows = run_rows(proxy, p.rows, port, upstream, vars, 6, deadline);
    return proxy_grids_json(proxy, upstream ? "observed" : "attached", rows, p.grid ? &*p.grid : nullptr);
}

struct ProxyGridRun::State {
    State(const ProxyProfile& proxy, Planned planned, int port, mock::MockUpstream* upstream,
          const std::map<std::string, std::string>& vars, const Deadline& deadline)
        : proxy(proxy), port(port), upstream(upstream), vars(vars), deadline(deadline), planned(std::move(planned)) {
        for (const auto& r : this->planned.rows) {
            beside.push_back(r.phase == 0);
            (beside.back() ? undisturbed : rest).push_back(r);
        }
    }
    const ProxyProfile& proxy;
    int port;
    mock::MockUpstream* upstream;
    const std::map<std::string, std::string>& vars;
    const Deadline& deadline;
    Planned planned;
    std::vector<RowSpec> undisturbed, rest;  // phase 0; phases 1 and 2
    std::vector<bool> beside;                // per planned row: true when it is in `undisturbed`
    std::vector<RowResult> undisturbed_results;
    bool started = false;
    std::thread thread;  // runs the undisturbed rows
};

ProxyGridRun::ProxyGridRun(const Fixtures& f, const ProxyProfile& proxy, int port, mock::MockUpstream* upstream,
                           const std::map<std::string, std::string>& vars, const Deadline& deadline)
    : s_(std::make_unique<State>(proxy, plan_for(f, proxy, upstream != nullptr), port, upstream, vars, deadline)) {}

ProxyGridRun::ProxyGridRun(const ProxyProfile& proxy, std::vector<RowSpec> rows, const GridFile* expected, int port,
                           mock::MockUpstream* upstream, const std::map<std::string, std::string>& vars,
                           const Deadline& deadline)
    : s_(std::make_unique<State>(proxy,
                                 Planned{expected ? std::optional<GridFile>(*expected) : std::nullopt, std::move(rows)},
                                 port, upstream, vars, deadline)) {}

ProxyGridRun::~ProxyGridRun() {
    if (s_ && s_->thread.joinable()) s_->thread.join();
}

void ProxyGridRun::start_undisturbed() {
    if (s_->started) return;
    s_->started = true;
    s_->thread = std::thread([s = s_.get()] {
        s->undisturbed_results = run_rows(s->proxy, s->undisturbed, s->port, s->upstream, s->vars, 6, s->deadline);
    });
}

json ProxyGridRun::finish() {
    start_undisturbed();
    if (s_->thread.joinable()) s_->thread.join();
    std::vector<RowResult> later = run_rows(s_->proxy, s_->rest, s_->port, s_->upstream, s_->vars, 6, s_->deadline);
    // Back into the plan's order: each part kept its rows' order.
    std::vector<RowResult> rows;
    auto a = s_->undisturbed_results.begin(), b = later.begin();
    for (bool beside : s_->beside) rows.push_back(std::move(beside ? *a++ : *b++));
    return proxy_grids_json(s_->proxy, s_->upstream ? "observed" : "attached", rows,
                            s_->planned.grid ? &*s_->planned.grid : nullptr);
}

json predict_proxy_grids(const Fixtures& f, const ProxyProfile& proxy) {
    Planned p = plan_for(f, proxy, true);
    return proxy_grids_json(proxy, "predicted from source", predict_rows(proxy, p.rows), p.grid ? &*p.grid : nullptr);
}

json failed_proxy_grids(const ProxyProfile& proxy, const std::string& error) {
    return {{"id", proxy.id}, {"name", proxy.name},    {"provenance", "observed"},
            {"error", error}, {"rows", json::array()}, {"pass", 0},
            {"fail", 0}};
}

}  // namespace routecheck::grid
