#include "replay/replay_cells.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "http/client.hpp"
#include "join/join.hpp"
#include "launch/template.hpp"

namespace routecheck {

namespace {

// The entry for a client protocol: exact ("openai-responses"), else its family ("openai").
template <typename M>
const typename M::mapped_type* by_protocol(const M& map, const std::string& protocol) {
    auto it = map.find(protocol);
    if (it == map.end()) it = map.find(protocol.substr(0, protocol.find('-')));
    return it == map.end() ? nullptr : &it->second;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> proxy_headers(const ProxyProfile& proxy, const ClientProfile& client,
                                                               const std::map<std::string, std::string>& vars) {
    std::vector<std::pair<std::string, std::string>> out;
    auto add = [&](const std::map<std::string, std::string>& headers) {
        for (const auto& [k, v] : headers) {
            try {
                out.emplace_back(k, launch::render(v, vars));
            } catch (const launch::TemplateError&) {
                // Names the mock ({upstream}) but there is none (attach mode): the running proxy has its own
                // upstream configuration, so the header is left out rather than sent with a placeholder.
            }
        }
    };
    add(proxy.extra_headers);
    if (const auto* h = by_protocol(proxy.extra_headers_by_protocol, client.protocol)) add(*h);
    return out;
}

nlohmann::json map_model(const ProxyProfile& proxy, const Step& step, const nlohmann::json& body) {
    const std::string* tmpl = nullptr;
    std::size_t best = 0;
    for (const auto& [suffix, t] : proxy.model_map)
        if (suffix.size() > best && step.endpoint.size() >= suffix.size() &&
            step.endpoint.compare(step.endpoint.size() - suffix.size(), suffix.size(), suffix) == 0) {
            tmpl = &t;
            best = suffix.size();
        }
    if (!tmpl || !body.is_object() || !body.contains("model") || !body["model"].is_string()) return body;
    nlohmann::json out = body;
    std::string m = *tmpl;
    const std::string model = body["model"].get<std::string>();
    // Plain substitution, not launch::render: a model name may hold characters a placeholder may not.
    for (auto at = m.find("{model}"); at != std::string::npos; at = m.find("{model}", at + model.size()))
        m.replace(at, 7, model);
    out["model"] = m;
    return out;
}

namespace {

// What a client puts in its key header when the proxy takes no key: a placeholder, never a real secret.
constexpr const char* kPlaceholderKey = "rc-placeholder-key";

constexpr long kWebsocketTimeoutMs = 5000;

// At most this many cells with websocket steps get a thread of their own (the rest join the workers).
constexpr std::size_t kMaxWaitingCells = 16;

const KeyCarrier& carrier_of(const ReplayTarget& t, const ClientProfile& client) {
    const KeyCarrier* k = t.key_via.empty() ? nullptr : client.carrier(t.key_via);
    return k ? *k : client.key_carriers.front();
}

HttpRequest build_request(const ReplayTarget& t, const ClientProfile& client, const Step& step,
                          const std::string& base_url, const std::string& correlation, bool probe) {
    FinalRequest fr = join_request(client.join, base_url, step);
    HttpRequest req;
    req.method = step.method;
    req.url = t.send_origin.empty() ? fr.url : t.send_origin + fr.target;
    req.websocket = step.websocket;
    // An upgrade is answered by its status line (a 101 ends the transfer there, replay.cpp); the timeout only
    // runs out at a proxy that never answers one (claude-code-router 3 at an unknown path: HUNG). 5 s: a cold
    // first answer on a loaded machine took 2.5 s here.
    req.timeout_ms = t.deadline.clamp_ms(step.websocket ? kWebsocketTimeoutMs : t.timeout_ms);
    for (const auto& [k, v] : step.headers) req.headers.emplace_back(k, v);
    for (auto& h : proxy_headers(*t.proxy, client, t.vars)) req.headers.push_back(std::move(h));
    if (t.send_key) {
        const KeyCarrier& k = carrier_of(t, client);
        req.headers.emplace_back(k.header, k.prefix + (t.api_key.empty() ? kPlaceholderKey : t.api_key));
    }
    req.headers.emplace_back(kCorrelationHeader, correlation);
    // A recorded `"body": null` (a GET) means no body: sending "null" would add a form content type that
    // proxies such as Portkey reject with 400.
    if (probe) req.body = "{}";
    else if (step.body && !step.body->is_null()) req.body = map_model(*t.proxy, step, *step.body).dump();
    return req;
}

// Shared by the workers of one replay_cells call: the stall count and why the replay stopped early.
struct ReplayState {
    std::atomic<int> timeouts_in_a_row{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::string why;  // under mutex; set once

    void stop_because(const std::string& reason) {
        std::lock_guard lock(mutex);
        if (why.empty()) why = reason;
        stop = true;
    }
    // True when no further step may start (the proxy stopped answering, or the deadline passed).
    bool stopped(const ReplayTarget& t) {
        if (!stop && t.deadline.passed())
            stop_because(t.deadline.what.empty() ? "the run's deadline passed" : t.deadline.what);
        return stop;
    }
    std::string reason() {
        std::lock_guard lock(mutex);
        return why;
    }
};

// Counts answers and timeouts: stall_after timeouts in a row (whatever cell they came from) stop the replay. A
// websocket attempt does not count either way: a proxy may never answer upgrades and still answer everything else.
void count_answer(const ReplayTarget& t, ReplayState& state, const Step& step, const HttpResponse& resp) {
    if (step.websocket) return;
    if (resp.error != TransportError::Timeout) {
        state.timeouts_in_a_row = 0;
        return;
    }
    if (t.stall_after > 0 && ++state.timeouts_in_a_row >= t.stall_after)
        state.stop_because("proxy stopped answering (" + std::to_string(t.stall_after) +
                           " requests in a row had no answer within " + std::to_string(t.timeout_ms) + " ms)");
}

// Two websocket steps that send the same request (a client's retry of its upgrade).
bool same_attempt(const Step& a, const Step& b) {
    return b.websocket && a.method == b.method && a.endpoint == b.endpoint && a.query == b.query &&
           a.headers == b.headers && a.spends_quota == b.spends_quota;
}

CellObservation replay_one(HttpClient& http, const ReplayTarget& t, const PlannedCell& pc, ReplayState& state) {
    CellObservation cell;
    cell.proxy = t.proxy->id;
    cell.client = pc.client->id;
    cell.variant = pc.variant->id;
    cell.base_url = render_base_url(pc.variant->base_url, t.port, t.closed_port);
    if (t.send_key) {
        const KeyCarrier& k = carrier_of(t, *pc.client);
        cell.key_via = k.setting.empty() ? k.header : k.setting;
    }
    auto observe = [&](HttpClient& client, const Step& step) {
        StepObservation o;
        o.step = step.id;
        std::string correlation = cell.id() + "/" + step.id;
        bool probe = t.quota_safe && step.spends_quota && t.probe_quota_steps && !step.websocket;
        HttpRequest req = build_request(t, *pc.client, step, cell.base_url, correlation, probe);
        FinalRequest fr = join_request(pc.client->join, cell.base_url, step);
        o.method = step.method;
        o.target = fr.target;
        o.url = req.url;
        if (probe) o.evidence = "probe";
        if (t.quota_safe && step.spends_quota && !probe) {
            o.skipped = true;
            o.skip_reason = t.quota_skip_reason.empty()
                                ? "would spend upstream quota (attach mode sends it only with --allow-quota)"
                                : t.quota_skip_reason;
            return o;
        }
        HttpResponse resp = client.send(req);
        if (resp.error == TransportError::Timeout && state.stopped(t) && t.deadline.passed()) {
            // Cut short by the run's deadline, not by the proxy: this step says nothing about the proxy.
            o.skipped = true;
            o.skip_reason = "not run: " + state.reason();
            return o;
        }
        count_answer(t, state, step, resp);
        o.status = resp.status;
        o.error = resp.error;
        o.error_text = resp.error_text;
        auto ct = resp.headers.find("content-type");
        if (ct != resp.headers.end()) o.content_type = ct->second;
        o.body_excerpt = resp.body_excerpt;
        o.body_bytes = resp.body_bytes;
        o.sse_events = resp.sse_events;
        o.sse_done = resp.sse_done;
        o.ms = resp.total_ms;
        if (t.upstream_for) o.upstream = t.upstream_for(correlation);
        return o;
    };
    const auto& steps = pc.client->steps;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (state.stopped(t)) {
            cell.error = "not run: " + state.reason();
            break;
        }
        cell.steps.push_back(observe(http, steps[i]));
        if (state.stopped(t) && t.deadline.passed()) {
            cell.error = "not run: " + state.reason();  // the deadline cut it short
            break;
        }
        const StepObservation& last = cell.steps.back();
        if (!steps[i].websocket || last.skipped || last.status != 0 || last.error != TransportError::Timeout) continue;
        // A websocket attempt the proxy never answered leaves it as it was. The client's next attempts that are
        // the same request (Codex retries its upgrade up to seven times) are still each sent and observed, but
        // side by side, so a proxy that hangs on upgrades costs one more timeout per cell, not one per attempt.
        std::size_t end = i + 1;
        while (end < steps.size() && same_attempt(steps[i], steps[end])) ++end;
        std::vector<StepObservation> more(end - i - 1);
        std::vector<std::thread> senders;
        for (std::size_t k = i + 1; k < end; ++k)
            senders.emplace_back([&, k] {
                HttpClient own;
                more[k - i - 1] = observe(own, steps[k]);
            });
        for (auto& th : senders) th.join();
        for (auto& o : more) cell.steps.push_back(std::move(o));
        i = end - 1;
    }
    return cell;
}

}  // namespace

std::vector<CellObservation> replay_cells(const ReplayTarget& target, const std::vector<PlannedCell>& cells,
                                          std::string* stopped) {
    http_global_init();
    std::vector<CellObservation> out(cells.size());
    ReplayState state;
    auto fail = [&](std::size_t i, const std::string& why) {
        out[i].proxy = target.proxy->id;
        out[i].client = cells[i].client->id;
        out[i].variant = cells[i].variant->id;
        try {
            out[i].base_url = render_base_url(cells[i].variant->base_url, target.port, target.closed_port);
        } catch (const std::exception&) {
            out[i].base_url = cells[i].variant->base_url;  // the variant's own template: the reason says what failed
        }
        out[i].error = why;
    };
    auto replay_guarded = [&](HttpClient& http, std::size_t i) {
        if (state.stopped(target)) {
            fail(i, "not run: " + state.reason());
        } else {
            try {
                out[i] = replay_one(http, target, cells[i], state);
            } catch (const std::exception& e) {
                // A bad join (e.g. an invalid URL) fails this cell with its reason, never the run.
                fail(i, std::string("cannot replay: ") + e.what());
            }
        }
        if (target.on_cell_done) target.on_cell_done();
    };
    // Cells with websocket attempts (Codex tries a websocket up to seven times before it posts) mostly wait: a
    // proxy that never answers an upgrade (claude-code-router 3 at an unknown path) holds each attempt for the
    // whole websocket timeout. They get threads of their own, so such waits overlap each other and never hold up
    // the other cells; the steps of one cell still go one after another, as the client sends them.
    std::vector<std::size_t> waiting, others;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto& steps = cells[i].client->steps;
        const bool ws = std::any_of(steps.begin(), steps.end(), [](const Step& s) { return s.websocket; });
        (ws && waiting.size() < kMaxWaitingCells ? waiting : others).push_back(i);
    }
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        HttpClient http;
        for (std::size_t k = next++; k < others.size(); k = next++) replay_guarded(http, others[k]);
    };
    std::vector<std::thread> threads;
    for (std::size_t i : waiting)
        threads.emplace_back([&, i] {
            HttpClient http;
            replay_guarded(http, i);
        });
    int jobs = std::max(1, std::min<int>(target.jobs, static_cast<int>(others.size())));
    for (int i = 1; i < jobs; ++i) threads.emplace_back(worker);
    worker();
    for (auto& th : threads) th.join();
    if (stopped) *stopped = state.stop ? state.reason() : "";
    return out;
}

}  // namespace routecheck
