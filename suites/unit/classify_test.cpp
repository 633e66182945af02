// The verdict classes, judged the one way the product judges (judge_cell): every example of the user's
// troubleshooting document, then the rules of "the path first", prefixes kept in fixes, key carriers, and
// essential versus optional steps.
#include <gtest/gtest.h>

#include "join/join.hpp"
#include "judge/judge.hpp"
#include "judge/path.hpp"

namespace {

using namespace routecheck;

ProxyProfile antigravity_like() {
    ProxyProfile p;
    p.id = "t";
    p.name = "test proxy";
    p.capabilities = {"openai", "anthropic", "gemini"};
    for (auto [m, path] : std::vector<std::pair<std::string, std::string>>{{"GET", "/healthz"},
                                                                           {"GET", "/v1/models"},
                                                                           {"POST", "/v1/chat/completions"},
                                                                           {"POST", "/v1/responses"},
                                                                           {"POST", "/v1/messages"},
                                                                           {"POST", "/v1/messages/count_tokens"},
                                                                           {"GET", "/v1beta/models"},
                                                                           {"POST", "/v1beta/models/*"}})
        p.routes.push_back({m, path});
    return p;
}

ProxyProfile routes_only(std::vector<std::pair<std::string, std::string>> routes, std::string name = "stand-in") {
    ProxyProfile p;
    p.id = "s";
    p.name = std::move(name);
    for (auto& [m, path] : routes) p.routes.push_back({m, path});
    return p;
}

struct StepSpec {
    std::string method, endpoint;
    bool essential = true;
    bool websocket = false;
};

ClientProfile client_of(const std::string& protocol, std::vector<StepSpec> steps,
                        std::vector<KeyCarrier> carriers = {
                            {"authorization", "Bearer ", "OPENAI_API_KEY", "recorded"}}) {
    ClientProfile c;
    c.id = "client";
    c.name = "client";
    c.protocol = protocol;
    c.key_carriers = carriers;
    c.auth_header = carriers.front().header;
    c.auth_prefix = carriers.front().prefix;
    int i = 0;
    for (auto& s : steps) {
        Step st;
        st.id = "s" + std::to_string(i++);
        st.method = s.method;
        st.endpoint = s.endpoint;
        st.essential = s.essential;
        st.websocket = s.websocket;
        c.steps.push_back(st);
    }
    return c;
}

struct Answer {
    int status = 404;
    std::string body;
    std::string content_type;
    TransportError error = TransportError::None;
};

// Every step of `client` at `base` gets `answers[i]` (the last one repeats).
CellResult judge(const ClientProfile& client, const ProxyProfile& proxy, const std::string& base,
                 std::vector<Answer> answers, const std::string& key_via = "") {
    CellObservation cell;
    cell.proxy = proxy.id;
    cell.client = client.id;
    cell.variant = "v";
    cell.base_url = base;
    cell.key_via = key_via;
    for (std::size_t i = 0; i < client.steps.size(); ++i) {
        const Answer& a = answers[std::min(i, answers.size() - 1)];
        StepObservation o;
        o.step = client.steps[i].id;
        o.method = client.steps[i].method;
        o.target = join_request(client.join, base, client.steps[i]).target;
        o.status = a.status;
        o.error = a.error;
        o.body_excerpt = a.body;
        o.content_type = a.content_type;
        cell.steps.push_back(o);
    }
    return judge_cell(cell, proxy, client, nullptr);
}

struct Row {
    std::string protocol, method, endpoint, base;
    int status;
    TransportError error;
    Diagnosis want;
};

class DocumentTable : public testing::TestWithParam<Row> {};

TEST_P(DocumentTable, GivesTheVerdictClassWithAReasonAndAFix) {
    const Row& r = GetParam();
    ClientProfile c = client_of(r.protocol, {{r.method, r.endpoint}});
    CellResult got = judge(c, antigravity_like(), r.base, {{r.status, "", "", r.error}}, "OPENAI_API_KEY");
    EXPECT_EQ(to_string(got.judgment.diagnosis), std::string(to_string(r.want)))
        << r.method << " " << r.base << " + " << r.endpoint << " -> " << r.status << ": " << got.judgment.reason;
    EXPECT_FALSE(got.judgment.reason.empty());
    if (r.want != Diagnosis::Ok) EXPECT_FALSE(got.judgment.fix.empty());
}

constexpr auto N = TransportError::None;
const std::string H = "http://127.0.0.1:8045";

INSTANTIATE_TEST_SUITE_P(
    Document, DocumentTable,
    testing::Values(
        // "Siempre 404": the OpenAI SDK at the bare host sends /chat/completions.
        Row{"openai", "POST", "/chat/completions", H, 404, N, Diagnosis::MissingVersion},
        Row{"openai", "GET", "/models", H, 404, N, Diagnosis::MissingVersion},
        Row{"openai", "POST", "/responses", H, 404, N, Diagnosis::MissingVersion},
        // "/v1/v1/...": the Base URL carries /v1 and the client appends it again.
        Row{"openai", "POST", "/v1/chat/completions", H + "/v1", 404, N, Diagnosis::DuplicatePrefix},
        Row{"anthropic", "POST", "/v1/messages", H + "/v1", 404, N, Diagnosis::DuplicatePrefix},
        Row{"gemini", "POST", "/v1beta/models/g:generateContent", H + "/v1beta", 404, N, Diagnosis::DuplicatePrefix},
        Row{"gemini", "POST", "/v1beta/models/g:generateContent", H + "/v1", 404, N, Diagnosis::DuplicatePrefix},
        // Kilo Code: "/v1/chat/completions/responses".
        Row{"openai", "POST", "/responses", H + "/v1/chat/completions", 404, N, Diagnosis::EndpointInBase},
        Row{"openai", "POST", "/chat/completions", H + "/v1/chat/completions", 404, N, Diagnosis::EndpointInBase},
        Row{"anthropic", "POST", "/v1/messages", H + "/v1/messages", 404, N, Diagnosis::EndpointInBase},
        // 401 is not 404 at a right path; at a wrong path the path still comes first.
        Row{"anthropic", "POST", "/v1/messages", H, 401, N, Diagnosis::AuthRejected},
        Row{"anthropic", "POST", "/v1/messages", H + "/v1", 401, N, Diagnosis::DuplicatePrefix},
        Row{"anthropic", "POST", "/v1/messages", H, 403, N, Diagnosis::AuthRejected},
        // "Connection refused": wrong port or not started.
        Row{"openai", "GET", "/models", H + "/v1", 0, TransportError::Refused, Diagnosis::NotListening},
        // The right paths.
        Row{"openai", "GET", "/models", H + "/v1", 200, N, Diagnosis::Ok},
        Row{"anthropic", "POST", "/v1/messages", H, 200, N, Diagnosis::Ok},
        Row{"gemini", "POST", "/v1beta/models/g:streamGenerateContent", H, 200, N, Diagnosis::Ok},
        // The route exists, the upstream failed.
        Row{"anthropic", "POST", "/v1/messages", H, 503, N, Diagnosis::UpstreamError},
        Row{"openai", "POST", "/chat/completions", H + "/v1", 429, N, Diagnosis::UpstreamError},
        Row{"openai", "POST", "/embeddings", H + "/v1", 404, N, Diagnosis::NoRoute},
        Row{"openai", "GET", "/models", H + "/v1", 0, TransportError::Reset, Diagnosis::Unexpected}),
    [](const testing::TestParamInfo<Row>& info) { return "row" + std::to_string(info.index); });

TEST(PathFirst, WrongProtocolWhenTheProxyDoesNotServeTheFamily) {
    ProxyProfile p = routes_only({{"POST", "/v1/messages"}});
    EXPECT_EQ(judge(client_of("openai", {{"POST", "/chat/completions"}}), p, H + "/v1", {{404}}).diagnosis,
              Diagnosis::WrongProtocol);
    CellResult g = judge(client_of("gemini", {{"POST", "/v1beta/models/x:generateContent"}}), p, H, {{404}});
    EXPECT_EQ(g.diagnosis, Diagnosis::WrongProtocol);
    EXPECT_EQ(g.judgment.base_url, "") << "no Base URL fixes another protocol";
}

TEST(PathFirst, AMisjoinStaysAMisjoinWhateverComesBack) {
    ProxyProfile portkey = routes_only({{"POST", "/v1/messages"}, {"POST", "/v1/**"}}, "Portkey");
    ClientProfile claude =
        client_of("anthropic", {{"POST", "/v1/messages"}}, {{"x-api-key", "", "ANTHROPIC_API_KEY", "recorded"}});
    // Forwarded by a pass-through, refused upstream with Anthropic's error object.
    CellResult fwd = judge(claude, portkey, H + "/v1/chat/completions",
                           {{404, R"({"type":"error","error":{"type":"not_found_error","message":"Not Found"}})"}},
                           "ANTHROPIC_API_KEY");
    EXPECT_EQ(fwd.diagnosis, Diagnosis::EndpointInBase) << fwd.judgment.reason;
    EXPECT_EQ(fwd.judgment.base_url, H);
    EXPECT_NE(fwd.judgment.reason.find("pass-through"), std::string::npos) << fwd.judgment.reason;
    // A soft 404: 200 with an HTML page.
    CellResult soft = judge(claude, portkey, H + "/v1", {{200, "<!doctype html><html>app</html>", "text/html"}});
    EXPECT_EQ(soft.diagnosis, Diagnosis::DuplicatePrefix);
    EXPECT_FALSE(soft.works);
    EXPECT_NE(soft.judgment.reason.find("soft 404"), std::string::npos) << soft.judgment.reason;
    // 401 before routing, and no key sent: both are said.
    CellResult both = judge(claude, portkey, H + "/v1", {{401}});
    EXPECT_EQ(both.diagnosis, Diagnosis::DuplicatePrefix);
    EXPECT_NE(both.judgment.reason.find("the key is also missing"), std::string::npos) << both.judgment.reason;
    EXPECT_NE(both.judgment.fix.find("ANTHROPIC_API_KEY"), std::string::npos) << both.judgment.fix;
}

TEST(PathFirst, UpstreamNotFoundAtARightRouteIsUpstreamErrorAndAnEmpty404IsNot) {
    ClientProfile gem = client_of("gemini", {{"POST", "/v1beta/models/x:generateContent"}},
                                  {{"x-goog-api-key", "", "GEMINI_API_KEY", "recorded"}});
    ProxyProfile p = antigravity_like();
    CellResult up =
        judge(gem, p, H, {{404, R"({"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}})"}});
    EXPECT_EQ(up.diagnosis, Diagnosis::UpstreamError);
    EXPECT_NE(up.judgment.reason.find("Google's error object"), std::string::npos) << up.judgment.reason;
    CellResult empty = judge(gem, p, H, {{404}});
    EXPECT_EQ(empty.diagnosis, Diagnosis::NoRoute) << empty.judgment.reason;
}

TEST(Fixes, KeepTheUsersPrefixAndNameTheRightVersion) {
    ProxyProfile api = routes_only({{"POST", "/api/v1/messages"}, {"GET", "/health"}});
    ClientProfile claude = client_of("anthropic", {{"POST", "/v1/messages"}});
    EXPECT_EQ(judge(claude, api, H + "/api/v1", {{404}}).judgment.base_url, H + "/api");
    CellResult root = judge(claude, api, H, {{404}});
    EXPECT_EQ(root.diagnosis, Diagnosis::NoRoute);
    EXPECT_EQ(root.judgment.base_url, H + "/api");

    ProxyProfile zen = routes_only({{"GET", "/zen/v1/models"}, {"POST", "/zen/v1/chat/completions"}});
    ClientProfile oai = client_of("openai", {{"GET", "/models", false}, {"POST", "/chat/completions"}});
    CellResult z = judge(oai, zen, H + "/zen", {{404}});
    EXPECT_EQ(z.diagnosis, Diagnosis::MissingVersion);
    EXPECT_EQ(z.judgment.base_url, H + "/zen/v1");

    ClientProfile kilo = client_of("gemini", {{"POST", "/models/g:streamGenerateContent"}});
    CellResult k = judge(kilo, antigravity_like(), H, {{404}});
    EXPECT_EQ(k.diagnosis, Diagnosis::MissingVersion);
    EXPECT_NE(k.judgment.reason.find("lacks /v1beta"), std::string::npos) << k.judgment.reason;
    EXPECT_EQ(k.judgment.base_url, H + "/v1beta");
}

TEST(Keys, TheFixNamesTheClientSettingThatSendsWhatTheProxyReads) {
    ProxyProfile p = routes_only({{"POST", "/v1/messages"}});
    p.api_key = "sk-test";
    p.auth_carriers = {"x-api-key"};
    ClientProfile claude = client_of("anthropic", {{"POST", "/v1/messages"}},
                                     {{"x-api-key", "", "ANTHROPIC_API_KEY", "recorded"},
                                      {"authorization", "Bearer ", "ANTHROPIC_AUTH_TOKEN", "documented"}});
    CellResult r = judge(claude, p, H, {{401}}, "ANTHROPIC_AUTH_TOKEN");
    EXPECT_EQ(r.diagnosis, Diagnosis::AuthMissing);
    EXPECT_NE(r.judgment.fix.find("ANTHROPIC_API_KEY"), std::string::npos) << r.judgment.fix;
    EXPECT_EQ(r.judgment.base_url, "") << "a key problem is not fixed by a Base URL";

    p.auth_carriers = {"authorization", "x-api-key"};
    ClientProfile gem = client_of("gemini", {{"POST", "/v1beta/models/x:generateContent"}},
                                  {{"x-goog-api-key", "", "GEMINI_API_KEY", "recorded"}});
    p.routes.push_back({"POST", "/v1beta/models/*"});
    CellResult g = judge(gem, p, H, {{401}}, "GEMINI_API_KEY");
    EXPECT_EQ(g.diagnosis, Diagnosis::AuthMissing);
    EXPECT_NE(g.judgment.fix.find("must accept x-goog-api-key"), std::string::npos) << g.judgment.fix;
}

TEST(Steps, OptionalFailuresAreWarningsAndAWebsocketAttemptFallsBack) {
    ProxyProfile p =
        routes_only({{"POST", "/v1/chat/completions"}, {"POST", "/v1/responses"}, {"GET", "/v1/responses"}});
    ClientProfile oai = client_of("openai", {{"GET", "/models", false}, {"POST", "/chat/completions"}});
    CellResult r = judge(oai, p, H + "/v1", {{404}, {200}});
    EXPECT_TRUE(r.works) << r.judgment.reason;
    EXPECT_EQ(r.diagnosis, Diagnosis::Ok);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.steps[0].outcome(), "warning");

    ClientProfile codex = client_of("openai-responses", {{"GET", "/responses", false, true}, {"POST", "/responses"}});
    CellResult c = judge(codex, p, H + "/v1", {{400}, {200}});
    EXPECT_TRUE(c.works);
    EXPECT_EQ(c.steps[0].outcome(), "fell back");
    EXPECT_NE(c.steps[0].finding.diagnosis, Diagnosis::Ok) << "a refused upgrade is never OK";
    CellResult wrong = judge(codex, p, H + "/v1/chat/completions", {{101}, {404}});
    EXPECT_EQ(wrong.steps[0].finding.diagnosis, Diagnosis::EndpointInBase) << "its path still gets its class";
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
