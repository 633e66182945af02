#include "model/version.hpp"

#include "routecheck_git.hpp"  // generated in the build tree (cmake/git_describe.cmake)

namespace routecheck {

std::string routecheck_version() {
    const std::string git = ROUTECHECK_GIT_DESCRIBE;
    return std::string(ROUTECHECK_VERSION) + (git.empty() ? "" : " (git " + git + ")");
}

}  // namespace routecheck
