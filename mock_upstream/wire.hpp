// Internal: putting a Reply on the wire with the fault's effect on framing (cut, dribble), and resetting a
// connection. Kept apart from routing so every protocol gets identical fault behaviour.
#pragma once

#include <functional>

#include <httplib.h>

#include "mock_upstream/mock_upstream.hpp"
#include "mock_upstream/protocol.hpp"

namespace routecheck::mock {

// Sleeps up to `ms` milliseconds; returns false when the server is stopping (the writer then gives up).
using Pause = std::function<bool(int ms)>;

// Called after each frame of a streamed answer went out whole (the journal notes when).
using FrameSent = std::function<void()>;

void write_reply(Reply reply, const Fault& fault, httplib::Response& res, Pause pause, FrameSent frame_sent = {});

// Sends a TCP RST on the connection that carried `req`, without closing the descriptor (cpp-httplib owns
// it and closes it later). Returns false when the connection could not be found.
bool reset_connection(const httplib::Request& req);

}  // namespace routecheck::mock
