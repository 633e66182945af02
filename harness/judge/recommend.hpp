// The Base URL a client should use with a proxy: the first candidate variant at which every step of the
// profile lands on a route of the proxy's table. Replay confirms it where the proxy is launched.
#pragma once
#include <string>
#include <vector>

#include "model/fixtures.hpp"

namespace routecheck {

struct Recommendation {
    std::string client, proxy;
    bool found = false;
    std::string variant;                    // variant id, when found
    std::string base_url;                   // template with {port}, when found
    std::string note;                       // why none works, and what would
    std::vector<std::string> alternatives;  // other modes of the same client family that do work: "id at base"
    // When the routes land but the proxy will not read the key where this client sends it (the proxy takes its
    // key from other headers): a 401 that no Base URL fixes. "" otherwise.
    std::string caveat;
};

// The caveat above, from the proxy's key carriers and the header the client carries its key in.
std::string auth_caveat(const ClientProfile& client, const ProxyProfile& proxy);

// Variants tried in this order (the ones people type first). For a client of the OpenAI family ("openai",
// "openai-responses") "v1" comes before "root": OpenAI SDKs and Codex document their Base URL with /v1, and
// proxies that also serve the unversioned paths (Antigravity Tools' /responses) tell their users to type /v1.
std::vector<const Variant*> candidate_variants(const std::vector<Variant>& variants,
                                               const ClientProfile* client = nullptr);

// Essential steps of `client` at `base_url` whose path is not right for `proxy` (judge/path.hpp): a misjoin, or
// no route of its table. Optional steps (a model listing, count_tokens, a websocket attempt) do not count.
std::vector<std::string> unrouted_steps(const ClientProfile& client, const ProxyProfile& proxy,
                                        const std::string& base_url);

Recommendation recommend(const ClientProfile& client, const ProxyProfile& proxy, const Fixtures& fixtures);

// The recommendation's alternatives ("id at http://127.0.0.1:{port}/v1") moved to the origin of `base_url`, the
// Base URL a user typed ("id at http://localhost:8045/v1").
std::vector<std::string> alternatives_at(const Recommendation& rec, const std::string& base_url);

// "kilo-code-openai" -> "kilo-code": profiles of one client in different provider modes share a family.
std::string client_family(const ClientProfile& client);

}  // namespace routecheck
