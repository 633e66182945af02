// The repository's fixtures and the antigravity-tools profile, loaded once per test binary (suites/attach).
#pragma once
#include <filesystem>
#include <stdexcept>

#include "model/fixtures.hpp"

namespace routecheck::test {

inline const Fixtures& repo_fixtures() {
    static const Fixtures f = load_fixtures({std::filesystem::path(ROUTECHECK_REPO_ROOT) / "fixtures"});
    return f;
}

// Throws when fixtures/proxies/antigravity-tools.json is missing.
inline const ProxyProfile& antigravity_tools() {
    const ProxyProfile* p = repo_fixtures().proxy("antigravity-tools");
    if (!p) throw std::runtime_error("fixtures/proxies/antigravity-tools.json is missing");
    return *p;
}

}  // namespace routecheck::test
