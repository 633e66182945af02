// The behaviour grids in the report: auth, health and streaming, every proxy side by side, rows where proxies
// differ marked. Reads report.grids (grids.json); judges nothing.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "report/html_parts.hpp"
#include "report/report.hpp"

namespace routecheck {

namespace {

using nlohmann::json;

struct GridTable {
    std::vector<std::string> rows;                                    // row ids in first-seen order
    std::vector<const json*> proxies;                                 // grids.json proxy entries with this kind
    std::map<std::pair<std::string, std::string>, const json*> cell;  // (proxy, row) -> row json
};

GridTable table_of(const json& grids, const std::string& kind) {
    GridTable t;
    if (!grids.is_object() || !grids.contains("proxies")) return t;
    for (const auto& p : grids["proxies"]) {
        bool any = false;
        for (const auto& r : p["rows"]) {
            if (r.value("kind", "") != kind) continue;
            any = true;
            std::string id = r.value("row", "");
            if (std::find(t.rows.begin(), t.rows.end(), id) == t.rows.end()) t.rows.push_back(id);
            t.cell[{p.value("id", ""), id}] = &r;
        }
        if (any || !p.value("error", "").empty()) t.proxies.push_back(&p);
    }
    return t;
}

// What a row shows in a cell, and what "differs" compares: the status for auth, the verdict otherwise.
std::string short_text(const json& r) {
    const std::string kind = r.value("kind", "");
    std::string status = r.value("status", 0) ? std::to_string(r.value("status", 0)) : "—";
    if (kind == "auth") return status;
    std::string s = r.value("verdict", "") + " " + status;
    if (kind == "health" && !r["upstream"].empty()) s += " ↑";
    // The compared extras of a stream row: an error body in another protocol's shape, Retry-After kept or lost.
    if (r.value("error_shape", "") == "foreign" || r.value("error_shape", "") == "none")
        s += " (" + r.value("error_shape", "") + " shape)";
    if (r.value("case", "") == "429" && r.value("status", 0) == 429)
        s += r.value("retry_after", false) ? " +Retry-After" : " −Retry-After";
    return s;
}

bool differs(const GridTable& t, const std::string& row) {
    std::set<std::string> seen;
    for (const auto* p : t.proxies)
        if (auto it = t.cell.find({p->value("id", ""), row}); it != t.cell.end()) seen.insert(short_text(*it->second));
    return seen.size() > 1;
}

struct GridTitle {
    std::string kind, title;
};
const GridTitle kTitles[] = {
    {"auth",
     "Auth grid: key state × carrier × target (status). Unknown path → 401 means the key is checked before "
     "routing; → 404 means routing first."},
    {"health",
     "Health grid: the health endpoint with the upstream up, down (reset), slow (longer than the client "
     "waits), refusing the proxy's credentials; ↑ = the health poll reached the upstream."},
    {"stream",
     "Streaming grid: what a streaming client receives when the upstream streams, dribbles, cuts, answers "
     "zero tokens, 429 or 500. SILENT_EMPTY is the dangerous one: 200, no content, no error."},
};

// What each streaming/health verdict means to the user, for the legend under the tables.
const std::pair<const char*, const char*> kLegend[] = {
    {"STREAM_OK",
     "the stream arrived whole: OpenAI data lines ending [DONE], Anthropic message_start … message_stop, "
     "Gemini chunks ending with a finishReason"},
    {"BUFFERED", "whole, but the first event came only when the upstream had finished (no streaming)"},
    {"TRUNCATED", "200, then the stream stopped without its terminal event"},
    {"SILENT_EMPTY", "200, a complete stream with zero content and no error: the client shows an empty answer"},
    {"SYNTHETIC_TEXT", "the upstream sent zero tokens and the proxy answered 200 with text of its own"},
    {"ERROR_PROPAGATED",
     "the upstream's error status reached the client with an error message (shape: native or foreign)"},
    {"ERROR_IN_STREAM", "200, then an error event inside the stream"},
    {"ERROR_UNSHAPED", "an error status without an error body the client can read"},
    {"HUNG", "nothing (more) before the client's timeout: the proxy is still waiting or retrying"},
    {"HEALTHY / UNHEALTHY / AUTH_REQUIRED", "the health endpoint answered 2xx / another status / 401 or 403"},
};

std::string header_of(const json& p) {
    std::string h = p.value("id", "");
    std::string prov = p.value("provenance", "");
    if (prov.rfind("predicted", 0) == 0) h += " (predicted)";
    else if (prov == "attached") h += " (attached)";
    return h;
}

std::string css_of(const json& r) {
    const std::string v = r.value("verdict", "");
    if (v == "SILENT_EMPTY" || v == "HUNG" || v == "TRUNCATED" || v == "ERROR_UNSHAPED" || v == "BUFFERED")
        return "g-bad";
    if (v == "STREAM_OK" || v == "HEALTHY" || v == "ANSWERED" || v == "ERROR_PROPAGATED") return "g-good";
    return "g-info";
}

}  // namespace

std::string grids_markdown(const MatrixReport& report) {
    std::ostringstream md;
    if (!report.grids.is_object() || report.grids.value("proxies", json::array()).empty()) return "";
    md << "# Behaviour grids\n\n";
    for (const auto& [kind, title] : kTitles) {
        GridTable t = table_of(report.grids, kind);
        if (t.rows.empty()) continue;
        md << "## " << title << "\n\n| row |";
        for (const auto* p : t.proxies) md << " " << header_of(*p) << " |";
        md << "\n|---|";
        for (std::size_t i = 0; i < t.proxies.size(); ++i) md << "---|";
        md << "\n";
        for (const auto& row : t.rows) {
            md << "| `" << row << "`" << (differs(t, row) ? " ◆" : "") << " |";
            for (const auto* p : t.proxies) {
                auto it = t.cell.find({p->value("id", ""), row});
                if (it == t.cell.end()) {
                    md << " " << (p->value("error", "").empty() ? "—" : "not run") << " |";
                    continue;
                }
                md << " " << short_text(*it->second) << (it->second->value("pass", true) ? "" : " **≠ expected**")
                   << " |";
            }
            md << "\n";
        }
        md << "\n◆ = the proxies differ on this row.\n\n";
    }
    std::vector<std::string> failing;
    for (const auto& p : report.grids["proxies"]) {
        if (!p.value("error", "").empty()) failing.push_back("`" + p.value("id", "") + "`: " + p.value("error", ""));
        int unexpected = 0;  // rows without an expected row: one line per proxy, not one per row
        for (const auto& r : p["rows"]) {
            if (r.value("pass", true)) continue;
            if (r["expected"].is_null()) ++unexpected;
            else failing.push_back("`" + r.value("name", "") + "`: " + r.value("message", ""));
        }
        if (unexpected)
            failing.push_back("`" + p.value("id", "") + "`: " + std::to_string(unexpected) +
                              " rows have no expected row in fixtures/grids/" + p.value("id", "") +
                              ".json (run `routecheck matrix --update-expectations`, review the diff)");
    }
    if (!failing.empty()) {
        md << "## Grid rows not as expected\n\n";
        for (const auto& f : failing) md << "- " << f << "\n";
        md << "\n";
    }
    return md.str();
}

std::string grids_html(const MatrixReport& report) {
    using html::esc;
    std::ostringstream h;
    if (!report.grids.is_object() || report.grids.value("proxies", json::array()).empty()) return "";
    h << "<section id=\"grids\"><h2>Behaviour grids</h2>\n<style>"
         ".grid-table td,.grid-table th{padding:2px 6px;border:1px solid #ccc;font-size:13px;text-align:left}"
         ".grid-table tr.differs td:first-child{font-weight:bold}.g-good{background:#e3f6e3}"
         ".g-bad{background:#fbd9d9}.g-info{background:#eef1f7}.g-fail{outline:2px solid #c00}"
         ".grid-table details summary{cursor:pointer}.grid-table pre{white-space:pre-wrap;max-width:48em}"
         "</style>\n";
    for (const auto& [kind, title] : kTitles) {
        GridTable t = table_of(report.grids, kind);
        if (t.rows.empty()) continue;
        h << "<h3 id=\"grid-" << kind << "\">" << esc(title) << "</h3>\n<p>◆ = the proxies differ on this row.</p>"
          << "<div class=scroll><table class=\"grid-table\"><tr><th>row</th>";
        for (const auto* p : t.proxies) h << "<th>" << esc(header_of(*p)) << "</th>";
        h << "</tr>\n";
        for (const auto& row : t.rows) {
            bool d = differs(t, row);
            h << "<tr" << (d ? " class=\"differs\"" : "") << "><td><code>" << esc(row) << "</code>" << (d ? " ◆" : "")
              << "</td>";
            for (const auto* p : t.proxies) {
                auto it = t.cell.find({p->value("id", ""), row});
                if (it == t.cell.end()) {
                    h << "<td>" << (p->value("error", "").empty() ? "—" : "not run") << "</td>";
                    continue;
                }
                const json& r = *it->second;
                bool pass = r.value("pass", true);
                h << "<td class=\"" << css_of(r) << (pass ? "" : " g-fail") << "\" data-grid-row=\""
                  << esc(r.value("name", "")) << "\"><details><summary>" << esc(short_text(r))
                  << (pass ? "" : " ≠ expected") << "</summary><div>" << esc(r.value("request", ""));
                if (!r.value("fault", "").empty())
                    h << "<br>upstream fault: <code>" << esc(r.value("fault", "")) << "</code>";
                h << "<br>" << esc(r.value("verdict", "")) << ": " << esc(r.value("detail", ""));
                if (!pass) h << "<br><b>" << esc(r.value("message", "")) << "</b>";
                for (const auto& u : r["upstream"])
                    h << "<br>upstream: <code>" << esc(u.get<std::string>()) << "</code>";
                if (kind == "stream")
                    h << "<br>first event " << static_cast<long>(r.value("first_event_ms", 0.0)) << " ms of "
                      << static_cast<long>(r.value("total_ms", 0.0)) << " ms";
                h << "<pre>" << esc(r.value("body_excerpt", "")) << "</pre></div></details></td>";
            }
            h << "</tr>\n";
        }
        h << "</table></div>\n";
    }
    h << "<dl class=\"grid-legend\">";
    for (const auto& [v, meaning] : kLegend)
        h << "<dt><code>" << esc(v) << "</code></dt><dd>" << esc(meaning) << "</dd>";
    h << "</dl>\n";
    for (const auto& p : report.grids["proxies"])
        if (!p.value("error", "").empty())
            h << "<p><b>" << esc(p.value("id", "")) << "</b>: grids not run: " << esc(p.value("error", "")) << "</p>\n";
    h << "</section>\n";
    return h.str();
}

}  // namespace routecheck
