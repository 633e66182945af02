// The `routecheck` commands. Each returns the process exit code; usage problems throw UsageError.
#pragma once
#include <string>
#include <vector>

#include "model/fixtures.hpp"
#include "run/matrix_run.hpp"

namespace routecheck::cli {

int dispatch(const std::string& command, const std::vector<std::string>& args);

int cmd_matrix(const std::vector<std::string>& args);
int cmd_paths(const std::vector<std::string>& args);
int cmd_list_cells(const std::vector<std::string>& args);
int cmd_list_grid_rows(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_doctor(const std::vector<std::string>& args);
int cmd_probe(const std::vector<std::string>& args);
// routecheck diff OLD.json NEW.json [--out DIR] (cli/diff_command.cpp): exit 0 no cell changed, 1 cells changed,
// 2 usage error or a file that is not a readable matrix.json (named in the message).
int cmd_diff(const std::vector<std::string>& args);

// Prints `text` (a command's --help) to stdout; returns 0.
int cmd_help(const std::string& text);
bool wants_help(const std::vector<std::string>& args);  // -h or --help among the arguments

// doctor --seen / --log (cli/seen.cpp): each request line, the clients and Base URLs that build its path, judged
// against `proxy`; Base URLs shown at `origin` ("http://127.0.0.1:8045"). Exit 1 when a line no client explains.
int doctor_seen(const Fixtures& fixtures, const ProxyProfile& proxy, const std::vector<std::string>& lines,
                const std::string& origin, bool as_json);
std::vector<std::string> read_log_lines(const std::string& file);  // non-empty lines; UsageError if none

// Today's date in UTC, YYYY-MM-DD (a probed profile's date).
std::string today_utc();

// plan_matrix, with an unknown id or an empty selection reported as a UsageError (exit 2).
Plan plan_or_usage(const Fixtures& fixtures, const MatrixOptions& options);

// Loads the built-in fixtures plus every --fixtures folder.
Fixtures load_with(const std::vector<std::string>& extra_dirs, bool allow_override);

// The client profile with this id, or a UsageError listing the known ids.
const ClientProfile& require_client(const Fixtures& fixtures, const std::string& id);

}  // namespace routecheck::cli
