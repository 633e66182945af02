#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "launch/ports.hpp"

using namespace routecheck::launch;

namespace {

int listen_on(int family, const char* address, int& port) {
    int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_storage ss{};
    socklen_t len;
    if (family == AF_INET) {
        auto* a = reinterpret_cast<sockaddr_in*>(&ss);
        a->sin_family = AF_INET;
        ::inet_pton(AF_INET, address, &a->sin_addr);
        len = sizeof *a;
    } else {
        auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
        a->sin6_family = AF_INET6;
        ::inet_pton(AF_INET6, address, &a->sin6_addr);
        len = sizeof *a;
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd, 1) != 0) {
        ::close(fd);
        return -1;
    }
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                   : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    return fd;
}

bool connect_refused(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    int e = errno;
    ::close(fd);
    return rc != 0 && e == ECONNREFUSED;
}

}  // namespace

TEST(Ports, FreeLoopbackPortIsBindable) {
    const int port = free_loopback_port();
    EXPECT_GT(port, 0);
    EXPECT_LT(port, 65536);
    EXPECT_TRUE(connect_refused(port));
}

TEST(Ports, ClosedPortRefusesAndStaysReserved) {
    ClosedPort closed;
    EXPECT_GT(closed.port(), 0);
    EXPECT_TRUE(connect_refused(closed.port()));
    // Nobody else can bind it while we hold it.
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(closed.port()));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_NE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ::close(fd);
}

TEST(Ports, ListeningAddressesOfOwnGroup) {
    int p4 = 0, pany = 0, p6 = 0;
    int fd4 = listen_on(AF_INET, "127.0.0.1", p4);
    int fdany = listen_on(AF_INET, "0.0.0.0", pany);
    int fd6 = listen_on(AF_INET6, "::", p6);  // may fail where IPv6 is off
    ASSERT_GE(fd4, 0);
    ASSERT_GE(fdany, 0);
    const auto found = listening_addresses(::getpgrp());
    auto has = [&](const std::string& text) {
        return std::any_of(found.begin(), found.end(), [&](const ListenAddress& l) { return l.text() == text; });
    };
    EXPECT_TRUE(has("127.0.0.1:" + std::to_string(p4)));
    EXPECT_TRUE(has("0.0.0.0:" + std::to_string(pany)));
    if (fd6 >= 0) {
        EXPECT_TRUE(has("[::]:" + std::to_string(p6)));
    }
    for (const auto& l : found) {
        if (l.port != p4) continue;
        EXPECT_TRUE(l.loopback_v4());
        EXPECT_EQ(l.pid, ::getpid());
    }
    ::close(fd4);
    ::close(fdany);
    if (fd6 >= 0) ::close(fd6);
}

TEST(Ports, ProcessesInGroupIncludesSelf) {
    const auto pids = processes_in_group(::getpgrp());
    EXPECT_NE(std::find(pids.begin(), pids.end(), ::getpid()), pids.end());
}
