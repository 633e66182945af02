// Verdicts of grid rows: what the client received, named in the user's words (see docs/grids.md).
#include "grid/grid_verdict.hpp"

#include <string_view>

#include "http/sse.hpp"

namespace routecheck::grid {

namespace {

using nlohmann::json;

bool nonempty_string(const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty();
}

// Counts a string member as one piece of content and keeps its text.
int take(const json& j, const char* key, std::string& text) {
    if (!nonempty_string(j, key)) return 0;
    if (text.size() < 200) text += j[key].get<std::string>().substr(0, 200 - text.size());
    return 1;
}

// Pieces of content one event carries (text, thinking, tool arguments), per protocol.
int content_in(const std::string& protocol, const json& d, std::string& text) {
    int n = 0;
    if (protocol == "anthropic") {
        if (d.value("type", "") == "content_block_delta" && d.contains("delta"))
            for (const char* k : {"text", "thinking", "partial_json"}) n += take(d["delta"], k, text);
        return n;
    }
    if (protocol == "openai") {
        if (d.contains("choices") && d["choices"].is_array())
            for (const auto& c : d["choices"])
                if (c.contains("delta")) {
                    n += take(c["delta"], "content", text) + take(c["delta"], "reasoning_content", text);
                    if (c["delta"].contains("tool_calls")) ++n;
                }
        return n;
    }
    const json& g = d.contains("response") ? d["response"] : d;  // Cloud Code wraps Gemini chunks
    if (g.contains("candidates") && g["candidates"].is_array())
        for (const auto& c : g["candidates"])
            if (c.contains("content") && c["content"].contains("parts") && c["content"]["parts"].is_array())
                for (const auto& p : c["content"]["parts"]) n += take(p, "text", text) || p.contains("functionCall");
    return n;
}

bool gemini_finished(const json& d) {
    const json& g = d.contains("response") ? d["response"] : d;
    if (!g.contains("candidates") || !g["candidates"].is_array()) return false;
    for (const auto& c : g["candidates"])
        if (nonempty_string(c, "finishReason")) return true;
    return false;
}

bool is_error_doc(const json& j) {
    if (j.is_array() && !j.empty()) return is_error_doc(j.front());  // Gemini's JSON-array error form
    return j.is_object() && (j.contains("error") || j.value("type", "") == "error");
}

std::string ms(double v) { return std::to_string(static_cast<long>(v + 0.5)) + " ms"; }

// Whether a dribbled stream reached the client as it was sent, and why. The mock notes when it sent each frame
// (its journal); the client notes when each event came, on the same clock. Streamed: the first event came before
// the upstream sent its last frame, or (a loaded machine delays everything) the events came spread out as the
// frames were. Buffered: the first event came only after the last frame, and all came at once. Without the mock's
// send times (fewer than two frames noted), the old rule: the first event within the first half of the answer.
struct Dribble {
    bool buffered = false;
    std::string why;
};

Dribble dribble_timing(const RowResult& r) {
    const auto& sent = r.upstream_sent_at_ms;
    if (sent.size() < 2 || r.first_event_at_ms <= 0) {
        const bool early = r.first_event_ms > 0 && r.first_event_ms < r.total_ms / 2;
        return {!early, std::string(early ? "first event forwarded before the upstream finished"
                                          : "complete, but the first event came only when the upstream finished") +
                            " (no send times from the mock: judged by the first event's share of the answer's time)"};
    }
    const double first_sent = sent.front(), last_sent = sent.back();
    const double upstream_spread = last_sent - first_sent;
    const double client_spread = r.last_event_at_ms - r.first_event_at_ms;
    if (r.first_event_at_ms < last_sent)
        return {false, "first event reached the client " + ms(last_sent - r.first_event_at_ms) +
                           " before the upstream sent its last frame (the mock's send times)"};
    if (client_spread >= upstream_spread / 2)
        return {false, "events reached the client over " + ms(client_spread) + " as the upstream sent its " +
                           std::to_string(sent.size()) + " frames over " + ms(upstream_spread) + " (all " +
                           ms(r.first_event_at_ms - first_sent) + " late: a loaded machine)"};
    return {true, "complete, but the first event reached the client " + ms(r.first_event_at_ms - last_sent) +
                      " after the upstream sent its last frame, and the events came together (over " +
                      ms(client_spread) + "; the upstream's " + std::to_string(sent.size()) + " frames over " +
                      ms(upstream_spread) + ")"};
}

}  // namespace

StreamFacts stream_facts(const std::string& protocol, const std::string& body) {
    StreamFacts f;
    auto events = parse_sse(body);
    std::string first, last;
    for (const auto& e : events) {
        if (e.data.empty() && e.event.empty()) continue;
        ++f.events;
        if (e.event == "error") f.error_event = true;
        std::string name = e.event;
        if (e.data == "[DONE]") {  // no JSON in it; it ends an OpenAI stream only (a Gemini client reads past it)
            f.terminal = f.terminal || (protocol == "openai" && sse_ends_stream(e.event, e.data));
            continue;
        }
        json d = json::parse(e.data, nullptr, false);
        if (d.is_discarded()) continue;
        if (is_error_doc(d)) f.error_event = true;
        if (name.empty() && d.is_object()) name = d.value("type", "");
        if (first.empty()) first = name;
        if (!name.empty()) last = name;
        f.content_pieces += content_in(protocol, d, f.text);
        if (protocol == "gemini" && gemini_finished(d)) f.terminal = true;
    }
    if (protocol == "anthropic") {
        f.terminal = last == "message_stop";
        f.order_ok = first == "message_start" && last == "message_stop";
    }
    return f;
}

std::string error_shape(const std::string& protocol, const std::string& body) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return "none";
    const json& e = j.is_array() && !j.empty() ? j.front() : j;
    bool readable = e.is_object() && e.contains("error") &&
                    (e["error"].is_string() || (e["error"].is_object() && e["error"].contains("message")));
    if (!readable) return "none";
    if (protocol == "anthropic") return e.value("type", "") == "error" ? "native" : "foreign";
    if (protocol == "gemini") return e["error"].is_object() && e["error"].contains("code") ? "native" : "foreign";
    return e["error"].is_object() ? "native" : "foreign";
}

void judge_stream(RowResult& r) {
    const std::string& proto = r.spec.protocol;
    StreamFacts f = stream_facts(proto, r.body_excerpt);
    r.events = f.events;
    r.content_pieces = f.content_pieces;
    bool sse = r.content_type.find("text/event-stream") != std::string::npos;
    if (r.transport == "timeout") {
        r.verdict = "HUNG";
        r.detail = std::string(r.status ? "200 headers, then nothing more" : "no answer") + " within the client's " +
                   std::to_string(r.spec.timeout_ms) + " ms; " + std::to_string(r.upstream.size()) +
                   " upstream requests by then";
    } else if (r.status == 0) {
        r.verdict = "NO_ANSWER";
        r.detail = "no HTTP answer: " + r.transport;
    } else if (r.status >= 400) {
        r.error_shape = error_shape(proto, r.body_excerpt);
        r.verdict = r.error_shape == "none" ? "ERROR_UNSHAPED" : "ERROR_PROPAGATED";
        r.detail = std::to_string(r.status) +
                   (r.error_shape == "native"    ? " with an error body in the " + proto + " shape"
                    : r.error_shape == "foreign" ? " with an error message, but not in the " + proto + " error shape"
                                                 : " without an error body the " + proto + " client can read");
        if (r.retry_after) r.detail += "; Retry-After passed on";
    } else if (r.status != 200) {
        r.verdict = "UNEXPECTED";
        r.detail = "status " + std::to_string(r.status);
    } else if (f.error_event || (!sse && is_error_doc(json::parse(r.body_excerpt, nullptr, false)))) {
        r.verdict = "ERROR_IN_STREAM";
        r.detail = "200, then an error event inside the stream";
    } else if (!sse) {
        r.verdict = "NOT_A_STREAM";
        r.detail = "200 with content type '" + r.content_type + "' instead of text/event-stream";
    } else if (!r.transport.empty() || !f.terminal) {
        r.verdict = "TRUNCATED";
        r.detail = "200 stream of " + std::to_string(f.events) + " events that ended without its terminal event" +
                   (r.transport.empty() ? "" : " (" + r.transport + ")");
    } else if (!f.order_ok) {
        r.verdict = "MALFORMED";
        r.detail = "Anthropic events not in the order message_start ... message_stop";
    } else if (r.spec.stream_case == "empty" && f.content_pieces > 0) {
        // The upstream sent zero tokens, so whatever text the client got, the proxy wrote it.
        r.verdict = "SYNTHETIC_TEXT";
        r.detail = "the upstream answered zero tokens; the client got 200 with the proxy's own text \"" + f.text + "\"";
    } else if (f.content_pieces == 0) {
        r.verdict = "SILENT_EMPTY";
        r.detail = "200, a complete stream with zero content and no error: the client shows an empty answer";
    } else if (const Dribble d = r.spec.stream_case == "dribble" ? dribble_timing(r) : Dribble{}; d.buffered) {
        r.verdict = "BUFFERED";
        r.detail = d.why;
    } else {
        r.verdict = "STREAM_OK";
        r.detail = std::to_string(f.events) + " events, " + std::to_string(f.content_pieces) + " content pieces: \"" +
                   f.text + "\"";
        if (!d.why.empty()) r.detail += "; " + d.why;
    }
}

void judge_health(RowResult& r) {
    if (r.transport == "timeout") {
        r.verdict = "HUNG";
        r.detail = "no answer within the client's timeout";
    } else if (r.status == 0) {
        r.verdict = "NO_ANSWER";
        r.detail = r.transport;
    } else if (r.status == 401 || r.status == 403) {
        r.verdict = "AUTH_REQUIRED";
        r.detail = "the health endpoint wants a key";
    } else if (r.status >= 200 && r.status < 300) {
        r.verdict = "HEALTHY";
        r.detail = "answers " + std::to_string(r.status);
    } else {
        r.verdict = "UNHEALTHY";
        r.detail = "answers " + std::to_string(r.status);
    }
    r.detail += r.upstream.empty() ? "; no upstream call" : "; polled the upstream";
}

void judge_auth(RowResult& r) {
    switch (r.status) {
        case 0: r.verdict = "NO_ANSWER"; break;
        case 401: r.verdict = "AUTH_401"; break;
        case 403: r.verdict = "AUTH_403"; break;
        case 404: r.verdict = "NOT_FOUND"; break;
        case 405: r.verdict = "WRONG_METHOD"; break;
        default: r.verdict = r.status < 300 ? "ANSWERED" : "STATUS_" + std::to_string(r.status);
    }
    r.detail = r.status ? std::to_string(r.status) : r.transport;
}

GridOutcome expected_view(const RowResult& r) {
    GridOutcome v;
    v.status = r.status;
    if (r.spec.kind == "auth") return v;
    v.verdict = r.verdict;
    if (r.spec.kind == "health") {
        v.upstream = !r.upstream.empty();
        return v;
    }
    if (!r.error_shape.empty()) v.error_shape = r.error_shape;
    if (r.spec.stream_case == "429") v.retry_after = r.retry_after;
    return v;
}

}  // namespace routecheck::grid
