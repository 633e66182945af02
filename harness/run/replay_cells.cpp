#include "run/replay_cells.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include "join/join.hpp"
#include "replay/replay.hpp"

namespace routecheck {

namespace {

// What a client puts in its key header when the proxy takes no key: a placeholder, never a real secret.
constexpr const char* kPlaceholderKey = "rc-placeholder-key";

HttpRequest build_request(const ReplayTarget& t, const ClientProfile& client, const Step& step,
                          const std::string& base_url, const std::string& correlation) {
    FinalRequest fr = join_request(client.join, base_url, step);
    HttpRequest req;
    req.method = step.method;
    req.url = fr.url;
    req.websocket = step.websocket;
    if (step.websocket) req.timeout_ms = 3000;
    for (const auto& [k, v] : step.headers) req.headers.emplace_back(k, v);
    for (const auto& [k, v] : t.proxy->extra_headers) req.headers.emplace_back(k, v);
    std::string key = t.api_key.empty() ? kPlaceholderKey : t.api_key;
    req.headers.emplace_back(client.auth_header, client.auth_prefix + key);
    req.headers.emplace_back(kCorrelationHeader, correlation);
    if (step.body) req.body = step.body->dump();
    return req;
}

CellObservation replay_one(HttpClient& http, const ReplayTarget& t, const PlannedCell& pc) {
    CellObservation cell;
    cell.proxy = t.proxy->id;
    cell.client = pc.client->id;
    cell.variant = pc.variant->id;
    cell.base_url = render_base_url(pc.variant->base_url, t.port, t.closed_port);
    for (const auto& step : pc.client->steps) {
        StepObservation o;
        o.step = step.id;
        std::string correlation = cell.id() + "/" + step.id;
        HttpRequest req = build_request(t, *pc.client, step, cell.base_url, correlation);
        FinalRequest fr = join_request(pc.client->join, cell.base_url, step);
        o.method = step.method;
        o.target = fr.target;
        o.url = fr.url;
        if (t.quota_safe && step.spends_quota) {
            o.skipped = true;
            o.skip_reason = "would spend upstream quota (attach mode sends it only with --allow-quota)";
            cell.steps.push_back(std::move(o));
            continue;
        }
        HttpResponse resp = http.send(req);
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

std::vector<CellObservation> replay_cells(const ReplayTarget& target, const std::vector<PlannedCell>& cells) {
    http_global_init();
    std::vector<CellObservation> out(cells.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        HttpClient http;
        for (std::size_t i = next++; i < cells.size(); i = next++) {
            try {
                out[i] = replay_one(http, target, cells[i]);
            } catch (const std::exception& e) {
                // A bad join (e.g. an invalid URL) fails this cell with its reason, never the run.
                out[i].proxy = target.proxy->id;
                out[i].client = cells[i].client->id;
                out[i].variant = cells[i].variant->id;
                out[i].error = std::string("cannot replay: ") + e.what();
            }
        }
    };
    int jobs = std::max(1, std::min<int>(target.jobs, static_cast<int>(cells.size())));
    std::vector<std::thread> threads;
    for (int i = 1; i < jobs; ++i) threads.emplace_back(worker);
    worker();
    for (auto& th : threads) th.join();
    return out;
}

}  // namespace routecheck
