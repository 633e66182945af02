// mock-upstream: the MockUpstream as a process, for scripts and for recording real clients.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <malloc.h>

#include "mock_upstream/mock_upstream.hpp"
#include "mock_upstream/standin.hpp"
#include "text/file_write.hpp"

namespace {

constexpr const char* kHelp = R"(usage: mock-upstream [options]

Serves mock AI APIs on a loopback address, journals every request, injects faults on request.

Options:
  --port N               port to listen on; 0 (default) lets the OS pick one
  --host H               loopback address to bind (default 127.0.0.1; non-loopback is refused)
  --port-file F          write the chosen port to F (atomically, once the server accepts)
  --protocols LIST       comma-separated upstream protocols (default: all), tried in this order:
                           cloudcode  Google Cloud Code v1internal (POST /v1internal:generateContent,
                                      :streamGenerateContent?alt=sse, :fetchAvailableModels, :loadCodeAssist,
                                      :onboardUser, :countTokens), Google OAuth POST /token,
                                      GET /oauth2/v1|v2|v3/userinfo
                           openai     /v1/chat/completions (JSON, or SSE ending "data: [DONE]" when
                                      "stream":true), /v1/responses (JSON or SSE through response.completed),
                                      /v1/completions, /v1/embeddings, GET /v1/models, GET /v1/models/<id>
                           anthropic  POST /v1/messages (JSON or SSE message_start..message_stop),
                                      /v1/messages/count_tokens, GET /v1/models[/<id>]
                           gemini     /v1beta|v1|v1alpha/models/<m>:generateContent, :streamGenerateContent
                                      (alt=sse for SSE, else a streamed JSON array), :countTokens,
                                      GET /v1beta/models[/<m>]
                           copilot    GET /copilot_internal/v2/token, GET /copilot_internal/user, GET /user,
                                      GET /models, POST /chat/completions, POST /embeddings
  --openai-unprefixed    also serve the openai protocol without the /v1 prefix
  --record               stand in for a proxy: answer client-facing routes by path suffix whatever precedes it
                         (.../chat/completions, .../responses, .../completions, .../embeddings,
                         .../messages, .../messages/count_tokens, .../models, .../models/<id>,
                         .../models/<m>:generateContent|streamGenerateContent|countTokens); GET .../models
                         answers Gemini's shape when the request looks like Gemini (x-goog-api-key,
                         x-goog-api-client, key= query, /v1beta or /v1alpha in the path), else a list that
                         both OpenAI and Anthropic SDKs accept; a websocket attempt on .../responses gets 404
  --threads N            worker threads (default 64); each open connection, held stream or delay uses one
  --keep-alive-timeout S idle keep-alive connections close after S seconds (default 2)
  --journal-limit N      keep only the newest N journal entries (default 0: keep all); journal/wait still
                         counts every request since the last clear
  --journal-out F        on exit, write the journal (JSON array) to F
  --standin FILE         play a proxy instead, from the "proxy" section of a verdict-corpus case file
                         (fixtures/cases/<id>.json, see docs/cases.md): its routes, unknown-path answer, key
                         headers and auth order; no mock protocols, no journal endpoints
  --help                 this text

Unknown paths get 404 in the error shape of the protocol family (Google: {"error":{"code","message","status"}},
OpenAI: {"error":{"message","type","param","code"}}, Anthropic: {"type":"error","error":{"type","message"}}).

Correlation: x-routecheck-step and x-routecheck-origin request headers are journaled as "correlation" and
"origin".

Control endpoints (never journaled; a bad control request gets 400 saying what is wrong):
  GET    /__routecheck/health                      {"status":"ok","protocols":[...],"record":b,"journal":held,
                                                   "journal_arrived":since the last clear,"journal_limit":N}
  GET    /__routecheck/journal                     JSON array of entries: seq, t_ms, method, path, query,
                                                   target, headers (lower-cased), body, origin, correlation,
                                                   status, protocol, fault, sent_at_ms (when each frame of a
                                                   streamed answer went out: steady-clock ms, the clock every
                                                   process of the machine shares)
  DELETE /__routecheck/journal                     clears it
  GET    /__routecheck/journal/wait?n=N&timeout_ms=T   200 once >= N requests arrived since the last clear,
                                                   408 at the deadline (T <= 120000, default 5000)
  POST   /__routecheck/faults                      add rule(s): {"match":"<target substring or *>",
                                                   "kind":"<kind>", "count":N, <params>} or an array of them
  GET    /__routecheck/faults, DELETE /__routecheck/faults

Faults, per request with header "x-routecheck-fault: <kind>[;param=value...]" (takes precedence), or scripted:
  status   code=N (default 500), retry_after=S for 429    error answer in the protocol's shape ("429" alone
                                                          is short for status;code=429)
  delay    ms=N (default 1000)                           wait before the headers, then answer normally
  cut      after=N (default 1)                           SSE: N events then the connection drops; JSON:
                                                          half the body then the connection drops
  reset    -                                             TCP reset, nothing sent
  empty    -                                             normal 200 answer with zero content tokens
  dribble  ms=N (default 50), bytes=N (default 8)        answer sent in N-byte pieces, ms apart

The process prints its URL on stdout and exits 0 on SIGTERM or SIGINT.
)";

[[noreturn]] void usage_error(const std::string& msg) {
    std::cerr << "mock-upstream: " << msg << " (see --help)\n";
    std::exit(2);
}

int to_int(const std::string& flag, const std::string& v, int lo, int hi) {
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < lo || n > hi)
        usage_error(flag + " needs an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + v +
                    "'");
    return static_cast<int>(n);
}

// Readers poll for the file: the rename makes it appear complete or not at all.
void write_atomically(const std::string& path, const std::string& text) { routecheck::replace_file(path, text); }

}  // namespace

int main(int argc, char** argv) {
    routecheck::mock::Options opts;
    std::string port_file, journal_out, standin;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::cout << kHelp;
            return 0;
        } else if (a == "--port") opts.port = to_int(a, value(), 0, 65535);
        else if (a == "--host") opts.host = value();
        else if (a == "--port-file") port_file = value();
        else if (a == "--protocols") {
            std::stringstream ss(value());
            for (std::string p; std::getline(ss, p, ',');)
                if (!p.empty()) opts.protocols.push_back(p);
        } else if (a == "--openai-unprefixed") opts.openai_unprefixed = true;
        else if (a == "--record") opts.record = true;
        else if (a == "--threads") opts.threads = to_int(a, value(), 2, 4096);
        else if (a == "--keep-alive-timeout") opts.keep_alive_timeout_s = to_int(a, value(), 1, 3600);
        else if (a == "--journal-limit")
            opts.journal_limit = static_cast<std::size_t>(to_int(a, value(), 0, 1000000000));
        else if (a == "--journal-out") journal_out = value();
        else if (a == "--standin") standin = value();
        else usage_error("unknown argument '" + a + "'");
    }

#ifndef ROUTECHECK_MOCK_JEMALLOC
    // Built without jemalloc: cpp-httplib allocates a 4 KB read buffer per request, and with glibc's fastbins
    // on, every such allocation first consolidates all freed small chunks (about 5 % of the mock's CPU under
    // load). Small blocks are still served from the per-thread caches.
    mallopt(M_MXFAST, 0);
#endif

    // Block the stop signals in every thread (workers inherit the mask) and take them with sigwait below.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-stream must not kill the mock

    if (!standin.empty()) {
        try {
            std::ifstream in(standin);
            if (!in) usage_error("--standin: cannot read '" + standin + "'");
            nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
            if (doc.is_discarded() || !doc.is_object() || !doc.contains("proxy"))
                usage_error("--standin: '" + standin + "' is not a case file with a \"proxy\" object");
            routecheck::mock::StandIn server(doc["proxy"], opts.host, opts.port);
            server.start();
            if (!port_file.empty()) write_atomically(port_file, std::to_string(server.port()) + "\n");
            std::cout << server.url() << std::endl;
            int sig = 0;
            sigwait(&stop_signals, &sig);
            server.stop();
        } catch (const std::invalid_argument& e) {
            usage_error("--standin " + standin + ": " + e.what());
        } catch (const std::exception& e) {
            std::cerr << "mock-upstream: " << e.what() << "\n";
            return 1;
        }
        return 0;
    }

    try {
        routecheck::mock::MockUpstream mock(opts);
        mock.start();
        if (!port_file.empty()) write_atomically(port_file, std::to_string(mock.port()) + "\n");
        std::cout << mock.url() << std::endl;
        int sig = 0;
        sigwait(&stop_signals, &sig);
        mock.stop();
        if (!journal_out.empty())
            write_atomically(journal_out, routecheck::mock::journal_to_json(mock.journal()) + "\n");
    } catch (const std::exception& e) {
        std::cerr << "mock-upstream: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
