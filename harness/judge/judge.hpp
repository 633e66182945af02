// Judging a cell, once: every step gets a verdict class (path first, then status, body and upstream), the cell gets
// the verdict of its first essential step that is not OK, and each step is compared with its expected row. The
// matrix report, the ctest cell tests, attach mode and `doctor` all read this one judgment; nothing re-judges.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "judge/classify.hpp"
#include "model/fixtures.hpp"
#include "replay/observation.hpp"

namespace routecheck {

// Whether a cell came out as its expected table says (not whether the client works: that is CellResult::works).
enum class CellVerdict { Pass, Fail, NoExpectation, Skipped, Prediction };
const char* to_string(CellVerdict v);

struct StepVerdict {
    StepObservation observed;
    Finding finding;
    bool essential = true;  // from the client profile: the client cannot work without this step
    bool websocket = false;
    std::optional<ExpectedStep> expected;
    std::string mismatch;  // "" when it matches its expected row

    // "ok", "failed" (an essential step), "warning" (an optional step), "fell back" (a websocket attempt the
    // client falls back from), "not sent" (skipped, and its path is right).
    std::string outcome() const;
};

struct CellResult {
    CellObservation cell;
    std::vector<StepVerdict> steps;
    CellVerdict verdict = CellVerdict::Fail;  // as expected?
    // The cell's verdict: the finding of its first essential step that is not OK (a definite class before an
    // unsent step), else OK. Its fix names the Base URL that keeps the user's prefix, when a Base URL is the fix.
    Finding judgment;
    Diagnosis diagnosis = Diagnosis::Ok;  // judgment.diagnosis
    bool works = false;                   // the essential steps all OK: this client works at this Base URL
    std::vector<std::string> warnings;    // optional steps that did not work: "step-id: CLASS: reason"
    std::string message;                  // for a cell not as expected: what was expected, what came
};

// A verdict as one line of text, the same everywhere it is shown: "CLASS: reason. Fix: fix" (no fix part for OK).
std::string verdict_text(const Finding& finding);

// "" when `got` equals its expected row (request line, status, upstream requests, and the class when the row
// names one), else a one-line description of each difference.
std::string compare_step(const StepVerdict& got, const ExpectedStep& expected);

// The Base URL a cell's fix names: the one closest to what the user typed at which every essential step of
// `client` lands on a route of `proxy` ("" when the typed Base URL is right, or when no route table helps).
// `another`: the closest such Base URL other than the typed one, even when the typed one is right.
std::string cell_fix_base_url(const ClientProfile& client, const ProxyProfile& proxy, const std::string& base_url,
                              bool another = false);

// `expected` may be null (no table for the proxy); `alternatives` names other modes of the client that work with
// this proxy ("id at URL", from recommend()); `prediction` marks cells of a source-only proxy (their verdict is
// Prediction; a step that differs from an observed row says what was observed instead of failing).
CellResult judge_cell(const CellObservation& cell, const ProxyProfile& proxy, const ClientProfile& client,
                      const ExpectedTable* expected, const std::vector<std::string>& alternatives = {},
                      bool prediction = false);

}  // namespace routecheck
