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

// What a column's Base URL adds after the proxy's host:port ("/v1/"), or the port when it is another one (the
// proxy's own host:port is in its heading). Keeps the columns narrow.
std::string header_path(const std::string& base, int port) {
    auto scheme = base.find("://");
    auto slash = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    std::string origin = base.substr(0, slash), path = slash == std::string::npos ? "" : base.substr(slash);
    std::string own = ":" + std::to_string(port);
    bool other_port =
        port && origin.size() >= own.size() && origin.compare(origin.size() - own.size(), own.size(), own);
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

const ClientRunInfo* client_info(const MatrixReport& r, const std::string& id) {
    for (const auto& c : r.clients)
        if (c.id == id) return &c;
    return nullptr;
}

// A grid row's heading: the client's name (which says its mode), its id and protocol, its package and version, and
// how its requests are known: a Codex user sees which of the two Codex rows is theirs.
std::string client_heading_html(const MatrixReport& r, const std::string& id) {
    const ClientRunInfo* c = client_info(r, id);
    if (!c) return "<span class=cname>" + esc(id) + "</span>";
    std::string out = "<span class=cname>" + esc(c->name) + "</span><span class=cid><code>" + esc(c->id) +
                      "</code> · " + esc(c->protocol);
    if (!c->version.empty()) out += " · " + esc(c->version);
    out += " · " + esc(c->known.how) + (c->known.when.empty() ? "" : " " + esc(c->known.when)) + "</span>";
    return out;
}

void proxy_html(std::ostringstream& h, const MatrixReport& r, const ProxyRunInfo& p) {
    bool source = p.provenance == "source";
    const ProxyTally t = proxy_tally(r, p.id);
    h << "<section class=proxy id=\"proxy-" << esc(p.id) << "\" data-proxy=\"" << esc(p.id) << "\"><h2>"
      << esc(p.name.empty() ? p.id : p.name) << " <small>" << esc(p.known.how.empty() ? p.provenance : p.known.how)
      << (p.version.empty() ? "" : " · " + esc(p.version));
    if (p.port) h << " · 127.0.0.1:" << p.port;
    if (p.ready_ms > 0) h << " · ready in " << static_cast<long>(p.ready_ms) << " ms";
    h << " · " << t.clients_working << " of " << t.clients << " clients work at some Base URL";
    if (!p.log.empty()) h << " · <a href=\"" << esc(p.log) << "\">log</a>";
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
    // The grid scrolls inside its own box (both ways, headers sticky), so the page never scrolls sideways.
    h << "<div class=gridwrap><table class=grid><thead><tr><th>client <small>· recommended Base URL</small></th>";
    for (const auto& v : variants)
        h << "<th>" << esc(v) << "<code>" << esc(header_path(variant_base[v], p.port)) << "</code></th>";
    h << "</tr></thead><tbody>";
    for (const auto& cl : clients) {
        const RecommendationResult* rr = nullptr;
        for (const auto& x : r.recommendations)
            if (x.rec.proxy == p.id && x.rec.client == cl) rr = &x;
        h << "<tr data-client=\"" << esc(cl) << "\"><th>" << client_heading_html(r, cl) << recommendation_html(rr)
          << "</th>";
        for (const auto& v : variants) {
            auto it = grid.find({cl, v});
            h << "<td class=cellbox>";
            if (it != grid.end()) {
                const CellResult& c = *it->second;
                h << html::cell_html(c, source || c.verdict == CellVerdict::Prediction);
            }
            h << "</td>";
        }
        h << "</tr>";
    }
    h << "</tbody></table></div></section>";
}

void legend_html(std::ostringstream& h) {
    // Each row shows a class exactly as a grid cell shows it (colour, letter, label), then its name in matrix.json.
    h << "<section id=legend><h2>Legend: verdict classes and their fixes</h2><div class=scroll><table class=legend>"
         "<tr><th>in the grid</th><th>class</th><th>look at</th><th>what it means</th><th>fix</th></tr>";
    std::size_t n = 0;
    const html::ClassInfo* classes = html::all_classes(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = classes[i];
        h << "<tr data-class=\"" << to_string(c.diagnosis) << "\"><td><span class=\"sw " << c.css << "\">"
          << html::class_face_html(c) << "</span></td><td><code>" << to_string(c.diagnosis) << "</code></td><td>"
          << esc(c.group) << "</td><td>" << esc(c.meaning) << "</td><td>" << esc(c.fix) << "</td></tr>";
    }
    h << "<tr><td><span class=\"sw c-skip v-fail\"><span class=\"mark m-fail\">≠</span></span></td><td>≠ red frame</td>"
         "<td>expectation</td><td>not as expected: the request line, status or upstream differs from the cell's row in "
         "fixtures/expected/</td><td>if the proxy changed on purpose, run <code>routecheck matrix "
         "--update-expectations</code> and review the diff; otherwise it is a regression</td></tr>"
         "<tr><td><span class=\"sw c-skip v-noexp\"><span class=\"mark m-noexp\">?</span></span></td><td>? dashed "
         "frame</td><td>expectation</td><td>no expected row for this cell yet</td><td>run <code>routecheck matrix "
         "--update-expectations</code> and review the new rows</td></tr>"
         "<tr><td><span class=\"sw c-skip pred\"><span class=\"mark m-pred\">≈</span></span></td><td>≈ hatched</td>"
         "<td>provenance</td><td>prediction from source, not observed: the proxy was not run, its contract was read "
         "from source</td><td>run it in attach mode (<code>routecheck matrix --attach ID=URL</code>) to observe it"
         "</td></tr>";
    h << "</table></div></section>";
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
          << "<code>routecheck matrix --proxy " << esc(proxy)
          << " --update-expectations</code> and review the diff</li>";
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
    html::header_html(h, report);
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
    if (report.since_previous && report.since_previous->any_change())
        h << comparison_html(*report.since_previous, "Changed since the last run", "changed");
    int n = 0;
    for (const auto& v : version_pairs(report))
        h << comparison_html(v.cells, version_pair_title(v), "versions-" + std::to_string(++n));
    h << grids_html(report);
    failing_html(h, report);
    legend_html(h);
    h << "<script>" << html::script() << "</script></body></html>\n";
    return h.str();
}

}  // namespace routecheck
