// A whole matrix run: plan the cells, start a mock upstream and each launched proxy once, replay, attribute
// what reached the upstream, judge against the expected tables, recommend Base URLs.
#pragma once
#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/fixtures.hpp"
#include "report/report.hpp"

namespace routecheck {

struct MatrixOptions {
    std::vector<std::string> proxies, clients, variants;      // empty: all
    std::vector<std::pair<std::string, std::string>> attach;  // proxy id -> URL of a proxy already running
    std::string api_key;  // attach mode: the key of the running proxy ("" sends no key)
    std::string key_via;  // attach mode: the client setting or header to send it with ("" each client's first)
    bool allow_quota = false;
    bool keep_artifacts = false;
    int jobs = 2;
    // Launched proxies replaying (cells, then grids) at once: 0 is all of them. All start at once either way. A proxy with more expected work goes first (run/busy_slots.hpp): expected_busy_ms holds each
    // proxy's ready_ms + replay_ms + grids_ms from an earlier run (the previous report), empty when unknown.
    int proxies_at_once = 0;
    std::map<std::string, double> expected_busy_ms;
    // Lower the priority of the launched proxies off the run's critical path (run/busy_slots.hpp
    // priority_by_expected_work) by expected_cpu_ms: each proxy's cpu_ms in an earlier run (the previous report;
    // empty: nothing is lowered). CPU time, not wall time: a lowered proxy takes longer, but its CPU time stays
    // what it was, so the choice does not flip from run to run. --equal-priority: false.
    bool favour_longest = true;
    std::map<std::string, double> expected_cpu_ms;
    bool grids = true;              // also run the behaviour grids (auth, health, streaming) against each proxy
    std::filesystem::path preload;  // the Node preload
    std::filesystem::path run_dir;  // temp HOMEs and logs go below it
    // The whole run's deadline (0: default_deadline()). When it passes, nothing new starts, requests in flight are
    // cut, the cells and grid rows not run say so, and the report is marked incomplete.
    std::chrono::seconds deadline{0};
    long request_timeout_ms = 15000;  // a step's whole transfer (the client's patience)
    int stall_after = 3;              // timeouts in a row after which a proxy counts as stopped answering (0: never)
    bool progress = false;            // print cells done / total per proxy to the log while the run goes
    bool progress_in_place = false;   // ...rewriting one line (the log is a terminal)
};

// Unknown ids, or a selection with no cell, throw PlanError (a usage error: exit 2).
struct PlanError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct PlannedProxy {
    const ProxyProfile* proxy;
    std::string attach_url;  // "" unless attached
};

struct Plan {
    std::vector<PlannedProxy> proxies;
    std::vector<const ClientProfile*> clients;
    std::vector<const Variant*> variants;
    std::size_t cell_count() const { return proxies.size() * clients.size() * variants.size(); }
};

Plan plan_matrix(const Fixtures& fixtures, const MatrixOptions& options);

// Cell ids, "proxy.client.variant", for the cells of launched proxies (what ctest runs).
std::vector<std::string> cell_ids(const Plan& plan);

// The default whole-run deadline: 120 s, plus 0.5 s per cell of one proxy (the proxies run side by side), plus 30 s
// for the grids. The full matrix (52 clients x 10 variants per proxy) gets 410 s, under ctest's 600 s for
// matrix.run; it takes 20-45 s with its 9 launched proxies (README, Performance).
std::chrono::seconds default_deadline(const Plan& plan, bool grids);

MatrixReport run_matrix(const Fixtures& fixtures, const Plan& plan, const MatrixOptions& options, std::ostream& log);

}  // namespace routecheck
