// The replay's websocket attempts (harness/replay): the upgrade headers go out once each even when the recorded
// step carries them too, a 101 ends the attempt at once, and a server that never answers is a timeout.
// A raw loopback socket plays the server: it records the request bytes and answers as told.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "http/client.hpp"

namespace {

using namespace routecheck;
using namespace std::chrono_literals;

// Accepts one connection, reads the request head, answers `answer` (nothing when empty) and holds the socket
// open for `hold`, as a websocket server (after a 101) or a hung proxy does.
class OneShotServer {
public:
    OneShotServer(std::string answer, std::chrono::milliseconds hold) : answer_(std::move(answer)), hold_(hold) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd_, 1);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~OneShotServer() {
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    int port() const { return port_; }
    std::string request() const { return request_; }

private:
    void serve() {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        char buf[4096];
        while (request_.find("\r\n\r\n") == std::string::npos) {
            ssize_t n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            request_.append(buf, static_cast<std::size_t>(n));
        }
        if (!answer_.empty()) (void)!::write(c, answer_.data(), answer_.size());
        for (auto until = std::chrono::steady_clock::now() + hold_; !stop_ && std::chrono::steady_clock::now() < until;)
            std::this_thread::sleep_for(10ms);
        ::close(c);
    }
    std::string answer_;
    std::chrono::milliseconds hold_;
    int fd_ = -1, port_ = 0;
    std::atomic<bool> stop_{false};
    std::string request_;
    std::thread thread_;
};

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

HttpRequest attempt(int port) {
    HttpRequest r;
    r.method = "GET";
    r.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/responses";
    r.websocket = true;
    r.timeout_ms = 4000;
    // As a recorded Codex step carries them.
    r.headers = {{"connection", "Upgrade"}, {"upgrade", "websocket"}, {"sec-websocket-version", "13"}};
    return r;
}

TEST(ReplayWebsocket, UpgradeHeadersGoOutOnceAndA101EndsTheAttemptAtOnce) {
    http_global_init();
    OneShotServer server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", 6s);
    HttpClient http;
    const auto t0 = std::chrono::steady_clock::now();
    HttpResponse r = http.send(attempt(server.port()));
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(r.status, 101);
    EXPECT_EQ(r.error, TransportError::None) << r.error_text;
    EXPECT_LT(took, 2s) << "a 101 must not hold the attempt until the timeout";
    const std::string req = server.request();
    EXPECT_EQ(count(req, "pgrade: websocket"), 1) << req;  // "upgrade" or "Upgrade", once
    EXPECT_EQ(count(req, "ebsocket-version: 13"), 1) << req;
    EXPECT_EQ(count(req, "ebSocket-Key: "), 1) << req;  // the replay's own key: a recording has none
}

TEST(ReplayWebsocket, AServerThatNeverAnswersIsATimeout) {
    http_global_init();
    OneShotServer server("", 6s);
    HttpClient http;
    HttpRequest req = attempt(server.port());
    req.timeout_ms = 800;
    HttpResponse r = http.send(req);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.error, TransportError::Timeout);
}

TEST(ReplayWebsocket, ARefusedUpgradeIsItsStatus) {
    http_global_init();
    OneShotServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found", 0ms);
    HttpClient http;
    HttpResponse r = http.send(attempt(server.port()));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.error, TransportError::None) << r.error_text;
    EXPECT_EQ(r.body_excerpt, "not found");
}

// The client's SSE count and end marker (http/sse.hpp): a delta whose content is the text "[DONE]" does not end the
// stream; "event:message_stop" without a space does.
HttpResponse sse_answer(const std::string& body) {
    OneShotServer server("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body,
                         0ms);
    HttpClient http;
    HttpRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1/chat/completions";
    r.body = "{}";
    r.timeout_ms = 4000;
    return http.send(r);
}

TEST(ReplaySse, ContentThatSaysDoneIsNotTheEnd) {
    http_global_init();
    HttpResponse r = sse_answer("data: {\"choices\":[{\"delta\":{\"content\":\"[DONE]\"}}]}\n\n");
    EXPECT_EQ(r.status, 200) << r.error_text;
    EXPECT_EQ(r.sse_events, 1);
    EXPECT_FALSE(r.sse_done);
}

TEST(ReplaySse, TheEndMarkersAreSeenWithOrWithoutASpace) {
    http_global_init();
    HttpResponse done = sse_answer("data: {\"a\":1}\n\ndata:[DONE]\n\n");
    EXPECT_EQ(done.sse_events, 2);
    EXPECT_TRUE(done.sse_done);
    HttpResponse stop = sse_answer("event:message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n");
    EXPECT_EQ(stop.sse_events, 1);
    EXPECT_TRUE(stop.sse_done);
}

}  // namespace
