// Gemini JSON mode: a generateContent / streamGenerateContent request whose generationConfig asks for
// responseMimeType application/json gets, as its text, a minimal JSON instance of responseJsonSchema or
// responseSchema, in the gemini protocol, in record mode at any prefix, and wrapped by Cloud Code. Gemini CLI's
// routing classifier retries 5 times and falls back to another model when that text is not its JSON.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "mock_upstream/mock_upstream.hpp"
#include "mock_upstream/payloads.hpp"

namespace routecheck::mock {
namespace {

using namespace testing;
using nlohmann::json;

// Gemini CLI 0.61.0's classifier request, as recorded in fixtures/clients/gemini-cli.json (texts shortened).
const char* kClassifierBody = R"({
  "contents": [{"parts": [{"text": "<session_context>..."}], "role": "user"},
               {"parts": [{"text": "say hi"}], "role": "user"}],
  "generationConfig": {
    "responseJsonSchema": {
      "properties": {
        "complexity_reasoning": {"description": "Brief explanation for the score.", "type": "STRING"},
        "complexity_score": {"description": "Complexity score from 1-100.", "type": "INTEGER"}},
      "required": ["complexity_reasoning", "complexity_score"],
      "type": "OBJECT"},
    "responseMimeType": "application/json",
    "temperature": 1,
    "thinkingConfig": {"includeThoughts": true, "thinkingLevel": "HIGH"},
    "topK": 64,
    "topP": 0.95},
  "systemInstruction": {"parts": [{"text": "You are a specialized Task Routing AI..."}], "role": "user"}})";

void expect_classifier_answer(const std::string& text, const std::string& where) {
    SCOPED_TRACE(where);
    const json j = json::parse(text, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << "not JSON: " << text;
    EXPECT_EQ(j, json({{"complexity_reasoning", "hi"}, {"complexity_score", 1}}));
    // Required properties in the schema's "required" order, as a model writes them.
    EXPECT_EQ(text, R"({"complexity_reasoning":"hi","complexity_score":1})");
}

std::string text_of(const json& answer) { return answer["candidates"][0]["content"]["parts"][0]["text"]; }

class JsonMode : public ::testing::Test {
protected:
    void SetUp() override {
        gemini.start();
        recorder.start();
    }
    MockUpstream gemini{Options{.protocols = {"gemini", "cloudcode"}}};
    MockUpstream recorder{Options{.protocols = {"cloudcode"}, .record = true}};
};

TEST_F(JsonMode, GeminiCliClassifierGetsSchemaValidJson) {
    auto r = post(gemini.url() + "/v1beta/models/gemini-3.5-flash-lite:generateContent", kClassifierBody);
    ASSERT_EQ(r.status, 200);
    expect_classifier_answer(text_of(r.json()), "gemini generateContent");
    EXPECT_EQ(r.json()["candidates"][0]["finishReason"], "STOP");

    auto s = post(gemini.url() + "/v1beta/models/gemini-3.5-flash-lite:streamGenerateContent?alt=sse", kClassifierBody);
    ASSERT_EQ(s.status, 200);
    auto data = s.sse_data();
    ASSERT_EQ(data.size(), 2u);
    expect_classifier_answer(text_of(json::parse(data[0])), "gemini streamGenerateContent alt=sse");

    auto arr = post(gemini.url() + "/v1beta/models/gemini-3.5-flash-lite:streamGenerateContent", kClassifierBody);
    ASSERT_TRUE(arr.json().is_array());
    expect_classifier_answer(text_of(arr.json()[0]), "gemini streamGenerateContent array");
}

TEST_F(JsonMode, RecordModeAnswersTheClassifierAtAnyPrefix) {
    for (const std::string p : {"", "/v1", "/v1/chat/completions", "/v1beta"}) {
        auto r = post(recorder.url() + p + "/v1beta/models/gemini-3.5-flash-lite:generateContent", kClassifierBody,
                      {"x-goog-api-key: k"});
        ASSERT_EQ(r.status, 200) << p;
        expect_classifier_answer(text_of(r.json()), "record " + p);
    }
    auto s = post(recorder.url() + "/v1/v1beta/models/m:streamGenerateContent?alt=sse", kClassifierBody);
    expect_classifier_answer(text_of(json::parse(s.sse_data().at(0))), "record stream");
}

TEST_F(JsonMode, ResponseSchemaAndCloudCodeWrapping) {
    // The older responseSchema field (Gemini Schema, upper-case types, int64 as strings), wrapped by Cloud Code.
    const json schema = {{"type", "OBJECT"},
                         {"properties",
                          {{"next_speaker", {{"type", "STRING"}, {"enum", {"user", "model"}}}},
                           {"reasoning", {{"type", "STRING"}}},
                           {"tags", {{"type", "ARRAY"}, {"minItems", "1"}, {"items", {{"type", "STRING"}}}}},
                           {"ok", {{"type", "BOOLEAN"}}},
                           {"optional", {{"type", "NUMBER"}}}}},
                         {"required", {"reasoning", "next_speaker", "tags", "ok"}}};
    const json body = {
        {"model", "gemini-2.5-flash"},
        {"project", "p"},
        {"request",
         {{"contents", json::array()},
          {"generationConfig", {{"responseMimeType", "application/json"}, {"responseSchema", schema}}}}}};
    auto r = post(gemini.url() + "/v1internal:generateContent", body.dump());
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(text_of(r.json()["response"]), R"({"reasoning":"hi","next_speaker":"user","tags":["hi"],"ok":false})");
}

TEST_F(JsonMode, PlainRequestsAndEmptyFaultStillAnswerHi) {
    auto plain = post(gemini.url() + "/v1beta/models/gemini-2.5-flash:generateContent",
                      R"({"contents":[],"generationConfig":{"responseMimeType":"text/plain"}})");
    EXPECT_EQ(text_of(plain.json()), "hi");
    auto no_schema = post(gemini.url() + "/v1beta/models/gemini-2.5-flash:generateContent",
                          R"({"contents":[],"generationConfig":{"responseMimeType":"application/json"}})");
    EXPECT_EQ(text_of(no_schema.json()), "{}");
    auto empty = post(gemini.url() + "/v1beta/models/gemini-2.5-flash:generateContent", kClassifierBody,
                      {"x-routecheck-fault: empty"});
    EXPECT_TRUE(empty.json()["candidates"][0]["content"]["parts"].empty()) << "the empty fault wins";
}

TEST(SchemaMinInstance, JsonSchemaKeywords) {
    using payloads::schema_min_instance;
    EXPECT_EQ(schema_min_instance({{"type", "string"}}), "hi");
    EXPECT_EQ(schema_min_instance({{"type", "string"}, {"minLength", 5}}), "hiiii");
    EXPECT_EQ(schema_min_instance({{"type", "string"}, {"maxLength", 1}}), "h");
    EXPECT_EQ(schema_min_instance({{"type", "string"}, {"format", "date-time"}}), "1970-01-01T00:00:00Z");
    EXPECT_EQ(schema_min_instance({{"enum", {"low", "high"}}}), "low");
    EXPECT_EQ(schema_min_instance({{"const", 7}}), 7);
    EXPECT_EQ(schema_min_instance({{"type", "integer"}}), 1);
    EXPECT_EQ(schema_min_instance({{"type", "integer"}, {"minimum", 10}, {"maximum", 100}}), 10);
    EXPECT_EQ(schema_min_instance({{"type", "integer"}, {"exclusiveMinimum", 10}}), 11);
    EXPECT_EQ(schema_min_instance({{"type", "integer"}, {"maximum", 0}}), 0);
    EXPECT_EQ(schema_min_instance({{"type", "number"}, {"minimum", 0.5}}), 0.5);
    EXPECT_EQ(schema_min_instance({{"type", "boolean"}}), false);
    EXPECT_EQ(schema_min_instance({{"type", {"null", "string"}}}), "hi");
    EXPECT_EQ(schema_min_instance({{"type", "array"}, {"items", {{"type", "integer"}}}}),
              nlohmann::ordered_json::array());
    EXPECT_EQ(schema_min_instance({{"type", "array"}, {"minItems", 2}, {"items", {{"type", "integer"}}}}).dump(),
              "[1,1]");
    EXPECT_EQ(schema_min_instance({{"anyOf", {{{"type", "null"}}, {{"type", "boolean"}}}}}), false);
    EXPECT_EQ(schema_min_instance({{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}}).dump(), "{}");
    // $ref into $defs, allOf merging required properties.
    const json refs = {
        {"$defs", {{"score", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}},
        {"allOf",
         {{{"type", "object"}, {"properties", {{"s", {{"$ref", "#/$defs/score"}}}}}, {"required", {"s"}}},
          {{"properties", {{"why", {{"type", "string"}}}}}, {"required", {"why"}}}}}};
    EXPECT_EQ(schema_min_instance(refs).dump(), R"({"s":1,"why":"hi"})");
    // A schema whose required chain never ends stops instead of recursing forever.
    const json loop = {{"type", "object"}, {"properties", {{"self", {{"$ref", "#"}}}}}, {"required", {"self"}}};
    EXPECT_NO_THROW(schema_min_instance(loop));
}

TEST(GeminiStructuredText, OnlyForJsonOrEnumMimeTypes) {
    using payloads::gemini_structured_text;
    EXPECT_FALSE(gemini_structured_text(json::object()));
    EXPECT_FALSE(gemini_structured_text(json{{"generationConfig", {{"temperature", 1}}}}));
    EXPECT_EQ(gemini_structured_text(json{{"generation_config",
                                           {{"response_mime_type", "application/json; charset=utf-8"},
                                            {"response_schema", {{"type", "INTEGER"}}}}}}),
              "1");
    EXPECT_EQ(gemini_structured_text(json{{"generationConfig",
                                           {{"responseMimeType", "text/x.enum"},
                                            {"responseSchema", {{"type", "STRING"}, {"enum", {"A", "B"}}}}}}}),
              "A");
}

}  // namespace
}  // namespace routecheck::mock
