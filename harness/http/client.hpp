// Sends one request exactly as a client would (libcurl) and captures what came back.
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace routecheck {

// When a run must end (routecheck matrix --deadline): nothing new starts after it, and a request is given no more
// time than is left. The default never passes.
struct Deadline {
    std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
    std::string what;  // how a cell it cuts short says so, e.g. "the run's deadline (600 s) passed"

    static Deadline in(std::chrono::milliseconds from_now, std::string what);
    bool passed() const { return std::chrono::steady_clock::now() >= at; }
    // `timeout_ms` or the time left, whichever is shorter (at least 1 ms).
    long clamp_ms(long timeout_ms) const;
};

struct HttpRequest {
    std::string method;
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool websocket = false;   // send an upgrade attempt (GET with Upgrade: websocket)
    long timeout_ms = 15000;  // whole transfer
    long connect_timeout_ms = 2000;
    std::size_t keep_body = 4096;  // how much of the body to keep as an excerpt
    // Reading stops here (the transfer is ended, the answer counts as received): a proxy that streams without end
    // or answers gigabytes must not hold the run or its memory. What was read is judged as usual.
    std::size_t max_body = kMaxBody;
    static constexpr std::size_t kMaxBody = 64u << 20;
};

enum class TransportError { None, Refused, Timeout, Reset, Protocol, Other };
const char* to_string(TransportError e);

struct HttpResponse {
    int status = 0;  // 0 when no HTTP answer came
    TransportError error = TransportError::None;
    std::string error_text;
    std::map<std::string, std::string>
        headers;  // lower-case names; last value wins; valid UTF-8 (U+FFFD for bad bytes)
    // The first keep_body bytes, as valid UTF-8 (text/utf8.hpp utf8_excerpt), known secrets redacted (a proxy
    // may quote the caller's key back); header values likewise.
    std::string body_excerpt;
    std::size_t body_bytes = 0;  // bytes read (at most max_body)
    bool body_capped = false;    // reading stopped at max_body; the answer was longer
    int sse_events = 0;          // "data:" lines seen (each scanned in one pass, whatever its length)
    bool sse_done = false;       // the event that ends a stream was seen (http/sse.hpp: sse_ends_stream)
    double first_byte_ms = 0;    // time to the first response byte
    double first_event_ms = 0;   // time to the first SSE "data:" line (0 when none): a proxy may send headers at
                                 // once yet hold every event until its upstream finished
    // When the first and the last "data:" line arrived, in milliseconds of std::chrono::steady_clock (0 when none):
    // the clock the mock upstream's journal notes its send times in (mock::JournalEntry::sent_at_ms).
    double first_event_at_ms = 0, last_event_at_ms = 0;
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
