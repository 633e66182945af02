#include "cli/locate.hpp"

#include <cstdlib>
#include <system_error>

namespace routecheck::cli {

namespace fs = std::filesystem;

namespace {
fs::path installed_share() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    fs::path share = exe.parent_path().parent_path() / "share" / "routecheck";
    // The folder alone decides: an installed copy whose fixtures are missing must fail on that path, not fall
    // back silently to the source tree it was built from (which a CI machine may still hold, in another state).
    return fs::is_directory(share) ? share : fs::path{};
}
}  // namespace

fs::path share_dir() {
    if (const char* env = std::getenv("ROUTECHECK_SHARE_DIR"); env && *env) return env;
    if (fs::path p = installed_share(); !p.empty()) return p;
    return ROUTECHECK_SOURCE_ROOT;
}

fs::path builtin_fixtures() { return share_dir() / "fixtures"; }

fs::path preload_script() {
    fs::path installed = share_dir() / "preload.cjs";
    if (fs::exists(installed)) return installed;
    return fs::path(ROUTECHECK_SOURCE_ROOT) / "harness" / "launch" / "preload.cjs";
}

}  // namespace routecheck::cli
