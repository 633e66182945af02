// The `routecheck` commands. Each returns the process exit code; usage problems throw UsageError.
#pragma once
#include <string>
#include <vector>

#include "model/fixtures.hpp"

namespace routecheck::cli {

int dispatch(const std::string& command, const std::vector<std::string>& args);

int cmd_matrix(const std::vector<std::string>& args);
int cmd_paths(const std::vector<std::string>& args);
int cmd_list_cells(const std::vector<std::string>& args);
int cmd_list_grid_rows(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_doctor(const std::vector<std::string>& args);
int cmd_probe(const std::vector<std::string>& args);

// Loads the built-in fixtures plus every --fixtures folder.
Fixtures load_with(const std::vector<std::string>& extra_dirs, bool allow_override);

// The client profile with this id, or a UsageError listing the known ids.
const ClientProfile& require_client(const Fixtures& fixtures, const std::string& id);

// Checks that a profile's join rule reproduces every request it recorded; returns the differences.
std::vector<std::string> check_recordings(const ClientProfile& client);

}  // namespace routecheck::cli
