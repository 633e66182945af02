// The top of index.html: what ran (routecheck's version, every proxy's and client's version and how each is known),
// the counts, what changed since the last run, and the filter bar whose state lives in the page's URL.
#include <algorithm>
#include <sstream>

#include "report/html_parts.hpp"

namespace routecheck::html {

namespace {

std::string wall_text(double ms) {
    std::ostringstream o;
    if (ms < 1000) o << static_cast<long>(ms) << " ms";
    else {
        o.setf(std::ios::fixed);
        o.precision(1);
        o << ms / 1000.0 << " s";
    }
    return o.str();
}

std::string known_html(const Provenance& p) {
    std::string out = "<b>" + esc(p.how.empty() ? std::string("unknown") : p.how) + "</b>";
    if (!p.when.empty()) out += " " + esc(p.when);
    if (!p.detail.empty()) out += " <span class=muted>(" + esc(p.detail) + ")</span>";
    return out;
}

std::string package_html(const std::string& package, const std::string& version) {
    if (package.empty() && version.empty()) return "<span class=muted>—</span>";
    return "<code>" + esc(package) + "</code>" + (version.empty() ? "" : " <b>" + esc(version) + "</b>");
}

void versions_html(std::ostringstream& h, const MatrixReport& r) {
    h << "<section id=versions><h2>What ran</h2><p>routecheck <b>"
      << esc(r.routecheck_version.empty() ? std::string("(version unknown)") : r.routecheck_version) << "</b>";
    if (!r.logs.empty()) h << " · this run's logs: <a href=\"" << esc(r.logs) << "/\">" << esc(r.logs) << "/</a>";
    h << "</p><div class=scroll><table class=versions><thead><tr><th>proxy</th><th>package and version</th>"
         "<th>how it is known, when</th><th>clients working</th></tr></thead><tbody>";
    for (const auto& p : r.proxies) {
        const ProxyTally t = proxy_tally(r, p.id);
        h << "<tr><td><a href=\"#proxy-" << esc(p.id) << "\">" << esc(p.name.empty() ? p.id : p.name) << "</a>"
          << (p.name == p.id || p.name.empty() ? "" : " <code>" + esc(p.id) + "</code>") << "</td><td>"
          << package_html(p.package, p.version) << "</td><td>" << known_html(p.known);
        if (!p.log.empty()) h << " · <a href=\"" << esc(p.log) << "\">log</a>";
        h << "</td><td>" << t.clients_working << " of " << t.clients << "</td></tr>";
    }
    h << "</tbody></table></div>";
    if (!r.clients.empty()) {
        h << "<details class=clients-known><summary>" << r.clients.size()
          << " client profiles: version and how each is known</summary><div class=scroll><table class=versions>"
             "<thead><tr><th>client (mode)</th><th>id · protocol</th><th>package and version</th>"
             "<th>how it is known, when</th></tr></thead><tbody>";
        for (const auto& c : r.clients)
            h << "<tr><td>" << esc(c.name) << "</td><td><code>" << esc(c.id) << "</code> · " << esc(c.protocol)
              << "</td><td>" << package_html(c.package, c.version) << "</td><td>" << known_html(c.known)
              << "</td></tr>";
        h << "</tbody></table></div></details>";
    }
    h << "</section>";
}

void changes_summary_html(std::ostringstream& h, const MatrixReport& r) {
    h << "<p class=since>";
    if (r.since_previous) {
        const auto& c = *r.since_previous;
        h << "<b>Changed since the last run</b> (" << esc(c.before_label) << "): " << c.changed.size() << " cell"
          << (c.changed.size() == 1 ? "" : "s") << " changed, " << c.unchanged_total() << " unchanged";
        if (c.any_change()) h << " · <a href=\"#changed\">see which</a>";
    } else {
        h << "<b>Changed since the last run:</b> "
          << esc(r.previous_note.empty() ? "no earlier run to compare with" : r.previous_note);
    }
    h << "</p>";
}

// The filter bar: hidden until the script runs (without a script every grid shows whole). Its state is the
// page's URL fragment (#proxy=a&client=b&class=NO_ROUTE), so a copied link opens the same view.
void filters_html(std::ostringstream& h, const MatrixReport& r) {
    h << "<form id=filters class=filters hidden><b>Show</b> <label>proxy <select name=proxy><option value=\"\">all"
         "</option>";
    for (const auto& p : r.proxies) h << "<option value=\"" << esc(p.id) << "\">" << esc(p.id) << "</option>";
    h << "</select></label> <label>client <select name=client><option value=\"\">all</option>";
    std::vector<std::string> seen;
    for (const auto& c : r.clients) seen.push_back(c.id);
    for (const auto& c : r.cells)
        if (std::find(seen.begin(), seen.end(), c.cell.client) == seen.end()) seen.push_back(c.cell.client);
    for (const auto& id : seen) h << "<option value=\"" << esc(id) << "\">" << esc(id) << "</option>";
    h << "</select></label> <label>class <select name=class><option value=\"\">all</option>"
         "<option value=\"not-as-expected\">≠ / ? not as expected</option>";
    std::size_t n = 0;
    const ClassInfo* classes = all_classes(n);
    for (std::size_t i = 0; i < n; ++i)
        h << "<option value=\"" << to_string(classes[i].diagnosis) << "\">" << esc(classes[i].glyph) << " "
          << esc(classes[i].label) << " (" << to_string(classes[i].diagnosis) << ")</option>";
    h << "</select></label> <button type=reset>show all</button> <output id=filter-count></output>"
         "<span class=muted> · the link in the address bar keeps this view</span></form>";
}

}  // namespace

void header_html(std::ostringstream& h, const MatrixReport& r) {
    Counts c = count_cells(r.cells);
    h << "<header><h1>routecheck compatibility matrix</h1>";
    h << "<p class=muted>routecheck " << esc(r.routecheck_version) << " · started "
      << esc(r.started_at.empty() ? std::string("(unknown)") : r.started_at) << " · wall time " << wall_text(r.wall_ms)
      << " · " << r.proxies.size() << " prox" << (r.proxies.size() == 1 ? "y" : "ies") << " · " << r.cells.size()
      << " cells</p>";
    if (const std::string lowered = lowered_priority_note(r); !lowered.empty())
        h << "<p class=muted>" << esc(lowered) << "</p>";
    if (!r.complete) {
        h << "<div class=banner role=alert>Incomplete run: it stopped before every cell was replayed. The grid below "
             "is partial; missing cells were not run, not passed.";
        if (!r.errors.empty()) {
            h << "<ul>";
            for (const auto& e : r.errors) h << "<li>" << esc(e) << "</li>";
            h << "</ul>";
        }
        h << "</div>";
    } else if (!r.errors.empty()) {
        h << "<div class=errors><b>Errors:</b><ul>";
        for (const auto& e : r.errors) h << "<li>" << esc(e) << "</li>";
        h << "</ul></div>";
    }
    h << "<div class=counts>"
      << "<span class=chip><b>" << c.pass << "</b> as expected</span>"
      << "<span class=chip><b>" << c.fail << "</b> ≠ not as expected</span>"
      << "<span class=chip><b>" << c.no_expectation << "</b> ? without expectation</span>"
      << "<span class=chip><b>" << c.skipped << "</b> skipped</span>"
      << "<span class=chip><b>" << c.prediction << "</b> ≈ predicted from source</span>";
    int works = static_cast<int>(std::count_if(r.cells.begin(), r.cells.end(), [](auto& x) { return x.works; }));
    h << "<span class=chip><b>" << works << "</b> cells where the client works</span></div>";
    changes_summary_html(h, r);
    versions_html(h, r);
    h << "<p class=howto>Each grid below is one proxy. Rows are client profiles: each row names the client, its mode "
         "and how its requests are known (recorded from the real client package, or derived from the client's "
         "source where it cannot run here). Columns are Base URLs as a user would type them. A cell's colour and "
         "letter say whether that client works at that Base URL and, when it does not, why (its verdict class); "
         "the <a href=\"#legend\">legend</a> lists every class with its fix. ≠ marks a cell that differs from its "
         "expected table, ? a cell with no expected row yet, ≈ a prediction. Open a cell for each request it sent, "
         "what came back, what reached the upstream, and the fix.</p>";
    filters_html(h, r);
    h << "</header>";
}

}  // namespace routecheck::html
