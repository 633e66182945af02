// routecheck: replays recorded AI-client request sequences against local AI API proxies at each Base URL
// variant and tells which client works at which Base URL, and why not.
//
// Exit codes: 0 every cell as expected; 1 a cell not as expected (or a proxy that could not run, or a report that
// could not be written); 2 usage or fixture error, or a busy --out folder (nothing was run).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "launch/process.hpp"
#include "model/json_access.hpp"
#include "model/version.hpp"
#include "text/secrets.hpp"

namespace {

const char* kUsage = R"(usage: routecheck <command> [flags]

commands:
  matrix     run the compatibility matrix and write the report
  diff       compare two matrix.json reports: the cells whose verdict or status changed
  paths      print the request lines a client builds from a Base URL
  doctor     diagnose a client + Base URL against a proxy (a running one, or a profile)
  probe      learn what a running proxy serves, with requests no upstream bills (--save: a profile)
  list-cells print the cell ids the matrix would run, one per line
  list-grid-rows  print the behaviour grid rows (grid.<kind>.<proxy>.<row>), one per line
  validate   load and check every fixture (and that each profile reproduces its recordings)

common flags:
  --fixtures DIR   add a fixtures folder over the built-in one (repeatable)
  --override       let a later fixtures folder replace an id instead of failing
  --help           this text; `routecheck <command> --help` for the command's flags
  --version

exit codes: 0 all cells as expected (diff: nothing changed), 1 some cell not as expected (diff: cells changed),
2 usage or fixture error
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace routecheck;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "routecheck " << routecheck_version() << "\n";
        return 0;
    }
    launch::install_signal_cleanup();
    std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        return cli::dispatch(command, rest);
    } catch (const cli::UsageError& e) {
        std::cerr << "routecheck " << command << ": " << redact_known(e.what()) << "\n(see routecheck " << command
                  << " --help)\n";
        return 2;
    } catch (const FixtureError& e) {
        std::cerr << "routecheck: fixture error: " << redact_known(e.what()) << "\n";
        return 2;
    } catch (const std::exception& e) {
        // Not the input's fault (a full disk, a resource limit): 2 stays the code of usage and fixture errors.
        std::cerr << "routecheck " << command << ": error: " << redact_known(e.what()) << "\n";
        return 1;
    }
}
