#include "model/version.hpp"

#include "routecheck_git.hpp"  // generated in the build tree (cmake/git_describe.cmake)

namespace routecheck {

std::string routecheck_version() {
    const std::string git = ROUTECHECK_GIT_DESCRIBE;
    // Appended in steps: g++ 12 warns (-Warray-bounds, a false positive) on the operator+ chain of temporaries.
    std::string out = ROUTECHECK_VERSION;
    if (!git.empty()) out += " (git " + git + ")";
    return out;
}

}  // namespace routecheck
