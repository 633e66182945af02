#include "run/matrix_run.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include "join/join.hpp"
#include "judge/judge.hpp"
#include "judge/predict.hpp"
#include "launch/ports.hpp"
#include "launch/proxy.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "run/replay_cells.hpp"

namespace routecheck {

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

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
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

struct ProxyOutcome {
    ProxyRunInfo info;
    std::vector<CellObservation> cells;
};

ProxyOutcome run_launched(const Fixtures&, const Plan& plan, const ProxyProfile& proxy, const MatrixOptions& opt,
                          int closed_port, std::ostream& log, std::mutex& log_mutex) {
    ProxyOutcome out;
    out.info = {proxy.id, proxy.name, "launched", proxy.npm_version, 0, 0, "", ""};
    auto say = [&](const std::string& s) {
        std::lock_guard<std::mutex> lock(log_mutex);
        log << "[" << proxy.id << "] " << s << std::endl;
    };
    try {
        mock::Options mo;
        mo.protocols = proxy.upstream_protocols;
        mock::MockUpstream upstream(mo);
        upstream.start();
        launch::ProxySettings settings;
        settings.upstream_url = upstream.url();
        settings.preload = opt.preload;
        settings.run_dir = opt.run_dir;
        settings.keep_artifacts = opt.keep_artifacts;
        // npm.dir is relative to the folder that holds the profile's fixtures folder (the repo, or share/routecheck).
        settings.install_root = proxy.file.parent_path().parent_path().parent_path();
        launch::ProxyInstance instance(proxy, settings);
        out.info.port = instance.port();
        out.info.ready_ms = static_cast<double>(instance.ready_ms().count());
        say("ready on 127.0.0.1:" + std::to_string(instance.port()) + " in " +
            std::to_string(instance.ready_ms().count()) + " ms; upstream mock at " + upstream.url());
        ReplayTarget target;
        target.proxy = &proxy;
        target.port = instance.port();
        target.closed_port = closed_port;
        target.api_key = proxy.api_key;
        target.jobs = opt.jobs;
        out.cells = replay_cells(target, cells_for(plan));
        auto by_step = attribute(upstream.journal());
        for (auto& cell : out.cells)
            for (auto& s : cell.steps) {
                auto it = by_step.find(cell.id() + "/" + s.step);
                if (it != by_step.end()) s.upstream = it->second;
            }
        if (!instance.alive()) {
            std::string why = "the proxy exited during the run: " + instance.exit_description();
            out.info.error = why;
            out.info.log_tail = instance.log_tail();
            for (auto& cell : out.cells) cell.error = why;
        }
        say("replayed " + std::to_string(out.cells.size()) + " cells");
    } catch (const std::exception& e) {
        out.info.error = e.what();
        say(std::string("could not run: ") + e.what());
        for (const auto& pc : cells_for(plan)) {
            CellObservation c;
            c.proxy = proxy.id;
            c.client = pc.client->id;
            c.variant = pc.variant->id;
            c.base_url = pc.variant->base_url;
            c.error = "proxy could not be run: " + std::string(e.what());
            out.cells.push_back(std::move(c));
        }
    }
    return out;
}

ProxyOutcome run_attached(const Plan& plan, const ProxyProfile& proxy, const std::string& url,
                          const MatrixOptions& opt, int closed_port) {
    ProxyOutcome out;
    out.info = {proxy.id, proxy.name, "attached", "", 0, 0, "", ""};
    BaseUrl b = parse_base_url(url);
    if (b.host != "127.0.0.1" && b.host != "localhost" && b.host != "[::1]")
        throw PlanError("--attach " + proxy.id + "=" + url + ": only loopback addresses are allowed");
    out.info.port = b.port;
    ReplayTarget target;
    target.proxy = &proxy;
    target.port = b.port;
    target.closed_port = closed_port;
    target.api_key = opt.api_key;
    target.quota_safe = !opt.allow_quota;
    target.jobs = opt.jobs;
    out.cells = replay_cells(target, cells_for(plan));
    return out;
}

}  // namespace

Plan plan_matrix(const Fixtures& f, const MatrixOptions& opt) {
    Plan plan;
    std::vector<std::string> proxy_ids = opt.proxies;
    for (const auto& [id, url] : opt.attach) {
        if (!f.proxy(id)) throw PlanError("--attach names unknown proxy '" + id + "'");
        if (url.rfind("http://", 0) != 0) throw PlanError("--attach " + id + "=" + url + ": the URL must start with http://");
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

MatrixReport run_matrix(const Fixtures& f, const Plan& plan, const MatrixOptions& opt, std::ostream& log) {
    MatrixReport report;
    report.started_at = now_iso();
    auto t0 = std::chrono::steady_clock::now();
    launch::ClosedPort closed;
    std::mutex log_mutex;
    std::vector<ProxyOutcome> outcomes(plan.proxies.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < plan.proxies.size(); ++i) {
        const auto& pp = plan.proxies[i];
        if (!pp.attach_url.empty()) {
            outcomes[i] = run_attached(plan, *pp.proxy, pp.attach_url, opt, closed.port());
        } else if (pp.proxy->provenance == "launched") {
            threads.emplace_back([&, i] {
                outcomes[i] = run_launched(f, plan, *plan.proxies[i].proxy, opt, closed.port(), log, log_mutex);
            });
        } else {
            outcomes[i].info = {pp.proxy->id, pp.proxy->name, "source", pp.proxy->npm_version, 0, 0, "", ""};
            for (const auto& pc : cells_for(plan)) outcomes[i].cells.push_back(predict_cell(*pp.proxy, *pc.client, *pc.variant));
        }
    }
    for (auto& th : threads) th.join();
    for (std::size_t i = 0; i < plan.proxies.size(); ++i) {
        const ProxyProfile& proxy = *plan.proxies[i].proxy;
        report.proxies.push_back(outcomes[i].info);
        if (!outcomes[i].info.error.empty()) report.errors.push_back(proxy.id + ": " + outcomes[i].info.error);
        bool prediction = outcomes[i].info.provenance == "source";
        auto exp = f.expected.find(proxy.id);
        // One recommendation per client for this proxy: it names the Base URL in every fix and is confirmed by
        // the replay of its own cell.
        std::map<std::string, Recommendation> recs;
        for (const auto* client : plan.clients) recs[client->id] = recommend(*client, proxy, f);
        int shown_port = outcomes[i].info.port ? outcomes[i].info.port : 8045;
        for (const auto& cell : outcomes[i].cells) {
            const ClientProfile& client = *f.client(cell.client);
            const Recommendation& rec = recs[cell.client];
            std::string rec_url = rec.found ? render_base_url(rec.base_url, shown_port, 0) : "";
            report.cells.push_back(judge_cell(cell, proxy, client, exp == f.expected.end() ? nullptr : &exp->second,
                                              rec_url, prediction));
        }
        for (const auto* client : plan.clients) {
            RecommendationResult rr{recs[client->id], "table"};
            if (rr.rec.found && !prediction) {
                for (const auto& c : report.cells)
                    if (c.cell.proxy == proxy.id && c.cell.client == client->id && c.cell.variant == rr.rec.variant)
                        rr.confirmed = c.works ? "replay" : "refuted";
            }
            report.recommendations.push_back(std::move(rr));
        }
    }
    report.complete = report.errors.empty();
    report.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

}  // namespace routecheck
