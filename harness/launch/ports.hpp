// Loopback ports for launched proxies and Base URL variants, and which addresses a process group listens on.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace routecheck::launch {

// A port on 127.0.0.1 that was free a moment ago (bind to :0, read back, close). Another process can still
// take it before the proxy does; ProxyInstance retries with a new port when that happens.
int free_loopback_port();

// A loopback port where nothing listens, held for the object's lifetime: the socket is bound but never
// listens, so connecting is refused at once and no other process can bind the port meanwhile.
class ClosedPort {
public:
    ClosedPort();
    ~ClosedPort();
    ClosedPort(const ClosedPort&) = delete;
    ClosedPort& operator=(const ClosedPort&) = delete;
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

struct ListenAddress {
    std::string address;  // "127.0.0.1", "0.0.0.0", "::", "::1", ...
    int port = 0;
    pid_t pid = 0;             // the process holding the socket
    std::string text() const;  // "127.0.0.1:8080" or "[::]:8080"
    bool loopback_v4() const { return address.rfind("127.", 0) == 0; }
};

// Processes whose process group is `pgid` (from /proc/<pid>/stat). Zombies are included.
std::vector<pid_t> processes_in_group(pid_t pgid);

// CPU time in milliseconds (user + system) of every process now in process group `pgid`, with the children each
// has reaped (from /proc/<pid>/stat). 0 when the group has no process left. Processes that left the group are not
// counted. For the report (a proxy's own cost, whatever priority it ran at); never throws.
double group_cpu_ms(pid_t pgid);

// Every descendant of `root` (not root itself), from the parent links in /proc/<pid>/stat. A launched child's
// guardian is its parent and a child subreaper, so its tree holds every process of the launch, also those that
// left the child's group.
std::vector<pid_t> processes_in_tree(pid_t root);

// TCP sockets in LISTEN state held by any process of group `pgid`, from the socket inodes in /proc/<pid>/fd
// matched against /proc/net/tcp and /proc/net/tcp6.
std::vector<ListenAddress> listening_addresses(pid_t pgid);
// The same for any processes (e.g. processes_in_tree() of a guardian).
std::vector<ListenAddress> listening_addresses_of(const std::vector<pid_t>& pids);

}  // namespace routecheck::launch
