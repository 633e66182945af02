#include "probe/probe.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "contract/routes.hpp"
#include "http/base_url.hpp"
#include "http/client.hpp"
#include "join/join.hpp"
#include "judge/body.hpp"
#include "judge/classify.hpp"

namespace routecheck {

namespace {

struct Endpoint {
    std::string method, path;
};

// What clients append, per family (the troubleshooting document's routes and the recorded clients' endpoints).
const std::vector<Endpoint>& catalogue() {
    static const std::vector<Endpoint> e = {
        {"GET", "/models"},
        {"POST", "/chat/completions"},
        {"POST", "/completions"},
        {"POST", "/responses"},
        {"POST", "/messages"},
        {"POST", "/messages/count_tokens"},
        {"POST", "/models/gemini-2.5-flash:generateContent"},
        {"POST", "/models/gemini-2.5-flash:streamGenerateContent"},
    };
    return e;
}

const std::vector<std::string>& builtin_prefixes() {
    static const std::vector<std::string> p = {
        "",           "/v1",        "/v1beta",       "/api",    "/api/v1",       "/openai",
        "/openai/v1", "/anthropic", "/anthropic/v1", "/gemini", "/gemini/v1beta"};
    return p;
}

constexpr const char* kUnknownLeaf = "routecheck-probe-no-such-route";
constexpr const char* kWrongKey = "rc-probe-not-a-key";
// A well-formed body with a model and nothing to generate from: frameworks that parse the body (or check "model")
// before routing get past that to their 404, a route refuses it (400/422) or forwards it, and an upstream refuses
// it before any model runs. suites/probe proves from the mock's journal that nothing billable arrives.
constexpr const char* kProbeBody = R"({"model":"routecheck-probe"})";

bool is_auth(int s) { return s == 401 || s == 403; }

// The key's answer: 401/403, or another error whose body says the key is missing or wrong (LiteLLM answers a
// request without its key 500 "No api key passed in" and a wrong key 400 "Authentication Error": its behaviour
// grid, fixtures/grids/litellm.json).
bool key_answer(const ProbedAnswer& a) {
    if (is_auth(a.status)) return true;
    if (a.status < 400 || a.status > 599) return false;
    std::string body = a.body;
    std::transform(body.begin(), body.end(), body.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* w :
         {"api key", "api_key", "apikey", "authentication", "unauthorized", "unauthorised", "invalid token"})
        if (body.find(w) != std::string::npos) return true;
    return false;
}
bool is_2xx(int s) { return s >= 200 && s < 300; }

std::string answer_words(const ProbedAnswer& a) {
    if (a.status == 0) return "no answer";
    BodyReading b = read_body(a.content_type, a.body);
    return std::to_string(a.status) + (b.what.empty() ? " (empty)" : " with " + b.what);
}

// What a body looks like without its wording: a JSON object's keys (and the codes and types inside its error), or
// just its kind. Frameworks echo the path in a 404 message, so the text itself is never compared.
std::string signature(const ProbedAnswer& a) {
    BodyReading b = read_body(a.content_type, a.body);
    std::string sig = std::to_string(static_cast<int>(b.kind));
    auto j = nlohmann::json::parse(a.body, nullptr, false);
    if (!j.is_object()) return sig;
    std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& o,
                                                                              const std::string& at) {
        for (auto it = o.begin(); it != o.end(); ++it) {
            sig += " " + at + it.key();
            if ((it.key() == "code" || it.key() == "type" || it.key() == "status") &&
                (it->is_string() || it->is_number()))
                sig += "=" + it->dump();
            if (it->is_object() && at.size() < 8) walk(*it, at + it.key() + ".");
        }
    };
    walk(j, "");
    return sig;
}

// The same kind of answer: status and body signature.
bool same_kind(const ProbedAnswer& a, const ProbedAnswer& b) {
    return a.status == b.status && signature(a) == signature(b);
}

std::string gemini_general(const std::string& path) {
    static const std::regex model(R"((/models/)[^/:]+(:[A-Za-z]+)$)");
    return std::regex_replace(path, model, "$1*");
}

class Prober {
public:
    Prober(const ProbeOptions& o, ProbeResult& r) : opt_(o), r_(r) {}

    ProbedAnswer send(const std::string& method, const std::string& path, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& key_headers) {
        HttpRequest rq;
        rq.method = method;
        rq.url = opt_.target + path;
        rq.headers = key_headers;
        for (const auto& h : opt_.headers) rq.headers.push_back(h);
        if (method == "POST") rq.headers.emplace_back("content-type", "application/json");
        rq.body = body;
        rq.timeout_ms = opt_.timeout_ms;
        rq.connect_timeout_ms = 1500;
        rq.keep_body = 300;
        HttpResponse res = http_.send(rq);
        ++r_.requests;
        ProbedAnswer a{method, path, res.status, "", res.body_excerpt, ""};
        if (auto it = res.headers.find("content-type"); it != res.headers.end()) a.content_type = it->second;
        if (auto it = res.headers.find("location"); it != res.headers.end()) a.location = it->second;
        if (res.status >= 300 && res.status < 400)
            r_.redirects.push_back(method + " " + path + " -> " + std::to_string(res.status) + " " + a.location);
        return a;
    }

    // Every key header at once: the probe wants the route's answer, not the key's.
    std::vector<std::pair<std::string, std::string>> all_keys() const {
        if (opt_.api_key.empty()) return {};
        return {
            {"authorization", "Bearer " + opt_.api_key}, {"x-api-key", opt_.api_key}, {"x-goog-api-key", opt_.api_key}};
    }

    const ProbedAnswer& control(const std::string& method, const std::string& prefix) {
        auto key = method + " " + prefix;
        auto it = controls_.find(key);
        if (it == controls_.end())
            it = controls_
                     .emplace(key,
                              send(method, prefix + "/" + kUnknownLeaf, method == "POST" ? kProbeBody : "", all_keys()))
                     .first;
        return it->second;
    }

    ProbedRoute judge_get(const std::string& prefix, const std::string& path) {
        ProbedRoute pr{"GET", path, "", "unknown", ""};
        ProbedAnswer a = send("GET", path, "", all_keys());
        const ProbedAnswer& c = control("GET", prefix);
        std::string ctl = "unknown paths: " + answer_words(c);
        if (a.status == 0) pr.how = "no answer";
        else if (a.status == 405) {
            pr.state = "absent";
            pr.how = "GET 405: a route for another method";
        } else if (same_kind(a, c)) {
            pr.state = c.status == 404 ? "absent" : "unknown";
            pr.how = "answers like an unknown path (" + answer_words(a) + ")";
        } else if (is_2xx(a.status) && read_body(a.content_type, a.body).kind == BodyKind::Html) {
            pr.how = "GET " + answer_words(a) + ", not an API answer (" + ctl + ")";
        } else {
            pr.state = "route";
            pr.how = "GET " + answer_words(a) + " (" + ctl + ")";
            if (is_auth(a.status)) r_.auth_seen = true;
        }
        return pr;
    }

    ProbedRoute judge_post(const std::string& prefix, const std::string& path) {
        ProbedRoute pr{"POST", path, "", "unknown", ""};
        ProbedAnswer g = send("GET", path, "", all_keys());
        const ProbedAnswer& cg = control("GET", prefix);
        if (g.status == 405 && cg.status != 405) {
            pr.state = "route";
            pr.how = "GET 405 (unknown paths: " + answer_words(cg) + ")";
            return pr;
        }
        ProbedAnswer p = send("POST", path, kProbeBody, all_keys());
        const ProbedAnswer& c = control("POST", prefix);
        std::string ctl = "unknown paths: " + answer_words(c);
        if (p.status == 0) pr.how = "no answer";
        else if (same_kind(p, c)) {
            pr.state = c.status == 404 ? "absent" : "unknown";
            pr.how = "answers like an unknown path (" + answer_words(p) + ")";
        } else if (p.status == 405) {
            // The path is a route for another method (LiteLLM: GET /v1/models/{id} answers a Gemini client's POST
            // /v1/models/{model}:generateContent with 405): nothing a POST client can use.
            pr.state = "absent";
            pr.how = "POST 405: a route for another method (" + ctl + ")";
        } else if (p.status == 400 || p.status == 415 || p.status == 422) {
            pr.state = "route";
            pr.how = "POST with a body that has nothing to generate from: " + answer_words(p) + " (" + ctl + ")";
        } else if (is_auth(p.status)) {
            pr.state = "route";
            pr.how = std::to_string(p.status) + " here, " + ctl + ": the key is checked after routing";
            r_.auth_seen = true;
        } else if (p.status == 501) {
            pr.state = "route";
            pr.how = "501: the route exists but is not implemented";
            r_.not_implemented.push_back("POST " + path);
        } else if (p.status >= 300 && p.status < 400) {
            pr.how = "redirect " + std::to_string(p.status) + " to " + p.location;
        } else {
            pr.state = "route";
            pr.how = "POST with a body that has nothing to generate from: " + answer_words(p) + " (" + ctl + ")";
        }
        return pr;
    }

    void health() {
        for (const char* path : {"/health", "/healthz", "/api/health", "/"}) {
            ProbedAnswer a = send("GET", path, "", {});
            if (a.status == 0) continue;
            r_.listening = true;
            if (is_auth(a.status) && !opt_.api_key.empty()) a = send("GET", path, "", all_keys());
            if (is_2xx(a.status) && r_.health_path.empty() && read_body(a.content_type, a.body).kind != BodyKind::Html)
                r_.health_path = path;
            auto j = nlohmann::json::parse(a.body, nullptr, false);
            if (r_.version.empty() && j.is_object() && j.contains("version") && j["version"].is_string())
                r_.version = j["version"].get<std::string>();
            r_.health.push_back(std::move(a));
        }
    }

    void keys(const ProbedRoute* ref) {
        // Without a key an unknown path gets the key's answer when the key is checked before routing.
        ProbedAnswer bare = send("GET", std::string("/") + kUnknownLeaf, "", {});
        std::string path = ref ? ref->path : std::string("/") + kUnknownLeaf;
        std::string method = ref ? ref->method : "GET";
        std::string body0 = method == "POST" ? kProbeBody : "";
        ProbedAnswer keyless = send(method, path, body0, {});
        ProbedAnswer bare_v1 = send("GET", std::string("/v1/") + kUnknownLeaf, "", {});
        // A known route that answers with the keys but errs without them checks the key even when its error does
        // not say so (LiteLLM: GET /models without its key is a bare 500 "Internal Server Error").
        bool key_matters = false;
        if (!opt_.api_key.empty() && ref && keyless.status >= 400) {
            ProbedAnswer keyed = send(method, path, body0, all_keys());
            key_matters = keyed.status != 0 && keyed.status < 400;
        }
        if (key_answer(bare) || key_answer(bare_v1) || key_answer(keyless) || key_matters) r_.auth_seen = true;
        if (!r_.auth_seen) {
            r_.auth_order = "none";
            return;
        }
        r_.auth_order = key_answer(bare)      ? "before-routing"
                        : key_answer(bare_v1) ? "before-routing under /v1"
                                              : "after-routing";
        const std::string& body = body0;
        const ProbedAnswer& none = keyless;
        const std::string value = opt_.api_key.empty() ? kWrongKey : opt_.api_key;
        struct Carrier {
            std::string name, header, prefix;
        };
        for (const Carrier& k : std::vector<Carrier>{{"authorization", "authorization", "Bearer "},
                                                     {"x-api-key", "x-api-key", ""},
                                                     {"x-goog-api-key", "x-goog-api-key", ""},
                                                     {"query-key", "", ""}}) {
            std::string p = path;
            std::vector<std::pair<std::string, std::string>> h;
            if (k.header.empty()) p += (p.find('?') == std::string::npos ? "?key=" : "&key=") + value;
            else h.emplace_back(k.header, k.prefix + value);
            ProbedAnswer a = send(method, p, body, h);
            bool same_as_none = a.status == none.status && a.body == none.body;
            bool read = opt_.api_key.empty() ? !same_as_none : !key_answer(a) && !(key_matters && same_as_none);
            if (read) r_.carriers.push_back(k.name);
        }
        r_.carriers_how = opt_.api_key.empty()
                              ? "a wrong key in each header, answered otherwise than no key at all (no --api-key)"
                              : "the key in each header alone: the ones that are not refused";
        if (opt_.api_key.empty() && r_.carriers.empty())
            r_.carriers_how = "unknown: a wrong key gets the same answer as none (give --api-key to learn them)";
    }

    void run() {
        BaseUrl t = parse_base_url(opt_.target);
        if (!is_loopback(t))
            throw std::invalid_argument("--target " + opt_.target + ": only loopback addresses are probed");
        opt_.target = "http://" + t.host + ":" + std::to_string(t.port);
        r_.target = opt_.target;
        http_global_init();
        health();
        if (!r_.listening) {
            r_.notes.push_back("nothing answers at " + opt_.target);
            return;
        }
        const ProbedAnswer& unknown = control("GET", "");
        r_.unknown_answer = answer_words(unknown);
        r_.soft_404 = is_2xx(unknown.status);
        if (r_.soft_404) r_.notes.push_back("a soft 404: any unknown path gets " + answer_words(unknown));
        for (const std::string prefix : {"/v1", "/v1beta"}) {
            const ProbedAnswer& c = control("POST", prefix);
            // A key check's answer (401, or a body about the key) is the proxy's own, whatever its shape: not an
            // upstream's error passed through (a dashboard login in front of /v1 is no pass-through).
            if (!r_.pass_through && !key_answer(c) &&
                read_body(c.content_type, c.body).kind == BodyKind::UpstreamError &&
                read_body(control("POST", "").content_type, control("POST", "").body).kind != BodyKind::UpstreamError) {
                r_.pass_through = true;
                r_.pass_through_prefix = prefix;
                r_.notes.push_back("a pass-through: unknown paths under " + prefix + "/ come back with " +
                                   answer_words(c));
            }
        }
        std::vector<std::string> prefixes = builtin_prefixes();
        for (const auto& p : opt_.prefixes) {
            std::string q = p;
            while (!q.empty() && q.back() == '/') q.pop_back();
            for (const std::string& v : {q, q + "/v1", q + "/v1beta"})
                if (std::find(prefixes.begin(), prefixes.end(), v) == prefixes.end()) prefixes.push_back(v);
        }
        std::vector<Endpoint> endpoints = catalogue();
        for (const auto& e : opt_.endpoints) {
            auto sp = e.find(' ');
            if (sp == std::string::npos) continue;
            Endpoint x{e.substr(0, sp), e.substr(sp + 1)};
            if (x.path.find('?') != std::string::npos) x.path = x.path.substr(0, x.path.find('?'));
            bool known = std::any_of(endpoints.begin(), endpoints.end(),
                                     [&](const Endpoint& y) { return y.method == x.method && y.path == x.path; });
            if (!known) endpoints.push_back(x);
        }
        std::set<std::string> done;
        for (const auto& prefix : prefixes)
            for (const auto& e : endpoints) {
                std::string path = prefix + e.path;
                if (!done.insert(e.method + " " + path).second) continue;
                ProbedRoute pr = e.method == "GET" ? judge_get(prefix, path) : judge_post(prefix, path);
                pr.family = path_family(path);
                if (pr.family.empty() && e.path == "/models")
                    pr.family = prefix.find("v1beta") != std::string::npos ? "gemini" : "openai";
                r_.routes.push_back(pr);
            }
        const ProbedRoute* ref = nullptr;
        for (const auto& pr : r_.routes)
            if (pr.state == "route" && (!ref || (pr.method == "GET" && ref->method != "GET"))) ref = &pr;
        keys(ref);
        // Only /v1 is gated: the paths outside it were seen. The ones under it were not when no path there could
        // be told apart (no key was given, or the one given does not open the gate).
        const bool v1_unseen = std::none_of(r_.routes.begin(), r_.routes.end(), [](const ProbedRoute& x) {
            return x.state != "unknown" && x.path.rfind("/v1/", 0) == 0;
        });
        if (r_.auth_order == "before-routing under /v1" && v1_unseen) {
            r_.unseen_under = {"/v1"};
            r_.unseen_answer = answer_words(control("GET", "/v1"));
            r_.notes.push_back(
                "the key is checked before routing under /v1 and " +
                std::string(opt_.api_key.empty() ? "no --api-key was given" : "the --api-key given does not open it") +
                ": every path under /v1 gets " + r_.unseen_answer + ", so its routes stay unknown");
        } else if (r_.auth_order == "before-routing" && opt_.api_key.empty()) {
            r_.notes.push_back("the key is checked before routing and no --api-key was given: every path gets " +
                               r_.unknown_answer + ", so routes stay unknown");
        }
    }

private:
    ProbeOptions opt_;
    ProbeResult& r_;
    HttpClient http_;
    std::map<std::string, ProbedAnswer> controls_;
};

}  // namespace

ProbeResult probe(const ProbeOptions& options) {
    ProbeResult r;
    Prober p(options, r);
    p.run();
    return r;
}

nlohmann::json probe_json(const ProbeResult& r) {
    nlohmann::json routes = nlohmann::json::array();
    for (const auto& x : r.routes)
        routes.push_back(
            {{"method", x.method}, {"path", x.path}, {"family", x.family}, {"state", x.state}, {"how", x.how}});
    nlohmann::json health = nlohmann::json::array();
    for (const auto& h : r.health)
        health.push_back({{"path", h.path}, {"status", h.status}, {"content_type", h.content_type}});
    return {{"target", r.target},
            {"listening", r.listening},
            {"health", health},
            {"health_path", r.health_path},
            {"version", r.version},
            {"unknown_answer", r.unknown_answer},
            {"soft_404", r.soft_404},
            {"pass_through", r.pass_through},
            {"pass_through_prefix", r.pass_through_prefix},
            {"auth",
             {{"seen", r.auth_seen},
              {"order", r.auth_order},
              {"carriers", r.carriers},
              {"how", r.carriers_how},
              {"unseen_under", r.unseen_under}}},
            {"redirects", r.redirects},
            {"not_implemented", r.not_implemented},
            {"routes", routes},
            {"requests", r.requests},
            {"notes", r.notes}};
}

nlohmann::json probed_profile(const ProbeResult& r, const std::string& id, const std::string& date) {
    nlohmann::json routes = nlohmann::json::array();
    std::set<std::string> seen;
    std::set<std::string> families;
    for (const auto& x : r.routes) {
        if (x.state != "route") continue;
        std::string path = gemini_general(x.path);
        if (!seen.insert(x.method + " " + path).second) continue;
        routes.push_back({{"method", x.method}, {"path", path}, {"note", "probed: " + x.how}});
        if (!x.family.empty()) families.insert(x.family);
    }
    if (r.pass_through)
        for (const char* m : {"GET", "POST"})
            routes.push_back({{"method", m},
                              {"path", r.pass_through_prefix + "/**"},
                              {"note", "probed: a pass-through (unknown paths come back with an upstream's error)"}});
    if (!r.health_path.empty())
        routes.push_back({{"method", "GET"}, {"path", r.health_path}, {"note", "probed: health"}});
    // Whether the table means anything: only when the probe could tell paths apart at all.
    bool told_apart =
        std::any_of(r.routes.begin(), r.routes.end(), [](const ProbedRoute& x) { return x.state != "unknown"; });
    std::string notes = "Learned by `routecheck probe` from " + r.target + " on " + date + " (" +
                        std::to_string(r.requests) + " requests, none billable). Unknown paths: " + r.unknown_answer +
                        ". Key: " + (r.auth_seen ? "checked " + r.auth_order : std::string("not asked for")) + ".";
    for (const auto& n : r.notes) notes += " " + n + ".";
    nlohmann::json p = {{"id", id},
                        {"name", "the proxy at " + r.target},
                        {"provenance", "probed"},
                        {"source", {{"probed_at", date}, {"target", r.target}, {"version", r.version}}},
                        {"health", {{"path", r.health_path.empty() ? "/" : r.health_path}}},
                        {"capabilities", std::vector<std::string>(families.begin(), families.end())},
                        {"routes", routes},
                        {"behaviour",
                         {{"auth_before_routing", r.auth_order.rfind("before-routing", 0) == 0},
                          {"routes_known", told_apart},
                          {"routes_unseen_under", r.unseen_under}}},
                        {"notes", notes}};
    // The key itself is never stored; the profile says a key is needed and where the proxy reads it.
    if (r.auth_seen) p["auth"] = {{"key", "(needed; not stored)"}, {"carriers", r.carriers}};
    return p;
}

std::vector<std::string> profile_differences(const ProbeResult& r, const ProxyProfile& profile) {
    std::vector<std::string> out;
    if (!r.version.empty() && !profile.npm_version.empty() && r.version != profile.npm_version)
        out.push_back("its health endpoint says version " + r.version + "; the " + profile.id + " profile is " +
                      profile.npm_version);
    for (const auto& x : r.routes) {
        if (x.state != "absent") continue;
        if (match_route(profile.routes, x.method, x.path) == RouteMatch::Route)
            out.push_back(profile.id + " serves " + x.method + " " + x.path + "; the target " + x.how);
    }
    return out;
}

}  // namespace routecheck
