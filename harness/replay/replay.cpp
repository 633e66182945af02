#include "replay/replay.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>

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

void http_global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

struct Capture {
    HttpResponse* out;
    std::size_t keep;
    std::string line_buffer;  // partial SSE line carried between chunks
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    bool websocket = false;   // an upgrade attempt: its answer is the status line, nothing after a 101 is read
    int status = 0;           // of the response whose headers are being read
};

void scan_sse(Capture& c, const char* data, std::size_t n) {
    c.line_buffer.append(data, n);
    std::size_t start = 0;
    for (auto nl = c.line_buffer.find('\n', start); nl != std::string::npos; nl = c.line_buffer.find('\n', start)) {
        std::string_view line(c.line_buffer.data() + start, nl - start);
        if (line.rfind("data:", 0) == 0) {
            if (c.out->sse_events++ == 0)
                c.out->first_event_ms =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c.start).count();
            if (line.find("[DONE]") != std::string_view::npos) c.out->sse_done = true;
        }
        if (line.rfind("event: message_stop", 0) == 0 || line.rfind("event: response.completed", 0) == 0)
            c.out->sse_done = true;
        start = nl + 1;
    }
    c.line_buffer.erase(0, start);
}

size_t on_body(char* data, size_t size, size_t nmemb, void* user) {
    auto* c = static_cast<Capture*>(user);
    std::size_t n = size * nmemb;
    c->out->body_bytes += n;
    if (c->out->body_excerpt.size() < c->keep)
        c->out->body_excerpt.append(data, std::min(n, c->keep - c->out->body_excerpt.size()));
    scan_sse(*c, data, n);
    return n;
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
    c->out->headers[valid_utf8(name)] = redact_known(valid_utf8(b == std::string::npos ? "" : value.substr(b, e - b + 1)));
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
    Capture cap{&out, req.keep_body, {}};
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
                           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
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
