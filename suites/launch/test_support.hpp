// Shared helpers for the launch tests: paths, node detection, and a small HTTP stub upstream.
#pragma once
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "launch/process.hpp"

namespace routecheck::launch::test {

inline std::filesystem::path repo_root() { return ROUTECHECK_REPO_ROOT; }
inline std::filesystem::path data_dir() { return ROUTECHECK_LAUNCH_TEST_DATA; }
inline std::filesystem::path preload_path() { return repo_root() / "harness/launch/preload.cjs"; }

inline bool have_node() {
    ProcessSpec spec{{"node", "--version"}, minimal_environment(), {}, {}};
    try {
        ChildProcess p(spec);
        p.wait_exit(std::chrono::seconds(10));
        return p.exit_code() == 0;
    } catch (const LaunchError&) {
        return false;
    }
}

struct SeenRequest {
    std::string method, target;
    httplib::Headers headers;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

// An httplib server on 127.0.0.1 that records every request and answers with `handler`.
class StubUpstream {
public:
    using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
    explicit StubUpstream(Handler handler) : handler_(std::move(handler)) {
        auto record = [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(mutex_);
                std::string target = req.path;
                if (!req.params.empty()) {
                    std::string q;
                    for (const auto& [k, v] : req.params) q += (q.empty() ? "" : "&") + k + (v.empty() ? "" : "=" + v);
                    target += "?" + q;
                }
                seen_.push_back({req.method, target, req.headers});
            }
            handler_(req, res);
        };
        server_.Get(".*", record);
        server_.Post(".*", record);
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // bind_to_any_port already listens: connections queue in the backlog until the thread accepts.
    }
    ~StubUpstream() {
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<SeenRequest> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    Handler handler_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<SeenRequest> seen_;
};

}  // namespace routecheck::launch::test
