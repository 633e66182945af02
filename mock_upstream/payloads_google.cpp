// Gemini, Cloud Code v1internal, Google OAuth and GitHub Copilot answers. Cloud Code shapes follow what
// antigravity-claude-proxy 2.0.4 reads (src/cloudcode/*, src/account-manager/credentials.js, src/auth/oauth.js);
// Copilot shapes follow copilot-api 0.7.0 (token refresh_in, models' capabilities.tokenizer/limits).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>

#include "mock_upstream/payloads.hpp"

namespace routecheck::mock::payloads {
namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string iso_in(std::int64_t seconds_from_now) {
    std::time_t t = static_cast<std::time_t>(now_s() + seconds_from_now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json usage_metadata(const Incoming& in, bool final_chunk) {
    const int prompt = approx_tokens(in.body), out = (in.empty_content || !final_chunk) ? 0 : 1;
    return {{"promptTokenCount", prompt}, {"candidatesTokenCount", out}, {"totalTokenCount", prompt + out}};
}

std::string strip_models_prefix(const std::string& m) { return m.rfind("models/", 0) == 0 ? m.substr(7) : m; }

const char* kGeminiModels[] = {"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash", "gemini-3-pro-preview"};

json gemini_model(const std::string& id) {
    return {{"name", "models/" + id},
            {"version", "001"},
            {"displayName", id},
            {"description", "routecheck mock"},
            {"inputTokenLimit", 1048576},
            {"outputTokenLimit", 65536},
            {"supportedGenerationMethods", {"generateContent", "countTokens", "streamGenerateContent"}},
            {"temperature", 1.0},
            {"topP", 0.95},
            {"topK", 64}};
}

// A minimal instance of a schema (see payloads.hpp). `root` is the whole schema, for "$ref": "#/...".
class MinInstance {
public:
    explicit MinInstance(const json& root) : root_(root) {}

    ojson build(const json& schema, int depth) const {
        if (depth > kMaxDepth) return nullptr;  // a recursive schema whose required chain never ends
        if (!schema.is_object()) return "hi";   // `true` (anything), or junk
        const json& s = deref(schema);
        if (!s.is_object()) return "hi";
        if (auto all = s.find("allOf"); all != s.end() && all->is_array())
            return build(merge_all_of(s, *all), depth + 1);
        if (auto c = s.find("const"); c != s.end()) return to_ordered(*c);
        if (auto e = s.find("enum"); e != s.end() && e->is_array() && !e->empty()) return to_ordered(e->front());
        for (const char* key : {"anyOf", "oneOf"}) {
            auto alts = s.find(key);
            if (alts == s.end() || !alts->is_array() || alts->empty()) continue;
            for (const json& alt : *alts)  // the first branch that is not just null
                if (type_of(deref(alt)) != "null") return build(alt, depth + 1);
            return build(alts->front(), depth + 1);
        }
        const std::string t = type_of(s);
        if (t == "object") return object(s, depth);
        if (t == "array") return array(s, depth);
        if (t == "integer" || t == "number") return number(s, t == "integer");
        if (t == "boolean") return false;
        if (t == "null") return nullptr;
        return string(s);
    }

private:
    static constexpr int kMaxDepth = 32;
    static constexpr double kMaxItems = 16;
    const json& root_;

    static ojson to_ordered(const json& j) { return ojson::parse(j.dump()); }

    static std::string lower(std::string v) {
        for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return v;
    }

    // Numbers may arrive as JSON strings: proto3 JSON writes Gemini Schema's int64 fields ("minItems": "1") so.
    static std::optional<double> num(const json& s, const char* key) {
        auto it = s.find(key);
        if (it == s.end()) return std::nullopt;
        if (it->is_number()) return it->get<double>();
        if (it->is_string()) {
            const std::string& v = it->get_ref<const std::string&>();
            char* end = nullptr;
            const double d = std::strtod(v.c_str(), &end);
            if (!v.empty() && *end == '\0' && std::isfinite(d)) return d;
        }
        return std::nullopt;
    }

    // Follows local "$ref"s ("#/$defs/x", "#/definitions/x", "#"); an unresolvable one is left as is.
    const json& deref(const json& s) const {
        const json* cur = &s;
        for (int hops = 0; hops < kMaxDepth && cur->is_object(); ++hops) {
            auto ref = cur->find("$ref");
            if (ref == cur->end() || !ref->is_string()) break;
            const std::string r = ref->get<std::string>();
            if (r.empty() || r[0] != '#') break;
            try {
                const json& target = root_.at(json::json_pointer(r.substr(1)));
                if (&target == cur) break;
                cur = &target;
            } catch (const std::exception&) {
                break;
            }
        }
        return *cur;
    }

    json merge_all_of(const json& s, const json& all) const {
        json merged = s;
        merged.erase("allOf");
        for (const json& sub0 : all) {
            const json& sub = deref(sub0);
            if (!sub.is_object()) continue;
            for (const auto& [k, v] : sub.items()) {
                if (k == "properties" && v.is_object()) {
                    if (!merged["properties"].is_object()) merged["properties"] = json::object();
                    for (const auto& [pk, pv] : v.items())
                        if (!merged["properties"].contains(pk)) merged["properties"][pk] = pv;
                } else if (k == "required" && v.is_array()) {
                    if (!merged["required"].is_array()) merged["required"] = json::array();
                    for (const json& r : v) merged["required"].push_back(r);
                } else if (!merged.contains(k)) {
                    merged[k] = v;
                }
            }
        }
        return merged;
    }

    // JSON Schema ("object", or ["string", "null"]) or Gemini Schema ("OBJECT"); inferred when absent.
    static std::string type_of(const json& s) {
        if (!s.is_object()) return "";
        std::string t;
        if (auto it = s.find("type"); it != s.end()) {
            if (it->is_string()) t = lower(it->get<std::string>());
            else if (it->is_array())
                for (const json& x : *it)
                    if (x.is_string() && (t.empty() || t == "null")) t = lower(x.get<std::string>());
        }
        if (!t.empty() && t != "type_unspecified") return t;
        if (s.contains("properties") || s.contains("required") || s.contains("additionalProperties")) return "object";
        if (s.contains("items") || s.contains("prefixItems") || s.contains("minItems")) return "array";
        if (s.contains("minimum") || s.contains("maximum") || s.contains("exclusiveMinimum")) return "number";
        return "string";
    }

    ojson object(const json& s, int depth) const {
        ojson out = ojson::object();
        auto req = s.find("required");
        if (req == s.end() || !req->is_array()) return out;
        const json none = json::object();
        auto props = s.find("properties");
        auto extra = s.find("additionalProperties");
        for (const json& name : *req) {
            if (!name.is_string() || out.contains(name.get<std::string>())) continue;
            const std::string n = name.get<std::string>();
            const json* sub = &none;
            if (props != s.end() && props->is_object() && props->contains(n)) sub = &(*props)[n];
            else if (extra != s.end() && extra->is_object()) sub = &*extra;
            out[n] = build(*sub, depth + 1);
        }
        return out;
    }

    ojson array(const json& s, int depth) const {
        ojson out = ojson::array();
        const int n = static_cast<int>(std::clamp(num(s, "minItems").value_or(0), 0.0, kMaxItems));
        const json none = json::object();
        auto prefix = s.find("prefixItems");
        auto items = s.find("items");
        for (int i = 0; i < n; ++i) {
            const json* sub = &none;
            if (prefix != s.end() && prefix->is_array() && i < static_cast<int>(prefix->size())) sub = &(*prefix)[i];
            else if (items != s.end() && items->is_array()) {  // draft-04 tuple form
                if (i < static_cast<int>(items->size())) sub = &(*items)[i];
            } else if (items != s.end()) sub = &*items;
            out.push_back(build(*sub, depth + 1));
        }
        return out;
    }

    static ojson number(const json& s, bool integer) {
        // Lower bound: "minimum" (with draft-04's boolean exclusiveMinimum) or a numeric "exclusiveMinimum".
        std::optional<double> lo = num(s, "minimum"), hi = num(s, "maximum");
        bool lo_excl = false, hi_excl = false;
        if (auto e = s.find("exclusiveMinimum"); e != s.end()) {
            if (e->is_boolean()) lo_excl = e->get<bool>() && lo;
            else if (auto v = num(s, "exclusiveMinimum")) lo = v, lo_excl = true;
        }
        if (auto e = s.find("exclusiveMaximum"); e != s.end()) {
            if (e->is_boolean()) hi_excl = e->get<bool>() && hi;
            else if (auto v = num(s, "exclusiveMaximum")) hi = v, hi_excl = true;
        }
        double v = 1;
        if (lo) v = integer ? (lo_excl ? std::floor(*lo) + 1 : std::ceil(*lo)) : (lo_excl ? *lo + 1 : *lo);
        if (hi && (v > *hi || (hi_excl && v >= *hi))) {
            if (integer) v = hi_excl ? std::ceil(*hi) - 1 : std::floor(*hi);
            else v = lo ? (*lo + *hi) / 2 : (hi_excl ? *hi - 1 : *hi);
        }
        if (integer || (std::floor(v) == v && std::fabs(v) < 9e15)) return static_cast<std::int64_t>(v);
        return v;
    }

    static ojson string(const json& s) {
        static const std::pair<const char*, const char*> formats[] = {{"date-time", "1970-01-01T00:00:00Z"},
                                                                      {"date", "1970-01-01"},
                                                                      {"time", "00:00:00Z"},
                                                                      {"email", "hi@example.com"},
                                                                      {"uri", "https://example.com/"},
                                                                      {"url", "https://example.com/"},
                                                                      {"uuid", "00000000-0000-0000-0000-000000000000"}};
        std::string v = "hi";
        if (auto f = s.find("format"); f != s.end() && f->is_string())
            for (auto [name, example] : formats)
                if (*f == name) v = example;
        if (auto min = num(s, "minLength"); min && *min > static_cast<double>(v.size()))
            v.append(static_cast<std::size_t>(std::min(*min, 4096.0)) - v.size(), 'i');
        if (auto max = num(s, "maxLength"); max && *max >= 0 && *max < static_cast<double>(v.size()))
            v.resize(static_cast<std::size_t>(*max));
        return v;
    }
};

const json* member(const json& obj, const char* camel, const char* snake) {
    if (!obj.is_object()) return nullptr;
    for (const char* k : {camel, snake})
        if (auto it = obj.find(k); it != obj.end() && !it->is_null()) return &*it;
    return nullptr;
}

}  // namespace

ojson schema_min_instance(const json& schema) { return MinInstance(schema).build(schema, 0); }

std::optional<std::string> gemini_structured_text(const json& body) {
    const json* gc = member(body, "generationConfig", "generation_config");
    if (!gc) {  // Cloud Code wraps the Gemini request: {"model", "project", "request": {...}}
        if (const json* req = member(body, "request", "request"))
            gc = member(*req, "generationConfig", "generation_config");
    }
    if (!gc || !gc->is_object()) return std::nullopt;
    const json* mime = member(*gc, "responseMimeType", "response_mime_type");
    if (!mime || !mime->is_string()) return std::nullopt;
    std::string m = mime->get<std::string>();
    m = m.substr(0, m.find(';'));
    for (char& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!m.empty() && m.back() == ' ') m.pop_back();
    const json* schema = member(*gc, "responseJsonSchema", "response_json_schema");
    if (!schema) schema = member(*gc, "responseSchema", "response_schema");
    const auto dump = [](const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); };
    if (m == "application/json") return schema ? dump(schema_min_instance(*schema)) : "{}";
    if (m == "text/x.enum" && schema) {
        ojson v = schema_min_instance(*schema);
        return v.is_string() ? v.get<std::string>() : dump(v);
    }
    return std::nullopt;
}

json gemini_response(const Incoming& in, const std::string& model, const std::string& text, bool final_chunk) {
    json parts = json::array();
    if (!text.empty()) parts.push_back({{"text", text}});
    json cand = {{"content", {{"role", "model"}, {"parts", parts}}}, {"index", 0}};
    if (final_chunk) cand["finishReason"] = "STOP";
    return {{"candidates", {cand}},
            {"usageMetadata", usage_metadata(in, final_chunk)},
            {"modelVersion", strip_models_prefix(model)},
            {"responseId", "mock-" + std::to_string(in.seq)}};
}

// The answer's text: a JSON-mode request gets a schema-valid instance, anything else "hi" (nothing when empty).
static std::string answer_text(const Incoming& in) {
    if (in.empty_content) return "";
    return gemini_structured_text(in.json).value_or(kText);
}

Reply gemini_generate(const Incoming& in, const std::string& model, bool stream) {
    const std::string text = answer_text(in);
    if (!stream) return Reply::json(gemini_response(in, model, text, true));
    // Two chunks, as the real API sends: the text, then the finish reason with the final usage.
    json first = gemini_response(in, model, text, false), last = gemini_response(in, model, "", true);
    if (in.has_query_param("alt", "sse")) return Reply::sse({sse_data(first), sse_data(last)});
    // Without alt=sse the API streams one JSON array, element by element.
    Reply r = Reply::sse({"[" + first.dump(), ",\r\n" + last.dump(), "]"});
    r.content_type = "application/json";
    return r;
}

Reply gemini_count_tokens(const Incoming& in) { return Reply::json({{"totalTokens", approx_tokens(in.body)}}); }

Reply gemini_model_list() {
    json models = json::array();
    for (const char* id : kGeminiModels) models.push_back(gemini_model(id));
    return Reply::json({{"models", models}});
}

Reply gemini_model_get(const std::string& model) { return Reply::json(gemini_model(strip_models_prefix(model))); }

Reply cloudcode_generate(const Incoming& in, bool stream) {
    std::string model = "gemini-2.5-flash";
    if (in.json.is_object() && in.json.contains("model") && in.json["model"].is_string())
        model = in.json["model"].get<std::string>();
    const std::string text = answer_text(in);
    auto wrap = [&](json r) { return json{{"response", std::move(r)}, {"traceId", "mock-trace"}}; };
    if (!stream) return Reply::json(wrap(gemini_response(in, model, text, true)));
    return Reply::sse({sse_data(wrap(gemini_response(in, model, text, false))),
                       sse_data(wrap(gemini_response(in, model, "", true)))});
}

Reply cloudcode_available_models() {
    // The proxy lists only Claude and Gemini ids and reads displayName and quotaInfo.
    static const std::pair<const char*, const char*> models[] = {
        {"claude-sonnet-4-5", "Claude Sonnet 4.5"},   {"claude-sonnet-4-5-thinking", "Claude Sonnet 4.5 (Thinking)"},
        {"claude-opus-4-5", "Claude Opus 4.5"},       {"claude-opus-4-5-thinking", "Claude Opus 4.5 (Thinking)"},
        {"gemini-2.5-flash", "Gemini 2.5 Flash"},     {"gemini-2.5-pro", "Gemini 2.5 Pro"},
        {"gemini-3-pro-high", "Gemini 3 Pro (High)"}, {"gemini-3-flash", "Gemini 3 Flash"}};
    json m = json::object();
    for (auto [id, name] : models)
        m[id] = {{"displayName", name}, {"quotaInfo", {{"remainingFraction", 1.0}, {"resetTime", iso_in(3600)}}}};
    return Reply::json({{"models", m}});
}

Reply cloudcode_load_code_assist() {
    return Reply::json(
        {{"cloudaicompanionProject", "mock-project"},
         {"currentTier", {{"id", "standard-tier"}, {"name", "Gemini Code Assist"}}},
         {"allowedTiers", {{{"id", "standard-tier"}, {"name", "Gemini Code Assist"}, {"isDefault", true}}}},
         {"gcpManaged", false}});
}

Reply cloudcode_onboard_user() {
    return Reply::json(
        {{"name", "operations/mock-onboard"},
         {"done", true},
         {"response", {{"cloudaicompanionProject", {{"id", "mock-project"}, {"name", "mock-project"}}}}}});
}

Reply google_token() {
    return Reply::json({{"access_token", "ya29.mock-access-token"},
                        {"expires_in", 3599},
                        {"refresh_token", "1//mock-refresh-token"},
                        {"token_type", "Bearer"},
                        {"scope", "https://www.googleapis.com/auth/cloud-platform"}});
}

Reply google_userinfo() {
    return Reply::json({{"id", "100000000000000000001"},
                        {"email", "ci@example.com"},
                        {"verified_email", true},
                        {"name", "CI"},
                        {"given_name", "CI"},
                        {"picture", ""}});
}

Reply copilot_token() {
    // refresh_in must exceed 60: copilot-api refreshes every (refresh_in - 60) s.
    return Reply::json({{"token", "tid=mock;exp=" + std::to_string(now_s() + 1800) + ";sku=mock"},
                        {"refresh_in", 1500},
                        {"expires_at", now_s() + 1800}});
}

Reply copilot_models() {
    struct M {
        const char* id;
        const char* vendor;
        const char* tokenizer;
    };
    static const M models[] = {{"gpt-4o", "Azure OpenAI", "o200k_base"},
                               {"gpt-4.1", "Azure OpenAI", "o200k_base"},
                               {"claude-sonnet-4", "Anthropic", "o200k_base"},
                               {"text-embedding-3-small", "Azure OpenAI", "cl100k_base"}};
    json data = json::array();
    for (const M& m : models) {
        const bool embed = std::string(m.id).find("embedding") != std::string::npos;
        data.push_back(
            {{"id", m.id},
             {"name", m.id},
             {"object", "model"},
             {"vendor", m.vendor},
             {"version", m.id},
             {"preview", false},
             {"model_picker_enabled", !embed},
             {"capabilities",
              {{"family", m.id},
               {"object", "model_capabilities"},
               {"tokenizer", m.tokenizer},
               {"type", embed ? "embeddings" : "chat"},
               {"limits",
                {{"max_context_window_tokens", 128000}, {"max_output_tokens", 16384}, {"max_prompt_tokens", 64000}}},
               {"supports", {{"streaming", !embed}, {"tool_calls", !embed}, {"parallel_tool_calls", !embed}}}}}});
    }
    return Reply::json({{"object", "list"}, {"data", data}});
}

Reply github_user() { return Reply::json({{"login", "ci-user"}, {"id", 1}, {"type", "User"}}); }

Reply copilot_user() {
    json q = {
        {"entitlement", 300}, {"remaining", 300},           {"percent_remaining", 100.0},        {"unlimited", false},
        {"overage_count", 0}, {"overage_permitted", false}, {"quota_id", "premium_interactions"}};
    json unlimited = {{"entitlement", 0},  {"remaining", 0},     {"percent_remaining", 100.0},
                      {"unlimited", true}, {"overage_count", 0}, {"overage_permitted", false}};
    return Reply::json(
        {{"login", "ci-user"},
         {"copilot_plan", "individual"},
         {"access_type_sku", "free"},
         {"chat_enabled", true},
         {"quota_reset_date", iso_in(86400 * 30).substr(0, 10)},
         {"quota_snapshots", {{"premium_interactions", q}, {"chat", unlimited}, {"completions", unlimited}}}});
}

}  // namespace routecheck::mock::payloads
