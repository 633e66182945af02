#include <gtest/gtest.h>

#include "join/join.hpp"

namespace {

using namespace routecheck;

Step step(std::string method, std::string endpoint, std::string query = "") {
    Step s;
    s.id = "s";
    s.method = std::move(method);
    s.endpoint = std::move(endpoint);
    s.query = std::move(query);
    return s;
}

// A concat join with the options a recorded client needs (harness/model/fixtures.hpp, JoinSpec).
JoinSpec concat_with(std::vector<std::string> strip_suffix, bool version_if_missing, bool endpoint_if_missing) {
    JoinSpec j(JoinRule::Concat);
    j.strip_suffix = std::move(strip_suffix);
    j.version_if_missing = version_if_missing;
    j.endpoint_if_missing = endpoint_if_missing;
    return j;
}
JoinSpec strip_v1() { return concat_with({"/v1"}, false, false); }
JoinSpec version_if_missing() { return concat_with({}, true, false); }
JoinSpec endpoint_if_missing() { return concat_with({}, false, true); }

struct JoinCase {
    JoinSpec rule;
    std::string base, endpoint, query, want;
};

std::string test_name(std::string s) {
    for (auto& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return s;
}

class JoinTable : public testing::TestWithParam<JoinCase> {};

TEST_P(JoinTable, GivesTheFinalRequestLine) {
    const auto& c = GetParam();
    EXPECT_EQ(join_request(c.rule, c.base, step("POST", c.endpoint, c.query)).line(), c.want)
        << c.base << " + " << c.endpoint;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, JoinTable,
    testing::Values(
        // The user's document: Claude Code wants the bare host; /v1 in its Base URL doubles the prefix.
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045", "/v1/messages", "beta=true", "POST /v1/messages?beta=true"},
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045/v1", "/v1/messages", "beta=true",
                 "POST /v1/v1/messages?beta=true"},
        // OpenAI SDKs want /v1 in the Base URL; without it the path lacks the version.
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045/v1", "/chat/completions", "", "POST /v1/chat/completions"},
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045/v1/", "/chat/completions", "", "POST /v1/chat/completions"},
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045", "/chat/completions", "", "POST /chat/completions"},
        // Kilo Code with a full endpoint as Base URL.
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045/v1/chat/completions", "/responses", "",
                 "POST /v1/chat/completions/responses"},
        JoinCase{JoinRule::ConcatRaw, "http://127.0.0.1:8045/v1/", "/models", "", "POST /v1//models"},
        JoinCase{JoinRule::Resolve, "http://127.0.0.1:8045/v1/", "models", "", "POST /v1/models"},
        JoinCase{JoinRule::Resolve, "http://127.0.0.1:8045/v1", "models", "", "POST /models"},
        JoinCase{JoinRule::Resolve, "http://127.0.0.1:8045", "v1beta/models", "", "POST /v1beta/models"},
        JoinCase{JoinRule::Concat, "http://127.0.0.1:8045/?a=1", "/v1/messages", "beta=true",
                 "POST /v1/messages?a=1&beta=true"},
        // strip_suffix: Qwen Code's openai-responses mode drops a trailing /v1 (and slash), then appends
        // /v1/responses itself, so root and /v1 give the same request and /v1beta keeps its prefix.
        JoinCase{strip_v1(), "http://127.0.0.1:8045", "/v1/responses", "", "POST /v1/responses"},
        JoinCase{strip_v1(), "http://127.0.0.1:8045/v1", "/v1/responses", "", "POST /v1/responses"},
        JoinCase{strip_v1(), "http://127.0.0.1:8045/v1/", "/v1/responses", "", "POST /v1/responses"},
        JoinCase{strip_v1(), "http://127.0.0.1:8045/api/v1", "/v1/responses", "", "POST /api/v1/responses"},
        JoinCase{strip_v1(), "http://127.0.0.1:8045/v1beta", "/v1/responses", "", "POST /v1beta/v1/responses"},
        JoinCase{strip_v1(), "http://127.0.0.1:8045/v10", "/v1/responses", "", "POST /v10/v1/responses"},
        JoinCase{strip_v1(), "http://127.0.0.1:8045/v1/chat/completions", "/v1/responses", "",
                 "POST /v1/chat/completions/v1/responses"},
        // version_if_missing: Cline 3.x's gemini mode adds /v1beta only when the Base URL ends in no version.
        JoinCase{version_if_missing(), "http://127.0.0.1:8045", "/v1beta/models/m:generateContent", "",
                 "POST /v1beta/models/m:generateContent"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/v1", "/v1beta/models/m:generateContent", "",
                 "POST /v1/models/m:generateContent"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/v1beta/", "/v1beta/models/m:generateContent", "",
                 "POST /v1beta/models/m:generateContent"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/api/V2Alpha1", "/v1beta/models", "",
                 "POST /api/V2Alpha1/models"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/v1/chat/completions", "/v1beta/models", "",
                 "POST /v1/chat/completions/v1beta/models"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/vbeta", "/v1beta/models", "", "POST /vbeta/v1beta/models"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/v1", "/models", "", "POST /v1/models"},
        // (found by fuzz_join: an empty endpoint once read past its end)
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/v1", "", "", "POST /v1"},
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/v1", "/", "", "POST /v1/"},
        // endpoint_if_missing: LiteLLM's anthropic/ models append /v1/messages unless the Base URL ends with it.
        JoinCase{endpoint_if_missing(), "http://127.0.0.1:8045", "/v1/messages", "", "POST /v1/messages"},
        JoinCase{endpoint_if_missing(), "http://127.0.0.1:8045/v1", "/v1/messages", "", "POST /v1/v1/messages"},
        JoinCase{endpoint_if_missing(), "http://127.0.0.1:8045/v1/messages", "/v1/messages", "", "POST /v1/messages"},
        JoinCase{endpoint_if_missing(), "http://127.0.0.1:8045/api/v1/messages/", "/v1/messages", "",
                 "POST /api/v1/messages"},
        JoinCase{endpoint_if_missing(), "http://127.0.0.1:8045/x/v1/messages", "/messages", "", "POST /x/v1/messages"},
        JoinCase{endpoint_if_missing(), "http://127.0.0.1:8045/xv1/messages", "/v1/messages", "",
                 "POST /xv1/messages/v1/messages"}),
    [](const testing::TestParamInfo<JoinCase>& info) {
        return test_name(std::to_string(info.index) + "_" + info.param.base.substr(17) + "_" + info.param.endpoint);
    });

TEST(ParseBaseUrl, RejectsWhatIsNotAnHttpUrl) {
    EXPECT_THROW(parse_base_url("https://127.0.0.1:8045"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("127.0.0.1:8045"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1:99999"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1:80a"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://user:pw@127.0.0.1"), std::invalid_argument);
    EXPECT_EQ(parse_base_url("http://127.0.0.1").port, 80);
    EXPECT_EQ(parse_base_url("http://[::1]:8045/v1").host, "[::1]");
    EXPECT_EQ(parse_base_url("http://[::1]:8045/v1").path, "/v1");
}

TEST(RenderBaseUrl, FillsPortPlaceholders) {
    EXPECT_EQ(render_base_url("http://127.0.0.1:{port}/v1", 8045, 9), "http://127.0.0.1:8045/v1");
    EXPECT_EQ(render_base_url("http://127.0.0.1:{closed_port}", 8045, 9), "http://127.0.0.1:9");
}

}  // namespace
