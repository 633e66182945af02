#include "cli/commands.hpp"
#include "model/cases.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/locate.hpp"
#include "cli/expectations.hpp"
#include "grid/grid.hpp"
#include "join/join.hpp"
#include "model/json_access.hpp"
#include "run/matrix_run.hpp"
#include "text/secrets.hpp"

namespace routecheck::cli {

namespace fs = std::filesystem;

// Held for a whole matrix run: a second run writing into the same --out would mix two reports and share one
// run/ folder of logs and temp dirs. flock(2), so the kernel releases it however the holder ends (SIGKILL too).
class OutDirLock {
public:
    explicit OutDirLock(const fs::path& dir) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        const fs::path file = dir / ".routecheck.lock";
        fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw UsageError("cannot use --out " + dir.string() + ": " + file.string() + ": " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            char buf[32] = {};
            ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
            std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
            while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
            ::close(fd_);
            throw UsageError("--out " + dir.string() + " is in use by another routecheck run" +
                             (holder.empty() ? "" : " (pid " + holder + ")") +
                             ": wait for it to end or choose another --out");
        }
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
            // Only the message a second run prints would lack the pid: the lock itself holds.
        }
    }
    ~OutDirLock() {
        if (fd_ >= 0) ::close(fd_);  // releases the lock; the file stays (removing it would race a new holder)
    }
    OutDirLock(const OutDirLock&) = delete;
    OutDirLock& operator=(const OutDirLock&) = delete;

private:
    int fd_ = -1;
};

Fixtures load_with(const std::vector<std::string>& extra_dirs, bool allow_override) {
    std::vector<fs::path> roots = {builtin_fixtures()};
    for (const auto& d : extra_dirs) roots.emplace_back(d);
    return load_fixtures(roots, allow_override);
}

std::vector<std::string> check_recordings(const ClientProfile& client) {
    std::vector<std::string> out;
    for (const auto& rec : client.recordings) {
        if (rec.requests.empty()) continue;  // the client sent nothing there (noted in the fixture)
        std::string base = render_base_url(rec.base_url, 8045, 9);
        std::vector<std::string> want;
        for (const auto& r : rec.requests) want.push_back(r);
        std::vector<std::string> got;
        for (const auto& s : client.steps) got.push_back(request_line(client, s, base));
        for (auto& w : want) {
            auto pos = w.find("{port}");
            if (pos != std::string::npos) w.replace(pos, 6, "8045");
        }
        if (got != want) {
            std::string g, w;
            for (const auto& x : got) g += "\n      " + x;
            for (const auto& x : want) w += "\n      " + x;
            out.push_back(client.file.string() + ": variant " + rec.variant + " (" + rec.base_url +
                          "): the join rule gives" + g + "\n    but the client sent" + w);
        }
    }
    return out;
}

const ClientProfile& require_client(const Fixtures& f, const std::string& id) {
    if (const ClientProfile* c = f.client(id)) return *c;
    std::string known;
    for (const auto& x : f.clients) known += " " + x.id;
    throw UsageError("unknown client '" + id + "' (known:" + known + ")");
}

namespace {

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

}  // namespace

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
        return cmd_help("usage: routecheck list-cells [--proxy ID]... [--client ID]... [--variant ID]... [--fixtures DIR]...\n");
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
              << (problems ? std::to_string(problems) + " recordings not reproduced" : std::string("all valid")) << "\n";
    return problems ? 2 : 0;
}

int cmd_matrix(const std::vector<std::string>& argv) {
    if (wants_help(argv))
        return cmd_help(R"(usage: routecheck matrix [flags]
Starts a mock upstream and each launched proxy once, replays every client profile at every Base URL variant,
judges each cell against the expected tables and writes DIR/{matrix.json,summary.md,junit.xml,index.html}.

  --out DIR                 report folder (default: routecheck-report)
  --proxy ID, --client ID, --variant ID   select (repeatable; default: all)
  --attach ID=URL           run against a proxy that is already running (no mock upstream, no launch)
  --api-key K               the running proxy's key (attach mode; without it no key is sent)
  --key-setting NAME        attach mode: send the key the way this client setting does (e.g.
                            ANTHROPIC_AUTH_TOKEN, or a header name); default: each client's first
  --allow-quota             also send steps that reach the proxy's upstream model, in attach mode and for a
                            launched proxy whose profile says "upstream": {"redirect": false}
  --update-expectations     rewrite fixtures/expected/<proxy>.json from this run (review the diff)
  --keep-artifacts          keep the temp HOMEs and proxy logs
  --jobs N                  cells replayed at once per proxy (default 2)
  --deadline SECONDS        the whole run ends by then: cells and grid rows not run say so, the report is
                            marked incomplete (exit 1); default 120 + 0.5 per cell of one proxy + 30
                            with grids
  --request-timeout SECONDS a step's whole answer (default 15); 3 steps in a row without an answer in time
                            mean the proxy stopped answering: its remaining cells are not run
  --progress                print cells done / total per proxy while the run goes (default: when stderr is a
                            terminal, one line rewritten in place)
  --no-fail                 exit 0 when the run completes even if cells are not as expected
  --no-grids                skip the behaviour grids (auth, health, streaming; grids.json)
  --fixtures DIR, --override
If $GITHUB_STEP_SUMMARY is set, summary.md is appended to it.
Exit codes: 0 every cell as expected; 1 a cell not as expected (or without expectation), or a proxy that could
not run; 2 usage or fixture error, or an --out folder another run is writing to (nothing was run).
)");
    Args a(argv, {"--out", "--proxy", "--client", "--variant", "--attach", "--api-key", "--key-setting", "--jobs",
                  "--deadline", "--request-timeout", "--fixtures"},
           {"--allow-quota", "--update-expectations", "--keep-artifacts", "--no-fail", "--no-grids", "--override",
            "--progress"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    MatrixOptions opt;
    opt.proxies = a.all("--proxy");
    opt.clients = a.all("--client");
    opt.variants = a.all("--variant");
    for (const auto& at : a.all("--attach")) {
        auto eq = at.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--attach takes ID=URL, not '" + at + "'");
        opt.attach.emplace_back(at.substr(0, eq), at.substr(eq + 1));
    }
    opt.api_key = a.one_or("--api-key", "");
    remember_secret(opt.api_key);  // from here on, no file or message of this run shows it
    opt.key_via = a.one_or("--key-setting", "");
    opt.allow_quota = a.has("--allow-quota");
    opt.keep_artifacts = a.has("--keep-artifacts");
    opt.grids = !a.has("--no-grids");
    opt.jobs = a.integer_or("--jobs", 2, 1, 64);
    opt.deadline = std::chrono::seconds(a.integer_or("--deadline", 0, 1, 7 * 24 * 3600));
    opt.request_timeout_ms = 1000L * a.integer_or("--request-timeout", 15, 1, 3600);
    opt.progress_in_place = ::isatty(STDERR_FILENO) == 1;
    opt.progress = a.has("--progress") || opt.progress_in_place;
    opt.preload = preload_script();
    fs::path out = a.one_or("--out", "routecheck-report");
    opt.run_dir = out / "run";
    Plan plan = plan_or_usage(f, opt);
    OutDirLock lock(out);
    std::cerr << "routecheck: " << plan.proxies.size() << " proxies x " << plan.clients.size() << " clients x "
              << plan.variants.size() << " variants = " << plan.cell_count() << " cells; deadline "
              << (opt.deadline.count() > 0 ? opt.deadline : default_deadline(plan, opt.grids)).count() << " s\n";
    MatrixReport report = run_matrix(f, plan, opt, std::cerr);
    try {
        write_report(report, out);
    } catch (const ReportWriteError& e) {
        // Not a usage error (exit 2 means nothing ran): the run happened, its report could not be kept.
        std::cerr << "routecheck: error: " << redact_known(e.what()) << "\nroutecheck: no report was written to "
                  << out.string() << " (a previous report there is left as it was)\n";
        return 1;
    }
    if (const char* gh = std::getenv("GITHUB_STEP_SUMMARY"); gh && *gh) {
        std::ofstream summary(gh, std::ios::app);
        summary << redact_known(summary_markdown(report));
    }
    Counts c = count_cells(report.cells);
    std::cerr << "routecheck: " << report.cells.size() << " cells: " << c.pass << " as expected, " << c.fail
              << " not as expected, " << c.no_expectation << " without expectation, " << c.skipped << " skipped, "
              << c.prediction << " predicted; report in " << out.string() << "\n";
    for (const auto& e : report.errors) std::cerr << "routecheck: error: " << redact_known(e) << "\n";
    if (report.grids.is_object()) {
        int pass = 0, fail = 0;
        for (const auto& p : report.grids["proxies"]) {
            pass += p.value("pass", 0);
            fail += p.value("fail", 0);
        }
        std::cerr << "routecheck: behaviour grids: " << pass << " rows as expected, " << fail
                  << " not (ctest -L grids judges them; see grids.json)\n";
    }
    if (a.has("--update-expectations")) {
        for (const auto& file : update_expectations(f, report)) std::cerr << "routecheck: wrote " << file << "\n";
        return report.errors.empty() ? 0 : 1;
    }
    if (a.has("--no-fail")) return report.errors.empty() ? 0 : 1;
    return (c.fail || c.no_expectation || !report.errors.empty()) ? 1 : 0;
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
    throw UsageError("unknown command '" + command + "' (matrix, paths, doctor, probe, list-cells, list-grid-rows, validate)");
}

}  // namespace routecheck::cli
