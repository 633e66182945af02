// Sends one request exactly as a client would (libcurl) and captures what came back.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace routecheck {

struct HttpRequest {
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool websocket = false;    // send an upgrade attempt (GET with Upgrade: websocket)
    long timeout_ms = 15000;   // whole transfer
    long connect_timeout_ms = 2000;
    std::size_t keep_body = 4096;  // how much of the body to keep as an excerpt
};

enum class TransportError { None, Refused, Timeout, Reset, Protocol, Other };
const char* to_string(TransportError e);

struct HttpResponse {
    int status = 0;  // 0 when no HTTP answer came
    TransportError error = TransportError::None;
    std::string error_text;
    std::map<std::string, std::string> headers;  // lower-case names; last value wins; valid UTF-8 (U+FFFD for bad bytes)
    // The first keep_body bytes, as valid UTF-8 (text/utf8.hpp utf8_excerpt), known secrets redacted (a proxy
    // may quote the caller's key back); header values likewise.
    std::string body_excerpt;
    std::size_t body_bytes = 0;
    int sse_events = 0;        // "data:" events seen in an event-stream answer
    bool sse_done = false;     // an OpenAI "[DONE]" or Anthropic "message_stop" was seen
    double first_byte_ms = 0;  // time to the first response byte
    double first_event_ms = 0; // time to the first SSE "data:" line (0 when none): a proxy may send headers at
                               // once yet hold every event until its upstream finished
    double total_ms = 0;
};

// One libcurl easy handle, reused across requests so connections are kept alive. Not thread-safe:
// give each worker thread its own.
class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResponse send(const HttpRequest& request);

private:
    void* curl_;
};

// Call once before threads start (curl_global_init is not thread-safe).
void http_global_init();

}  // namespace routecheck
