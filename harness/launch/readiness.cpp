#include "launch/readiness.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

namespace routecheck::launch {
namespace {

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

size_t keep_head(char* data, size_t size, size_t n, void* out) {
    auto* body = static_cast<std::string*>(out);
    const std::size_t room = body->size() < 4096 ? 4096 - body->size() : 0;
    body->append(data, std::min(room, size * n));
    return size * n;
}

void global_curl_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string with_tail(ChildProcess& child, std::size_t lines) {
    const std::string tail = child.log_tail(lines);
    std::string out = "\n--- log " + child.log_path().string() + " (last " + std::to_string(lines) + " lines) ---\n";
    out += tail.empty() ? "(empty)" : tail;
    return out;
}

}  // namespace

ReadyResult wait_ready(int port, ChildProcess& child, const ReadyOptions& options) {
    global_curl_init();
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto until = start + options.deadline;
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + options.path;

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
    for (const auto& [k, v] : options.headers)
        headers.reset(curl_slist_append(headers.release(), (k + ": " + v).c_str()));
    if (!curl) throw LaunchError("curl_easy_init failed");
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");  // a proxy from the harness's env must not intercept
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, 200L);

    ReadyResult result;
    std::string last_error = "no attempt";
    for (;;) {
        if (!child.running()) {
            throw LaunchError("process " + std::to_string(child.pid()) + " " + child.exit_description() +
                              " before answering " + url + with_tail(child, options.log_lines));
        }
        const auto now = clock::now();
        if (now >= until) {
            throw LaunchError("no HTTP answer from " + url + " within " + std::to_string(options.deadline.count()) +
                              " ms (last error: " + last_error + ")" + with_tail(child, options.log_lines));
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                         static_cast<long>(std::max<long>(1, std::min(left, options.per_try).count())));
        ++result.attempts;
        CURLcode rc = curl_easy_perform(curl.get());
        if (rc == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
            if (status > 0 && options.want_status != 0 && status != options.want_status) {
                last_error =
                    "status " + std::to_string(status) + ", waiting for " + std::to_string(options.want_status);
                std::this_thread::sleep_for(options.interval);
                continue;
            }
            if (status > 0) {
                result.status = static_cast<int>(status);
                result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
                return result;
            }
        }
        last_error = rc == CURLE_OK ? "no status" : curl_easy_strerror(rc);
        // A proxy not up after a second is a slow starter (LiteLLM imports for 6 s and more): poll it less often,
        // up to 4 intervals apart, so its wait does not take CPU from the starts beside it.
        const auto waited = std::chrono::duration_cast<std::chrono::seconds>(clock::now() - start).count();
        std::this_thread::sleep_for(options.interval * std::min<long>(4, 1 + waited));
    }
}

SetupAnswer send_setup_request(int port, const std::string& method, const std::string& path,
                               const std::map<std::string, std::string>& headers, const std::string& body,
                               std::chrono::milliseconds timeout) {
    global_curl_init();
    SetupAnswer answer;
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        answer.error = "curl_easy_init failed";
        return answer;
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list(nullptr, curl_slist_free_all);
    for (const auto& [k, v] : headers) list.reset(curl_slist_append(list.release(), (k + ": " + v).c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "HEAD") curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
    if (!body.empty()) {
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, keep_head);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long>(1, timeout.count())));
    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) {
        answer.error = curl_easy_strerror(rc);
        return answer;
    }
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    answer.status = static_cast<int>(status);
    return answer;
}

}  // namespace routecheck::launch
