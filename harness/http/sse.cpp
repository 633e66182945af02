#include "http/sse.hpp"

namespace routecheck {

SseField sse_field(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == ':') return {};
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return {line, {}};
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return {line.substr(0, colon), value};
}

std::vector<SseEvent> parse_sse(std::string_view body) {
    std::vector<SseEvent> out;
    SseEvent cur;
    bool any = false;  // the current event has an event: or data: line
    for (std::size_t start = 0; start <= body.size();) {
        const std::size_t nl = body.find('\n', start);
        const std::string_view raw = body.substr(start, (nl == std::string_view::npos ? body.size() : nl) - start);
        const SseField f = sse_field(raw);
        if (raw.empty() || raw == "\r") {
            if (any) out.push_back(std::move(cur));
            cur = {};
            any = false;
        } else if (f.field == "event") {
            cur.event = std::string(f.value);
            any = true;
        } else if (f.field == "data") {
            cur.data += (cur.data.empty() ? "" : "\n") + std::string(f.value);
            any = true;
        }
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    if (any) out.push_back(std::move(cur));
    return out;
}

bool sse_ends_stream(std::string_view event, std::string_view data) {
    return data == "[DONE]" || event == "message_stop" || event == "response.completed";
}

}  // namespace routecheck
