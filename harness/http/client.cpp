#include "http/client.hpp"
#include "http/sse.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace routecheck {

const char* to_string(TransportError e) {
    switch (e) {
        case TransportError::None: return "none";
        case TransportError::Refused: return "connection refused";
        case TransportError::Timeout: return "timeout";
        case TransportError::Reset: return "connection reset";
        case TransportError::Protocol: return "not an HTTP answer";
        case TransportError::Other: return "transport error";
    }
    return "transport error";
}

Deadline Deadline::in(std::chrono::milliseconds from_now, std::string what) {
    Deadline d;
    d.at = std::chrono::steady_clock::now() + from_now;
    d.what = std::move(what);
    return d;
}

long Deadline::clamp_ms(long timeout_ms) const {
    if (at == std::chrono::steady_clock::time_point::max()) return timeout_ms;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(at - std::chrono::steady_clock::now()).count();
    return std::max<long>(1, std::min<long>(timeout_ms, left));
}

void http_global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

// What the SSE checks read of a line: its start ("data:", "event: message_stop", "data: [DONE]").
constexpr std::size_t kLineKept = 64;

struct Capture {
    HttpResponse* out;
    std::size_t keep;
    std::size_t max_body;
    std::string line;  // the first kLineKept bytes of the line being received (a line may span many chunks)
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    bool websocket = false;  // an upgrade attempt: its answer is the status line, nothing after a 101 is read
    int status = 0;          // of the response whose headers are being read
};

// Counts data lines and sees the end marker (http/sse.hpp: the one rule). Only the first kLineKept bytes of a line
// are kept, which holds "data: [DONE]" and every end event's name whole.
void end_line(Capture& c) {
    const SseField f = sse_field(c.line);
    if (f.field == "data") {
        const auto now = std::chrono::steady_clock::now();
        c.out->last_event_at_ms = std::chrono::duration<double, std::milli>(now.time_since_epoch()).count();
        if (c.out->sse_events++ == 0) {
            c.out->first_event_ms = std::chrono::duration<double, std::milli>(now - c.start).count();
            c.out->first_event_at_ms = c.out->last_event_at_ms;
        }
        if (sse_ends_stream("", f.value)) c.out->sse_done = true;
    } else if (f.field == "event" && sse_ends_stream(f.value, "")) {
        c.out->sse_done = true;
    }
    c.line.clear();
}

// One pass over each chunk, keeping at most kLineKept bytes of the current line: linear in the body's size
// however long its lines (a body of 32 MB without a newline used to be searched again on every chunk).
void scan_sse(Capture& c, const char* data, std::size_t n) {
    const char* end = data + n;
    while (data < end) {
        const char* nl = static_cast<const char*>(std::memchr(data, '\n', static_cast<std::size_t>(end - data)));
        const char* stop = nl ? nl : end;
        if (c.line.size() < kLineKept)
            c.line.append(data,
                          std::min<std::size_t>(static_cast<std::size_t>(stop - data), kLineKept - c.line.size()));
        if (!nl) return;
        end_line(c);
        data = nl + 1;
    }
}

size_t on_body(char* data, size_t size, size_t nmemb, void* user) {
    auto* c = static_cast<Capture*>(user);
    std::size_t n = size * nmemb;
    if (c->out->body_bytes + n > c->max_body) {
        // Returning less than n ends the transfer (CURLE_WRITE_ERROR); send() reports it as a capped answer.
        n = c->max_body - c->out->body_bytes;
        c->out->body_capped = true;
    }
    c->out->body_bytes += n;
    if (c->out->body_excerpt.size() < c->keep)
        c->out->body_excerpt.append(data, std::min(n, c->keep - c->out->body_excerpt.size()));
    scan_sse(*c, data, n);
    return c->out->body_capped ? 0 : n;
}

size_t on_header(char* data, size_t size, size_t nmemb, void* user) {
    auto* c = static_cast<Capture*>(user);
    std::string line(data, size * nmemb);
    if (line.rfind("HTTP/", 0) == 0) {
        c->out->headers.clear();  // a new response (e.g. after 100 Continue)
        const auto sp = line.find(' ');
        c->status = sp == std::string::npos ? 0 : std::atoi(line.c_str() + sp + 1);
        return line.size();
    }
    // The end of a 101's headers: the upgrade was accepted and the socket now speaks websocket frames, which the
    // replay does not read. Stop here (curl reports a write error, taken as success below) rather than holding
    // the socket until the timeout.
    if (c->websocket && c->status == 101 && (line == "\r\n" || line == "\n")) return 0;
    auto colon = line.find(':');
    if (colon == std::string::npos) return line.size();
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
    std::string value = line.substr(colon + 1);
    auto b = value.find_first_not_of(" \t");
    auto e = value.find_last_not_of(" \t\r\n");
    // Headers are bytes: a proxy may send any. Stored as valid UTF-8 so the report can always hold them.
    // A proxy may echo a key in a header: redacted as it is captured, like the body.
    c->out->headers[valid_utf8(name)] =
        redact_known(valid_utf8(b == std::string::npos ? "" : value.substr(b, e - b + 1)));
    return line.size();
}

TransportError classify(CURLcode code) {
    switch (code) {
        case CURLE_OK: return TransportError::None;
        case CURLE_COULDNT_CONNECT: return TransportError::Refused;
        case CURLE_OPERATION_TIMEDOUT: return TransportError::Timeout;
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE: return TransportError::Reset;
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_UNSUPPORTED_PROTOCOL: return TransportError::Protocol;
        default: return TransportError::Other;
    }
}

}  // namespace

HttpClient::HttpClient() : curl_(curl_easy_init()) {
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::send(const HttpRequest& req) {
    CURL* h = static_cast<CURL*>(curl_);
    curl_easy_reset(h);
    HttpResponse out;
    Capture cap{&out, req.keep_body, req.max_body, {}};
    cap.websocket = req.websocket;
    curl_slist* hdrs = nullptr;
    for (const auto& [k, v] : req.headers) hdrs = curl_slist_append(hdrs, (k + ": " + v).c_str());
    // libcurl adds "Expect: 100-continue" for large bodies; no real client here sends it.
    hdrs = curl_slist_append(hdrs, "Expect:");
    if (req.websocket) {
        // The upgrade headers a recorded step does not carry itself: a recording already has connection,
        // upgrade and sec-websocket-version (its key is random and dropped), and sending them twice makes
        // "Upgrade: websocket, websocket", which a strict server (uvicorn, LiteLLM) refuses with 426.
        auto has = [&](const char* name) {
            return std::any_of(req.headers.begin(), req.headers.end(), [&](const auto& kv) {
                return kv.first.size() == std::strlen(name) &&
                       std::equal(kv.first.begin(), kv.first.end(), name, [](char a, char b) {
                           return std::tolower(static_cast<unsigned char>(a)) ==
                                  std::tolower(static_cast<unsigned char>(b));
                       });
            });
        };
        if (!has("connection")) hdrs = curl_slist_append(hdrs, "Connection: Upgrade");
        if (!has("upgrade")) hdrs = curl_slist_append(hdrs, "Upgrade: websocket");
        if (!has("sec-websocket-version")) hdrs = curl_slist_append(hdrs, "Sec-WebSocket-Version: 13");
        if (!has("sec-websocket-key")) hdrs = curl_slist_append(hdrs, "Sec-WebSocket-Key: cm91dGVjaGVjay13cy1rZXk=");
    }
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (req.method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (!req.body.empty() || req.method == "POST") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &cap);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &cap);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req.timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");  // never go through an HTTP proxy from the environment
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    out.error = classify(rc);
    if (rc != CURLE_OK) out.error_text = curl_easy_strerror(rc);
    if (out.body_capped && rc == CURLE_WRITE_ERROR) {
        // Not a transport failure: the harness stopped reading an answer that had already come.
        out.error = TransportError::None;
        out.error_text = "stopped reading after " + std::to_string(req.max_body) + " bytes (the answer was longer)";
    }
    // A websocket upgrade that succeeded (101) leaves an open socket: on_header ends the transfer there (or the
    // timeout does); neither is an error.
    if (out.status == 101 && (out.error == TransportError::Timeout || rc == CURLE_WRITE_ERROR)) {
        out.error = TransportError::None;
        out.error_text.clear();
    }
    // The excerpt goes into matrix.json and index.html: valid UTF-8, and a character the keep limit split is
    // dropped rather than stored as a broken sequence.
    out.body_excerpt = redact_known(utf8_excerpt(out.body_excerpt, out.body_bytes));
    double t = 0;
    curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME, &t);
    out.first_byte_ms = t * 1000;
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &t);
    out.total_ms = t * 1000;
    curl_slist_free_all(hdrs);
    return out;
}

}  // namespace routecheck
