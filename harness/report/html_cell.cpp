// One grid cell of index.html and its drill-down: every step's evidence, the verdict class, its reason and fix.
#include <sstream>

#include "report/compare.hpp"
#include "report/html_parts.hpp"

namespace routecheck::html {

namespace {

constexpr std::size_t kBodyShown = 700;  // bytes of a body excerpt shown; the page stays small with 500+ cells

// "404×3 200" : statuses in step order, runs collapsed, so a 5-step cell fits in a narrow column.
std::string status_runs(const CellResult& c) {
    std::string out, prev;
    int run = 0;
    auto flush = [&] {
        if (run == 0) return;
        out += (out.empty() ? "" : " ") + prev + (run > 1 ? "×" + std::to_string(run) : "");
    };
    for (const auto& s : c.steps) {
        std::string st = status_word(s.observed);
        if (st == prev) {
            ++run;
            continue;
        }
        flush();
        prev = st;
        run = 1;
    }
    flush();
    return out.empty() ? "no steps" : out;
}

std::string verdict_words(const CellResult& c, bool prediction) {
    if (prediction) return "prediction from source, not observed";
    switch (c.verdict) {
        case CellVerdict::Pass: return "as expected";
        case CellVerdict::Fail: return "NOT as expected";
        case CellVerdict::NoExpectation: return "no expectation for this cell yet";
        case CellVerdict::Skipped: return "skipped";
        case CellVerdict::Prediction: return "prediction from source, not observed";
    }
    return "";
}

std::string lines_or(const std::vector<std::string>& lines, const std::string& none) {
    if (lines.empty()) return "<span class=none>" + esc(none) + "</span>";
    std::string out = "<ul class=lines>";
    for (const auto& l : lines) out += "<li><code>" + esc(l) + "</code></li>";
    return out + "</ul>";
}

void step_html(std::ostringstream& h, const StepVerdict& sv, bool prediction) {
    const StepObservation& o = sv.observed;
    const ClassInfo& ci = class_info(sv.finding.diagnosis);
    h << "<li class=step><div class=req><span class=sid>" << esc(o.step) << "</span> <code>" << esc(o.request_line())
      << "</code> → ";
    if (o.skipped) h << "<b>not sent</b>";
    else if (o.status) h << "<b class=status>" << o.status << "</b>";
    else
        h << "<b class=terr>no answer: " << esc(to_string(o.error)) << "</b>" << (o.error_text.empty() ? "" : " ")
          << esc(o.error_text);
    if (!prediction && !o.skipped) h << " <span class=ms>" << static_cast<long>(o.ms + 0.5) << " ms</span>";
    h << "</div>";
    if (sv.expected) {
        h << "<div class=expect>expected: <code>" << esc(sv.expected->request) << "</code> → <b>"
          << (sv.expected->status ? std::to_string(sv.expected->status) : std::string("no answer")) << "</b>"
          << ", upstream: "
          << (sv.expected->upstream.empty() ? std::string("nothing")
                                            : std::to_string(sv.expected->upstream.size()) + " request(s)")
          << "</div>";
    }
    if (!sv.mismatch.empty()) h << "<div class=mismatch>≠ " << esc(sv.mismatch) << "</div>";
    h << "<div class=why><span class=\"badge " << ci.css << "\">" << to_string(sv.finding.diagnosis) << "</span> "
      << (sv.outcome() == "ok" || sv.outcome() == "failed" ? std::string() : "<i>" + esc(sv.outcome()) + "</i> ")
      << (sv.essential ? "" : "<span class=meta>(optional)</span> ") << esc(sv.finding.reason) << "</div>";
    if (!sv.finding.fix.empty()) h << "<div class=fix><b>Fix:</b> " << esc(sv.finding.fix) << "</div>";
    if (o.skipped) {
        if (!o.skip_reason.empty()) h << "<div class=meta>" << esc(o.skip_reason) << "</div>";
        h << "</li>";
        return;
    }
    if (prediction) {  // nothing was received: content type, body and upstream would only be noise
        h << "</li>";
        return;
    }
    h << "<dl class=facts>";
    h << "<dt>content type</dt><dd>" << (o.content_type.empty() ? "<span class=none>none</span>" : esc(o.content_type))
      << "</dd>";
    h << "<dt>body</dt><dd>" << o.body_bytes << " bytes</dd>";
    if (o.sse_events || o.sse_done)
        h << "<dt>SSE</dt><dd>" << o.sse_events << " events, end marker " << (o.sse_done ? "seen" : "not seen")
          << "</dd>";
    h << "<dt>upstream</dt><dd>" << lines_or(o.upstream, "nothing reached the upstream");
    if (sv.expected && sv.expected->upstream != o.upstream && !sv.expected->upstream.empty())
        h << "expected:" << lines_or(sv.expected->upstream, "");
    h << "</dd></dl>";
    if (!o.body_excerpt.empty())
        h << "<pre class=body>" << esc_truncated(o.body_excerpt, kBodyShown, o.body_bytes) << "</pre>";
    h << "</li>";
}

}  // namespace

std::string class_face_html(const ClassInfo& c) {
    return std::string("<span class=lab><b class=glyph>") + esc(c.glyph) + "</b> " + esc(c.label) + "</span>";
}

std::string cell_html(const CellResult& c, bool prediction) {
    const ClassInfo& ci = class_info(c.diagnosis);
    std::string id = c.cell.id();
    std::ostringstream h;
    // data-* attributes carry what the page's filters select on (proxy, client, class); every word a reader needs is
    // in the text (the face, the marks, the drill-down), never only in a hover.
    h << "<details class=\"cell " << ci.css << " " << verdict_css(c.verdict) << (prediction ? " pred" : "")
      << "\" id=\"cell-" << esc(id) << "\" data-cell=\"" << esc(id) << "\" data-verdict=\"" << to_string(c.diagnosis)
      << "\" data-expect=\"" << verdict_css(c.verdict) << "\">";
    h << "<summary>" << class_face_html(ci) << "<span class=st>" << esc(status_runs(c)) << "</span>";
    if (c.verdict == CellVerdict::Fail) h << "<span class=\"mark m-fail\">≠</span>";
    else if (c.verdict == CellVerdict::NoExpectation) h << "<span class=\"mark m-noexp\">?</span>";
    if (prediction) h << "<span class=\"mark m-pred\">≈</span>";
    h << "</summary><div class=drill>";
    h << "<h4><code>" << esc(id) << "</code></h4>";
    h << "<p class=meta>Base URL <code>" << esc(c.cell.base_url) << "</code> · <span class=\"badge " << ci.css << "\">"
      << class_face_html(ci) << "</span> <code>" << to_string(c.diagnosis) << "</code> · "
      << (c.works ? "works" : "does not work") << " · <span class=\"vw " << verdict_css(c.verdict) << "\">"
      << esc(verdict_words(c, prediction)) << "</span></p>";
    if (prediction)
        h << "<p class=predflag>Prediction from source, not observed: nobody ran this proxy here; the statuses come "
             "from its documented contract.</p>";
    if (!c.cell.error.empty()) h << "<p class=err>" << esc(c.cell.error) << "</p>";
    if (!c.message.empty() && c.message != c.cell.error) h << "<p class=msg>" << esc(c.message) << "</p>";
    // The cell's one verdict, the same text as matrix.json, summary.md, junit.xml and the ctest cell test.
    h << "<p class=fixline><b>" << to_string(c.judgment.diagnosis) << "</b>: " << esc(c.judgment.reason);
    if (!c.judgment.fix.empty()) h << " <b>Fix:</b> " << esc(c.judgment.fix);
    h << "</p>";
    if (!c.warnings.empty()) {
        h << "<ul class=warnings>";
        for (const auto& w : c.warnings) h << "<li>⚠ " << esc(w) << "</li>";
        h << "</ul>";
    }
    h << "<ol class=steps>";
    for (const auto& s : c.steps) step_html(h, s, prediction);
    h << "</ol></div></details>";
    return h.str();
}

}  // namespace routecheck::html
