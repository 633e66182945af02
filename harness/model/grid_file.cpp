#include "model/grid_file.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace routecheck {

namespace {

const std::set<std::string> kMethodsOrAny = {"*", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
const std::set<std::string> kStreamProtocols = {"anthropic", "openai", "gemini"};

int integer_in(const JsonAt& at, const std::string& key, int min, int max, const std::string& what) {
    int v = at.integer(key);
    if (v < min || v > max) at.at(key).fail(what + " (" + std::to_string(min) + ".." + std::to_string(max) + ")");
    return v;
}

std::string one_of(const JsonAt& at, const std::string& key, const std::set<std::string>& allowed) {
    std::string v = at.str_or(key, "");
    if (!allowed.count(v)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        at.at(key).fail("'" + v + "' is not one of " + list);
    }
    return v;
}

std::string path_at(const JsonAt& at, const std::string& key, const std::string& fallback) {
    std::string p = at.str_or(key, fallback);
    if (!p.empty() && p.front() != '/') at.at(key).fail("a path starts with '/'");
    return p;
}

// A string of the catalogue: every "{name}" in it must be one of kGridPlaceholders.
void check_placeholders(const JsonAt& at, const std::string& text) {
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) at.fail("'{' without '}' in '" + text + "'");
        const std::string name = text.substr(open + 1, close - open - 1);
        if (std::find(kGridPlaceholders.begin(), kGridPlaceholders.end(), name) == kGridPlaceholders.end()) {
            std::string list;
            for (const auto& p : kGridPlaceholders) list += (list.empty() ? "{" : ", {") + p + "}";
            at.fail("unknown placeholder {" + name + "} (known: " + list + ")");
        }
    }
}

// Every string value inside a JSON body (the placeholders may be anywhere in it, e.g. {"model": "{model}"}).
void check_body_placeholders(const JsonAt& at) {
    const auto& n = at.node();
    if (n.is_string()) check_placeholders(at, n.get<std::string>());
    else if (n.is_array())
        for (std::size_t i = 0; i < n.size(); ++i) check_body_placeholders(at.at(i));
    else if (n.is_object())
        for (auto it = n.begin(); it != n.end(); ++it) check_body_placeholders(at.at(it.key()));
}

// A probe ({method, path, body, headers, note}). `templated`: a catalogue probe, whose strings may hold placeholders
// (a path then need not start with '/': "{api_prefix}/v1/messages").
GridProbe parse_probe(const JsonAt& at, bool templated, std::initializer_list<const char*> more_keys = {}) {
    std::vector<const char*> keys = {"method", "path", "body", "headers", "note"};
    keys.insert(keys.end(), more_keys.begin(), more_keys.end());
    at.expect_object();
    for (auto it = at.node().begin(); it != at.node().end(); ++it)
        if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; })) {
            std::string list;
            for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
            at.at(it.key()).fail("unknown field (allowed: " + list + ")");
        }
    GridProbe p;
    p.method = at.str_or("method", p.method);
    if (!kMethodsOrAny.count(p.method)) one_of(at, "method", kMethodsOrAny);
    p.path = at.str_or("path", p.path);
    if (templated) {
        if (at.has("path")) check_placeholders(at.at("path"), p.path);
        if (p.path.empty() || (p.path.front() != '/' && p.path.front() != '{'))
            at.at("path").fail("a path starts with '/' (or a placeholder)");
    } else if (p.path.empty() || p.path.front() != '/') {
        at.at("path").fail("a path starts with '/'");
    }
    if (at.has("body")) {
        p.body = at.node()["body"];
        if (templated) check_body_placeholders(at.at("body"));
    }
    p.headers = at.string_map_or_empty("headers");
    if (templated)
        for (const auto& [name, value] : p.headers) check_placeholders(at.at("headers").at(name), value);
    return p;
}

GridSetup parse_setup(const JsonAt& at) {
    at.only_keys({"known", "api_prefix", "health_path", "stream_protocols", "models", "health_timeout_ms",
                  "stream_timeout_ms", "note"});
    GridSetup s;
    if (at.has("known")) s.known = parse_probe(at.at("known"), false);
    if (at.has("api_prefix")) s.api_prefix = path_at(at, "api_prefix", "");
    if (at.has("health_path")) s.health_path = path_at(at, "health_path", "");
    if (at.has("stream_protocols")) {
        s.stream_protocols = at.strings_or_empty("stream_protocols");
        for (std::size_t i = 0; i < s.stream_protocols->size(); ++i)
            if (!kStreamProtocols.count((*s.stream_protocols)[i]))
                at.at("stream_protocols")
                    .at(i)
                    .fail("'" + (*s.stream_protocols)[i] + "' is not anthropic, openai or gemini");
    }
    s.models = at.string_map_or_empty("models");
    // The client's patience per row: 0 would fail every row at once, a huge value would never end a hung one.
    if (at.has("health_timeout_ms"))
        s.health_timeout_ms = integer_in(at, "health_timeout_ms", 1, 600000, "out of range");
    if (at.has("stream_timeout_ms"))
        s.stream_timeout_ms = integer_in(at, "stream_timeout_ms", 1, 600000, "out of range");
    return s;
}

}  // namespace

GridOutcome parse_grid_outcome(const JsonAt& at) {
    at.only_keys({"status", "verdict", "upstream", "error_shape", "retry_after", "note"});
    GridOutcome o;
    if (at.has("status")) {
        o.status = at.integer("status");
        if (*o.status != 0 && (*o.status < 100 || *o.status > 599))
            at.at("status").fail("not an HTTP status (0 for no answer)");
    }
    // A verdict may be "" (a row the run left without one): str() refuses empty strings, so read the node.
    if (at.has("verdict")) {
        JsonAt v = at.at("verdict");
        if (!v.node().is_string()) v.fail(std::string("expected a string, found ") + v.node().type_name());
        o.verdict = v.node().get<std::string>();
    }
    if (at.has("upstream")) o.upstream = at.boolean_or("upstream", false);
    if (at.has("retry_after")) o.retry_after = at.boolean_or("retry_after", false);
    if (at.has("error_shape")) o.error_shape = one_of(at, "error_shape", {"native", "foreign", "none"});
    o.note = at.str_or("note", "");
    return o;
}

nlohmann::json GridOutcome::to_json() const {
    nlohmann::json j = nlohmann::json::object();
    if (status) j["status"] = *status;
    if (verdict) j["verdict"] = *verdict;
    if (upstream) j["upstream"] = *upstream;
    if (error_shape) j["error_shape"] = *error_shape;
    if (retry_after) j["retry_after"] = *retry_after;
    if (!note.empty()) j["note"] = note;
    return j;
}

bool GridExpected::accepts(const GridOutcome& got) const {
    return std::find(outcomes.begin(), outcomes.end(), got) != outcomes.end();
}

nlohmann::json GridExpected::to_json() const {
    if (!listed && outcomes.size() == 1) return outcomes.front().to_json();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& o : outcomes) list.push_back(o.to_json());
    return list;
}

const GridExpected* GridFile::expected(const std::string& kind, const std::string& row) const {
    auto k = rows.find(kind);
    if (k == rows.end()) return nullptr;
    auto r = k->second.find(row);
    return r == k->second.end() ? nullptr : &r->second;
}

GridFile parse_grid_file(const nlohmann::json& doc, const std::filesystem::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"proxy", "provenance", "generated_by", "notes", "setup", "auth", "health", "stream"});
    GridFile g;
    g.file = file;
    g.proxy = root.str("proxy");
    if (g.proxy != file.stem().string())
        root.at("proxy").fail("proxy '" + g.proxy + "' does not match the file name '" + file.filename().string() +
                              "'");
    g.provenance = root.str_or("provenance", "");
    g.generated_by = root.str_or("generated_by", "");
    g.notes = root.str_or("notes", "");
    if (root.has("setup")) g.setup = parse_setup(root.at("setup"));
    for (const char* kind : {"auth", "health", "stream"}) {
        if (!root.has(kind)) continue;
        JsonAt rows = root.at(kind);
        rows.expect_object();
        auto& table = g.rows[kind];
        for (auto it = rows.node().begin(); it != rows.node().end(); ++it) {
            JsonAt row = rows.at(it.key());
            GridExpected e;
            if (!row.node().is_array()) {
                e.outcomes.push_back(parse_grid_outcome(row));
            } else {
                // A list: the outcomes a race inside the proxy decides between (grid_json.cpp judge_row).
                if (row.node().empty()) row.fail("an empty list of outcomes");
                e.listed = true;
                for (std::size_t i = 0; i < row.node().size(); ++i) e.outcomes.push_back(parse_grid_outcome(row.at(i)));
            }
            table[it.key()] = std::move(e);
        }
    }
    return g;
}

void check_grid_file(const nlohmann::json& doc, const std::filesystem::path& file) { (void)parse_grid_file(doc, file); }

// ---- the row catalogue -----------------------------------------------------------------------------------

namespace {

// The ids of a list must be unique: a row name would repeat.
template <class T>
void check_unique(const JsonAt& list, const std::vector<T>& items) {
    for (std::size_t i = 0; i < items.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (items[i].id == items[j].id) list.at(i).at("id").fail("duplicate id '" + items[i].id + "'");
}

std::vector<GridCatalogue::KeyState> parse_key_states(const JsonAt& at) {
    at.expect_array();
    std::vector<GridCatalogue::KeyState> out;
    for (std::size_t i = 0; i < at.size(); ++i) {
        JsonAt k = at.at(i);
        k.only_keys({"id", "key", "note"});
        GridCatalogue::KeyState s{k.str("id"), k.str_or("key", "")};
        // "{key}" is the proxy's own key; other braces would be sent verbatim, which is never meant.
        if (s.key.find('{') != std::string::npos && s.key != "{key}")
            k.at("key").fail("a key is fixed text or \"{key}\"");
        out.push_back(std::move(s));
    }
    check_unique(at, out);
    return out;
}

std::vector<GridCatalogue::Fault> parse_faults(const JsonAt& at) {
    at.expect_array();
    std::vector<GridCatalogue::Fault> out;
    for (std::size_t i = 0; i < at.size(); ++i) {
        JsonAt f = at.at(i);
        f.only_keys({"id", "fault", "phase", "note"});
        GridCatalogue::Fault c{f.str("id"), f.str_or("fault", ""), integer_in(f, "phase", 0, 2, "not a phase")};
        if (f.has("fault")) check_placeholders(f.at("fault"), c.fault);
        out.push_back(std::move(c));
    }
    check_unique(at, out);
    return out;
}

}  // namespace

const GridCatalogue::StreamProtocol* GridCatalogue::protocol(const std::string& id) const {
    for (const auto& p : stream.protocols)
        if (p.id == id) return &p;
    return nullptr;
}

GridCatalogue parse_grid_catalogue(const nlohmann::json& doc, const std::filesystem::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"notes", "defaults", "known", "auth", "health", "stream"});
    GridCatalogue c;
    c.file = file;
    root.str_or("notes", "");

    JsonAt defaults = root.at("defaults");
    defaults.only_keys({"api_prefix", "health_timeout_ms", "stream_timeout_ms", "note"});
    c.api_prefix = path_at(defaults, "api_prefix", c.api_prefix);
    c.health_timeout_ms = integer_in(defaults, "health_timeout_ms", 1, 600000, "out of range");
    c.stream_timeout_ms = integer_in(defaults, "stream_timeout_ms", 1, 600000, "out of range");

    JsonAt known = root.at("known");
    known.expect_array();
    if (known.size() == 0) known.fail("needs at least one candidate");
    for (std::size_t i = 0; i < known.size(); ++i) {
        JsonAt k = known.at(i);
        GridCatalogue::KnownCandidate cand{parse_probe(k, true, {"if_route"}), k.boolean_or("if_route", false)};
        c.known.push_back(std::move(cand));
    }
    if (c.known.back().if_route)
        known.at(known.size() - 1).at("if_route").fail("the last candidate is the fallback: it has no \"if_route\"");

    JsonAt auth = root.at("auth");
    auth.only_keys({"timeout_ms", "key_states", "carriers", "targets", "note"});
    c.auth.timeout_ms = integer_in(auth, "timeout_ms", 1, 600000, "out of range");
    c.auth.key_states = parse_key_states(auth.at("key_states"));
    c.auth.carriers = auth.strings("carriers");
    JsonAt targets = auth.at("targets");
    targets.expect_array();
    for (std::size_t i = 0; i < targets.size(); ++i) {
        JsonAt t = targets.at(i);
        GridCatalogue::AuthTarget target;
        target.id = t.str("id");
        target.known = t.boolean_or("known", false);
        target.needs_health = t.boolean_or("needs_health", false);
        if (target.known) t.only_keys({"id", "known", "note"});
        else target.probe = parse_probe(t, true, {"id", "known", "needs_health"});
        c.auth.targets.push_back(std::move(target));
    }
    check_unique(targets, c.auth.targets);

    JsonAt health = root.at("health");
    health.only_keys({"key_states", "conditions", "note"});
    c.health.key_states = parse_key_states(health.at("key_states"));
    c.health.conditions = parse_faults(health.at("conditions"));

    JsonAt stream = root.at("stream");
    stream.only_keys({"protocols", "cases", "note"});
    JsonAt protocols = stream.at("protocols");
    protocols.expect_array();
    for (std::size_t i = 0; i < protocols.size(); ++i) {
        JsonAt p = protocols.at(i);
        GridCatalogue::StreamProtocol proto;
        proto.id = one_of(p, "id", kStreamProtocols);  // the stream verdicts read these three protocols
        proto.probe = parse_probe(p, true, {"id", "default_model", "key_header"});
        proto.default_model = p.str("default_model");
        proto.key_header = p.str("key_header");
        c.stream.protocols.push_back(std::move(proto));
    }
    check_unique(protocols, c.stream.protocols);
    c.stream.cases = parse_faults(stream.at("cases"));
    return c;
}

std::optional<GridFile> load_grid_file(const std::vector<std::filesystem::path>& roots, const std::string& proxy) {
    std::optional<std::filesystem::path> found;
    for (const auto& root : roots) {
        auto p = root / "grids" / (proxy + ".json");
        if (std::filesystem::exists(p)) found = p;
    }
    if (!found) return std::nullopt;
    return parse_grid_file(read_json_file(*found), *found);
}

GridCatalogue load_grid_catalogue(const std::vector<std::filesystem::path>& roots) {
    std::optional<std::filesystem::path> found;
    for (const auto& root : roots) {
        auto p = root / "grids" / kGridCatalogueFile;
        if (std::filesystem::exists(p)) found = p;
    }
    if (!found)
        throw FixtureError(roots.empty() ? std::string("(no fixtures folder)")
                                         : (roots.front() / "grids" / kGridCatalogueFile).string(),
                           "", "no grid row catalogue (grids/catalogue.json) in any fixtures folder");
    return parse_grid_catalogue(read_json_file(*found), *found);
}

}  // namespace routecheck
