// StandIn: route table, auth and unknown-path answers from a case file, on a cpp-httplib server.
#include "mock_upstream/standin.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "http/route_path.hpp"

namespace routecheck::mock {

namespace {

using json = nlohmann::json;

struct Answer {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

struct RouteRule {
    std::string method, path;
    Answer answer;
};

Answer answer_of(const json& j, Answer fallback, const std::string& where) {
    if (j.is_null()) return fallback;
    if (!j.is_object()) throw std::invalid_argument(where + ": expected an object");
    Answer a = fallback;
    if (j.contains("status")) {
        if (!j["status"].is_number_integer() || j["status"].get<int>() < 100 || j["status"].get<int>() > 599)
            throw std::invalid_argument(where + "/status: expected an HTTP status");
        a.status = j["status"].get<int>();
    }
    if (j.contains("content_type")) a.content_type = j["content_type"].get<std::string>();
    // A body written as a JSON value is JSON on the wire unless the case says otherwise: the unknown-path and
    // wrong-method answers have no content type of their own (a string body goes out as text/plain).
    else if (a.content_type.empty() && j.contains("body") && !j["body"].is_string())
        a.content_type = "application/json";
    if (j.contains("body")) a.body = j["body"].is_string() ? j["body"].get<std::string>() : j["body"].dump();
    return a;
}

bool pass_through(const std::string& p) { return p.size() >= 3 && p.compare(p.size() - 3, 3, "/**") == 0; }

}  // namespace

struct StandIn::Impl {
    std::string host;
    int port = 0;
    std::vector<RouteRule> routes;  // exact routes first, then pass-throughs, each in file order
    std::string health;
    Answer unknown{404, "", ""};
    Answer wrong_method{405, "", ""};
    std::optional<Answer> options;  // a CORS layer in front: every OPTIONS request gets this, before auth and routing
    bool auth = false;
    std::string key;
    std::vector<std::string> carriers;
    bool before_routing = false;
    std::vector<std::string> exempt;
    Answer missing{401, "application/json", R"({"error":{"message":"missing API key","type":"authentication_error"}})"};
    Answer wrong{401, "application/json", R"({"error":{"message":"invalid API key","type":"authentication_error"}})"};
    httplib::Server svr;
    std::thread thread;
    bool started = false;
    std::atomic<bool> stopping{false};
    mutable std::mutex mu;
    std::vector<std::string> seen;

    // The key the request carries in a header (or query) the stand-in reads: {carrier, value}; {"", ""} if none.
    std::pair<std::string, std::string> key_of(const httplib::Request& req) const {
        for (const auto& c : carriers) {
            if (c == "query-key") {
                if (req.has_param("key")) return {c, req.get_param_value("key")};
                continue;
            }
            if (!req.has_header(c)) continue;
            std::string v = req.get_header_value(c);
            if (c == "authorization" && v.rfind("Bearer ", 0) == 0) v = v.substr(7);
            return {c, v};
        }
        return {"", ""};
    }

    void send(httplib::Response& res, const Answer& a) {
        res.status = a.status;
        if (a.status == 101) {
            // A websocket upgrade: like a real server, keep the connection open and send nothing (the client's timeout
            // ends it: the replay reads that as an upgrade that worked). Held for at most 10 s, or until stop().
            res.set_header("Upgrade", "websocket");
            res.set_header("Connection", "Upgrade");
            res.set_chunked_content_provider("application/octet-stream", [this](std::size_t, httplib::DataSink& sink) {
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while (!stopping && sink.is_writable() && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                return false;
            });
            return;
        }
        if (!a.body.empty() || !a.content_type.empty())
            res.set_content(a.body, a.content_type.empty() ? "text/plain" : a.content_type);
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        const std::string path = req.path;
        {
            std::string line = req.method + " " + req.target;
            for (const char* h : {"authorization", "x-api-key", "x-goog-api-key"})
                if (req.has_header(h)) line += std::string(" key=") + h;
            std::lock_guard lock(mu);
            seen.push_back(line);
        }
        if (options && req.method == "OPTIONS") return send(res, *options);
        const RouteRule* route = nullptr;
        bool path_known = false;
        for (const auto& r : routes) {
            if (!route_path_matches(r.path, path)) continue;
            path_known = true;
            if (r.method == "*" || r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
                route = &r;
                break;
            }
        }
        bool is_health = !health.empty() && path == health && req.method == "GET" && !route;
        if (auth && !is_health) {
            bool exempted = false;
            for (const auto& e : exempt) exempted = exempted || route_path_matches(e, path);
            if (!exempted && (before_routing || route)) {
                auto [carrier, value] = key_of(req);
                if (carrier.empty()) return send(res, missing);
                if (value != key) return send(res, wrong);
            }
        }
        if (is_health) return send(res, Answer{200, "application/json", R"({"status":"ok"})"});
        if (route) return send(res, route->answer);
        send(res, path_known ? wrong_method : unknown);
    }
};

StandIn::StandIn(const json& proxy, std::string host, int port) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    if (host != "127.0.0.1" && host != "localhost" && host != "::1")
        throw std::invalid_argument("the stand-in binds loopback addresses only, not '" + host + "'");
    m.host = std::move(host);
    m.port = port;
    if (!proxy.is_object()) throw std::invalid_argument("/proxy: expected an object");
    const json routes = proxy.value("routes", json::array());
    if (!routes.is_array()) throw std::invalid_argument("/proxy/routes: expected an array");
    std::vector<RouteRule> exact, through;
    for (std::size_t i = 0; i < routes.size(); ++i) {
        const std::string where = "/proxy/routes/" + std::to_string(i);
        const json& r = routes[i];
        if (!r.is_object() || !r.contains("path") || !r["path"].is_string())
            throw std::invalid_argument(where + "/path: expected a string");
        RouteRule rule{r.value("method", "*"), r["path"].get<std::string>(),
                       answer_of(r, Answer{200, "application/json", R"({"id":"standin","object":"standin"})"}, where)};
        (pass_through(rule.path) ? through : exact).push_back(std::move(rule));
    }
    m.routes = exact;
    m.routes.insert(m.routes.end(), through.begin(), through.end());
    m.health = proxy.value("health", "");
    m.unknown = answer_of(proxy.value("unknown", json()), m.unknown, "/proxy/unknown");
    m.wrong_method = answer_of(proxy.value("wrong_method", json()), m.wrong_method, "/proxy/wrong_method");
    if (proxy.contains("options") && !proxy["options"].is_null())
        m.options = answer_of(proxy["options"], Answer{200, "", ""}, "/proxy/options");
    if (proxy.contains("auth") && !proxy["auth"].is_null()) {
        const json& a = proxy["auth"];
        if (!a.is_object() || !a.contains("key") || !a["key"].is_string())
            throw std::invalid_argument("/proxy/auth/key: expected a string");
        m.auth = true;
        m.key = a["key"].get<std::string>();
        m.carriers = a.value("carriers", std::vector<std::string>{"authorization", "x-api-key"});
        m.before_routing = a.value("before_routing", false);
        m.exempt = a.value("exempt", std::vector<std::string>{});
        m.missing = answer_of(a.value("missing", json()), m.missing, "/proxy/auth/missing");
        m.wrong = answer_of(a.value("wrong", json()), m.wrong, "/proxy/auth/wrong");
    }
    m.svr.set_tcp_nodelay(true);  // without it every small answer waits ~40 ms for a delayed ACK
    m.svr.set_keep_alive_timeout(1);
    m.svr.set_read_timeout(10, 0);
    m.svr.set_write_timeout(10, 0);
    // Handlers, not a pre-routing hook: cpp-httplib reads a request's body only before it calls a handler, and a body
    // left unread on a keep-alive connection would be parsed as the next request (400 / 414 for what follows).
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { impl_->handle(req, res); };
    m.svr.Get(".*", handler);
    m.svr.Post(".*", handler);
    m.svr.Put(".*", handler);
    m.svr.Patch(".*", handler);
    m.svr.Delete(".*", handler);
    m.svr.Options(".*", handler);
}

StandIn::~StandIn() { stop(); }

void StandIn::start() {
    Impl& m = *impl_;
    int port = m.port == 0 ? m.svr.bind_to_any_port(m.host) : (m.svr.bind_to_port(m.host, m.port) ? m.port : -1);
    if (port <= 0) throw std::runtime_error("stand-in cannot listen on " + m.host + ":" + std::to_string(m.port));
    m.port = port;
    m.started = true;
    m.thread = std::thread([&m] { m.svr.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!m.svr.is_running()) {
        if (std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("stand-in accept loop did not start within 10 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void StandIn::stop() {
    Impl& m = *impl_;
    if (!m.started) return;
    m.started = false;
    m.stopping = true;  // releases held websocket connections, so the server's workers can end
    m.svr.stop();
    if (m.thread.joinable()) m.thread.join();
}

int StandIn::port() const { return impl_->port; }
std::string StandIn::url() const {
    const std::string& h = impl_->host;
    return "http://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(impl_->port);
}
std::vector<std::string> StandIn::requests() const {
    std::lock_guard lock(impl_->mu);
    return impl_->seen;
}

}  // namespace routecheck::mock
