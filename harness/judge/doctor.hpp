// What `routecheck doctor` judges beyond judge_cell: which probe answers count as evidence, the cell of a client
// whose steps were not sent, and which client profiles explain a request line seen in a proxy's log. The command
// (cli/doctor.cpp, cli/seen.cpp) parses arguments and prints; every judgment it shows comes from here or judge_cell.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "http/client.hpp"
#include "judge/judge.hpp"
#include "model/fixtures.hpp"

namespace routecheck {

// A path no proxy routes: what a server answers there is its answer to anything (drop_uninformative_probes).
inline constexpr const char* kDoctorControlPath = "/routecheck-no-such-route-7d1c";

// One request with doctor's short deadlines (5 s in all, 1.5 s to connect; at most 300 body bytes kept). A
// transport failure comes back as status 0 with its error, never as an exception.
HttpResponse send_once(const std::string& method, const std::string& url,
                       std::vector<std::pair<std::string, std::string>> headers, const std::string& body);

// A probe's answer (evidence "probe", an empty-body request) says something only when a path that is surely no
// route (kDoctorControlPath at `origin`) gets another one: a server that answers 400 (or 200) to any POST tells
// nothing by answering it to ours. 401, 403 and 404 always say something. Probes that cannot tell are marked
// skipped with the reason. Sends one control request per method to `origin` ("http://127.0.0.1:PORT").
void drop_uninformative_probes(CellObservation& cell, const ClientProfile& client, const std::string& origin);

// The "typed" cell of `client` at `base` with every step skipped for `why` (doctor without --target: nothing sent).
// Throws std::invalid_argument for a Base URL parse_base_url refuses.
CellObservation unsent_cell(const ProxyProfile& proxy, const ClientProfile& client, const std::string& base,
                            const std::string& why);

// Prefixes worth probing for this Base URL: every leading part of its path before an endpoint word ("/zen",
// "/openai/v1" -> "/openai", "/openai/v1"); the probe adds /v1 and /v1beta to each. Throws like parse_base_url.
std::vector<std::string> typed_prefixes(const std::string& base);

// One client profile whose join builds a seen request path, and that one step judged as a cell.
struct SeenExplanation {
    const ClientProfile* client = nullptr;
    std::string step;      // the step's id
    std::string base_url;  // origin + the Base URL path the client must have been given
    CellResult result;
};

// Every client profile (its first step with the method) whose join turns some Base URL at `origin` into `path`,
// each judged against `proxy` as a one-step cell with the status seen (404 when `status` is 0). A model name in a
// segment may differ ("gemini-2.5-flash:generateContent" matches "x:generateContent"). Empty: no client builds it.
std::vector<SeenExplanation> explain_seen(const Fixtures& fixtures, const ProxyProfile& proxy,
                                          const std::string& method, const std::string& target, int status,
                                          const std::string& origin);

// For a path no client builds: "no known client builds this path", plus what its shape alone says when it says
// something (a doubled version prefix, a missing version).
std::string unexplained_note(const std::string& path);

}  // namespace routecheck
