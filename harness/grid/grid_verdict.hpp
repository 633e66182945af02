// Internal to harness/grid: what a stream carried (read with http/sse.hpp) and the verdict of each kind of row.
#pragma once
#include <string>
#include <vector>

#include "grid/grid.hpp"

namespace routecheck::grid {

struct StreamFacts {
    int events = 0;
    int content_pieces = 0;  // text / thinking / tool pieces: zero means the user sees an empty answer
    bool terminal = false;   // [DONE], message_stop, or a Gemini finishReason
    bool order_ok = true;    // Anthropic: message_start first, message_stop last
    bool error_event = false;
    std::string text;  // the content text, as the user would read it (first 200 bytes)
};

StreamFacts stream_facts(const std::string& protocol, const std::string& body);
// "native" (the protocol's own error shape), "foreign" (an error message in another protocol's shape), "none".
std::string error_shape(const std::string& protocol, const std::string& body);

void judge_stream(RowResult& r);
void judge_health(RowResult& r);
void judge_auth(RowResult& r);

}  // namespace routecheck::grid
