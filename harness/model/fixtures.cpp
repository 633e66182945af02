#include "model/fixtures.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "http/base_url.hpp"
#include "model/grid_file.hpp"
#include "model/json_access.hpp"
#include "model/verdict_class.hpp"

namespace routecheck {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
const std::set<std::string> kCarriers = {"authorization", "x-api-key", "x-goog-api-key"};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void check_id(const JsonAt& at, const std::string& key) {
    std::string id = at.str(key);
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) at.at(key).fail("'" + id + "' is not a valid id (use a-z, 0-9, '-' and '_')");
    }
}

JoinSpec parse_join(const JsonAt& at) {
    at.only_keys({"rule", "note", "strip_suffix", "endpoint_if_missing", "version_if_missing"});
    std::string rule = at.str("rule");
    JoinSpec j;
    if (rule == "concat") j.rule = JoinRule::Concat;
    else if (rule == "concat_raw") j.rule = JoinRule::ConcatRaw;
    else if (rule == "resolve") j.rule = JoinRule::Resolve;
    else at.at("rule").fail("unknown join rule '" + rule + "' (expected concat, concat_raw or resolve)");
    j.strip_suffix = at.strings_or_empty("strip_suffix");
    for (std::size_t i = 0; i < j.strip_suffix.size(); ++i) {
        const std::string& s = j.strip_suffix[i];
        if (s.size() < 2 || s.front() != '/' || s.back() == '/' || s.find_first_of("?# ") != std::string::npos)
            at.at("strip_suffix")
                .at(i)
                .fail("'" + s + "' must be a path suffix such as \"/v1\" (a leading '/', no trailing one)");
    }
    j.endpoint_if_missing = at.boolean_or("endpoint_if_missing", false);
    j.version_if_missing = at.boolean_or("version_if_missing", false);
    if (!j.plain() && j.rule == JoinRule::Resolve)
        at.at("rule").fail(
            "strip_suffix, version_if_missing and endpoint_if_missing apply to concat and concat_raw, not resolve");
    return j;
}

std::string method_of(const JsonAt& at, const std::string& key) {
    std::string m = at.str(key);
    if (!kMethods.count(m)) at.at(key).fail("unknown HTTP method '" + m + "'");
    return m;
}

Step parse_step(const JsonAt& at, const JoinSpec& join) {
    const JoinRule rule = join.rule;
    at.only_keys({"id", "call", "method", "endpoint", "query", "headers", "body", "stream", "websocket", "spends_quota",
                  "essential", "note"});
    Step s;
    s.id = at.str("id");
    s.call = at.str_or("call", s.id.substr(0, s.id.find('.')));
    s.method = method_of(at, "method");
    s.endpoint = at.str_or("endpoint", "");
    if (rule != JoinRule::Resolve && !s.endpoint.empty() && s.endpoint.front() != '/')
        at.at("endpoint").fail("must start with '/' for join rule concat/concat_raw");
    if (s.endpoint.find_first_of(" ?#\r\n") != std::string::npos)
        at.at("endpoint").fail("must be a path without spaces, '?' or '#' (put the query in \"query\")");
    s.query = at.str_or("query", "");
    if (!s.query.empty() && s.query.front() == '?') at.at("query").fail("must not start with '?'");
    for (auto& [k, v] : at.string_map_or_empty("headers")) s.headers[lower(k)] = v;
    if (at.has("body")) s.body = at.at("body").node();
    s.stream = at.boolean_or("stream", false);
    s.websocket = at.boolean_or("websocket", false);
    s.spends_quota = at.boolean_or("spends_quota", false);
    s.essential = at.boolean_or("essential", !s.websocket);
    return s;
}

// "auth": {"header", "prefix", "setting"} (one carrier) or {"carriers": [{"header", "prefix", "setting", "seen"}]}.
KeyCarrier parse_key_carrier(const JsonAt& at) {
    at.only_keys({"header", "prefix", "setting", "seen", "note", "carriers"});
    KeyCarrier k;
    k.header = lower(at.str("header"));
    if (!kCarriers.count(k.header))
        at.at("header").fail("unknown key carrier '" + k.header + "' (authorization, x-api-key, x-goog-api-key)");
    k.prefix = at.str_or("prefix", "");
    k.setting = at.str_or("setting", "");
    k.seen = at.str_or("seen", "recorded");
    if (k.seen != "recorded" && k.seen != "documented") at.at("seen").fail("expected 'recorded' or 'documented'");
    return k;
}

std::vector<KeyCarrier> parse_key_carriers(const JsonAt& auth) {
    auth.expect_object();
    std::vector<KeyCarrier> out;
    if (!auth.has("carriers")) {
        out.push_back(parse_key_carrier(auth));
        return out;
    }
    if (auth.has("header")) auth.at("header").fail("give either \"header\" or \"carriers\", not both");
    JsonAt list = auth.at("carriers");
    list.expect_array();
    if (list.size() == 0) list.fail("a client needs at least one key carrier");
    for (std::size_t i = 0; i < list.size(); ++i) {
        JsonAt one = list.at(i);
        if (one.has("carriers")) one.at("carriers").fail("unexpected key");
        out.push_back(parse_key_carrier(one));
    }
    return out;
}

}  // namespace

const KeyCarrier* ClientProfile::carrier(const std::string& name) const {
    std::string n = lower(name);
    auto words = [](const std::string& s) {  // "apiKey (OPENAI_API_KEY)" -> {"apikey", "openai_api_key"}
        std::vector<std::string> out(1);
        for (char ch : lower(s)) {
            if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-') out.back() += ch;
            else if (!out.back().empty()) out.emplace_back();
        }
        return out;
    };
    for (const auto& k : key_carriers) {
        auto w = words(k.setting);
        if (lower(k.setting) == n || k.header == n || std::find(w.begin(), w.end(), n) != w.end()) return &k;
    }
    return nullptr;
}

ClientProfile parse_client(const nlohmann::json& doc, const fs::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"id", "name", "protocol", "provenance", "join", "auth", "steps", "recordings", "notes",
                    "base_url_ignored", "base_url_setting"});
    ClientProfile c;
    c.file = file;
    check_id(root, "id");
    c.id = root.str("id");
    c.name = root.str("name");
    c.protocol = root.str("protocol");
    JsonAt prov = root.at("provenance");
    prov.expect_object();
    c.provenance = prov.node();
    c.provenance_kind = prov.str("kind");
    if (c.provenance_kind != "recorded" && c.provenance_kind != "source")
        prov.at("kind").fail("expected 'recorded' or 'source'");
    c.join = parse_join(root.at("join"));
    c.key_carriers = parse_key_carriers(root.at("auth"));
    c.auth_header = c.key_carriers.front().header;
    c.auth_prefix = c.key_carriers.front().prefix;
    c.base_url_ignored = root.str_or("base_url_ignored", "");
    c.base_url_setting = root.str_or("base_url_setting", "");
    if (root.has("base_url_setting") && c.base_url_setting.empty())
        root.at("base_url_setting").fail("name the setting the Base URL is typed in, or leave the key out");
    if (root.has("base_url_ignored") && c.base_url_ignored.empty())
        root.at("base_url_ignored").fail("say what the client does instead of sending to the Base URL");
    JsonAt steps = root.at("steps");
    steps.expect_array();
    if (steps.size() == 0 && c.base_url_ignored.empty())
        steps.fail("a profile needs at least one step (or \"base_url_ignored\" when the client sends nothing to it)");
    if (steps.size() != 0 && !c.base_url_ignored.empty())
        steps.fail("a client that ignores the Base URL sends no step to it: leave \"steps\" empty");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        Step s = parse_step(steps.at(i), c.join);
        if (!ids.insert(s.id).second) steps.at(i).at("id").fail("duplicate step id '" + s.id + "'");
        c.steps.push_back(std::move(s));
    }
    if (root.has("recordings")) {
        JsonAt recs = root.at("recordings");
        recs.expect_array();
        for (std::size_t i = 0; i < recs.size(); ++i) {
            JsonAt r = recs.at(i);
            r.only_keys({"variant", "base_url", "requests", "note"});
            c.recordings.push_back({r.str("variant"), r.str("base_url"), r.strings_or_empty("requests")});
        }
    }
    return c;
}

std::vector<Variant> parse_variants(const nlohmann::json& doc, const fs::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"variants", "notes"});
    JsonAt list = root.at("variants");
    list.expect_array();
    std::vector<Variant> out;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
        JsonAt v = list.at(i);
        v.only_keys({"id", "base_url", "note"});
        check_id(v, "id");
        Variant var{v.str("id"), v.str("base_url"), v.str_or("note", "")};
        if (var.base_url.rfind("http://", 0) != 0) v.at("base_url").fail("must start with http://");
        if (var.base_url.find("{port}") == std::string::npos && var.base_url.find("{closed_port}") == std::string::npos)
            v.at("base_url").fail("must contain {port} or {closed_port}");
        // What every join rule starts from must parse once the placeholders are filled in ("{port}0" would be a
        // port out of range, a space an invalid URL): refused here rather than in the middle of a replay.
        BaseUrl parsed;
        try {
            parsed = parse_base_url(render_base_url(var.base_url, 65535, 65535));
        } catch (const std::invalid_argument& e) {
            v.at("base_url").fail(std::string("does not give a valid URL: ") + e.what());
        }
        // The matrix sends every step to it: like --attach, only this machine's loopback.
        if (!is_loopback(parsed))
            v.at("base_url").fail("host '" + parsed.host + "' is not loopback (127.0.0.1, localhost, [::1])");
        if (!ids.insert(var.id).second) v.at("id").fail("duplicate variant id '" + var.id + "'");
        out.push_back(std::move(var));
    }
    return out;
}

namespace {

Route parse_route(const JsonAt& at) {
    at.only_keys({"method", "path", "fallback", "note"});
    std::string m = at.str("method");
    if (m != "*" && !kMethods.count(m)) at.at("method").fail("unknown HTTP method '" + m + "'");
    std::string p = at.str("path");
    if (p.front() != '/') at.at("path").fail("a route path starts with '/'");
    return {m, p, at.boolean_or("fallback", false)};
}

SetupRequest parse_setup_request(const JsonAt& at) {
    at.only_keys({"method", "path", "headers", "body", "expect_status", "note"});
    SetupRequest r;
    r.method = at.str("method");
    if (!kMethods.count(r.method)) at.at("method").fail("unknown HTTP method '" + r.method + "'");
    r.path = at.str("path");
    if (r.path.empty() || r.path.front() != '/') at.at("path").fail("a request path starts with '/'");
    r.headers = at.string_map_or_empty("headers");
    if (at.has("body")) r.body = at.at("body").node();
    r.expect_status = at.integer_or("expect_status", 0);
    if (r.expect_status != 0 && (r.expect_status < 100 || r.expect_status > 599))
        at.at("expect_status").fail("not an HTTP status");
    return r;
}

ProxyLaunch parse_launch(const JsonAt& at) {
    at.only_keys({"command", "env", "files", "redirect_origins", "ready_path", "ready_timeout_ms", "preload",
                  "after_ready", "ready_status", "note"});
    ProxyLaunch l;
    l.command = at.strings("command");
    if (l.command.empty()) at.at("command").fail("the launch command is empty");
    if (l.command.front().empty()) at.at("command").at(std::size_t{0}).fail("the program name is empty");
    l.env = at.string_map_or_empty("env");
    if (at.has("files")) {
        JsonAt files = at.at("files");
        files.expect_object();
        for (auto it = files.node().begin(); it != files.node().end(); ++it) l.files[it.key()] = *it;
    }
    l.redirect_origins = at.strings_or_empty("redirect_origins");
    l.ready_path = at.str("ready_path");
    l.ready_timeout_ms = at.integer_or("ready_timeout_ms", 20000);
    if (l.ready_timeout_ms <= 0 || l.ready_timeout_ms > 300000)
        at.at("ready_timeout_ms").fail("must be between 1 and 300000");
    l.use_preload = at.boolean_or("preload", true);
    if (at.has("after_ready")) {
        JsonAt reqs = at.at("after_ready");
        reqs.expect_array();
        for (std::size_t i = 0; i < reqs.size(); ++i) l.after_ready.push_back(parse_setup_request(reqs.at(i)));
    }
    l.ready_status = at.integer_or("ready_status", 0);
    if (l.ready_status != 0 && (l.ready_status < 100 || l.ready_status > 599))
        at.at("ready_status").fail("not an HTTP status");
    return l;
}

}  // namespace

ProxyProfile parse_proxy(const nlohmann::json& doc, const fs::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"id", "name", "provenance", "source", "npm", "launch", "upstream", "health", "auth",
                    "extra_headers", "extra_headers_by_protocol", "public_headers", "capabilities", "routes",
                    "behaviour", "notes", "mock", "model_map", "package"});
    ProxyProfile p;
    p.raw = doc;
    p.file = file;
    check_id(root, "id");
    p.id = root.str("id");
    p.name = root.str("name");
    p.provenance = root.str("provenance");
    if (p.provenance != "launched" && p.provenance != "source" && p.provenance != "case" && p.provenance != "probed")
        root.at("provenance").fail("expected 'launched', 'source', 'probed' or 'case'");
    if (root.has("npm")) {
        JsonAt npm = root.at("npm");
        npm.only_keys({"package", "version", "dir", "overrides"});
        p.npm_package = npm.str("package");
        p.npm_version = npm.str("version");
        p.npm_dir = npm.str("dir");
    }
    if (root.has("package")) {
        if (root.has("npm"))
            root.at("package").fail("a proxy has either an \"npm\" or a \"package\" section, not both");
        JsonAt pkg = root.at("package");
        pkg.only_keys({"registry", "name", "version", "dir", "installed", "note"});
        ProxyProfile::Package k;
        k.registry = pkg.str("registry");
        if (k.registry != "pypi" && k.registry != "go")
            pkg.at("registry").fail("expected 'pypi' or 'go' (npm packages use the \"npm\" section)");
        k.name = pkg.str("name");
        k.version = pkg.str("version");
        k.dir = pkg.str("dir");
        k.installed = pkg.str("installed");
        if (k.dir.empty() || k.dir.front() == '/') pkg.at("dir").fail("a folder relative to the repository");
        if (k.installed.empty() || k.installed.front() == '/') pkg.at("installed").fail("a path relative to dir");
        p.package = k;
    }
    if (root.has("launch")) p.launch = parse_launch(root.at("launch"));
    if (p.provenance == "launched" && !p.launch) root.fail("a launched proxy needs a \"launch\" section");
    if (root.has("upstream")) {
        JsonAt up = root.at("upstream");
        up.only_keys({"protocols", "redirect", "pass_through", "note"});
        p.upstream_protocols = up.strings_or_empty("protocols");
        p.upstream_redirect = up.boolean_or("redirect", true);
    }
    JsonAt health = root.at("health");
    p.health_path = health.str("path");
    if (root.has("auth")) {
        JsonAt auth = root.at("auth");
        auth.only_keys({"key", "carriers", "note"});  // "auth": "key" is an error here, not silently no key
        p.api_key = auth.str_or("key", "");
        p.auth_carriers = auth.strings_or_empty("carriers");
        for (std::size_t i = 0; i < p.auth_carriers.size(); ++i)
            if (!kCarriers.count(p.auth_carriers[i]) && p.auth_carriers[i] != "query-key")
                auth.at("carriers").at(i).fail("unknown key carrier '" + p.auth_carriers[i] + "'");
    }
    for (auto& [k, v] : root.string_map_or_empty("extra_headers")) p.extra_headers[lower(k)] = v;
    if (root.has("extra_headers_by_protocol")) {
        JsonAt by = root.at("extra_headers_by_protocol");
        by.expect_object();
        for (auto it = by.node().begin(); it != by.node().end(); ++it) {
            if (it.key() == "note") continue;
            for (auto& [k, v] : by.string_map_or_empty(it.key())) p.extra_headers_by_protocol[it.key()][lower(k)] = v;
        }
    }
    p.public_headers = root.strings_or_empty("public_headers");
    for (std::size_t i = 0; i < p.public_headers.size(); ++i) {
        std::string& h = p.public_headers[i];
        h = lower(h);
        bool named = p.extra_headers.count(h) > 0;
        for (const auto& [protocol, headers] : p.extra_headers_by_protocol) named = named || headers.count(h) > 0;
        if (!named) root.at("public_headers").at(i).fail("'" + h + "' is not one of the profile's extra headers");
    }
    if (root.has("model_map")) {
        JsonAt mm = root.at("model_map");
        mm.expect_object();
        for (auto it = mm.node().begin(); it != mm.node().end(); ++it) {
            if (it.key() == "note") continue;
            if (it.key().empty() || it.key().front() != '/')
                mm.at(it.key()).fail(
                    "a model_map key is an endpoint suffix starting with '/' (e.g. \"/chat/completions\")");
            p.model_map[it.key()] = mm.str(it.key());
        }
    }
    p.capabilities = root.strings("capabilities");
    JsonAt routes = root.at("routes");
    routes.expect_array();
    if (root.has("behaviour")) {
        p.behaviour = parse_behaviour(root.at("behaviour"));
        p.routes_known = p.behaviour->routes_known;
        p.routes_unseen_under = p.behaviour->routes_unseen_under;
    }
    // A probed profile may hold no route: a probe that met nothing of the API families (routes_known) or one that
    // could not tell paths apart (a key checked before routing, without the key: routes_known false).
    if (routes.size() == 0 && p.provenance != "probed") routes.fail("a proxy profile needs its route table");
    for (std::size_t i = 0; i < routes.size(); ++i) p.routes.push_back(parse_route(routes.at(i)));
    return p;
}

bool says_observed(const nlohmann::json& doc) {
    return doc.is_object() && doc.contains("provenance") && doc["provenance"].is_string() &&
           doc["provenance"].get<std::string>().rfind("observed", 0) == 0;
}

ExpectedTable parse_expected(const nlohmann::json& doc, const fs::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"proxy", "provenance", "generated_by", "cells", "notes"});
    ExpectedTable t;
    t.file = file;
    t.proxy = root.str("proxy");
    t.provenance = root.str_or("provenance", "observed");
    JsonAt cells = root.at("cells");
    cells.expect_object();
    for (auto ci = cells.node().begin(); ci != cells.node().end(); ++ci) {
        JsonAt client = cells.at(ci.key());
        client.expect_object();
        for (auto vi = client.node().begin(); vi != client.node().end(); ++vi) {
            JsonAt rows = client.at(vi.key());
            rows.expect_array();
            auto& out = t.cells[ci.key()][vi.key()];
            for (std::size_t i = 0; i < rows.size(); ++i) {
                JsonAt r = rows.at(i);
                r.only_keys({"step", "request", "status", "upstream", "class", "note"});
                ExpectedStep e;
                e.step = r.str("step");
                e.request = r.str("request");
                e.status = r.integer("status");
                if (e.status != 0 && (e.status < 100 || e.status > 599)) r.at("status").fail("not an HTTP status");
                e.upstream = r.strings_or_empty("upstream");
                e.diagnosis = r.str_or("class", "");
                e.note = r.str_or("note", "");
                if (!e.diagnosis.empty()) {
                    try {
                        diagnosis_from_string(e.diagnosis);
                    } catch (const std::invalid_argument& err) {
                        r.at("class").fail(err.what());
                    }
                }
                out.push_back(std::move(e));
            }
        }
    }
    return t;
}

namespace {

std::vector<fs::path> json_files(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    // Not only regular files: a FIFO, a device or a symlink loop named *.json is refused by read_json_file (with
    // its reason), not skipped.
    for (const auto& e : fs::directory_iterator(dir))
        if (!e.is_directory(ec) && e.path().extension() == ".json") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// A table keyed by proxy id (expected/, observed/): its file is named after the proxy, and a second one for the same
// proxy needs --override.
template <typename T>
void add_by_proxy(std::map<std::string, T>& out, T table, const fs::path& file, bool allow_override,
                  const std::string& what) {
    if (file.stem().string() != table.proxy)
        throw FixtureError(file.string(), "/proxy", "proxy '" + table.proxy + "' does not match the file name");
    if (out.count(table.proxy) && !allow_override)
        throw FixtureError(file.string(), "/proxy",
                           what + " for '" + table.proxy + "' is already defined in " + out[table.proxy].file.string() +
                               " (pass --override to let a later fixtures folder replace it)");
    out[table.proxy] = std::move(table);
}

template <typename T>
void add_unique(std::vector<T>& list, T item, bool allow_override, const fs::path& file) {
    auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return x.id == item.id; });
    if (it == list.end()) {
        list.push_back(std::move(item));
        return;
    }
    if (!allow_override)
        throw FixtureError(file.string(), "/id",
                           "id '" + item.id + "' is already defined in " + it->file.string() +
                               " (pass --override to let a later fixtures folder replace it)");
    *it = std::move(item);
}

void check_file_name(const std::string& id, const fs::path& file) {
    if (file.stem().string() != id)
        throw FixtureError(file.string(), "/id",
                           "id '" + id + "' does not match the file name '" + file.filename().string() + "'");
}

}  // namespace

Fixtures load_fixtures(const std::vector<fs::path>& roots, bool allow_override) {
    Fixtures f;
    f.roots = roots;
    bool have_variants = false;
    std::map<std::string, fs::path> variant_files;  // id -> the file that defined it, for clash messages
    std::vector<fs::path> grid_files;
    for (const auto& root : roots) {
        std::error_code ec;
        if (!fs::is_directory(root, ec)) throw FixtureError(root.string(), "", "fixtures folder does not exist");
        // Any entry named variants.json counts (a symlink loop, a FIFO): read_json_file then says what is wrong.
        const bool has_variants = fs::symlink_status(root / "variants.json", ec).type() != fs::file_type::not_found;
        // A folder that holds nothing is a mistyped path, not a layer that adds nothing: say so.
        if (!has_variants && json_files(root / "clients").empty() && json_files(root / "proxies").empty() &&
            json_files(root / "expected").empty())
            throw FixtureError(root.string(), "",
                               "the fixtures folder holds no fixtures (variants.json, clients/, proxies/, expected/)");
        fs::path vfile = root / "variants.json";
        if (has_variants) {
            auto vars = parse_variants(read_json_file(vfile), vfile);
            for (auto& v : vars) {
                auto it = std::find_if(f.variants.begin(), f.variants.end(), [&](auto& x) { return x.id == v.id; });
                if (it == f.variants.end()) f.variants.push_back(v);
                else if (allow_override) *it = v;
                else
                    throw FixtureError(vfile.string(), "/variants",
                                       "variant id '" + v.id + "' is already defined in " +
                                           variant_files[v.id].string() +
                                           " (pass --override to let a later fixtures folder replace it)");
                variant_files[v.id] = vfile;
            }
            have_variants = true;
        }
        for (const auto& file : json_files(root / "clients")) {
            ClientProfile c = parse_client(read_json_file(file), file);
            check_file_name(c.id, file);
            add_unique(f.clients, std::move(c), allow_override, file);
        }
        for (const auto& file : json_files(root / "proxies")) {
            ProxyProfile p = parse_proxy(read_json_file(file), file);
            check_file_name(p.id, file);
            add_unique(f.proxies, std::move(p), allow_override, file);
        }
        for (const auto& file : json_files(root / "grids")) {
            if (file.filename() == kGridCatalogueFile) {  // the row catalogue, not the grid file of a proxy
                (void)parse_grid_catalogue(read_json_file(file), file);
                continue;
            }
            check_grid_file(read_json_file(file), file);
            grid_files.push_back(file);
        }
        for (const auto& file : json_files(root / "expected"))
            add_by_proxy(f.expected, parse_expected(read_json_file(file), file), file, allow_override,
                         "an expected table");
        for (const auto& file : json_files(root / "observed"))
            add_by_proxy(f.observed, parse_observed(read_json_file(file), file), file, allow_override,
                         "an observed table");
    }
    std::string where = roots.empty() ? std::string("(no fixtures folder)") : roots.front().string();
    if (!have_variants) throw FixtureError(where, "", "no variants.json found in any fixtures folder");
    if (f.clients.empty()) throw FixtureError(where, "", "no client profile found (clients/*.json)");
    if (f.proxies.empty()) throw FixtureError(where, "", "no proxy profile found (proxies/*.json)");
    for (const auto& file : grid_files)
        if (!f.proxy(file.stem().string()))
            throw FixtureError(file.string(), "/proxy", "grid file for unknown proxy '" + file.stem().string() + "'");
    // Cross references: expected rows must name known proxies, clients, variants and steps.
    for (const auto& [proxy, table] : f.expected) {
        if (!f.proxy(proxy)) throw FixtureError(table.file.string(), "/proxy", "unknown proxy '" + proxy + "'");
        for (const auto& [client, variants] : table.cells) {
            std::string cp = "/cells/" + json_pointer_escape(client);
            const ClientProfile* c = f.client(client);
            if (!c) throw FixtureError(table.file.string(), cp, "row for unknown client '" + client + "'");
            for (const auto& [variant, rows] : variants) {
                std::string vp = cp + "/" + json_pointer_escape(variant);
                if (!f.variant(variant))
                    throw FixtureError(table.file.string(), vp, "row for unknown variant '" + variant + "'");
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    // A plain local, not the structured binding: clang before 16 cannot capture those.
                    const std::string& step_id = rows[i].step;
                    bool known =
                        std::any_of(c->steps.begin(), c->steps.end(), [&](auto& s) { return s.id == step_id; });
                    if (!known)
                        throw FixtureError(table.file.string(), vp + "/" + std::to_string(i) + "/step",
                                           "row for unknown step '" + rows[i].step + "' of client '" + client + "'");
                }
            }
        }
    }
    for (const auto& [proxy, table] : f.observed) {
        const ProxyProfile* p = f.proxy(proxy);
        if (!p) throw FixtureError(table.file.string(), "/proxy", "unknown proxy '" + proxy + "'");
        for (const auto& [id, config] : table.configs)
            if (!config.deployment.empty() && (!p->behaviour || !p->behaviour->deployments.count(config.deployment)))
                throw FixtureError(
                    table.file.string(), "/configurations/" + json_pointer_escape(id) + "/deployment",
                    "no deployment '" + config.deployment + "' in " + p->file.string() + " (behaviour.deployments)");
    }
    return f;
}

const ClientProfile* Fixtures::client(const std::string& id) const {
    for (const auto& c : clients)
        if (c.id == id) return &c;
    return nullptr;
}
const ProxyProfile* Fixtures::proxy(const std::string& id) const {
    for (const auto& p : proxies)
        if (p.id == id) return &p;
    return nullptr;
}
const Variant* Fixtures::variant(const std::string& id) const {
    for (const auto& v : variants)
        if (v.id == id) return &v;
    return nullptr;
}

}  // namespace routecheck
