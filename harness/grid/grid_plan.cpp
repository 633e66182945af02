// The grid rows as data: what each row sends, derived from the proxy profile and the setup overrides.
#include <algorithm>

#include "grid/grid.hpp"
#include "contract/routes.hpp"

namespace routecheck::grid {

namespace {

const nlohmann::json kAnthropicBody = {{"model", "claude-sonnet-4-5"},
                                       {"max_tokens", 64},
                                       {"messages", {{{"role", "user"}, {"content", "say hi"}}}}};

bool has_route(const ProxyProfile& p, const std::string& method, const std::string& path) {
    return match_route(p.routes, method, path) == RouteMatch::Route;
}

Probe probe_from_json(const nlohmann::json& j) {
    Probe p;
    p.method = j.value("method", "GET");
    p.path = j.value("path", "/");
    if (j.contains("body")) p.body = j["body"];
    if (j.contains("headers"))
        for (const auto& [k, v] : j["headers"].items()) p.headers[k] = v.get<std::string>();
    return p;
}

// The known route of the auth grid: a model list when the proxy has one (no upstream needed by most), else
// count_tokens (local), else the messages route.
Probe default_known(const ProxyProfile& p) {
    if (has_route(p, "GET", "/v1/models")) return {"GET", "/v1/models", nullptr, {}};
    Probe post{"POST", "/v1/messages/count_tokens", kAnthropicBody, {{"content-type", "application/json"},
                                                                     {"anthropic-version", "2023-06-01"}}};
    if (has_route(p, "POST", post.path)) return post;
    if (has_route(p, "POST", "/v1/chat/completions"))
        return {"POST", "/v1/chat/completions",
                {{"model", "gpt-5-mini"}, {"messages", {{{"role", "user"}, {"content", "say hi"}}}}},
                {{"content-type", "application/json"}}};
    post.path = "/v1/messages";
    return post;
}

// The header a client of that protocol carries its key in; the proxy's first carrier when it does not read it.
std::string native_carrier(const std::string& protocol, const Setup& s) {
    std::string want = protocol == "anthropic" ? "x-api-key" : protocol == "gemini" ? "x-goog-api-key" : "authorization";
    if (s.carriers.empty() || std::find(s.carriers.begin(), s.carriers.end(), want) != s.carriers.end()) return want;
    return s.carriers.front();
}

void put_key(Probe& p, const std::string& carrier, const std::string& key) {
    p.headers[carrier] = carrier == "authorization" ? "Bearer " + key : key;
}

Probe stream_probe(const std::string& protocol, const Setup& s) {
    auto model = [&](const char* fallback) {
        auto it = s.models.find(protocol);
        return it == s.models.end() ? std::string(fallback) : it->second;
    };
    nlohmann::json say_hi = {{{"role", "user"}, {"content", "say hi"}}};
    if (protocol == "anthropic")
        return {"POST", "/v1/messages",
                {{"model", model("claude-sonnet-4-5")}, {"max_tokens", 64}, {"stream", true}, {"messages", say_hi}},
                {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}}};
    if (protocol == "openai")
        return {"POST", "/v1/chat/completions",
                {{"model", model("gpt-5-mini")}, {"stream", true}, {"messages", say_hi}},
                {{"content-type", "application/json"}}};
    return {"POST", "/v1beta/models/" + model("gemini-2.5-flash") + ":streamGenerateContent?alt=sse",
            {{"contents", {{{"role", "user"}, {"parts", {{{"text", "say hi"}}}}}}}},
            {{"content-type", "application/json"}}};
}

}  // namespace

Setup setup_for(const ProxyProfile& proxy, const nlohmann::json& o) {
    Setup s;
    s.known = o.contains("known") ? probe_from_json(o["known"]) : default_known(proxy);
    s.api_prefix = o.value("api_prefix", std::string("/v1"));
    s.health_path = o.value("health_path", proxy.health_path);
    s.carriers = proxy.auth_carriers;
    s.key = proxy.api_key;
    if (o.contains("stream_protocols")) {
        s.stream_protocols = o["stream_protocols"].get<std::vector<std::string>>();
    } else {
        for (const char* p : {"anthropic", "openai", "gemini"})
            if (std::find(proxy.capabilities.begin(), proxy.capabilities.end(), p) != proxy.capabilities.end())
                s.stream_protocols.push_back(p);
    }
    s.health_timeout_ms = o.value("health_timeout_ms", s.health_timeout_ms);
    s.stream_timeout_ms = o.value("stream_timeout_ms", s.stream_timeout_ms);
    if (o.contains("models"))
        for (const auto& [k, v] : o["models"].items()) s.models[k] = v.get<std::string>();
    return s;
}

std::vector<RowSpec> plan_rows(const ProxyProfile& proxy, const Setup& s, bool with_upstream) {
    (void)proxy;
    std::vector<RowSpec> rows;
    const bool keyed = !s.key.empty();

    // Auth grid. Targets: a known route, an unknown path inside the API prefix, one outside it, the health
    // endpoint, a CORS preflight. A keyless proxy gets the no-key row of each target: its routing baseline.
    std::vector<std::pair<std::string, Probe>> targets = {
        {"known", s.known},
        {"unknown-prefix", {"POST", s.api_prefix + "/v1/messages", kAnthropicBody, {{"content-type", "application/json"}}}},
        {"unknown-outside", {"GET", "/nope", nullptr, {}}},
    };
    if (!s.health_path.empty()) targets.push_back({"health", {"GET", s.health_path, nullptr, {}}});
    targets.push_back({"options", {"OPTIONS", s.known.path, nullptr,
                                   {{"origin", "http://localhost:5173"},
                                    {"access-control-request-method", s.known.method},
                                    {"access-control-request-headers", "authorization,x-api-key,content-type"}}}});
    std::vector<std::pair<std::string, std::string>> keys = {{"no-key", ""}};
    if (keyed) {
        keys.push_back({"wrong-key", "rc-wrong-key"});
        keys.push_back({"right-key", s.key});
    }
    for (const auto& [state, key] : keys) {
        std::vector<std::string> carriers = {""};
        if (!key.empty()) carriers = {"authorization", "x-api-key", "x-goog-api-key"};
        for (const auto& carrier : carriers)
            for (const auto& [target, probe] : targets) {
                RowSpec r;
                r.kind = "auth";
                r.row = state + (carrier.empty() ? "" : "." + carrier) + "." + target;
                r.probe = probe;
                if (!key.empty()) put_key(r.probe, carrier, key);
                r.key_state = state;
                r.carrier = carrier;
                r.target = target;
                r.timeout_ms = 4000;
                rows.push_back(std::move(r));
            }
    }

    // Health grid: the health endpoint with the upstream up, down (every upstream request reset), slow (the
    // upstream waits longer than this client), refusing the proxy's credentials (401/403).
    if (!s.health_path.empty()) {
        std::vector<std::pair<std::string, std::string>> conditions = {{"up", ""}};
        if (with_upstream) {
            conditions.push_back({"down", "reset"});
            conditions.push_back({"slow", "delay;ms=" + std::to_string(2 * s.health_timeout_ms)});
            conditions.push_back({"refused-401", "status;code=401"});
            conditions.push_back({"refused-403", "status;code=403"});
        }
        std::vector<std::string> key_states = {"no-key"};
        if (keyed) key_states.push_back("key");
        for (const auto& [cond, fault] : conditions)
            for (const auto& ks : key_states) {
                RowSpec r;
                r.kind = "health";
                r.row = cond + "." + ks;
                r.probe = {"GET", s.health_path, nullptr, {}};
                if (ks == "key") put_key(r.probe, s.carriers.empty() ? "authorization" : s.carriers.front(), s.key);
                r.fault = fault;
                r.timeout_ms = s.health_timeout_ms;
                r.phase = fault.empty() ? 0 : 1;
                r.key_state = ks;
                r.condition = cond;
                rows.push_back(std::move(r));
            }
    }

    // Streaming grid: per protocol the proxy serves, an intact stream; a dribbled one (each upstream frame whole,
    // 400 ms apart: is the first event forwarded before the upstream finishes?); a cut after the first frame; a
    // 200 with zero tokens; a 429 with Retry-After; a 500.
    if (with_upstream)
        for (const auto& protocol : s.stream_protocols) {
            const std::vector<std::pair<std::string, std::string>> cases = {
                {"ok", ""}, {"dribble", "dribble;ms=400;bytes=65536"}, {"cut", "cut;after=1"}, {"empty", "empty"},
                {"429", "status;code=429;retry_after=1"}, {"500", "status;code=500"}};
            for (const auto& [name, fault] : cases) {
                RowSpec r;
                r.kind = "stream";
                r.row = protocol + "." + name;
                r.probe = stream_probe(protocol, s);
                if (keyed) put_key(r.probe, native_carrier(protocol, s), s.key);
                r.fault = fault;
                r.timeout_ms = s.stream_timeout_ms;
                // A 429 may put the proxy's account into a cooldown that would answer other rows: last, alone.
                r.phase = name == "429" ? 2 : fault.empty() || name == "dribble" ? 0 : 1;
                r.protocol = protocol;
                r.stream_case = name;
                rows.push_back(std::move(r));
            }
        }
    return rows;
}

}  // namespace routecheck::grid
