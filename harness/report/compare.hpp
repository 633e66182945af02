// Comparing two sets of cells: two runs (`routecheck diff OLD.json NEW.json`, and the report's "changed since the
// last run"), or two versions of one proxy or client in one run. One function compares, the same renderers show
// the result as text (terminal), Markdown (summary.md, diff.md) and HTML (index.html, diff.html).
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "judge/judge.hpp"

namespace routecheck {

// One cell as a comparison sees it: where it is, and what a user sees in it.
struct CellOutcome {
    std::string proxy, client, variant;  // the comparison key; a version comparison relabels `proxy`
    std::string verdict_class;           // "OK", "NO_ROUTE", ...
    bool works = false;
    std::vector<std::string> statuses;  // each step's status in order: "200", "404", "skip", "refused"
    std::string error;                  // the cell could not be run ("" when it ran)
    std::string fix;                    // the verdict's fix ("" for OK)

    std::string id() const { return proxy + "." + client + "." + variant; }
    // "works 200 200", "NO_ROUTE 404", "could not run": what the comparison shows for each side.
    std::string text() const;
};

// A step's status as the report shows it: the HTTP status, "skip" (not sent), or the transport error
// ("refused", "timeout", ...).
std::string status_word(const StepObservation& s);

// The outcomes of judged cells (a run in memory), in their order.
std::vector<CellOutcome> outcomes_of(const std::vector<CellResult>& cells);

// The outcomes of the cells of a matrix.json document. A document that is not a matrix report (no "cells" array, a
// cell without its id parts or verdict class) throws FixtureError naming `file` and the JSON pointer.
std::vector<CellOutcome> outcomes_from_matrix_json(const nlohmann::json& doc, const std::string& file);

// Reads a matrix.json (up to 1 GiB; deeper than 128 levels is refused) and returns its outcomes; any problem is a
// FixtureError naming the file (and the pointer).
std::vector<CellOutcome> read_matrix_outcomes(const std::string& file, nlohmann::json* doc_out = nullptr);

struct CellChange {
    CellOutcome before, after;  // the same key on both sides
};

struct CellComparison {
    std::string before_label, after_label;  // what the two sides are: "previous run (2026-11-29T08:00:00Z)", "1.0.73"
    std::vector<CellChange> changed;        // a key on both sides whose class, statuses or error differ; `after` order
    std::vector<CellOutcome> only_before;   // keys missing from `after` (a filtered run, a profile removed)
    std::vector<CellOutcome> only_after;    // keys new in `after`
    std::map<std::string, int> unchanged;   // proxy -> cells the same on both sides
    int unchanged_total() const;
    bool any_change() const { return !changed.empty() || !only_before.empty() || !only_after.empty(); }
};

// Compares by (proxy, client, variant). A cell changed when its verdict class, any step's status or whether it
// could run differ; a fix text that changed alone (e.g. a port in it) is not a change.
CellComparison compare_cells(const std::vector<CellOutcome>& before, const std::vector<CellOutcome>& after);

// Renderings, grouped by proxy, then client, each change "variant: before -> after", with the unchanged counts.
std::string comparison_text(const CellComparison& c);                                  // terminal
std::string comparison_markdown(const CellComparison& c, const std::string& heading);  // "## heading" + lists
std::string comparison_html(const CellComparison& c, const std::string& heading, const std::string& id);  // <section>
nlohmann::json comparison_json(const CellComparison& c);

// diff.html as a page of its own (`routecheck diff --out DIR`).
std::string comparison_page(const CellComparison& c);

}  // namespace routecheck
