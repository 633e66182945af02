#include "run/matrix_run.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "contract/predict.hpp"
#include "grid/grid.hpp"
#include "http/client.hpp"
#include "join/join.hpp"
#include "judge/judge.hpp"
#include "launch/ports.hpp"
#include "launch/proxy.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "model/version.hpp"
#include "replay/replay_cells.hpp"
#include "run/busy_slots.hpp"
#include "run/progress.hpp"
#include "run/provenance.hpp"
#include "text/secrets.hpp"

namespace routecheck {

namespace fs = std::filesystem;

namespace {

template <typename T>
std::vector<const T*> select(const std::vector<T>& all, const std::vector<std::string>& ids, const char* what) {
    std::vector<const T*> out;
    if (ids.empty()) {
        for (const auto& x : all) out.push_back(&x);
        return out;
    }
    for (const auto& id : ids) {
        auto it = std::find_if(all.begin(), all.end(), [&](const T& x) { return x.id == id; });
        if (it == all.end()) {
            std::string known;
            for (const auto& x : all) known += " " + x.id;
            throw PlanError(std::string("unknown ") + what + " '" + id + "' (known:" + known + ")");
        }
        out.push_back(&*it);
    }
    return out;
}

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// CPU time of this process (user + system), children excluded: the harness's own cost.
double self_cpu_ms() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
}

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

// Why a recommended Base URL did not work when replayed: its first step that was not OK.
std::string refutation(const CellResult& c) {
    if (!c.cell.error.empty()) return c.cell.error;
    for (const auto& s : c.steps)
        if (s.finding.diagnosis != Diagnosis::Ok) return s.observed.step + ": " + s.finding.reason;
    return "";
}

std::vector<PlannedCell> cells_for(const Plan& plan) {
    std::vector<PlannedCell> out;
    for (const auto* c : plan.clients)
        for (const auto* v : plan.variants) out.push_back({c, v});
    return out;
}

// Groups the journal by correlation id: "cell/step" -> upstream request lines in arrival order.
std::map<std::string, std::vector<std::string>> attribute(const std::vector<mock::JournalEntry>& journal) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& e : journal)
        if (!e.correlation.empty()) out[e.correlation].push_back(e.method + " " + e.target);
    return out;
}

// The keys this run sends besides the proxies' own (replay_cells.cpp's placeholder, the grids' wrong key).
const std::vector<std::string> kRunKeys = {"rc-placeholder-key", "rc-wrong-key"};

ProxyRunInfo proxy_info(const std::string& id, const std::string& name, const std::string& provenance,
                        const std::string& version) {
    ProxyRunInfo info;
    info.id = id;
    info.name = name;
    info.provenance = provenance;
    info.version = version;
    return info;
}

// Every cell of a proxy that could not be run carries the reason, so none is silently missing from the report.
std::vector<CellObservation> failed_cells(const Plan& plan, const ProxyProfile& proxy, const std::string& why) {
    std::vector<CellObservation> out;
    for (const auto& pc : cells_for(plan)) {
        CellObservation c;
        c.proxy = proxy.id;
        c.client = pc.client->id;
        c.variant = pc.variant->id;
        c.base_url = pc.variant->base_url;
        c.error = why;
        out.push_back(std::move(c));
    }
    return out;
}

struct ProxyOutcome {
    ProxyRunInfo info;
    std::vector<CellObservation> cells;
    nlohmann::json grids;  // this proxy's entry of grids.json (null: grids not run)
};

// What one proxy's part of the run shares with the rest: options, the deadline, progress.
struct RunContext {
    const MatrixOptions& opt;
    const Deadline& deadline;
    Progress& progress;
    int closed_port;
};

// The replay settings every target of a run shares: the request timeout, the stall rule, the deadline, progress.
void apply_run_limits(ReplayTarget& t, const RunContext& run, std::size_t progress_index) {
    t.jobs = run.opt.jobs;
    t.timeout_ms = run.opt.request_timeout_ms;
    t.stall_after = run.opt.stall_after;
    t.deadline = run.deadline;
    t.on_cell_done = [&progress = run.progress, progress_index] { progress.cell_done(progress_index); };
}

// Why a proxy's run is incomplete when its replay stopped early: the reason and how many cells it left out.
std::string stopped_error(const std::string& why, const std::vector<CellObservation>& cells) {
    std::size_t not_run = 0;
    for (const auto& c : cells) not_run += c.error.rfind("not run: ", 0) == 0 ? 1 : 0;
    return why + ": " + std::to_string(not_run) + " of " + std::to_string(cells.size()) + " cells not run";
}

// The grid rows the deadline cut (verdict NOT_RUN), for the proxy's error.
std::size_t rows_not_run(const nlohmann::json& grids) {
    std::size_t n = 0;
    if (grids.is_object() && grids.contains("rows"))
        for (const auto& r : grids["rows"]) n += r.value("verdict", "") == "NOT_RUN" ? 1 : 0;
    return n;
}

ProxyOutcome run_launched(const Fixtures& f, const Plan& plan, const ProxyProfile& proxy, const RunContext& run,
                          std::size_t progress_index, BusySlots::Ticket& ticket, int nice) {
    const MatrixOptions& opt = run.opt;
    // However this ends (a start that failed too), the proxy's slot or place in line is given back.
    struct GiveBack {
        BusySlots::Ticket& t;
        ~GiveBack() { t.done(); }
    } give_back{ticket};
    ProxyOutcome out;
    out.info = proxy_info(proxy.id, proxy.name, "launched", proxy.package ? proxy.package->version : proxy.npm_version);
    out.info.package = proxy.package ? proxy.package->name : proxy.npm_package;
    auto say = [&](const std::string& s) { run.progress.say("[" + proxy.id + "] " + redact_known(s)); };
    try {
        if (run.deadline.passed()) throw std::runtime_error(run.deadline.what);
        // npm.dir is relative to the folder that holds the profile's fixtures folder (the repo, or share/routecheck
        // of an installed routecheck); absolute so a relative --fixtures folder works from any cwd.
        const fs::path install_root =
            fs::absolute(proxy.file).lexically_normal().parent_path().parent_path().parent_path();
        if (!proxy.npm_dir.empty() && !fs::exists(install_root / proxy.npm_dir / "node_modules")) {
            // The installed copy ships only the lockfile folders; say how to fill this one (scripts/setup is not
            // there). launch/ checks the pinned version once node_modules exists.
            throw std::runtime_error(
                "npm packages of proxy '" + proxy.id + "' are not installed in " +
                (install_root / proxy.npm_dir).string() + ": run `npm ci --ignore-scripts` in " +
                "that folder (scripts/setup in a source tree), or select other proxies with --proxy");
        }
        // A proxy off the critical path: this thread (and so the mock's workers, the replay and grid threads it
        // starts, which inherit it) and the proxy's processes run at a lower priority. Linux keeps a nice value per
        // thread, and only this proxy's threads start from here.
        if (nice > 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice);
        out.info.nice = nice;
        mock::Options mo;
        mo.protocols = proxy.upstream_protocols;
        mock::MockUpstream upstream(mo);
        upstream.start();
        launch::ProxySettings settings;
        settings.upstream_url = upstream.url();
        settings.preload = opt.preload;
        settings.run_dir = opt.run_dir;
        settings.keep_artifacts = opt.keep_artifacts;
        // The other keys this run sends (replay_cells.cpp's placeholder, the grids' wrong key): a proxy that
        // logs what it is sent must not carry them into the kept log (its own auth.key is always redacted).
        settings.redact = kRunKeys;
        settings.install_root = install_root;
        settings.nice = nice;
        // The readiness wait is cut by the run's deadline too.
        if (proxy.launch)
            settings.ready_deadline = std::chrono::milliseconds(run.deadline.clamp_ms(proxy.launch->ready_timeout_ms));
        // Known before the proxy starts, so no message about a failed start can carry them either.
        remember_secrets(launch::profile_secrets(proxy, {{"upstream", upstream.url()}}));
        launch::ProxyInstance instance(proxy, settings);
        remember_secrets(instance.secrets());
        // The report links the log, relative to its folder (run_dir is <out>/run).
        if (!opt.run_dir.empty()) out.info.log = (opt.run_dir.filename() / instance.log_path().filename()).string();
        out.info.port = instance.port();
        out.info.ready_ms = static_cast<double>(instance.ready_ms().count());
        say("ready on 127.0.0.1:" + std::to_string(instance.port()) + " in " +
            std::to_string(instance.ready_ms().count()) + " ms; upstream mock at " + upstream.url());
        ReplayTarget target;
        target.proxy = &proxy;
        target.port = instance.port();
        target.closed_port = run.closed_port;
        target.api_key = proxy.api_key;
        apply_run_limits(target, run, progress_index);
        target.vars = instance.vars();
        // A proxy whose upstream calls cannot reach the mock would spend the real upstream's quota (or fail on
        // it): only the quota-safe subset is replayed, as in attach mode.
        if (!proxy.upstream_redirect && !opt.allow_quota) {
            target.quota_safe = true;
            target.quota_skip_reason =
                "would reach the proxy's real upstream: its profile says upstream.redirect false (sent only with "
                "--allow-quota)";
        }
        // The cells and the grids hold one of the run's replay slots; a deadline that passes while waiting for one
        // leaves the cells "not run" (the replay starts nothing after it).
        auto wait_start = std::chrono::steady_clock::now();
        run.progress.phase(progress_index, "waiting");
        ticket.wait(run.deadline);
        out.info.slot_wait_ms = ms_since(wait_start);
        auto replay_start = std::chrono::steady_clock::now();
        run.progress.phase(progress_index, "cells");
        // The grids use the same proxy and mock (the proxy starts once per run). Their undisturbed rows (phase 0)
        // run beside the cells; the rows whose faults a proxy may remember run after them, so those faults can
        // never reach a cell. Without redirection the mock sees nothing and its faults cannot reach the proxy: the
        // grids then run as attach mode does (no mock).
        std::optional<grid::ProxyGridRun> grids;
        if (opt.grids) {
            grids.emplace(f, proxy, instance.port(), proxy.upstream_redirect ? &upstream : nullptr, target.vars,
                          run.deadline);
            grids->start_undisturbed();
        }
        std::string stopped;
        out.cells = replay_cells(target, cells_for(plan), &stopped);
        out.info.replay_ms = ms_since(replay_start);
        {
            // Said before the grids' line: the rows of phases 1 and 2 run after the cells.
            const auto not_run = std::count_if(out.cells.begin(), out.cells.end(), [](const CellObservation& c) {
                return c.error.rfind("not run: ", 0) == 0;
            });
            say("replayed " + std::to_string(out.cells.size() - static_cast<std::size_t>(not_run)) + " of " +
                std::to_string(out.cells.size()) + " cells");
        }
        if (!stopped.empty()) {
            out.info.error = stopped_error(stopped, out.cells);
            say(out.info.error);
        }
        for (const auto& cell : out.cells)
            for (const auto& s : cell.steps) {
                out.info.request_ms_sum += s.ms;
                out.info.requests += s.skipped ? 0 : 1;
            }
        auto by_step = attribute(upstream.journal());
        for (auto& cell : out.cells)
            for (auto& s : cell.steps) {
                auto it = by_step.find(cell.id() + "/" + s.step);
                if (it != by_step.end()) s.upstream = it->second;
            }
        if (opt.grids && !stopped.empty()) {
            // A proxy that stopped answering would hold every later row for its whole timeout.
            grids.reset();
            out.grids = grid::failed_proxy_grids(proxy, "not run: " + stopped);
        } else if (opt.grids) {
            // From the end of the cells: the waiting for the phase-0 rows still running, then the other phases.
            auto grid_start = std::chrono::steady_clock::now();
            run.progress.phase(progress_index, "grids");
            out.grids = grids->finish();
            out.info.grids_ms = ms_since(grid_start);
            if (const std::size_t cut = rows_not_run(out.grids); cut > 0 && out.info.error.empty())
                out.info.error = run.deadline.what + ": " + std::to_string(cut) + " grid rows not run";
            say("grids: " + std::to_string(out.grids["rows"].size()) + " rows in " +
                std::to_string(static_cast<long>(out.info.grids_ms)) + " ms");
        }
        ticket.done();
        // A request the proxy dropped (reset, empty reply, refused at its own port) may mean it just died: give
        // the exit a moment to show, so a crash is never reported as a complete run.
        bool dropped = false;
        const std::string closed_origin = ":" + std::to_string(run.closed_port);
        for (const auto& cell : out.cells)
            for (const auto& s : cell.steps)
                if (s.status == 0 && !s.skipped &&
                    !(s.error == TransportError::Refused && cell.base_url.find(closed_origin) != std::string::npos))
                    dropped = true;
        if (!instance.alive() || (dropped && instance.exits_within(std::chrono::milliseconds(500)))) {
            std::string why = "the proxy exited during the run: " + instance.exit_description();
            out.info.error = why;
            out.info.log_tail = instance.log_tail();
            for (auto& cell : out.cells) cell.error = why;
            if (opt.grids) out.grids = grid::failed_proxy_grids(proxy, why);
        }
        run.progress.phase(progress_index, "done");
        out.info.cpu_ms = instance.cpu_ms();
        auto stop_start = std::chrono::steady_clock::now();
        instance.stop();
        upstream.stop();
        out.info.stop_ms = ms_since(stop_start);
    } catch (const std::exception& e) {
        out.info.error = e.what();
        std::error_code ec;
        if (!opt.run_dir.empty() && fs::exists(opt.run_dir / (proxy.id + ".log"), ec))
            out.info.log = (opt.run_dir.filename() / (proxy.id + ".log")).string();
        // An interrupt ends every launch: a start it cut short is not the proxy's failure, and the handler says
        // what became of the run.
        if (!launch::interrupted()) say(std::string("could not run: ") + e.what());
        if (opt.grids) out.grids = grid::failed_proxy_grids(proxy, "proxy could not be run: " + std::string(e.what()));
        // A start the run's deadline cut short is "not run", as the cells it kept from running.
        out.cells = failed_cells(plan, proxy,
                                 run.deadline.passed() ? "not run: " + run.deadline.what + " (" + e.what() + ")"
                                                       : "proxy could not be run: " + std::string(e.what()));
        run.progress.phase(progress_index, "done");
    }
    return out;
}

ProxyOutcome run_attached(const Fixtures& f, const Plan& plan, const ProxyProfile& proxy, const std::string& url,
                          const RunContext& run, std::size_t progress_index) {
    const MatrixOptions& opt = run.opt;
    ProxyOutcome out;
    out.info = proxy_info(proxy.id, proxy.name, "attached", "");
    remember_secret(opt.api_key);
    remember_secrets(launch::profile_secrets(proxy, {}, opt.api_key));
    BaseUrl b = parse_base_url(url);  // plan_matrix checked it: http, loopback
    out.info.port = b.port;
    // Nothing listening, or a server that does not speak HTTP, is a proxy that could not run (exit 1, report
    // marked incomplete), not 140 cells of NOT_LISTENING that look like a finished run. Short timeouts: a
    // socket that accepts and never answers must not hold the run for the replay's 15 s per request.
    {
        http_global_init();
        HttpClient http;
        HttpRequest probe;
        probe.method = "GET";
        probe.url = b.scheme + "://" + b.host + ":" + std::to_string(b.port) +
                    (proxy.health_path.empty() ? std::string("/") : proxy.health_path);
        probe.timeout_ms = 3000;
        probe.connect_timeout_ms = 1500;
        HttpResponse r = http.send(probe);
        // A health answer that names the running version ({"version": "4.5.8"}) is what the report shows.
        const auto health = nlohmann::json::parse(r.body_excerpt, nullptr, false);
        if (health.is_object() && health.contains("version") && health["version"].is_string())
            out.info.version = health["version"].get<std::string>().substr(0, 64);
        if (r.status == 0) {
            out.info.error = "--attach " + proxy.id + "=" + url + ": no HTTP answer from " + probe.url + " (" +
                             to_string(r.error) + (r.error_text.empty() ? "" : ": " + r.error_text) + ")";
            out.cells = failed_cells(plan, proxy, "proxy could not be run: " + out.info.error);
            run.progress.phase(progress_index, "done");
            return out;
        }
    }
    ReplayTarget target;
    target.proxy = &proxy;
    target.port = b.port;
    target.closed_port = run.closed_port;
    target.api_key = opt.api_key;
    target.send_key = !opt.api_key.empty();
    target.key_via = opt.key_via;
    target.quota_safe = !opt.allow_quota;
    apply_run_limits(target, run, progress_index);
    run.progress.phase(progress_index, "cells");
    std::string stopped;
    out.cells = replay_cells(target, cells_for(plan), &stopped);
    if (!stopped.empty()) {
        out.info.error = stopped_error(stopped, out.cells);
        if (opt.grids) out.grids = grid::failed_proxy_grids(proxy, "not run: " + stopped);
    } else if (opt.grids) {  // no mock here: the auth grid and the health endpoint as it is, no faults
        run.progress.phase(progress_index, "grids");
        ProxyProfile keyed = proxy;
        keyed.api_key = opt.api_key;
        out.grids = grid::run_proxy_grids(f, keyed, b.port, nullptr, {}, run.deadline);
        if (const std::size_t cut = rows_not_run(out.grids); cut > 0)
            out.info.error = run.deadline.what + ": " + std::to_string(cut) + " grid rows not run";
    }
    run.progress.phase(progress_index, "done");
    return out;
}

}  // namespace

Plan plan_matrix(const Fixtures& f, const MatrixOptions& opt) {
    Plan plan;
    std::vector<std::string> proxy_ids = opt.proxies;
    for (const auto& [id, url] : opt.attach) {
        if (!f.proxy(id)) throw PlanError("--attach names unknown proxy '" + id + "'");
        // Refused before anything starts (exit 2, no report), not halfway through the run. parse_base_url's
        // message names the URL unless it held credentials, which are never repeated.
        BaseUrl b;
        try {
            b = parse_base_url(url);
        } catch (const std::invalid_argument& e) {
            throw PlanError("--attach " + id + ": " + e.what());
        }
        if (b.scheme != "http") throw PlanError("--attach " + id + "=" + url + ": the URL must start with http://");
        if (!is_loopback(b))
            throw PlanError("--attach " + id + "=" + url +
                            ": only loopback addresses are allowed (127.0.0.1, localhost, [::1])");
    }
    for (const auto* p : select(f.proxies, proxy_ids, "proxy")) {
        std::string url;
        for (const auto& [id, u] : opt.attach)
            if (id == p->id) url = u;
        if (!opt.attach.empty() && url.empty()) continue;  // attach mode runs only the attached proxies
        plan.proxies.push_back({p, url});
    }
    plan.clients = select(f.clients, opt.clients, "client");
    plan.variants = select(f.variants, opt.variants, "variant");
    if (plan.cell_count() == 0) throw PlanError("the selection has no cell to run");
    return plan;
}

std::vector<std::string> cell_ids(const Plan& plan) {
    std::vector<std::string> out;
    for (const auto& p : plan.proxies) {
        if (p.proxy->provenance != "launched" && p.attach_url.empty()) continue;
        for (const auto* c : plan.clients)
            for (const auto* v : plan.variants) out.push_back(p.proxy->id + "." + c->id + "." + v->id);
    }
    return out;
}

std::chrono::seconds default_deadline(const Plan& plan, bool grids) {
    // The proxies run side by side: what takes time is one proxy's cells, then its grids.
    const long per_proxy = static_cast<long>(plan.clients.size() * plan.variants.size());
    return std::chrono::seconds(120 + per_proxy / 2 + (grids ? 30 : 0));
}

MatrixReport run_matrix(const Fixtures& f, const Plan& plan, const MatrixOptions& opt, std::ostream& log) {
    MatrixReport report;
    report.started_at = now_iso();
    report.routecheck_version = routecheck_version();
    for (const auto* client : plan.clients) report.clients.push_back(client_run_info(*client));
    remember_secrets(kRunKeys);
    auto t0 = std::chrono::steady_clock::now();
    double cpu0 = self_cpu_ms();
    launch::ClosedPort closed;
    std::mutex log_mutex;
    const auto limit = opt.deadline.count() > 0 ? opt.deadline : default_deadline(plan, opt.grids);
    const Deadline deadline =
        Deadline::in(limit, "the run's deadline (" + std::to_string(limit.count()) + " s) passed");
    Progress progress(log, log_mutex, opt.progress, opt.progress_in_place);
    std::vector<std::size_t> progress_index(plan.proxies.size());
    for (std::size_t i = 0; i < plan.proxies.size(); ++i)
        if (!plan.proxies[i].attach_url.empty() || plan.proxies[i].proxy->provenance == "launched")
            progress_index[i] = progress.add(plan.proxies[i].proxy->id, cells_for(plan).size());
    progress.start();
    const RunContext run{opt, deadline, progress, closed.port()};
    // Every launched proxy's place in line exists before any starts, so a long one still starting is known.
    BusySlots slots(opt.proxies_at_once > 0 ? opt.proxies_at_once : static_cast<int>(plan.proxies.size()));
    std::vector<std::unique_ptr<BusySlots::Ticket>> tickets(plan.proxies.size());
    std::vector<double> expected_cpu_ms(plan.proxies.size(), 0.0);
    auto of = [](const std::map<std::string, double>& m, const std::string& id) {
        const auto at = m.find(id);
        return at == m.end() ? 0.0 : at->second;
    };
    for (std::size_t i = 0; i < plan.proxies.size(); ++i)
        if (plan.proxies[i].attach_url.empty() && plan.proxies[i].proxy->provenance == "launched") {
            tickets[i] =
                std::make_unique<BusySlots::Ticket>(slots, of(opt.expected_busy_ms, plan.proxies[i].proxy->id));
            expected_cpu_ms[i] = of(opt.expected_cpu_ms, plan.proxies[i].proxy->id);
        }
    const std::vector<int> nice =
        opt.favour_longest ? priority_by_expected_work(
                                 expected_cpu_ms, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())))
                           : std::vector<int>(plan.proxies.size(), 0);
    std::vector<ProxyOutcome> outcomes(plan.proxies.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < plan.proxies.size(); ++i) {
        const auto& pp = plan.proxies[i];
        if (!pp.attach_url.empty()) {
            outcomes[i] = run_attached(f, plan, *pp.proxy, pp.attach_url, run, progress_index[i]);
        } else if (pp.proxy->provenance == "launched") {
            threads.emplace_back([&, i] {
                outcomes[i] =
                    run_launched(f, plan, *plan.proxies[i].proxy, run, progress_index[i], *tickets[i], nice[i]);
            });
        } else {
            outcomes[i].info = proxy_info(pp.proxy->id, pp.proxy->name, "source", pp.proxy->npm_version);
            for (const auto& pc : cells_for(plan))
                outcomes[i].cells.push_back(predict_cell(*pp.proxy, *pc.client, *pc.variant));
            if (opt.grids) outcomes[i].grids = grid::predict_proxy_grids(f, *pp.proxy);
        }
    }
    for (auto& th : threads) th.join();
    for (const auto& o : outcomes)
        if (!o.grids.is_null()) report.grids["proxies"].push_back(o.grids);
    for (std::size_t i = 0; i < plan.proxies.size(); ++i) {
        const ProxyProfile& proxy = *plan.proxies[i].proxy;
        describe_proxy(outcomes[i].info, proxy, report.started_at);
        report.proxies.push_back(outcomes[i].info);
        if (!outcomes[i].info.error.empty()) report.errors.push_back(proxy.id + ": " + outcomes[i].info.error);
        bool prediction = outcomes[i].info.provenance == "source";
        auto exp = f.expected.find(proxy.id);
        // One recommendation per client for this proxy: it names the Base URL in every fix and is confirmed by
        // the replay of its own cell.
        std::map<std::string, Recommendation> recs;
        for (const auto* client : plan.clients) recs[client->id] = recommend(*client, proxy, f);
        for (const auto& cell : outcomes[i].cells) {
            const ClientProfile& client = *f.client(cell.client);
            report.cells.push_back(judge_cell(cell, proxy, client, exp == f.expected.end() ? nullptr : &exp->second,
                                              alternatives_at(recs[cell.client], cell.base_url), prediction));
        }
        for (const auto* client : plan.clients) {
            RecommendationResult rr{recs[client->id], "table", ""};
            if (rr.rec.found && !prediction) {
                for (const auto& c : report.cells)
                    if (c.cell.proxy == proxy.id && c.cell.client == client->id && c.cell.variant == rr.rec.variant) {
                        rr.confirmed = c.works ? "replay" : "refuted";
                        rr.refuted_by = refutation(c);
                    }
            }
            report.recommendations.push_back(std::move(rr));
        }
    }
    report.complete = report.errors.empty();
    report.wall_ms = ms_since(t0);
    report.harness_cpu_ms = self_cpu_ms() - cpu0;
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    report.harness_max_rss_kb = u.ru_maxrss;
    return report;
}

}  // namespace routecheck
