// Runs grid rows against one proxy, and predicts them for a proxy known only from its source.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "contract/predict.hpp"
#include "grid/grid.hpp"
#include "grid/grid_verdict.hpp"
#include "http/client.hpp"
#include "http/headers.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "replay/replay_cells.hpp"

namespace routecheck::grid {

namespace {

// Rows correlate as "grid/<kind>.<row>" so the journal tells them from the cells ("cell/step").
std::string correlation_of(const RowSpec& r) { return "grid/" + r.kind + "." + r.row; }

// The protocol whose proxy-specific headers (Portkey's provider and custom host) a row carries.
std::string protocol_of(const RowSpec& r) {
    if (!r.protocol.empty()) return r.protocol;
    return r.probe.path.rfind("/v1/messages", 0) == 0 ? "anthropic" : "openai";
}

HttpRequest build(const ProxyProfile& proxy, const RowSpec& r, int port, const std::map<std::string, std::string>& vars,
                  const Deadline& deadline) {
    HttpRequest req;
    req.method = r.probe.method;
    req.url = "http://127.0.0.1:" + std::to_string(port) + r.probe.path;
    req.timeout_ms = deadline.clamp_ms(r.timeout_ms);
    req.keep_body = 1 << 20;  // whole streams: the verdict reads every event
    ClientProfile as_client;
    as_client.protocol = protocol_of(r);
    for (auto& h : proxy_headers(proxy, as_client, vars)) req.headers.push_back(std::move(h));
    for (const auto& [k, v] : r.probe.headers) req.headers.emplace_back(k, v);
    req.headers.emplace_back(kCorrelationHeader, correlation_of(r));
    if (!r.fault.empty()) req.headers.emplace_back(kFaultHeader, r.fault);
    if (!r.probe.body.is_null()) {
        Step step;
        step.endpoint = r.probe.path.substr(0, r.probe.path.find('?'));
        req.body = map_model(proxy, step, r.probe.body).dump();
    }
    return req;
}

// A row the run's deadline kept from running, or cut short: no verdict about the proxy.
RowResult not_run(const RowSpec& r, const Deadline& deadline) {
    RowResult out;
    out.spec = r;
    out.verdict = "NOT_RUN";
    out.detail = "not run: " + (deadline.what.empty() ? std::string("the run's deadline passed") : deadline.what);
    return out;
}

RowResult run_one(HttpClient& http, const ProxyProfile& proxy, const RowSpec& r, int port,
                  const std::map<std::string, std::string>& vars, const Deadline& deadline) {
    if (deadline.passed()) return not_run(r, deadline);
    RowResult out;
    out.spec = r;
    HttpResponse resp = http.send(build(proxy, r, port, vars, deadline));
    if (resp.error == TransportError::Timeout && deadline.passed()) return not_run(r, deadline);
    out.status = resp.status;
    if (resp.error != TransportError::None) out.transport = to_string(resp.error);
    if (auto it = resp.headers.find("content-type"); it != resp.headers.end()) out.content_type = it->second;
    out.retry_after = resp.headers.count("retry-after") > 0;
    out.body_excerpt = resp.body_excerpt;
    out.first_event_ms = resp.first_event_ms;
    out.total_ms = resp.total_ms;
    out.first_event_at_ms = resp.first_event_at_ms;
    out.last_event_at_ms = resp.last_event_at_ms;
    return out;
}

void judge(RowResult& r) {
    if (r.verdict == "NOT_RUN") return;
    // A faulted row whose upstream requests came without the fault tested nothing: say so instead of a verdict
    // (a proxy launched without the Node preload, which carries x-routecheck-fault to the upstream).
    if (!r.spec.fault.empty() && !r.upstream.empty() && !r.fault_applied && !r.predicted) {
        r.verdict = "FAULT_NOT_DELIVERED";
        r.detail =
            "the upstream requests did not carry x-routecheck-fault (proxy launched without the preload?): "
            "this row says nothing about the proxy";
        return;
    }
    if (r.spec.kind == "auth") judge_auth(r);
    else if (r.spec.kind == "health") judge_health(r);
    else judge_stream(r);
}

}  // namespace

std::vector<RowResult> run_rows(const ProxyProfile& proxy, const std::vector<RowSpec>& rows, int port,
                                mock::MockUpstream* upstream, const std::map<std::string, std::string>& vars, int jobs,
                                const Deadline& deadline) {
    http_global_init();
    std::vector<RowResult> out(rows.size());
    // Phases in order: undisturbed rows, then faults that leave no state behind, then (one at a time) faults a
    // proxy may remember (refused credentials, rate limits), so no row sees another row's aftermath.
    for (int phase = 0; phase <= 2; ++phase) {
        std::vector<std::size_t> todo;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (rows[i].phase == phase) todo.push_back(i);
        std::atomic<std::size_t> next{0};
        auto worker = [&] {
            HttpClient http;
            for (std::size_t k = next++; k < todo.size(); k = next++)
                out[todo[k]] = run_one(http, proxy, rows[todo[k]], port, vars, deadline);
        };
        int n = phase == 2 ? 1 : std::max(1, std::min<int>(jobs, static_cast<int>(todo.size())));
        std::vector<std::thread> threads;
        for (int t = 1; t < n; ++t) threads.emplace_back(worker);
        worker();
        for (auto& th : threads) th.join();
    }
    if (upstream) {
        std::map<std::string, std::vector<std::string>> by;
        std::map<std::string, std::vector<double>> sent;
        std::set<std::string> faulted;
        for (const auto& e : upstream->journal())
            if (e.correlation.rfind("grid/", 0) == 0) {
                by[e.correlation].push_back(e.method + " " + e.target);
                sent[e.correlation].insert(sent[e.correlation].end(), e.sent_at_ms.begin(), e.sent_at_ms.end());
                if (!e.fault.empty()) faulted.insert(e.correlation);
            }
        for (auto& r : out) {
            if (auto it = by.find(correlation_of(r.spec)); it != by.end()) r.upstream = it->second;
            if (auto it = sent.find(correlation_of(r.spec)); it != sent.end()) {
                r.upstream_sent_at_ms = it->second;
                std::sort(r.upstream_sent_at_ms.begin(), r.upstream_sent_at_ms.end());
            }
            r.fault_applied = faulted.count(correlation_of(r.spec)) > 0;
        }
    }
    for (auto& r : out) judge(r);
    return out;
}

std::vector<RowResult> predict_rows(const ProxyProfile& proxy, const std::vector<RowSpec>& rows) {
    std::vector<RowResult> out;
    for (const auto& r : rows) {
        if (r.kind == "stream") continue;  // a contract read from source says nothing reliable about streams
        RowResult p;
        p.spec = r;
        p.predicted = true;
        PredictOptions o;
        o.auth_on = !proxy.api_key.empty();  // the interesting mode: the proxy was given a key
        if (r.kind == "auth") {
            o.send_key = r.key_state != "no-key";
            o.key_right = r.key_state == "right-key";
            // A key in a header the proxy does not read is no key at all.
            if (o.send_key && std::find(proxy.auth_carriers.begin(), proxy.auth_carriers.end(), r.carrier) ==
                                  proxy.auth_carriers.end())
                o.send_key = false;
        } else {
            o.send_key = r.key_state == "key";
        }
        std::string path = r.probe.path.substr(0, r.probe.path.find('?'));
        p.status = predict_status(proxy, r.probe.method, path, o);
        // A health endpoint answers locally unless the contract says it calls the upstream (behaviour
        // health_calls_upstream): then an upstream fault reaches it, and the contract predicts 503.
        if (r.kind == "health" && proxy.behaviour && proxy.behaviour->health_calls_upstream && !r.fault.empty())
            p.status = 503;
        judge(p);
        p.detail = "predicted from the contract: " + p.detail;
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace routecheck::grid
