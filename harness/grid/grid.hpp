// Behaviour grids: per proxy, the auth grid (key state x key carrier x target), the health grid (upstream
// condition x key) and the streaming grid (protocol x upstream case). Rows are data: the row catalogue
// (fixtures/grids/catalogue.json) times the proxy profile and the optional "setup" section of
// fixtures/grids/<proxy>.json, both typed in model/grid_file.hpp; run against the proxy instance the
// matrix run already started (faults are scripted per request by the x-routecheck-fault header, which the Node
// preload carries to the upstream, so rows run in parallel without touching each other), and judged against the
// expected rows of the same file. See docs/grids.md.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "model/fixtures.hpp"
#include "model/grid_file.hpp"

namespace routecheck::mock {
class MockUpstream;
}

namespace routecheck::grid {

// One request the grid sends: method, path (+query), headers, body (null: none). Placeholders filled in.
using Probe = GridProbe;

// What the grids send to one proxy, from its profile, the setup overrides and the catalogue's defaults.
struct Setup {
    Probe known;                                // a known route that needs no upstream where possible (GET model list)
    std::string api_prefix = "/v1";             // the unknown path inside it is <prefix>/v1/messages
    std::string health_path;                    // "" when the proxy has no health endpoint
    std::vector<std::string> carriers;          // the carriers the profile says the proxy reads (report only)
    std::string key;                            // "" when the proxy takes no key
    std::vector<std::string> stream_protocols;  // anthropic | openai | gemini
    std::map<std::string, std::string> models;  // protocol -> model name sent (before the profile's model_map)
    long health_timeout_ms = 2500;              // the health grid's client; the "slow" upstream waits twice as long
    long stream_timeout_ms = 6000;              // the streaming grid's client: a proxy still retrying then is HUNG
};

Setup setup_for(const GridCatalogue& catalogue, const ProxyProfile& proxy, const GridSetup& overrides);

// One row of one grid, before it runs.
struct RowSpec {
    std::string kind;  // auth | health | stream
    std::string row;   // e.g. "wrong-key.x-api-key.unknown-prefix", "down.key", "anthropic.cut"
    Probe probe;
    std::string fault;       // x-routecheck-fault value ("" for none)
    long timeout_ms = 3000;  // the client's patience
    int phase = 0;           // 0 before 1 before 2; phase 2 runs one row at a time (it may change proxy state)
    // What the row varies, for the report's side-by-side tables.
    std::string key_state, carrier, target, condition, protocol, stream_case;
    std::string test_name(const std::string& proxy) const { return "grid." + kind + "." + proxy + "." + row; }
};

// The rows of one proxy: the catalogue's rows with the setup's values, in the catalogue's order. Without the mock
// upstream (`with_upstream` false: attach mode) no faulted row and no streaming row.
std::vector<RowSpec> plan_rows(const GridCatalogue& catalogue, const Setup& setup, bool with_upstream);

// What came back for one row.
struct RowResult {
    RowSpec spec;
    int status = 0;         // 0: no HTTP answer
    std::string transport;  // "" or what failed (timeout, connection reset, ...)
    std::string content_type, body_excerpt;
    bool retry_after = false;  // the client received a Retry-After header
    double first_event_ms = 0, total_ms = 0;
    // When the client received its first and last event, and when the mock upstream sent each frame of the row's
    // upstream answers (its journal), all on the machine's steady clock (ms): a dribble row's verdict compares
    // them, so a loaded machine that delays everything cannot make a streaming proxy look buffered.
    double first_event_at_ms = 0, last_event_at_ms = 0;
    std::vector<double> upstream_sent_at_ms;
    int events = 0, content_pieces = 0;
    std::vector<std::string> upstream;  // upstream request lines attributed to the row
    bool fault_applied = false;         // the mock played the row's fault on at least one of them
    std::string error_shape;            // stream rows answered >= 400: native | foreign | none
    std::string verdict;                // auth: status class; health: HEALTHY...; stream: STREAM_OK...
    std::string detail;                 // one line on why the verdict
    bool predicted = false;
};

// The compared part of a row: what the expected table stores (status, verdict, ...).
GridOutcome expected_view(const RowResult& r);

// Runs every row against a proxy on 127.0.0.1:port. `upstream` (may be null: attach mode, no faults) is the mock
// whose journal attributes upstream requests. `vars` renders the profile's extra headers.
// A row the run's deadline cut (not started before it, or its request cut short by it) has the verdict NOT_RUN.
std::vector<RowResult> run_rows(const ProxyProfile& proxy, const std::vector<RowSpec>& rows, int port,
                                mock::MockUpstream* upstream, const std::map<std::string, std::string>& vars,
                                int jobs = 6, const Deadline& deadline = {});

// Predicted rows for a source-only proxy, from its contract (contract/predict.hpp): auth and health grids only.
std::vector<RowResult> predict_rows(const ProxyProfile& proxy, const std::vector<RowSpec>& rows);

// fixtures/grids/<proxy>.json from the last fixture root that has it (nullopt when none does), and the row
// catalogue (model/grid_file.hpp load_grid_file, load_grid_catalogue; FixtureError when invalid).
std::optional<GridFile> load_grid_file(const Fixtures& f, const std::string& proxy);
GridCatalogue load_grid_catalogue(const Fixtures& f);
std::filesystem::path grid_file_path(const Fixtures& f, const ProxyProfile& proxy);

// Rows of one proxy judged against its grid file (null: none): the "proxies" entry of grids.json.
nlohmann::json proxy_grids_json(const ProxyProfile& proxy, const std::string& provenance,
                                const std::vector<RowResult>& rows, const GridFile* expected);

// Judges one row's JSON (from grids.json: its kind, row, observed, verdict, detail) against a grid file (null:
// none): "" when as expected, else why not (also when the row's "observed" is not an outcome).
std::string judge_row(const nlohmann::json& row, const GridFile* expected);

// The ctest names of every grid row of the selected proxies (launched and source), without running anything.
std::vector<std::string> list_rows(const Fixtures& f, const std::vector<const ProxyProfile*>& proxies);

// The three entry points the matrix run calls: one "proxies" entry of grids.json each.
nlohmann::json run_proxy_grids(const Fixtures& f, const ProxyProfile& proxy, int port, mock::MockUpstream* upstream,
                               const std::map<std::string, std::string>& vars, const Deadline& deadline = {});
nlohmann::json predict_proxy_grids(const Fixtures& f, const ProxyProfile& proxy);

// run_proxy_grids() in two parts, so the rows of phase 0 run beside the proxy's cells: they send what any client
// sends (no fault, or the dribble, which only slows one answer), so they change nothing a cell sees, and the
// dribble rows' seconds of waiting no longer add to the proxy's run (LiteLLM's phase-0 rows took 2.5 s of its 3.3 s
// of grids after the cells). The rows with faults a proxy may remember (phases 1 and 2: reset, cut, refused
// credentials, 429) still run after the cells, as before. Owned by one thread; the destructor waits for the phase-0
// rows (they end by their own timeouts or the deadline).
class ProxyGridRun {
public:
    // Plans the rows (FixtureError when the grid file or the catalogue is invalid). `proxy`, `upstream` (may be
    // null: no faults, as run_proxy_grids), `vars` and `deadline` must outlive this object.
    ProxyGridRun(const Fixtures& f, const ProxyProfile& proxy, int port, mock::MockUpstream* upstream,
                 const std::map<std::string, std::string>& vars, const Deadline& deadline);
    // The same with the rows already planned (plan_rows) and the proxy's grid file (null: none; copied).
    ProxyGridRun(const ProxyProfile& proxy, std::vector<RowSpec> rows, const GridFile* expected, int port,
                 mock::MockUpstream* upstream, const std::map<std::string, std::string>& vars,
                 const Deadline& deadline);
    ~ProxyGridRun();
    ProxyGridRun(const ProxyGridRun&) = delete;
    ProxyGridRun& operator=(const ProxyGridRun&) = delete;

    // Starts the phase-0 rows on a thread of their own and returns at once. Once only.
    void start_undisturbed();
    // Waits for them (starts them first if start_undisturbed() was not called), then runs the other phases and
    // returns the "proxies" entry of grids.json, the rows in the catalogue's order as run_proxy_grids gives them.
    nlohmann::json finish();

private:
    struct State;
    std::unique_ptr<State> s_;
};
nlohmann::json failed_proxy_grids(const ProxyProfile& proxy, const std::string& error);

// Rewrites fixtures/grids/<proxy>.json from a run's grids.json (the "setup" section is kept). Returns files written.
std::vector<std::string> update_grid_expectations(const Fixtures& f, const nlohmann::json& grids);

}  // namespace routecheck::grid
