#include "cli/commands.hpp"
#include "model/cases.hpp"

#include <ctime>
#include <iostream>

#include "cli/args.hpp"
#include "cli/locate.hpp"
#include "grid/grid.hpp"
#include "join/join.hpp"
#include "model/json_access.hpp"
#include "run/matrix_run.hpp"

namespace routecheck::cli {

namespace fs = std::filesystem;

Fixtures load_with(const std::vector<std::string>& extra_dirs, bool allow_override) {
    std::vector<fs::path> roots = {builtin_fixtures()};
    for (const auto& d : extra_dirs) roots.emplace_back(d);
    return load_fixtures(roots, allow_override);
}

const ClientProfile& require_client(const Fixtures& f, const std::string& id) {
    if (const ClientProfile* c = f.client(id)) return *c;
    std::string known;
    for (const auto& x : f.clients) known += " " + x.id;
    throw UsageError("unknown client '" + id + "' (known:" + known + ")");
}

// plan_matrix, with an unknown id or an empty selection reported as a usage error (exit 2).
Plan plan_or_usage(const Fixtures& f, const MatrixOptions& opt) {
    try {
        return plan_matrix(f, opt);
    } catch (const PlanError& e) {
        throw UsageError(e.what());
    }
}

int cmd_help(const std::string& text) {
    std::cout << text;
    return 0;
}

bool wants_help(const std::vector<std::string>& args) {
    for (const auto& a : args)
        if (a == "--help" || a == "-h") return true;
    return false;
}

int cmd_paths(const std::vector<std::string>& argv) {
    if (wants_help(argv))
        return cmd_help(
            "usage: routecheck paths --client ID --base-url URL [--fixtures DIR]... [--override]\n"
            "Prints the final request line of each step of the client profile, in order, as `METHOD /path?query`\n"
            "(none, and why on stderr, for a client mode that sends nothing to the Base URL).\n");
    Args a(argv, {"--client", "--base-url", "--fixtures"}, {"--override"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    const ClientProfile* c = &require_client(f, a.one("--client"));
    std::string base = a.one("--base-url");
    try {
        parse_base_url(base);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--base-url: ") + e.what());
    }
    // stdout stays one request line per step (none here); stderr says why there is none.
    if (!c->base_url_ignored.empty())
        std::cerr << c->id << " sends nothing to the Base URL: " << c->base_url_ignored << "\n";
    for (const auto& s : c->steps) std::cout << request_line(*c, s, base) << "\n";
    return 0;
}

int cmd_list_cells(const std::vector<std::string>& argv) {
    if (wants_help(argv))
        return cmd_help(
            "usage: routecheck list-cells [--proxy ID]... [--client ID]... [--variant ID]... [--fixtures DIR]...\n");
    Args a(argv, {"--proxy", "--client", "--variant", "--fixtures"}, {"--override"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    MatrixOptions opt;
    opt.proxies = a.all("--proxy");
    opt.clients = a.all("--client");
    opt.variants = a.all("--variant");
    Plan plan = plan_or_usage(f, opt);
    for (const auto& id : cell_ids(plan)) std::cout << id << "\n";
    return 0;
}

// The ctest names of the behaviour grids' rows (grid.<kind>.<proxy>.<row>), read by suites/grids at test time.
int cmd_list_grid_rows(const std::vector<std::string>& argv) {
    if (wants_help(argv)) return cmd_help("usage: routecheck list-grid-rows [--proxy ID]... [--fixtures DIR]...\n");
    Args a(argv, {"--proxy", "--fixtures"}, {"--override"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    MatrixOptions opt;
    opt.proxies = a.all("--proxy");
    Plan plan = plan_or_usage(f, opt);
    std::vector<const ProxyProfile*> proxies;
    for (const auto& p : plan.proxies) proxies.push_back(p.proxy);
    for (const auto& name : grid::list_rows(f, proxies)) std::cout << name << "\n";
    return 0;
}

int cmd_validate(const std::vector<std::string>& argv) {
    if (wants_help(argv)) return cmd_help("usage: routecheck validate [--fixtures DIR]... [--override]\n");
    Args a(argv, {"--fixtures"}, {"--override"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    std::size_t cases = 0;
    for (const auto& root : f.roots) cases += load_cases(root, f.clients).size();
    int problems = 0;
    for (const auto& c : f.clients)
        for (const auto& p : check_recordings(c)) {
            std::cerr << p << "\n";
            ++problems;
        }
    // Which folders were read, in layering order: in a CI log this shows an installed copy reads
    // <prefix>/share/routecheck/fixtures (and the repository's own --fixtures), never a source tree.
    for (const auto& root : f.roots) std::cout << "fixtures: " << root.string() << "\n";
    std::cout << f.clients.size() << " client profiles, " << f.variants.size() << " variants, " << f.proxies.size()
              << " proxy profiles, " << f.expected.size() << " expected tables, " << f.observed.size()
              << " observed probe tables, " << cases << " corpus cases: "
              << (problems ? std::to_string(problems) + " recordings not reproduced" : std::string("all valid"))
              << "\n";
    return problems ? 2 : 0;
}

std::string today_utc() {
    std::time_t t = std::time(nullptr);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
    return buf;
}

int dispatch(const std::string& command, const std::vector<std::string>& args) {
    if (command == "matrix") return cmd_matrix(args);
    if (command == "paths") return cmd_paths(args);
    if (command == "list-cells") return cmd_list_cells(args);
    if (command == "list-grid-rows") return cmd_list_grid_rows(args);
    if (command == "validate") return cmd_validate(args);
    if (command == "doctor") return cmd_doctor(args);
    if (command == "probe") return cmd_probe(args);
    if (command == "diff") return cmd_diff(args);
    throw UsageError("unknown command '" + command +
                     "' (matrix, diff, paths, doctor, probe, list-cells, list-grid-rows, validate)");
}

}  // namespace routecheck::cli
