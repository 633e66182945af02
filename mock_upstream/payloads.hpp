// Internal: answer bodies for each API family. One place builds each shape so that the upstream protocols
// and the recorder answer identically. Every answer says "hi" (or nothing, with Incoming::empty_content).
#pragma once

#include <optional>
#include <string>

#include "mock_upstream/protocol.hpp"

namespace routecheck::mock::payloads {

inline constexpr const char* kText = "hi";

// OpenAI
Reply openai_chat(const Incoming& in);         // JSON or SSE per body "stream"; SSE ends with [DONE]
Reply openai_completions(const Incoming& in);  // legacy /completions
Reply openai_responses(const Incoming& in);    // JSON or SSE event sequence through response.completed
Reply openai_embeddings(const Incoming& in);   // honours encoding_format=base64
// Model list that both the OpenAI and the Anthropic SDKs accept ("data" entries carry both shapes).
Reply model_list();
Reply model_get(const std::string& id);

// Anthropic
Reply anthropic_messages(const Incoming& in);  // JSON or SSE message_start..message_stop
Reply anthropic_count_tokens(const Incoming& in);

// Gemini (Generative Language API). `model` is the id from the path; `action` the part after ':'.
Reply gemini_generate(const Incoming& in, const std::string& model, bool stream);
Reply gemini_count_tokens(const Incoming& in);
Reply gemini_model_list();
Reply gemini_model_get(const std::string& model);
nlohmann::json gemini_response(const Incoming& in, const std::string& model, const std::string& text, bool final_chunk);
// JSON mode: when the request's generationConfig (top level, or under "request" for Cloud Code) asks for
// responseMimeType application/json, the answer text is a minimal instance of its responseJsonSchema or
// responseSchema (objects with their required properties, strings "hi" or the first enum value, numbers the
// minimum or 1, booleans false, arrays minItems long), "{}" without a schema; for text/x.enum, the first enum
// value. nullopt when the request does not ask for a structured answer (the text is then kText).
std::optional<std::string> gemini_structured_text(const nlohmann::json& body);
// A minimal instance of a JSON Schema or Gemini Schema (types in either case; $ref into $defs/definitions,
// anyOf/oneOf (first non-null branch), allOf, const, enum, nullable, min/max bounds are honoured).
nlohmann::ordered_json schema_min_instance(const nlohmann::json& schema);

// Cloud Code v1internal (the Gemini answer wrapped in {"response": ...}, plus account calls).
Reply cloudcode_generate(const Incoming& in, bool stream);
Reply cloudcode_available_models();
Reply cloudcode_load_code_assist();
Reply cloudcode_onboard_user();
Reply google_token();
Reply google_userinfo();

// GitHub Copilot
Reply copilot_token();
Reply copilot_models();
Reply github_user();
Reply copilot_user();

}  // namespace routecheck::mock::payloads
