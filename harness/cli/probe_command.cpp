// `routecheck probe`: what a running proxy serves, learned with requests no upstream bills (harness/probe).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "model/json_access.hpp"
#include "probe/probe.hpp"
#include "text/file_write.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

namespace routecheck::cli {

namespace {

const char* kHelp =
    R"(usage: routecheck probe --target URL [--api-key K] [--prefix PATH]... [--header H]... [--save FILE] [--id ID] [--json]
Learns what a running proxy serves, without any request an upstream would bill: its health endpoint and version,
which routes of the OpenAI, Anthropic and Gemini families it has under "", /v1, /v1beta, /api, /api/v1, /openai,
/anthropic, /gemini and every --prefix (told apart by a GET to a POST route, a POST with a malformed JSON body, the
free model listings, and where a key is asked for), which headers carry its key and whether it checks the key
before routing, and shapes that mislead (a soft 404, a pass-through, redirects, 501 routes).

  --target URL   the running proxy, http://127.0.0.1:PORT (loopback only)
  --api-key K    its key (without it, key headers are told by a wrong key's answer, when they can be)
  --prefix PATH  also try this prefix (and PATH/v1, PATH/v1beta), e.g. /zen
  --save FILE    write the learned proxy profile (provenance "probed"; the key is never stored); put it in
                 <dir>/proxies/ and pass --fixtures <dir> to doctor --proxy, matrix --attach, validate
  --id ID        the saved profile's id (default: probed-<port>)
  --header H     "NAME: VALUE" sent with every request (repeatable): a header the proxy needs on every call,
                 such as Portkey's x-portkey-provider
  --json         machine-readable output
Exit: 0 the target answered, 1 nothing answers there, 2 usage error.
)";

void print(const ProbeResult& r) {
    std::cout << "routecheck probe: " << r.target << " (" << r.requests << " requests, none billable)\n";
    if (!r.listening) {
        std::cout << "nothing answers there (connection refused or no HTTP answer)\n";
        return;
    }
    for (const auto& h : r.health) std::cout << "  health GET " << h.path << " -> " << h.status << "\n";
    std::cout << "  version: " << (r.version.empty() ? "not named" : r.version) << "\n"
              << "  unknown paths get: " << r.unknown_answer << "\n"
              << "  key: " << (r.auth_seen ? "asked for, checked " + r.auth_order : std::string("not asked for"))
              << "\n";
    if (r.auth_seen)
        std::cout << "  key headers: " << (r.carriers.empty() ? std::string("unknown") : [&] {
            std::string s;
            for (const auto& c : r.carriers) s += (s.empty() ? "" : ", ") + c;
            return s;
        }()) << " (" << r.carriers_how << ")\n";
    for (const auto& n : r.notes) std::cout << "  note: " << n << "\n";
    for (const auto& x : r.redirects) std::cout << "  redirect: " << x << "\n";
    int absent = 0, unknown = 0;
    std::cout << "routes found:\n";
    for (const auto& x : r.routes) {
        if (x.state == "route")
            std::cout << "  " << x.method << " " << x.path << "  [" << x.family << "] " << x.how << "\n";
        absent += x.state == "absent";
        unknown += x.state == "unknown";
    }
    std::cout << absent << " paths absent (answered like an unknown path), " << unknown
              << " unknown (could not be told apart); --json lists each with how it was told\n";
}

}  // namespace

int cmd_probe(const std::vector<std::string>& argv) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            std::cout << kHelp;
            return 0;
        }
    Args a(argv, {"--target", "--api-key", "--prefix", "--save", "--id", "--header"}, {"--json"});
    ProbeOptions o;
    o.target = a.one("--target");
    o.api_key = a.one_or("--api-key", "");
    remember_secret(o.api_key);  // its answers may quote it back: the --json output is redacted
    for (const auto& p : a.all("--prefix")) {
        if (p.empty() || p.front() != '/' || p.find_first_of("?# ") != std::string::npos)
            throw UsageError("--prefix '" + p + "': a path that starts with '/'");
        o.prefixes.push_back(p);
    }
    for (const auto& h : a.all("--header")) {
        auto colon = h.find(':');
        if (colon == std::string::npos || colon == 0) throw UsageError("--header '" + h + "': expected NAME: VALUE");
        std::string v = h.substr(colon + 1);
        v.erase(0, v.find_first_not_of(' '));
        o.headers.emplace_back(h.substr(0, colon), v);
        remember_secret(v);  // a header a proxy needs on every call is a key more often than not
    }
    ProbeResult r;
    try {
        r = probe(o);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    std::string id = a.one_or("--id", "probed-" + r.target.substr(r.target.rfind(':') + 1));
    static const std::regex id_re("[a-z0-9][a-z0-9-]*");
    if (!std::regex_match(id, id_re)) throw UsageError("--id '" + id + "': lower case letters, digits and '-'");
    if (a.has("--save")) {
        std::filesystem::path file = a.one("--save");
        nlohmann::json profile = probed_profile(r, id, today_utc());
        parse_proxy(profile, file);  // what is saved always loads
        replace_file(file, profile.dump(2) + "\n");
        if (!a.has("--json")) std::cout << "saved profile '" << id << "' to " << file.string() << "\n";
    }
    if (a.has("--json")) std::cout << redact_known(safe_dump(probe_json(r), 2)) << "\n";  // a proxy's bytes, a key
    else print(r);
    return r.listening ? 0 : 1;
}

}  // namespace routecheck::cli
