// summary.md and junit.xml: the two text forms CI systems read.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "report/html_parts.hpp"
#include "report/report.hpp"

namespace routecheck {

namespace {

std::string statuses(const CellResult& c) {
    std::string out;
    for (const auto& s : c.steps) out += (out.empty() ? "" : " ") + status_word(s.observed);
    return out;
}

// "recorded 2026-11-27 (scripts/record-client claude-code)"
std::string known_text(const Provenance& p) {
    return p.how + (p.when.empty() ? "" : " " + p.when) + (p.detail.empty() ? "" : " (" + p.detail + ")");
}

std::string cell_text(const CellResult& c) {
    std::string icon = c.works ? "✅" : (c.verdict == CellVerdict::Skipped ? "⏭" : "⛔");
    std::string text = icon + " " + (c.works ? std::string("OK") : to_string(c.diagnosis)) + " " + statuses(c);
    if (c.verdict == CellVerdict::Fail) text += " **≠ expected**";
    if (c.verdict == CellVerdict::NoExpectation) text += " (no expectation)";
    return text;
}

// XML 1.0 text and attributes: markup escaped, control characters, U+FFFE/U+FFFF and invalid UTF-8 replaced
// (a message may quote a dying proxy's output; one bad byte makes a JUnit reader drop the whole file).
std::string xml_escape(const std::string& s) { return html::esc(s); }

}  // namespace

std::string fit_step_summary(const std::string& markdown, std::size_t room) {
    if (markdown.size() <= room) return markdown;
    const auto note = [&](std::size_t kept) {
        return "\n_This summary was cut at " + std::to_string(kept) + " of " + std::to_string(markdown.size()) +
               " bytes (a CI step summary holds at most 1 MiB): summary.md in the report folder has all of it._\n";
    };
    const std::size_t reserve = note(markdown.size()).size();
    if (room <= reserve) return "";
    // Whole lines only, so no table row or UTF-8 character is cut in half.
    const std::size_t end = markdown.rfind('\n', room - reserve - 1);
    const std::size_t kept = end == std::string::npos ? 0 : end + 1;
    return markdown.substr(0, kept) + note(kept);
}

std::string with_port_placeholder(const MatrixReport& report, const std::string& proxy, std::string text) {
    for (const auto& p : report.proxies) {
        if (p.id != proxy || p.provenance != "launched" || p.port <= 0) continue;
        const std::string origin = "127.0.0.1:" + std::to_string(p.port);
        for (auto at = text.find(origin); at != std::string::npos; at = text.find(origin, at + 1))
            if (at + origin.size() == text.size() ||
                !std::isdigit(static_cast<unsigned char>(text[at + origin.size()])))
                text.replace(at, origin.size(), "127.0.0.1:{port}");
    }
    return text;
}

std::string lowered_priority_note(const MatrixReport& report) {
    std::vector<std::string> lowered;
    int nice = 0;
    for (const auto& p : report.proxies)
        if (p.nice > 0) {
            lowered.push_back(p.id);
            nice = std::max(nice, p.nice);
        }
    if (lowered.empty()) return "";
    std::string ids;
    for (const auto& id : lowered) ids += (ids.empty() ? "" : ", ") + id;
    return "Ran at lowered priority (nice " + std::to_string(nice) + "): " + ids +
           ". The proxies that used the most CPU time in the previous report kept the harness's priority, so the "
           "longest work is not held up (--equal-priority runs all alike).";
}

std::string summary_markdown(const MatrixReport& report) {
    std::ostringstream md;
    Counts c = count_cells(report.cells);
    md << "# routecheck compatibility matrix\n\n";
    if (!report.complete) md << "> **Incomplete run**: the results below are partial.\n\n";
    for (const auto& e : report.errors) md << "> Error: " << e << "\n\n";
    md << report.cells.size() << " cells: " << c.pass << " as expected, " << c.fail << " not as expected, "
       << c.no_expectation << " without expectation, " << c.skipped << " skipped, " << c.prediction
       << " predicted from source. Wall time " << static_cast<long>(report.wall_ms) << " ms.\n\n";
    if (const std::string lowered = lowered_priority_note(report); !lowered.empty()) md << lowered << "\n\n";
    md << "routecheck " << report.routecheck_version << ", started " << report.started_at << ".\n\n";
    if (report.since_previous)
        md << "Changed since the last run (" << report.since_previous->before_label
           << "): " << report.since_previous->changed.size() << " cells changed, "
           << report.since_previous->unchanged_total() << " unchanged (see below).\n\n";
    else if (!report.previous_note.empty()) md << "Changed since the last run: " << report.previous_note << ".\n\n";
    md << "| proxy | package and version | how it is known, when |\n|---|---|---|\n";
    for (const auto& p : report.proxies)
        md << "| " << p.id << " | " << (p.package.empty() ? "" : "`" + p.package + "` ") << p.version << " | "
           << known_text(p.known) << " |\n";
    md << "\n<details><summary>Client profiles: version and how each is known</summary>\n\n"
          "| client (mode) | id | package and version | how it is known, when |\n|---|---|---|---|\n";
    for (const auto& c : report.clients)
        md << "| " << c.name << " | `" << c.id << "` " << c.protocol << " | "
           << (c.package.empty() ? "" : "`" + c.package + "` ") << c.version << " | " << known_text(c.known) << " |\n";
    md << "\n</details>\n\n";
    md << "Each cell: whether the client works at that Base URL (✅) or why not (the verdict class), then the HTTP "
          "status of each step.\n\n";
    for (const auto& p : report.proxies) {
        md << "## " << p.name << " (" << (p.known.how.empty() ? p.provenance : p.known.how)
           << (p.version.empty() ? "" : ", " + p.version) << ")\n\n";
        if (p.provenance == "source")
            md << "_Predictions from the proxy's source code, not observed: nobody ran this proxy here._\n\n";
        if (!p.error.empty()) md << "**Could not run:** " << p.error << "\n\n";
        std::vector<std::string> clients, variants;
        std::map<std::pair<std::string, std::string>, const CellResult*> grid;
        for (const auto& cell : report.cells) {
            if (cell.cell.proxy != p.id) continue;
            if (std::find(clients.begin(), clients.end(), cell.cell.client) == clients.end())
                clients.push_back(cell.cell.client);
            if (std::find(variants.begin(), variants.end(), cell.cell.variant) == variants.end())
                variants.push_back(cell.cell.variant);
            grid[{cell.cell.client, cell.cell.variant}] = &cell;
        }
        if (clients.empty()) continue;
        md << "| client | recommended Base URL |";
        for (const auto& v : variants) md << " `" << v << "` |";
        md << "\n|---|---|";
        for (std::size_t i = 0; i < variants.size(); ++i) md << "---|";
        md << "\n";
        for (const auto& cl : clients) {
            std::string rec = "—";
            for (const auto& r : report.recommendations)
                if (r.rec.proxy == p.id && r.rec.client == cl)
                    rec = r.rec.found ? "`" + r.rec.base_url + "`" + (r.confirmed == "replay" ? " ✔" : "") +
                                            (r.confirmed == "refuted" ? " ✘ replay: " + r.refuted_by : "") +
                                            (r.rec.caveat.empty() ? "" : " ⚠ " + r.rec.caveat)
                                      : "none: " + r.rec.note;
            for (std::size_t at = 0; (at = rec.find('|', at)) != std::string::npos; at += 2) rec.insert(at, "\\");
            md << "| " << cl << " | " << rec << " |";
            for (const auto& v : variants) {
                auto it = grid.find({cl, v});
                md << " " << (it == grid.end() ? "" : cell_text(*it->second)) << " |";
            }
            md << "\n";
        }
        md << "\n";
    }
    md << "## Verdicts\n\n<details><summary>Every cell's verdict, reason and fix</summary>\n\n";
    for (const auto& cell : report.cells) {
        std::string line = verdict_text(cell.judgment);
        for (std::size_t at = 0; (at = line.find('\n', at)) != std::string::npos;) line[at] = ' ';
        md << "- `" << cell.cell.id() << "` (" << (cell.works ? "works" : "does not work") << "): " << line << "\n";
        for (const auto& w : cell.warnings) md << "  - warning: " << w << "\n";
    }
    md << "\n</details>\n\n";
    std::vector<const CellResult*> failing;
    for (const auto& cell : report.cells)
        if (cell.verdict == CellVerdict::Fail || cell.verdict == CellVerdict::NoExpectation) failing.push_back(&cell);
    if (!failing.empty()) {
        md << "## Cells not as expected\n\n";
        for (const auto* f : failing) md << "- `" << f->cell.id() << "`: " << f->message << "\n";
        md << "\n";
    }
    if (report.since_previous && report.since_previous->any_change())
        md << comparison_markdown(*report.since_previous, "Changed since the last run");
    for (const auto& v : version_pairs(report)) md << comparison_markdown(v.cells, version_pair_title(v));
    md << grids_markdown(report);
    return md.str();
}

std::string junit_xml(const MatrixReport& report) {
    std::ostringstream x;
    Counts total = count_cells(report.cells);
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x << "<testsuites name=\"routecheck\" tests=\"" << report.cells.size() << "\" failures=\""
      << total.fail + total.no_expectation << "\" skipped=\"" << total.skipped + total.prediction << "\" time=\""
      << report.wall_ms / 1000.0 << "\">\n";
    std::vector<std::string> proxies;
    for (const auto& cell : report.cells)
        if (std::find(proxies.begin(), proxies.end(), cell.cell.proxy) == proxies.end())
            proxies.push_back(cell.cell.proxy);
    for (const auto& p : proxies) {
        std::vector<const CellResult*> cells;
        for (const auto& cell : report.cells)
            if (cell.cell.proxy == p) cells.push_back(&cell);
        int failures = 0, skipped = 0;
        double secs = 0;
        for (const auto* c : cells) {
            failures += c->verdict == CellVerdict::Fail || c->verdict == CellVerdict::NoExpectation;
            skipped += c->verdict == CellVerdict::Skipped || c->verdict == CellVerdict::Prediction;
            for (const auto& s : c->steps) secs += s.observed.ms / 1000.0;
        }
        x << "  <testsuite name=\"" << xml_escape(p) << "\" tests=\"" << cells.size() << "\" failures=\"" << failures
          << "\" errors=\"0\" skipped=\"" << skipped << "\" time=\"" << secs << "\">\n";
        for (const auto* c : cells) {
            double t = 0;
            for (const auto& s : c->steps) t += s.observed.ms / 1000.0;
            x << "    <testcase classname=\"" << xml_escape(p) << "\" name=\""
              << xml_escape(c->cell.client + "." + c->cell.variant) << "\" time=\"" << t << "\">";
            if (c->verdict == CellVerdict::Fail || c->verdict == CellVerdict::NoExpectation)
                x << "\n      <failure message=\"" << xml_escape(c->message) << "\" type=\"" << to_string(c->verdict)
                  << "\">" << xml_escape(c->message) << "</failure>\n    ";
            else if (c->verdict == CellVerdict::Skipped) x << "<skipped message=\"quota-safe attach mode\"/>";
            else if (c->verdict == CellVerdict::Prediction)
                x << "<skipped message=\"prediction from source, not run\"/>";
            x << "<system-out>" << xml_escape(verdict_text(c->judgment) + " (Base URL " + c->cell.base_url + ")")
              << "</system-out></testcase>\n";
        }
        x << "  </testsuite>\n";
    }
    x << "</testsuites>\n";
    return x.str();
}

}  // namespace routecheck
