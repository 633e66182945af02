// Judging a cell: each step gets a verdict class (why) and is compared with its expected row (as expected?).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "judge/classify.hpp"
#include "judge/observation.hpp"
#include "model/fixtures.hpp"

namespace routecheck {

enum class CellVerdict { Pass, Fail, NoExpectation, Skipped, Prediction };
const char* to_string(CellVerdict v);

struct StepVerdict {
    StepObservation observed;
    Finding finding;
    std::optional<ExpectedStep> expected;
    std::string mismatch;  // "" when it matches its expected row
};

struct CellResult {
    CellObservation cell;
    std::vector<StepVerdict> steps;
    CellVerdict verdict = CellVerdict::Fail;
    Diagnosis diagnosis = Diagnosis::Ok;  // the first step that is not OK decides
    bool works = false;                   // every step OK: this client works at this Base URL
    std::string message;                  // for a failing cell: what was expected, what came
};

// "" when `observed` equals `expected`, else a one-line description of the difference.
std::string compare_step(const StepObservation& observed, const ExpectedStep& expected);

// `expected` may be null (no table for the proxy) and `prediction` marks cells of a source-only proxy.
CellResult judge_cell(const CellObservation& cell, const ProxyProfile& proxy, const ClientProfile& client,
                      const ExpectedTable* expected, const std::string& recommended_base, bool prediction = false);

}  // namespace routecheck
