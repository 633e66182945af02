// `routecheck doctor`: being built (issue 5).
#include <iostream>

#include "cli/commands.hpp"

namespace routecheck::cli {

int cmd_doctor(const std::vector<std::string>&) {
    std::cerr << "routecheck doctor: not available yet in this build\n";
    return 2;
}

}  // namespace routecheck::cli
