#include "mock_upstream/wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

namespace routecheck::mock {
namespace {

// Writes `data` to the sink, in pieces of `piece` bytes with `gap_ms` between them when gap_ms > 0.
bool send_piecewise(httplib::DataSink& sink, const std::string& data, int piece, int gap_ms, bool& first,
                    const Pause& pause) {
    const std::size_t step = gap_ms > 0 ? static_cast<std::size_t>(piece) : data.size();
    for (std::size_t off = 0; off < data.size(); off += step) {
        if (gap_ms > 0 && !first && !pause(gap_ms)) return false;
        first = false;
        if (!sink.write(data.data() + off, std::min(step, data.size() - off))) return false;  // client went away
    }
    return true;
}

}  // namespace

void write_reply(Reply reply, const Fault& fault, httplib::Response& res, Pause pause, FrameSent frame_sent) {
    res.status = reply.status;
    for (auto& [k, v] : reply.headers) res.set_header(k, v);
    const bool dribble = fault.kind == FaultKind::dribble, cut = fault.kind == FaultKind::cut;
    const int gap = dribble ? fault.delay_ms : 0;

    if (reply.streaming) {
        // Shared so the provider (which cpp-httplib may copy) sees one copy of the frames.
        auto frames = std::make_shared<std::vector<std::string>>(std::move(reply.frames));
        const int limit = cut ? fault.after : -1;
        const int piece = fault.bytes;
        res.set_chunked_content_provider(
            reply.content_type, [frames, limit, piece, gap, pause, frame_sent](std::size_t, httplib::DataSink& sink) {
                bool first = true;
                for (std::size_t i = 0; i < frames->size(); ++i) {
                    // Returning false makes cpp-httplib drop the connection without the terminating chunk,
                    // which is what a client sees when an upstream stream is cut.
                    if (limit >= 0 && static_cast<int>(i) >= limit) return false;
                    if (!send_piecewise(sink, (*frames)[i], piece, gap, first, pause)) return false;
                    if (frame_sent) frame_sent();
                }
                sink.done();
                return true;
            });
        return;
    }

    if (!cut && !dribble) {
        // What set_content does, without copying the body.
        res.body = std::move(reply.body);
        res.set_header("Content-Type", reply.content_type);
        return;
    }
    // Known length, so a cut body is visibly short of its Content-Length.
    auto body = std::make_shared<std::string>(std::move(reply.body));
    const std::size_t stop_at = cut ? body->size() / 2 : body->size();
    const int piece = fault.bytes;
    res.set_content_provider(
        body->size(), reply.content_type,
        [body, stop_at, piece, gap, pause](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset != 0) return false;  // everything is written in the first call
            bool first = true;
            if (!send_piecewise(sink, body->substr(0, stop_at), piece, gap, first, pause)) return false;
            return stop_at == body->size();
        });
}

bool reset_connection(const httplib::Request& req) {
    // cpp-httplib 0.11.4 does not hand the socket to handlers, but a TCP connection is identified by its
    // local port and the peer's address and port, which the request does carry: find the descriptor.
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    const int max_fd = static_cast<int>(std::min<rlim_t>(lim.rlim_cur, 65536));
    for (int fd = 3; fd < max_fd; ++fd) {
        sockaddr_storage local{}, peer{};
        socklen_t ll = sizeof local, pl = sizeof peer;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0) continue;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &pl) != 0) continue;
        char addr[INET6_ADDRSTRLEN] = {};
        int lport = 0, pport = 0;
        if (local.ss_family == AF_INET) {
            lport = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
            auto* p = reinterpret_cast<sockaddr_in*>(&peer);
            pport = ntohs(p->sin_port);
            inet_ntop(AF_INET, &p->sin_addr, addr, sizeof addr);
        } else if (local.ss_family == AF_INET6) {
            lport = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
            auto* p = reinterpret_cast<sockaddr_in6*>(&peer);
            pport = ntohs(p->sin6_port);
            inet_ntop(AF_INET6, &p->sin6_addr, addr, sizeof addr);
        } else {
            continue;
        }
        if (lport != req.local_port || pport != req.remote_port || req.remote_addr != addr) continue;
        // Linger 0 plus a disconnect (connect with AF_UNSPEC) aborts the connection with an RST at once,
        // while the descriptor stays valid for cpp-httplib, whose later writes then fail harmlessly.
        linger lg{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        sockaddr unspec{};
        unspec.sa_family = AF_UNSPEC;
        connect(fd, &unspec, sizeof unspec);
        return true;
    }
    return false;
}

}  // namespace routecheck::mock
