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
        JoinCase{version_if_missing(), "http://127.0.0.1:8045/vbeta", "/v1beta/models", "",
                 "POST /vbeta/v1beta/models"},
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
    EXPECT_THROW(parse_base_url("ftp://127.0.0.1:8045"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("127.0.0.1:8045"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1:99999"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1:0"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1:80a"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://user:pw@127.0.0.1"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1/v1 beta"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://127.0.0.1/v1#x"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://lo calhost/v1"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://h\\x/v1"), std::invalid_argument);
    EXPECT_THROW(parse_base_url("http://h\xc3\xa9te/v1"), std::invalid_argument) << "IDNA is not done: refused";
    EXPECT_EQ(parse_base_url("http://127.0.0.1").port, 80);
    EXPECT_EQ(parse_base_url("http://[::1]:8045/v1").host, "[::1]");
    EXPECT_EQ(parse_base_url("http://[::1]:8045/v1").path, "/v1");
}

// Issue 21.6: what follows an IPv6 literal is a port or nothing; anything else is an error, not port 80.
TEST(ParseBaseUrl, JunkAfterAnIpv6HostIsAnError) {
    for (const char* url : {"http://[::1]junk:8045/v1", "http://[::1]junk/v1", "http://[::1]8045/v1", "http://[::1/v1",
                            "http://[::g]:8045/v1", "http://[]:8045/v1", "http://[::1]:80:90/v1"})
        EXPECT_THROW(parse_base_url(url), std::invalid_argument) << url;
    EXPECT_EQ(parse_base_url("http://[::1]:8045/v1").port, 8045);
    EXPECT_EQ(parse_base_url("http://[::1]/v1").port, 80);
}

// Issue 21.6: "." and ".." segments are gone before the join, as WHATWG URL parsers and libcurl remove them.
TEST(ParseBaseUrl, DotSegmentsAreRemoved) {
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/x/../v1").path, "/v1");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/./v1").path, "/v1");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/v1/.").path, "/v1/");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/v1/..").path, "/");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/../../v1").path, "/v1");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/x/%2e%2E/v1").path, "/v1");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:8045/a..b/.v1").path, "/a..b/.v1") << "only whole segments";
    Step chat;
    chat.method = "POST";
    chat.endpoint = "/chat/completions";
    EXPECT_EQ(join_request(JoinRule::Concat, "http://127.0.0.1:8045/x/../v1", chat).line(),
              "POST /v1/chat/completions");
    Step models;
    models.method = "GET";
    models.endpoint = "models";
    EXPECT_EQ(join_request(JoinRule::Resolve, "http://127.0.0.1:8045/v1beta/x/../", models).line(),
              "GET /v1beta/models");
}

// Issue 19.6: Base URLs as users type them: https, any case of the scheme, spaces around, other hosts. The join
// needs no connection; the host is kept (lower case) and the scheme survives into the request URL.
TEST(ParseBaseUrl, TakesBaseUrlsAsUsersTypeThem) {
    BaseUrl a = parse_base_url("  HTTPS://LocalHost:8045/V1/  \n");
    EXPECT_EQ(a.scheme, "https");
    EXPECT_EQ(a.host, "localhost");
    EXPECT_EQ(a.port, 8045);
    EXPECT_EQ(a.path, "/V1/");
    EXPECT_EQ(a.origin(), "https://localhost:8045");
    EXPECT_EQ(parse_base_url("https://gateway.lan/v1").port, 443);
    EXPECT_EQ(parse_base_url("https://gateway.lan/v1").origin(), "https://gateway.lan");
    EXPECT_EQ(parse_base_url("http://[::1]:8045").origin(), "http://[::1]:8045");
    EXPECT_EQ(parse_base_url("http://127.0.0.1:/v1").port, 80) << "an empty port is the default one";
    EXPECT_EQ(parse_base_url("http://127.0.0.1:08045/v1").port, 8045);
    EXPECT_EQ(parse_base_url("http://h/v1/caf\xc3\xa9?q=\xff").path, "/v1/caf%C3%A9");
    EXPECT_EQ(parse_base_url("http://h/v1/caf\xc3\xa9?q=\xff").query, "q=%FF");
    Step chat;
    chat.method = "POST";
    chat.endpoint = "/chat/completions";
    FinalRequest r = join_request(JoinRule::Concat, " Https://gateway.lan/v1 ", chat);
    EXPECT_EQ(r.line(), "POST /v1/chat/completions");
    EXPECT_EQ(r.url, "https://gateway.lan:443/v1/chat/completions");
}

// Issue 21.2: a password typed into a Base URL is never printed back, whatever else is wrong with the URL.
TEST(ParseBaseUrl, CredentialsAreRefusedWithoutRepeatingThem) {
    for (const char* url : {"http://u:rc-pw-31@127.0.0.1:8045/v1", "http://u:rc-pw-31/x@127.0.0.1:8045/v1",
                            "http://u:rc-pw-31@[::1]junk/v1", "ftp://u:rc-pw-31@h/v1"}) {
        try {
            parse_base_url(url);
            ADD_FAILURE() << url << " was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_EQ(std::string(e.what()).find("rc-pw-31"), std::string::npos) << e.what();
        }
    }
}

TEST(ParseBaseUrl, LoopbackIsLocalhost127AndIpv6One) {
    for (const char* url : {"http://127.0.0.1:1", "http://127.8.9.10:1", "http://LOCALHOST:1", "http://[::1]:1",
                            "http://[0:0:0:0:0:0:0:1]:1"})
        EXPECT_TRUE(is_loopback(parse_base_url(url))) << url;
    for (const char* url : {"http://10.1.2.3:1", "http://127.0.0.1.example.com:1", "http://localhost.example:1",
                            "http://[::2]:1", "http://0.0.0.0:1", "http://gateway.lan:1"})
        EXPECT_FALSE(is_loopback(parse_base_url(url))) << url;
}

TEST(RenderBaseUrl, FillsPortPlaceholders) {
    EXPECT_EQ(render_base_url("http://127.0.0.1:{port}/v1", 8045, 9), "http://127.0.0.1:8045/v1");
    EXPECT_EQ(render_base_url("http://127.0.0.1:{closed_port}", 8045, 9), "http://127.0.0.1:9");
}

}  // namespace
