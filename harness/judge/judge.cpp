#include "judge/judge.hpp"
#include "judge/body.hpp"

#include <algorithm>
#include <set>

#include "join/join.hpp"
#include "judge/path.hpp"

namespace routecheck {

const char* to_string(CellVerdict v) {
    switch (v) {
        case CellVerdict::Pass: return "pass";
        case CellVerdict::Fail: return "fail";
        case CellVerdict::NoExpectation: return "no-expectation";
        case CellVerdict::Skipped: return "skipped";
        case CellVerdict::Prediction: return "prediction";
    }
    return "fail";
}

std::string StepVerdict::outcome() const {
    if (finding.diagnosis == Diagnosis::Ok) return "ok";
    if (finding.diagnosis == Diagnosis::Skipped) return "not sent";
    if (websocket) return "fell back";
    return essential ? "failed" : "warning";
}

namespace {

std::string join_lines(const std::vector<std::string>& v) {
    if (v.empty()) return "(nothing)";
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

const Step* step_of(const ClientProfile& client, const std::string& id) {
    auto it = std::find_if(client.steps.begin(), client.steps.end(), [&](const Step& s) { return s.id == id; });
    return it == client.steps.end() ? nullptr : &*it;
}

bool definite(Diagnosis d) { return d != Diagnosis::Ok && d != Diagnosis::Skipped; }

// The proxy wants a key (it has one configured) and reads it from headers none of the client's carriers uses.
bool unreadable_key(const ClientProfile& client, const ProxyProfile& proxy) {
    if (proxy.api_key.empty() || proxy.auth_carriers.empty() || client.key_carriers.empty()) return false;
    for (const auto& k : client.key_carriers)
        if (std::find(proxy.auth_carriers.begin(), proxy.auth_carriers.end(), k.header) != proxy.auth_carriers.end())
            return false;
    return true;
}

}  // namespace

std::string verdict_text(const Finding& f) {
    std::string out = std::string(to_string(f.diagnosis)) + ": " + f.reason;
    if (!f.fix.empty()) out += ". Fix: " + f.fix;
    return out;
}

std::string compare_step(const StepVerdict& got, const ExpectedStep& e) {
    const StepObservation& o = got.observed;
    std::string out;
    if (o.request_line() != e.request)
        out += "request: expected '" + e.request + "', sent '" + o.request_line() + "'. ";
    if (o.status != e.status)
        out += "status: expected " + std::to_string(e.status) + ", got " +
               (o.status ? std::to_string(o.status) : std::string("no answer (") + to_string(o.error) + ")") + ". ";
    if (o.upstream != e.upstream)
        out += "upstream: expected " + join_lines(e.upstream) + ", reached " + join_lines(o.upstream) + ". ";
    if (!e.diagnosis.empty() && e.diagnosis != to_string(got.finding.diagnosis))
        out += "class: expected " + e.diagnosis + ", judged " + to_string(got.finding.diagnosis) + ". ";
    if (!out.empty()) out.pop_back();
    return out;
}

std::string cell_fix_base_url(const ClientProfile& client, const ProxyProfile& proxy, const std::string& base_url,
                              bool another) {
    const std::string typed = parse_base_url(base_url).path;
    std::optional<std::set<std::string>> common;
    std::vector<std::string> first_failing;
    bool all_right = true;
    for (const auto& step : client.steps) {
        if (!step.essential) continue;
        PathVerdict pv = judge_path(client, step, base_url, proxy);
        std::set<std::string> here(pv.bases.begin(), pv.bases.end());
        if (another) {  // every other way in, never the typed Base URL itself (its trailing slash aside)
            here.insert(pv.other_bases.begin(), pv.other_bases.end());
            std::string t = typed;
            while (!t.empty() && t.back() == '/') t.pop_back();
            here.erase(t);
            all_right = false;
        } else if (pv.shape == Diagnosis::Ok) {
            here.insert(typed);
        } else {
            all_right = false;
            if (first_failing.empty()) first_failing = pv.bases;
        }
        if (here.empty()) continue;  // a call no Base URL serves: it cannot narrow the choice
        if (!common) common = here;
        else {
            std::set<std::string> both;
            std::set_intersection(common->begin(), common->end(), here.begin(), here.end(),
                                  std::inserter(both, both.end()));
            common = both;
        }
    }
    if (all_right) return "";
    std::vector<std::string> ranked = common && !common->empty() ? rank_bases({common->begin(), common->end()}, typed,
                                                                              protocol_family(client.protocol))
                                                                 : first_failing;
    if (another) {
        std::string t = typed;
        while (!t.empty() && t.back() == '/') t.pop_back();
        ranked.erase(std::remove(ranked.begin(), ranked.end(), t), ranked.end());
    }
    if (ranked.empty() || ranked.front() == typed) return "";
    return base_url_at(client, base_url, ranked.front());
}

CellResult judge_cell(const CellObservation& cell, const ProxyProfile& proxy, const ClientProfile& client,
                      const ExpectedTable* expected, const std::vector<std::string>& alternatives, bool prediction) {
    CellResult r;
    r.cell = cell;
    const std::vector<ExpectedStep>* rows = nullptr;
    if (expected) {
        auto c = expected->cells.find(cell.client);
        if (c != expected->cells.end()) {
            auto v = c->second.find(cell.variant);
            if (v != c->second.end()) rows = &v->second;
        }
    }
    std::string fix_base;
    bool parsed = true;
    try {
        fix_base = cell_fix_base_url(client, proxy, cell.base_url);
    } catch (const std::exception&) {
        parsed = false;  // a Base URL that does not parse: every step says so below
    }
    const KeyCarrier* carrier = cell.key_via.empty() ? nullptr : client.carrier(cell.key_via);
    bool all_skipped = !cell.steps.empty();
    bool mismatch = false;
    for (const auto& o : cell.steps) {
        StepVerdict sv;
        sv.observed = o;
        const Step* def = step_of(client, o.step);
        sv.essential = def ? def->essential : true;
        sv.websocket = def && def->websocket;
        if (!def || !parsed) {
            sv.finding = {Diagnosis::Unexpected,
                          def ? "the Base URL " + cell.base_url + " does not parse"
                              : "step '" + o.step + "' is not in " + client.id + "'s profile",
                          "check the Base URL and the client profile", ""};
        } else {
            PathVerdict pv = judge_path(client, *def, cell.base_url, proxy);
            StepContext ctx{&client, def, &proxy, &o, &pv, cell.base_url, fix_base, carrier, alternatives};
            if (o.skipped) {
                // The path is judged without sending: a misjoin is known, a right path stays unverified.
                StepObservation unsent = o;
                unsent.status = 404;
                ctx.observed = &unsent;
                if (pv.shape != Diagnosis::Ok) {
                    sv.finding = classify_step(ctx);
                    sv.finding.reason = pv.reason + " (judged from the path; not sent: " + o.skip_reason + ")";
                } else if (!unreadable_key(client, proxy)) {
                    sv.finding = {Diagnosis::Skipped,
                                  "not sent (" + o.skip_reason + "); its path " + pv.path +
                                      (pv.on_route ? " is a route of " + proxy.name : " looks right"),
                                  // What confirms it depends on why it was not sent: nothing was sent at all
                                  // (no --target), or only a quota-safe probe that could not tell (--allow-quota).
                                  o.skip_reason.rfind("no --target", 0) == 0
                                      ? "send it to confirm (doctor --target URL)"
                                      : "send the real call to confirm (--allow-quota; it may bill the upstream)",
                                  ""};
                } else {
                    // The profiles alone settle it: the proxy wants a key in headers this client never sends.
                    unsent.status = 401;
                    ctx.key_carrier = &client.key_carriers.front();
                    sv.finding = classify_step(ctx);
                    sv.finding.reason = "[from the profiles, not sent] " + sv.finding.reason;
                }
            } else {
                sv.finding = classify_step(ctx);
            }
        }
        if (!o.skipped) all_skipped = false;
        if (rows && !o.skipped) {
            auto it = std::find_if(rows->begin(), rows->end(), [&](const ExpectedStep& e) { return e.step == o.step; });
            if (it == rows->end()) sv.mismatch = "no expected row for step '" + o.step + "'";
            else {
                sv.expected = *it;
                sv.mismatch = compare_step(sv, *it);
                // A prediction differs from what the proxy answered when it was run: say what that was.
                if (prediction && !sv.mismatch.empty())
                    sv.mismatch = "observed when it ran: " + it->request + " -> " + std::to_string(it->status) +
                                  (it->diagnosis.empty() ? "" : " " + it->diagnosis) +
                                  (it->note.empty() ? "" : " (" + it->note + ")");
            }
        }
        mismatch = mismatch || !sv.mismatch.empty();
        if (!sv.essential && sv.finding.diagnosis != Diagnosis::Ok)
            r.warnings.push_back(o.step + " (" + sv.outcome() + "): " + to_string(sv.finding.diagnosis) + ": " +
                                 sv.finding.reason);
        r.steps.push_back(std::move(sv));
    }
    if (rows) {
        for (const auto& e : *rows) {
            bool seen = std::any_of(cell.steps.begin(), cell.steps.end(), [&](auto& o) { return o.step == e.step; });
            if (!seen) {
                mismatch = true;
                r.message += "expected step '" + e.step + "' was not replayed. ";
            }
        }
    }
    // The cell's verdict: the first essential step with a definite class, then the first unsent one, else OK.
    const StepVerdict* decisive = nullptr;
    for (const auto& s : r.steps)
        if (s.essential && definite(s.finding.diagnosis)) {
            decisive = &s;
            break;
        }
    if (!decisive)
        for (const auto& s : r.steps)
            if (s.essential && s.finding.diagnosis == Diagnosis::Skipped) {
                decisive = &s;
                break;
            }
    if (!cell.error.empty()) {
        r.judgment = {Diagnosis::Unexpected, cell.error, "see the proxy's log tail in the report", ""};
    } else if (cell.steps.empty() && !client.base_url_ignored.empty()) {
        // Nothing to send: the recording showed no request at any Base URL, so none can make this mode work.
        r.judgment = {Diagnosis::BaseUrlIgnored,
                      client.id + " sends nothing to the Base URL " + cell.base_url + ": " + client.base_url_ignored,
                      alternatives.empty()
                          ? "no Base URL fixes it; use a mode of the client that sends to the Base URL"
                          : "no Base URL fixes it; use another mode of the client: " + alternatives.front(),
                      ""};
    } else if (cell.steps.empty()) {
        r.judgment = {Diagnosis::Unexpected, "no step was replayed", "check the client profile", ""};
    } else if (decisive) {
        r.judgment = decisive->finding;
        if (decisive->finding.diagnosis != Diagnosis::Skipped)
            r.judgment.reason = decisive->observed.step + ": " + r.judgment.reason;
        // The path is right but the call failed there: when the proxy serves every essential step at another Base
        // URL too (another route, e.g. a /gemini pass-through beside native routes), name it as one to try.
        Diagnosis d = r.judgment.diagnosis;
        // Not when the upstream said its own path is wrong: another Base URL of the proxy calls the same upstream URL.
        const bool upstream_path =
            says_path_not_found(read_body(decisive->observed.content_type, decisive->observed.body_excerpt));
        if (parsed && !upstream_path && (d == Diagnosis::UpstreamError || d == Diagnosis::Unexpected)) {
            std::string other = cell_fix_base_url(client, proxy, cell.base_url, true);
            if (!other.empty())
                r.judgment.fix += "; " + proxy.name + " also serves these calls at " + other + ": try it";
        }
    } else {
        int probed = 0, essential = 0;
        for (const auto& st : r.steps)
            if (st.essential) {
                ++essential;
                probed += st.observed.evidence == "probe";
            }
        r.judgment = {Diagnosis::Ok,
                      probed == 0 ? std::string("every essential step reached a route and was answered")
                                  : "every essential step reached a route: " + std::to_string(essential - probed) +
                                        " sent as the client sends it, " + std::to_string(probed) +
                                        " inferred from a probe that holds nothing to generate from (the real call "
                                        "was not sent)",
                      "", ""};
        if (!r.warnings.empty())
            r.judgment.reason += "; " + std::to_string(r.warnings.size()) + " optional step" +
                                 (r.warnings.size() > 1 ? "s" : "") + " did not work (warnings)";
    }
    r.diagnosis = r.judgment.diagnosis;
    r.works = r.diagnosis == Diagnosis::Ok;
    if (!cell.error.empty()) {
        r.verdict = CellVerdict::Fail;
        r.message = cell.error;
    } else if (prediction) {
        r.verdict = CellVerdict::Prediction;
    } else if (all_skipped) {
        r.verdict = CellVerdict::Skipped;
    } else if (!rows) {
        r.verdict = CellVerdict::NoExpectation;
        r.message =
            "no expected rows for " + cell.id() + " (run routecheck matrix --update-expectations and review the diff)";
    } else {
        r.verdict = mismatch ? CellVerdict::Fail : CellVerdict::Pass;
        for (const auto& s : r.steps)
            if (!s.mismatch.empty()) r.message += "step " + s.observed.step + ": " + s.mismatch + ". ";
    }
    return r;
}

}  // namespace routecheck
