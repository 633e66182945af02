// Where the built-in fixtures and the Node preload are: beside an installed routecheck
// (<prefix>/share/routecheck), else in the source tree it was built from.
#pragma once
#include <filesystem>

namespace routecheck::cli {

std::filesystem::path share_dir();         // the folder holding fixtures/, npm/ and preload.cjs
std::filesystem::path builtin_fixtures();  // share_dir()/fixtures
std::filesystem::path preload_script();

}  // namespace routecheck::cli
