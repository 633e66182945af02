// MockUpstream: cpp-httplib server lifecycle, request dispatch to the protocol chain, journaling, faults
// and the /__routecheck/ control endpoints.
#include "mock_upstream/mock_upstream.hpp"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <sys/socket.h>

#include "http/headers.hpp"
#include "mock_upstream/faults.hpp"
#include "mock_upstream/journal.hpp"
#include "mock_upstream/protocol.hpp"
#include "mock_upstream/wire.hpp"

namespace routecheck::mock {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kControlPrefix = "/__routecheck/";
constexpr int kMaxWaitMs = 120000;

bool is_loopback(const std::string& host) { return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0; }

std::map<std::string, std::string> lower_headers(const httplib::Headers& h) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : h) {
        // cpp-httplib files the connection's addresses among the headers; the client never sent these.
        if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
        std::string key = k;
        for (char& c : key)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // header names are ASCII
        auto [it, inserted] = out.emplace(key, v);
        if (!inserted) it->second += ", " + v;
    }
    return out;
}

void json_answer(httplib::Response& res, int status, const json& j) {
    res.status = status;
    res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void bad_control(httplib::Response& res, const std::string& why) { json_answer(res, 400, {{"error", why}}); }

}  // namespace

struct MockUpstream::Impl {
    Options opts;
    httplib::Server svr;
    std::thread thread;
    int port = 0;
    Clock::time_point t0 = Clock::now();
    Journal journal{opts.journal_limit};  // opts is declared (so initialised) first
    FaultTable faults;
    std::vector<std::unique_ptr<Protocol>> chain;  // tried in order; the first that serves a path answers
    std::atomic<std::uint64_t> ids{0};
    std::atomic<bool> stopping{false};
    std::mutex stop_mu;
    std::condition_variable stop_cv;
    bool started = false, stopped = false;

    explicit Impl(Options o) : opts(std::move(o)) {
        if (!is_loopback(opts.host))
            throw std::invalid_argument("mock upstream binds loopback only; refusing host '" + opts.host + "'");
        if (opts.threads < 2) throw std::invalid_argument("threads must be >= 2");
        if (opts.record) chain.push_back(make_recorder());
        std::vector<std::string> names = opts.protocols;
        if (names.empty()) names.assign(std::begin(kProtocolNames), std::end(kProtocolNames));
        for (const std::string& n : names) chain.push_back(make_protocol(n, opts.openai_unprefixed));
    }

    // Sleeps up to ms; false when the server is stopping, so held streams and delays end promptly.
    bool pause(int ms) {
        std::unique_lock lock(stop_mu);
        return !stop_cv.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping.load(); });
    }

    void configure() {
        const int threads = opts.threads;
        svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
        // Without TCP_NODELAY small keep-alive answers wait ~40 ms for delayed ACKs (Nagle).
        svr.set_tcp_nodelay(true);
        // cpp-httplib's default also sets SO_REUSEPORT, which lets a second server bind a port already in use
        // and silently share its connections; keep only SO_REUSEADDR so "port in use" fails loudly.
        svr.set_socket_options([](socket_t sock) {
            int yes = 1;
            setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        });
        svr.set_keep_alive_max_count(100000);
        svr.set_keep_alive_timeout(opts.keep_alive_timeout_s);
        svr.set_read_timeout(30, 0);
        svr.set_write_timeout(30, 0);
        auto h = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
        svr.Get(".*", h);  // also serves HEAD
        svr.Delete(".*", h);
        svr.Options(".*", h);
        svr.Post(".*", h);
        svr.Put(".*", h);
        svr.Patch(".*", h);
        svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown error";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {}
            json_answer(res, 500, {{"error", "mock upstream internal error: " + what}});
        });
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        Incoming in;
        in.method = req.method;
        const std::size_t q = req.target.find('?');
        in.path = req.target.substr(0, q);
        in.query = q == std::string::npos ? "" : req.target.substr(q + 1);
        if (in.path.rfind(kControlPrefix, 0) == 0) return control(req, in.path, res);

        in.headers = lower_headers(req.headers);
        // Answer uncompressed whatever the client accepts: bodies on the wire stay byte-for-byte what the
        // protocol built, so cut/dribble faults and captures mean the same for every client. cpp-httplib picks
        // the encoding from the request when it writes the answer; the Request object it passes is its own
        // non-const local, so changing it here is well-defined. Its body is not read again after this
        // handler, so it moves (handlers never see req.body).
        auto& own = const_cast<httplib::Request&>(req);
        own.headers.erase("Accept-Encoding");
        in.body = std::move(own.body);
        in.json = json::parse(in.body, nullptr, false);
        if (in.json.is_discarded()) in.json = nullptr;
        in.seq = ++ids;

        JournalEntry e;
        e.t_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        e.method = in.method;
        e.path = in.path;
        e.query = in.query;
        e.target = req.target;
        e.origin = in.header(routecheck::kOriginHeader);
        e.correlation = in.header(routecheck::kStepHeader);

        // Per-request header first, then the scripted rules.
        Fault fault;
        std::string fault_error;
        if (const std::string spec = in.header(routecheck::kFaultHeader); !spec.empty()) {
            try {
                fault = Fault::parse(spec);
            } catch (const std::exception& ex) {
                fault_error = std::string("bad x-routecheck-fault header: ") + ex.what();
            }
        } else {
            fault = faults.take(req.target);
        }
        if (fault.kind == FaultKind::empty) in.empty_content = true;

        const Protocol* served_by = nullptr;
        std::optional<Reply> reply;
        for (const auto& p : chain)
            if ((reply = p->handle(in))) {
                served_by = p.get();
                break;
            }
        const Protocol& style_of = served_by ? *served_by : *chain.front();
        const ErrorStyle style = style_of.error_style_for(in);
        if (!fault_error.empty()) {
            reply = error_reply(style, 400, fault_error);
            fault = {};
            e.fault = "invalid";
        } else if (fault.kind == FaultKind::status) {
            reply = error_reply(style, fault.status, "routecheck fault: status " + std::to_string(fault.status));
            if (fault.status == 429) reply->headers.emplace_back("Retry-After", std::to_string(fault.retry_after_s));
        } else if (!reply) {
            reply = error_reply(style, 404, "no route for " + in.method + " " + in.path + " in the mock upstream");
        }
        if (fault.kind != FaultKind::none) e.fault = fault.kind_name();
        e.protocol = served_by ? served_by->name() : "";
        e.status = fault.kind == FaultKind::reset ? 0 : reply->status;
        // The protocols are done with the request: its headers and body move into the journal, not copied.
        e.headers = std::move(in.headers);
        e.body = std::move(in.body);
        const std::uint64_t seq = journal.add(std::move(e));

        if (fault.kind == FaultKind::reset) {
            reset_connection(req);
            res.status = 500;  // never reaches the client: the connection is already gone
            return;
        }
        if (fault.kind == FaultKind::delay && !pause(fault.delay_ms)) {
            res.status = 503;
            return;
        }
        write_reply(
            std::move(*reply), fault, res, [this](int ms) { return pause(ms); },
            [this, seq] { journal.note_sent(seq, steady_ms()); });
    }

    void control(const httplib::Request& req, const std::string& path, httplib::Response& res) {
        const std::string what = path.substr(std::char_traits<char>::length(kControlPrefix));
        const std::string& m = req.method;
        if (what == "health" && m == "GET") {
            json protocols = json::array();
            for (const auto& p : chain) protocols.push_back(p->name());
            return json_answer(res, 200,
                               {{"status", "ok"},
                                {"protocols", protocols},
                                {"record", opts.record},
                                {"journal", journal.size()},
                                {"journal_arrived", journal.arrived()},
                                {"journal_limit", opts.journal_limit}});
        }
        if (what == "journal" && m == "GET") {
            res.status = 200;
            return res.set_content(journal_to_json(journal.snapshot()), "application/json");
        }
        if (what == "journal" && m == "DELETE") return json_answer(res, 200, {{"cleared", journal.clear()}});
        if (what == "journal/wait" && m == "GET") return control_wait(req, res);
        if (what == "faults" && m == "GET") return json_answer(res, 200, faults_json());
        if (what == "faults" && m == "DELETE") {
            faults.clear();
            return json_answer(res, 200, faults_json());
        }
        if (what == "faults" && m == "POST") {
            json body = json::parse(req.body, nullptr, false);
            if (body.is_discarded()) return bad_control(res, "POST /__routecheck/faults needs a JSON body");
            try {
                std::vector<FaultRule> rules;
                for (const json& r : body.is_array() ? body : json::array({body}))
                    rules.push_back(fault_rule_from_json(r));
                for (FaultRule& r : rules) faults.add(std::move(r));
            } catch (const std::exception& ex) {
                return bad_control(res, std::string("bad fault rule: ") + ex.what());
            }
            return json_answer(res, 200, faults_json());
        }
        bad_control(res, "unknown control request " + m + " " + path +
                             "; known: GET health, GET|DELETE journal, GET journal/wait?n=N&timeout_ms=T, "
                             "GET|POST|DELETE faults (all under /__routecheck/)");
    }

    void control_wait(const httplib::Request& req, httplib::Response& res) {
        auto number = [&](const char* key, long long dflt, long long lo, long long hi, long long& out) -> bool {
            if (!req.has_param(key)) {
                if (dflt < 0)
                    return bad_control(res, std::string("journal/wait needs query parameter '") + key + "'"), false;
                out = dflt;
                return true;
            }
            const std::string v = req.get_param_value(key);
            char* end = nullptr;
            errno = 0;
            out = std::strtoll(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || errno != 0 || out < lo || out > hi)
                return bad_control(res, std::string("'") + key + "' must be an integer in [" + std::to_string(lo) +
                                            ", " + std::to_string(hi) + "], got '" + v + "'"),
                       false;
            return true;
        };
        long long n = 0, timeout = 0;
        if (!number("n", -1, 0, 1000000000, n) || !number("timeout_ms", 5000, 0, kMaxWaitMs, timeout)) return;
        const bool reached = journal.wait_for(static_cast<std::size_t>(n), std::chrono::milliseconds(timeout));
        json_answer(res, reached ? 200 : 408, {{"reached", reached}, {"count", journal.arrived()}, {"n", n}});
    }

    json faults_json() const {
        json arr = json::array();
        for (const FaultRule& r : faults.rules()) arr.push_back(fault_rule_to_json(r));
        return {{"faults", arr}};
    }
};

MockUpstream::MockUpstream(Options o) : impl_(std::make_unique<Impl>(std::move(o))) {}

MockUpstream::~MockUpstream() { stop(); }

void MockUpstream::start() {
    Impl& m = *impl_;
    if (m.started) throw std::logic_error("MockUpstream::start called twice");
    m.configure();
    errno = 0;
    int port = m.opts.port == 0 ? m.svr.bind_to_any_port(m.opts.host)
                                : (m.svr.bind_to_port(m.opts.host, m.opts.port) ? m.opts.port : -1);
    if (port <= 0) {
        const int err = errno;
        throw std::runtime_error("mock upstream cannot listen on " + m.opts.host + ":" + std::to_string(m.opts.port) +
                                 (err ? std::string(": ") + std::strerror(err) : std::string(" (port in use?)")));
    }
    m.port = port;
    m.t0 = Clock::now();
    m.started = true;
    m.thread = std::thread([&m] { m.svr.listen_after_bind(); });
    // The socket already queues connections; wait for the accept loop so start() means "answering".
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!m.svr.is_running()) {
        if (Clock::now() > deadline) {
            stop();
            throw std::runtime_error("mock upstream accept loop did not start within 10 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void MockUpstream::stop() {
    Impl& m = *impl_;
    if (!m.started || m.stopped) return;
    m.stopped = true;
    {
        std::lock_guard lock(m.stop_mu);
        m.stopping = true;
    }
    m.stop_cv.notify_all();
    m.svr.stop();
    if (m.thread.joinable()) m.thread.join();
}

int MockUpstream::port() const { return impl_->port; }
std::string MockUpstream::url() const {
    const std::string& h = impl_->opts.host;
    return "http://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(impl_->port);
}
std::vector<JournalEntry> MockUpstream::journal() const { return impl_->journal.snapshot(); }
void MockUpstream::clear() { impl_->journal.clear(); }
bool MockUpstream::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    return impl_->journal.wait_for(n, timeout);
}
void MockUpstream::add_fault(FaultRule rule) { impl_->faults.add(std::move(rule)); }
void MockUpstream::clear_faults() { impl_->faults.clear(); }
std::vector<FaultRule> MockUpstream::faults() const { return impl_->faults.rules(); }

}  // namespace routecheck::mock
