// Verdict classes: why a step did or did not reach a route, and how to fix it. The classifier works from the
// final path, the proxy's route table and what was observed (status or transport error).
#pragma once
#include <string>

#include "model/fixtures.hpp"
#include "model/verdict_class.hpp"
#include "replay/observation.hpp"

namespace routecheck {

// Which protocol family a well-formed path belongs to: "openai", "anthropic", "gemini", or "" when unknown.
std::string path_family(const std::string& path);

struct Finding {
    Diagnosis diagnosis = Diagnosis::Unexpected;
    std::string reason;    // one line: what happened and why
    std::string fix;       // one line: what to do ("" for OK)
    std::string base_url;  // the Base URL the fix names, when changing the Base URL is the fix; else ""
};

struct PathVerdict;

// Everything one step is judged from. The path verdict comes first (judge/path.hpp); the status, the body and
// what reached the upstream are read only for a step whose path is right, and only add to a misjoin's reason.
struct StepContext {
    const ClientProfile* client = nullptr;
    const Step* step = nullptr;
    const ProxyProfile* proxy = nullptr;
    const StepObservation* observed = nullptr;
    const PathVerdict* path = nullptr;
    std::string base_url;                     // the Base URL as typed
    std::string fix_base_url;                 // the cell's fix Base URL ("" when the Base URL is right or unknown)
    const KeyCarrier* key_carrier = nullptr;  // how the key was sent; null when no key was sent
    std::vector<std::string> alternatives;    // other modes of the client that work with this proxy: "id at URL"
};

// The verdict of one step. Never throws.
Finding classify_step(const StepContext& context);

// Where a proxy reads its key (ProxyProfile::auth_carriers), in a user's words: "authorization, x-api-key or the
// ?key= query parameter" (the fixtures' "query-key" is that parameter).
std::string carriers_words(const std::vector<std::string>& carriers);

// The protocol family a client protocol name belongs to ("openai-responses" -> "openai").
std::string protocol_family(const std::string& protocol);

}  // namespace routecheck
