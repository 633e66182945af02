// http/sse.hpp: the one reading of server-sent events and the one rule for what ends a stream. The two readers it
// replaced disagreed: the HTTP client ended a stream at any data line whose first 64 bytes held "[DONE]" and
// missed "event:message_stop" without a space; the grid reader took only data exactly "[DONE]".
#include <gtest/gtest.h>

#include "http/sse.hpp"

namespace {

using namespace routecheck;

TEST(Sse, FieldsSplitAsTheRulesSay) {
    EXPECT_EQ(sse_field("data: {\"a\":1}").field, "data");
    EXPECT_EQ(sse_field("data: {\"a\":1}").value, "{\"a\":1}");
    EXPECT_EQ(sse_field("data:[DONE]").value, "[DONE]");                  // no space after the colon
    EXPECT_EQ(sse_field("data:  two").value, " two");                     // only one space is dropped
    EXPECT_EQ(sse_field("event: message_stop\r").value, "message_stop");  // CRLF lines
    EXPECT_EQ(sse_field("data").field, "data");                           // a field alone: empty value
    EXPECT_EQ(sse_field("data").value, "");
    EXPECT_EQ(sse_field(": keep-alive").field, "");  // a comment
    EXPECT_EQ(sse_field("").field, "");
}

TEST(Sse, EventsAreDispatchedAtBlankLines) {
    auto ev = parse_sse("event: message_start\ndata: {\"x\":1}\n\n: ping\n\ndata: a\ndata: b\r\n\r\nid: 7\ndata: cut");
    ASSERT_EQ(ev.size(), 3u);
    EXPECT_EQ(ev[0].event, "message_start");
    EXPECT_EQ(ev[0].data, "{\"x\":1}");
    EXPECT_EQ(ev[1].event, "");
    EXPECT_EQ(ev[1].data, "a\nb");  // data lines of one event joined with '\n'
    EXPECT_EQ(ev[2].data, "cut");   // a stream cut before its blank line still has its last event
    EXPECT_TRUE(parse_sse("").empty());
    EXPECT_TRUE(parse_sse(": only a comment\n\n").empty());
}

TEST(Sse, WhatEndsAStream) {
    EXPECT_TRUE(sse_ends_stream("", "[DONE]"));
    EXPECT_TRUE(sse_ends_stream("message_stop", "{\"type\":\"message_stop\"}"));
    EXPECT_TRUE(sse_ends_stream("response.completed", ""));
    // A content delta whose text is "[DONE]" is content, not the end (the old client reader took it as the end).
    EXPECT_FALSE(sse_ends_stream("", "{\"choices\":[{\"delta\":{\"content\":\"[DONE]\"}}]}"));
    EXPECT_FALSE(sse_ends_stream("", "[DONE] "));
    EXPECT_FALSE(sse_ends_stream("message_delta", ""));
    EXPECT_FALSE(sse_ends_stream("", ""));
}

TEST(Sse, TheEndIsFoundWhateverTheSpacing) {
    // Both readers now agree: read a line with sse_field, then ask sse_ends_stream.
    for (const char* line :
         {"data: [DONE]", "data:[DONE]", "data: [DONE]\r", "event: message_stop", "event:message_stop"}) {
        SseField f = sse_field(line);
        EXPECT_TRUE(f.field == "data" ? sse_ends_stream("", f.value) : sse_ends_stream(f.value, "")) << line;
    }
}

}  // namespace
