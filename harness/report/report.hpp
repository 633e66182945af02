// The report of a matrix run: matrix.json (everything), summary.md (CI job summary), junit.xml (one testcase
// per cell) and index.html (the grid people read). Writing is the last stage; it reads, never judges.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/judge.hpp"
#include "judge/recommend.hpp"

namespace routecheck {

struct ProxyRunInfo {
    std::string id, name, provenance;  // provenance: launched | attached | source
    std::string version;
    std::string package;  // the npm/PyPI/Go package it runs ("" for source-only and attached proxies)
    int port = 0;
    double ready_ms = 0;       // mock upstream + proxy start until its health endpoint answered
    double replay_ms = 0;      // wall time of replaying this proxy's cells
    double request_ms_sum = 0; // sum of every request's time: what the harness spent waiting on the proxy
    int requests = 0;
    double grids_ms = 0;       // the behaviour grids against the same proxy
    double stop_ms = 0;        // teardown of the proxy's process group and the mock
    std::string error;     // why it could not be run ("" when it ran)
    std::string log_tail;  // the proxy's last log lines when it failed
};

struct RecommendationResult {
    Recommendation rec;
    std::string confirmed;  // "replay" when the recommended cell worked in this run, "table" when only the
                            // route table says so, "refuted" when replay contradicts the table
    std::string refuted_by;  // when refuted: the first step that was not OK, "step: reason"
};

struct MatrixReport {
    std::vector<ProxyRunInfo> proxies;
    std::vector<CellResult> cells;
    std::vector<RecommendationResult> recommendations;
    std::string started_at;  // ISO 8601 UTC
    double wall_ms = 0;
    double harness_cpu_ms = 0;  // CPU time of the routecheck process itself (children excluded)
    long harness_max_rss_kb = 0;  // its peak resident memory by the end of the run (before the report is written)
    bool complete = true;    // false when the run stopped early: the report says so at the top
    std::vector<std::string> errors;
    // The behaviour grids (auth, health, streaming) of every proxy, judged: what grids.json holds (see
    // harness/grid/grid.hpp). Null when no grid ran.
    nlohmann::json grids;
};

nlohmann::json matrix_json(const MatrixReport& report);
// The JSON contract of one verdict: {"class", "reason", "fix", "base_url" (the fix Base URL, or null)}.
nlohmann::json verdict_json(const Finding& finding);
// One cell as matrix.json and `doctor --json` carry it: id, base_url, key_via, verdict (verdict_json), works,
// warnings, expectation (pass | fail | no-expectation | skipped | prediction), message, error, steps[] (the
// observation, its verdict, essential, outcome, and the expected row). docs/design.md documents it.
nlohmann::json cell_json(const CellResult& cell);
std::string summary_markdown(const MatrixReport& report);
std::string junit_xml(const MatrixReport& report);
std::string index_html(const MatrixReport& report);
// The grids' sections (report_grids.cpp): side-by-side tables per grid kind; "" when report.grids is empty.
std::string grids_markdown(const MatrixReport& report);
std::string grids_html(const MatrixReport& report);

// Two launched proxies of one package at different versions (claude-code-router 1.0.73 and 3.1.1), compared
// cell by cell (same client, same variant): report_versions.cpp. A cell changed when whether it works, its
// verdict class or any step's status differs.
struct VersionChange {
    std::string client, variant;
    std::string from, to;  // "works 200/200" or "NO_ROUTE 404": the cell's outcome in each version
    bool works_before = false, works_after = false;
};
struct VersionComparison {
    std::string package, from_id, from_version, to_id, to_version;
    int same = 0;  // cells with the same outcome in both
    std::vector<VersionChange> changed;
};
// Every pair of consecutive versions (ordered numerically) of each package run more than once; empty when none.
std::vector<VersionComparison> version_comparisons(const MatrixReport& report);
nlohmann::json versions_json(const std::vector<VersionComparison>& versions);  // matrix.json "versions"
std::string versions_markdown(const std::vector<VersionComparison>& versions);  // summary.md section
std::string versions_html(const std::vector<VersionComparison>& versions);      // index.html section

// The files of a report, in the order write_report writes them (matrix.json last), each as it goes to disk: valid
// UTF-8 (text/utf8.hpp) with every known secret redacted (text/secrets.hpp).
std::vector<std::pair<std::string, std::string>> report_files(const MatrixReport& report);

// A report that could not be written (a full disk, a read-only folder): the message names the file and the
// reason. Not a usage error: `routecheck matrix` exits 1 with it.
struct ReportWriteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Writes matrix.json, summary.md, junit.xml, index.html, cells.tsv (one line per cell: its id, a tab, its
// matrix.json object) and grids.json (when grids ran) into `dir` (created), all or nothing: every file is written
// and synced in a stage folder inside `dir` first, then the previous run's files of this set are removed and the new
// ones renamed into place, matrix.json last. On an error nothing of the new set is left (no stage folder, no partial
// file) and the previous report stays as it was. Every file is made valid UTF-8 and has every known secret
// (text/secrets.hpp) redacted. The caller holds the --out lock: an earlier write's leftovers in `dir` are removed.
// Throws ReportWriteError.
void write_report(const MatrixReport& report, const std::filesystem::path& dir);

// The verdict counts: cells that pass, fail, have no expectation, were skipped, are predictions.
struct Counts {
    int pass = 0, fail = 0, no_expectation = 0, skipped = 0, prediction = 0;
};
Counts count_cells(const std::vector<CellResult>& cells);

}  // namespace routecheck
