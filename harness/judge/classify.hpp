// Verdict classes: why a step did or did not reach a route, and how to fix it. The classifier works from the
// final path, the proxy's route table and what was observed (status or transport error).
#pragma once
#include <string>

#include "model/fixtures.hpp"
#include "replay/replay.hpp"

namespace routecheck {

enum class Diagnosis {
    Ok,
    DuplicatePrefix,  // a version segment twice: /v1/v1, /v1beta/v1beta, /v1/v1beta
    MissingVersion,   // /chat/completions, /models, /responses without /v1
    EndpointInBase,   // the Base URL already held an endpoint: /v1/chat/completions/responses
    WrongProtocol,    // a route of a protocol family the proxy does not serve
    NoRoute,          // a well-formed path of a served family that the proxy still lacks
    AuthMissing,      // 401
    AuthRejected,     // 403
    NotListening,     // connection refused
    UpstreamError,    // the route exists, the upstream (or the proxy's call to it) failed
    Unexpected,
    Skipped,
};

const char* to_string(Diagnosis d);
Diagnosis diagnosis_from_string(const std::string& s);  // throws std::invalid_argument

// The shape of a path alone, before looking at any route table: DuplicatePrefix, EndpointInBase,
// MissingVersion, or Ok when nothing is wrong with its shape.
Diagnosis path_shape(const std::string& path);

// Which protocol family a well-formed path belongs to: "openai", "anthropic", "gemini", or "" when unknown.
std::string path_family(const std::string& path);

struct StepFacts {
    std::string method;
    std::string path;
    int status = 0;
    TransportError error = TransportError::None;
    bool upstream_reached = false;
    std::string client_protocol;    // the client profile's protocol
    std::string recommended_base;   // Base URL to suggest in fixes ("" if none works)
    std::string body_excerpt;
};

struct Finding {
    Diagnosis diagnosis = Diagnosis::Unexpected;
    std::string reason;  // one line: what happened and why
    std::string fix;     // one line: what to do
};

Finding classify_step(const StepFacts& facts, const ProxyProfile& proxy);

// The protocol family a client protocol name belongs to ("openai-responses" -> "openai").
std::string protocol_family(const std::string& protocol);

}  // namespace routecheck
