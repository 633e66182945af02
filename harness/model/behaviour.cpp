#include "model/behaviour.hpp"

#include <set>

namespace routecheck {

namespace {

int status_at(const JsonAt& at, const std::string& key, int fallback, bool zero_ok = false) {
    int s = at.integer_or(key, fallback);
    if ((s == 0 && zero_ok) || (s >= 100 && s <= 599)) return s;
    at.at(key).fail("not an HTTP status");
}

void check_patterns(const JsonAt& at, const std::string& key, const std::vector<std::string>& patterns) {
    for (std::size_t i = 0; i < patterns.size(); ++i)
        if (patterns[i].empty() || patterns[i].front() != '/') at.at(key).at(i).fail("a path pattern starts with '/'");
}

std::vector<std::string> paths_at(const JsonAt& at, const std::string& key) {
    auto out = at.strings_or_empty(key);
    check_patterns(at, key, out);
    return out;
}

const std::set<std::string> kRuleMethods = {"*", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

StatusRule parse_rule(const JsonAt& at) {
    at.only_keys({"method", "path", "paths", "last_segment_has", "except", "unless_websocket", "upstream", "model_not",
                  "status", "note"});
    StatusRule r;
    r.method = at.str_or("method", "*");
    if (!kRuleMethods.count(r.method)) at.at("method").fail("unknown HTTP method '" + r.method + "'");
    if (at.has("path") == at.has("paths")) at.fail("give either \"path\" or \"paths\"");
    if (at.has("path")) {
        r.paths = {at.str("path")};
        if (r.paths.front().front() != '/') at.at("path").fail("a path pattern starts with '/'");
    } else {
        r.paths = paths_at(at, "paths");
        if (r.paths.empty()) at.at("paths").fail("must not be empty");
    }
    r.last_segment_has = at.str_or("last_segment_has", "");
    r.except = at.strings_or_empty("except");
    r.unless_websocket = at.boolean_or("unless_websocket", false);
    std::string up = at.str_or("upstream", "");
    if (!up.empty() && up != "unreachable") at.at("upstream").fail("expected \"unreachable\" (or leave it out)");
    r.upstream_unreachable = up == "unreachable";
    r.model_not = at.strings_or_empty("model_not");
    if (!at.has("status")) at.fail("an override needs its \"status\"");
    r.status = status_at(at, "status", 0);
    r.note = at.str_or("note", "");
    return r;
}

AdminApi parse_admin(const JsonAt& at) {
    at.only_keys({"routes", "exempt", "missing_key_status", "wrong_key_status", "note"});
    AdminApi a;
    auto routes = at.strings("routes");
    for (std::size_t i = 0; i < routes.size(); ++i) {
        auto sp = routes[i].find(' ');
        std::string m = sp == std::string::npos ? "" : routes[i].substr(0, sp);
        std::string p = sp == std::string::npos ? "" : routes[i].substr(sp + 1);
        if (!kRuleMethods.count(m) || p.empty() || p.front() != '/')
            at.at("routes").at(i).fail("expected \"METHOD /path\", e.g. \"GET /api/config\"");
        a.routes.emplace_back(m, p);
    }
    a.exempt = paths_at(at, "exempt");
    a.missing_key_status = status_at(at, "missing_key_status", a.missing_key_status);
    a.wrong_key_status = status_at(at, "wrong_key_status", a.wrong_key_status);
    return a;
}

Deployment parse_deployment(const JsonAt& at) {
    at.only_keys({"when", "unknown_get_status", "unknown_get_content_type", "unknown_other_status", "note"});
    Deployment d;
    d.when = at.str("when");
    d.unknown_get_status = status_at(at, "unknown_get_status", 0, true);
    d.unknown_other_status = status_at(at, "unknown_other_status", 0, true);
    return d;
}

}  // namespace

Behaviour parse_behaviour(const JsonAt& at) {
    at.expect_object();
    at.only_keys({"default_port",
                  "options_status",
                  "unknown_status",
                  "wrong_method_status",
                  "route_status",
                  "websocket_status",
                  "missing_key_status",
                  "wrong_key_status",
                  "auth_before_routing",
                  "auth_exempt",
                  "strict_exempt",
                  "auth_always",
                  "auth_always_exempt",
                  "disabled_status",
                  "disabled_exempt",
                  "health_calls_upstream",
                  "routes_known",
                  "routes_unseen_under",
                  "admin",
                  "route_status_overrides",
                  "deployments",
                  "note"});
    Behaviour b;
    b.default_port = at.integer_or("default_port", b.default_port);
    if (b.default_port < 1 || b.default_port > 65535) at.at("default_port").fail("not a TCP port");
    b.options_status = status_at(at, "options_status", b.options_status);
    b.unknown_status = status_at(at, "unknown_status", b.unknown_status);
    b.wrong_method_status = status_at(at, "wrong_method_status", b.wrong_method_status);
    b.route_status = status_at(at, "route_status", b.route_status);
    b.websocket_status = status_at(at, "websocket_status", b.websocket_status);
    b.missing_key_status = status_at(at, "missing_key_status", b.missing_key_status);
    b.wrong_key_status = status_at(at, "wrong_key_status", b.wrong_key_status);
    b.auth_before_routing = at.boolean_or("auth_before_routing", b.auth_before_routing);
    b.auth_exempt = paths_at(at, "auth_exempt");
    b.strict_exempt = paths_at(at, "strict_exempt");
    b.auth_always = paths_at(at, "auth_always");
    b.auth_always_exempt = paths_at(at, "auth_always_exempt");
    b.disabled_status = status_at(at, "disabled_status", b.disabled_status);
    b.disabled_exempt = paths_at(at, "disabled_exempt");
    b.health_calls_upstream = at.boolean_or("health_calls_upstream", false);
    b.routes_known = at.boolean_or("routes_known", true);
    b.routes_unseen_under = paths_at(at, "routes_unseen_under");
    if (at.has("admin")) b.admin = parse_admin(at.at("admin"));
    if (at.has("route_status_overrides")) {
        JsonAt rules = at.at("route_status_overrides");
        rules.expect_array();
        for (std::size_t i = 0; i < rules.size(); ++i) b.overrides.push_back(parse_rule(rules.at(i)));
    }
    if (at.has("deployments")) {
        JsonAt deps = at.at("deployments");
        deps.expect_object();
        for (auto it = deps.node().begin(); it != deps.node().end(); ++it)
            if (it.key() != "note") b.deployments[it.key()] = parse_deployment(deps.at(it.key()));
    }
    return b;
}

}  // namespace routecheck
