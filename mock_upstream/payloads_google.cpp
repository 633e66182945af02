// Gemini, Cloud Code v1internal, Google OAuth and GitHub Copilot answers. Cloud Code shapes follow what
// antigravity-claude-proxy 2.0.4 reads (src/cloudcode/*, src/account-manager/credentials.js, src/auth/oauth.js);
// Copilot shapes follow copilot-api 0.7.0 (token refresh_in, models' capabilities.tokenizer/limits).
#include <chrono>
#include <ctime>

#include "mock_upstream/payloads.hpp"

namespace routecheck::mock::payloads {
namespace {

using nlohmann::json;

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
  return {{"name", "models/" + id}, {"version", "001"}, {"displayName", id}, {"description", "routecheck mock"},
          {"inputTokenLimit", 1048576}, {"outputTokenLimit", 65536},
          {"supportedGenerationMethods", {"generateContent", "countTokens", "streamGenerateContent"}},
          {"temperature", 1.0}, {"topP", 0.95}, {"topK", 64}};
}

}  // namespace

json gemini_response(const Incoming& in, const std::string& model, const std::string& text, bool final_chunk) {
  json parts = json::array();
  if (!text.empty()) parts.push_back({{"text", text}});
  json cand = {{"content", {{"role", "model"}, {"parts", parts}}}, {"index", 0}};
  if (final_chunk) cand["finishReason"] = "STOP";
  return {{"candidates", {cand}}, {"usageMetadata", usage_metadata(in, final_chunk)},
          {"modelVersion", strip_models_prefix(model)}, {"responseId", "mock-" + std::to_string(in.seq)}};
}

Reply gemini_generate(const Incoming& in, const std::string& model, bool stream) {
  const std::string text = in.empty_content ? "" : kText;
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
  const std::string text = in.empty_content ? "" : kText;
  auto wrap = [&](json r) { return json{{"response", std::move(r)}, {"traceId", "mock-trace"}}; };
  if (!stream) return Reply::json(wrap(gemini_response(in, model, text, true)));
  return Reply::sse({sse_data(wrap(gemini_response(in, model, text, false))),
                     sse_data(wrap(gemini_response(in, model, "", true)))});
}

Reply cloudcode_available_models() {
  // The proxy lists only Claude and Gemini ids and reads displayName and quotaInfo.
  static const std::pair<const char*, const char*> models[] = {
      {"claude-sonnet-4-5", "Claude Sonnet 4.5"},
      {"claude-sonnet-4-5-thinking", "Claude Sonnet 4.5 (Thinking)"},
      {"claude-opus-4-5", "Claude Opus 4.5"},
      {"claude-opus-4-5-thinking", "Claude Opus 4.5 (Thinking)"},
      {"gemini-2.5-flash", "Gemini 2.5 Flash"},
      {"gemini-2.5-pro", "Gemini 2.5 Pro"},
      {"gemini-3-pro-high", "Gemini 3 Pro (High)"},
      {"gemini-3-flash", "Gemini 3 Flash"}};
  json m = json::object();
  for (auto [id, name] : models)
    m[id] = {{"displayName", name}, {"quotaInfo", {{"remainingFraction", 1.0}, {"resetTime", iso_in(3600)}}}};
  return Reply::json({{"models", m}});
}

Reply cloudcode_load_code_assist() {
  return Reply::json({{"cloudaicompanionProject", "mock-project"},
                      {"currentTier", {{"id", "standard-tier"}, {"name", "Gemini Code Assist"}}},
                      {"allowedTiers", {{{"id", "standard-tier"}, {"name", "Gemini Code Assist"},
                                         {"isDefault", true}}}},
                      {"gcpManaged", false}});
}

Reply cloudcode_onboard_user() {
  return Reply::json({{"name", "operations/mock-onboard"}, {"done", true},
                      {"response", {{"cloudaicompanionProject", {{"id", "mock-project"}, {"name", "mock-project"}}}}}});
}

Reply google_token() {
  return Reply::json({{"access_token", "ya29.mock-access-token"}, {"expires_in", 3599},
                      {"refresh_token", "1//mock-refresh-token"}, {"token_type", "Bearer"},
                      {"scope", "https://www.googleapis.com/auth/cloud-platform"}});
}

Reply google_userinfo() {
  return Reply::json({{"id", "100000000000000000001"}, {"email", "ci@example.com"}, {"verified_email", true},
                      {"name", "CI"}, {"given_name", "CI"}, {"picture", ""}});
}

Reply copilot_token() {
  // refresh_in must exceed 60: copilot-api refreshes every (refresh_in - 60) s.
  return Reply::json({{"token", "tid=mock;exp=" + std::to_string(now_s() + 1800) + ";sku=mock"},
                      {"refresh_in", 1500}, {"expires_at", now_s() + 1800}});
}

Reply copilot_models() {
  struct M { const char* id; const char* vendor; const char* tokenizer; };
  static const M models[] = {{"gpt-4o", "Azure OpenAI", "o200k_base"}, {"gpt-4.1", "Azure OpenAI", "o200k_base"},
                             {"claude-sonnet-4", "Anthropic", "o200k_base"},
                             {"text-embedding-3-small", "Azure OpenAI", "cl100k_base"}};
  json data = json::array();
  for (const M& m : models) {
    const bool embed = std::string(m.id).find("embedding") != std::string::npos;
    data.push_back({{"id", m.id}, {"name", m.id}, {"object", "model"}, {"vendor", m.vendor}, {"version", m.id},
                    {"preview", false}, {"model_picker_enabled", !embed},
                    {"capabilities",
                     {{"family", m.id}, {"object", "model_capabilities"}, {"tokenizer", m.tokenizer},
                      {"type", embed ? "embeddings" : "chat"},
                      {"limits", {{"max_context_window_tokens", 128000}, {"max_output_tokens", 16384},
                                  {"max_prompt_tokens", 64000}}},
                      {"supports", {{"streaming", !embed}, {"tool_calls", !embed},
                                    {"parallel_tool_calls", !embed}}}}}});
  }
  return Reply::json({{"object", "list"}, {"data", data}});
}

Reply github_user() { return Reply::json({{"login", "ci-user"}, {"id", 1}, {"type", "User"}}); }

Reply copilot_user() {
  json q = {{"entitlement", 300}, {"remaining", 300}, {"percent_remaining", 100.0}, {"unlimited", false},
            {"overage_count", 0}, {"overage_permitted", false}, {"quota_id", "premium_interactions"}};
  json unlimited = {{"entitlement", 0}, {"remaining", 0}, {"percent_remaining", 100.0}, {"unlimited", true},
                    {"overage_count", 0}, {"overage_permitted", false}};
  return Reply::json({{"login", "ci-user"}, {"copilot_plan", "individual"}, {"access_type_sku", "free"},
                      {"chat_enabled", true}, {"quota_reset_date", iso_in(86400 * 30).substr(0, 10)},
                      {"quota_snapshots", {{"premium_interactions", q}, {"chat", unlimited},
                                           {"completions", unlimited}}}});
}

}  // namespace routecheck::mock::payloads
