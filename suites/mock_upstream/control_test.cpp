// Lifecycle, journal, correlation headers and the /__routecheck/ control endpoints.
#include <gtest/gtest.h>

#include <thread>

#include "http_client.hpp"
#include "mock_upstream/mock_upstream.hpp"

namespace routecheck::mock {
namespace {

using namespace testing;
using namespace std::chrono_literals;

class Control : public ::testing::Test {
protected:
    void SetUp() override { mock.start(); }
    MockUpstream mock{Options{.protocols = {"cloudcode"}}};
};

TEST_F(Control, UrlIsLoopbackWithTheBoundPort) {
    EXPECT_GT(mock.port(), 0);
    EXPECT_EQ(mock.url(), "http://127.0.0.1:" + std::to_string(mock.port()));
}

TEST_F(Control, StopIsIdempotentAndClosesThePort) {
    const std::string url = mock.url();
    mock.stop();
    mock.stop();
    auto r = http({"GET", url + "/__routecheck/health", "", {}, 2000});
    EXPECT_EQ(r.error, CURLE_COULDNT_CONNECT);
}

TEST(ControlStart, PortInUseThrowsAClearMessage) {
    MockUpstream first(Options{});
    first.start();
    MockUpstream second(Options{.port = first.port()});
    try {
        second.start();
        FAIL() << "second start on a used port did not throw";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos) << e.what();
    }
}

TEST(ControlStart, RefusesNonLoopbackHostAndUnknownProtocol) {
    EXPECT_THROW(MockUpstream(Options{.host = "0.0.0.0"}), std::invalid_argument);
    EXPECT_THROW(MockUpstream(Options{.protocols = {"nope"}}), std::invalid_argument);
}

TEST_F(Control, JournalRecordsRawTargetHeadersBodyAndCorrelation) {
    auto r = post(
        mock.url() + "/v1internal:streamGenerateContent?alt=sse", R"({"model":"m"})",
        {"X-Routecheck-Step: cell/step-1", "X-Routecheck-Origin: https://cloudcode-pa.googleapis.com", "X-Custom: A"});
    ASSERT_EQ(r.status, 200);
    auto j = mock.journal();
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0].seq, 1u);
    EXPECT_EQ(j[0].method, "POST");
    EXPECT_EQ(j[0].path, "/v1internal:streamGenerateContent");
    EXPECT_EQ(j[0].query, "alt=sse");
    EXPECT_EQ(j[0].target, "/v1internal:streamGenerateContent?alt=sse");
    EXPECT_EQ(j[0].headers.at("x-custom"), "A");
    EXPECT_EQ(j[0].headers.count("remote_addr"), 0u);
    EXPECT_EQ(j[0].body, R"({"model":"m"})");
    EXPECT_EQ(j[0].correlation, "cell/step-1");
    EXPECT_EQ(j[0].origin, "https://cloudcode-pa.googleapis.com");
    EXPECT_EQ(j[0].status, 200);
    EXPECT_EQ(j[0].protocol, "cloudcode");
    EXPECT_GE(j[0].t_ms, 0.0);
}

TEST_F(Control, RawPathIsKeptUndecodedWithDoubleSlashes) {
    get(mock.url() + "/v1//models%2Fx?a=%20b");
    auto j = mock.journal();
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0].target, "/v1//models%2Fx?a=%20b");
    EXPECT_EQ(j[0].path, "/v1//models%2Fx");
    EXPECT_EQ(j[0].status, 404);
    EXPECT_EQ(j[0].protocol, "");
}

TEST_F(Control, ClearAndWaitFor) {
    get(mock.url() + "/a");
    EXPECT_TRUE(mock.wait_for(1, 0ms));
    mock.clear();
    EXPECT_TRUE(mock.journal().empty());
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(mock.wait_for(1, 100ms));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 90ms);
    std::thread later([&] {
        std::this_thread::sleep_for(50ms);
        get(mock.url() + "/b");
    });
    EXPECT_TRUE(mock.wait_for(1, 5000ms));
    later.join();
    EXPECT_EQ(mock.journal().at(0).seq, 2u) << "seq keeps counting across clear()";
}

TEST(ControlJournalLimit, KeepsTheNewestEntriesAndStillCountsEveryArrival) {
    MockUpstream mock(Options{.protocols = {"openai"}, .journal_limit = 3});
    mock.start();
    for (int i = 1; i <= 5; ++i) get(mock.url() + "/p" + std::to_string(i));
    const auto held = mock.journal();
    ASSERT_EQ(held.size(), 3u);
    EXPECT_EQ(held.front().seq, 3u);
    EXPECT_EQ(held.front().path, "/p3");
    EXPECT_EQ(held.back().seq, 5u);
    EXPECT_EQ(held.back().path, "/p5");
    EXPECT_TRUE(mock.wait_for(5, 0ms)) << "five arrived, though only three are held";
    EXPECT_FALSE(mock.wait_for(6, 0ms));
    auto h = get(mock.url() + "/__routecheck/health").json();
    EXPECT_EQ(h["journal"], 3);
    EXPECT_EQ(h["journal_arrived"], 5);
    EXPECT_EQ(h["journal_limit"], 3);
    EXPECT_EQ(get(mock.url() + "/__routecheck/journal/wait?n=5&timeout_ms=0").status, 200);
    EXPECT_EQ(http({"DELETE", mock.url() + "/__routecheck/journal"}).json()["cleared"], 3);
    EXPECT_FALSE(mock.wait_for(1, 0ms)) << "clear() restarts the arrival count";
    EXPECT_EQ(get(mock.url() + "/__routecheck/health").json()["journal_arrived"], 0);
}

TEST_F(Control, HealthAndJournalEndpointsAreNotJournaled) {
    auto h = get(mock.url() + "/__routecheck/health");
    ASSERT_EQ(h.status, 200);
    EXPECT_EQ(h.json()["status"], "ok");
    EXPECT_EQ(h.json()["protocols"], nlohmann::json::array({"cloudcode"}));
    post(mock.url() + "/v1internal:loadCodeAssist", "{}", {"x-routecheck-step: c/s"});
    auto j = get(mock.url() + "/__routecheck/journal");
    ASSERT_EQ(j.status, 200);
    auto arr = j.json();
    ASSERT_EQ(arr.size(), 1u);
    EXPECT_EQ(arr[0]["target"], "/v1internal:loadCodeAssist");
    EXPECT_EQ(arr[0]["correlation"], "c/s");
    EXPECT_EQ(arr[0]["status"], 200);
    EXPECT_EQ(mock.journal().size(), 1u);
    auto d = http({"DELETE", mock.url() + "/__routecheck/journal"});
    EXPECT_EQ(d.status, 200);
    EXPECT_EQ(d.json()["cleared"], 1);
    EXPECT_TRUE(mock.journal().empty());
}

TEST_F(Control, JournalWaitAnswers200Or408) {
    auto miss = get(mock.url() + "/__routecheck/journal/wait?n=1&timeout_ms=50");
    EXPECT_EQ(miss.status, 408);
    EXPECT_EQ(miss.json()["reached"], false);
    get(mock.url() + "/x");
    auto hit = get(mock.url() + "/__routecheck/journal/wait?n=1&timeout_ms=50");
    EXPECT_EQ(hit.status, 200);
    EXPECT_EQ(hit.json()["count"], 1);
}

TEST_F(Control, BadControlRequestsGet400WithAReason) {
    for (const std::string bad : {"/__routecheck/journal/wait", "/__routecheck/journal/wait?n=abc",
                                  "/__routecheck/journal/wait?n=1&timeout_ms=999999999", "/__routecheck/nope"}) {
        auto r = get(mock.url() + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_FALSE(r.json()["error"].get<std::string>().empty()) << bad;
    }
    auto r = post(mock.url() + "/__routecheck/faults", "not json");
    EXPECT_EQ(r.status, 400);
    r = post(mock.url() + "/__routecheck/faults", R"({"kind":"explode"})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.json()["error"].get<std::string>().find("explode"), std::string::npos);
    EXPECT_TRUE(mock.journal().empty());
}

TEST_F(Control, KeepAliveRequestsAreFast) {
    // Guards TCP_NODELAY: with Nagle on, each keep-alive answer waits ~40 ms for a delayed ACK.
    struct CurlDeleter {
        void operator()(CURL* c) const { curl_easy_cleanup(c); }
    };
    std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
    const std::string url = mock.url() + "/v1internal:fetchAvailableModels";
    curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, "{}");
    curl_easy_setopt(
        c.get(), CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void*) { return s * n; });
    curl_easy_setopt(c.get(), CURLOPT_TIMEOUT_MS, 5000L);
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) ASSERT_EQ(curl_easy_perform(c.get()), CURLE_OK);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);
}

}  // namespace
}  // namespace routecheck::mock
