// The grid rows: the row catalogue (fixtures/grids/catalogue.json, model/grid_file.hpp) with the values of one proxy
// (its profile and the setup overrides of its grid file) filled in.
#include <algorithm>

#include "contract/routes.hpp"
#include "grid/grid.hpp"

namespace routecheck::grid {

namespace {

using Vars = std::map<std::string, std::string>;

bool has_route(const ProxyProfile& p, const std::string& method, const std::string& path) {
    return match_route(p.routes, method, path) == RouteMatch::Route;
}

// `text` with each {name} of `vars` replaced (the catalogue's loader let only kGridPlaceholders through).
std::string fill(std::string text, const Vars& vars) {
    for (const auto& [name, value] : vars) {
        const std::string token = "{" + name + "}";
        for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
            text.replace(at, token.size(), value);
    }
    return text;
}

nlohmann::json fill(const nlohmann::json& body, const Vars& vars) {
    if (body.is_string()) return fill(body.get<std::string>(), vars);
    if (!body.is_structured()) return body;
    nlohmann::json out = body;
    for (auto it = out.begin(); it != out.end(); ++it) *it = fill(*it, vars);  // array elements and member values
    return out;
}

Probe fill(const Probe& p, const Vars& vars) {
    Probe out{fill(p.method, vars), fill(p.path, vars), fill(p.body, vars), {}};
    for (const auto& [name, value] : p.headers) out.headers[name] = fill(value, vars);
    return out;
}

// The known route of the auth grid: the catalogue's first candidate whose route the proxy has.
Probe default_known(const GridCatalogue& c, const ProxyProfile& p) {
    for (const auto& k : c.known)
        if (!k.if_route || has_route(p, k.probe.method, k.probe.path)) return k.probe;
    return c.known.back().probe;  // not reached: the loader makes the last candidate unconditional
}

// The header a client of that protocol carries its key in; the proxy's first carrier when it does not read it.
std::string native_carrier(const GridCatalogue::StreamProtocol& protocol, const Setup& s) {
    const std::string& want = protocol.key_header;
    if (s.carriers.empty() || std::find(s.carriers.begin(), s.carriers.end(), want) != s.carriers.end()) return want;
    return s.carriers.front();
}

void put_key(Probe& p, const std::string& carrier, const std::string& key) {
    p.headers[carrier] = carrier == "authorization" ? "Bearer " + key : key;
}

// A key state's key for this proxy: "" (none), its own ("{key}") or the fixed wrong one.
std::string key_of(const GridCatalogue::KeyState& k, const Setup& s) { return k.key == "{key}" ? s.key : k.key; }

}  // namespace

Setup setup_for(const GridCatalogue& c, const ProxyProfile& proxy, const GridSetup& o) {
    Setup s;
    s.known = o.known ? *o.known : default_known(c, proxy);
    s.api_prefix = o.api_prefix.value_or(c.api_prefix);
    s.health_path = o.health_path.value_or(proxy.health_path);
    s.carriers = proxy.auth_carriers;
    s.key = proxy.api_key;
    if (o.stream_protocols) {
        s.stream_protocols = *o.stream_protocols;
    } else {
        for (const auto& p : c.stream.protocols)
            if (std::find(proxy.capabilities.begin(), proxy.capabilities.end(), p.id) != proxy.capabilities.end())
                s.stream_protocols.push_back(p.id);
    }
    s.health_timeout_ms = o.health_timeout_ms.value_or(c.health_timeout_ms);
    s.stream_timeout_ms = o.stream_timeout_ms.value_or(c.stream_timeout_ms);
    s.models = o.models;
    return s;
}

std::vector<RowSpec> plan_rows(const GridCatalogue& c, const Setup& s, bool with_upstream) {
    std::vector<RowSpec> rows;
    const bool keyed = !s.key.empty();
    const Vars vars = {{"api_prefix", s.api_prefix},
                       {"health_path", s.health_path},
                       {"known_method", s.known.method},
                       {"known_path", s.known.path},
                       {"2x_health_timeout_ms", std::to_string(2L * s.health_timeout_ms)}};

    // Auth grid: each key state x (with a key) each carrier x each target. A keyless proxy gets the no-key row of
    // each target: its routing baseline.
    for (const auto& state : c.auth.key_states) {
        const std::string key = key_of(state, s);
        if (!state.key.empty() && !keyed) continue;
        std::vector<std::string> carriers = {""};
        if (!key.empty()) carriers = c.auth.carriers;
        for (const auto& carrier : carriers)
            for (const auto& target : c.auth.targets) {
                if (target.needs_health && s.health_path.empty()) continue;
                RowSpec r;
                r.kind = "auth";
                r.row = state.id + (carrier.empty() ? "" : "." + carrier) + "." + target.id;
                r.probe = target.known ? s.known : fill(target.probe, vars);
                if (!key.empty()) put_key(r.probe, carrier, key);
                r.key_state = state.id;
                r.carrier = carrier;
                r.target = target.id;
                r.timeout_ms = c.auth.timeout_ms;
                rows.push_back(std::move(r));
            }
    }

    // Health grid: the health endpoint under each upstream condition, without and with the key.
    if (!s.health_path.empty())
        for (const auto& cond : c.health.conditions) {
            if (!cond.fault.empty() && !with_upstream) continue;  // the mock plays the faults
            for (const auto& state : c.health.key_states) {
                const std::string key = key_of(state, s);
                if (!state.key.empty() && !keyed) continue;
                RowSpec r;
                r.kind = "health";
                r.row = cond.id + "." + state.id;
                r.probe = {"GET", s.health_path, nullptr, {}};
                if (!key.empty()) put_key(r.probe, s.carriers.empty() ? "authorization" : s.carriers.front(), key);
                r.fault = fill(cond.fault, vars);
                r.timeout_ms = s.health_timeout_ms;
                r.phase = cond.phase;
                r.key_state = state.id;
                r.condition = cond.id;
                rows.push_back(std::move(r));
            }
        }

    // Streaming grid: per protocol the proxy serves, each upstream case (all need the mock upstream).
    if (with_upstream)
        for (const auto& id : s.stream_protocols) {
            const GridCatalogue::StreamProtocol* protocol = c.protocol(id);
            if (!protocol)
                throw FixtureError(c.file.string(), "/stream/protocols",
                                   "no stream protocol '" + id + "' (named by a grid file's setup.stream_protocols)");
            Vars with_model = vars;
            auto model = s.models.find(id);
            with_model["model"] = model == s.models.end() ? protocol->default_model : model->second;
            for (const auto& stream_case : c.stream.cases) {
                RowSpec r;
                r.kind = "stream";
                r.row = id + "." + stream_case.id;
                r.probe = fill(protocol->probe, with_model);
                if (keyed) put_key(r.probe, native_carrier(*protocol, s), s.key);
                r.fault = fill(stream_case.fault, vars);
                r.timeout_ms = s.stream_timeout_ms;
                r.phase = stream_case.phase;
                r.protocol = id;
                r.stream_case = stream_case.id;
                rows.push_back(std::move(r));
            }
        }
    return rows;
}

}  // namespace routecheck::grid
