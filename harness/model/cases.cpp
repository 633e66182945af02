#include "model/cases.hpp"

#include <algorithm>
#include <regex>

#include "model/json_access.hpp"
#include "model/verdict_class.hpp"

namespace routecheck {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kProxyCarriers = {"authorization", "x-api-key", "x-goog-api-key", "query-key"};

void check_answer(const JsonAt& at) {
    at.expect_object();
    at.only_keys({"status", "content_type", "body", "note"});
    if (at.has("status")) {
        int s = at.integer("status");
        if (s < 100 || s > 599) at.at("status").fail("not an HTTP status");
    }
    at.str_or("content_type", "");
}

}  // namespace

void check_standin_proxy(const JsonAt& p) {
    p.expect_object();
    p.only_keys({"name", "health", "options", "routes", "unknown", "wrong_method", "auth", "note"});
    p.str("name");
    if (p.has("health") && p.str("health").front() != '/') p.at("health").fail("a path starts with '/'");
    JsonAt routes = p.at("routes");
    routes.expect_array();
    for (std::size_t i = 0; i < routes.size(); ++i) {
        JsonAt r = routes.at(i);
        r.only_keys({"method", "path", "status", "content_type", "body", "note"});
        r.str("method");
        if (r.str("path").front() != '/') r.at("path").fail("a route path starts with '/'");
        if (r.has("status")) {
            int s = r.integer("status");
            if (s < 100 || s > 599) r.at("status").fail("not an HTTP status");
        }
    }
    if (p.has("options")) check_answer(p.at("options"));
    if (p.has("unknown")) check_answer(p.at("unknown"));
    if (p.has("wrong_method")) check_answer(p.at("wrong_method"));
    if (p.has("auth")) {
        JsonAt a = p.at("auth");
        a.expect_object();
        a.only_keys({"key", "carriers", "before_routing", "exempt", "missing", "wrong", "note"});
        a.str("key");
        auto carriers = a.strings_or_empty("carriers");
        for (std::size_t i = 0; i < carriers.size(); ++i)
            if (std::find(kProxyCarriers.begin(), kProxyCarriers.end(), carriers[i]) == kProxyCarriers.end())
                a.at("carriers")
                    .at(i)
                    .fail("unknown key carrier '" + carriers[i] +
                          "' (authorization, x-api-key, x-goog-api-key, query-key)");
        a.boolean_or("before_routing", false);
        a.strings_or_empty("exempt");
        if (a.has("missing")) check_answer(a.at("missing"));
        if (a.has("wrong")) check_answer(a.at("wrong"));
    }
}

namespace {

Case::Expectation parse_expectation(const JsonAt& e, bool top) {
    if (top) e.only_keys({"class", "works", "fix_base_url", "fix_mentions", "doctor", "probe"});
    else e.only_keys({"class", "works", "fix_base_url", "fix_mentions", "note"});
    if (!top) e.str("note");  // an override says why doctor sees less
    Case::Expectation x;
    x.diagnosis = e.str("class");
    try {
        diagnosis_from_string(x.diagnosis);
    } catch (const std::invalid_argument& err) {
        e.at("class").fail(err.what());
    }
    if (!e.has("works") || !e.node()["works"].is_boolean()) e.fail("\"works\" must be true or false");
    x.works = e.node()["works"].get<bool>();
    if (e.has("fix_base_url") && !e.node()["fix_base_url"].is_null()) x.fix_base_url = e.str("fix_base_url");
    x.fix_mentions = e.strings_or_empty("fix_mentions");
    return x;
}

}  // namespace

Case parse_case(const nlohmann::json& doc, const fs::path& file, const std::vector<ClientProfile>& clients) {
    JsonAt root(doc, file.string());
    root.expect_object();
    root.only_keys({"id", "source", "client", "base_url", "key", "proxy", "expect", "notes"});
    Case c;
    c.file = file;
    c.id = root.str("id");
    static const std::regex id_re("[a-z0-9][a-z0-9-]*");
    if (!std::regex_match(c.id, id_re)) root.at("id").fail("an id is lower case letters, digits and '-'");
    if (file.stem().string() != c.id) root.at("id").fail("id '" + c.id + "' does not match the file name");
    JsonAt src = root.at("source");
    src.only_keys({"url", "kind", "summary"});
    c.source_url = src.str("url");
    c.source_kind = src.str("kind");
    static const std::vector<std::string> kinds = {"issue", "discussion", "document", "routecheck-issue"};
    if (std::find(kinds.begin(), kinds.end(), c.source_kind) == kinds.end())
        src.at("kind").fail("expected issue, discussion, document or routecheck-issue");
    c.summary = src.str("summary");
    c.client = root.str("client");
    auto client =
        std::find_if(clients.begin(), clients.end(), [&](const ClientProfile& p) { return p.id == c.client; });
    if (client == clients.end()) root.at("client").fail("unknown client profile '" + c.client + "'");
    c.base_url = root.str("base_url");
    if (c.base_url.rfind("http://127.0.0.1:{port}", 0) != 0)
        root.at("base_url").fail("a case's Base URL starts with http://127.0.0.1:{port} (the stand-in's port)");
    if (root.has("key")) {
        JsonAt k = root.at("key");
        k.only_keys({"value", "setting"});
        c.key = k.str("value");
        c.key_setting = k.str_or("setting", "");
        if (!c.key_setting.empty() && !client->carrier(c.key_setting))
            k.at("setting").fail(c.client + " has no key setting or header '" + c.key_setting + "'");
    }
    check_standin_proxy(root.at("proxy"));
    c.proxy = root.at("proxy").node();
    JsonAt e = root.at("expect");
    c.expect = parse_expectation(e, true);
    if (e.has("doctor")) c.expect_doctor = parse_expectation(e.at("doctor"), false);
    if (e.has("probe")) c.expect_probe = parse_expectation(e.at("probe"), false);
    return c;
}

std::vector<Case> load_cases(const fs::path& root, const std::vector<ClientProfile>& clients) {
    std::vector<Case> out;
    fs::path dir = root / "cases";
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) out.push_back(parse_case(read_json_file(f), f, clients));
    return out;
}

nlohmann::json case_proxy_profile(const Case& c) {
    nlohmann::json routes = nlohmann::json::array();
    for (const auto& r : c.proxy["routes"]) routes.push_back({{"method", r["method"]}, {"path", r["path"]}});
    nlohmann::json p = {{"id", "case-" + c.id},
                        {"name", c.proxy["name"]},
                        {"provenance", "case"},
                        {"health", {{"path", c.proxy.value("health", std::string("/"))}}},
                        {"capabilities", nlohmann::json::array()},
                        {"routes", routes},
                        {"notes", "stand-in for " + c.source_url + ": " + c.summary}};
    if (c.proxy.contains("auth")) {
        const auto& a = c.proxy["auth"];
        p["auth"] = {{"key", a["key"]},
                     {"carriers", a.value("carriers", std::vector<std::string>{"authorization", "x-api-key"})}};
    }
    return p;
}

}  // namespace routecheck
