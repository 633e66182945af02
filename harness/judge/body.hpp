// What an answer's body says about who wrote it: the proxy's own router, an upstream's error object passed
// through, or a page that is not an API answer at all. A 404 at a right route whose body is the upstream's means
// the Base URL is right; a 200 with an HTML page at any path is a soft 404.
// Facts: error shapes from the public API references of Google (google.rpc.Status JSON: error.code, error.status),
// OpenAI (error.message, error.type, error.code) and Anthropic ({"type":"error","error":{"type","message"}}).
#pragma once
#include <string>

namespace routecheck {

enum class BodyKind {
    Empty,
    Html,           // an HTML page (a web UI, a framework's not-found page)
    UpstreamError,  // a provider's error object: Google, OpenAI or Anthropic shape
    ErrorObject,    // some other JSON error ({"error":"Not Found"}, {"message":"Route ... not found"}, ...)
    Json,           // any other JSON
    Text,
};

struct BodyReading {
    BodyKind kind = BodyKind::Empty;
    std::string what;     // e.g. "Google's error object (NOT_FOUND)", "an HTML page"; "" for Empty
    std::string message;  // an error object's message (error.message, else message or detail), at most 200 bytes
};

// Whether an error's message says a *path* was not found rather than a model or resource ("404 page not found",
// "Invalid URL (POST /v1/x)", "Cannot POST /x", "no route"): behind a proxy, its upstream URL is then wrong (an
// api_base that already ends in /v1, Ollama's "404 page not found" for /v1/api/generate: LiteLLM #9445). A message
// that names a model is about the model.
bool says_path_not_found(const BodyReading& body);

// `content_type` may be empty; `body` may be an excerpt cut anywhere (a cut JSON is read by its visible keys).
BodyReading read_body(const std::string& content_type, const std::string& body);

}  // namespace routecheck
