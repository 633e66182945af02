// The verdict classifier on a table of cases, including every example in the user's troubleshooting document.
#include <gtest/gtest.h>

#include "judge/classify.hpp"

namespace {

using namespace routecheck;

ProxyProfile antigravity_like() {
    ProxyProfile p;
    p.id = "t";
    p.name = "test proxy";
    p.capabilities = {"openai", "anthropic", "gemini"};
    for (auto [m, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/healthz"}, {"GET", "/v1/models"}, {"POST", "/v1/chat/completions"}, {"POST", "/v1/responses"},
             {"POST", "/v1/messages"}, {"POST", "/v1/messages/count_tokens"}, {"GET", "/v1beta/models"},
             {"POST", "/v1beta/models/*"}})
        p.routes.push_back({m, path});
    return p;
}

struct Case {
    std::string method, path;
    int status;
    TransportError error;
    std::string protocol;
    Diagnosis want;
};

std::string test_name(std::string s) {
    for (auto& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return s;
}

class ClassifyTable : public testing::TestWithParam<Case> {};

TEST_P(ClassifyTable, GivesTheVerdictClass) {
    const auto& c = GetParam();
    StepFacts f{c.method, c.path, c.status, c.error, false, c.protocol, "http://127.0.0.1:8045/v1", ""};
    Finding got = classify_step(f, antigravity_like());
    EXPECT_EQ(to_string(got.diagnosis), std::string(to_string(c.want))) << c.method << " " << c.path << " -> " << c.status
                                                                      << ": " << got.reason;
    EXPECT_FALSE(got.reason.empty());
    if (c.want != Diagnosis::Ok) EXPECT_FALSE(got.fix.empty());
}

constexpr auto N = TransportError::None;

INSTANTIATE_TEST_SUITE_P(
    Document, ClassifyTable,
    testing::Values(
        // "Siempre 404": the OpenAI SDK at the bare host sends /chat/completions.
        Case{"POST", "/chat/completions", 404, N, "openai", Diagnosis::MissingVersion},
        Case{"GET", "/models", 404, N, "openai", Diagnosis::MissingVersion},
        Case{"POST", "/responses", 404, N, "openai", Diagnosis::MissingVersion},
        // "/v1/v1/...": the Base URL carries /v1 and the client appends it again.
        Case{"POST", "/v1/v1/chat/completions", 404, N, "openai", Diagnosis::DuplicatePrefix},
        Case{"POST", "/v1/v1/messages", 404, N, "anthropic", Diagnosis::DuplicatePrefix},
        Case{"POST", "/v1beta/v1beta/models/gemini-2.5-flash:generateContent", 404, N, "gemini",
             Diagnosis::DuplicatePrefix},
        Case{"POST", "/v1/v1beta/models/gemini-2.5-flash:generateContent", 404, N, "gemini", Diagnosis::DuplicatePrefix},
        // Kilo Code: "/v1/chat/completions/responses".
        Case{"POST", "/v1/chat/completions/responses", 404, N, "openai", Diagnosis::EndpointInBase},
        Case{"POST", "/v1/chat/completions/chat/completions", 404, N, "openai", Diagnosis::EndpointInBase},
        Case{"POST", "/v1/messages/v1/messages", 404, N, "anthropic", Diagnosis::EndpointInBase},
        // 401 is not 404: auth first, never a route problem.
        Case{"POST", "/v1/messages", 401, N, "anthropic", Diagnosis::AuthMissing},
        Case{"POST", "/v1/v1/messages", 401, N, "anthropic", Diagnosis::AuthMissing},
        Case{"POST", "/v1/messages", 403, N, "anthropic", Diagnosis::AuthRejected},
        // "Connection refused": wrong port or not started.
        Case{"GET", "/v1/models", 0, TransportError::Refused, "openai", Diagnosis::NotListening},
        // The right paths.
        Case{"GET", "/v1/models", 200, N, "openai", Diagnosis::Ok},
        Case{"POST", "/v1/messages?beta=true", 200, N, "anthropic", Diagnosis::Ok},
        Case{"POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", 200, N, "gemini", Diagnosis::Ok},
        // The route exists, the upstream failed.
        Case{"POST", "/v1/messages", 503, N, "anthropic", Diagnosis::UpstreamError},
        Case{"POST", "/v1/chat/completions", 429, N, "openai", Diagnosis::UpstreamError},
        // A route of a family the proxy does not serve is judged against a proxy without it below.
        Case{"POST", "/v1/embeddings", 404, N, "openai", Diagnosis::NoRoute},
        Case{"GET", "/v1/models", 0, TransportError::Reset, "openai", Diagnosis::Unexpected}),
    [](const testing::TestParamInfo<Case>& info) {
        return test_name(std::to_string(info.index) + "_" + info.param.method + info.param.path + "_" +
                         std::to_string(info.param.status));
    });

TEST(Classify, WrongProtocolWhenTheProxyDoesNotServeTheFamily) {
    ProxyProfile p = antigravity_like();
    p.capabilities = {"anthropic"};
    p.routes = {{"POST", "/v1/messages"}};
    StepFacts f{"POST", "/v1/chat/completions", 404, TransportError::None, false, "openai", "", ""};
    EXPECT_EQ(classify_step(f, p).diagnosis, Diagnosis::WrongProtocol);
    StepFacts g{"POST", "/v1beta/models/x:generateContent", 404, TransportError::None, false, "gemini", "", ""};
    EXPECT_EQ(classify_step(g, p).diagnosis, Diagnosis::WrongProtocol);
}

TEST(Classify, FixNamesTheRecommendedBaseUrl) {
    StepFacts f{"POST", "/chat/completions", 404, TransportError::None, false, "openai", "http://127.0.0.1:8045/v1", ""};
    EXPECT_NE(classify_step(f, antigravity_like()).fix.find("http://127.0.0.1:8045/v1"), std::string::npos);
}

TEST(PathShape, SeparatesTheThreeBaseUrlMistakes) {
    EXPECT_EQ(path_shape("/v1/v1/models"), Diagnosis::DuplicatePrefix);
    EXPECT_EQ(path_shape("/v1/chat/completions/responses"), Diagnosis::EndpointInBase);
    EXPECT_EQ(path_shape("/chat/completions"), Diagnosis::MissingVersion);
    EXPECT_EQ(path_shape("/v1/messages/count_tokens"), Diagnosis::Ok);
    EXPECT_EQ(path_shape("/v1/models/claude-sonnet-4-5"), Diagnosis::Ok);
    EXPECT_EQ(path_shape("/v1beta/models/gemini:generateContent"), Diagnosis::Ok);
}

TEST(DiagnosisNames, RoundTrip) {
    for (auto d : {Diagnosis::Ok, Diagnosis::DuplicatePrefix, Diagnosis::MissingVersion, Diagnosis::EndpointInBase,
                   Diagnosis::WrongProtocol, Diagnosis::NoRoute, Diagnosis::AuthMissing, Diagnosis::AuthRejected,
                   Diagnosis::NotListening, Diagnosis::UpstreamError, Diagnosis::Unexpected, Diagnosis::Skipped})
        EXPECT_EQ(diagnosis_from_string(to_string(d)), d);
    EXPECT_THROW(diagnosis_from_string("NOPE"), std::invalid_argument);
}

}  // namespace
