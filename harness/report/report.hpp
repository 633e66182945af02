// The report of a matrix run: matrix.json (everything), summary.md (CI job summary), junit.xml (one testcase
// per cell) and index.html (the grid people read). Writing is the last stage; it reads, never judges.
#pragma once
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/judge.hpp"
#include "judge/recommend.hpp"
#include "report/compare.hpp"

namespace routecheck {

// How a client or proxy of a report is known and when: the report header and matrix.json show it beside its
// version (run/provenance.hpp fills it from the fixtures).
struct Provenance {
    // recorded | derived from source (clients); launched | predicted | observed | probed (proxies)
    std::string how;
    std::string when;    // a date (YYYY-MM-DD) or a time (ISO 8601 UTC); "" when the fixture names none
    std::string detail;  // where from, in a few words: "scripts/record-client claude-code", "Kilo-Org/kilocode@0fc86ce"
};

struct ClientRunInfo {
    std::string id, name;          // name says the mode: "Codex CLI (custom provider, wire_api responses)"
    std::string protocol;          // the API family the mode speaks: anthropic | openai | openai-responses | gemini
    std::string package, version;  // the client package ("@openai/codex", "0.171.0"); "" when not a package
    std::string registry;          // where the package comes from: npm | pypi ("" when not a package)
    Provenance known;
};

struct ProxyRunInfo {
    std::string id, name, provenance;  // provenance: launched | attached | source
    std::string version;
    std::string package;  // the npm/PyPI/Go package it runs, or the repository its source was read from ("" unknown)
    Provenance known;
    int port = 0;
    double ready_ms = 0;        // mock upstream + proxy start until its health endpoint answered
    double slot_wait_ms = 0;    // ready until a replay slot was free (run/busy_slots.hpp)
    double replay_ms = 0;       // wall time of replaying this proxy's cells
    double request_ms_sum = 0;  // sum of every request's time: what the harness spent waiting on the proxy
    int requests = 0;
    double grids_ms = 0;   // the behaviour grids against the same proxy
    double stop_ms = 0;    // teardown of the proxy's process group and the mock
    int nice = 0;          // the priority it ran at: 0, or lowered off the critical path (run/busy_slots.hpp)
    double cpu_ms = 0;     // CPU time of its processes (launch/process.hpp group_cpu_ms), read before the stop
    std::string error;     // why it could not be run ("" when it ran)
    std::string log_tail;  // the proxy's last log lines when it failed
    std::string log;       // its log, relative to the report folder ("run/<id>.log"; "" when none was kept)
};

struct RecommendationResult {
    Recommendation rec;
    std::string confirmed;   // "replay" when the recommended cell worked in this run, "table" when only the
                             // route table says so, "refuted" when replay contradicts the table
    std::string refuted_by;  // when refuted: the first step that was not OK, "step: reason"
};

struct MatrixReport {
    std::string routecheck_version;  // model/version.hpp: "0.1.0 (git 758b7f6)"
    std::vector<ProxyRunInfo> proxies;
    std::vector<ClientRunInfo> clients;  // the client profiles of the run, in plan order
    std::vector<CellResult> cells;
    std::vector<RecommendationResult> recommendations;
    std::string started_at;  // ISO 8601 UTC
    double wall_ms = 0;
    double harness_cpu_ms = 0;    // CPU time of the routecheck process itself (children excluded)
    long harness_max_rss_kb = 0;  // its peak resident memory by the end of the run (before the report is written)
    bool complete = true;         // false when the run stopped early: the report says so at the top
    std::vector<std::string> errors;
    // The behaviour grids (auth, health, streaming) of every proxy, judged: what grids.json holds (see
    // harness/grid/grid.hpp). Null when no grid ran.
    nlohmann::json grids;
    std::string logs;  // the folder of this run's logs, relative to the report folder ("run"; "" when none)
    // The cells compared with the previous run's matrix.json (report/compare.hpp); unset when there was none, and
    // then previous_note says why ("no earlier run in this folder", "could not be read: ...").
    std::optional<CellComparison> since_previous;
    std::string previous_note;
};

// matrix.json: routecheck_version, started_at, counts, proxies (version, package, known: {how, when, detail}),
// clients (name, protocol, package, version, known), recommendations, cells, changed_since_previous.
nlohmann::json matrix_json(const MatrixReport& report);
nlohmann::json provenance_json(const Provenance& p);  // {"how", "when", "detail"}
// The JSON contract of one verdict: {"class", "reason", "fix", "base_url" (the fix Base URL, or null)}.
nlohmann::json verdict_json(const Finding& finding);
// One cell as matrix.json and `doctor --json` carry it: id, base_url, key_via, verdict (verdict_json), works,
// warnings, expectation (pass | fail | no-expectation | skipped | prediction), message, error, steps[] (the
// observation, its verdict, essential, outcome, and the expected row). docs/design.md documents it.
nlohmann::json cell_json(const CellResult& cell);
std::string summary_markdown(const MatrixReport& report);

// Which launched proxies ran at a lowered priority (ProxyRunInfo::nice > 0), as one sentence for summary.md and
// index.html ("" when none was): the run's wall time and each proxy's start-to-ready time depend on it.
std::string lowered_priority_note(const MatrixReport& report);

// `text` (a fix, a verdict line) with the origin a launched proxy of this report listened on ("127.0.0.1:<port>",
// not followed by another digit) written "127.0.0.1:{port}": that port was the run's own, and a reader's proxy
// listens on its own. For the terminal answer only: the report files carry each cell's verdict as one text, the
// same everywhere (suites/report: EveryCellsVerdictIsTheSameTextEverywhere), next to the run's Base URL it was
// judged at. Other proxies' text comes back as it was.
std::string with_port_placeholder(const MatrixReport& report, const std::string& proxy, std::string text);
// `markdown` cut to at most `room` bytes for a CI step summary: GitHub refuses a step summary over 1 MiB
// ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k"; the full matrix's summary.md is
// about 2.6 MB). Cut at the last line that fits, with a last line saying how much was left out and that summary.md
// in the report has it all; unchanged when it fits. `room` in bytes (0: only the note, if it fits).
std::string fit_step_summary(const std::string& markdown, std::size_t room);
constexpr std::size_t kStepSummaryLimit = 1024 * 1024;
std::string junit_xml(const MatrixReport& report);
std::string index_html(const MatrixReport& report);
// The grids' sections (report_grids.cpp): side-by-side tables per grid kind; "" when report.grids is empty.
std::string grids_markdown(const MatrixReport& report);
std::string grids_html(const MatrixReport& report);

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

// One text file written whole: to FILE.partial, synced, then renamed over FILE (made valid UTF-8, known secrets
// redacted). Throws ReportWriteError naming the file and the reason; no .partial is left behind.
void write_text_file(const std::filesystem::path& file, const std::string& text);

// The verdict counts: cells that pass, fail, have no expectation, were skipped, are predictions.
struct Counts {
    int pass = 0, fail = 0, no_expectation = 0, skipped = 0, prediction = 0;
};
Counts count_cells(const std::vector<CellResult>& cells);

// One proxy's cells counted for the report header, the terminal's line per proxy and its badge: cells, cells where
// the client works, as expected (pass), not as expected (fail, no expectation), predictions, skipped, and client
// profiles with cells / that work at some Base URL.
struct ProxyTally {
    int cells = 0, working = 0, as_expected = 0, unexpected = 0, predicted = 0, skipped = 0;
    int clients = 0, clients_working = 0;
};
ProxyTally proxy_tally(const MatrixReport& report, const std::string& proxy);

// Two versions of one package in one run, compared cell by cell with compare_cells (report/compare.hpp): two client
// profiles of one package and mode at different versions (@google/genai 2.32.0 and 3.3.0, both gemini), or two
// launched proxies of one package. The cells of both sides are relabelled to the package, so the comparison keys
// on (proxy, variant) for clients and (client, variant) for proxies.
struct VersionPair {
    std::string kind;  // "client" | "proxy"
    std::string package, from_id, from_version, to_id, to_version;
    CellComparison cells;  // before_label/after_label: "genai-node 2.32.0", "genai-node-3 3.3.0"
};
// Every pair of consecutive versions (ordered by their numbers) of each package and mode that a run holds twice or
// more; empty when none.
std::vector<VersionPair> version_pairs(const MatrixReport& report);
// The same from the parts of a report: its cells' outcomes, its clients and its proxies.
std::vector<VersionPair> version_pairs(const std::vector<CellOutcome>& cells, const std::vector<ClientRunInfo>& clients,
                                       const std::vector<ProxyRunInfo>& proxies);
// The same from a matrix.json (a merged one of shards, too): FixtureError naming `file` for one that is no report.
std::vector<VersionPair> version_pairs_of_matrix_json(const nlohmann::json& doc, const std::string& file);
// The heading of a pair in index.html and summary.md: "@google/genai 2.32.0 → 3.3.0 (clients genai-node → genai-node-3)".
std::string version_pair_title(const VersionPair& v);
// matrix.json "versions": [{kind, package, from: {id, version}, to: {id, version}, comparison}].
nlohmann::json version_pairs_json(const std::vector<VersionPair>& pairs);
// "1.0.73" < "3.1.1" < "3.10.0": dotted numbers compared part by part; a part that is not a number compares as text.
bool version_less(const std::string& a, const std::string& b);

// badges/<proxy>.svg: "<proxy> | W/P clients" (client profiles that work at some Base URL / profiled), a flat badge
// a proxy's README can show; "predicted" in it for a source proxy.
std::string badge_svg(const MatrixReport& report, const ProxyRunInfo& proxy);

}  // namespace routecheck
