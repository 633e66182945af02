// The verdict classes: the vocabulary of the judge, the expected tables and every report. Defined here, below
// the judge, because expected tables (fixture data) name them.
#pragma once
#include <string>
#include <vector>

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
    BaseUrlIgnored,  // the client (in this mode) sends nothing to the Base URL: its calls go to a fixed host
};

const char* to_string(Diagnosis d);
Diagnosis diagnosis_from_string(const std::string& s);  // throws std::invalid_argument
std::vector<std::string> verdict_class_names();         // every class's name, in the order above

}  // namespace routecheck
