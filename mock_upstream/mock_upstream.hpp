// Mock upstream for routecheck: a local HTTP server that plays the AI APIs the proxies under test call
// (Cloud Code v1internal, OpenAI, Anthropic, Gemini, GitHub Copilot), journals every request it receives,
// and can inject scripted faults. In record mode it stands in for a proxy instead and answers every
// client-facing protocol by path suffix, so a real client sends the same sequence at every Base URL.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace routecheck::mock {

struct JournalEntry {
    std::uint64_t seq = 0;
    double t_ms = 0;                             // ms since server start
    std::string method, path, query, target;     // raw (not percent-decoded); target = path + ("?" + query if any)
    std::map<std::string, std::string> headers;  // names lower-cased; repeated headers joined with ", "
    std::string body;
    std::string origin;       // value of x-routecheck-origin, "" if none
    std::string correlation;  // value of x-routecheck-step, "" if none
    int status = 0;           // what the mock answered (0 for a connection reset)
    std::string protocol;     // handler that answered ("cloudcode", "openai", ...; "" for unknown path)
    std::string fault;        // fault kind applied to this request, "" if none
    // When each frame of a streamed answer was written whole to the client (the proxy): milliseconds of
    // std::chrono::steady_clock (CLOCK_MONOTONIC), the clock every process of this machine shares, so a harness
    // can compare them with when its own client received each event. Empty for answers that are not streamed.
    std::vector<double> sent_at_ms;
};

// steady_clock now, in the milliseconds JournalEntry::sent_at_ms uses.
double steady_ms();

// Every supported protocol name, in the order `mock-upstream --help` lists them.
inline constexpr std::string_view kProtocolNames[] = {"cloudcode", "openai", "anthropic", "gemini", "copilot"};

struct Options {
    std::string host = "127.0.0.1";      // must be a loopback address: the mock is never reachable from outside
    int port = 0;                        // 0 = the OS picks a free port
    std::vector<std::string> protocols;  // empty = all; order decides who answers a path two could claim
    bool record = false;                 // answer client-facing protocols by path suffix (see README in --help)
    bool openai_unprefixed = false;      // also serve the openai protocol without its /v1 prefix
    int threads = 64;                    // worker threads; each open connection (incl. held streams) holds one
    int keep_alive_timeout_s = 2;        // idle keep-alive connections close after this; bounds stop() latency
    std::size_t journal_limit = 0;       // keep only the newest N journal entries (0 = all); bounds memory
};

enum class FaultKind {
    none,
    status,   // answer `status` with a body in the protocol's error shape (429 adds Retry-After)
    delay,    // wait `delay_ms` before sending headers, then answer normally
    cut,      // stream: send `after` events then drop the connection; JSON: send half the body then drop
    reset,    // reset the TCP connection (RST) without sending anything
    empty,    // a normal 200 answer that carries zero content tokens
    dribble,  // send the answer in pieces of `bytes` bytes with `delay_ms` between them
};

struct Fault {
    FaultKind kind = FaultKind::none;
    int status = 500;
    int retry_after_s = 1;
    int delay_ms = 0;  // delay: default 1000; dribble: default 50
    int after = 1;     // cut: events (streams) to send before the cut
    int bytes = 8;     // dribble: piece size
    // Parses "<kind>[;param=value...]" as carried by the x-routecheck-fault header, e.g.
    // "status;code=429;retry_after=2", "delay;ms=300", "cut;after=2", "dribble;ms=20;bytes=4", or a
    // bare status code "503". Throws std::invalid_argument naming what is wrong.
    static Fault parse(std::string_view spec);
    static Fault of_kind(std::string_view word);                   // a kind with its default parameters
    void set_param(std::string_view key, std::string_view value);  // code, retry_after, ms, after, bytes
    std::string kind_name() const;                                 // "status:429", "delay", ... (as journaled)
};

struct FaultRule {
    std::string match = "*";  // substring of the request target, or "*" for every request
    Fault fault;
    int count = -1;  // how many matching requests it applies to; -1 = until cleared
};

std::string to_string(FaultKind);

class MockUpstream {
public:
    explicit MockUpstream(Options);
    MockUpstream(const MockUpstream&) = delete;
    MockUpstream& operator=(const MockUpstream&) = delete;
    ~MockUpstream();

    void start();  // binds, starts the accept thread, returns once it accepts; throws std::runtime_error
    void stop();   // idempotent; waits for in-flight requests (streams and delays are interrupted)
    int port() const;
    std::string url() const;  // "http://127.0.0.1:N"

    std::vector<JournalEntry> journal() const;  // snapshot
    void clear();
    // True once n requests were journaled since the last clear (counting any the journal limit dropped).
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

    void add_fault(FaultRule rule);  // rules are tried in the order added; the first that matches applies
    void clear_faults();
    std::vector<FaultRule> faults() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// JSON form of a journal entry, as served by GET /__routecheck/journal (object with the fields above).
std::string journal_to_json(const std::vector<JournalEntry>& entries);

}  // namespace routecheck::mock
