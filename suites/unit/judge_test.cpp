#include <gtest/gtest.h>

#include "contract/predict.hpp"
#include "judge/doctor.hpp"
#include "judge/judge.hpp"
#include "judge/path.hpp"
#include "judge/recommend.hpp"

namespace {

using namespace routecheck;

ProxyProfile proxy() {
    ProxyProfile p;
    p.id = "p";
    p.name = "p";
    p.capabilities = {"anthropic"};
    p.routes = {{"POST", "/v1/messages"}, {"GET", "/health"}};
    return p;
}

ClientProfile client() {
    ClientProfile c;
    c.id = "c";
    c.protocol = "anthropic";
    Step s;
    s.id = "prompt.messages";
    s.method = "POST";
    s.endpoint = "/v1/messages";
    c.steps = {s};
    c.key_carriers = {{"x-api-key", "", "ANTHROPIC_API_KEY", "recorded"}};
    c.auth_header = "x-api-key";
    return c;
}

// A client of one POST step: its id, protocol and endpoint.
ClientProfile one_step(const std::string& id, const std::string& protocol, const std::string& endpoint) {
    ClientProfile c;
    c.id = id;
    c.protocol = protocol;
    Step s;
    s.id = "prompt";
    s.method = "POST";
    s.endpoint = endpoint;
    c.steps = {s};
    return c;
}

// A cell of one POST step that reached `target` and got `status`.
CellObservation one_step_cell(const std::string& client, const std::string& variant, const std::string& base_url,
                              const std::string& step, const std::string& target, int status) {
    CellObservation cell{"p", client, variant, base_url, {}, ""};
    StepObservation s;
    s.step = step;
    s.method = "POST";
    s.target = target;
    s.status = status;
    cell.steps.push_back(s);
    return cell;
}

CellObservation observed(int status, std::vector<std::string> upstream) {
    CellObservation cell =
        one_step_cell("c", "v1", "http://127.0.0.1:1/v1", "prompt.messages", "/v1/v1/messages", status);
    cell.steps[0].upstream = std::move(upstream);
    return cell;
}

ExpectedTable table(int status) {
    ExpectedTable t;
    t.proxy = "p";
    t.cells["c"]["v1"] = {{"prompt.messages", "POST /v1/v1/messages", status, {}, ""}};
    return t;
}

TEST(JudgeCell, PassesWhenEveryStepEqualsItsRow) {
    auto t = table(404);
    CellResult r = judge_cell(observed(404, {}), proxy(), client(), &t);
    EXPECT_EQ(r.verdict, CellVerdict::Pass) << r.message;
    EXPECT_EQ(r.diagnosis, Diagnosis::DuplicatePrefix);
    EXPECT_FALSE(r.works);
}

TEST(JudgeCell, FailsOnStatusAndSaysBoth) {
    auto t = table(404);
    CellResult r = judge_cell(observed(200, {}), proxy(), client(), &t);
    EXPECT_EQ(r.verdict, CellVerdict::Fail);
    EXPECT_NE(r.message.find("expected 404, got 200"), std::string::npos) << r.message;
}

TEST(JudgeCell, FailsWhenTheUpstreamDiffers) {
    auto t = table(404);
    CellResult r = judge_cell(observed(404, {"POST /v1internal:generateContent"}), proxy(), client(), &t);
    EXPECT_EQ(r.verdict, CellVerdict::Fail);
    EXPECT_NE(r.message.find("v1internal:generateContent"), std::string::npos) << r.message;
}

TEST(JudgeCell, NoTableIsNoExpectationNotPass) {
    CellResult r = judge_cell(observed(404, {}), proxy(), client(), nullptr);
    EXPECT_EQ(r.verdict, CellVerdict::NoExpectation);
}

TEST(JudgeCell, TheClassIsPartOfTheExpectedRow) {
    auto t = table(404);
    t.cells["c"]["v1"][0].diagnosis = "NO_ROUTE";
    CellResult r = judge_cell(observed(404, {}), proxy(), client(), &t);
    EXPECT_EQ(r.verdict, CellVerdict::Fail);
    EXPECT_NE(r.message.find("class: expected NO_ROUTE, judged DUPLICATE_PREFIX"), std::string::npos) << r.message;
}

TEST(JudgeCell, CellErrorFails) {
    auto cell = observed(404, {});
    cell.error = "the proxy exited";
    auto t = table(404);
    EXPECT_EQ(judge_cell(cell, proxy(), client(), &t).verdict, CellVerdict::Fail);
}

// Issue 19.6 / 21.6: the fix Base URL is built from the one typed: its scheme (https), host and port survive, and
// a Base URL with dot segments is judged by the path a client really sends.
TEST(JudgeCell, FixBaseUrlKeepsTheTypedSchemeAndHost) {
    for (const std::string typed : {"https://gateway.lan:8045/v1", " HTTPS://Gateway.LAN:8045/x/../v1 "}) {
        CellResult r = judge_cell(one_step_cell("c", "typed", typed, "prompt.messages", "/v1/v1/messages", 404),
                                  proxy(), client(), nullptr);
        EXPECT_EQ(r.judgment.diagnosis, Diagnosis::DuplicatePrefix) << typed << ": " << r.judgment.reason;
        EXPECT_EQ(r.judgment.base_url, "https://gateway.lan:8045") << typed;
    }
    EXPECT_EQ(base_url_at(client(), "https://[::1]/v1", "/v2"), "https://[::1]/v2");
}

// A fix that changes the Base URL names where the user types it when the profile says (base_url_setting), and
// says only "the Base URL" when it does not.
TEST(JudgeCell, TheFixNamesTheClientsBaseUrlSetting) {
    ClientProfile c = client();
    CellResult plain = judge_cell(observed(404, {}), proxy(), c, nullptr);
    EXPECT_EQ(plain.judgment.fix, "set the Base URL to http://127.0.0.1:1 (c appends the version itself)");
    c.base_url_setting = "ANTHROPIC_BASE_URL";
    CellResult named = judge_cell(observed(404, {}), proxy(), c, nullptr);
    EXPECT_EQ(named.judgment.fix, "set ANTHROPIC_BASE_URL to http://127.0.0.1:1 (c appends the version itself)");
}

// A probe of a proxy that checks the key before routing under /v1, without a key that opens it, saw no route there:
// the table cannot say that no Base URL serves a call (no WRONG_PROTOCOL from the empty table), so a call is judged by
// its shape: under /v1, unjudged by the path (the 401 then speaks); at the root, a missing /v1 (vLLM #22407).
TEST(JudgePath, APrefixWhoseRoutesWereNotSeenSaysNothingOfItsPaths) {
    ProxyProfile probed = proxy();
    probed.capabilities = {};
    probed.routes = {{"GET", "/health"}};
    const ClientProfile c = client();
    PathVerdict known = judge_path(c, c.steps[0], "http://127.0.0.1:1", probed);
    EXPECT_EQ(known.shape, Diagnosis::WrongProtocol) << known.reason;
    probed.routes_unseen_under = {"/v1"};
    PathVerdict unseen = judge_path(c, c.steps[0], "http://127.0.0.1:1", probed);
    EXPECT_NE(unseen.shape, Diagnosis::WrongProtocol) << unseen.reason;
    EXPECT_NE(unseen.shape, Diagnosis::NoRoute) << unseen.reason;
    ClientProfile at_root = c;
    at_root.steps[0].endpoint = "/messages";  // a client that appends /messages (the Base URL must hold /v1)
    PathVerdict root = judge_path(at_root, at_root.steps[0], "http://127.0.0.1:1", probed);
    EXPECT_EQ(root.shape, Diagnosis::MissingVersion) << root.reason;
}

// A client that keeps the Base URL's trailing '/' (LangChain JS's Gemini client: "http://host/" gives
// "//v1beta/models/...") meets a route only without the empty segment. A 404 there is that misjoin, with the Base URL
// that drops it; a 200 (a router that folds "//") is fine. It was "what listens there is not the proxy".
TEST(JudgeCell, AnEmptySegmentThatGets404IsTheBaseUrlsTrailingSlash) {
    ClientProfile c = one_step("keeps-slash", "gemini", "/v1beta/models/m:generateContent");
    c.join.rule = JoinRule::ConcatRaw;
    ProxyProfile p = proxy();
    p.capabilities = {"gemini"};
    p.routes = {{"POST", "/v1beta/models/*"}};
    auto at = [&](int status) {
        return judge_cell(one_step_cell("keeps-slash", "root-slash", "http://127.0.0.1:1/", "prompt",
                                        "//v1beta/models/m:generateContent", status),
                          p, c, nullptr);
    };
    const CellResult missed = at(404);
    EXPECT_EQ(missed.judgment.diagnosis, Diagnosis::NoRoute) << missed.judgment.reason;
    EXPECT_NE(missed.judgment.reason.find("empty segment (//)"), std::string::npos) << missed.judgment.reason;
    EXPECT_EQ(missed.judgment.base_url, "http://127.0.0.1:1");
    EXPECT_EQ(at(200).judgment.diagnosis, Diagnosis::Ok);
}

// doctor --seen reads a path as it came: "//v1/chat/completions" is built from a Base URL ending in "//v1", not from
// "/v1" with the path cut one character off ("/v11/chat/completions").
TEST(ExplainSeen, AnEmptySegmentStaysInTheBaseUrl) {
    Fixtures f;
    f.clients = {one_step("sdk", "openai", "/chat/completions")};
    ProxyProfile p = proxy();
    p.routes = {{"POST", "/v1/chat/completions"}};
    const auto seen = explain_seen(f, p, "POST", "//v1/chat/completions", 404, "http://127.0.0.1:8045");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].base_url, "http://127.0.0.1:8045//v1");
    EXPECT_EQ(seen[0].result.judgment.base_url, "http://127.0.0.1:8045/v1") << seen[0].result.judgment.reason;
}

TEST(Predict, AuthBeforeRoutingGives401ForUnknownPaths) {
    ProxyProfile p = proxy();
    p.behaviour = Behaviour{};
    p.behaviour->auth_before_routing = true;
    p.behaviour->auth_exempt = {"/health"};
    PredictOptions no_key{false, false, true};
    EXPECT_EQ(predict_status(p, "POST", "/v1/v1/messages", no_key), 401);
    EXPECT_EQ(predict_status(p, "GET", "/health", no_key), 200);
    PredictOptions wrong{true, false, true};
    EXPECT_EQ(predict_status(p, "POST", "/v1/messages", wrong), 403);
    PredictOptions off{true, true, false};
    EXPECT_EQ(predict_status(p, "POST", "/v1/v1/messages", off), 404);
    EXPECT_EQ(predict_status(p, "GET", "/v1/messages", off), 405);
    EXPECT_EQ(predict_status(p, "OPTIONS", "/anything", no_key), 200);
}

TEST(Recommend, KeyHeaderTheProxyDoesNotReadIsACaveatNotARouteProblem) {
    Fixtures f;
    f.variants = {{"root", "http://127.0.0.1:{port}", ""}, {"v1", "http://127.0.0.1:{port}/v1", ""}};
    ClientProfile c = client();
    c.steps[0].endpoint = "/v1/messages";
    c.key_carriers = {{"x-goog-api-key", "", "GEMINI_API_KEY", "recorded"}};
    c.auth_header = "x-goog-api-key";
    ProxyProfile p = proxy();
    p.name = "Proxy P";
    p.api_key = "k";
    p.auth_carriers = {"authorization", "x-api-key"};
    f.clients = {c};
    Recommendation r = recommend(c, p, f);
    ASSERT_TRUE(r.found) << "the route lands: the Base URL is still the right one";
    EXPECT_EQ(r.variant, "root");
    EXPECT_EQ(r.caveat,
              "Proxy P reads its key from authorization or x-api-key only, and c sends its key in "
              "x-goog-api-key: expect 401 at any Base URL unless the proxy accepts x-goog-api-key");
    c.key_carriers = {{"x-api-key", "", "ANTHROPIC_API_KEY", "recorded"}};  // a carrier the proxy reads
    EXPECT_EQ(recommend(c, p, f).caveat, "");
    // The default carrier is not read, another one of the client's is: the caveat names that setting.
    c.key_carriers = {{"x-goog-api-key", "", "K1", "recorded"}, {"x-api-key", "", "K2", "documented"}};
    EXPECT_NE(recommend(c, p, f).caveat.find("give c the key in K2"), std::string::npos) << recommend(c, p, f).caveat;
    c.key_carriers = {{"x-goog-api-key", "", "K1", "recorded"}};
    p.api_key.clear();  // no key asked at all
    EXPECT_EQ(recommend(c, p, f).caveat, "");
}

}  // namespace

namespace {

// A client mode that sends nothing to the Base URL (Continue CLI's gemini provider): its cell has no step, and is
// neither a pass nor an error but its own class, with no Base URL to fix it and another mode named when one works.
TEST(JudgeCell, AClientThatIgnoresTheBaseUrlIsItsOwnVerdict) {
    ClientProfile c = client();
    c.steps.clear();
    c.base_url_ignored = "sends its chat to the vendor's host whatever apiBase says";
    CellObservation cell{"p", "c", "v1", "http://127.0.0.1:1/v1", {}, ""};
    ExpectedTable t;
    t.proxy = "p";
    t.cells["c"]["v1"] = {};
    CellResult r = judge_cell(cell, proxy(), c, &t, {"c-openai at http://127.0.0.1:1/v1"});
    EXPECT_EQ(r.diagnosis, Diagnosis::BaseUrlIgnored);
    EXPECT_FALSE(r.works);
    EXPECT_EQ(r.verdict, CellVerdict::Pass) << r.message;  // as its (empty) expected rows say
    EXPECT_NE(r.judgment.reason.find("vendor's host"), std::string::npos) << r.judgment.reason;
    EXPECT_NE(r.judgment.fix.find("c-openai at"), std::string::npos) << r.judgment.fix;
    EXPECT_TRUE(r.judgment.base_url.empty());
    EXPECT_STREQ(to_string(Diagnosis::BaseUrlIgnored), "BASE_URL_IGNORED");
    EXPECT_EQ(diagnosis_from_string("BASE_URL_IGNORED"), Diagnosis::BaseUrlIgnored);

    // Without the flag, a cell that replayed nothing stays an error of the profile.
    c.base_url_ignored.clear();
    EXPECT_EQ(judge_cell(cell, proxy(), c, &t).diagnosis, Diagnosis::Unexpected);
}

// A recommendation for such a client names no Base URL, says why, and points at another mode that works.
TEST(Recommend, AClientThatIgnoresTheBaseUrlHasNoBaseUrlButAnotherMode) {
    Fixtures f;
    f.variants = {{"root", "http://127.0.0.1:{port}", ""}};
    ClientProfile ignoring = client();
    ignoring.id = "x-gemini";
    ignoring.steps.clear();
    ignoring.base_url_ignored = "sends to the vendor's host";
    ClientProfile working = client();
    working.id = "x-anthropic";
    f.clients = {ignoring, working};
    Recommendation r = recommend(f.clients[0], proxy(), f);
    EXPECT_FALSE(r.found);
    EXPECT_NE(r.note.find("sends nothing to the Base URL"), std::string::npos) << r.note;
    ASSERT_FALSE(r.alternatives.empty());
    EXPECT_EQ(r.alternatives.front().rfind("x-anthropic at", 0), 0u) << r.alternatives.front();
}

// The call's family is the endpoint's the client appends, not the first family word of the whole path: a Gemini
// client under a Base URL that holds an OpenAI endpoint makes a Gemini call (a proxy serving no Gemini API:
// WRONG_PROTOCOL, "a Gemini call"), and an OpenAI Responses client under .../v1beta makes an OpenAI call (a proxy
// serving OpenAI without /v1/responses: NO_ROUTE, not "a Gemini call"). Both were judged by the path's first word.
TEST(JudgePath, TheCallsFamilyIsTheAppendedEndpoints) {
    const ClientProfile gemini = one_step("gemini-client", "gemini", "/v1beta/models/gemini-2.5-flash:generateContent");
    PathVerdict g = judge_path(gemini, gemini.steps[0], "http://127.0.0.1:1/v1/chat/completions", proxy());
    EXPECT_EQ(g.shape, Diagnosis::WrongProtocol) << g.reason;
    EXPECT_NE(g.reason.find("is a Gemini call"), std::string::npos) << g.reason;

    ProxyProfile openai_chat = proxy();
    openai_chat.capabilities = {"openai"};
    openai_chat.routes = {{"POST", "/v1/chat/completions"}, {"GET", "/v1/models"}};
    const ClientProfile responses = one_step("responses-client", "openai-responses", "/v1/responses");
    PathVerdict r = judge_path(responses, responses.steps[0], "http://127.0.0.1:1/v1beta", openai_chat);
    EXPECT_EQ(r.shape, Diagnosis::NoRoute) << r.reason;
    EXPECT_EQ(r.reason.find("Gemini"), std::string::npos) << r.reason;
}

}  // namespace
