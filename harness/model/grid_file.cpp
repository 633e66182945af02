#include "model/grid_file.hpp"

#include <set>
#include <string>

namespace routecheck {

namespace {

const std::set<std::string> kMethodsOrAny = {"*", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

void integer_in(const JsonAt& at, const std::string& key, int min, int max, const std::string& what) {
    if (!at.has(key)) return;
    int v = at.integer(key);
    if (v < min || v > max) at.at(key).fail(what + " (" + std::to_string(min) + ".." + std::to_string(max) + ")");
}

void one_of(const JsonAt& at, const std::string& key, const std::set<std::string>& allowed) {
    if (!at.has(key)) return;
    std::string v = at.str_or(key, "");
    if (!allowed.count(v)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        at.at(key).fail("'" + v + "' is not one of " + list);
    }
}

void check_probe(const JsonAt& at) {
    at.only_keys({"method", "path", "body", "headers", "note"});
    one_of(at, "method", kMethodsOrAny);
    std::string path = at.str_or("path", "/");
    if (path.empty() || path.front() != '/') at.at("path").fail("a path starts with '/'");
    at.string_map_or_empty("headers");
}

void check_setup(const JsonAt& at) {
    at.only_keys({"known", "api_prefix", "health_path", "stream_protocols", "models", "health_timeout_ms",
                  "stream_timeout_ms", "note"});
    if (at.has("known")) check_probe(at.at("known"));
    for (const char* key : {"api_prefix", "health_path"}) {
        std::string p = at.str_or(key, "");
        if (!p.empty() && p.front() != '/') at.at(key).fail("a path starts with '/'");
    }
    auto protocols = at.strings_or_empty("stream_protocols");
    for (std::size_t i = 0; i < protocols.size(); ++i)
        if (protocols[i] != "anthropic" && protocols[i] != "openai" && protocols[i] != "gemini")
            at.at("stream_protocols").at(i).fail("'" + protocols[i] + "' is not anthropic, openai or gemini");
    at.string_map_or_empty("models");
    // The client's patience per row: 0 would fail every row at once, a huge value would never end a hung one.
    integer_in(at, "health_timeout_ms", 1, 600000, "out of range");
    integer_in(at, "stream_timeout_ms", 1, 600000, "out of range");
}

void check_row(const JsonAt& at) {
    at.only_keys({"status", "verdict", "upstream", "error_shape", "retry_after", "note"});
    if (at.has("status")) {
        int s = at.integer("status");
        if (s != 0 && (s < 100 || s > 599)) at.at("status").fail("not an HTTP status (0 for no answer)");
    }
    at.str_or("verdict", "");
    at.boolean_or("upstream", false);
    at.boolean_or("retry_after", false);
    one_of(at, "error_shape", {"native", "foreign", "none"});
}

}  // namespace

void check_grid_file(const nlohmann::json& doc, const std::filesystem::path& file) {
    JsonAt root(doc, file.string());
    root.only_keys({"proxy", "provenance", "generated_by", "notes", "setup", "auth", "health", "stream"});
    std::string proxy = root.str("proxy");
    if (proxy != file.stem().string())
        root.at("proxy").fail("proxy '" + proxy + "' does not match the file name '" + file.filename().string() + "'");
    root.str_or("provenance", "");
    root.str_or("generated_by", "");
    if (root.has("setup")) check_setup(root.at("setup"));
    for (const char* kind : {"auth", "health", "stream"}) {
        if (!root.has(kind)) continue;
        JsonAt rows = root.at(kind);
        rows.expect_object();
        for (auto it = rows.node().begin(); it != rows.node().end(); ++it) {
            JsonAt row = rows.at(it.key());
            if (!row.node().is_array()) {
                check_row(row);
                continue;
            }
            // A list: the outcomes a race inside the proxy decides between (grid_json.cpp judge_row); each one a row.
            if (row.node().empty()) row.fail("an empty list of outcomes");
            for (std::size_t i = 0; i < row.node().size(); ++i) check_row(row.at(i));
        }
    }
}

}  // namespace routecheck
