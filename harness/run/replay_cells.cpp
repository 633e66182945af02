#include "run/replay_cells.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include "join/join.hpp"
#include "launch/template.hpp"
#include "replay/replay.hpp"

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
    req.timeout_ms = t.deadline.clamp_ms(step.websocket ? 3000 : t.timeout_ms);
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
        if (!stop && t.deadline.passed()) stop_because(t.deadline.what.empty() ? "the run's deadline passed" : t.deadline.what);
        return stop;
    }
    std::string reason() {
        std::lock_guard lock(mutex);
        return why;
    }
};

// Counts answers and timeouts: stall_after timeouts in a row (whatever cell they came from) stop the replay.
void count_answer(const ReplayTarget& t, ReplayState& state, const HttpResponse& resp) {
    if (resp.error != TransportError::Timeout) {
        state.timeouts_in_a_row = 0;
        return;
    }
    if (t.stall_after > 0 && ++state.timeouts_in_a_row >= t.stall_after)
        state.stop_because("proxy stopped answering (" + std::to_string(t.stall_after) +
                           " requests in a row had no answer within " + std::to_string(t.timeout_ms) + " ms)");
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
    for (const auto& step : pc.client->steps) {
        if (state.stopped(t)) {
            cell.error = "not run: " + state.reason();
            break;
        }
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
            cell.steps.push_back(std::move(o));
            continue;
        }
        HttpResponse resp = http.send(req);
        if (resp.error == TransportError::Timeout && state.stopped(t) && t.deadline.passed()) {
            // Cut short by the run's deadline, not by the proxy: this says nothing about the proxy.
            cell.error = "not run: " + state.reason();
            break;
        }
        count_answer(t, state, resp);
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
        cell.steps.push_back(std::move(o));
    }
    return cell;
}

}  // namespace

std::vector<CellObservation> replay_cells(const ReplayTarget& target, const std::vector<PlannedCell>& cells,
                                          std::string* stopped) {
    http_global_init();
    std::vector<CellObservation> out(cells.size());
    ReplayState state;
    std::atomic<std::size_t> next{0};
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
    auto worker = [&] {
        HttpClient http;
        for (std::size_t i = next++; i < cells.size(); i = next++) {
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
        }
    };
    int jobs = std::max(1, std::min<int>(target.jobs, static_cast<int>(cells.size())));
    std::vector<std::thread> threads;
    for (int i = 1; i < jobs; ++i) threads.emplace_back(worker);
    worker();
    for (auto& th : threads) th.join();
    if (stopped) *stopped = state.stop ? state.reason() : "";
    return out;
}

}  // namespace routecheck
