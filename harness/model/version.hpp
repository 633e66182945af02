// routecheck's own version, as the report header, matrix.json and `routecheck --version` name it.
#pragma once
#include <string>

namespace routecheck {

// The CMake project version, plus `git describe --tags --always --dirty` of the source tree when it was built
// from a git checkout: "0.1.0 (git 758b7f6-dirty)"; "0.1.0" alone when built outside git. Fixed at build time
// (cmake/git_describe.cmake regenerates the header on every build).
std::string routecheck_version();

}  // namespace routecheck
