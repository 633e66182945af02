// `routecheck doctor`: the troubleshooting procedure for one client + Base URL, as a command.
//   1. Is the proxy up?  2. 401 or 404?  3. Which path does the client build, is it a route?  4. Verdict and fix.
// Without --target it answers from the proxy profile alone (no network). With --target it probes a running proxy,
// but never sends a step that would spend upstream quota: those are classified from the route table, and it says so.
#include <algorithm>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "join/join.hpp"
#include "judge/classify.hpp"
#include "judge/predict.hpp"
#include "judge/recommend.hpp"
#include "judge/routes.hpp"
#include "replay/replay.hpp"

namespace routecheck::cli {

namespace {

const char* kHelp = R"(usage: routecheck doctor --client ID --base-url URL [--target URL] [--api-key K] [--proxy ID] [--json]
                        [--fixtures DIR]... [--override]
Diagnoses one client profile at one Base URL against a proxy, step by step:
  1. Is the proxy up?  2. 401 or 404?  3. Which path does the client build, is it a route?  4. Verdict and fix.

  --client ID      client profile (routecheck list-cells shows the ids)
  --base-url URL   the Base URL as typed into the client
  --proxy ID       proxy profile (default: antigravity-tools, else the first profile)
  --target URL     a running proxy (http://host:port) to probe; without it, no request is sent
  --api-key K      the running proxy's key, to tell a 401 from a 404
  --json           machine-readable output
Requests that would spend upstream quota are never sent: they are judged from the proxy's route table.
Exit: 0 the client would work, 1 it would not, 2 usage error.
)";

struct Probe {
    bool sent = false;
    std::string url;
    int status = 0;
    TransportError error = TransportError::None;
    std::string error_text, content_type, body;
};

struct StepCheck {
    const Step* step = nullptr;
    FinalRequest req;
    RouteMatch match = RouteMatch::NoRoute;
    std::string how;  // "sent" or why it was judged from the route table
    Probe probe;
    int status = 0;  // observed, else predicted from the route table
    Finding finding;
};

struct Report {
    std::optional<Probe> health;  // step 1 (only with --target)
    std::optional<Probe> without_key, with_key;
    const StepCheck* auth_step = nullptr;
    std::vector<StepCheck> steps;
    Finding verdict, path_verdict;  // path_verdict: what the paths alone say (a 401 can hide it)
    Recommendation rec;
    std::string rec_url;
};

Probe send(HttpClient& http, const std::string& method, const std::string& url,
           std::vector<std::pair<std::string, std::string>> headers, const std::string& body) {
    HttpRequest rq;
    rq.method = method;
    rq.url = url;
    rq.headers = std::move(headers);
    rq.body = body;
    rq.timeout_ms = 5000;
    rq.connect_timeout_ms = 1500;
    rq.keep_body = 300;
    HttpResponse r = http.send(rq);
    Probe p{true, url, r.status, r.error, r.error_text, "", r.body_excerpt};
    if (auto it = r.headers.find("content-type"); it != r.headers.end()) p.content_type = it->second;
    return p;
}

// The step's own headers, plus the client's key header when a key is given.
std::vector<std::pair<std::string, std::string>> step_headers(const ClientProfile& c, const Step& s,
                                                              const std::string& key) {
    std::vector<std::pair<std::string, std::string>> h(s.headers.begin(), s.headers.end());
    if (!key.empty() && !c.auth_header.empty()) h.emplace_back(c.auth_header, c.auth_prefix + key);
    return h;
}

// A recommended template at the user's own host and port ("http://127.0.0.1:{port}/v1" -> "http://localhost:8045/v1").
std::string at_user_origin(const std::string& templ, const BaseUrl& user) {
    std::string r = render_base_url(templ, user.port, 9);
    std::string probe_origin = "http://127.0.0.1:" + std::to_string(user.port);
    if (r.rfind(probe_origin, 0) == 0) r = "http://" + user.host + ":" + std::to_string(user.port) + r.substr(probe_origin.size());
    return r;
}

Report diagnose(const Fixtures& f, const ClientProfile& client, const ProxyProfile& proxy, const std::string& base,
                const std::optional<BaseUrl>& target, const std::string& key) {
    Report r;
    BaseUrl user = parse_base_url(base);
    r.rec = recommend(client, proxy, f);
    if (r.rec.found) r.rec_url = at_user_origin(r.rec.base_url, user);
    for (auto pos = r.rec.note.find("{port}"); pos != std::string::npos; pos = r.rec.note.find("{port}"))
        r.rec.note.replace(pos, 6, std::to_string(user.port));
    for (auto& alt : r.rec.alternatives)  // "kilo-code-google at http://127.0.0.1:{port}"
        if (auto at = alt.find(" at "); at != std::string::npos)
            alt = alt.substr(0, at + 4) + at_user_origin(alt.substr(at + 4), user);
    std::string origin = target ? "http://" + target->host + ":" + std::to_string(target->port) : "";
    HttpClient* http = nullptr;
    std::optional<HttpClient> owned;
    if (target) {
        http_global_init();
        owned.emplace();
        http = &*owned;
        std::string hp = proxy.health_path.empty() ? "/" : proxy.health_path;
        r.health = send(*http, "GET", origin + hp, {}, "");
    }
    bool up = !r.health || r.health->status != 0;
    for (const auto& s : client.steps) {
        StepCheck c;
        c.step = &s;
        c.req = join_request(client.join, base, s);
        c.match = match_route(proxy.routes, s.method, c.req.path);
        if (!target) c.how = "route table (no --target: nothing sent)";
        else if (!up) c.how = "not sent (nothing listens)";
        else if (s.spends_quota) c.how = "route table (not sent: it would spend upstream quota)";
        else if (s.websocket) c.how = "route table (websocket attempt: not sent)";
        else c.how = "sent";
        r.steps.push_back(std::move(c));
    }
    // Step 2: the first step that costs nothing, without the key and (when given) with it.
    for (auto& c : r.steps) {
        if (c.how != "sent") continue;
        std::string body = c.step->body ? c.step->body->dump() : "";
        std::string url = origin + c.req.target;
        if (!r.auth_step) {
            r.auth_step = &c;
            r.without_key = send(*http, c.step->method, url, step_headers(client, *c.step, ""), body);
            c.probe = *r.without_key;
            if (!key.empty()) c.probe = *(r.with_key = send(*http, c.step->method, url, step_headers(client, *c.step, key), body));
        } else {
            c.probe = send(*http, c.step->method, url, step_headers(client, *c.step, key), body);
        }
    }
    for (auto& c : r.steps) {
        StepFacts facts{c.step->method, c.req.target, 0, TransportError::None, false, client.protocol, r.rec_url, ""};
        if (c.probe.sent) {
            facts.status = c.status = c.probe.status;
            facts.error = c.probe.error;
            facts.body_excerpt = c.probe.body;
        } else if (target && !up) {
            facts.status = 0;
            facts.error = r.health->error;
        } else {
            facts.status = c.status = predict_status(proxy, c.step->method, c.req.path, PredictOptions{});
        }
        c.finding = classify_step(facts, proxy);
        if (c.probe.sent && c.probe.status == 404 && c.match == RouteMatch::Route)
            c.finding = {Diagnosis::Unexpected,
                         "404 on " + c.req.path + ", which is a route of " + proxy.name +
                             ": what listens at " + target->host + ":" + std::to_string(target->port) +
                             " is probably not " + proxy.name + " (or a version with other routes)",
                         "check which server listens on that port; start " + proxy.name + " there or fix the port"};
        if (!c.probe.sent && facts.status) c.finding.reason = "[route table] " + c.finding.reason;
    }
    // The verdict: the first step that is not OK (websocket attempts are optional: clients fall back to HTTP).
    // Route answers are judged with the key when one was given; a 401/403 then decides before any path.
    r.verdict = r.path_verdict = {Diagnosis::Ok, "every step lands on a route of " + proxy.name, ""};
    bool path_set = false;
    for (const auto& c : r.steps) {
        if (c.step->websocket || c.finding.diagnosis == Diagnosis::Ok) continue;
        bool auth = c.finding.diagnosis == Diagnosis::AuthMissing || c.finding.diagnosis == Diagnosis::AuthRejected;
        if (!path_set && !auth) {
            r.path_verdict = c.finding;
            path_set = true;
        }
        if (r.verdict.diagnosis == Diagnosis::Ok) r.verdict = c.finding;
    }
    if (r.verdict.diagnosis == Diagnosis::AuthMissing || r.verdict.diagnosis == Diagnosis::AuthRejected) {
        std::string header = client.auth_header + ": " + client.auth_prefix + "<key>";
        r.verdict.fix += "; " + client.id + " sends it as `" + header + "`" +
                         (key.empty() ? " (pass --api-key to let the doctor check the key)" : "");
        if (!path_set) {  // the key hid the paths: judge them from the route table instead
            for (const auto& c : r.steps) {
                if (c.step->websocket) continue;
                int st = predict_status(proxy, c.step->method, c.req.path, PredictOptions{});
                Finding fd = classify_step({c.step->method, c.req.target, st, TransportError::None, false,
                                            client.protocol, r.rec_url, ""}, proxy);
                if (fd.diagnosis != Diagnosis::Ok) {
                    r.path_verdict = fd;
                    r.path_verdict.reason = "[route table] " + fd.reason;
                    break;
                }
            }
        }
    }
    // Every path lands, but (judged from the profiles, nothing sent) the proxy reads its key from headers this
    // client does not send: a 401 is what the user will see, and it is not a route problem.
    bool probed = std::any_of(r.steps.begin(), r.steps.end(), [](const auto& c) { return c.probe.sent; });
    if (r.verdict.diagnosis == Diagnosis::Ok && !probed && !r.rec.caveat.empty())
        r.verdict = {Diagnosis::AuthMissing, "[profiles] " + r.rec.caveat,
                     "the Base URL is right; make the client send the key the way " + proxy.name + " reads it"};
    if (r.verdict.diagnosis != Diagnosis::Ok && !r.rec.found && !r.rec.alternatives.empty() &&
        r.verdict.diagnosis != Diagnosis::NotListening)
        r.verdict.fix += "; or switch to another mode of the client: " + r.rec.alternatives.front();
    return r;
}

const char* match_text(RouteMatch m) {
    switch (m) {
        case RouteMatch::Route: return "route";
        case RouteMatch::WrongMethod: return "wrong-method";
        case RouteMatch::NoRoute: return "no-route";
    }
    return "no-route";
}

nlohmann::json probe_json(const std::optional<Probe>& p) {
    if (!p) return nullptr;
    return {{"url", p->url}, {"status", p->status}, {"error", p->error == TransportError::None ? "" : to_string(p->error)},
            {"content_type", p->content_type}};
}

nlohmann::json finding_json(const Finding& f) {
    return {{"class", to_string(f.diagnosis)}, {"reason", f.reason}, {"fix", f.fix}};
}

nlohmann::json to_json(const Report& r, const ClientProfile& client, const ProxyProfile& proxy, const std::string& base,
                       const std::string& target) {
    nlohmann::json j = {{"client", client.id}, {"proxy", proxy.id}, {"proxy_provenance", proxy.provenance},
                        {"base_url", base}, {"target", target.empty() ? nlohmann::json(nullptr) : nlohmann::json(target)},
                        {"checked_live", !target.empty()}};
    j["up"] = {{"checked", r.health.has_value()},
               {"listening", r.health ? nlohmann::json(r.health->status != 0) : nlohmann::json(nullptr)},
               {"health", probe_json(r.health)}};
    j["auth"] = {{"checked", r.auth_step != nullptr},
                 {"request", r.auth_step ? nlohmann::json(r.auth_step->req.line()) : nlohmann::json(nullptr)},
                 {"without_key", probe_json(r.without_key)}, {"with_key", probe_json(r.with_key)}};
    j["steps"] = nlohmann::json::array();
    for (const auto& c : r.steps)
        j["steps"].push_back({{"step", c.step->id}, {"request", c.req.line()}, {"path", c.req.path},
                              {"route", match_text(c.match)}, {"spends_quota", c.step->spends_quota},
                              {"optional", c.step->websocket}, {"sent", c.probe.sent}, {"how", c.how},
                              {"status", c.status ? nlohmann::json(c.status) : nlohmann::json(nullptr)},
                              {"class", to_string(c.finding.diagnosis)}, {"reason", c.finding.reason},
                              {"fix", c.finding.fix}});
    j["verdict"] = finding_json(r.verdict);
    j["path_verdict"] = finding_json(r.path_verdict);
    j["works"] = r.verdict.diagnosis == Diagnosis::Ok;
    j["recommended"] = {{"found", r.rec.found}, {"variant", r.rec.variant}, {"base_url", r.rec_url},
                        {"template", r.rec.base_url}, {"note", r.rec.note}, {"alternatives", r.rec.alternatives},
                        {"caveat", r.rec.caveat}};
    return j;
}

std::string probe_text(const Probe& p) {
    if (p.status) return std::to_string(p.status) + (p.content_type.empty() ? "" : " (" + p.content_type + ")");
    return std::string("no answer: ") + to_string(p.error);
}

void print_text(std::ostream& o, const Report& r, const ClientProfile& client, const ProxyProfile& proxy,
                const std::string& base, const std::string& target) {
    o << "routecheck doctor: " << client.id << " (" << client.name << ") with Base URL " << base << "\n"
      << "proxy: " << proxy.id << (proxy.provenance == "source" ? " (contract read from its source, never run here)" : "")
      << (target.empty() ? "" : ", running at " + target) << "\n\n";
    o << "1. Is the proxy up?\n";
    if (!r.health) o << "   not checked: no --target given, so every answer below comes from the " << proxy.id
                     << " profile alone.\n";
    else if (r.health->status == 0)
        o << "   GET " << r.health->url << " -> " << probe_text(*r.health) << "\n   NO: nothing answers there.\n";
    else {
        o << "   GET " << r.health->url << " -> " << probe_text(*r.health) << "\n   ";
        if (r.health->status >= 200 && r.health->status < 300) o << "yes: it listens and its health endpoint answers.\n";
        else if (r.health->status == 401 || r.health->status == 403)
            o << "it listens; its health endpoint wants a key (a strict auth mode).\n";
        else o << "something listens, but its health endpoint did not answer 2xx: is it really " << proxy.id << "?\n";
    }
    o << "2. 401 or 404?\n";
    if (!r.auth_step) {
        o << "   not checked: " << (!r.health ? "no --target given" : r.health->status == 0 ? "nothing listens"
                                                                     : "every step of this client would spend upstream quota, so none is sent")
          << ".\n";
    } else {
        o << "   " << r.auth_step->req.line() << " without a key -> " << probe_text(*r.without_key) << "\n";
        if (r.with_key) o << "   " << r.auth_step->req.line() << " with the key -> " << probe_text(*r.with_key) << "\n";
        int s = r.with_key ? r.with_key->status : r.without_key->status;
        if (s == 401 || s == 403)
            o << "   " << s << ": the key comes first; a 401/403 says nothing about the path (fix the key, then look again).\n";
        else if (s == 404)
            o << "   404, not 401: the key is not the problem; "
              << (r.auth_step->match == RouteMatch::Route ? "yet this path is a route of " + proxy.id + " (see 4).\n"
                                                          : std::string("the path is (see 3).\n"));
        else if (r.without_key->status == 401 && r.with_key) o << "   the proxy wants a key, and yours is accepted.\n";
        else o << "   no auth problem on this path.\n";
    }
    o << "3. Which path does " << client.id << " build from this Base URL, and is it a route of " << proxy.id << "?\n";
    for (const auto& c : r.steps) {
        o << "   " << c.req.line() << "  [" << c.step->id << "]\n      "
          << (c.match == RouteMatch::Route ? "route" : c.match == RouteMatch::WrongMethod ? "a route, but not for this method"
                                                                                          : "NOT a route")
          << "; " << (c.probe.sent ? "sent -> " + probe_text(c.probe)
                                   : (c.status ? "would answer " + std::to_string(c.status) + ", " : std::string()) + c.how)
          << "; "
          << to_string(c.finding.diagnosis) << (c.step->websocket ? " (optional: the client falls back to HTTP)" : "")
          << "\n";
    }
    o << "4. Verdict: " << to_string(r.verdict.diagnosis) << (r.verdict.diagnosis == Diagnosis::Ok ? " (works)" : "")
      << "\n   why: " << r.verdict.reason << "\n";
    if (!r.verdict.fix.empty()) o << "   fix: " << r.verdict.fix << "\n";
    if (r.path_verdict.diagnosis != r.verdict.diagnosis)
        o << "   and then the path: " << to_string(r.path_verdict.diagnosis) << ": " << r.path_verdict.reason
          << (r.path_verdict.fix.empty() ? "" : "; fix: " + r.path_verdict.fix) << "\n";
    if (r.rec.found) {
        o << "   recommended Base URL for " << client.id << " with " << proxy.id << ": " << r.rec_url << "\n";
        if (!r.rec.caveat.empty() && r.verdict.reason.find(r.rec.caveat) == std::string::npos)
            o << "   but: " << r.rec.caveat << "\n";
    } else {
        std::string note = r.rec.note;
        if (note.rfind("no Base URL works: ", 0) == 0) note = note.substr(19);
        o << "   no Base URL of " << client.id << " works with " << proxy.id << ": " << note << "\n";
        for (const auto& a : r.rec.alternatives) o << "   alternative: " << a << "\n";
    }
}

}  // namespace

int cmd_doctor(const std::vector<std::string>& argv) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            std::cout << kHelp;
            return 0;
        }
    Args a(argv, {"--client", "--base-url", "--target", "--api-key", "--proxy", "--fixtures"}, {"--json", "--override"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    const ClientProfile* client = &require_client(f, a.one("--client"));
    if (f.proxies.empty()) throw UsageError("no proxy profile loaded (fixtures/proxies/ is empty)");
    std::string pid = a.one_or("--proxy", f.proxy("antigravity-tools") ? "antigravity-tools" : f.proxies.front().id);
    const ProxyProfile* proxy = f.proxy(pid);
    if (!proxy) {
        std::string known;
        for (const auto& x : f.proxies) known += " " + x.id;
        throw UsageError("unknown proxy '" + pid + "' (known:" + known + ")");
    }
    std::string base = a.one("--base-url");
    std::string target_text = a.one_or("--target", "");
    std::optional<BaseUrl> target;
    try {
        parse_base_url(base);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--base-url: ") + e.what());
    }
    try {
        if (!target_text.empty()) target = parse_base_url(target_text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--target: ") + e.what());
    }
    Report r = diagnose(f, *client, *proxy, base, target, a.one_or("--api-key", ""));
    if (a.has("--json")) std::cout << to_json(r, *client, *proxy, base, target_text).dump(2) << "\n";
    else print_text(std::cout, r, *client, *proxy, base, target_text);
    return r.verdict.diagnosis == Diagnosis::Ok ? 0 : 1;
}

}  // namespace routecheck::cli
