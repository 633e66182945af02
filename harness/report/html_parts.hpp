// Pieces of index.html shared by the page and the cell renderer. Internal to harness/report.
#pragma once
#include <sstream>
#include <string>

#include "judge/classify.hpp"
#include "report/report.hpp"

namespace routecheck::html {

// Text for an element body or a quoted attribute: & < > " ' escaped, control characters and invalid UTF-8
// replaced (bodies come from proxies and may hold anything).
std::string esc(const std::string& text);

// At most `max_bytes` of `text` (cut on a UTF-8 boundary), escaped, with a marker saying how much was cut.
std::string esc_truncated(const std::string& text, std::size_t max_bytes, std::size_t total_bytes);

// What each verdict class means and how to fix it: one line each, for the legend and the drill-downs.
struct ClassInfo {
    Diagnosis diagnosis;
    const char* css;    // CSS class of the cell colour
    const char* label;  // short text inside a grid cell, and the legend's word for the class
    const char* group;  // the legend groups classes by what the user must look at
    const char* meaning;
    const char* fix;
    const char* glyph = "";  // a letter or mark per class, shown with the colour (the grid reads in grey)
};
const ClassInfo& class_info(Diagnosis d);
const ClassInfo* class_info_by_name(const std::string& verdict_class);  // "NO_ROUTE" -> its row, or null
const ClassInfo* all_classes(std::size_t& count);

// "ok" for a passing/observed cell, "fail" (not as expected), "noexp", "skip", "pred".
const char* verdict_css(CellVerdict v);

// The face of a class as a grid cell and the legend show it: its glyph and its label.
std::string class_face_html(const ClassInfo& c);

// One grid cell: the <details data-cell data-verdict> element with its summary and its drill-down.
std::string cell_html(const CellResult& cell, bool prediction);

// A Base URL template ({port} kept) as code, with the placeholder shown as a variable.
std::string base_url_html(const std::string& templ);

// The page header (html_header.cpp): run facts, versions and provenance, changes since the last run, filters.
void header_html(std::ostringstream& h, const MatrixReport& r);

// The page's inline stylesheet and script.
const char* stylesheet();
const char* script();

}  // namespace routecheck::html
