// Path routing for each upstream protocol and for the recorder. Upstream protocols match exact paths (a
// proxy that builds a wrong URL must get a 404, which is what routecheck looks for); the recorder matches
// path suffixes whatever precedes them, because it stands in for a proxy while a real client is recorded.
#include <regex>
#include <stdexcept>
#include <string_view>

#include "mock_upstream/payloads.hpp"

namespace routecheck::mock {

using nlohmann::json;
namespace p = payloads;

std::string Incoming::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

bool Incoming::has_query_param(const std::string& key, const std::string& value) const {
    const std::string want = key + "=" + value;
    std::size_t start = 0;
    while (start <= query.size()) {
        std::size_t amp = query.find('&', start);
        if (amp == std::string::npos) amp = query.size();
        if (query.compare(start, amp - start, want) == 0) return true;
        start = amp + 1;
    }
    return false;
}

std::string Incoming::model_or(const std::string& fallback) const {
    if (json.is_object() && json.contains("model") && json["model"].is_string()) return json["model"];
    return fallback;
}

Reply Reply::json(const nlohmann::json& j, int status) {
    Reply r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Reply Reply::sse(std::vector<std::string> frames) {
    Reply r;
    r.streaming = true;
    r.content_type = "text/event-stream";
    r.frames = std::move(frames);
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

std::string sse_data(const nlohmann::json& j) {
    return "data: " + j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
}

std::string sse_event(const std::string& event, const nlohmann::json& j) {
    return "event: " + event + "\n" + sse_data(j);
}

int approx_tokens(const std::string& text) { return std::max<int>(1, static_cast<int>(text.size() / 4)); }

Reply error_reply(ErrorStyle style, int status, const std::string& message) {
    switch (style) {
        case ErrorStyle::google: {
            const char* s = status == 400   ? "INVALID_ARGUMENT"
                            : status == 401 ? "UNAUTHENTICATED"
                            : status == 403 ? "PERMISSION_DENIED"
                            : status == 404 ? "NOT_FOUND"
                            : status == 429 ? "RESOURCE_EXHAUSTED"
                            : status == 503 ? "UNAVAILABLE"
                                            : "INTERNAL";
            return Reply::json({{"error", {{"code", status}, {"message", message}, {"status", s}}}}, status);
        }
        case ErrorStyle::anthropic: {
            const char* t = status == 400                    ? "invalid_request_error"
                            : status == 401                  ? "authentication_error"
                            : status == 403                  ? "permission_error"
                            : status == 404                  ? "not_found_error"
                            : status == 429                  ? "rate_limit_error"
                            : status == 529 || status == 503 ? "overloaded_error"
                                                             : "api_error";
            return Reply::json({{"type", "error"}, {"error", {{"type", t}, {"message", message}}}}, status);
        }
        case ErrorStyle::openai:
        default: {
            const char* t = status == 401   ? "invalid_request_error"
                            : status == 404 ? "invalid_request_error"
                            : status == 429 ? "rate_limit_exceeded"
                            : status >= 500 ? "server_error"
                                            : "invalid_request_error";
            const char* code = status == 401   ? "invalid_api_key"
                               : status == 404 ? "unknown_url"
                               : status == 429 ? "rate_limit_exceeded"
                                               : nullptr;
            json c = code ? json(code) : json(nullptr);
            return Reply::json({{"error", {{"message", message}, {"type", t}, {"param", nullptr}, {"code", c}}}},
                               status);
        }
    }
}

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Gemini's "/models/<id>:<action>" (the ':' may arrive percent-encoded).
// `re` has two groups: the model id and the action.
bool gemini_action(const std::string& path, const std::regex& re, std::string& model, std::string& action) {
    static const std::regex colon("%3[aA]");
    const std::string p = path.find('%') == std::string::npos ? path : std::regex_replace(path, colon, ":");
    std::smatch m;
    if (!std::regex_match(p, m, re)) return false;
    model = m[1];
    action = m[2];
    return true;
}

std::optional<Reply> gemini_dispatch(const Incoming& in, const std::string& model, const std::string& action) {
    if (in.method != "POST") return std::nullopt;
    if (action == "generateContent") return p::gemini_generate(in, model, false);
    if (action == "streamGenerateContent") return p::gemini_generate(in, model, true);
    if (action == "countTokens") return p::gemini_count_tokens(in);
    return std::nullopt;
}

class CloudCode final : public Protocol {
public:
    std::string name() const override { return "cloudcode"; }
    ErrorStyle error_style() const override { return ErrorStyle::google; }
    std::optional<Reply> handle(const Incoming& in) const override {
        const std::string& path = in.path;
        if (in.method == "POST") {
            if (path == "/v1internal:generateContent") return p::cloudcode_generate(in, false);
            if (path == "/v1internal:streamGenerateContent") return p::cloudcode_generate(in, true);
            if (path == "/v1internal:fetchAvailableModels") return p::cloudcode_available_models();
            if (path == "/v1internal:loadCodeAssist") return p::cloudcode_load_code_assist();
            if (path == "/v1internal:onboardUser") return p::cloudcode_onboard_user();
            if (path == "/v1internal:countTokens") return p::gemini_count_tokens(in);
            if (path == "/token" || path == "/oauth2/v4/token") return p::google_token();
        }
        if (in.method == "GET" && (path == "/oauth2/v1/userinfo" || path == "/oauth2/v2/userinfo" ||
                                   path == "/oauth2/v3/userinfo" || path == "/userinfo/v2/me"))
            return p::google_userinfo();
        return std::nullopt;
    }
};

class OpenAI final : public Protocol {
public:
    explicit OpenAI(bool unprefixed) {
        prefixes_.push_back("/v1");
        if (unprefixed) prefixes_.push_back("");
    }
    std::string name() const override { return "openai"; }
    ErrorStyle error_style() const override { return ErrorStyle::openai; }
    std::optional<Reply> handle(const Incoming& in) const override {
        for (const std::string& pre : prefixes_) {
            if (in.path.compare(0, pre.size(), pre) != 0) continue;
            const std::string_view rest = std::string_view(in.path).substr(pre.size());
            if (in.method == "POST") {
                if (rest == "/chat/completions") return p::openai_chat(in);
                if (rest == "/completions") return p::openai_completions(in);
                if (rest == "/responses") return p::openai_responses(in);
                if (rest == "/embeddings") return p::openai_embeddings(in);
            } else if (in.method == "GET") {
                if (rest == "/models") return p::model_list();
                static const std::regex one("/models/([^/]+)");
                std::match_results<std::string_view::const_iterator> m;
                if (std::regex_match(rest.begin(), rest.end(), m, one)) return p::model_get(m[1].str());
            }
        }
        return std::nullopt;
    }

private:
    std::vector<std::string> prefixes_;
};

class Anthropic final : public Protocol {
public:
    std::string name() const override { return "anthropic"; }
    ErrorStyle error_style() const override { return ErrorStyle::anthropic; }
    std::optional<Reply> handle(const Incoming& in) const override {
        if (in.method == "POST" && in.path == "/v1/messages") return p::anthropic_messages(in);
        if (in.method == "POST" && in.path == "/v1/messages/count_tokens") return p::anthropic_count_tokens(in);
        if (in.method == "GET" && in.path == "/v1/models") return p::model_list();
        static const std::regex one("/v1/models/([^/]+)");
        std::smatch m;
        if (in.method == "GET" && std::regex_match(in.path, m, one)) return p::model_get(m[1]);
        return std::nullopt;
    }
};

class Gemini final : public Protocol {
public:
    std::string name() const override { return "gemini"; }
    ErrorStyle error_style() const override { return ErrorStyle::google; }
    std::optional<Reply> handle(const Incoming& in) const override {
        std::string model, action;
        static const std::regex act("/(?:v1beta|v1alpha|v1)/models/([^/:]+):([A-Za-z]+)");
        if (gemini_action(in.path, act, model, action)) return gemini_dispatch(in, model, action);
        if (in.method != "GET") return std::nullopt;
        static const std::regex list("/(v1beta|v1alpha|v1)/models"), one("/(v1beta|v1alpha|v1)/models/([^/:]+)");
        std::smatch m;
        if (std::regex_match(in.path, m, list)) return p::gemini_model_list();
        if (std::regex_match(in.path, m, one)) return p::gemini_model_get(m[2]);
        return std::nullopt;
    }
};

class Copilot final : public Protocol {
public:
    std::string name() const override { return "copilot"; }
    ErrorStyle error_style() const override { return ErrorStyle::openai; }
    std::optional<Reply> handle(const Incoming& in) const override {
        if (in.method == "GET") {
            if (in.path == "/copilot_internal/v2/token") return p::copilot_token();
            if (in.path == "/copilot_internal/user") return p::copilot_user();
            if (in.path == "/user") return p::github_user();
            if (in.path == "/models") return p::copilot_models();
        } else if (in.method == "POST") {
            if (in.path == "/chat/completions") return p::openai_chat(in);
            if (in.path == "/embeddings") return p::openai_embeddings(in);
        }
        return std::nullopt;
    }
};

// Stands in for a proxy while a real client is recorded: every client-facing route is recognised by its
// suffix so the client sees a normal answer (and so sends the same sequence) at any Base URL variant.
class Recorder final : public Protocol {
public:
    std::string name() const override { return "record"; }
    ErrorStyle error_style() const override { return ErrorStyle::openai; }
    ErrorStyle error_style_for(const Incoming& in) const override {
        if (!in.header("anthropic-version").empty()) return ErrorStyle::anthropic;
        return looks_gemini(in) ? ErrorStyle::google : ErrorStyle::openai;
    }
    std::optional<Reply> handle(const Incoming& in) const override {
        const std::string& path = in.path;
        std::string model, action;
        static const std::regex act(".*/models/([^/:]+):([A-Za-z]+)");
        if (gemini_action(path, act, model, action)) return gemini_dispatch(in, model, action);
        if (in.method == "POST") {
            if (ends_with(path, "/messages/count_tokens")) return p::anthropic_count_tokens(in);
            if (ends_with(path, "/messages")) return p::anthropic_messages(in);
            if (ends_with(path, "/chat/completions")) return p::openai_chat(in);
            if (ends_with(path, "/responses")) return p::openai_responses(in);
            if (ends_with(path, "/completions")) return p::openai_completions(in);
            if (ends_with(path, "/embeddings")) return p::openai_embeddings(in);
            return std::nullopt;
        }
        if (in.method != "GET") return std::nullopt;
        if (ends_with(path, "/responses") && !in.header("upgrade").empty())
            // Codex tries a websocket first; refusing it makes it fall back to HTTP, the same way at every variant.
            return error_reply(ErrorStyle::openai, 404, "websocket transport is not offered by the recorder");
        const bool gemini = looks_gemini(in);
        if (ends_with(path, "/models") || ends_with(path, "/models/"))
            return gemini ? p::gemini_model_list() : p::model_list();
        static const std::regex one(".*/models/([^/]+)/?");
        std::smatch m;
        if (std::regex_match(path, m, one)) return gemini ? p::gemini_model_get(m[1]) : p::model_get(m[1]);
        return std::nullopt;
    }

    static bool looks_gemini(const Incoming& in) {
        return !in.header("x-goog-api-key").empty() || !in.header("x-goog-api-client").empty() ||
               in.query.find("key=") != std::string::npos || in.path.find("/v1beta") != std::string::npos ||
               in.path.find("/v1alpha") != std::string::npos;
    }
};

}  // namespace

std::unique_ptr<Protocol> make_protocol(const std::string& name, bool openai_unprefixed) {
    if (name == "cloudcode") return std::make_unique<CloudCode>();
    if (name == "openai") return std::make_unique<OpenAI>(openai_unprefixed);
    if (name == "anthropic") return std::make_unique<Anthropic>();
    if (name == "gemini") return std::make_unique<Gemini>();
    if (name == "copilot") return std::make_unique<Copilot>();
    throw std::invalid_argument("unknown protocol '" + name +
                                "' (known: cloudcode, openai, anthropic, gemini, copilot)");
}

std::unique_ptr<Protocol> make_recorder() { return std::make_unique<Recorder>(); }

}  // namespace routecheck::mock
