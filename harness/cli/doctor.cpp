// `routecheck doctor`: the troubleshooting procedure for one client at one Base URL, as a command. It is the
// matrix's pipeline for a single cell: replay (against --target) or nothing sent (without it), then judge_cell.
// It never judges on its own. Steps that would spend upstream quota are sent as probes with an empty JSON body,
// which every upstream refuses before any model runs, unless --allow-quota sends them as the client would.
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "http/base_url.hpp"
#include "http/client.hpp"
#include "join/join.hpp"
#include "judge/doctor.hpp"
#include "judge/judge.hpp"
#include "judge/path.hpp"
#include "judge/recommend.hpp"
#include "launch/proxy.hpp"
#include "probe/probe.hpp"
#include "replay/replay_cells.hpp"
#include "report/report.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

namespace routecheck::cli {

namespace {

const char* kHelp =
    R"(usage: routecheck doctor --client ID --base-url URL [--target URL] [--api-key K] [--key-setting NAME]
                        [--proxy ID] [--allow-quota] [--json] [--fixtures DIR]... [--override]
       routecheck doctor --seen "METHOD /path [STATUS]"... | --log FILE  [--proxy ID] [--target URL] [--json]
Diagnoses one client profile at one Base URL against a proxy, step by step:
  1. Is the proxy up?  2. Which path does the client build, is it a route, and what came back (401 or 404?)
  3. Verdict and fix: the same judgment as a matrix cell.

  --client ID         client profile (routecheck list-cells shows the ids)
  --base-url URL      the Base URL as typed into the client
  --proxy ID          proxy profile whose routes and key headers judge the paths; with --target the doctor also
                      checks the target looks like that proxy. Default: with --target, what `routecheck probe`
                      learns from the target; without it, antigravity-tools
  --target URL        a running proxy (http://127.0.0.1:PORT) to send the steps to; without it nothing is sent
  --api-key K         the key the client is given (without it no key is sent)
  --key-setting NAME  the client setting the key is given in (e.g. ANTHROPIC_AUTH_TOKEN), or a header name;
                      default: the client's first (see its profile's "auth")
  --allow-quota       send steps that spend upstream quota as the client would (default: as empty-body probes)
  --json              machine-readable output: the cell's verdict {class, reason, fix, base_url} and works
  --seen LINE         a request line from the proxy's log (repeatable), e.g. "POST /v1/chat/completions/responses 404":
                      which client profiles and Base URLs build that path, each judged against --proxy (default
                      antigravity-tools); Base URLs at --target's host and port (default http://127.0.0.1:8045)
  --log FILE          the same for every line of FILE (an access log; the method, path and status are found in it)
Exit: 0 the client works (every essential step was sent or probed and is OK), 1 it does not,
      3 the paths are right but nothing was sent to confirm it (no --target), 2 usage error.
      With --seen/--log: 0 every line explained by some client, 1 a line no known client builds.
)";

struct Health {
    std::string url;
    HttpResponse answer;
};

std::string answer_text(const HttpResponse& r) {
    if (r.status) {
        auto ct = r.headers.find("content-type");
        return std::to_string(r.status) + (ct == r.headers.end() ? "" : " (" + ct->second + ")");
    }
    return std::string("no answer: ") + to_string(r.error);
}

std::string step_answer(const StepVerdict& s) {
    const StepObservation& o = s.observed;
    if (o.skipped) return "not sent (" + o.skip_reason + ")";
    std::string a = o.status ? std::to_string(o.status) : std::string("no answer: ") + to_string(o.error);
    return (o.evidence == "probe" ? "probed with an empty body -> " : "sent -> ") + a;
}

struct Learned {
    std::optional<ProbeResult> probe;
    std::vector<std::string> differences;  // --proxy ID given: how the target differs from that profile
};

void print_text(std::ostream& o, const CellResult& r, const ClientProfile& client, const ProxyProfile& proxy,
                const std::optional<Health>& health, const Recommendation& rec, const std::string& rec_url,
                const Learned& learned) {
    o << "routecheck doctor: " << client.id << " (" << client.name << ") with Base URL " << r.cell.base_url << "\n"
      << "proxy: " << proxy.id
      << (proxy.provenance == "source"   ? " (contract read from its source, never run here)"
          : proxy.provenance == "probed" ? " (learned from the target by routecheck probe)"
                                         : "")
      << "\n";
    if (learned.probe) {
        const ProbeResult& p = *learned.probe;
        int routes = 0;
        for (const auto& x : p.routes) routes += x.state == "route";
        if (!p.listening) o << "   probe: nothing answers at " << p.target << "\n";
        else
            o << "   probe: " << routes << " routes found, unknown paths get " << p.unknown_answer << ", key "
              << (p.auth_seen ? "checked " + p.auth_order : std::string("not asked for")) << " (" << p.requests
              << " requests, none billable)\n";
        for (const auto& n : p.notes) o << "   probe: " << n << "\n";
    }
    if (!learned.differences.empty()) {
        o << "   the target does not look like " << proxy.id << ":\n";
        for (const auto& d : learned.differences) o << "     - " << d << "\n";
    }
    o << "\n1. Is the proxy up?\n";
    if (!health)
        o << "   not checked: no --target given, so nothing is sent; paths are judged by " << proxy.id
          << "'s routes.\n";
    else {
        o << "   GET " << health->url << " -> " << answer_text(health->answer) << "\n   ";
        int st = health->answer.status;
        const bool soft_404 = learned.probe && learned.probe->soft_404;
        // A probed proxy has no known health endpoint unless the probe found one: the doctor then asked GET /.
        const bool no_health_found = learned.probe && learned.probe->health_path.empty();
        if (st == 0) o << "NO: nothing answers there.\n";
        else if (st >= 200 && st < 300 && soft_404)
            o << "yes: it listens (it answers 2xx to every path, so this says no more than that).\n";
        else if (st >= 200 && st < 300) o << "yes: it listens and its health endpoint answers.\n";
        else if (st == 401 || st == 403) o << "it listens; its health endpoint wants a key (a strict auth mode).\n";
        else if (no_health_found) {
            std::string tried;
            for (const auto& h : learned.probe->health) tried += (tried.empty() ? "" : ", ") + h.path;
            o << "yes: it listens (no health endpoint found: " << tried << " did not answer 2xx).\n";
        } else
            o << "something listens, but not as " << proxy.name << " does (its health endpoint did not answer 2xx): is "
              << "it really " << proxy.name << "?\n";
    }
    o << "2. Which path does " << client.id << " build from this Base URL, is it a route of " << proxy.name
      << ", and what came back (a 401 is a key problem, a 404 a route problem)?\n";
    for (const auto& s : r.steps) {
        o << "   " << s.observed.request_line() << "  [" << s.observed.step << (s.essential ? "" : ", optional")
          << "]\n"
          << "      " << step_answer(s) << (s.observed.evidence == "probe" ? " [inferred from a probe]" : "")
          << "\n      " << to_string(s.finding.diagnosis)
          << (s.outcome() == "fell back" ? " (fell back: the client retries over HTTP)" : "") << ": "
          << s.finding.reason << "\n";
    }
    bool unverified = r.judgment.diagnosis == Diagnosis::Skipped;
    o << "3. Verdict: " << (unverified ? "UNVERIFIED" : to_string(r.judgment.diagnosis))
      << (r.works      ? " (works)"
          : unverified ? " (the paths are right; nothing confirmed it)"
                       : "")
      << "\n   why: " << r.judgment.reason << "\n";
    if (!r.judgment.fix.empty()) o << "   fix: " << r.judgment.fix << "\n";
    for (const auto& w : r.warnings) o << "   warning: " << w << "\n";
    // The recommendation speaks of Base URLs: shown only where a Base URL is the question, and never against the
    // verdict's own fix (a probed table knows prefixes the usual variants do not).
    Diagnosis d = r.judgment.diagnosis;
    bool about_base = d != Diagnosis::AuthMissing && d != Diagnosis::AuthRejected && d != Diagnosis::NotListening &&
                      d != Diagnosis::UpstreamError && d != Diagnosis::Unexpected && r.judgment.base_url.empty();
    if (rec.found && about_base) {
        o << "   recommended Base URL for " << client.id << " with " << proxy.name << ": " << rec_url << "\n";
        if (!rec.caveat.empty()) o << "   but: " << rec.caveat << "\n";
    } else if (!rec.found && about_base && !r.works && d != Diagnosis::Skipped) {
        std::string note = rec.note;
        if (note.rfind("no Base URL works: ", 0) == 0) note = note.substr(19);
        o << "   no Base URL of " << client.id << " works with " << proxy.name << ": " << note << "\n";
    }
}

}  // namespace

int cmd_doctor(const std::vector<std::string>& argv) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            std::cout << kHelp;
            return 0;
        }
    Args a(argv,
           {"--client", "--base-url", "--target", "--api-key", "--key-setting", "--proxy", "--fixtures", "--seen",
            "--log"},
           {"--json", "--override", "--allow-quota"});
    Fixtures f = load_with(a.all("--fixtures"), a.has("--override"));
    if (a.has("--seen") || a.has("--log")) {
        std::vector<std::string> lines = a.all("--seen");
        for (const auto& file : a.all("--log"))
            for (auto& l : read_log_lines(file)) lines.push_back(std::move(l));
        std::string pid =
            a.one_or("--proxy", f.proxy("antigravity-tools") ? "antigravity-tools" : f.proxies.front().id);
        const ProxyProfile* proxy = f.proxy(pid);
        if (!proxy) throw UsageError("unknown proxy '" + pid + "'");
        std::string origin = "http://127.0.0.1:" + std::to_string(kShownPort);  // --target names another
        if (a.has("--target")) {
            BaseUrl t = parse_base_url(a.one("--target"));
            origin = "http://" + t.host + ":" + std::to_string(t.port);
        }
        return doctor_seen(f, *proxy, lines, origin, a.has("--json"));
    }
    const ClientProfile& client = require_client(f, a.one("--client"));
    if (f.proxies.empty()) throw UsageError("no proxy profile loaded (fixtures/proxies/ is empty)");
    std::string base = a.one("--base-url");
    std::string target_text = a.one_or("--target", "");
    std::string key = a.one_or("--api-key", "");
    // A proxy may quote the key back in a body doctor prints: never on the screen.
    remember_secret(key);
    std::string key_setting = a.one_or("--key-setting", "");
    if (!key_setting.empty() && !client.carrier(key_setting)) {
        std::string known;
        for (const auto& k : client.key_carriers) known += " " + (k.setting.empty() ? k.header : k.setting);
        throw UsageError("--key-setting: " + client.id + " has no key setting or header '" + key_setting +
                         "' (it has:" + known + ")");
    }
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
    if (target && target->scheme != "http") throw UsageError("--target: '" + target_text + "' is not an http:// URL");

    // Which proxy profile judges the paths: the one named, or what a probe of the target learns.
    const bool probe_only = target && !a.has("--proxy");
    std::string pid = a.one_or("--proxy", f.proxy("antigravity-tools") ? "antigravity-tools" : f.proxies.front().id);
    const ProxyProfile* proxy = probe_only ? nullptr : f.proxy(pid);
    if (!probe_only && !proxy) {
        std::string known;
        for (const auto& x : f.proxies) known += " " + x.id;
        throw UsageError("unknown proxy '" + pid + "' (known:" + known + ")");
    }
    if (proxy) remember_secrets(launch::profile_secrets(*proxy, {}, key));  // its extra header values too
    Learned learned;
    ProxyProfile probed;
    if (target) {
        ProbeOptions po;
        po.target = "http://" + target->host + ":" + std::to_string(target->port);
        po.api_key = key;
        po.prefixes = typed_prefixes(base);
        for (const auto& st : client.steps) po.endpoints.push_back(st.method + " " + st.endpoint);
        // Is the typed Base URL itself a route (an endpoint typed as Base URL)? Probe it too.
        std::string typed_path = parse_base_url(base).path;
        while (!typed_path.empty() && typed_path.back() == '/') typed_path.pop_back();
        std::string last = typed_path.substr(typed_path.rfind('/') + 1);
        if (!typed_path.empty() && !is_version_segment(last))
            for (const char* m : {"POST ", "GET "}) po.endpoints.push_back(m + typed_path);
        try {
            learned.probe = probe(po);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--target: ") + e.what());
        }
        if (probe_only) {
            probed = parse_proxy(probed_profile(*learned.probe, "probed", today_utc()), "(probe of " + po.target + ")");
            proxy = &probed;
        } else {
            learned.differences = profile_differences(*learned.probe, *proxy);
        }
    }
    Recommendation rec = recommend(client, *proxy, f);
    std::string rec_url =
        rec.found ? base_url_at(client, base, parse_base_url(render_base_url(rec.base_url, 1, 1)).path) : "";
    std::optional<Health> health;
    CellObservation cell;
    if (!target) {
        cell = unsent_cell(*proxy, client, base, "no --target: nothing sent");
    } else {
        http_global_init();
        std::string origin = "http://" + target->host + ":" + std::to_string(target->port);
        health = Health{origin + (proxy->health_path.empty() ? "/" : proxy->health_path), {}};
        health->answer = send_once("GET", health->url, {}, "");
        Variant typed{"typed", base, "the Base URL as typed"};
        ReplayTarget t;
        t.proxy = proxy;
        t.port = target->port;
        t.api_key = key;
        t.send_key = !key.empty();
        t.key_via = key_setting;
        t.quota_safe = !a.has("--allow-quota");
        t.probe_quota_steps = true;
        t.send_origin = origin;
        t.jobs = 1;
        cell = replay_cells(t, {PlannedCell{&client, &typed}}).front();
        drop_uninformative_probes(cell, client, origin);
    }
    CellResult r = judge_cell(cell, *proxy, client, nullptr, alternatives_at(rec, base));
    if (target) {
        // The steps went to --target, but the client sends to the Base URL's own address: when that is another
        // port (or host), what the target answered says nothing of what the client meets.
        const BaseUrl typed = parse_base_url(base);
        const bool same_host = typed.host == target->host || (is_loopback(typed) && is_loopback(*target));
        if (!same_host || typed.port != target->port) {
            const std::string typed_at = typed.host + ":" + std::to_string(typed.port);
            const std::string target_at = target->host + ":" + std::to_string(target->port);
            BaseUrl fixed = typed;
            fixed.host = target->host;
            fixed.port = target->port;
            fixed.port_typed = true;
            const std::string fixed_url = fixed.origin() + typed.path;
            const HttpResponse there = send_once("GET", typed.origin() + "/", {}, "");
            const std::string set =
                "set " + (client.base_url_setting.empty() ? std::string("the Base URL") : client.base_url_setting) +
                " to " + fixed_url;
            if (rec.found)  // the recommendation at the proxy's address, not at the one typed
                rec_url = base_url_at(client, fixed_url, parse_base_url(render_base_url(rec.base_url, 1, 1)).path);
            if (there.status == 0 && there.error == TransportError::Refused) {
                r.works = false;
                r.judgment = {Diagnosis::NotListening,
                              "the Base URL's address " + typed_at + " is not the proxy's (--target " + target_at +
                                  ") and nothing listens there: " + client.id + "'s calls would be refused",
                              set, fixed_url};
            } else {
                r.warnings.insert(r.warnings.begin(), "the Base URL's address " + typed_at + " is not --target " +
                                                          target_at + ": the steps were sent to the target, but " +
                                                          client.id + " talks to what listens at " + typed_at +
                                                          " (to reach the target: " + set + ")");
            }
        }
    }
    if (a.has("--json")) {
        nlohmann::json j = cell_json(r);
        j.erase("expectation");  // a matrix cell's comparison with its expected table: doctor has none
        j.erase("message");
        j["tool"] = "routecheck doctor";
        j["proxy_provenance"] = proxy->provenance;
        j["target"] = target_text.empty() ? nlohmann::json(nullptr) : nlohmann::json(target_text);
        j["checked_live"] = target.has_value();
        j["up"] = {{"checked", health.has_value()},
                   {"listening", health ? nlohmann::json(health->answer.status != 0) : nlohmann::json(nullptr)},
                   {"health", health ? nlohmann::json({{"url", health->url}, {"status", health->answer.status}})
                                     : nlohmann::json(nullptr)}};
        if (learned.probe) j["probe"] = probe_json(*learned.probe);
        j["looks_like_proxy"] = learned.differences.empty();
        j["differences"] = learned.differences;
        j["recommended"] = {{"found", rec.found},
                            {"variant", rec.variant},
                            {"base_url", rec_url},
                            {"note", rec.note},
                            {"alternatives", alternatives_at(rec, base)},
                            {"caveat", rec.caveat}};
        std::cout << redact_known(safe_dump(j, 2)) << "\n";  // a Base URL or body with any bytes still prints
    } else {
        std::ostringstream text;
        print_text(text, r, client, *proxy, health, rec, rec_url, learned);
        std::cout << redact_known(text.str());
    }
    if (r.works) return 0;
    return r.judgment.diagnosis == Diagnosis::Skipped ? 3 : 1;
}

}  // namespace routecheck::cli
