// index.html: the grid people read. One self-contained file (inline CSS, a few lines of optional script):
// a header with counts, per proxy a grid of clients x Base URL variants coloured by verdict class, a drill-down
// per cell with its evidence, the recommended Base URL per client, and a legend that says each class's fix.
#include <algorithm>
#include <map>
#include <sstream>

#include "report/html_parts.hpp"
#include "report/report.hpp"

namespace routecheck {

namespace {

using html::esc;

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

void header_html(std::ostringstream& h, const MatrixReport& r) {
    Counts c = count_cells(r.cells);
    h << "<header><h1>routecheck compatibility matrix</h1>";
    h << "<p class=muted>started " << esc(r.started_at.empty() ? std::string("(unknown)") : r.started_at)
      << " · wall time " << wall_text(r.wall_ms) << " · " << r.proxies.size() << " prox"
      << (r.proxies.size() == 1 ? "y" : "ies") << " · " << r.cells.size() << " cells</p>";
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
      << "<span class=chip><b>" << c.fail << "</b> not as expected</span>"
      << "<span class=chip><b>" << c.no_expectation << "</b> without expectation</span>"
      << "<span class=chip><b>" << c.skipped << "</b> skipped</span>"
      << "<span class=chip><b>" << c.prediction << "</b> predicted from source</span>";
    int works = static_cast<int>(std::count_if(r.cells.begin(), r.cells.end(), [](auto& x) { return x.works; }));
    h << "<span class=chip><b>" << works << "</b> cells where the client works</span></div>";
    h << "<p class=howto>Rows are client profiles (recorded from the real clients), columns are Base URLs as a user "
         "would type them. A cell's colour says whether that client works at that Base URL and, when it does not, "
         "why (its verdict class). A red frame marks a cell that differs from its expected table. Open a cell for "
         "each request it sent, what came back, what reached the upstream, and the fix. The "
         "<a href=\"#legend\">legend</a> gives each class's fix.</p></header>";
}

// What a column's Base URL adds after the proxy's host:port ("/v1/"), or the port when it is another one: the
// full URL is in the header's title. Keeps the columns narrow.
std::string header_path(const std::string& base, int port) {
    auto scheme = base.find("://");
    auto slash = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    std::string origin = base.substr(0, slash), path = slash == std::string::npos ? "" : base.substr(slash);
    std::string own = ":" + std::to_string(port);
    bool other_port = port && origin.size() >= own.size() && origin.compare(origin.size() - own.size(), own.size(), own);
    if (other_port) return origin.substr(origin.rfind(':')) + path + " (other port)";
    return path.empty() ? "(host:port)" : path;
}

std::string recommendation_html(const RecommendationResult* rr) {
    if (!rr) return "<div class=rec><span class=muted>no recommendation computed</span></div>";
    const Recommendation& r = rr->rec;
    std::ostringstream h;
    h << "<div class=rec>";
    if (r.found) {
        h << "use " << html::base_url_html(r.base_url) << " ";
        if (rr->confirmed == "replay") h << "<span class=ok-tag>✔ confirmed by replay</span>";
        else if (rr->confirmed == "refuted") {
            h << "<span class=warn-tag>✘ the route table says so, but replay refuted it</span>";
            if (!rr->refuted_by.empty()) h << "<p class=refuted-by>replay: " << esc(rr->refuted_by) << "</p>";
        } else h << "<span class=table-tag>(from the route table, not replayed)</span>";
        if (!r.caveat.empty()) h << "<p class=caveat>⚠ " << esc(r.caveat) << "</p>";
    } else {
        h << "<details><summary>no Base URL works</summary><p>" << esc(r.note) << "</p>";
        if (!r.alternatives.empty()) {
            h << "<p>Other modes of this client that do work:</p><ul>";
            for (const auto& a : r.alternatives) h << "<li><code>" << esc(a) << "</code></li>";
            h << "</ul>";
        }
        h << "</details>";
    }
    h << "</div>";
    return h.str();
}

void proxy_html(std::ostringstream& h, const MatrixReport& r, const ProxyRunInfo& p) {
    bool source = p.provenance == "source";
    h << "<section class=proxy id=\"proxy-" << esc(p.id) << "\"><h2>" << esc(p.name.empty() ? p.id : p.name)
      << " <small>" << esc(p.provenance) << (p.version.empty() ? "" : " · " + esc(p.version));
    if (p.port) h << " · port " << p.port;
    if (p.ready_ms > 0) h << " · ready in " << wall_text(p.ready_ms);
    h << "</small></h2>";
    if (source)
        h << "<p class=predbanner><b>Prediction from source, not observed.</b> Nobody ran this proxy here: each "
             "status comes from the contract read from its source code (hatched cells, ≈).</p>";
    if (!p.error.empty()) {
        h << "<div class=errors><b>Could not run:</b> " << esc(p.error);
        if (!p.log_tail.empty())
            h << "<details><summary>proxy log tail</summary><pre class=body>" << esc(p.log_tail) << "</pre></details>";
        h << "</div>";
    }
    std::vector<std::string> clients, variants;
    std::map<std::pair<std::string, std::string>, const CellResult*> grid;
    std::map<std::string, std::string> variant_base;
    for (const auto& cell : r.cells) {
        if (cell.cell.proxy != p.id) continue;
        const auto& cl = cell.cell.client;
        const auto& v = cell.cell.variant;
        if (std::find(clients.begin(), clients.end(), cl) == clients.end()) clients.push_back(cl);
        if (std::find(variants.begin(), variants.end(), v) == variants.end()) variants.push_back(v);
        grid[{cl, v}] = &cell;
        variant_base.emplace(v, cell.cell.base_url);
    }
    if (clients.empty()) {
        h << "<p class=muted>No cells for this proxy.</p></section>";
        return;
    }
    h << "<table class=grid><thead><tr><th>client <small>· recommended Base URL</small></th>";
    for (const auto& v : variants)
        h << "<th title=\"" << esc(variant_base[v]) << "\">" << esc(v) << "<code>" << esc(header_path(variant_base[v], p.port))
          << "</code></th>";
    h << "</tr></thead><tbody>";
    for (const auto& cl : clients) {
        const RecommendationResult* rr = nullptr;
        for (const auto& x : r.recommendations)
            if (x.rec.proxy == p.id && x.rec.client == cl) rr = &x;
        h << "<tr><th><span class=cname>" << esc(cl) << "</span>" << recommendation_html(rr) << "</th>";
        for (std::size_t i = 0; i < variants.size(); ++i) {
            auto it = grid.find({cl, variants[i]});
            h << "<td class=cellbox>";
            if (it != grid.end()) {
                const CellResult& c = *it->second;
                bool pred = source || c.verdict == CellVerdict::Prediction;
                // Panels of cells in the right half open towards the left so they stay on screen.
                h << html::cell_html(c, pred, i >= variants.size() / 2);
            }
            h << "</td>";
        }
        h << "</tr>";
    }
    h << "</tbody></table></section>";
}

void legend_html(std::ostringstream& h) {
    h << "<section id=legend><h2>Legend: verdict classes and their fixes</h2><table class=legend>"
         "<tr><th></th><th>class</th><th>look at</th><th>what it means</th><th>fix</th></tr>";
    std::size_t n = 0;
    const html::ClassInfo* classes = html::all_classes(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = classes[i];
        h << "<tr><td><span class=\"sw " << c.css << "\"></span></td><td><span class=\"badge " << c.css << "\">"
          << to_string(c.diagnosis) << "</span></td><td>" << esc(c.group) << "</td><td>" << esc(c.meaning)
          << "</td><td>" << esc(c.fix) << "</td></tr>";
    }
    h << "<tr><td><span class=\"sw c-skip v-fail\"></span></td><td><b>≠</b> red frame</td><td>expectation</td>"
         "<td>not as expected: the request line, status or upstream differs from the cell's row in "
         "fixtures/expected/</td><td>if the proxy changed on purpose, run <code>routecheck matrix "
         "--update-expectations</code> and review the diff; otherwise it is a regression</td></tr>"
         "<tr><td><span class=\"sw c-skip v-noexp\"></span></td><td><b>?</b> dashed frame</td><td>expectation</td>"
         "<td>no expected row for this cell yet</td><td>run <code>routecheck matrix --update-expectations</code> "
         "and review the new rows</td></tr>"
         "<tr><td><span class=\"sw c-skip pred\"></span></td><td><b>≈</b> hatched</td><td>provenance</td>"
         "<td>prediction from source, not observed: the proxy was not run, its contract was read from source</td>"
         "<td>run it in attach mode (<code>routecheck matrix --attach ID=URL</code>) to observe it</td></tr>";
    h << "</table></section>";
}

void failing_html(std::ostringstream& h, const MatrixReport& r) {
    // Cells that differ from their rows are listed one by one; cells with no rows yet are counted per proxy, since
    // one command adds them all.
    std::vector<const CellResult*> failing;
    std::vector<std::pair<std::string, int>> unexpected;
    for (const auto& c : r.cells) {
        if (c.verdict == CellVerdict::Fail) failing.push_back(&c);
        if (c.verdict != CellVerdict::NoExpectation) continue;
        if (unexpected.empty() || unexpected.back().first != c.cell.proxy) unexpected.emplace_back(c.cell.proxy, 0);
        ++unexpected.back().second;
    }
    if (failing.empty() && unexpected.empty()) return;
    h << "<section id=failing><h2>Cells not as expected (" << failing.size() << ")</h2><ul class=failing>";
    std::size_t shown = 0;
    for (const auto* c : failing) {
        if (++shown > 200) {
            h << "<li class=muted>… and " << failing.size() - 200 << " more (see summary.md or matrix.json)</li>";
            break;
        }
        h << "<li><a href=\"#cell-" << esc(c->cell.id()) << "\"><code>" << esc(c->cell.id()) << "</code></a> <b>≠</b> "
          << esc(c->message) << "</li>";
    }
    for (const auto& [proxy, n] : unexpected)
        h << "<li><b>?</b> " << n << " cells of <code>" << esc(proxy) << "</code> have no expected rows yet: run "
          << "<code>routecheck matrix --proxy " << esc(proxy) << " --update-expectations</code> and review the diff</li>";
    h << "</ul></section>";
}

}  // namespace

std::string index_html(const MatrixReport& report) {
    std::ostringstream h;
    h << "<!doctype html><html lang=en><head><meta charset=utf-8>"
         "<meta name=viewport content=\"width=device-width,initial-scale=1\">"
         "<title>routecheck: "
      << (report.complete ? "" : "INCOMPLETE · ") << report.cells.size() << " cells</title><style>"
      << html::stylesheet() << "</style></head><body>";
    header_html(h, report);
    if (report.proxies.size() > 1) {
        h << "<nav class=muted>Proxies:";
        for (const auto& p : report.proxies)
            h << " <a href=\"#proxy-" << esc(p.id) << "\">" << esc(p.name.empty() ? p.id : p.name) << "</a>";
        h << "</nav>";
    }
    for (const auto& p : report.proxies) proxy_html(h, report, p);
    // Cells of a proxy missing from report.proxies still get a grid, so none is silently dropped.
    std::vector<std::string> drawn;
    for (const auto& p : report.proxies) drawn.push_back(p.id);
    for (const auto& c : report.cells) {
        if (std::find(drawn.begin(), drawn.end(), c.cell.proxy) != drawn.end()) continue;
        drawn.push_back(c.cell.proxy);
        ProxyRunInfo unknown;
        unknown.id = unknown.name = c.cell.proxy;
        unknown.provenance = "unknown";
        proxy_html(h, report, unknown);
    }
    h << versions_html(version_comparisons(report));
    h << grids_html(report);
    failing_html(h, report);
    legend_html(h);
    h << "<script>" << html::script() << "</script></body></html>\n";
    return h.str();
}

}  // namespace routecheck
