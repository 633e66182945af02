// `routecheck matrix --update-expectations`: expected tables rewritten from a run, for review in a diff.
#pragma once
#include <string>
#include <vector>

#include "model/fixtures.hpp"
#include "report/report.hpp"

namespace routecheck::cli {

// Rewrites fixtures/expected/<proxy>.json for every proxy of the run (rows of cells outside the run are kept).
// Returns the files written. Cells that failed to run (cell-level error) are not written. A table whose provenance
// starts with "observed" is never rewritten from predictions, keeps its provenance when a replay rewrites it, and a
// row keeps its "note" while its request and status stay the same. The grid files follow the same rules.
std::vector<std::string> update_expectations(const Fixtures& fixtures, const MatrixReport& report);

}  // namespace routecheck::cli
