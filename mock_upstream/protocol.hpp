// Internal: what a protocol handler sees and returns. Handlers build whole answers up front (a body, or a
// list of SSE frames) so that faults (cut, dribble, delay) are applied by one writer for every protocol.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace routecheck::mock {

struct Incoming {
    std::string method;
    std::string path;                            // raw path
    std::string query;                           // raw query, without '?'
    std::map<std::string, std::string> headers;  // lower-cased names
    std::string body;
    nlohmann::json json;         // parsed body, or null when the body is empty or not JSON
    bool empty_content = false;  // the "empty" fault: answer normally but with zero content tokens
    std::uint64_t seq = 0;       // journal sequence number, used to make ids unique

    std::string header(const std::string& lower_name) const;
    bool has_query_param(const std::string& key, const std::string& value) const;
    std::string model_or(const std::string& fallback) const;  // json["model"] when it is a string
};

struct Reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;                 // used when !streaming
    std::vector<std::string> frames;  // used when streaming: each written as one piece (an SSE event)
    bool streaming = false;
    std::vector<std::pair<std::string, std::string>> headers;

    static Reply json(const nlohmann::json& j, int status = 200);
    static Reply sse(std::vector<std::string> frames);
};

enum class ErrorStyle { google, openai, anthropic };

// Body of an error answer in the given protocol family's shape.
Reply error_reply(ErrorStyle style, int status, const std::string& message);

class Protocol {
public:
    virtual ~Protocol() = default;
    virtual std::string name() const = 0;
    virtual ErrorStyle error_style() const = 0;
    // Error shape for a request no protocol served, or for a fault; the recorder guesses from the headers.
    virtual ErrorStyle error_style_for(const Incoming&) const { return error_style(); }
    // nullopt when this protocol does not serve the path (the next protocol is tried).
    virtual std::optional<Reply> handle(const Incoming& in) const = 0;
};

// Throws std::invalid_argument for an unknown name.
std::unique_ptr<Protocol> make_protocol(const std::string& name, bool openai_unprefixed);
std::unique_ptr<Protocol> make_recorder();

// SSE framing helpers: "data: <json>\n\n" and "event: <name>\ndata: <json>\n\n".
std::string sse_data(const nlohmann::json& j);
std::string sse_event(const std::string& event, const nlohmann::json& j);

// Rough token count (4 bytes per token, at least 1) so usage numbers are plausible and stable.
int approx_tokens(const std::string& text);

}  // namespace routecheck::mock
