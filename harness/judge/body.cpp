#include "judge/body.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <nlohmann/json.hpp>

namespace routecheck {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim_left(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

// The message of an error object: error.message, else a top-level message, detail or string error.
std::string message_of(const nlohmann::json& j) {
    auto text = [](const nlohmann::json& o, const char* key) {
        return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
    };
    std::string m;
    if (j.contains("error") && j["error"].is_object()) m = text(j["error"], "message");
    for (const char* key : {"message", "detail", "error"})
        if (m.empty()) m = text(j, key);
    return m.size() > 200 ? m.substr(0, 200) : m;
}

// "OpenAI's error object (invalid_request_error)"; a type that says nothing ("None", "null": a Python proxy that
// printed an empty type) is left out.
std::string named(const std::string& whose, const std::string& type) {
    const std::string t = lower(type);
    if (t.empty() || t == "none" || t == "null" || t == "undefined") return whose + " error object";
    return whose + " error object (" + type + ")";
}

BodyReading from_json(const nlohmann::json& j) {
    if (!j.is_object()) return {BodyKind::Json, "JSON", ""};
    const std::string message = message_of(j);
    if (j.contains("error") && j["error"].is_object()) {
        const auto& e = j["error"];
        if (e.contains("status") && e["status"].is_string() && e.contains("code"))
            return {BodyKind::UpstreamError, named("Google's", e["status"].get<std::string>()), message};
        if (j.value("type", "") == "error" && e.contains("type") && e["type"].is_string())
            return {BodyKind::UpstreamError, named("Anthropic's", e["type"].get<std::string>()), message};
        if (e.contains("message") && e.contains("type") && e["type"].is_string())
            return {BodyKind::UpstreamError, named("OpenAI's", e["type"].get<std::string>()), message};
        return {BodyKind::ErrorObject, "an error object", message};
    }
    if (j.contains("error") || j.contains("detail") || (j.contains("message") && j.size() <= 4) ||
        (j.contains("ok") && j["ok"] == false))
        return {BodyKind::ErrorObject, "an error object", message};
    return {BodyKind::Json, "JSON", ""};
}

// A cut excerpt no parser takes: read the keys that are visible.
BodyReading from_fragment(const std::string& b) {
    static const std::regex google(R"re("status"\s*:\s*"([A-Z_]+)")re");
    static const std::regex anthropic(R"re("type"\s*:\s*"error"[\s\S]*"type"\s*:\s*"([a-z_]+_error)")re");
    static const std::regex openai(R"re("type"\s*:\s*"([a-z_]+_error)")re");
    std::smatch m;
    if (b.find("\"error\"") == std::string::npos) return {BodyKind::Json, "JSON", ""};
    if (std::regex_search(b, m, google) && b.find("\"code\"") != std::string::npos)
        return {BodyKind::UpstreamError, "Google's error object (" + m[1].str() + ")", ""};
    if (std::regex_search(b, m, anthropic))
        return {BodyKind::UpstreamError, "Anthropic's error object (" + m[1].str() + ")", ""};
    if (std::regex_search(b, m, openai))
        return {BodyKind::UpstreamError, "OpenAI's error object (" + m[1].str() + ")", ""};
    return {BodyKind::ErrorObject, "an error object", ""};
}

}  // namespace

BodyReading read_body(const std::string& content_type, const std::string& body) {
    std::string ct = lower(content_type), b = trim_left(body);
    if (b.empty()) return {BodyKind::Empty, "", ""};
    std::string head = lower(b.substr(0, 64));
    if (ct.find("text/html") != std::string::npos || head.rfind("<!doctype html", 0) == 0 ||
        head.rfind("<html", 0) == 0)
        return {BodyKind::Html, "an HTML page", ""};
    if (b.front() == '{' || b.front() == '[') {
        auto j = nlohmann::json::parse(b, nullptr, false);
        return j.is_discarded() ? from_fragment(b) : from_json(j);
    }
    return {BodyKind::Text, "text", b.substr(0, std::min<std::size_t>(b.size(), 200))};
}

bool says_path_not_found(const BodyReading& body) {
    const std::string m = lower(body.message);
    if (m.empty() || m.find("model") != std::string::npos) return false;
    static const std::regex path_words(
        R"re(page not found|invalid url|cannot (get|post|put|delete)\b|no route|route .*not found|unknown (url|path|endpoint|route)|path .*not found|not found: /)re");
    return std::regex_search(m, path_words);
}

}  // namespace routecheck
