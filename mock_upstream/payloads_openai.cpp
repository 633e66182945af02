// OpenAI- and Anthropic-shaped answers. Field sets follow what the official SDKs parse, so a real SDK (or a
// proxy translating these answers) sees a complete, ordinary answer.
#include <algorithm>
#include <chrono>
#include <cstring>

#include "mock_upstream/payloads.hpp"

namespace routecheck::mock::payloads {
namespace {

using nlohmann::json;

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A JSON string literal, escaped exactly as nlohmann::json dumps it (invalid UTF-8 replaced). Printable ASCII
// without '"' or '\\' (ids, model names) is written as is, which is what the dump would give.
std::string quoted(const std::string& s) {
    const bool plain =
        std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
    if (!plain) return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return out;
}

std::string text_of(const Incoming& in) { return in.empty_content ? "" : kText; }
int out_tokens(const Incoming& in) { return in.empty_content ? 0 : 1; }
bool wants_stream(const Incoming& in) { return in.json.is_object() && in.json.value("stream", false) == true; }
std::string id_of(const char* prefix, const Incoming& in) { return prefix + std::to_string(in.seq); }

std::string base64(const std::string& bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
        for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
    }
    if (i + 1 == bytes.size()) {
        unsigned v = (unsigned char)bytes[i] << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

json responses_object(const Incoming& in, const std::string& status, bool with_output) {
    json output = json::array();
    if (with_output) {
        json content = json::array();
        if (!in.empty_content)
            content.push_back({{"type", "output_text"}, {"text", kText}, {"annotations", json::array()}});
        output.push_back({{"type", "message"},
                          {"id", id_of("msg_mock_", in)},
                          {"status", "completed"},
                          {"role", "assistant"},
                          {"content", content}});
    }
    int in_tok = approx_tokens(in.body);
    json usage = nullptr;
    if (status == "completed")
        usage = {{"input_tokens", in_tok},
                 {"input_tokens_details", {{"cached_tokens", 0}}},
                 {"output_tokens", out_tokens(in)},
                 {"output_tokens_details", {{"reasoning_tokens", 0}}},
                 {"total_tokens", in_tok + out_tokens(in)}};
    return {{"id", id_of("resp_mock_", in)},
            {"object", "response"},
            {"created_at", now_s()},
            {"status", status},
            {"error", nullptr},
            {"incomplete_details", nullptr},
            {"instructions", nullptr},
            {"model", in.model_or("gpt-4o-mini")},
            {"output", output},
            {"parallel_tool_calls", true},
            {"previous_response_id", nullptr},
            {"reasoning", {{"effort", nullptr}, {"summary", nullptr}}},
            {"store", false},
            {"temperature", 1.0},
            {"text", {{"format", {{"type", "text"}}}}},
            {"tool_choice", "auto"},
            {"tools", json::array()},
            {"top_p", 1.0},
            {"truncation", "disabled"},
            {"usage", usage},
            {"metadata", json::object()}};
}

json model_entry(const std::string& id) {
    // One object that is both an OpenAI model and an Anthropic ModelInfo.
    return {{"id", id},
            {"object", "model"},
            {"created", 1700000000},
            {"owned_by", "routecheck-mock"},
            {"type", "model"},
            {"display_name", id},
            {"created_at", "2025-01-01T00:00:00Z"}};
}

const char* kModelIds[] = {"gpt-4o-mini",       "gpt-4o",          "gpt-5",
                           "claude-sonnet-4-5", "claude-opus-4-5", "claude-3-5-haiku-latest"};

}  // namespace

Reply openai_chat(const Incoming& in) {
    const std::string id = id_of("chatcmpl-mock", in), model = in.model_or("gpt-4o-mini");
    const int in_tok = approx_tokens(in.body);
    if (!wants_stream(in)) {
        // The most requested answer of all, written straight into the body: building the nested json object
        // for it cost more than everything else the mock does per request. The bytes are what dumping that
        // object gives (nlohmann::json sorts keys); suites/mock_upstream checks the whole shape.
        std::string b;
        b.reserve(512);
        b += R"({"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"content":)";
        b += quoted(text_of(in));
        b += R"(,"refusal":null,"role":"assistant"}}],"created":)";
        b += std::to_string(now_s());
        b += R"(,"id":)";
        b += quoted(id);
        b += R"(,"model":)";
        b += quoted(model);
        b += R"(,"object":"chat.completion","system_fingerprint":null,"usage":{"completion_tokens":)";
        b += std::to_string(out_tokens(in));
        b += R"(,"prompt_tokens":)";
        b += std::to_string(in_tok);
        b += R"(,"total_tokens":)";
        b += std::to_string(in_tok + out_tokens(in));
        b += "}}";
        Reply r;
        r.body = std::move(b);
        return r;
    }
    json usage = {
        {"prompt_tokens", in_tok}, {"completion_tokens", out_tokens(in)}, {"total_tokens", in_tok + out_tokens(in)}};
    auto chunk = [&](json delta, json finish) {
        return json{{"id", id},
                    {"object", "chat.completion.chunk"},
                    {"created", now_s()},
                    {"model", model},
                    {"system_fingerprint", nullptr},
                    {"choices", {{{"index", 0}, {"delta", delta}, {"logprobs", nullptr}, {"finish_reason", finish}}}}};
    };
    std::vector<std::string> frames;
    frames.push_back(sse_data(chunk({{"role", "assistant"}, {"content", ""}}, nullptr)));
    if (!in.empty_content) frames.push_back(sse_data(chunk({{"content", kText}}, nullptr)));
    json last = chunk(json::object(), "stop");
    const json& so = in.json.is_object() ? in.json.value("stream_options", json()) : json();
    if (so.is_object() && so.value("include_usage", false) == true) {
        // As OpenAI does: usage arrives in one extra chunk with no choices.
        frames.push_back(sse_data(last));
        last = chunk(json::object(), nullptr);
        last["choices"] = json::array();
    }
    last["usage"] = usage;
    frames.push_back(sse_data(last));
    frames.push_back("data: [DONE]\n\n");
    return Reply::sse(std::move(frames));
}

Reply openai_completions(const Incoming& in) {
    const int in_tok = approx_tokens(in.body);
    json body = {{"id", id_of("cmpl-mock", in)},
                 {"object", "text_completion"},
                 {"created", now_s()},
                 {"model", in.model_or("gpt-3.5-turbo-instruct")},
                 {"choices", {{{"index", 0}, {"text", text_of(in)}, {"logprobs", nullptr}, {"finish_reason", "stop"}}}},
                 {"usage",
                  {{"prompt_tokens", in_tok},
                   {"completion_tokens", out_tokens(in)},
                   {"total_tokens", in_tok + out_tokens(in)}}}};
    if (!wants_stream(in)) return Reply::json(body);
    return Reply::sse({sse_data(body), "data: [DONE]\n\n"});
}

Reply openai_responses(const Incoming& in) {
    if (!wants_stream(in)) return Reply::json(responses_object(in, "completed", true));
    std::vector<std::string> frames;
    int seq = 0;
    auto ev = [&](const std::string& type, json j) {
        j["type"] = type;
        j["sequence_number"] = seq++;
        frames.push_back(sse_event(type, j));
    };
    const std::string item_id = id_of("msg_mock_", in);
    json part = {{"type", "output_text"}, {"text", ""}, {"annotations", json::array()}};
    json item = {{"type", "message"},
                 {"id", item_id},
                 {"status", "in_progress"},
                 {"role", "assistant"},
                 {"content", json::array()}};
    ev("response.created", {{"response", responses_object(in, "in_progress", false)}});
    ev("response.in_progress", {{"response", responses_object(in, "in_progress", false)}});
    ev("response.output_item.added", {{"output_index", 0}, {"item", item}});
    if (!in.empty_content) {
        auto at = [&](json j) {
            j["item_id"] = item_id;
            j["output_index"] = 0;
            j["content_index"] = 0;
            return j;
        };
        ev("response.content_part.added", at({{"part", part}}));
        ev("response.output_text.delta", at({{"delta", kText}, {"logprobs", json::array()}}));
        ev("response.output_text.done", at({{"text", kText}, {"logprobs", json::array()}}));
        part["text"] = kText;
        ev("response.content_part.done", at({{"part", part}}));
        item["content"] = json::array({part});
    }
    item["status"] = "completed";
    ev("response.output_item.done", {{"output_index", 0}, {"item", item}});
    ev("response.completed", {{"response", responses_object(in, "completed", true)}});
    return Reply::sse(std::move(frames));
}

Reply openai_embeddings(const Incoming& in) {
    std::size_t n = 1;
    if (in.json.is_object() && in.json.contains("input") && in.json["input"].is_array())
        n = std::max<std::size_t>(1, in.json["input"].size());
    const bool b64 = in.json.is_object() && in.json.value("encoding_format", "") == "base64";
    const float vec[] = {0.25f, -0.5f, 0.125f, 1.0f};
    json data = json::array();
    for (std::size_t i = 0; i < n; ++i) {
        json emb;
        if (b64) {  // the OpenAI Node SDK asks for base64 by default and decodes little-endian float32
            std::string raw(sizeof vec, '\0');
            std::memcpy(raw.data(), vec, sizeof vec);
            emb = base64(raw);
        } else {
            emb = json::array({vec[0], vec[1], vec[2], vec[3]});
        }
        data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", emb}});
    }
    const int tok = approx_tokens(in.body);
    return Reply::json({{"object", "list"},
                        {"data", data},
                        {"model", in.model_or("text-embedding-3-small")},
                        {"usage", {{"prompt_tokens", tok}, {"total_tokens", tok}}}});
}

Reply model_list() {
    json data = json::array();
    for (const char* id : kModelIds) data.push_back(model_entry(id));
    return Reply::json({{"object", "list"},
                        {"data", data},
                        {"has_more", false},
                        {"first_id", kModelIds[0]},
                        {"last_id", kModelIds[std::size(kModelIds) - 1]}});
}

Reply model_get(const std::string& id) { return Reply::json(model_entry(id)); }

Reply anthropic_messages(const Incoming& in) {
    const std::string id = id_of("msg_mock_", in), model = in.model_or("claude-sonnet-4-5");
    const int in_tok = approx_tokens(in.body);
    json usage = {{"input_tokens", in_tok},
                  {"output_tokens", out_tokens(in)},
                  {"cache_creation_input_tokens", 0},
                  {"cache_read_input_tokens", 0}};
    json message = {{"id", id},
                    {"type", "message"},
                    {"role", "assistant"},
                    {"model", model},
                    {"content", json::array()},
                    {"stop_reason", nullptr},
                    {"stop_sequence", nullptr},
                    {"usage", usage}};
    if (!wants_stream(in)) {
        if (!in.empty_content) message["content"].push_back({{"type", "text"}, {"text", kText}});
        message["stop_reason"] = "end_turn";
        return Reply::json(message);
    }
    message["usage"]["output_tokens"] = 0;
    std::vector<std::string> frames;
    auto ev = [&](const std::string& type, json j) {
        j["type"] = type;
        frames.push_back(sse_event(type, j));
    };
    ev("message_start", {{"message", message}});
    if (!in.empty_content) {
        ev("content_block_start", {{"index", 0}, {"content_block", {{"type", "text"}, {"text", ""}}}});
        ev("ping", json::object());
        ev("content_block_delta", {{"index", 0}, {"delta", {{"type", "text_delta"}, {"text", kText}}}});
        ev("content_block_stop", {{"index", 0}});
    }
    ev("message_delta", {{"delta", {{"stop_reason", "end_turn"}, {"stop_sequence", nullptr}}},
                         {"usage", {{"output_tokens", out_tokens(in)}}}});
    ev("message_stop", json::object());
    return Reply::sse(std::move(frames));
}

Reply anthropic_count_tokens(const Incoming& in) { return Reply::json({{"input_tokens", approx_tokens(in.body)}}); }

}  // namespace routecheck::mock::payloads
