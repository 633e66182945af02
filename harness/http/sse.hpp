// Server-sent events as every streaming API routecheck replays sends them (OpenAI, Anthropic, Gemini, Responses):
// the one reading of a stream's lines and the one rule for what ends a stream. The HTTP client (http/client.cpp)
// counts events and sees the end as the body arrives; the grid verdicts (grid/grid_verdict.cpp) read whole bodies.
// Source: the WHATWG HTML "server-sent events" parsing rules; the end markers from the APIs' streaming documents.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace routecheck {

// One line of a stream, split as the SSE rules split it: "field: value" (one space after the colon dropped),
// "field:value", or "field" alone (empty value). A trailing '\r' is dropped. A comment (":...") or blank line has an
// empty field. The views point into `line`.
struct SseField {
    std::string_view field;
    std::string_view value;
};
SseField sse_field(std::string_view line);

struct SseEvent {
    std::string event;  // "" when the event has no event: line (OpenAI chat, Gemini)
    std::string data;   // its data: lines joined with '\n'
};

// The events of a whole body, dispatched at blank lines; an event cut before its blank line (a stream cut short)
// still counts. Fields other than event and data (id, retry) and comments are ignored.
std::vector<SseEvent> parse_sse(std::string_view body);

// True for the event that ends a stream: data exactly "[DONE]" (OpenAI chat completions; a content delta that
// merely contains the text "[DONE]" does not end anything), or an event named "message_stop" (Anthropic Messages)
// or "response.completed" (OpenAI Responses). Gemini streams have no end event: their last chunk carries a
// finishReason, which only a reader of the JSON sees (grid/grid_verdict.cpp). Pass "" for a part not known yet.
bool sse_ends_stream(std::string_view event, std::string_view data);

}  // namespace routecheck
