// Typed checks of the fixture files that other modules read as raw JSON: the behaviour grid files,
// fixtures/grids/<proxy>.json (harness/grid reads their "setup" and expected rows; docs/grids.md). `routecheck
// validate` and every command that loads fixtures run them, so a wrong type is a FixtureError at its file and
// pointer before anything starts, never a type_error in the middle of a run. (A proxy profile's "behaviour" is
// parsed and checked by model/behaviour.hpp.)
#pragma once
#include <filesystem>

#include <nlohmann/json.hpp>

#include "model/json_access.hpp"

namespace routecheck {

// A grid file: {proxy (= the file name), provenance, generated_by, notes, setup, auth, health, stream}. setup:
// known {method, path, body, headers}, api_prefix, health_path, stream_protocols (anthropic | openai | gemini),
// models (protocol -> model), health_timeout_ms and stream_timeout_ms (1..600000). Each expected row:
// {status (0 or 100..599), verdict, upstream, error_shape (native | foreign | none), retry_after}.
void check_grid_file(const nlohmann::json& doc, const std::filesystem::path& file);

}  // namespace routecheck
