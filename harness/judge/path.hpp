// The path first: what a step's final path says about the Base URL the user typed, before any status is read.
//
// A client builds its final path as (Base URL path) + (what it appends: the step's endpoint). routecheck knows both
// parts, so it can tell a misjoin by its shape (a version segment twice, an endpoint inside the Base URL) and, from
// the proxy's route table, at which Base URL paths the same step would land on a route. Those are the "bases";
// the one closest to what the user typed is the fix, so a proxy mounted under /api gets fixes under /api.
// Facts: the join rules are checked against every recording of every client (suites/unit/recordings_test.cpp);
// the shapes are the troubleshooting document's checkpoint table (/v1/v1/..., /v1/chat/completions/responses).
#pragma once
#include <string>
#include <vector>

#include "judge/classify.hpp"
#include "model/fixtures.hpp"

namespace routecheck {

struct PathVerdict {
    // Ok: nothing is wrong with the path (it is a route, or nothing speaks against it); otherwise one of
    // DuplicatePrefix, MissingVersion, EndpointInBase, WrongProtocol, NoRoute.
    Diagnosis shape = Diagnosis::Ok;
    bool on_route = false;  // the final path (and method) is a route of the proxy's table, pass-throughs included
    std::string path;       // the final path, without the query
    std::string reason;     // for a misjoin: what is wrong, naming the segments; "" when Ok
    // Base URL paths (as the user would type them after host:port) at which this step lands on a route that is
    // not a pass-through catch-all, best first for this user's Base URL. Empty when the proxy has no such route.
    std::vector<std::string> bases;
    std::vector<std::string> other_bases;  // pass-through bases besides exact ones (another way in, e.g. /gemini/**)
    // When only a pass-through route takes the path and the part it forwards lacks a version (/chat/completions
    // through "/**"): the Base URL that adds it, and why. A 404 from the far side then means MissingVersion.
    std::string unversioned_fix;
    std::string unversioned_reason;
    // When the final path has an empty segment ("//v1beta/...": a Base URL typed with a trailing '/' under a join
    // that keeps it, or a "//" typed in it) and the route table names the path only without it: the Base URL without
    // the empty segment, and why. Routers differ on "//" (LiteLLM, CLIProxyAPI, claude-code-router 3 and portkey
    // answered 404 there in the matrix), so only a 404 makes it the verdict.
    std::string empty_segment_fix;
    std::string empty_segment_reason;
    // For a misjoin whose repair the route table cannot name (no route known, or none serves the call): the Base URL
    // path the shape alone gives (the typed path without its trailing version, or cut before the endpoint).
    std::string shape_fix;
};

// `base_url` is the Base URL as typed (rendered, http://host:port/path); `step` one step of `client`.
PathVerdict judge_path(const ClientProfile& client, const Step& step, const std::string& base_url,
                       const ProxyProfile& proxy);

// Orders `bases` by closeness to the typed Base URL path: most leading segments in common first, then shorter, then
// (between /v1 and /v1beta under one prefix) the version the client's protocol uses (`family`: "gemini" -> v1beta).
std::vector<std::string> rank_bases(std::vector<std::string> bases, const std::string& typed_path,
                                    const std::string& family = "");

// "scheme://host[:port]" of a Base URL as typed (BaseUrl::origin: the typed scheme, https too, and the port only
// when one was typed), so a fix Base URL starts the way the user's did.
std::string base_origin(const std::string& base_url);

// The Base URL a user types for base path `path` under the origin of `base_url`, in the form the client's join
// rule wants (the resolve rule needs a trailing '/').
std::string base_url_at(const ClientProfile& client, const std::string& base_url, const std::string& path);

// The protocol families a proxy serves: its capabilities plus the families of its routes' paths.
std::vector<std::string> served_families(const ProxyProfile& proxy);

// What the proxy serves of the API families, in words: "the OpenAI API", "the OpenAI and Anthropic APIs"; "" when
// its route table names none.
std::string served_apis_words(const ProxyProfile& proxy);

// The proxy's routes of `family` ("openai", ...) that take a request body (POST), as "POST /v1/chat/completions"
// lines in profile order, at most `max`: the calls of that family a client can make there. Pass-through (**) and
// fallback routes are left out.
std::vector<std::string> served_calls(const ProxyProfile& proxy, const std::string& family, std::size_t max);

// The shape of a final path alone, when the Base URL and the endpoint are not known apart (a line of a proxy's
// access log): DuplicatePrefix (/v1/v1/...), EndpointInBase (/v1/chat/completions/responses), MissingVersion
// (/chat/completions), or Ok.
Diagnosis path_shape(const std::string& path);

// True for a version segment: v1, v2, v1beta, v1alpha2, ...
bool is_version_segment(const std::string& segment);

}  // namespace routecheck
