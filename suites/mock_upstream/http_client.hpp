// Test helper: one libcurl request with a deadline, reporting what arrived on the wire (status, headers,
// body, curl's error) so tests can assert on what a real HTTP client would see.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace routecheck::mock::testing {

struct HttpResult {
    CURLcode error = CURLE_OK;
    long status = 0;
    std::map<std::string, std::string> headers;  // lower-cased names
    std::string body;
    double seconds = 0;
    std::vector<double> arrivals;  // seconds since the request started, one per received body piece

    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& lower) const {
        auto it = headers.find(lower);
        return it == headers.end() ? "" : it->second;
    }
    // "data:" payloads of an SSE body, in order.
    std::vector<std::string> sse_data() const {
        std::vector<std::string> out;
        std::size_t pos = 0;
        while ((pos = body.find("data: ", pos)) != std::string::npos) {
            if (pos != 0 && body[pos - 1] != '\n') {
                pos += 6;
                continue;
            }
            std::size_t end = body.find('\n', pos);
            out.push_back(body.substr(pos + 6, end == std::string::npos ? std::string::npos : end - pos - 6));
            pos = end == std::string::npos ? body.size() : end;
        }
        return out;
    }
    // "event:" names of an SSE body, in order.
    std::vector<std::string> sse_events() const {
        std::vector<std::string> out;
        std::size_t pos = 0;
        while ((pos = body.find("event: ", pos)) != std::string::npos) {
            std::size_t end = body.find('\n', pos);
            out.push_back(body.substr(pos + 7, end - pos - 7));
            pos = end;
        }
        return out;
    }
};

struct Req {
    std::string method = "GET";
    std::string url;
    std::string body;
    std::vector<std::string> headers;  // "Name: value"
    long timeout_ms = 10000;
};

inline HttpResult http(const Req& r) {
    struct CurlDeleter {
        void operator()(CURL* c) const { curl_easy_cleanup(c); }
    };
    struct ListDeleter {
        void operator()(curl_slist* l) const { curl_slist_free_all(l); }
    };
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    curl_slist* raw = nullptr;
    for (const auto& h : r.headers) raw = curl_slist_append(raw, h.c_str());
    std::unique_ptr<curl_slist, ListDeleter> list(raw);
    HttpResult res;
    struct Ctx {
        HttpResult* res;
        std::chrono::steady_clock::time_point t0;
    } ctx{&res, std::chrono::steady_clock::now()};
    auto on_body = +[](char* p, size_t s, size_t n, void* ud) -> size_t {
        auto* c = static_cast<Ctx*>(ud);
        c->res->body.append(p, s * n);
        c->res->arrivals.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - c->t0).count());
        return s * n;
    };
    auto on_header = +[](char* p, size_t s, size_t n, void* ud) -> size_t {
        std::string line(p, s * n);
        auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string k = line.substr(0, colon), v = line.substr(colon + 1);
            for (char& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            while (!v.empty() && (v.front() == ' ')) v.erase(0, 1);
            while (!v.empty() && (v.back() == '\r' || v.back() == '\n')) v.pop_back();
            static_cast<HttpResult*>(ud)->headers[k] = v;
        }
        return s * n;
    };
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
    }
    if (r.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &ctx);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &res);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");  // a developer's HTTP_PROXY must not capture loopback traffic
    res.error = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.t0).count();
    return res;
}

inline HttpResult get(const std::string& url, std::vector<std::string> headers = {}) {
    return http({"GET", url, "", std::move(headers)});
}

inline HttpResult post(const std::string& url, const std::string& body, std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    return http({"POST", url, body, std::move(headers)});
}

}  // namespace routecheck::mock::testing
