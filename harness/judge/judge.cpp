#include "judge/judge.hpp"

#include <algorithm>

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

namespace {
std::string join_lines(const std::vector<std::string>& v) {
    if (v.empty()) return "(nothing)";
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}
}  // namespace

std::string compare_step(const StepObservation& o, const ExpectedStep& e) {
    std::string out;
    if (o.request_line() != e.request) out += "request: expected '" + e.request + "', sent '" + o.request_line() + "'. ";
    if (o.status != e.status)
        out += "status: expected " + std::to_string(e.status) + ", got " +
               (o.status ? std::to_string(o.status) : std::string("no answer (") + to_string(o.error) + ")") + ". ";
    if (o.upstream != e.upstream)
        out += "upstream: expected " + join_lines(e.upstream) + ", reached " + join_lines(o.upstream) + ". ";
    if (!out.empty()) out.pop_back();
    return out;
}

CellResult judge_cell(const CellObservation& cell, const ProxyProfile& proxy, const ClientProfile& client,
                      const ExpectedTable* expected, const std::string& recommended_base, bool prediction) {
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
    bool all_skipped = !cell.steps.empty();
    bool mismatch = false;
    for (const auto& o : cell.steps) {
        StepVerdict sv;
        sv.observed = o;
        if (o.skipped) {
            sv.finding = {Diagnosis::Skipped, o.skip_reason, "pass --allow-quota to send it"};
            r.steps.push_back(std::move(sv));
            continue;
        }
        all_skipped = false;
        StepFacts facts{o.method, o.target, o.status, o.error, !o.upstream.empty(), client.protocol, recommended_base,
                        o.body_excerpt};
        sv.finding = classify_step(facts, proxy);
        // A refused websocket upgrade is not a failure of the client: it falls back to HTTP (Codex retries the
        // upgrade, then POSTs). The step keeps its status for the expected table; the cell's "works" ignores it.
        auto step_def = std::find_if(client.steps.begin(), client.steps.end(), [&](auto& s) { return s.id == o.step; });
        if (step_def != client.steps.end() && step_def->websocket && sv.finding.diagnosis != Diagnosis::Ok &&
            sv.finding.diagnosis != Diagnosis::NotListening && o.status >= 400 && o.status < 500) {
            sv.finding = {Diagnosis::Ok,
                          std::to_string(o.status) + ": websocket upgrade refused; the client falls back to HTTP",
                          ""};
        }
        if (rows) {
            auto it = std::find_if(rows->begin(), rows->end(), [&](const ExpectedStep& e) { return e.step == o.step; });
            if (it == rows->end()) sv.mismatch = "no expected row for step '" + o.step + "'";
            else {
                sv.expected = *it;
                sv.mismatch = compare_step(o, *it);
            }
        }
        mismatch = mismatch || !sv.mismatch.empty();
        if (r.diagnosis == Diagnosis::Ok && sv.finding.diagnosis != Diagnosis::Ok) r.diagnosis = sv.finding.diagnosis;
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
    r.works = !cell.steps.empty() && cell.error.empty() &&
              std::all_of(r.steps.begin(), r.steps.end(), [](auto& s) { return s.finding.diagnosis == Diagnosis::Ok; });
    if (!cell.error.empty()) {
        r.verdict = CellVerdict::Fail;
        r.message = cell.error;
        r.diagnosis = Diagnosis::Unexpected;
    } else if (prediction) {
        r.verdict = CellVerdict::Prediction;
    } else if (all_skipped) {
        r.verdict = CellVerdict::Skipped;
        r.diagnosis = Diagnosis::Skipped;
    } else if (!rows) {
        r.verdict = CellVerdict::NoExpectation;
        r.message = "no expected rows for " + cell.id() + " (run routecheck matrix --update-expectations and review the diff)";
    } else {
        r.verdict = mismatch ? CellVerdict::Fail : CellVerdict::Pass;
        for (const auto& s : r.steps)
            if (!s.mismatch.empty()) r.message += "step " + s.observed.step + ": " + s.mismatch + ". ";
    }
    return r;
}

}  // namespace routecheck
