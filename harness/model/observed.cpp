#include "model/observed.hpp"

#include <set>

#include "model/json_access.hpp"

namespace routecheck {

namespace {

const std::set<std::string> kAuthModes = {"off", "all_except_health", "strict"};
const std::set<std::string> kKeys = {"none", "right", "wrong"};
const std::set<std::string> kVia = {"none",      "query-key",     "authorization", "authorization-raw",
                                    "x-api-key", "x-goog-api-key"};

ObservedConfig parse_config(const JsonAt& at) {
    at.only_keys({"auth", "running", "deployment", "run"});
    ObservedConfig c;
    c.auth = at.str("auth");
    if (!kAuthModes.count(c.auth)) at.at("auth").fail("expected off, all_except_health or strict");
    c.running = at.boolean_or("running", true);
    c.deployment = at.str_or("deployment", "");
    c.run = at.str("run");
    return c;
}

ObservedProbe parse_row(const JsonAt& at, const std::map<std::string, ObservedConfig>& configs) {
    at.only_keys({"request", "websocket", "model", "key", "via", "configs", "status"});
    ObservedProbe p;
    p.pointer = at.pointer();
    std::string request = at.str("request");
    auto sp = request.find(' ');
    if (sp == std::string::npos || sp == 0 || request.size() <= sp + 1 || request[sp + 1] != '/')
        at.at("request").fail("expected \"METHOD /path\"");
    p.method = request.substr(0, sp);
    p.target = request.substr(sp + 1);
    p.path = p.target.substr(0, p.target.find('?'));
    p.websocket = at.boolean_or("websocket", false);
    p.model = at.str_or("model", "");
    p.key = at.str("key");
    if (!kKeys.count(p.key)) at.at("key").fail("expected none, right or wrong");
    p.via = at.strings("via");
    if (p.via.empty()) at.at("via").fail("must not be empty");
    for (std::size_t i = 0; i < p.via.size(); ++i)
        if (!kVia.count(p.via[i])) at.at("via").at(i).fail("unknown key carrier '" + p.via[i] + "'");
    p.configs = at.strings("configs");
    if (p.configs.empty()) at.at("configs").fail("must not be empty");
    for (std::size_t i = 0; i < p.configs.size(); ++i)
        if (!configs.count(p.configs[i]))
            at.at("configs").at(i).fail("no configuration '" + p.configs[i] + "' in /configurations");
    p.status = at.integer("status");
    if (p.status < 100 || p.status > 599) at.at("status").fail("not an HTTP status");
    return p;
}

}  // namespace

ObservedProbes parse_observed(const nlohmann::json& doc, const std::filesystem::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"proxy", "provenance", "upstream", "configurations", "left_out", "notes", "rows"});
    ObservedProbes o;
    o.file = file;
    o.proxy = root.str("proxy");
    o.provenance = root.str("provenance");
    if (o.provenance.rfind("observed", 0) != 0) root.at("provenance").fail("must start with \"observed\"");
    std::string up = root.str_or("upstream", "reachable");
    if (up != "reachable" && up != "unreachable") root.at("upstream").fail("expected reachable or unreachable");
    o.upstream_reachable = up == "reachable";
    JsonAt configs = root.at("configurations");
    configs.expect_object();
    for (auto it = configs.node().begin(); it != configs.node().end(); ++it)
        o.configs[it.key()] = parse_config(configs.at(it.key()));
    JsonAt rows = root.at("rows");
    rows.expect_array();
    if (rows.size() == 0) rows.fail("no observed row");
    for (std::size_t i = 0; i < rows.size(); ++i) o.rows.push_back(parse_row(rows.at(i), o.configs));
    return o;
}

}  // namespace routecheck
