// Waiting until a launched proxy answers HTTP.
#pragma once
#include <chrono>
#include <map>
#include <string>

#include "launch/process.hpp"

namespace routecheck::launch {

struct ReadyOptions {
    std::string path = "/";                      // e.g. the profile's launch.ready_path
    std::chrono::milliseconds deadline{20000};   // total time allowed
    std::chrono::milliseconds interval{10};      // pause between tries (after the first second, up to 4 times it)
    std::chrono::milliseconds per_try{2000};     // one GET, including the proxy's own work
    std::map<std::string, std::string> headers;  // e.g. x-routecheck-step for correlation
    std::size_t log_lines = 40;                  // log tail included in errors
    int want_status = 0;                         // 0: any status; else only this one counts
};

struct ReadyResult {
    std::chrono::milliseconds elapsed{0};  // from the call until the first HTTP answer
    int status = 0;                        // the status of that answer
    int attempts = 0;
};

// Polls GET http://127.0.0.1:<port><path> until the proxy gives *any* HTTP answer (or, with want_status, that
// status: a proxy that reports itself ready only after its setup requests, e.g. better-ccflare). Any status counts,
// 5xx included: readiness means "the HTTP server is up", and a /health that reports 503 because the upstream
// models call failed is still a server we can replay against (the judge sees the real statuses later).
// Throws LaunchError at once if `child` exits meanwhile (with its exit code and log tail), or when the
// deadline passes (with the log tail).
ReadyResult wait_ready(int port, ChildProcess& child, const ReadyOptions& options);

struct SetupAnswer {
    int status = 0;    // 0: no HTTP answer (then `error` says why)
    std::string body;  // the first 4 KiB
    std::string error;
};

// Sends one request to http://127.0.0.1:<port><path> (a launched proxy's own API, e.g. better-ccflare's
// POST /api/accounts) with a deadline of `timeout` and returns what came. `body` empty: no body. Never throws
// for a transport error (see SetupAnswer::error); the caller decides what a wrong status means.
SetupAnswer send_setup_request(int port, const std::string& method, const std::string& path,
                               const std::map<std::string, std::string>& headers, const std::string& body,
                               std::chrono::milliseconds timeout);

}  // namespace routecheck::launch
