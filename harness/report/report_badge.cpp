// badges/<proxy>.svg: a flat two-part badge ("claude-code-router | 9/14 clients") a proxy project can show.
// Self-contained SVG text, no fonts or links fetched; the widths come from a per-character estimate of the
// 11 px sans-serif text, as the common badge services do.
#include <sstream>

#include "report/report.hpp"
#include "text/utf8.hpp"

namespace routecheck {

namespace {

int text_width(const std::string& s) {
    int w = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) == 0x80) continue;  // one estimate per character, not per byte
        w += (c == 'i' || c == 'l' || c == '.' || c == '/' || c == ' ') ? 4 : (c >= 'A' && c <= 'Z') ? 8 : 7;
    }
    return w + 10;
}

}  // namespace

std::string badge_svg(const MatrixReport& report, const ProxyRunInfo& proxy) {
    const ProxyTally t = proxy_tally(report, proxy.id);
    const std::string left = proxy.id;
    std::string right = std::to_string(t.clients_working) + "/" + std::to_string(t.clients) + " clients";
    if (proxy.provenance == "source") right += " (predicted)";
    if (!proxy.error.empty()) right = "could not run";
    // Green when every profiled client works somewhere, amber when some do, red when none (or it did not run).
    const char* colour = !proxy.error.empty() || t.clients_working == 0 ? "#c62828"
                         : t.clients_working == t.clients               ? "#2e7d32"
                                                                        : "#b26a00";
    const int lw = text_width(left), rw = text_width(right), w = lw + rw;
    const std::string label = html_escape(left + ": " + right + " work at some Base URL (routecheck)");
    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"20\" role=\"img\" aria-label=\""
      << label << "\"><rect width=\"" << lw << "\" height=\"20\" fill=\"#555\"/><rect x=\"" << lw << "\" width=\"" << rw
      << "\" height=\"20\" fill=\"" << colour << "\"/><g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
      << "font-size=\"11\"><text x=\"5\" y=\"14\">" << html_escape(left) << "</text><text x=\"" << lw + 5
      << "\" y=\"14\">" << html_escape(right) << "</text></g></svg>\n";
    return s.str();
}

}  // namespace routecheck
