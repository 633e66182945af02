// `routecheck matrix`: plan, run, write the report, and answer in the terminal (a line per proxy, a line per cell
// that fails the run, what changed since the last run). The exit code follows --fail-on.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/expectations.hpp"
#include "cli/locate.hpp"
#include "launch/process.hpp"
#include "launch/tempdir.hpp"
#include "model/json_access.hpp"
#include "model/verdict_class.hpp"
#include "run/matrix_run.hpp"
#include "text/secrets.hpp"
#include "text/words.hpp"

namespace routecheck::cli {

namespace fs = std::filesystem;

namespace {

// Held for a whole matrix run: a second run writing into the same --out would mix two reports and share one
// run/ folder of logs and temp dirs. flock(2), so the kernel releases it however the holder ends (SIGKILL too).
// The file is removed when the run ends (and by the signal handler): a holder unlinks it before it lets go, and a
// run that locked a file which is no longer the one at the path (unlinked meanwhile) tries again, so two runs can
// never each hold a lock on a different file of the same name.
class OutDirLock {
public:
    explicit OutDirLock(const fs::path& dir) : file_(dir / ".routecheck.lock") {
        std::error_code ec;
        fs::create_directories(dir, ec);
        for (int attempt = 0; attempt < 20 && fd_ < 0; ++attempt) acquire(dir);
        if (fd_ < 0) throw UsageError("--out " + dir.string() + ": could not take " + file_.string());
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
            // Only the message a second run prints would lack the pid: the lock itself holds.
        }
        launch::set_interrupt_unlink(file_.string());
    }
    ~OutDirLock() {
        launch::set_interrupt_unlink("");
        ::unlink(file_.c_str());  // while still held: a run waiting on this file sees it gone and starts afresh
        ::close(fd_);
    }
    OutDirLock(const OutDirLock&) = delete;
    OutDirLock& operator=(const OutDirLock&) = delete;

private:
    void acquire(const fs::path& dir) {
        int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            throw UsageError("cannot use --out " + dir.string() + ": " + file_.string() + ": " + std::strerror(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            char buf[32] = {};
            ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
            std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
            while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
            ::close(fd);
            throw UsageError("--out " + dir.string() + " is in use by another routecheck run" +
                             (holder.empty() ? "" : " (pid " + holder + ")") +
                             ": wait for it to end or choose another --out");
        }
        struct stat held {
        }, named{};
        if (::fstat(fd, &held) == 0 && ::stat(file_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev) {
            fd_ = fd;
            return;
        }
        ::close(fd);  // the previous holder removed it between our open and our lock: take the new one
    }

    fs::path file_;
    int fd_ = -1;
};

// Which cells make the exit code 1: by default the ones not as expected; --fail-on CLASS,... names verdict classes
// (and NOT_AS_EXPECTED) instead.
struct FailPolicy {
    bool not_as_expected = true;
    std::set<std::string> classes;
    std::string text = "not as expected";  // for the terminal
};

constexpr const char* kNotAsExpected = "NOT_AS_EXPECTED";

FailPolicy parse_fail_on(const std::vector<std::string>& values) {
    FailPolicy p;
    if (values.empty()) return p;
    p.not_as_expected = false;
    p.text.clear();
    for (const auto& value : values) {
        std::size_t start = 0;
        while (start <= value.size()) {
            std::size_t comma = value.find(',', start);
            std::string name = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            start = comma == std::string::npos ? value.size() + 1 : comma + 1;
            name.erase(0, name.find_first_not_of(' '));
            name.erase(name.find_last_not_of(' ') + 1);
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return c == '-' ? '_' : static_cast<char>(std::toupper(c)); });
            if (name.empty()) continue;
            if (name == kNotAsExpected) p.not_as_expected = true;
            else {
                try {
                    diagnosis_from_string(name);
                } catch (const std::invalid_argument&) {
                    std::string known;
                    for (const auto& k : verdict_class_names()) known += " " + k;
                    throw UsageError("--fail-on: unknown verdict class '" + name + "' (known:" + known + " " +
                                     kNotAsExpected + ")");
                }
                p.classes.insert(name);
            }
            p.text += (p.text.empty() ? "" : ", ") + name;
        }
    }
    if (!p.not_as_expected && p.classes.empty()) throw UsageError("--fail-on needs at least one verdict class");
    return p;
}

bool fails_run(const CellResult& c, const FailPolicy& p) {
    if (p.not_as_expected && (c.verdict == CellVerdict::Fail || c.verdict == CellVerdict::NoExpectation)) return true;
    return p.classes.count(to_string(c.diagnosis)) > 0;
}

// How a proxy's error reads: a deadline or a stall that cut its replay short left cells "not run: ..." (the proxy
// did run); any other error means the proxy could not run (or exited).
std::string run_problem(const MatrixReport& report, const ProxyRunInfo& p) {
    const bool cut = std::any_of(report.cells.begin(), report.cells.end(), [&](const CellResult& c) {
        return c.cell.proxy == p.id && c.cell.error.rfind("not run: ", 0) == 0;
    });
    return cut ? "the run stopped early (cells not run count as not working)" : "the proxy could not run";
}

// What a user reads after the run: a line per proxy, a line per cell that fails the run, what changed.
void print_answer(std::ostream& out, const MatrixReport& report, const FailPolicy& policy, const fs::path& dir) {
    for (const auto& p : report.proxies) {
        const ProxyTally t = proxy_tally(report, p.id);
        out << p.id << (p.version.empty() ? "" : " " + p.version) << " ("
            << (p.known.how.empty() ? p.provenance : p.known.how) << "): " << plural(t.cells, "cell", "cells") << ", "
            << t.working << " working, " << t.as_expected << " as expected, " << t.unexpected << " not as expected"
            << (t.predicted ? ", " + std::to_string(t.predicted) + " predicted (not run)" : std::string())
            << (t.skipped ? ", " + std::to_string(t.skipped) + " skipped" : std::string()) << "; " << t.clients_working
            << " of " << plural(t.clients, "client works", "clients work") << " at some Base URL"
            << (p.error.empty() ? "" : "; " + run_problem(report, p) + ": " + one_line(p.error, 160)) << "\n";
    }
    std::vector<const CellResult*> failing;
    for (const auto& c : report.cells)
        if (fails_run(c, policy)) failing.push_back(&c);
    if (!failing.empty()) {
        out << failing.size() << (failing.size() == 1 ? " cell fails" : " cells fail") << " the run (" << policy.text
            << "):\n";
        // The cells of a proxy that could not run are one line: they all share its reason.
        std::set<std::string> not_run;
        for (const auto& p : report.proxies) {
            if (p.error.empty()) continue;
            const auto n = std::count_if(failing.begin(), failing.end(),
                                         [&](const CellResult* c) { return c->cell.proxy == p.id; });
            if (n == 0) continue;
            not_run.insert(p.id);
            out << "  " << p.id << ".*  " << plural(static_cast<std::size_t>(n), "cell", "cells") << ": "
                << run_problem(report, p) << ": " << one_line(p.error, 160)
                << " (its log: " << (p.log.empty() ? "none kept" : (dir / p.log).string()) << ")\n";
        }
        for (const auto* c : failing) {
            if (not_run.count(c->cell.proxy)) continue;
            out << "  " << c->cell.id() << "  " << to_string(c->diagnosis);
            if (c->verdict == CellVerdict::Fail) out << " (not as expected)";
            if (c->verdict == CellVerdict::NoExpectation) out << " (no expected row)";
            // A launched proxy's port was this run's own: the fix names {port} (the files keep the run's Base URL).
            out << "  "
                << (c->judgment.fix.empty()
                        ? "fix: none needed at this Base URL"
                        : "fix: " + with_port_placeholder(report, c->cell.proxy, one_line(c->judgment.fix, 240)))
                << "\n";
        }
    }
    if (report.since_previous) {
        const auto& d = *report.since_previous;
        out << "changed since the last run (" << d.before_label << "): " << d.changed.size()
            << (d.changed.size() == 1 ? " cell changed, " : " cells changed, ") << d.unchanged_total() << " unchanged";
        out << (d.any_change() ? "; see " + (dir / "index.html").string() + "#changed" : std::string()) << "\n";
    } else if (!report.previous_note.empty()) {
        out << "changed since the last run: " << report.previous_note << "\n";
    }
    if (!report.logs.empty()) out << "logs of this run: " << (dir / report.logs).string() << "/\n";
}

// Signals are held while the report's files are swapped into place, so an interrupt leaves either no new report
// or a whole one; the handler runs (and says which) as soon as they are let through.
class HoldSignals {
public:
    HoldSignals() {
        sigset_t s;
        sigemptyset(&s);
        for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&s, sig);
        ::pthread_sigmask(SIG_BLOCK, &s, &old_);
    }
    ~HoldSignals() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
    HoldSignals(const HoldSignals&) = delete;
    HoldSignals& operator=(const HoldSignals&) = delete;

private:
    sigset_t old_{};
};

// What an earlier report says of each launched proxy that ran there without an error, for MatrixOptions: its expected
// work in this run (its start, its replay time per cell there times its cells here, and its grid time when this run
// has grids; left out when it ran no cell) and its CPU time (left out when the report predates cpu_ms). A proxy the
// earlier report did not run is in neither: unknown.
void read_expected_work(const nlohmann::json& before, const Plan& plan, MatrixOptions& opt) {
    if (!before.is_object() || !before.contains("proxies") || !before["proxies"].is_array()) return;
    std::map<std::string, std::size_t> cells_before;
    if (before.contains("cells") && before["cells"].is_array())
        for (const auto& c : before["cells"])
            if (c.is_object() && c.contains("proxy") && c["proxy"].is_string())
                ++cells_before[c["proxy"].get<std::string>()];
    const double cells_now = static_cast<double>(plan.clients.size() * plan.variants.size());
    for (const auto& p : before["proxies"]) {
        if (!p.is_object() || p.value("provenance", "") != "launched" || !p.value("error", "").empty()) continue;
        const std::string id = p.value("id", "");
        if (p.contains("cpu_ms") && p["cpu_ms"].is_number() && p["cpu_ms"].get<double>() > 0)
            opt.expected_cpu_ms[id] = p["cpu_ms"].get<double>();
        const auto n = cells_before.find(id);
        if (n == cells_before.end() || n->second == 0) continue;
        const double ready = p.value("ready_ms", 0.0), replay = p.value("replay_ms", 0.0),
                     grid = p.value("grids_ms", 0.0);
        opt.expected_busy_ms[id] =
            ready + replay / static_cast<double>(n->second) * cells_now + (opt.grids ? grid : 0.0);
    }
}

const char* kMatrixHelp = R"(usage: routecheck matrix [flags]
Starts a mock upstream and each launched proxy once, replays every client profile at every Base URL variant,
judges each cell against the expected tables and writes DIR/{index.html,summary.md,matrix.json,junit.xml,
grids.json,badges/<proxy>.svg}, this run's logs in DIR/run/ (replacing the previous run's) and the previous run's
matrix.json as DIR/previous/matrix.json. Then prints a line per proxy, a line per cell that fails the run, and
what changed since the last run.

  --out DIR                 report folder (default: routecheck-report)
  --proxy ID, --client ID, --variant ID   select (repeatable; default: all)
  --grids                   run the behaviour grids (auth, health, streaming) of the selected proxies: the default
                            without --proxy/--client/--variant; a filtered run runs none unless asked
  --no-grids                skip the behaviour grids
  --fail-on CLASS,...       the verdict classes (OK, DUPLICATE_PREFIX, ..., and NOT_AS_EXPECTED) whose cells make
                            the exit code 1 (repeatable; default: NOT_AS_EXPECTED, a cell not as expected or
                            without an expected row)
  --previous FILE           compare with this matrix.json instead of DIR's previous one
  --attach ID=URL           run against a proxy that is already running (no mock upstream, no launch)
  --api-key K               the running proxy's key (attach mode; without it no key is sent)
  --key-setting NAME        attach mode: send the key the way this client setting does (e.g.
                            ANTHROPIC_AUTH_TOKEN, or a header name); default: each client's first
  --allow-quota             also send steps that reach the proxy's upstream model, in attach mode and for a
                            launched proxy whose profile says "upstream": {"redirect": false}
  --update-expectations     rewrite fixtures/expected/<proxy>.json from this run (review the diff)
  --keep-artifacts          keep the temp HOMEs (in DIR/run/ until the next run)
  --jobs N                  cells replayed at once per proxy (default 2)
  --proxies-at-once N       launched proxies replaying at once (default: all); all start at once; the longest
                            work in the previous report goes first, and a slot is kept for it while it starts
  --equal-priority          every launched proxy at the harness's priority. By default, from the second run in
                            an --out folder on, the proxies that took the most CPU time in its previous report
                            (as many as the machine has cores) keep it, and the others, with the harness
                            threads that serve them, run at nice 10 (matrix.json: each proxy's cpu_ms, nice)
  --deadline SECONDS        the whole run ends by then: cells and grid rows not run say so, the report is
                            marked incomplete (exit 1); default 120 + 0.5 per cell of one proxy + 30
                            with grids
  --request-timeout SECONDS a step's whole answer (default 15); 3 steps in a row without an answer in time
                            mean the proxy stopped answering: its remaining cells are not run
  --progress                print cells done / total per proxy while the run goes (default: when stderr is a
                            terminal, one line rewritten in place)
  --no-fail                 exit 0 when the run completes even if cells fail it
  --fixtures DIR, --override
If $GITHUB_STEP_SUMMARY is set, summary.md is appended to it (cut to the 1 MiB a step summary may hold).
Exit codes: 0 no cell fails the run; 1 a cell fails it (see --fail-on), a proxy could not run, or the report could
not be written; 2 usage or fixture error, or an --out folder another run is writing to (nothing was run).
An interrupted run (SIGINT, SIGTERM, SIGHUP) stops its proxies and says whether a report was written.
)";

}  // namespace

int cmd_matrix(const std::vector<std::string>& argv) {
    if (wants_help(argv)) return cmd_help(kMatrixHelp);
    Args a(argv,
           {"--out", "--proxy", "--client", "--variant", "--attach", "--api-key", "--key-setting", "--jobs",
            "--proxies-at-once", "--deadline", "--request-timeout", "--fixtures", "--fail-on", "--previous"},
           {"--allow-quota", "--update-expectations", "--keep-artifacts", "--no-fail", "--no-grids", "--grids",
            "--override", "--progress", "--equal-priority"});
    if (a.has("--grids") && a.has("--no-grids")) throw UsageError("--grids and --no-grids contradict each other");
    if (a.has("--no-fail") && a.has("--fail-on")) throw UsageError("--no-fail and --fail-on contradict each other");
    const FailPolicy policy = parse_fail_on(a.all("--fail-on"));
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
    // A filtered run is a quick look at some cells: the grids (per proxy, hundreds of rows) only when asked.
    const bool filtered = !opt.proxies.empty() || !opt.clients.empty() || !opt.variants.empty();
    opt.grids = a.has("--grids") || (!filtered && !a.has("--no-grids"));
    opt.jobs = a.integer_or("--jobs", 2, 1, 64);
    opt.proxies_at_once = a.integer_or("--proxies-at-once", 0, 1, 256);
    opt.favour_longest = !a.has("--equal-priority");
    opt.deadline = std::chrono::seconds(a.integer_or("--deadline", 0, 1, 7 * 24 * 3600));
    opt.request_timeout_ms = 1000L * a.integer_or("--request-timeout", 15, 1, 3600);
    opt.progress_in_place = ::isatty(STDERR_FILENO) == 1;
    opt.progress = a.has("--progress") || opt.progress_in_place;
    opt.preload = preload_script();
    fs::path out = a.one_or("--out", "routecheck-report");
    opt.run_dir = out / "run";
    Plan plan = plan_or_usage(f, opt);
    // A missing process guardian fails every launch the same way: say it once, before anything runs.
    const bool launches = std::any_of(plan.proxies.begin(), plan.proxies.end(), [](const auto& pp) {
        return pp.attach_url.empty() && pp.proxy->provenance == "launched";
    });
    if (launches) {
        try {
            launch::require_guardian();
        } catch (const launch::LaunchError& e) {
            std::cerr << "routecheck matrix: cannot launch proxies: " << e.what() << "\nroutecheck: nothing was run\n";
            return 2;
        }
    }
    // The run to compare with: --previous, or the matrix.json this folder holds from its last run. A --previous
    // that cannot be read is a usage error before anything runs; an unreadable report in the folder only a note.
    std::vector<CellOutcome> previous;
    std::string previous_label, previous_note;
    auto read_previous = [&](const fs::path& file) {
        nlohmann::json doc;
        previous = read_matrix_outcomes(file.string(), &doc);
        // The order in which proxies take the slots (--proxies-at-once), and which keep their priority.
        read_expected_work(doc, plan, opt);
        previous_label = "run of " + doc.value("started_at", std::string("unknown time"));
    };
    if (a.has("--previous")) {
        try {
            read_previous(a.one("--previous"));
        } catch (const FixtureError& e) {
            throw UsageError(std::string("--previous: ") + e.what());
        }
    }
    OutDirLock lock(out);
    std::error_code exists_ec;
    const std::string kept =
        fs::exists(out / "matrix.json", exists_ec) ? " (the previous report there is left as it was)" : "";
    const std::string no_report = "routecheck: interrupted: no report was written to " + out.string() + kept;
    launch::set_interrupt_message(no_report);
    if (!a.has("--previous")) {
        std::error_code ec;
        if (fs::exists(out / "matrix.json", ec)) {
            try {
                read_previous(out / "matrix.json");
            } catch (const FixtureError& e) {
                previous_note = std::string("the previous report could not be read: ") + e.what();
            }
        } else {
            previous_note = "no earlier run in " + out.string();
        }
    }
    if (int left = launch::clear_run_dir(opt.run_dir))
        std::cerr << "routecheck: warning: " << left << " entries of the previous run's " << opt.run_dir.string()
                  << " could not be removed\n";
    std::cerr << "routecheck: " << plural(plan.proxies.size(), "proxy", "proxies") << " x "
              << plural(plan.clients.size(), "client", "clients") << " x "
              << plural(plan.variants.size(), "variant", "variants") << " = "
              << plural(plan.cell_count(), "cell", "cells") << (opt.grids ? "" : ", no behaviour grids")
              << "; deadline " << (opt.deadline.count() > 0 ? opt.deadline : default_deadline(plan, opt.grids)).count()
              << " s\n";
    MatrixReport report = run_matrix(f, plan, opt, std::cerr);
    report.logs = opt.run_dir.filename().string();
    if (!previous_label.empty()) {
        report.since_previous = compare_cells(previous, outcomes_of(report.cells));
        report.since_previous->before_label = previous_label;
        report.since_previous->after_label = "this run";
    }
    report.previous_note = previous_note;
    try {
        HoldSignals hold;
        write_report(report, out);
        launch::set_interrupt_message("routecheck: interrupted after the report was written whole to " + out.string());
    } catch (const ReportWriteError& e) {
        // Not a usage error (exit 2 means nothing ran): the run happened, its report could not be kept.
        std::cerr << "routecheck: error: " << redact_known(e.what()) << "\nroutecheck: no report was written to "
                  << out.string() << kept << "\n";
        return 1;
    }
    if (const char* gh = std::getenv("GITHUB_STEP_SUMMARY"); gh && *gh) {
        // The file may already hold earlier steps' summaries: what is left of the limit is this run's room.
        std::error_code ec;
        const auto used = fs::exists(gh, ec) ? fs::file_size(gh, ec) : 0;
        const std::size_t room = ec || used >= kStepSummaryLimit ? 0 : kStepSummaryLimit - used;
        std::ofstream summary(gh, std::ios::app);
        summary << fit_step_summary(redact_known(summary_markdown(report)), room);
    }
    Counts c = count_cells(report.cells);
    std::cerr << "routecheck: " << plural(report.cells.size(), "cell", "cells") << ": " << c.pass << " as expected, "
              << c.fail << " not as expected, " << c.no_expectation << " without expectation, " << c.skipped
              << " skipped, " << c.prediction << " predicted; report in " << out.string() << " (open "
              << (out / "index.html").string() << ")\n";
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
    std::ostringstream answer;
    print_answer(answer, report, policy, out);
    std::cout << redact_known(answer.str()) << std::flush;
    if (a.has("--update-expectations")) {
        for (const auto& file : update_expectations(f, report)) std::cerr << "routecheck: wrote " << file << "\n";
        return report.errors.empty() ? 0 : 1;
    }
    if (!report.errors.empty()) return 1;
    if (a.has("--no-fail")) return 0;
    return std::any_of(report.cells.begin(), report.cells.end(),
                       [&](const CellResult& x) { return fails_run(x, policy); })
               ? 1
               : 0;
}

}  // namespace routecheck::cli
